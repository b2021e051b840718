using System;
using System.Buffers.Binary;

namespace Mapt.Translator;

/// <summary>
/// Stateless IP/ICMP translation (RFC 7915) with the MAP-T addressing of RFC 7599, in place:
/// the caller hands a buffer holding one packet at <c>start</c> with at least
/// <see cref="Headroom"/> free bytes before it; the new header is written right in front of
/// the transport header (which does not move), so a packet costs a header rewrite and a
/// checksum update, no copy and no allocation. ICMP errors keep their inner payload in place
/// too: both headers are rewritten in front of it.
/// </summary>
public sealed partial class PacketTranslator
{
    /// <summary>Free bytes the caller keeps in front of a packet: IPv4 (20) + ICMP (8) + IPv4 (20) grows to 40 + 8 + 40.</summary>
    public const int Headroom = 64;

    /// <summary>An ICMPv6 error is cut to fit the IPv6 minimum MTU (RFC 4443 §2.4 (c)).</summary>
    public const int Icmpv6ErrorMax = 1280;

    /// <summary>
    /// RFC 7915 §5.1: an IPv4 packet translated from IPv6 without a Fragment header gets DF
    /// only above this size, so an IPv6 sender relying on the 1280-byte minimum MTU (20 bytes
    /// more than this) is still delivered across IPv4 links of a smaller MTU.
    /// </summary>
    public const int DfThreshold = 1260;

    /// <summary>The IPv6 minimum MTU (RFC 8200 §5): no translated Packet Too Big reports less.</summary>
    public const int Ipv6MinMtu = 1280;

    internal const int Icmp4 = 1, Tcp = 6, Udp = 17, Fragment6 = 44, Icmp6 = 58;

    // One table per direction: inbound fragments (anyone on the WAN can send them) never
    // evict the LAN's entries (issue 13 point 9).
    private readonly FragmentTable _outboundFragments;
    private readonly FragmentTable _inboundFragments;
    private readonly IcmpErrorLimiter _errorLimit = new();
    private MapAddressing _map;
    // RFC 7915 §5.1: "Identification: set according to a Fragment Identification generator at
    // the translator". A counter per translator, from a random start (RFC 7739 §5 warns against
    // a predictable one from zero); RFC 6864 §4 asks only that it not repeat for one source,
    // destination and protocol within a datagram's lifetime, which 65,536 values do at a CE's rates.
    private ushort _nextId = (ushort)System.Random.Shared.Next(0x10000);
    // Set while TranslateOffloaded runs the per-packet path over a packet whose transport
    // checksum is partial: a port rewrite then leaves the field alone.
    private bool _checksumPartial;

    public PacketTranslator(MapAddressing map, TranslatorCounters? counters = null, int fragmentEntries = 64)
    {
        _map = map;
        _outboundFragments = new FragmentTable(fragmentEntries);
        _inboundFragments = new FragmentTable(fragmentEntries);
        Counters = counters ?? new TranslatorCounters();
    }

    public TranslatorCounters Counters { get; }

    /// <summary>
    /// The IPv6 path MTU towards the BR (the WAN MTU). An IPv4 packet without DF that would
    /// not fit once translated gets a Fragment header, so it can be cut (RFC 7915 §4.1).
    /// </summary>
    public int Ipv6Mtu { get; set; } = 1500;

    public MapAddressing Addressing => _map;

    /// <summary>New addressing (a new lease): pending fragment state belonged to the old one.</summary>
    public void Reconfigure(MapAddressing map)
    {
        _map = map;
        _outboundFragments.Clear();
        _inboundFragments.Clear();
    }

    /// <summary>Translates by the IP version of the packet; see <see cref="Translate4To6"/> and <see cref="Translate6To4"/>.</summary>
    public DropReason Translate(Span<byte> buffer, ref int start, ref int length)
    {
        if (length > 0 && buffer[start] >> 4 == 6)
            return Translate6To4(buffer, ref start, ref length);
        return Translate4To6(buffer, ref start, ref length);
    }

