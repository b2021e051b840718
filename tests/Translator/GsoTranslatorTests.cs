using System;
using Mapt.Translator;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Translator.TestPackets;

namespace Mapt.Tests.Translator;

/// <summary>
/// PacketTranslator.TranslateOffloaded on packets built as the kernel hands them to a TUN
/// device with IFF_VNET_HDR and TUNSETOFFLOAD: GSO super-packets (up to 64 KB) and single
/// packets whose TCP/UDP checksum field holds only the pseudo-header sum (NEEDS_CSUM). Every
/// result is checked by completing the checksum in the test, as the kernel would per segment.
/// </summary>
[TestClass]
public sealed class GsoTranslatorTests
{
    /// <summary>A TCP/UDP packet as the kernel's partial checksum leaves it: the field is the pseudo-header sum, not complemented.</summary>
    internal static byte[] PartialTcp(int sport, int dport, int payload, byte[] src, byte[] dst)
    {
        byte[] tcp = Tcp(sport, dport, Data(payload), src, dst);
        int sum = Sum(src.Length == 4 ? Pseudo4(src, dst, 6, tcp.Length) : Pseudo6(src, dst, 6, tcp.Length));
        tcp[16] = (byte)(sum >> 8);
        tcp[17] = (byte)sum;
        return tcp;
    }

    internal static DropReason Run(PacketTranslator t, byte[] packet, ref VirtioNetHeader vnet, out byte[] output)
    {
        var buffer = new byte[PacketTranslator.Headroom + packet.Length + 64];
        packet.CopyTo(buffer, PacketTranslator.Headroom);
        int start = PacketTranslator.Headroom, length = packet.Length;
        DropReason r = t.TranslateOffloaded(buffer, ref start, ref length, ref vnet);
        output = r == DropReason.None ? buffer.AsSpan(start, length).ToArray() : buffer.AsSpan(PacketTranslator.Headroom, packet.Length).ToArray();
        return r;
    }

    /// <summary>What the kernel does per segment: the sum over the transport part, seeded by the field, must make the pseudo-header check out.</summary>
    internal static void AssertPartialIsPseudoHeaderSum(byte[] pseudo, byte[] l4, int field)
    {
        int expected = Sum(pseudo);
        int got = U16(l4, field);
        Assert.IsTrue(got == expected || (expected == 0xffff && got == 0) || (expected == 0 && got == 0xffff),
            $"partial checksum 0x{got:x4}, pseudo-header sum 0x{expected:x4}");
        // Completed as the device would: ~(sum over the transport part with the seed in place).
        byte[] done = (byte[])l4.Clone();
        int c = ~Sum(done) & 0xffff;
        done[field] = (byte)(c >> 8);
        done[field + 1] = (byte)c;
        Assert.AreEqual(0xffff, Sum(pseudo, done), "the completed checksum verifies");
    }

    internal static VirtioNetHeader Gso(byte type, int l4, int offset, int gsoSize, int hdrLen) => new()
    {
        Flags = VirtioNetHeader.NeedsCsum, GsoType = type, CsumStart = (ushort)l4, CsumOffset = (ushort)offset,
        GsoSize = (ushort)gsoSize, HdrLen = (ushort)hdrLen,
    };

    [TestMethod]
    public void VirtioNetHeader_ReadWrite_LittleEndianAsTheTunDriver()
    {
        byte[] raw = { 1, 4, 60, 0, 0xa0, 5, 40, 0, 16, 0 };
        var h = VirtioNetHeader.Read(raw);
        Assert.AreEqual(VirtioNetHeader.NeedsCsum, h.Flags);
        Assert.AreEqual(VirtioNetHeader.GsoTcpV6, h.GsoType);
        Assert.AreEqual(60, h.HdrLen);
        Assert.AreEqual(1440, h.GsoSize);
        Assert.AreEqual(40, h.CsumStart);
        Assert.AreEqual(16, h.CsumOffset);
        var back = new byte[10];
        h.Write(back);
        CollectionAssert.AreEqual(raw, back);
    }

