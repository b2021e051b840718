using System;

namespace Mapt.Translator;

/// <summary>IPv4 to IPv6 (RFC 7915 §4), the CE's outbound direction.</summary>
public sealed partial class PacketTranslator
{
    private DropReason Outbound(Span<byte> buffer, ref int start, ref int length)
    {
        Span<byte> p = buffer.Slice(start, length);
        if (p.Length < 20 || p[0] >> 4 != 4)
            return DropReason.Malformed;
        int ihl = (p[0] & 0xf) * 4;
        int total = U16(p, 2);
        if (ihl < 20 || total < ihl || total > p.Length)
            return DropReason.Malformed;
        p = p.Slice(0, total); // link padding past the IPv4 total length is not part of the packet
        uint src = U32(p, 12), dst = U32(p, 16);
        if (src != _map.Ipv4)
            return DropReason.SourceNotMapAddress;
        if (ihl > 20 && HasUnexpiredSourceRoute(p.Slice(20, ihl - 20)))
            return DropReason.SourceRoute;
        int protocol = p[9];
        int flags = U16(p, 6);
        int fragOffset = flags & 0x1fff;
        bool more = (flags & 0x2000) != 0;
        bool fragment = more || fragOffset != 0;
        // RFC 7915 §4.1: DF clear and too big for the IPv6 path: a Fragment header, and the
        // TUN writer cuts the packet (the whole datagram is here, so checksums still work).
        bool needsFragmentHeader = fragment || ((flags & 0x4000) == 0 && total - ihl + 40 > Ipv6Mtu);
        uint id = U16(p, 4);
        Span<byte> l4 = p.Slice(ihl);

        if (protocol == Icmp4)
        {
            if (fragment)
                return DropReason.FragmentedIcmp;
            return OutboundIcmp(buffer, ref start, ref length, p, ihl, dst);
        }

        int dstPort = 0, srcPort = 0;
        bool ports = protocol is Tcp or Udp;
        if (!ports)
        {
            if (_map.PsidLength != 0)
                return DropReason.ProtocolWithoutPorts;
        }
        else if (fragOffset == 0)
        {
            if (l4.Length < (protocol == Tcp ? 20 : 8))
                return DropReason.Malformed;
            if (!_map.TryOutboundPort(protocol, U16(l4, 0), out srcPort))
                return DropReason.SourcePortOutsideSet;
            dstPort = U16(l4, 2);
            if (more)
            {
                // RFC 7915 §4.5: a zero UDP checksum cannot be computed from a fragment; the
                // datagram is dropped, and its later fragments with it (remembered as refused).
                DropReason whole = protocol == Udp && U16(l4, 6) == 0 ? DropReason.UdpZeroChecksumFragment : DropReason.None;
                _outboundFragments.Remember(src, dst, protocol, id, dstPort, whole);
                if (whole != DropReason.None)
                    return whole;
            }
        }
        else if (!_outboundFragments.TryFind(src, dst, protocol, id, out dstPort, out DropReason refused))
        {
            return DropReason.FragmentWithoutFirst;
        }
        else if (refused != DropReason.None)
        {
            return refused;
        }

        Span<byte> dst6 = stackalloc byte[16];
        if (!_map.TryMapToIpv6(dst, dstPort, dst6))
            return DropReason.DestinationNotMappable;

        if (ports && fragOffset == 0)
        {
            RewritePort(l4, 0, srcPort, protocol, _checksumPartial);
            uint newSum = Checksum.Add(Checksum.Add(0, _map.MapIpv6), dst6);
            if (protocol == Udp && U16(l4, 6) == 0)
            {
                // RFC 7915 §4.5: a zero IPv4 UDP checksum is computed for IPv6 (the whole
                // datagram is here: a fragmented one was refused above).
                ushort c = Checksum.Finish(Checksum.Add(Checksum.PseudoHeader6(_map.MapIpv6, dst6, Udp, l4.Length), l4));
                W16(l4, 6, c == 0 ? 0xffff : c);
            }
            else
            {
                UpdateL4Checksum(l4, protocol, Sum4(src) + Sum4(dst), newSum);
            }
        }

        int tos = p[1], ttl = p[8];
        int payload = total - ihl;
        int header = needsFragmentHeader ? 48 : 40;
        int newStart = start + ihl - header;
        Span<byte> h = buffer.Slice(newStart, header);
        WriteIpv6Header(h, tos, payload + header - 40, needsFragmentHeader ? Fragment6 : protocol, OneHop(ttl), _map.MapIpv6, dst6);
        if (needsFragmentHeader)
        {
            // RFC 7915 §4.1: Fragment header with the IPv4 offset, M flag and identification.
            h[40] = (byte)protocol;
            h[41] = 0;
            W16(h, 42, fragOffset << 3 | (more ? 1 : 0));
            W32(h, 44, id);
        }
        start = newStart;
        length = header + payload;
        return DropReason.None;
    }

