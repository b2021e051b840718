using System;

namespace Mapt.Translator;

/// <summary>
/// The ICMP errors the translator owes the sender of a packet it discards: RFC 7915 §4.4 (an
/// IPv4 packet: Destination Unreachable, Communication Administratively Prohibited, type 3
/// code 13), §4.1 (an unexpired source route: Source Route Failed, 3/5), §5.4 (an IPv6 packet:
/// Destination Unreachable, administratively prohibited, 1/1) and §5.1 (a Routing header with
/// Segments Left: Parameter Problem 4/0 pointing at that field). All are SHOULDs, answered
/// here within a rate limit (<see cref="IcmpErrorLimiter"/>) and never about what RFC 1812
/// §4.3.2.7 and RFC 4443 §2.4 (e) exclude: an ICMP error, a non-first fragment, a packet from
/// or to a multicast, broadcast or unspecified address. Malformed packets, invalid ones (IPv6
/// UDP without checksum) and the ICMP types the RFC says to drop silently get nothing.
/// </summary>
public sealed partial class PacketTranslator
{
    /// <summary>RFC 1812 §4.3.2.3: an ICMPv4 error quotes as much as fits in 576 bytes.</summary>
    public const int Icmpv4ErrorMax = 576;

    /// <summary>
    /// After <paramref name="reason"/> was returned for the packet at <paramref name="start"/>
    /// (left as it was read: the translator changes nothing before deciding to drop), writes
    /// the ICMP error for its sender in front of it, in the headroom, and returns true with
    /// <paramref name="start"/> and <paramref name="length"/> describing the error, to be
    /// written into the TUN device like a translated packet (the kernel routes it to the
    /// sender: an ICMPv4 error to the LAN, an ICMPv6 one out of the WAN). False when no error
    /// is owed or the rate limit is reached (counted in <see cref="TranslatorCounters.IcmpErrorsRateLimited"/>).
    /// </summary>
    /// <param name="nowMs">A monotonic clock in milliseconds, for the rate limit.</param>
    public bool TryBuildError(Span<byte> buffer, ref int start, ref int length, DropReason reason, long nowMs)
    {
        if (length < 1)
            return false;
        bool built = buffer[start] >> 4 == 6
            ? TryBuildIcmp6Error(buffer, ref start, ref length, reason, nowMs)
            : TryBuildIcmp4Error(buffer, ref start, ref length, reason, nowMs);
        if (built)
            Counters.IcmpErrorsSent++;
        return built;
    }

    private bool TryBuildIcmp4Error(Span<byte> buffer, ref int start, ref int length, DropReason reason, long nowMs)
    {
        int code;
        switch (reason)
        {
            case DropReason.SourceRoute:
                code = 5;
                break;
            case DropReason.SourcePortOutsideSet or DropReason.SourceNotMapAddress or DropReason.ProtocolWithoutPorts
                or DropReason.UdpZeroChecksumFragment or DropReason.DestinationNotMappable or DropReason.FragmentedIcmp:
                code = 13;
                break;
            default:
                return false;
        }
        ReadOnlySpan<byte> p = buffer.Slice(start, length);
        if (p.Length < 20 || p[0] >> 4 != 4)
            return false;
        int ihl = (p[0] & 0xf) * 4, total = U16(p, 2);
        if (ihl < 20 || total < ihl || total > p.Length)
            return false;
        uint src = U32(p, 12), dst = U32(p, 16);
        if ((U16(p, 6) & 0x1fff) != 0 || !IsUnicast4(src) || !IsUnicast4(dst))
            return false;
        // Only echo messages among ICMP: never an error about an error (RFC 1812 §4.3.2.7).
        if (p[9] == Icmp4 && (total < ihl + 1 || p[ihl] is not (0 or 8)))
            return false;
        if (!TakeErrorToken(nowMs))
            return false;

        int quoted = Math.Min(total, Icmpv4ErrorMax - 28);
        int at = start - 28;
        Span<byte> e = buffer.Slice(at, 28 + quoted);
        WriteIcmp4Header(e.Slice(20), 3, code, 0);
        int flags = UnfragmentedFlags(e.Length, out int id);
        // From 192.0.0.8: the translator has no IPv4 address of its own (RFC 7600 §4.8).
        WriteIpv4Header(e, 0, e.Length, id, flags, OneHop(64), Icmp4, DummyIpv4, src);
        start = at;
        length = e.Length;
        return true;
    }

    private bool TryBuildIcmp6Error(Span<byte> buffer, ref int start, ref int length, DropReason reason, long nowMs)
    {
        int type, code;
        switch (reason)
        {
            case DropReason.ExtensionHeader:
                type = 4; code = 0;
                break;
            case DropReason.DestinationPortOutsideSet or DropReason.NotMapAddress or DropReason.SourceNotMappable
                or DropReason.ProtocolWithoutPorts or DropReason.FragmentedIcmp:
                type = 1; code = 1;
                break;
            default:
                return false;
        }
        ReadOnlySpan<byte> p = buffer.Slice(start, length);
        if (p.Length < 40 || p[0] >> 4 != 6)
            return false;
        int total = 40 + U16(p, 4);
        if (total > p.Length)
            return false;
        p = p.Slice(0, total);
        if (p[8] == 0xff || p[24] == 0xff || p.Slice(8, 16).IndexOfAnyExcept((byte)0) < 0)
            return false;
        // The headers again, for what the translation's walk left behind: the Segments Left
        // field to point at, a non-first fragment, an ICMPv6 error.
        int next = p[6], offset = 40;
        uint pointer = 0;
        bool first = true;
        for (int guard = 0; guard < 8 && next is 0 or 43 or 60 or Fragment6; guard++)
        {
            if (offset + 8 > p.Length)
                return false;
            if (next == 43 && p[offset + 3] != 0 && pointer == 0)
                pointer = (uint)offset + 3;
            if (next == Fragment6)
                first &= (U16(p, offset + 2) & 0xfff8) == 0;
            int len = next == Fragment6 ? 8 : (p[offset + 1] + 1) * 8;
            next = p[offset];
            offset += len;
        }
        if (!first || (type == 4 && pointer == 0))
            return false;
        if (next == Icmp6 && (offset >= p.Length || p[offset] < 128))
            return false; // an ICMPv6 error (or a truncated message): never answered (RFC 4443 §2.4 (e))
        if (!TakeErrorToken(nowMs))
            return false;

        // Source: the CE's MAP address, which the sender addressed (or, for another address of
        // the CE's prefix, the CE's own). As much of the packet as fits in 1280 bytes (RFC 4443 §2.4 (c)).
        int quoted = Math.Min(total, Icmpv6ErrorMax - 48);
        int at = start - 48;
        Span<byte> e = buffer.Slice(at, 48 + quoted);
        Span<byte> sender = stackalloc byte[16];
        p.Slice(8, 16).CopyTo(sender);
        WriteIpv6Header(e, 0, 8 + quoted, Icmp6, OneHop(64), _map.MapIpv6, sender);
        WriteIcmp6Header(e.Slice(40), type, code, pointer, _map.MapIpv6, sender);
        start = at;
        length = e.Length;
        return true;
    }

    private bool TakeErrorToken(long nowMs)
    {
        if (_errorLimit.TryTake(nowMs))
            return true;
        Counters.IcmpErrorsRateLimited++;
        return false;
    }

    /// <summary>Not 0/8, loopback, multicast, reserved or broadcast: an address an error may go to or be about.</summary>
    private static bool IsUnicast4(uint a) => a >> 24 is not (0 or 127) && a < 0xe0000000;
}
