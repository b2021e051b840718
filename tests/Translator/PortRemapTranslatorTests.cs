using System;
using Mapt.Map;
using Mapt.Translator;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Translator.TestPackets;

namespace Mapt.Tests.Translator;

/// <summary>
/// The translator with <c>snat = remap</c> (issue 15): virtual ports 772-1023 of the RFC 7599
/// example set (PSID 0x34: 1232-1235, 2256-2259, ... 64720-64723) mapped both ways, embedded
/// headers of ICMP errors included, checksums checked by an independent sum.
/// </summary>
[TestClass]
public sealed class PortRemapTranslatorTests
{
    private static PacketTranslator NewTranslator(string keep = "")
    {
        MapAddressing plain = Rfc7599Addressing();
        RemapKeep k = keep.Length == 0 ? RemapKeep.None : RemapKeep.TryParse(keep, out _)!;
        SnatRemap remap = SnatRemap.TryCreate(plain.PortSet, k, out string? why) ?? throw new InvalidOperationException(why);
        var rules = Mapt.Tests.Map.MapValues.Rule("2001:db8::/40", "192.0.2.0/24", 16);
        Dmr.TryCreate(Mapt.Tests.Map.MapValues.P6("2001:db8:ffff::/64"), out Dmr dmr, out _);
        return new PacketTranslator(new MapAddressing(Mapt.Tests.Map.MapValues.Compute(rules, "2001:db8:12:3400::/56"),
            new MapRuleSet(new[] { rules }, dmr), remap));
    }