    /// <summary>
    /// An IPv4 packet from the LAN side (already SNATed into the port set) to IPv6: source the
    /// CE's MAP address, destination by FMR or DMR. On success <paramref name="start"/> and
    /// <paramref name="length"/> describe the IPv6 packet.
    /// </summary>
    public DropReason Translate4To6(Span<byte> buffer, ref int start, ref int length)
    {
        DropReason r = Outbound(buffer, ref start, ref length);
        if (r == DropReason.None)
        {
            Counters.PacketsSent++;
            Counters.BytesSent += length;
        }
        else
        {
            Counters.CountDrop(r, outbound: true);
        }
        return r;
    }

    /// <summary>An IPv6 packet for the CE's MAP address to IPv4, checked against the port set.</summary>
    public DropReason Translate6To4(Span<byte> buffer, ref int start, ref int length)
    {
        DropReason r = Inbound(buffer, ref start, ref length);
        if (r == DropReason.None)
        {
            Counters.PacketsReceived++;
            Counters.BytesReceived += length;
        }
        else
        {
            Counters.CountDrop(r, outbound: false);
        }
        return r;
    }

    internal static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16BigEndian(b.Slice(at));
    internal static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32BigEndian(b.Slice(at));
    internal static void W16(Span<byte> b, int at, int v) => BinaryPrimitives.WriteUInt16BigEndian(b.Slice(at), (ushort)v);
    internal static void W32(Span<byte> b, int at, uint v) => BinaryPrimitives.WriteUInt32BigEndian(b.Slice(at), v);

    private static void WriteIpv6Header(Span<byte> h, int trafficClass, int payloadLength, int nextHeader, int hopLimit,
        ReadOnlySpan<byte> src, ReadOnlySpan<byte> dst)
    {
        // RFC 7915 §4.1: traffic class from the TOS octet, flow label 0.
        W32(h, 0, 0x60000000u | (uint)trafficClass << 20);
        W16(h, 4, payloadLength);
        h[6] = (byte)nextHeader;
        h[7] = (byte)hopLimit;
        src.Slice(0, 16).CopyTo(h.Slice(8));
        dst.Slice(0, 16).CopyTo(h.Slice(24));
    }

    private static void WriteIpv4Header(Span<byte> h, int tos, int totalLength, int id, int flagsOffset, int ttl, int protocol,
        uint src, uint dst)
    {
        h[0] = 0x45;
        h[1] = (byte)tos;
        W16(h, 2, totalLength);
        W16(h, 4, id);
        W16(h, 6, flagsOffset);
        h[8] = (byte)ttl;
        h[9] = (byte)protocol;
        W16(h, 10, 0);
        W32(h, 12, src);
        W32(h, 16, dst);
        W16(h, 10, Checksum.Finish(Checksum.Add(0, h.Slice(0, 20))));
    }

    /// <summary>
    /// The TTL or hop limit a translated packet leaves the translator with, so that the whole
    /// CE counts as one hop (RFC 7915 §4.1, §5.1: the translator is one router and decrements
    /// once). The kernel forwards each packet twice: into the TUN device (decrementing the
    /// original header, and answering Time Exceeded to the sender itself when it reaches zero
    /// there) and out of it again after translation (decrementing the new header). The first
    /// decrement is the CE's one; the second is undone here by adding one, which cannot expire
    /// anything the first let through. A packet the CE's own stack originates was decremented
    /// by neither and leaves with the value it was sent with, as from any host. 255 stays 255.
    /// </summary>
    internal static int OneHop(int ttl) => ttl < 255 ? ttl + 1 : 255;

    /// <summary>
    /// Flags and identification of an IPv4 packet translated from IPv6 without a Fragment
    /// header (RFC 7915 §5.1): DF only above <see cref="DfThreshold"/> bytes, MF 0, offset 0,
    /// and an identification from the translator's generator.
    /// </summary>
    private int UnfragmentedFlags(int totalLength, out int id)
    {
        id = _nextId++;
        return totalLength > DfThreshold ? 0x4000 : 0;
    }

