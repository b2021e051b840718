using System;

namespace Mapt.Translator;

/// <summary>IPv6 to IPv4 (RFC 7915 §5), the CE's inbound direction, with the MAP checks.</summary>
public sealed partial class PacketTranslator
{
    /// <summary>192.0.0.8, the IPv4 dummy address (RFC 7600 §4.8) for ICMP errors from IPv6-only nodes.</summary>
    public const uint DummyIpv4 = 0xc0000008;

    /// <summary>Where the upper layer starts after the extension headers the translator passes over.</summary>
    private ref struct Ipv6Walk
    {
        public int NextHeader;
        public int Offset;
        public bool Fragment;
        public bool More;
        public int FragmentOffset; // in 8-octet units, as IPv4 has it
        public uint Id;
    }

    /// <summary>
    /// Walks Hop-by-Hop, Destination Options, Routing (only with Segments Left 0, RFC 7915
    /// §5.1) and Fragment headers; false with a reason for anything that cannot pass.
    /// </summary>
    private static DropReason Walk(ReadOnlySpan<byte> p, ref Ipv6Walk w)
    {
        for (int guard = 0; guard < 8; guard++)
        {
            switch (w.NextHeader)
            {
                case 0 or 43 or 60:
                    if (w.Offset + 8 > p.Length)
                        return DropReason.Malformed;
                    if (w.NextHeader == 43 && p[w.Offset + 3] != 0)
                        return DropReason.ExtensionHeader;
                    int len = (p[w.Offset + 1] + 1) * 8;
                    w.NextHeader = p[w.Offset];
                    w.Offset += len;
                    if (w.Offset > p.Length)
                        return DropReason.Malformed;
                    break;
                case Fragment6:
                    if (w.Offset + 8 > p.Length || w.Fragment)
                        return DropReason.Malformed;
                    w.NextHeader = p[w.Offset];
                    int off = U16(p, w.Offset + 2);
                    w.Fragment = true;
                    w.More = (off & 1) != 0;
                    w.FragmentOffset = off >> 3;
                    w.Id = U32(p, w.Offset + 4);
                    w.Offset += 8;
                    break;
                default:
                    return DropReason.None;
            }
        }
        return DropReason.ExtensionHeader;
    }

    private DropReason Inbound(Span<byte> buffer, ref int start, ref int length)
    {
        Span<byte> p = buffer.Slice(start, length);
        if (p.Length < 40 || p[0] >> 4 != 6)
            return DropReason.Malformed;
        int payloadLength = U16(p, 4);
        if (40 + payloadLength > p.Length)
            return DropReason.Malformed;
        p = p.Slice(0, 40 + payloadLength);
        if (p[24] == 0xff)
            return DropReason.Multicast; // counted apart, so not-map-address means what it says
        if (!_map.IsMapIpv6(p.Slice(24, 16)))
            return DropReason.NotMapAddress;
        bool mapped = _map.TryMapToIpv4(p.Slice(8, 16), out uint src);
        uint dst = _map.Ipv4;
        var w = new Ipv6Walk { NextHeader = p[6], Offset = 40 };
        DropReason walked = Walk(p, ref w);
        if (walked != DropReason.None)
            return walked;
        if (!mapped)
        {
            // An ICMPv6 error from an IPv6-only node (the CE's own WAN hop, an ISP router) has
            // no IPv4 address: RFC 7915 §5.2 / RFC 6791 give it the dummy 192.0.0.8 (RFC 7600
            // §4.8), so traceroute and PMTU still work; anything else from there is dropped.
            bool icmpError = w.NextHeader == Icmp6 && !w.Fragment && w.Offset < p.Length && p[w.Offset] < 128;
            if (!icmpError)
                return DropReason.SourceNotMappable;
            src = DummyIpv4;
        }
        int trafficClass = (int)(U32(p, 0) >> 20) & 0xff;
        int hopLimit = p[7];
        Span<byte> l4 = p.Slice(w.Offset);

        if (w.NextHeader == Icmp6)
        {
            if (w.Fragment)
                return DropReason.FragmentedIcmp;
            return InboundIcmp(buffer, ref start, ref length, p, w.Offset, src, trafficClass, hopLimit);
        }

        int protocol = w.NextHeader;
        bool ports = protocol is Tcp or Udp;
        if (!ports)
        {
            if (_map.PsidLength != 0)
                return DropReason.ProtocolWithoutPorts;
        }
        else if (w.FragmentOffset == 0)
        {
            if (l4.Length < (protocol == Tcp ? 20 : 8))
                return DropReason.Malformed;
            int dstPort = U16(l4, 2);
            DropReason refused = !_map.TryInboundPort(protocol, dstPort, out int localPort) ? DropReason.DestinationPortOutsideSet
                : protocol == Udp && U16(l4, 6) == 0 ? DropReason.UdpZeroChecksum
                : DropReason.None;
            // Remembered in the inbound table with its verdict, so the later fragments of a
            // refused first one are refused too rather than left to the kernel's reassembly
            // queue. Only inbound entries can be evicted by what the WAN sends.
            if (w.More)
                _inboundFragments.Remember(src, dst, protocol, w.Id, dstPort, refused);
            if (refused != DropReason.None)
                return refused;
            RewritePort(l4, 2, localPort, protocol, _checksumPartial);
            UpdateL4Checksum(l4, protocol, Checksum.Add(0, p.Slice(8, 32)), Sum4(src) + Sum4(dst));
        }
        else if (_inboundFragments.TryFind(src, dst, protocol, w.Id, out _, out DropReason refused) && refused != DropReason.None)
        {
            return refused;
        }
        // A later fragment whose first one has not been seen (out of order, or the table moved
        // on) is translated: it is addressed to this CE's own MAP address, so no other CE can be
        // reached through it, and the kernel's reassembly joins it to its first fragment (which
        // is checked when it comes) or drops it after ipfrag_time. Dropping it instead lost
        // every datagram a sender fragments last-first.

        // RFC 7915 §5.1: without a Fragment header, DF above 1260 bytes and a generated
        // identification; §5.1.1: with one, the low 16 bits of its identification, its
        // offset and M flag, DF clear.
        int id, flags;
        if (w.Fragment)
        {
            id = (int)(w.Id & 0xffff);
            flags = (w.More ? 0x2000 : 0) | w.FragmentOffset;
        }
        else
        {
            flags = UnfragmentedFlags(20 + l4.Length, out id);
        }
        int newStart = start + w.Offset - 20;
        WriteIpv4Header(buffer.Slice(newStart, 20), trafficClass, 20 + l4.Length, id, flags, OneHop(hopLimit), protocol, src, dst);
        start = newStart;
        length = 20 + l4.Length;
        return DropReason.None;
    }

