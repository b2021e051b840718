using System;
using Mapt.Translator;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Translator.TestPackets;

namespace Mapt.Tests.Translator;

/// <summary>
/// The points of issue 16 ("RFC 7915: what the corpus found") on hand-built packets: DF and
/// Identification (§5.1), one hop (§4.1, §5.1), the MTU of translated Packet Too Big and
/// Fragmentation Needed (§4.2, §5.2, §6), zero-checksum UDP fragments (§4.5), source routes
/// (§4.1) and the ICMP errors owed for discarded packets (§4.4, §5.1, §5.4). The wire-level
/// corpus (tests/Translator/corpus) checks the same on the running translator.
/// </summary>
[TestClass]
public sealed class Rfc7915ConformanceTests
{
    private static PacketTranslator NewTranslator() => new(Rfc7599Addressing());

    private static byte[] InboundUdp(int dataLength, int hop = 64) =>
        Ipv6(Remote6, CeIpv6, 17, Udp(53, PortIn, Data(dataLength), V6(Remote6), V6(CeIpv6)), hop: hop);

    [TestMethod]
    [DataRow(1232, 1260, false)] // 40 + 8 + 1232 = 1280 IPv6 bytes, the IPv6 minimum MTU: 1260 IPv4 bytes
    [DataRow(1233, 1261, true)]
    [DataRow(100, 128, false)]
    [DataRow(1400, 1428, true)]
    public void Translate6To4_Unfragmented_DfOnlyAbove1260Bytes(int data, int total, bool df)
    {
        var t = NewTranslator();
        Assert.AreEqual(DropReason.None, Run(t, InboundUdp(data), out byte[] v4));

        Assert.AreEqual(total, U16(v4, 2));
        Assert.AreEqual(df ? 0x4000 : 0, U16(v4, 6), "DF by size, MF clear, offset 0 (RFC 7915 §5.1)");
        Assert.AreEqual(0xffff, Sum(Slice(v4, 0, 20)), "header checksum");
    }

    [TestMethod]
    public void Translate6To4_Unfragmented_IdentificationFromAGenerator()
    {
        var t = NewTranslator();
        var seen = new System.Collections.Generic.HashSet<int>();
        for (int i = 0; i < 50; i++)
        {
            byte[] packet = i % 2 == 0 ? InboundUdp(20)
                : Ipv6(Remote6, CeIpv6, 58, Icmp(129, 0, (uint)(PortIn << 16 | i), Data(8), V6(Remote6), V6(CeIpv6)));
            Assert.AreEqual(DropReason.None, Run(t, packet, out byte[] v4));
            Assert.AreEqual(0xffff, Sum(Slice(v4, 0, 20)));
            seen.Add(U16(v4, 4));
        }
        Assert.AreEqual(50, seen.Count, "50 packets of one flow (UDP and echo replies), 50 identifications");
    }

    [TestMethod]
    [DataRow(64, 65)]
    [DataRow(1, 2)]
    [DataRow(254, 255)]
    [DataRow(255, 255)]
    public void Translate_BothDirections_TtlAndHopLimitPlusOneForTheKernelsSecondForward(int before, int after)
    {
        var t = NewTranslator();
        Assert.AreEqual(DropReason.None, Run(t, Ipv4(CeIpv4, Remote4, 17, Udp(PortIn, 80, Data(8), V4(CeIpv4), V4(Remote4)), ttl: before), out byte[] v6));
        Assert.AreEqual(after, v6[7]);
        Assert.AreEqual(DropReason.None, Run(t, InboundUdp(8, hop: before), out byte[] v4));
        Assert.AreEqual(after, v4[8]);
        Assert.AreEqual(DropReason.None, Run(t, Ipv4(CeIpv4, Remote4, 1, Icmp(8, 0, (uint)(PortIn << 16), Data(8)), ttl: before), out byte[] echo6));
        Assert.AreEqual(after, echo6[7], "echo requests too");
    }