    /// <summary>
    /// An ICMPv4 message's header (type, code, the word after the checksum) and its checksum
    /// over <paramref name="icmp"/>, the whole message with what it quotes already in place.
    /// </summary>
    private static void WriteIcmp4Header(Span<byte> icmp, int type, int code, uint rest)
    {
        icmp[0] = (byte)type;
        icmp[1] = (byte)code;
        W16(icmp, 2, 0);
        W32(icmp, 4, rest);
        W16(icmp, 2, Checksum.Finish(Checksum.Add(0, icmp)));
    }

    /// <summary>The same for ICMPv6, whose checksum covers the pseudo-header of <paramref name="src"/> and <paramref name="dst"/> too.</summary>
    private static void WriteIcmp6Header(Span<byte> icmp, int type, int code, uint rest, ReadOnlySpan<byte> src, ReadOnlySpan<byte> dst)
    {
        icmp[0] = (byte)type;
        icmp[1] = (byte)code;
        W16(icmp, 2, 0);
        W32(icmp, 4, rest);
        W16(icmp, 2, Checksum.Finish(Checksum.Add(Checksum.PseudoHeader6(src, dst, Icmp6, icmp.Length), icmp)));
    }

    /// <summary>Sum of an IPv4 address as two 16-bit words.</summary>
    private static uint Sum4(uint a) => (a >> 16) + (a & 0xffff);

    /// <summary>
    /// Writes <paramref name="port"/> into the 16-bit port field at <paramref name="at"/> of a
    /// TCP or UDP header and updates its checksum incrementally (RFC 1624): the port remap's one
    /// write per packet (issue 15). A zero UDP checksum stays zero (none was computed); a header
    /// cut before its checksum (a quoted packet) gets the port alone, and so does a packet whose
    /// checksum is still partial (<paramref name="partial"/>: the field holds the pseudo-header
    /// sum only, the ports are summed by whoever completes it).
    /// </summary>
    internal static void RewritePort(Span<byte> l4, int at, int port, int protocol, bool partial = false)
    {
        int old = U16(l4, at);
        if (old == port)
            return;
        W16(l4, at, port);
        if (partial)
            return;
        int sumAt = protocol == Tcp ? 16 : 6;
        if (l4.Length < sumAt + 2)
            return;
        ushort c = U16(l4, sumAt);
        if (protocol == Udp && c == 0)
            return;
        c = Checksum.Update(c, (uint)old, (uint)port);
        if (protocol == Udp && c == 0)
            c = 0xffff;
        W16(l4, sumAt, c);
    }

    /// <summary>The echo identifier of a quoted echo message (offset 4) with its checksum (offset 2) updated incrementally.</summary>
    internal static void RewriteIcmpId(Span<byte> icmp, int id)
    {
        int old = U16(icmp, 4);
        if (old == id)
            return;
        W16(icmp, 4, id);
        W16(icmp, 2, Checksum.Update(U16(icmp, 2), (uint)old, (uint)id));
    }

    /// <summary>
    /// Updates a TCP or UDP checksum at <paramref name="l4"/> for new pseudo-header addresses
    /// (RFC 7915 §4.5, §5.5: the length and protocol words do not change). Returns false when
    /// the header is too short to hold the checksum (a truncated inner packet: left alone).
    /// </summary>
    private static bool UpdateL4Checksum(Span<byte> l4, int protocol, uint oldSum, uint newSum)
    {
        int at = protocol == Tcp ? 16 : 6;
        if (l4.Length < at + 2)
            return false;
        ushort c = U16(l4, at);
        if (protocol == Udp && c == 0)
            return true; // zero stays zero inside ICMP errors (the outer path handles real packets)
        c = Checksum.Update(c, oldSum, newSum);
        if (protocol == Udp && c == 0)
            c = 0xffff; // RFC 768: a computed zero is sent as all ones
        W16(l4, at, c);
        return true;
    }
}