    private DropReason OutboundIcmp(Span<byte> buffer, ref int start, ref int length, Span<byte> p, int ihl, uint dst)
    {
        Span<byte> icmp = p.Slice(ihl);
        if (icmp.Length < 8)
            return DropReason.Malformed;
        int type = icmp[0], code = icmp[1];
        int tos = p[1], ttl = p[8];
        Span<byte> dst6 = stackalloc byte[16];

        if (type is 8 or 0)
        {
            int echoId = U16(icmp, 4);
            // A request leaves with an id the SNAT put in the set; a reply answers a remote's
            // request and carries the remote's id.
            int realId = echoId;
            if (type == 8 && !_map.TryOutboundPort(Icmp4, echoId, out realId))
                return DropReason.SourcePortOutsideSet;
            if (!_map.TryMapToIpv6(dst, echoId, dst6))
                return DropReason.DestinationNotMappable;
            icmp[0] = (byte)(type == 8 ? 128 : 129);
            W16(icmp, 4, realId); // the checksum is computed afresh below
            int newStart = start + ihl - 40;
            WriteIpv6Header(buffer.Slice(newStart, 40), tos, icmp.Length, Icmp6, OneHop(ttl), _map.MapIpv6, dst6);
            W16(icmp, 2, 0);
            W16(icmp, 2, Checksum.Finish(Checksum.Add(Checksum.PseudoHeader6(_map.MapIpv6, dst6, Icmp6, icmp.Length), icmp)));
            start = newStart;
            length = 40 + icmp.Length;
            return DropReason.None;
        }

        // RFC 7915 §4.2: errors.
        int newType, newCode;
        uint rest = 0; // the ICMPv6 word after the checksum: MTU or pointer
        bool tooBig = false;
        switch (type)
        {
            case 3:
                switch (code)
                {
                    case 0 or 1 or 5 or 6 or 7 or 8 or 11 or 12: newType = 1; newCode = 0; break;
                    case 9 or 10 or 13 or 15: newType = 1; newCode = 1; break;
                    case 3: newType = 1; newCode = 4; break;
                    case 2: newType = 4; newCode = 1; rest = 6; break; // pointer to Next Header
                    case 4: newType = 2; newCode = 0; tooBig = true; break;
                    default: return DropReason.IcmpUntranslatable;
                }
                break;
            case 11:
                newType = 3; newCode = code;
                break;
            case 12 when code is 0 or 2:
                int pointer = PointerFrom4(icmp[4]);
                if (pointer < 0)
                    return DropReason.IcmpUntranslatable;
                newType = 4; newCode = 0; rest = (uint)pointer;
                break;
            default:
                return DropReason.IcmpUntranslatable;
        }

        // The inner packet is one the CE received: from a remote to the CE's address and port.
        Span<byte> inner = icmp.Slice(8);
        if (inner.Length < 20 || inner[0] >> 4 != 4)
            return DropReason.Malformed;
        int innerIhl = (inner[0] & 0xf) * 4;
        if (innerIhl < 20 || innerIhl > inner.Length)
            return DropReason.Malformed;
        uint innerSrc = U32(inner, 12), innerDst = U32(inner, 16);
        if (innerDst != _map.Ipv4)
            return DropReason.SourceNotMapAddress;
        int innerProtocol = inner[9];
        int innerTos = inner[1], innerTtl = inner[8], innerTotal = U16(inner, 2), innerFlags = U16(inner, 6);
        Span<byte> innerL4 = inner.Slice(innerIhl);
        int remotePort = 0, innerPort = 0;
        if (innerProtocol is Tcp or Udp && innerL4.Length >= 4 && (innerFlags & 0x1fff) == 0)
        {
            // The quoted packet came in: its destination is the CE's port (virtual, as the
            // LAN side's conntrack wrote it back), which goes out as the real one.
            if (!_map.TryOutboundPort(innerProtocol, U16(innerL4, 2), out innerPort))
                return DropReason.SourcePortOutsideSet;
            remotePort = U16(innerL4, 0);
        }
        Span<byte> innerSrc6 = stackalloc byte[16];
        if (!_map.TryMapToIpv6(innerSrc, remotePort, innerSrc6) || !_map.TryMapToIpv6(dst, remotePort, dst6))
            return DropReason.DestinationNotMappable;
        if (innerProtocol is Tcp or Udp && (innerFlags & 0x1fff) == 0)
        {
            if (innerL4.Length >= 4)
                RewritePort(innerL4, 2, innerPort, innerProtocol);
            UpdateL4Checksum(innerL4, innerProtocol, Sum4(innerSrc) + Sum4(innerDst),
                Checksum.Add(Checksum.Add(0, innerSrc6), _map.MapIpv6));
        }
        else if (innerProtocol == Icmp4 && innerL4.Length >= 1 && innerL4[0] is 8 or 0)
        {
            // An echo reply the CE received answers its own request: the id is the CE's (virtual -> real).
            if (innerL4[0] == 0 && innerL4.Length >= 8 && _map.TryOutboundPort(Icmp4, U16(innerL4, 4), out int id))
                RewriteIcmpId(innerL4, id);
            innerL4[0] = (byte)(innerL4[0] == 8 ? 128 : 129);
        }

        if (tooBig)
        {
            rest = (uint)PacketTooBigMtu(U16(icmp, 6), innerFlags, innerTotal);
            Counters.PacketTooBig++;
        }

        // Everything needed from the old headers is read: write the new ones in front of the
        // inner payload, which stays where it is.
        int innerPayloadAt = start + ihl + 8 + innerIhl;
        int innerPayload = start + p.Length - innerPayloadAt;
        int at = innerPayloadAt - 88;
        Span<byte> outp = buffer.Slice(at, 88 + innerPayload);
        int total = Math.Min(outp.Length, Icmpv6ErrorMax);
        outp = outp.Slice(0, total);
        WriteIpv6Header(outp.Slice(48), innerTos, Math.Max(0, innerTotal - innerIhl),
            innerProtocol == Icmp4 ? Icmp6 : innerProtocol, innerTtl, innerSrc6, _map.MapIpv6);
        WriteIpv6Header(outp, tos, total - 40, Icmp6, OneHop(ttl), _map.MapIpv6, dst6);
        WriteIcmp6Header(outp.Slice(40), newType, newCode, rest, _map.MapIpv6, dst6);
        start = at;
        length = total;
        return DropReason.None;
    }

