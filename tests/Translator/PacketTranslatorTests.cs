using Mapt.Translator;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Translator.TestPackets;

namespace Mapt.Tests.Translator;

[TestClass]
public sealed class PacketTranslatorTests
{
    private static PacketTranslator NewTranslator() => new(Rfc7599Addressing());

    [TestMethod]
    public void Translate4To6_UdpRfc7599Example3_MapSourceDmrDestinationValidChecksum()
    {
        var t = NewTranslator();
        byte[] data = Data(37);
        byte[] v4 = Ipv4(CeIpv4, Remote4, 17, Udp(PortIn, 80, data, V4(CeIpv4), V4(Remote4)), ttl: 33, tos: 0xb8);

        Assert.AreEqual(DropReason.None, Run(t, v4, out byte[] v6));

        Assert.AreEqual(40 + 8 + 37, v6.Length);
        Assert.AreEqual(6, v6[0] >> 4);
        Assert.AreEqual(0xb8, ((v6[0] & 0xf) << 4) | (v6[1] >> 4), "traffic class from TOS");
        Assert.AreEqual(8 + 37, U16(v6, 4));
        Assert.AreEqual(17, v6[6]);
        Assert.AreEqual(34, v6[7], "hop limit = TTL + 1: the kernel's forward out of the TUN takes the one back (the CE is one hop)");
        CollectionAssert.AreEqual(V6(CeIpv6), Slice(v6, 8, 16));
        CollectionAssert.AreEqual(V6(Remote6), Slice(v6, 24, 16));
        byte[] udp = Slice(v6, 40);
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 17, udp.Length), udp), "UDP checksum over the IPv6 pseudo-header");
        CollectionAssert.AreEqual(data, Slice(udp, 8));
        Assert.AreEqual(1, t.Counters.PacketsSent);
        Assert.AreEqual(v6.Length, t.Counters.BytesSent);
    }

    [TestMethod]
    public void Translate4To6_UdpZeroChecksum_ComputedForIpv6()
    {
        var t = NewTranslator();
        byte[] v4 = Ipv4(CeIpv4, Remote4, 17, Udp(PortIn, 53, Data(100), V4(CeIpv4), V4(Remote4), zeroChecksum: true));

        Assert.AreEqual(DropReason.None, Run(t, v4, out byte[] v6));

        byte[] udp = Slice(v6, 40);
        Assert.AreNotEqual(0, U16(udp, 6));
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 17, udp.Length), udp));
    }

    [TestMethod]
    public void Translate4To6_Tcp_ChecksumValidForIpv6PseudoHeader()
    {
        var t = NewTranslator();
        byte[] v4 = Ipv4(CeIpv4, Remote4, 6, Tcp(PortIn + 2, 443, Data(501), V4(CeIpv4), V4(Remote4)));

        Assert.AreEqual(DropReason.None, Run(t, v4, out byte[] v6));

        byte[] tcp = Slice(v6, 40);
        Assert.AreEqual(6, v6[6]);
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 6, tcp.Length), tcp));
    }

    [TestMethod]
    public void Translate4To6_SourcePortOutsideSet_DroppedAndCounted()
    {
        var t = NewTranslator();
        byte[] v4 = Ipv4(CeIpv4, Remote4, 17, Udp(PortOut, 80, Data(10), V4(CeIpv4), V4(Remote4)));

        Assert.AreEqual(DropReason.SourcePortOutsideSet, Run(t, v4, out _));

        Assert.AreEqual(1, t.Counters.Dropped(DropReason.SourcePortOutsideSet));
        Assert.AreEqual(1, t.Counters.DiscardPacketsSent);
        Assert.AreEqual(0, t.Counters.PacketsSent);
    }

    [TestMethod]
    public void Translate4To6_SourceNotCeAddress_Dropped()
    {
        var t = NewTranslator();
        byte[] v4 = Ipv4("198.51.100.130", Remote4, 17, Udp(PortIn, 80, Data(10), V4("198.51.100.130"), V4(Remote4)));

        Assert.AreEqual(DropReason.SourceNotMapAddress, Run(t, v4, out _));
    }

    [TestMethod]
    public void Translate4To6_SystemPortInAnySet_Dropped()
    {
        var t = NewTranslator();
        byte[] v4 = Ipv4(CeIpv4, Remote4, 6, Tcp(80, 80, Data(0), V4(CeIpv4), V4(Remote4)));

        Assert.AreEqual(DropReason.SourcePortOutsideSet, Run(t, v4, out _));
    }

    [TestMethod]
    public void Translate4To6_FmrDestination_PeerCeMapAddress()
    {
        var t = new PacketTranslator(Rfc7599Addressing(bmrIsFmr: true));
        // 192.0.2.99 port 1232 -> EA bits 0x63 | 0x34 -> 2001:db8:63:3400::/56, IID 0:c000:263:34.
        byte[] v4 = Ipv4(CeIpv4, "192.0.2.99", 17, Udp(PortIn, 1232, Data(8), V4(CeIpv4), V4("192.0.2.99")));

        Assert.AreEqual(DropReason.None, Run(t, v4, out byte[] v6));

        CollectionAssert.AreEqual(V6("2001:db8:63:3400:0:c000:263:34"), Slice(v6, 24, 16));
    }

    [TestMethod]
    public void Translate6To4_TcpFromDmr_CeIpv4WithValidChecksums()
    {
        var t = NewTranslator();
        byte[] v6 = Ipv6(Remote6, CeIpv6, 6, Tcp(80, PortIn, Data(300), V6(Remote6), V6(CeIpv6)), hop: 50, tc: 0x28);

        Assert.AreEqual(DropReason.None, Run(t, v6, out byte[] v4));

        Assert.AreEqual(20 + 320, v4.Length);
        Assert.AreEqual(0x45, v4[0]);
        Assert.AreEqual(0x28, v4[1], "TOS from traffic class");
        Assert.AreEqual(v4.Length, U16(v4, 2));
        Assert.AreEqual(0, U16(v4, 6), "DF clear at 340 bytes (RFC 7915 §5.1: set only above 1260), MF clear, offset 0");
        Assert.AreEqual(51, v4[8], "TTL = hop limit + 1 (the kernel's forward out of the TUN takes the one back)");
        Assert.AreEqual(6, v4[9]);
        CollectionAssert.AreEqual(V4(Remote4), Slice(v4, 12, 4));
        CollectionAssert.AreEqual(V4(CeIpv4), Slice(v4, 16, 4));
        Assert.AreEqual(0xffff, Sum(Slice(v4, 0, 20)), "IPv4 header checksum");
        byte[] tcp = Slice(v4, 20);
        Assert.AreEqual(0xffff, Sum(Pseudo4(V4(Remote4), V4(CeIpv4), 6, tcp.Length), tcp));
        Assert.AreEqual(1, t.Counters.PacketsReceived);
    }

    [TestMethod]
    public void Translate6To4_DestinationPortOutsideSet_DroppedAndCounted()
    {
        var t = NewTranslator();
        byte[] v6 = Ipv6(Remote6, CeIpv6, 17, Udp(80, PortOut, Data(10), V6(Remote6), V6(CeIpv6)));

        Assert.AreEqual(DropReason.DestinationPortOutsideSet, Run(t, v6, out _));

        Assert.AreEqual(1, t.Counters.Dropped(DropReason.DestinationPortOutsideSet));
        Assert.AreEqual(1, t.Counters.DiscardPacketsReceived);
    }

    [TestMethod]
    public void Translate6To4_AnotherCesAddress_DroppedNotMapAddress()
    {
        var t = NewTranslator();
        const string other = "2001:db8:12:3500:0:c000:212:35"; // PSID 0x35: the neighbour sharing 192.0.2.18
        byte[] v6 = Ipv6(Remote6, other, 17, Udp(80, PortOut, Data(10), V6(Remote6), V6(other)));

        Assert.AreEqual(DropReason.NotMapAddress, Run(t, v6, out _));
        Assert.AreEqual(1, t.Counters.Dropped(DropReason.NotMapAddress));
    }

    [TestMethod]
    public void Translate6To4_SourceOutsideDmr_Dropped()
    {
        var t = NewTranslator();
        const string stranger = "2001:db8:eeee::1";
        byte[] v6 = Ipv6(stranger, CeIpv6, 17, Udp(80, PortIn, Data(10), V6(stranger), V6(CeIpv6)));

        Assert.AreEqual(DropReason.SourceNotMappable, Run(t, v6, out _));
    }

    [TestMethod]
    public void Translate6To4_UdpZeroChecksum_Dropped()
    {
        var t = NewTranslator();
        byte[] v6 = Ipv6(Remote6, CeIpv6, 17, Udp(80, PortIn, Data(10), V6(Remote6), V6(CeIpv6), zeroChecksum: true));

        Assert.AreEqual(DropReason.UdpZeroChecksum, Run(t, v6, out _));
    }

    [TestMethod]
    public void Translate4To6_EchoRequest_Icmpv6EchoWithPseudoHeaderChecksum()
    {
        var t = NewTranslator();
        byte[] v4 = Ipv4(CeIpv4, Remote4, 1, Icmp(8, 0, (uint)(PortIn << 16 | 7), Data(56)));

        Assert.AreEqual(DropReason.None, Run(t, v4, out byte[] v6));

        Assert.AreEqual(58, v6[6]);
        byte[] icmp = Slice(v6, 40);
        Assert.AreEqual(128, icmp[0]);
        Assert.AreEqual(PortIn, U16(icmp, 4), "echo id kept");
        Assert.AreEqual(7, U16(icmp, 6), "sequence kept");
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 58, icmp.Length), icmp));
    }

    [TestMethod]
    public void Translate4To6_EchoRequestIdOutsideSet_Dropped()
    {
        var t = NewTranslator();
        byte[] v4 = Ipv4(CeIpv4, Remote4, 1, Icmp(8, 0, (uint)(PortOut << 16 | 1), Data(8)));

        Assert.AreEqual(DropReason.SourcePortOutsideSet, Run(t, v4, out _));
    }

    [TestMethod]
    public void Translate6To4_EchoReply_Icmpv4EchoReply()
    {
        var t = NewTranslator();
        byte[] v6 = Ipv6(Remote6, CeIpv6, 58, Icmp(129, 0, (uint)(PortIn << 16 | 9), Data(56), V6(Remote6), V6(CeIpv6)));

        Assert.AreEqual(DropReason.None, Run(t, v6, out byte[] v4));

        Assert.AreEqual(1, v4[9]);
        byte[] icmp = Slice(v4, 20);
        Assert.AreEqual(0, icmp[0]);
        Assert.AreEqual(0xffff, Sum(icmp), "ICMPv4 checksum has no pseudo-header");
        Assert.AreEqual(0xffff, Sum(Slice(v4, 0, 20)));
    }

    [TestMethod]
    public void Translate6To4_EchoReplyIdOutsideSet_Dropped()
    {
        var t = NewTranslator();
        byte[] v6 = Ipv6(Remote6, CeIpv6, 58, Icmp(129, 0, (uint)(PortOut << 16 | 9), Data(8), V6(Remote6), V6(CeIpv6)));

        Assert.AreEqual(DropReason.DestinationPortOutsideSet, Run(t, v6, out _));
    }

    [TestMethod]
    [DataRow(false, 1400, 1380)]
    [DataRow(true, 1400, 1372)]
    public void Translate6To4_PacketTooBig_FragmentationNeededWithMtuAdjusted(bool innerFragmentHeader, int mtu6, int expected)
    {
        var t = NewTranslator();
        byte[] innerTcp = Tcp(PortIn, 80, Data(60), V6(CeIpv6), V6(Remote6));
        byte[] inner = innerFragmentHeader
            ? Ipv6(CeIpv6, Remote6, 44, Concat(new byte[] { 6, 0, 0, 1, 0, 0, 0x12, 0x34 }, innerTcp))
            : Ipv6(CeIpv6, Remote6, 6, innerTcp);
        const string router6 = "2001:db8:ffff:0:cb:71:100:0";
        byte[] v6 = Ipv6(router6, CeIpv6, 58, Icmp(2, 0, (uint)mtu6, inner, V6(router6), V6(CeIpv6)));

        Assert.AreEqual(DropReason.None, Run(t, v6, out byte[] v4));

        byte[] icmp = Slice(v4, 20);
        Assert.AreEqual(3, icmp[0]);
        Assert.AreEqual(4, icmp[1]);
        Assert.AreEqual(expected, U16(icmp, 6), "next-hop MTU");
        Assert.AreEqual(0xffff, Sum(icmp));
        Assert.AreEqual(0xffff, Sum(Slice(v4, 0, 20)));
        byte[] innerV4 = Slice(icmp, 8);
        Assert.AreEqual(0x45, innerV4[0]);
        Assert.AreEqual(0xffff, Sum(Slice(innerV4, 0, 20)), "inner IPv4 header checksum");
        CollectionAssert.AreEqual(V4(CeIpv4), Slice(innerV4, 12, 4));
        CollectionAssert.AreEqual(V4(Remote4), Slice(innerV4, 16, 4));
        Assert.AreEqual(6, innerV4[9]);
        Assert.AreEqual(20 + innerTcp.Length, U16(innerV4, 2));
        byte[] tcp = Slice(innerV4, 20);
        Assert.AreEqual(0xffff, Sum(Pseudo4(V4(CeIpv4), V4(Remote4), 6, tcp.Length), tcp), "inner TCP checksum for IPv4");
        Assert.AreEqual(1, t.Counters.PacketTooBig);
    }

    [TestMethod]
    public void Translate4To6_FragmentationNeeded_PacketTooBigMtuPlus20()
    {
        var t = NewTranslator();
        // The CE received remote -> CE:1232 (DF) and an IPv4 hop behind it reports MTU 1400.
        byte[] innerUdp = Udp(53, PortIn, Data(40), V4(Remote4), V4(CeIpv4));
        byte[] inner = Ipv4(Remote4, CeIpv4, 17, innerUdp, ttl: 10);
        byte[] v4 = Ipv4(CeIpv4, Remote4, 1, Icmp(3, 4, 1400, inner));

        Assert.AreEqual(DropReason.None, Run(t, v4, out byte[] v6));

        byte[] icmp = Slice(v6, 40);
        Assert.AreEqual(2, icmp[0]);
        Assert.AreEqual(0, icmp[1]);
        Assert.AreEqual(1420u, U32(icmp, 4));
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 58, icmp.Length), icmp));
        byte[] inner6 = Slice(icmp, 8);
        Assert.AreEqual(6, inner6[0] >> 4);
        CollectionAssert.AreEqual(V6(Remote6), Slice(inner6, 8, 16));
        CollectionAssert.AreEqual(V6(CeIpv6), Slice(inner6, 24, 16));
        Assert.AreEqual(innerUdp.Length, U16(inner6, 4));
        byte[] udp = Slice(inner6, 40);
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(Remote6), V6(CeIpv6), 17, udp.Length), udp), "inner UDP checksum for IPv6");
    }

    [TestMethod]
    public void Translate6To4_TimeExceededFromRouter_Icmpv4TimeExceededInnerTranslated()
    {
        var t = NewTranslator();
        const string router4 = "203.0.113.1";
        const string router6 = "2001:db8:ffff:0:cb:71:100:0"; // 203.0.113.1 under the /64 DMR
        byte[] innerUdp = Udp(PortIn + 1, 33434, Data(12), V6(CeIpv6), V6(Remote6));
        byte[] inner = Ipv6(CeIpv6, Remote6, 17, innerUdp, hop: 1);
        byte[] v6 = Ipv6(router6, CeIpv6, 58, Icmp(3, 0, 0, inner, V6(router6), V6(CeIpv6)));

        Assert.AreEqual(DropReason.None, Run(t, v6, out byte[] v4));

        CollectionAssert.AreEqual(V4(router4), Slice(v4, 12, 4));
        byte[] icmp = Slice(v4, 20);
        Assert.AreEqual(11, icmp[0]);
        Assert.AreEqual(0, icmp[1]);
        Assert.AreEqual(0xffff, Sum(icmp));
        byte[] udp = Slice(icmp, 28);
        Assert.AreEqual(0xffff, Sum(Pseudo4(V4(CeIpv4), V4(Remote4), 17, udp.Length), udp));
    }

    [TestMethod]
    public void Translate6To4_ErrorAboutAnotherCesPacket_Dropped()
    {
        var t = NewTranslator();
        byte[] inner = Ipv6(CeIpv6, Remote6, 17, Udp(PortOut, 53, Data(4), V6(CeIpv6), V6(Remote6)));
        byte[] v6 = Ipv6(Remote6, CeIpv6, 58, Icmp(1, 4, 0, inner, V6(Remote6), V6(CeIpv6)));

        Assert.AreEqual(DropReason.DestinationPortOutsideSet, Run(t, v6, out _));
    }

    [TestMethod]
    public void Translate4To6_Fragments_FragmentHeaderAndLaterFragmentsMapped()
    {
        var t = NewTranslator();
        byte[] data = Data(40);
        byte[] udp = Udp(PortIn, 5000, data, V4(CeIpv4), V4(Remote4));
        byte[] first = Ipv4(CeIpv4, Remote4, 17, Slice(udp, 0, 24), id: 0xbeef, flags: 0x2000);
        byte[] second = Ipv4(CeIpv4, Remote4, 17, Slice(udp, 24), id: 0xbeef, flags: 3); // offset 24 bytes

        Assert.AreEqual(DropReason.None, Run(t, first, out byte[] f1));
        Assert.AreEqual(DropReason.None, Run(t, second, out byte[] f2));

        foreach (byte[] f in new[] { f1, f2 })
        {
            Assert.AreEqual(44, f[6]);
            Assert.AreEqual(17, f[40]);
            Assert.AreEqual(0xbeefu, U32(f, 44));
            CollectionAssert.AreEqual(V6(Remote6), Slice(f, 24, 16));
        }
        Assert.AreEqual(0 | 1, U16(f1, 42), "offset 0, M set");
        Assert.AreEqual(24, U16(f2, 42), "offset 3 units, M clear");
        Assert.AreEqual(24 + 8, U16(f1, 4));
        byte[] whole = Concat(Slice(f1, 48), Slice(f2, 48));
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 17, whole.Length), whole), "reassembled UDP checksum");
    }

    [TestMethod]
    public void Translate4To6_LaterFragmentWithoutFirst_Dropped()
    {
        var t = NewTranslator();
        byte[] second = Ipv4(CeIpv4, Remote4, 17, Data(16), id: 0x4242, flags: 3);

        Assert.AreEqual(DropReason.FragmentWithoutFirst, Run(t, second, out _));
    }

    [TestMethod]
    public void Translate4To6_FragmentedZeroChecksumUdp_Dropped()
    {
        var t = NewTranslator();
        byte[] udp = Udp(PortIn, 5000, Data(40), V4(CeIpv4), V4(Remote4), zeroChecksum: true);

        Assert.AreEqual(DropReason.UdpZeroChecksumFragment, Run(t, Ipv4(CeIpv4, Remote4, 17, Slice(udp, 0, 24), flags: 0x2000), out _));
    }

    [TestMethod]
    public void Translate6To4_Fragments_IdentificationOffsetAndPortFromFirst()
    {
        var t = NewTranslator();
        byte[] udp = Udp(53, PortIn, Data(40), V6(Remote6), V6(CeIpv6));
        byte[] fh1 = { 17, 0, 0, 1, 0x01, 0x02, 0xab, 0xcd };
        byte[] fh2 = { 17, 0, 0, 24, 0x01, 0x02, 0xab, 0xcd };
        byte[] first = Ipv6(Remote6, CeIpv6, 44, Concat(fh1, Slice(udp, 0, 24)));
        byte[] second = Ipv6(Remote6, CeIpv6, 44, Concat(fh2, Slice(udp, 24)));

        Assert.AreEqual(DropReason.None, Run(t, first, out byte[] f1));
        Assert.AreEqual(DropReason.None, Run(t, second, out byte[] f2));

        Assert.AreEqual(0xabcd, U16(f1, 4), "low 16 bits of the identification");
        Assert.AreEqual(0x2000, U16(f1, 6), "MF, offset 0, DF clear");
        Assert.AreEqual(3, U16(f2, 6), "offset 3 units");
        Assert.AreEqual(0xffff, Sum(Slice(f2, 0, 20)));
        byte[] whole = Concat(Slice(f1, 20), Slice(f2, 20));
        Assert.AreEqual(0xffff, Sum(Pseudo4(V4(Remote4), V4(CeIpv4), 17, whole.Length), whole));
    }

    [TestMethod]
    public void Translate6To4_LaterFragmentOfDroppedFirst_Dropped()
    {
        var t = NewTranslator();
        byte[] udp = Udp(53, PortOut, Data(40), V6(Remote6), V6(CeIpv6));
        byte[] first = Ipv6(Remote6, CeIpv6, 44, Concat(new byte[] { 17, 0, 0, 1, 0, 0, 0, 9 }, Slice(udp, 0, 24)));
        byte[] second = Ipv6(Remote6, CeIpv6, 44, Concat(new byte[] { 17, 0, 0, 24, 0, 0, 0, 9 }, Slice(udp, 24)));

        Assert.AreEqual(DropReason.DestinationPortOutsideSet, Run(t, first, out _));
        Assert.AreEqual(DropReason.DestinationPortOutsideSet, Run(t, second, out _), "the first one's port decides for the rest");
    }

    [TestMethod]
    public void Translate6To4_LaterFragmentBeforeFirst_BothTranslatedAndTheyJoin()
    {
        var t = NewTranslator();
        byte[] udp = Udp(53, PortIn, Data(40), V6(Remote6), V6(CeIpv6));
        byte[] first = Ipv6(Remote6, CeIpv6, 44, Concat(new byte[] { 17, 0, 0, 1, 0, 0, 0x12, 0x34 }, Slice(udp, 0, 24)));
        byte[] second = Ipv6(Remote6, CeIpv6, 44, Concat(new byte[] { 17, 0, 0, 24, 0, 0, 0x12, 0x34 }, Slice(udp, 24)));

        // Last-first, as some stacks send them.
        Assert.AreEqual(DropReason.None, Run(t, second, out byte[] f2));
        Assert.AreEqual(DropReason.None, Run(t, first, out byte[] f1));
        Assert.AreEqual(0x1234, U16(f2, 4));
        Assert.AreEqual(3, U16(f2, 6), "offset 3 units, last fragment");
        Assert.AreEqual(0x2000, U16(f1, 6));
        CollectionAssert.AreEqual(V4(CeIpv4), Slice(f2, 16, 4));
        byte[] whole = Concat(Slice(f1, 20), Slice(f2, 20));
        Assert.AreEqual(0xffff, Sum(Pseudo4(V4(Remote4), V4(CeIpv4), 17, whole.Length), whole), "the reassembled datagram's checksum holds");
    }

    [TestMethod]
    public void Translate_Truncated_MalformedNeverThrows()
    {
        var t = NewTranslator();
        byte[] v4 = Ipv4(CeIpv4, Remote4, 17, Udp(PortIn, 80, Data(10), V4(CeIpv4), V4(Remote4)));
        byte[] v6 = Ipv6(Remote6, CeIpv6, 6, Tcp(80, PortIn, Data(10), V6(Remote6), V6(CeIpv6)));
        for (int n = 0; n < v4.Length - 10; n++)
            Assert.AreNotEqual(DropReason.None, Run(t, Slice(v4, 0, n), out _), "IPv4 cut at " + n);
        for (int n = 1; n < v6.Length - 10; n++)
            Assert.AreNotEqual(DropReason.None, Run(t, Slice(v6, 0, n), out _), "IPv6 cut at " + n);
    }

    [TestMethod]
    [DataRow(0, 0)]
    [DataRow(1, 1)]
    [DataRow(2, 4)]
    [DataRow(8, 7)]
    [DataRow(9, 6)]
    [DataRow(14, 8)]
    [DataRow(19, 24)]
    [DataRow(5, -1)]
    public void PointerFrom4_Rfc7915Figure3(int pointer4, int pointer6) =>
        Assert.AreEqual(pointer6, PacketTranslator.PointerFrom4(pointer4));

    [TestMethod]
    [DataRow(0, 0)]
    [DataRow(4, 2)]
    [DataRow(6, 9)]
    [DataRow(7, 8)]
    [DataRow(8, 12)]
    [DataRow(39, 16)]
    [DataRow(2, -1)]
    public void PointerFrom6_Rfc7915Figure6(int pointer6, int pointer4) =>
        Assert.AreEqual(pointer4, PacketTranslator.PointerFrom6(pointer6));

    [TestMethod]
    public void Reconfigure_NewAddressing_OldAddressDroppedAndFragmentsForgotten()
    {
        var t = NewTranslator();
        byte[] udp = Udp(PortIn, 5000, Data(40), V4(CeIpv4), V4(Remote4));
        Assert.AreEqual(DropReason.None, Run(t, Ipv4(CeIpv4, Remote4, 17, Slice(udp, 0, 24), id: 0x99, flags: 0x2000), out _));

        // A new lease: another End-user prefix, so another IPv4 address (192.0.2.19) and PSID.
        Mapt.Map.MapRule bmr = Mapt.Tests.Map.MapValues.Rule("2001:db8::/40", "192.0.2.0/24", 16);
        Mapt.Map.Dmr.TryCreate(Mapt.Tests.Map.MapValues.P6("2001:db8:ffff::/64"), out Mapt.Map.Dmr dmr, out _);
        t.Reconfigure(new MapAddressing(Mapt.Tests.Map.MapValues.Compute(bmr, "2001:db8:13:3400::/56"),
            new Mapt.Map.MapRuleSet(new[] { bmr }, dmr)));

        Assert.AreEqual(DropReason.SourceNotMapAddress, Run(t, Ipv4(CeIpv4, Remote4, 17, udp), out _));
        Assert.AreEqual(DropReason.FragmentWithoutFirst,
            Run(t, Ipv4("192.0.2.19", Remote4, 17, Slice(udp, 24), id: 0x99, flags: 3), out _));
        byte[] fresh = Ipv4("192.0.2.19", Remote4, 17, Udp(PortIn, 80, Data(4), V4("192.0.2.19"), V4(Remote4)));
        Assert.AreEqual(DropReason.None, Run(t, fresh, out byte[] v6));
        CollectionAssert.AreEqual(V6("2001:db8:13:3400:0:c000:213:34"), Slice(v6, 8, 16));
    }

    [TestMethod]
    public void Translate6To4_MulticastFromHostStack_CountedApart()
    {
        var t = NewTranslator();
        byte[] mld = Ipv6("fe80::1", "ff02::16", 58, Icmp(143, 0, 0, Data(20), V6("fe80::1"), V6("ff02::16")));

        Assert.AreEqual(DropReason.Multicast, Run(t, mld, out _));
        Assert.AreEqual(0, t.Counters.Dropped(DropReason.NotMapAddress));
    }

    [TestMethod]
    public void Translate6To4_ErrorFromIpv6OnlyRouter_DummySource192_0_0_8()
    {
        var t = NewTranslator();
        const string router = "2001:db8:1::1"; // outside the DMR and every FMR
        byte[] inner = Ipv6(CeIpv6, Remote6, 17, Udp(PortIn, 33434, Data(12), V6(CeIpv6), V6(Remote6)), hop: 1);
        byte[] error = Ipv6(router, CeIpv6, 58, Icmp(3, 0, 0, inner, V6(router), V6(CeIpv6)));
        byte[] data = Ipv6(router, CeIpv6, 17, Udp(53, PortIn, Data(4), V6(router), V6(CeIpv6)));

        Assert.AreEqual(DropReason.None, Run(t, error, out byte[] v4));
        CollectionAssert.AreEqual(V4("192.0.0.8"), Slice(v4, 12, 4));
        Assert.AreEqual(11, v4[20]);
        Assert.AreEqual(0xffff, Sum(Slice(v4, 0, 20)));
        Assert.AreEqual(DropReason.SourceNotMappable, Run(t, data, out _), "only errors get the dummy source");
    }

    [TestMethod]
    public void Translate_HotPath_AllocatesNothing()
    {
        var t = NewTranslator();
        byte[][] packets =
        {
            Ipv4(CeIpv4, Remote4, 17, Udp(PortIn, 80, Data(64), V4(CeIpv4), V4(Remote4))),
            Ipv4(CeIpv4, Remote4, 17, Udp(PortIn, 80, Data(64), V4(CeIpv4), V4(Remote4), zeroChecksum: true)),
            Ipv6(Remote6, CeIpv6, 6, Tcp(80, PortIn, Data(64), V6(Remote6), V6(CeIpv6))),
            Ipv6(Remote6, CeIpv6, 58, Icmp(129, 0, (uint)PortIn << 16, Data(16), V6(Remote6), V6(CeIpv6))),
            Ipv6(Remote6, CeIpv6, 58, Icmp(2, 0, 1400, Ipv6(CeIpv6, Remote6, 6, Tcp(PortIn, 80, Data(8), V6(CeIpv6), V6(Remote6))),
                V6(Remote6), V6(CeIpv6))),
            Ipv4(CeIpv4, Remote4, 1, Icmp(3, 3, 0, Ipv4(Remote4, CeIpv4, 17, Udp(53, PortIn, Data(8), V4(Remote4), V4(CeIpv4))))),
            Ipv4(CeIpv4, Remote4, 17, Udp(PortOut, 80, Data(8), V4(CeIpv4), V4(Remote4))),
        };
        var buffer = new byte[PacketTranslator.Headroom + 2048];
        void RunAll()
        {
            foreach (byte[] p in packets)
            {
                p.CopyTo(buffer, PacketTranslator.Headroom);
                int start = PacketTranslator.Headroom, length = p.Length;
                t.Translate(buffer, ref start, ref length);
            }
        }
        for (int i = 0; i < 200; i++)
            RunAll(); // JIT and static initialisation first

        // The JIT host's tiering (call counting, re-compilation) can charge a few bytes to this
        // thread in one round; an allocation on the hot path would show in every round. The
        // product is AOT-compiled and has no tiering.
        long allocated = long.MaxValue;
        int rounds = 0;
        while (allocated != 0 && rounds < 3)
        {
            rounds++;
            long before = System.GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
                RunAll();
            allocated = System.GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.AreEqual(0, allocated, $"bytes allocated for 7000 packets in each of {rounds} rounds");
        Assert.AreEqual(200 + rounds * 1000, t.Counters.Dropped(DropReason.SourcePortOutsideSet));
    }
}