    private DropReason InboundIcmp(Span<byte> buffer, ref int start, ref int length, Span<byte> p, int offset, uint src,
        int trafficClass, int hopLimit)
    {
        Span<byte> icmp = p.Slice(offset);
        if (icmp.Length < 8)
            return DropReason.Malformed;
        int type = icmp[0], code = icmp[1];
        uint dst = _map.Ipv4;

        if (type is 128 or 129)
        {
            // A reply must come back to an echo id of the set; a request is answered by the
            // CE's own stack, which replies with the requester's id.
            int localId = U16(icmp, 4);
            if (type == 129 && !_map.TryInboundPort(Icmp6, localId, out localId))
                return DropReason.DestinationPortOutsideSet;
            icmp[0] = (byte)(type == 128 ? 8 : 0);
            W16(icmp, 4, localId); // the checksum is computed afresh below
            W16(icmp, 2, 0);
            W16(icmp, 2, Checksum.Finish(Checksum.Add(0, icmp)));
            int newStart = start + offset - 20;
            int echoFlags = UnfragmentedFlags(20 + icmp.Length, out int echoId);
            WriteIpv4Header(buffer.Slice(newStart, 20), trafficClass, 20 + icmp.Length, echoId, echoFlags, OneHop(hopLimit), Icmp4, src, dst);
            start = newStart;
            length = 20 + icmp.Length;
            return DropReason.None;
        }

        // RFC 7915 §5.2: errors.
        int newType, newCode;
        uint rest = 0;
        bool tooBig = false;
        switch (type)
        {
            case 1:
                switch (code)
                {
                    case 0 or 2 or 3: newType = 3; newCode = 1; break;
                    case 1: newType = 3; newCode = 10; break;
                    case 4: newType = 3; newCode = 3; break;
                    default: return DropReason.IcmpUntranslatable;
                }
                break;
            case 2:
                newType = 3; newCode = 4; tooBig = true;
                break;
            case 3:
                newType = 11; newCode = code;
                break;
            case 4 when code == 0:
                uint pointer6 = U32(icmp, 4);
                int pointer = pointer6 > 40 ? -1 : PointerFrom6((int)pointer6);
                if (pointer < 0)
                    return DropReason.IcmpUntranslatable;
                newType = 12; newCode = 0; rest = (uint)pointer << 24;
                break;
            case 4 when code == 1:
                newType = 3; newCode = 2;
                break;
            default:
                return DropReason.IcmpUntranslatable;
        }

        // The inner packet is one the CE sent: from its MAP address to a remote.
        Span<byte> inner = icmp.Slice(8);
        if (inner.Length < 40 || inner[0] >> 4 != 6)
            return DropReason.Malformed;
        if (!_map.IsMapIpv6(inner.Slice(8, 16)))
            return DropReason.NotMapAddress;
        if (!_map.TryMapToIpv4(inner.Slice(24, 16), out uint innerDst))
            return DropReason.SourceNotMappable;
        var w = new Ipv6Walk { NextHeader = inner[6], Offset = 40 };
        if (Walk(inner, ref w) != DropReason.None)
            return DropReason.Malformed;
        int innerProtocol = w.NextHeader;
        int innerTc = (int)(U32(inner, 0) >> 20) & 0xff, innerHop = inner[7], innerPayloadLength = U16(inner, 4);
        Span<byte> innerL4 = inner.Slice(w.Offset);
        uint innerSrc = _map.Ipv4;
        if (w.FragmentOffset == 0)
        {
            if (innerProtocol is Tcp or Udp)
            {
                // The quoted packet went out: its source is the CE's real port, which the LAN
                // side's conntrack knows as the virtual one (how it finds the flow the error is about).
                if (innerL4.Length >= 2)
                {
                    if (!_map.TryInboundPort(innerProtocol, U16(innerL4, 0), out int innerPort))
                        return DropReason.DestinationPortOutsideSet;
                    RewritePort(innerL4, 0, innerPort, innerProtocol);
                }
                UpdateL4Checksum(innerL4, innerProtocol, Checksum.Add(0, inner.Slice(8, 32)), Sum4(innerSrc) + Sum4(innerDst));
            }
            else if (innerProtocol == Icmp6 && innerL4.Length >= 1 && innerL4[0] is 128 or 129)
            {
                // The CE's own echo request: its id is real here and virtual to the LAN side.
                if (innerL4[0] == 128 && innerL4.Length >= 8 && _map.TryInboundPort(Icmp6, U16(innerL4, 4), out int id))
                    RewriteIcmpId(innerL4, id);
                innerL4[0] = (byte)(innerL4[0] == 128 ? 8 : 0);
            }
        }

        if (tooBig)
        {
            rest = (uint)FragmentationNeededMtu(U32(icmp, 4), w.Fragment);
            Counters.PacketTooBig++;
        }

        int innerFlags = w.Fragment ? (w.More ? 0x2000 : 0) | w.FragmentOffset : 0x4000;
        int innerId = w.Fragment ? (int)(w.Id & 0xffff) : 0;
        int innerTotal = 20 + innerPayloadLength - (w.Offset - 40);
        int innerPayloadAt = start + offset + 8 + w.Offset;
        int innerPayload = start + p.Length - innerPayloadAt;
        int at = innerPayloadAt - 48;
        Span<byte> outp = buffer.Slice(at, 48 + innerPayload);
        WriteIpv4Header(outp.Slice(28), innerTc, Math.Max(20, innerTotal), innerId, innerFlags, innerHop,
            innerProtocol == Icmp6 ? Icmp4 : innerProtocol, innerSrc, innerDst);
        WriteIcmp4Header(outp.Slice(20), newType, newCode, rest);
        int errorFlags = UnfragmentedFlags(outp.Length, out int errorId);
        WriteIpv4Header(outp, trafficClass, outp.Length, errorId, errorFlags, OneHop(hopLimit), Icmp4, src, dst);
        start = at;
        length = outp.Length;
        return DropReason.None;
    }