    /// <summary>
    /// The MTU of the Packet Too Big that a Fragmentation Needed becomes (RFC 7915 §4.2):
    /// minimum(advertised MTU + 20, MTU of the IPv6 next hop, MTU of the IPv4 next hop + 20),
    /// where both next hops are the WAN side here (the TUN MTU is the WAN MTU - 20), so
    /// <see cref="Ipv6Mtu"/> bounds it. +28 instead of +20 when the IPv6 packet the inner one
    /// was translated from carried a Fragment header (RFC 7599 errata 7160): inbound, only such
    /// packets get MF, an offset, or DF clear above <see cref="DfThreshold"/> bytes. An MTU of
    /// 0 (a router older than RFC 1191) is replaced by the RFC 1191 plateau below the quoted
    /// packet's length. Never below 1280: no IPv6 link is smaller (RFC 8200 §5), and since
    /// RFC 8021 a smaller report asks nothing of the IPv6 node (RFC 7915 §4.2 points to its §6 for this).
    /// </summary>
    internal int PacketTooBigMtu(int advertised, int innerFlags, int innerTotal)
    {
        bool hadFragmentHeader = (innerFlags & 0x3fff) != 0 || ((innerFlags & 0x4000) == 0 && innerTotal > DfThreshold);
        int mtu4 = advertised != 0 ? advertised : Rfc1191Plateau(innerTotal);
        return Math.Max(Ipv6MinMtu, Math.Min(mtu4 + (hadFragmentHeader ? 28 : 20), Ipv6Mtu));
    }

    /// <summary>RFC 1191 §7 table 7-1: the greatest plateau below <paramref name="totalLength"/> (68 at least).</summary>
    internal static int Rfc1191Plateau(int totalLength)
    {
        ReadOnlySpan<int> plateaus = [65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296];
        foreach (int p in plateaus)
            if (p < totalLength)
                return p;
        return 68;
    }

    /// <summary>
    /// Whether the IPv4 options hold a loose or strict source route (RFC 791 types 131, 137)
    /// whose pointer has not passed its end: RFC 7915 §4.1 says such a packet MUST be discarded
    /// (a translator cannot follow the route), other options are ignored.
    /// </summary>
    internal static bool HasUnexpiredSourceRoute(ReadOnlySpan<byte> options)
    {
        int i = 0;
        while (i < options.Length)
        {
            int type = options[i];
            if (type == 0)
                return false; // End of Option List
            if (type == 1)
            {
                i++; // No Operation
                continue;
            }
            if (i + 1 >= options.Length)
                return false;
            int length = options[i + 1];
            if (length < 2 || i + length > options.Length)
                return false; // malformed options: left to the routers behind, as before
            if ((type == 131 || type == 137) && length >= 3 && options[i + 2] <= length)
                return true;
            i += length;
        }
        return false;
    }

    /// <summary>RFC 7915 §4.2 Figure 3: an IPv4 header pointer as the IPv6 header pointer, -1 if none.</summary>
    internal static int PointerFrom4(int pointer) => pointer switch
    {
        0 => 0,  // Version/IHL -> Version/Traffic Class
        1 => 1,  // Type Of Service -> Traffic Class/Flow Label
        2 or 3 => 4, // Total Length -> Payload Length
        8 => 7,  // TTL -> Hop Limit
        9 => 6,  // Protocol -> Next Header
        >= 12 and <= 15 => 8,  // Source Address
        >= 16 and <= 19 => 24, // Destination Address
        _ => -1,
    };
}