    [TestMethod]
    public void Outbound_EveryVirtualPortLeavesAsItsRealPort_InsideTheSet_ChecksumValid()
    {
        var t = NewTranslator();
        var set = new PortSet(6, 8, 0x34);
        var seen = new System.Collections.Generic.HashSet<int>();
        for (int v = 772; v <= 1023; v++)
        {
            byte[] v4 = Ipv4(CeIpv4, Remote4, 17, Udp(v, 53, Data(11), V4(CeIpv4), V4(Remote4)));
            Assert.AreEqual(DropReason.None, Run(t, v4, out byte[] v6), $"virtual {v}");
            int real = U16(v6, 40);
            Assert.IsTrue(set.Contains((ushort)real), $"{v} left as {real}, outside the set");
            Assert.IsTrue(seen.Add(real));
            byte[] udp = Slice(v6, 40);
            Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 17, udp.Length), udp), $"UDP checksum for {v} -> {real}");
        }
        Assert.AreEqual(252, seen.Count);
        // A real port of the set is not a virtual one: nothing but the SNAT's range (and kept ports) leaves.
        Assert.AreEqual(DropReason.SourcePortOutsideSet, Run(t, Ipv4(CeIpv4, Remote4, 17, Udp(1232, 53, Data(3), V4(CeIpv4), V4(Remote4))), out _));
        Assert.AreEqual(DropReason.SourcePortOutsideSet, Run(t, Ipv4(CeIpv4, Remote4, 17, Udp(771, 53, Data(3), V4(CeIpv4), V4(Remote4))), out _));
    }

    [TestMethod]
    public void Inbound_RealPortBecomesVirtual_TcpChecksumValid()
    {
        var t = NewTranslator();
        byte[] v6 = Ipv6(Remote6, CeIpv6, 6, Tcp(80, 2257, Data(100), V6(Remote6), V6(CeIpv6)));
        Assert.AreEqual(DropReason.None, Run(t, v6, out byte[] v4));
        Assert.AreEqual(777, U16(v4, 22), "2257 is the set's 6th port: virtual 772 + 5");
        byte[] tcp = Slice(v4, 20);
        Assert.AreEqual(0xffff, Sum(Pseudo4(V4(Remote4), V4(CeIpv4), 6, tcp.Length), tcp));
        Assert.AreEqual(DropReason.DestinationPortOutsideSet,
            Run(t, Ipv6(Remote6, CeIpv6, 6, Tcp(80, 777, Data(1), V6(Remote6), V6(CeIpv6))), out _), "a virtual port is not reachable from outside");
    }

    [TestMethod]
    public void KeptPort_PassesUnchangedBothWays_ForAnOrdinaryPortForward()
    {
        var t = NewTranslator("tcp:1232");
        byte[] v6 = Ipv6(Remote6, CeIpv6, 6, Tcp(40000, 1232, Data(10), V6(Remote6), V6(CeIpv6)));
        Assert.AreEqual(DropReason.None, Run(t, v6, out byte[] v4));
        Assert.AreEqual(1232, U16(v4, 22), "the firewall's DNAT of tcp/1232 sees the real port");
        byte[] reply = Ipv4(CeIpv4, Remote4, 6, Tcp(1232, 40000, Data(10), V4(CeIpv4), V4(Remote4)));
        Assert.AreEqual(DropReason.None, Run(t, reply, out byte[] out6));
        Assert.AreEqual(1232, U16(out6, 40), "the forward's reply leaves with the same real port");
        // The virtual range skips the kept port: its first port is the set's second.
        Assert.AreEqual(DropReason.None, Run(t, Ipv4(CeIpv4, Remote4, 6, Tcp(773, 80, Data(1), V4(CeIpv4), V4(Remote4))), out out6));
        Assert.AreEqual(1233, U16(out6, 40));
        // UDP keeps nothing: udp/1232 is still remapped.
        Assert.AreEqual(DropReason.SourcePortOutsideSet, Run(t, Ipv4(CeIpv4, Remote4, 17, Udp(1232, 53, Data(1), V4(CeIpv4), V4(Remote4))), out _));
    }

    [TestMethod]
    public void Echo_RequestIdOutReal_ReplyIdInVirtual()
    {
        var t = NewTranslator();
        byte[] req = Ipv4(CeIpv4, Remote4, 1, Icmp(8, 0, (800u << 16) | 1, Data(16)));
        Assert.AreEqual(DropReason.None, Run(t, req, out byte[] v6));
        int realId = U16(v6, 44);
        Assert.AreEqual(PortRemap.PortAt(new PortSet(6, 8, 0x34), 800 - 772), realId);
        byte[] icmp6 = Slice(v6, 40);
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 58, icmp6.Length), icmp6));
        byte[] reply = Ipv6(Remote6, CeIpv6, 58, Icmp(129, 0, ((uint)realId << 16) | 1, Data(16), V6(Remote6), V6(CeIpv6)));
        Assert.AreEqual(DropReason.None, Run(t, reply, out byte[] v4));
        Assert.AreEqual(800, U16(v4, 24));
        Assert.AreEqual(0xffff, Sum(Slice(v4, 20)), "ICMPv4 checksum");
    }

    [TestMethod]
    public void PacketTooBig_AboutARemappedFlow_ReachesTheLanAsFragmentationNeededQuotingTheVirtualPort()
    {
        var t = NewTranslator();
        // What the CE sent: virtual 900 went out as its real port.
        byte[] sent4 = Ipv4(CeIpv4, Remote4, 6, Tcp(900, 443, Data(1200), V4(CeIpv4), V4(Remote4)));
        Assert.AreEqual(DropReason.None, Run(t, sent4, out byte[] sent6));
        int real = U16(sent6, 40);
        // A router behind the BR answers Packet Too Big quoting it.
        byte[] ptb = Ipv6(Remote6, CeIpv6, 58, Icmp(2, 0, 1400, Slice(sent6, 0, 1232), V6(Remote6), V6(CeIpv6)));
        Assert.AreEqual(DropReason.None, Run(t, ptb, out byte[] err4));
        Assert.AreEqual(3, err4[20]);
        Assert.AreEqual(4, err4[21], "Fragmentation Needed");
        Assert.AreEqual(1380, U16(err4, 26), "next-hop MTU 1400 - 20");
        Assert.AreEqual(0xffff, Sum(Slice(err4, 20)), "ICMPv4 checksum over the quoted packet");
        Assert.AreEqual(900, U16(err4, 48), "the quoted source port is the virtual one conntrack knows");
        Assert.AreNotEqual(900, real);
        // And the other way: the LAN host's error about a packet it received quotes the virtual
        // destination port, which leaves as the real one.
        byte[] came4 = Ipv4(Remote4, CeIpv4, 17, Udp(53, 901, Data(20), V4(Remote4), V4(CeIpv4)));
        byte[] unreach = Ipv4(CeIpv4, Remote4, 1, Icmp(3, 3, 0, came4));
        Assert.AreEqual(DropReason.None, Run(t, unreach, out byte[] err6));
        Assert.AreEqual(1, err6[40]);
        Assert.AreEqual(4, err6[41], "Port Unreachable");
        int quoted = U16(err6, 48 + 40 + 2);
        Assert.AreEqual(PortRemap.PortAt(new PortSet(6, 8, 0x34), 901 - 772), quoted);
        byte[] icmp6 = Slice(err6, 40);
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 58, icmp6.Length), icmp6));
        byte[] innerUdp = Slice(err6, 48 + 40);
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(Remote6), V6(CeIpv6), 17, innerUdp.Length), innerUdp), "quoted UDP checksum still valid");
    }

    /// <summary>
    /// A GSO super-packet of a remapped flow, both ways: the port is rewritten while the
    /// checksum is still partial (the pseudo-header sum only), so the field must move with
    /// the addresses and not with the port; completed as the device would, every segment's
    /// checksum verifies.
    /// </summary>
    [TestMethod]
    public void Gso_RemappedPortBothWays_PartialChecksumStaysThePseudoHeaderSum()
    {
        var t = NewTranslator();
        byte[] tcp = GsoTranslatorTests.PartialTcp(777, 443, 20 * 1440, V4(CeIpv4), V4(Remote4));
        VirtioNetHeader vnet = GsoTranslatorTests.Gso(VirtioNetHeader.GsoTcpV4, 20, 16, 1440, 40);
        Assert.AreEqual(DropReason.None, GsoTranslatorTests.Run(t, Ipv4(CeIpv4, Remote4, 6, tcp), ref vnet, out byte[] v6));
        byte[] l4 = Slice(v6, 40);
        Assert.AreEqual(2257, U16(l4, 0), "virtual 777 leaves as the set's 6th port");
        GsoTranslatorTests.AssertPartialIsPseudoHeaderSum(Pseudo6(V6(CeIpv6), V6(Remote6), 6, l4.Length), l4, 16);

        byte[] back = GsoTranslatorTests.PartialTcp(443, 2257, 20 * 1440, V6(Remote6), V6(CeIpv6));
        vnet = GsoTranslatorTests.Gso(VirtioNetHeader.GsoTcpV6, 40, 16, 1440, 60);
        Assert.AreEqual(DropReason.None, GsoTranslatorTests.Run(t, Ipv6(Remote6, CeIpv6, 6, back), ref vnet, out byte[] v4));
        byte[] l4In = Slice(v4, 20);
        Assert.AreEqual(777, U16(l4In, 2), "the real port comes back as the virtual one");
        GsoTranslatorTests.AssertPartialIsPseudoHeaderSum(Pseudo4(V4(Remote4), V4(CeIpv4), 6, l4In.Length), l4In, 16);
    }
}