    /// <summary>
    /// The MTU of the Fragmentation Needed that a Packet Too Big becomes (RFC 7915 §5.2):
    /// minimum(advertised MTU - 20, MTU of the IPv4 next hop, MTU of the IPv6 next hop - 20);
    /// both next hops are bounded by the WAN MTU here (<see cref="Ipv6Mtu"/> - 20 is the TUN
    /// MTU). -28 when the IPv6 packet carried a Fragment header (RFC 7599 errata 7160). A
    /// report below the IPv6 minimum MTU is taken as 1280 (RFC 8200 §5: no IPv6 link is
    /// smaller); 68 is IPv4's own floor (RFC 791).
    /// </summary>
    internal long FragmentationNeededMtu(uint advertised, bool fragmentHeader)
    {
        long mtu = Math.Min((long)Math.Max(advertised, (uint)Ipv6MinMtu) - (fragmentHeader ? 28 : 20), Ipv6Mtu - 20);
        return Math.Clamp(mtu, 68, 0xffff);
    }

    /// <summary>RFC 7915 §5.2 Figure 6: an IPv6 header pointer as the IPv4 one, -1 if none.</summary>
    internal static int PointerFrom6(int pointer) => pointer switch
    {
        0 => 0,  // Version/Traffic Class -> Version/IHL
        1 => 1,  // Traffic Class/Flow Label -> Type Of Service
        4 or 5 => 2, // Payload Length -> Total Length
        6 => 9,  // Next Header -> Protocol
        7 => 8,  // Hop Limit -> TTL
        >= 8 and <= 23 => 12,  // Source Address
        >= 24 and <= 39 => 16, // Destination Address
        _ => -1,
    };
}