    [TestMethod]
    public void Gso4To6_TcpSuperPacket_HeaderRewrittenOnceAndPartialChecksumForTheIpv6PseudoHeader()
    {
        var t = new PacketTranslator(Rfc7599Addressing());
        const int mss = 1440, payload = 44 * mss + 100; // 45 segments, 63,460 bytes of payload
        byte[] tcp = PartialTcp(PortIn, 443, payload, V4(CeIpv4), V4(Remote4));
        byte[] v4 = Ipv4(CeIpv4, Remote4, 6, tcp);
        VirtioNetHeader vnet = Gso(VirtioNetHeader.GsoTcpV4 | VirtioNetHeader.GsoEcn, 20, 16, mss, 40);

        Assert.AreEqual(DropReason.None, Run(t, v4, ref vnet, out byte[] v6));

        Assert.AreEqual(6, v6[0] >> 4);
        Assert.AreEqual(tcp.Length, U16(v6, 4), "one IPv6 header for the whole super-packet");
        CollectionAssert.AreEqual(V6(CeIpv6), Slice(v6, 8, 16));
        CollectionAssert.AreEqual(V6(Remote6), Slice(v6, 24, 16));
        byte[] l4 = Slice(v6, 40);
        AssertPartialIsPseudoHeaderSum(Pseudo6(V6(CeIpv6), V6(Remote6), 6, l4.Length), l4, 16);
        Assert.AreEqual(VirtioNetHeader.GsoTcpV6 | VirtioNetHeader.GsoEcn, vnet.GsoType, "TCPV4 -> TCPV6, the ECN bit kept");
        Assert.AreEqual(VirtioNetHeader.NeedsCsum, vnet.Flags);
        Assert.AreEqual(40, vnet.CsumStart);
        Assert.AreEqual(16, vnet.CsumOffset);
        Assert.AreEqual(60, vnet.HdrLen);
        Assert.AreEqual(mss, vnet.GsoSize, "40 + 20 + 1440 = 1500 fits the IPv6 MTU of 1500");
        Assert.AreEqual(45, t.Counters.PacketsSent, "counted as the segments the kernel cuts");
        Assert.AreEqual(v6.Length + 44L * 60, t.Counters.BytesSent, "bytes: the segments' IP lengths");
        Assert.AreEqual(1, t.Counters.GsoPacketsSent);
    }

    [TestMethod]
    public void Gso4To6_SegmentsTooBigForTheIpv6Mtu_GsoSizeCutBy20()
    {
        var t = new PacketTranslator(Rfc7599Addressing()) { Ipv6Mtu = 1500 };
        const int mss = 1460; // an IPv4 segment of 1500: 1520 once translated
        byte[] v4 = Ipv4(CeIpv4, Remote4, 6, PartialTcp(PortIn, 443, 10 * mss, V4(CeIpv4), V4(Remote4)));
        VirtioNetHeader vnet = Gso(VirtioNetHeader.GsoTcpV4, 20, 16, mss, 40);

        Assert.AreEqual(DropReason.None, Run(t, v4, ref vnet, out byte[] v6));

        Assert.AreEqual(1440, vnet.GsoSize, "segments of 40 + 20 + 1440 = 1500");
        Assert.AreEqual(11, t.Counters.PacketsSent, "14,600 bytes in 1440-byte segments: 11");
        Assert.AreEqual(6, v6[0] >> 4);
    }

    [TestMethod]
    public void Gso6To4_TcpSuperPacket_TcpV4WithDfPerSegmentIdsReservedAndValidHeaderChecksum()
    {
        var t = new PacketTranslator(Rfc7599Addressing());
        const int mss = 1440, payload = 20 * mss;
        byte[] tcp = PartialTcp(443, PortIn, payload, V6(Remote6), V6(CeIpv6));
        byte[] v6 = Ipv6(Remote6, CeIpv6, 6, tcp);
        VirtioNetHeader vnet = Gso(VirtioNetHeader.GsoTcpV6, 40, 16, mss, 60);

        Assert.AreEqual(DropReason.None, Run(t, v6, ref vnet, out byte[] v4));
        int firstId = U16(v4, 4);

        Assert.AreEqual(0x45, v4[0]);
        Assert.AreEqual(20 + tcp.Length, U16(v4, 2));
        Assert.AreEqual(0x4000, U16(v4, 6), "DF: a segment of 20 + 20 + 1440 is above 1260 (RFC 7915 §5.1)");
        Assert.AreEqual(0xffff, Sum(Slice(v4, 0, 20)), "IPv4 header checksum");
        byte[] l4 = Slice(v4, 20);
        AssertPartialIsPseudoHeaderSum(Pseudo4(V4(Remote4), V4(CeIpv4), 6, l4.Length), l4, 16);
        Assert.AreEqual(VirtioNetHeader.GsoTcpV4, vnet.GsoType);
        Assert.AreEqual(20, vnet.CsumStart);
        Assert.AreEqual(40, vnet.HdrLen);
        Assert.AreEqual(mss, vnet.GsoSize);
        Assert.AreEqual(20, t.Counters.PacketsReceived);
        Assert.AreEqual(1, t.Counters.GsoPacketsReceived);

        // The kernel numbers the 20 segments firstId .. firstId + 19: the next packet's id comes after them.
        byte[] next = Ipv6(Remote6, CeIpv6, 17, Udp(53, PortIn, Data(10), V6(Remote6), V6(CeIpv6)));
        Assert.AreEqual(DropReason.None, TestPackets.Run(t, next, out byte[] after));
        Assert.AreEqual((firstId + 20) & 0xffff, U16(after, 4));
    }