    [TestMethod]
    [DataRow(1000, 0x4000, 1500, 1500, 1280)] // below the IPv6 minimum MTU: 1280
    [DataRow(0, 0x4000, 1500, 1500, 1500)]    // RFC 1191 plateau below 1500 is 1492: +20, min with the WAN
    [DataRow(0, 0x4000, 1400, 1500, 1280)]    // plateau 1006 + 20 < 1280
    [DataRow(0, 0x4000, 4000, 9000, 2022)]    // plateau 2002 + 20 on a jumbo WAN
    [DataRow(1500, 0x4000, 1500, 1500, 1500)] // 1520 bounded by the next-hop MTUs
    [DataRow(1400, 0x4000, 1500, 1500, 1420)]
    [DataRow(1400, 0x2000, 1000, 1500, 1428)] // MF: it was an IPv6 fragment, +28
    [DataRow(1400, 0, 1400, 1500, 1428)]      // DF clear above 1260 bytes: it had a Fragment header
    [DataRow(1400, 0, 1000, 1500, 1420)]      // DF clear at 1000 bytes: unfragmented IPv6 (RFC 7915 §5.1)
    public void PacketTooBigMtu_Rfc7915Section4_2(int advertised, int innerFlags, int innerTotal, int ipv6Mtu, int expected)
    {
        var t = NewTranslator();
        t.Ipv6Mtu = ipv6Mtu;
        Assert.AreEqual(expected, t.PacketTooBigMtu(advertised, innerFlags, innerTotal));
    }

    [TestMethod]
    [DataRow(2000u, false, 1480L)]       // the issue's case: min(1980, WAN 1500 - 20)
    [DataRow(1400u, false, 1380L)]
    [DataRow(1400u, true, 1372L)]
    [DataRow(1000u, false, 1260L)]       // an IPv6 link has at least 1280
    [DataRow(1280u, true, 1252L)]
    [DataRow(0xffffffffu, false, 1480L)]
    public void FragmentationNeededMtu_Rfc7915Section5_2(uint advertised, bool fragmentHeader, long expected) =>
        Assert.AreEqual(expected, NewTranslator().FragmentationNeededMtu(advertised, fragmentHeader));

    [TestMethod]
    public void Translate_IssueMtuExamples_BoundedOnTheWire()
    {
        var t = NewTranslator();
        // An IPv4 hop behind the LAN reports 1000: the IPv6 sender hears 1280, not 1020.
        byte[] inner4 = Ipv4(Remote4, CeIpv4, 17, Udp(53, PortIn, Data(1400), V4(Remote4), V4(CeIpv4)));
        Assert.AreEqual(DropReason.None, Run(t, Ipv4(CeIpv4, Remote4, 1, Icmp(3, 4, 1000, Slice(inner4, 0, 548))), out byte[] ptb));
        Assert.AreEqual(1280u, U32(ptb, 44));
        byte[] icmp6 = Slice(ptb, 40);
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 58, icmp6.Length), icmp6));
        // An IPv6 Packet Too Big of 2000: the IPv4 sender hears 1480 (the WAN's 1500 - 20), not 1980.
        byte[] inner6 = Ipv6(CeIpv6, Remote6, 17, Udp(PortIn, 53, Data(100), V6(CeIpv6), V6(Remote6)));
        Assert.AreEqual(DropReason.None, Run(t, Ipv6(Remote6, CeIpv6, 58, Icmp(2, 0, 2000, inner6, V6(Remote6), V6(CeIpv6))), out byte[] fn));
        Assert.AreEqual(1480, U16(fn, 26));
        Assert.AreEqual(0xffff, Sum(Slice(fn, 20)));
    }

    [TestMethod]
    public void Translate4To6_ZeroChecksumUdpFragments_FirstAndLaterDropped()
    {
        var t = NewTranslator();
        byte[] udp = Udp(PortIn, 5000, Data(40), V4(CeIpv4), V4(Remote4), zeroChecksum: true);
        byte[] first = Ipv4(CeIpv4, Remote4, 17, Slice(udp, 0, 24), id: 0x77, flags: 0x2000);
        byte[] second = Ipv4(CeIpv4, Remote4, 17, Slice(udp, 24), id: 0x77, flags: 3);

        Assert.AreEqual(DropReason.UdpZeroChecksumFragment, Run(t, first, out _));
        Assert.AreEqual(DropReason.UdpZeroChecksumFragment, Run(t, second, out _), "RFC 7915 §4.5: the whole datagram is dropped");
        Assert.AreEqual(2, t.Counters.Dropped(DropReason.UdpZeroChecksumFragment));
        Assert.AreEqual(0, t.Counters.PacketsSent);
    }

    private static byte[] WithOptions(byte[] v4, byte[] options)
    {
        byte[] h = Concat(Slice(v4, 0, 20), options, Slice(v4, 20));
        h[0] = (byte)(0x40 | (20 + options.Length) / 4);
        int total = h.Length;
        h[2] = (byte)(total >> 8); h[3] = (byte)total;
        byte[] header = Slice(h, 0, 20 + options.Length);
        SetChecksum(header, 10, header);
        return Concat(header, Slice(h, 20 + options.Length));
    }

    [TestMethod]
    public void Translate4To6_SourceRouteOption_DroppedUnlessExpired()
    {
        var t = NewTranslator();
        byte[] udp = Ipv4(CeIpv4, Remote4, 17, Udp(PortIn, 80, Data(8), V4(CeIpv4), V4(Remote4)));
        // LSRR (131), length 7, pointer 4: one hop still to go.
        byte[] lsrr = { 131, 7, 4, 198, 51, 100, 9, 0 };
        // SSRR (137) with the pointer past its end: the route is done, nothing to follow.
        byte[] ssrrDone = { 137, 7, 8, 198, 51, 100, 9, 0 };
        // Record Route (7) and NOPs: ignored, as RFC 7915 §4.1 says for options.
        byte[] recordRoute = { 1, 7, 7, 4, 0, 0, 0, 0, 0, 0, 0, 0 };

        Assert.AreEqual(DropReason.SourceRoute, Run(t, WithOptions(udp, lsrr), out _));
        Assert.AreEqual(DropReason.None, Run(t, WithOptions(udp, ssrrDone), out byte[] v6));
        Assert.AreEqual(40 + 16, v6.Length, "options are not carried");
        Assert.AreEqual(DropReason.None, Run(t, WithOptions(udp, recordRoute), out v6));
        byte[] l4 = Slice(v6, 40);
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 17, l4.Length), l4));
    }

    /// <summary>Translate, and on a drop ask for the error as the TUN handler does.</summary>
    private static DropReason RunWithError(PacketTranslator t, byte[] packet, long nowMs, out byte[] error)
    {
        var buffer = new byte[PacketTranslator.Headroom + packet.Length + 64];
        packet.CopyTo(buffer, PacketTranslator.Headroom);
        int start = PacketTranslator.Headroom, length = packet.Length;
        DropReason r = t.Translate(buffer, ref start, ref length);
        error = r != DropReason.None && t.TryBuildError(buffer, ref start, ref length, r, nowMs)
            ? buffer.AsSpan(start, length).ToArray() : Array.Empty<byte>();
        return r;
    }

    [TestMethod]
    [DataRow(DropReason.SourcePortOutsideSet, 13)]
    [DataRow(DropReason.SourceRoute, 5)]
    public void TryBuildError_DiscardedIpv4_Icmpv4DestinationUnreachableToTheSender(DropReason reason, int code)
    {
        var t = NewTranslator();
        byte[] packet = reason == DropReason.SourceRoute
            ? WithOptions(Ipv4(CeIpv4, Remote4, 17, Udp(PortIn, 80, Data(700), V4(CeIpv4), V4(Remote4))), new byte[] { 131, 7, 4, 1, 2, 3, 4, 0 })
            : Ipv4(CeIpv4, Remote4, 17, Udp(PortOut, 80, Data(700), V4(CeIpv4), V4(Remote4)));

        Assert.AreEqual(reason, RunWithError(t, packet, 0, out byte[] e));

        Assert.AreEqual(576, e.Length, "RFC 1812 §4.3.2.3: at most 576 bytes");
        Assert.AreEqual(0x45, e[0]);
        Assert.AreEqual(0xffff, Sum(Slice(e, 0, 20)));
        Assert.AreEqual(1, e[9]);
        CollectionAssert.AreEqual(V4("192.0.0.8"), Slice(e, 12, 4), "the translator's dummy address (RFC 7600 §4.8)");
        CollectionAssert.AreEqual(V4(CeIpv4), Slice(e, 16, 4), "to the packet's sender");
        Assert.AreEqual(3, e[20]);
        Assert.AreEqual(code, e[21]);
        Assert.AreEqual(0xffff, Sum(Slice(e, 20)), "ICMPv4 checksum");
        CollectionAssert.AreEqual(Slice(packet, 0, 548), Slice(e, 28), "the packet as it arrived, quoted");
        Assert.AreEqual(1, t.Counters.IcmpErrorsSent);
    }

    [TestMethod]
    public void TryBuildError_InboundPortOutsideSet_Icmpv6AdministrativelyProhibited()
    {
        var t = NewTranslator();
        byte[] packet = Ipv6(Remote6, CeIpv6, 17, Udp(53, PortOut, Data(1400), V6(Remote6), V6(CeIpv6)));

        Assert.AreEqual(DropReason.DestinationPortOutsideSet, RunWithError(t, packet, 0, out byte[] e));

        Assert.AreEqual(1280, e.Length, "RFC 4443 §2.4 (c): at most 1280 bytes");
        Assert.AreEqual(58, e[6]);
        Assert.AreEqual(1280 - 40, U16(e, 4));
        CollectionAssert.AreEqual(V6(CeIpv6), Slice(e, 8, 16));
        CollectionAssert.AreEqual(V6(Remote6), Slice(e, 24, 16));
        Assert.AreEqual(1, e[40]);
        Assert.AreEqual(1, e[41]);
        byte[] icmp = Slice(e, 40);
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 58, icmp.Length), icmp));
        CollectionAssert.AreEqual(Slice(packet, 0, 1232), Slice(e, 48));
    }

    [TestMethod]
    public void TryBuildError_RoutingHeaderWithSegmentsLeft_ParameterProblemAtSegmentsLeft()
    {
        var t = NewTranslator();
        // Hop-by-Hop (8 bytes) then a Routing header type 0... segments left 1, then UDP.
        byte[] hbh = { 43, 0, 1, 4, 0, 0, 0, 0 };
        byte[] rh = Concat(new byte[] { 17, 2, 0, 1, 0, 0, 0, 0 }, V6("2001:db8:ffff::1"));
        byte[] packet = Ipv6(Remote6, CeIpv6, 0, Concat(hbh, rh, Udp(53, PortIn, Data(8), V6(Remote6), V6(CeIpv6))));

        Assert.AreEqual(DropReason.ExtensionHeader, RunWithError(t, packet, 0, out byte[] e));

        Assert.AreEqual(4, e[40]);
        Assert.AreEqual(0, e[41]);
        Assert.AreEqual(40u + 8 + 3, U32(e, 44), "RFC 7915 §5.1: the pointer at the Segments Left field");
        byte[] icmp = Slice(e, 40);
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 58, icmp.Length), icmp));
    }

    [TestMethod]
    public void TryBuildError_NotOwed_NothingBuilt()
    {
        var t = NewTranslator();
        byte[][] silent =
        {
            // an ICMPv4 error about a packet the CE never received (inner source port outside the set)
            Ipv4(CeIpv4, Remote4, 1, Icmp(3, 3, 0, Ipv4(Remote4, CeIpv4, 17, Udp(53, PortOut, Data(8), V4(Remote4), V4(CeIpv4))))),
            // a later fragment whose first was not seen
            Ipv4(CeIpv4, Remote4, 17, Data(16), id: 0x4242, flags: 3),
            // malformed
            Slice(Ipv4(CeIpv4, Remote4, 17, Udp(PortIn, 80, Data(10), V4(CeIpv4), V4(Remote4))), 0, 30),
            // an ICMPv4 type without counterpart: RFC 7915 §4.2 says drop silently
            Ipv4(CeIpv4, Remote4, 1, Icmp(13, 0, 0, Data(12))),
            // an ICMPv6 error whose inner packet is another CE's
            Ipv6(Remote6, CeIpv6, 58, Icmp(1, 4, 0, Ipv6(CeIpv6, Remote6, 17, Udp(PortOut, 53, Data(4), V6(CeIpv6), V6(Remote6))), V6(Remote6), V6(CeIpv6))),
            // IPv6 UDP without checksum: invalid (RFC 8200 §8.1), not untranslatable
            Ipv6(Remote6, CeIpv6, 17, Udp(80, PortIn, Data(10), V6(Remote6), V6(CeIpv6), zeroChecksum: true)),
            // multicast from the host's own stack
            Ipv6("fe80::1", "ff02::16", 58, Icmp(143, 0, 0, Data(20), V6("fe80::1"), V6("ff02::16"))),
            // a later IPv6 fragment of a refused first one
            Ipv6(Remote6, CeIpv6, 44, Concat(new byte[] { 17, 0, 0, 24, 0, 0, 0, 9 }, Data(16))),
        };
        Assert.AreEqual(DropReason.DestinationPortOutsideSet, RunWithError(t,
            Ipv6(Remote6, CeIpv6, 44, Concat(new byte[] { 17, 0, 0, 1, 0, 0, 0, 9 }, Slice(Udp(53, PortOut, Data(40), V6(Remote6), V6(CeIpv6)), 0, 24))),
            0, out byte[] firstError));
        Assert.AreNotEqual(0, firstError.Length, "the first fragment is answered");
        foreach (byte[] p in silent)
        {
            Assert.AreNotEqual(DropReason.None, RunWithError(t, p, 0, out byte[] e));
            Assert.AreEqual(0, e.Length, "no error for drop " + t.Counters.DiscardPacketsReceived + "/" + t.Counters.DiscardPacketsSent);
        }
        Assert.AreEqual(1, t.Counters.IcmpErrorsSent);
    }

    [TestMethod]
    public void TryBuildError_Flood_RateLimitedThenRefilled()
    {
        var t = NewTranslator();
        byte[] packet = Ipv6(Remote6, CeIpv6, 17, Udp(53, PortOut, Data(8), V6(Remote6), V6(CeIpv6)));
        int sent = 0;
        for (int i = 0; i < 1000; i++)
        {
            RunWithError(t, packet, 10_000 + i / 10, out byte[] e); // 1000 packets in 100 ms
            if (e.Length > 0)
                sent++;
        }
        Assert.AreEqual(IcmpErrorLimiter.Burst + 99 * IcmpErrorLimiter.PerSecond / 1000, sent, "the burst, then the refill over the 99 ms from first to last");
        Assert.AreEqual(1000 - sent, t.Counters.IcmpErrorsRateLimited);
        RunWithError(t, packet, 20_000, out byte[] later);
        Assert.AreNotEqual(0, later.Length, "a quiet period refills the bucket");
    }

    [TestMethod]
    public void TryBuildError_HotPath_AllocatesNothing()
    {
        var t = NewTranslator();
        byte[][] packets =
        {
            Ipv6(Remote6, CeIpv6, 17, Udp(53, PortOut, Data(64), V6(Remote6), V6(CeIpv6))),
            Ipv4(CeIpv4, Remote4, 17, Udp(PortOut, 80, Data(64), V4(CeIpv4), V4(Remote4))),
        };
        var buffer = new byte[PacketTranslator.Headroom + 2048];
        long now = 0;
        void RunAll()
        {
            foreach (byte[] p in packets)
            {
                p.CopyTo(buffer, PacketTranslator.Headroom);
                int start = PacketTranslator.Headroom, length = p.Length;
                DropReason r = t.Translate(buffer, ref start, ref length);
                t.TryBuildError(buffer, ref start, ref length, r, now += 1000); // a second apart: never limited
            }
        }
        for (int i = 0; i < 200; i++)
            RunAll();
        long allocated = long.MaxValue;
        for (int round = 0; round < 3 && allocated != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
                RunAll();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.AreEqual(0, allocated);
        Assert.IsTrue(t.Counters.IcmpErrorsSent >= 2400, $"{t.Counters.IcmpErrorsSent} errors built");
    }

    [TestMethod]
    public void FragmentTables_InboundFirstFragmentFlood_LansEntryKept()
    {
        var t = new PacketTranslator(Rfc7599Addressing(), fragmentEntries: 8);
        byte[] udp = Udp(PortIn, 5000, Data(40), V4(CeIpv4), V4(Remote4));
        Assert.AreEqual(DropReason.None, Run(t, Ipv4(CeIpv4, Remote4, 17, Slice(udp, 0, 24), id: 0x55, flags: 0x2000), out _));

        // The WAN sends 100 first fragments, in the set and outside it, each a new datagram.
        for (int i = 0; i < 100; i++)
        {
            int port = i % 2 == 0 ? PortIn : PortOut;
            byte[] first = Ipv6(Remote6, CeIpv6, 44, Concat(new byte[] { 17, 0, 0, 1, 0, 0, (byte)(i >> 8), (byte)i },
                Slice(Udp(53, port, Data(40), V6(Remote6), V6(CeIpv6)), 0, 24)));
            Run(t, first, out _);
        }

        Assert.AreEqual(DropReason.None, Run(t, Ipv4(CeIpv4, Remote4, 17, Slice(udp, 24), id: 0x55, flags: 3), out byte[] later),
            "the LAN's datagram still finds its first fragment: inbound entries live in their own table");
        CollectionAssert.AreEqual(V6(Remote6), Slice(later, 24, 16));
    }
}