    [TestMethod]
    public void Gso6To4_SmallSegments_NoDf()
    {
        var t = new PacketTranslator(Rfc7599Addressing());
        byte[] v6 = Ipv6(Remote6, CeIpv6, 6, PartialTcp(443, PortIn, 5000, V6(Remote6), V6(CeIpv6)));
        VirtioNetHeader vnet = Gso(VirtioNetHeader.GsoTcpV6, 40, 16, 1000, 60);
        Assert.AreEqual(DropReason.None, Run(t, v6, ref vnet, out byte[] v4));
        Assert.AreEqual(0, U16(v4, 6) & 0x4000, "segments of 1040 bytes: DF clear, as a 1040-byte packet would have it");
        Assert.AreEqual(0xffff, Sum(Slice(v4, 0, 20)));
    }

    [TestMethod]
    public void Gso_PortOutsideTheSet_DroppedWithEveryCheckOfThePerPacketPath_CountedAsItsSegments()
    {
        var t = new PacketTranslator(Rfc7599Addressing());
        byte[] v4 = Ipv4(CeIpv4, Remote4, 6, PartialTcp(PortOut, 443, 10 * 1440, V4(CeIpv4), V4(Remote4)));
        VirtioNetHeader vnet = Gso(VirtioNetHeader.GsoTcpV4, 20, 16, 1440, 40);
        Assert.AreEqual(DropReason.SourcePortOutsideSet, Run(t, v4, ref vnet, out byte[] asRead));
        Assert.AreEqual(10, t.Counters.Dropped(DropReason.SourcePortOutsideSet));
        Assert.AreEqual(10, t.Counters.DiscardPacketsSent);
        Assert.AreEqual(0, t.Counters.GsoPacketsSent);
        CollectionAssert.AreEqual(v4, asRead, "the packet left as read, for the ICMP error that quotes it");

        byte[] in6 = Ipv6(Remote6, CeIpv6, 6, PartialTcp(443, PortOut, 5 * 1440, V6(Remote6), V6(CeIpv6)));
        vnet = Gso(VirtioNetHeader.GsoTcpV6, 40, 16, 1440, 60);
        Assert.AreEqual(DropReason.DestinationPortOutsideSet, Run(t, in6, ref vnet, out _));
        Assert.AreEqual(5, t.Counters.DiscardPacketsReceived);

        byte[] other = Ipv6(Remote6, "2001:db8:12:3400:0:c000:212:35", 6, PartialTcp(443, PortIn, 5 * 1440, V6(Remote6), V6(CeIpv6)));
        vnet = Gso(VirtioNetHeader.GsoTcpV6, 40, 16, 1440, 60);
        Assert.AreEqual(DropReason.NotMapAddress, Run(t, other, ref vnet, out _));
    }

    [TestMethod]
    public void Gso_TypeNotMatchingThePacket_Malformed()
    {
        var t = new PacketTranslator(Rfc7599Addressing());
        byte[] v4 = Ipv4(CeIpv4, Remote4, 6, PartialTcp(PortIn, 443, 4 * 1440, V4(CeIpv4), V4(Remote4)));
        VirtioNetHeader vnet = Gso(VirtioNetHeader.GsoTcpV6, 20, 16, 1440, 40);
        Assert.AreEqual(DropReason.Malformed, Run(t, v4, ref vnet, out _));
    }

    [TestMethod]
    public void Partial4To6_SmallUdp_PseudoHeaderSumMovedToIpv6()
    {
        var t = new PacketTranslator(Rfc7599Addressing());
        byte[] udp = Udp(PortIn, 5201, Data(36), V4(CeIpv4), V4(Remote4));
        int sum = Sum(Pseudo4(V4(CeIpv4), V4(Remote4), 17, udp.Length));
        udp[6] = (byte)(sum >> 8);
        udp[7] = (byte)sum;
        VirtioNetHeader vnet = new() { Flags = VirtioNetHeader.NeedsCsum, CsumStart = 20, CsumOffset = 6 };

        Assert.AreEqual(DropReason.None, Run(t, Ipv4(CeIpv4, Remote4, 17, udp), ref vnet, out byte[] v6));

        AssertPartialIsPseudoHeaderSum(Pseudo6(V6(CeIpv6), V6(Remote6), 17, udp.Length), Slice(v6, 40), 6);
        Assert.AreEqual(40, vnet.CsumStart);
        Assert.AreEqual(VirtioNetHeader.GsoNone, vnet.GsoType);
        Assert.AreEqual(1, t.Counters.PacketsSent);
    }

    [TestMethod]
    public void CompleteChecksum_PartialTcp_FullChecksumAndFlagCleared()
    {
        byte[] tcp = PartialTcp(PortIn, 443, 1000, V4(CeIpv4), V4(Remote4));
        byte[] v4 = Ipv4(CeIpv4, Remote4, 6, tcp);
        VirtioNetHeader vnet = new() { Flags = VirtioNetHeader.NeedsCsum, CsumStart = 20, CsumOffset = 16 };
        PacketTranslator.CompleteChecksum(v4, ref vnet);
        Assert.AreEqual(0, vnet.Flags & VirtioNetHeader.NeedsCsum);
        Assert.AreEqual(0xffff, Sum(Pseudo4(V4(CeIpv4), V4(Remote4), 6, tcp.Length), Slice(v4, 20)));
    }
}
