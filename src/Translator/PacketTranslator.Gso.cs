using System;

namespace Mapt.Translator;

/// <summary>
/// Packets the TUN device hands over with an offload pending (<see cref="VirtioNetHeader"/>):
/// a partial checksum (the field holds only the pseudo-header sum) and, for a GSO
/// super-packet, up to 64 KB of TCP (or UDP) payload the kernel will cut into segments. The
/// super-packet goes through the per-packet path once (every check, the same counters), with
/// two adaptations around it, both here: the partial checksum is complemented before and
/// after, so the per-packet incremental update (RFC 1624, written for a complete checksum)
/// moves the pseudo-header sum the right way; and the virtio_net_hdr is rewritten for the new
/// family (gso_type, hdr_len, csum_start, gso_size so that segments fit the IPv6 MTU, the
/// IPv4 flags and identifications per segment).
/// </summary>
public sealed partial class PacketTranslator
{
    /// <summary>
    /// Translates a packet read with <paramref name="vnet"/> in front of it and rewrites the
    /// header for the translated packet. A packet without offload goes to
    /// <see cref="Translate"/> as it is. A super-packet counts as the segments the kernel will
    /// cut it into (packets, and bytes as the sum of their IP lengths), plus one
    /// <see cref="TranslatorCounters.GsoPacketsSent"/> / <see cref="TranslatorCounters.GsoPacketsReceived"/>;
    /// a dropped one as as many drops.
    /// </summary>
    public DropReason TranslateOffloaded(Span<byte> buffer, ref int start, ref int length, ref VirtioNetHeader vnet)
    {
        if (!vnet.IsPartial)
        {
            // DATA_VALID or nothing: a complete packet; a GSO one without a partial checksum
            // is not something the kernel sends.
            if (vnet.IsGso)
                return Drop(buffer, start, DropReason.Malformed, 1);
            vnet = default;
            return Translate(buffer, ref start, ref length);
        }
        Span<byte> p = buffer.Slice(start, length);
        int l4 = vnet.CsumStart, field = l4 + vnet.CsumOffset;
        int ipLength = IpLength(p);
        if (ipLength < 0 || field + 2 > ipLength)
            return Drop(buffer, start, DropReason.Malformed, 1);
        bool v6 = p[0] >> 4 == 6;
        int protocol = vnet.CsumOffset == 16 ? Tcp : vnet.CsumOffset == 6 ? Udp : 0;
        // The transport header right behind a plain IP header: what TCP and UDP send. Anything
        // else (extension headers, another protocol's checksum) gets its checksum completed
        // here and goes the per-packet way; a super-packet of that kind is refused.
        bool plain = protocol != 0 && (v6 ? l4 == 40 && p[6] == protocol : l4 == (p[0] & 0xf) * 4 && p[9] == protocol);
        int thlen = protocol == Tcp ? (l4 + 13 <= ipLength ? (p[l4 + 12] >> 4) * 4 : 0) : 8;
        int segments = 1;
        byte flagsAsRead = p[6];
        if (vnet.IsGso)
        {
            int type = vnet.GsoType & ~VirtioNetHeader.GsoEcn;
            bool typeFits = plain && (type == VirtioNetHeader.GsoUdpL4 ? protocol == Udp
                : protocol == Tcp && type == (v6 ? VirtioNetHeader.GsoTcpV6 : VirtioNetHeader.GsoTcpV4));
            int payload = ipLength - l4 - thlen;
            if (!typeFits || thlen < (protocol == Tcp ? 20 : 8) || payload < 0 || vnet.GsoSize == 0)
                return Drop(buffer, start, DropReason.Malformed, 1);
            segments = Segments(payload, vnet.GsoSize);
            if (v6)
            {
                // IPv4's total length is 16 bits: a super-packet whose IPv4 form would exceed
                // it cannot be expressed (the kernel's GRO and TSO stay below 64 KB in all).
                if (20 + ipLength - l4 > 0xffff)
                    return Drop(buffer, start, DropReason.Malformed, segments);
            }
            else
            {
                // A TCP/UDP super-packet is never a fragment. DF is set for the per-packet path
                // (which would otherwise give a DF-clear packet above the IPv6 MTU a Fragment
                // header): every segment fits once gso_size is checked below, and IPv6 has no DF.
                if ((U16(p, 6) & 0x3fff) != 0)
                    return Drop(buffer, start, DropReason.Malformed, segments);
                p[6] |= 0x40;
            }
        }
        else if (!plain)
        {
            CompleteChecksum(p.Slice(0, ipLength), ref vnet);
            vnet = default;
            return Translate(buffer, ref start, ref length);
        }

        // The pseudo-header sum s becomes ~s, which the per-packet path updates as a checksum
        // (HC' = ~(~HC - m + m')), giving ~(s - m + m'); complemented back, s - m + m'. A sum
        // of 0xffff is taken as 0 (the same one's complement zero), so UDP's "no checksum"
        // value 0 never appears.
        int fieldAt = start + field, l4At = start + l4;
        ushort seed = U16(buffer, fieldAt);
        W16(buffer, fieldAt, (ushort)~(seed == 0xffff ? 0 : seed));
        _checksumPartial = true;
        DropReason r;
        try
        {
            r = Translate(buffer, ref start, ref length);
        }
        finally
        {
            _checksumPartial = false;
        }
        if (r != DropReason.None)
        {
            // The packet as read, for the ICMP error that may quote it.
            W16(buffer, fieldAt, seed);
            buffer[start + 6] = flagsAsRead;
            if (segments > 1)
                Counters.CountDrop(r, outbound: !v6, segments - 1);
            return r;
        }
        W16(buffer, fieldAt, (ushort)~U16(buffer, fieldAt));
        int newL4 = l4At - start; // the transport header never moves
        vnet.CsumStart = (ushort)newL4;
        if (!vnet.IsGso)
            return r;

        int headers = newL4 + thlen;
        vnet.HdrLen = (ushort)headers;
        int type4or6 = protocol == Udp ? VirtioNetHeader.GsoUdpL4 : v6 ? VirtioNetHeader.GsoTcpV4 : VirtioNetHeader.GsoTcpV6;
        vnet.GsoType = (byte)((vnet.GsoType & VirtioNetHeader.GsoEcn) | type4or6);
        if (!v6)
        {
            // Every segment grew by 20 bytes of header: one that no longer fits the IPv6 MTU
            // is cut smaller (the kernel only lets segments into the device that fit its MTU,
            // WAN - 20, so this holds for a smaller IPv6 MTU set since).
            int most = Ipv6Mtu - headers;
            if (vnet.GsoSize > most)
            {
                vnet.GsoSize = (ushort)most;
                segments = Segments(length - headers, most);
            }
            Counters.PacketsSent += segments - 1;
            Counters.BytesSent += (long)(segments - 1) * headers;
            Counters.GsoPacketsSent++;
        }
        else
        {
            // RFC 7915 §5.1 per segment: DF only above 1260 bytes, and an identification of
            // the generator for each (the kernel numbers the segments id, id + 1, ...).
            Span<byte> h = buffer.Slice(start, 20);
            W16(h, 6, 20 + thlen + vnet.GsoSize > DfThreshold ? 0x4000 : 0);
            _nextId += (ushort)(segments - 1);
            W16(h, 10, 0);
            W16(h, 10, Checksum.Finish(Checksum.Add(0, h)));
            Counters.PacketsReceived += segments - 1;
            Counters.BytesReceived += (long)(segments - 1) * headers;
            Counters.GsoPacketsReceived++;
        }
        return r;
    }

    /// <summary>
    /// Completes a partial checksum in software (the sum from csum_start to the end, the
    /// pseudo-header sum already in the field) and clears NEEDS_CSUM: for a packet that is cut
    /// into IPv6 fragments, or one the offloaded path does not translate as it is.
    /// </summary>
    public static void CompleteChecksum(Span<byte> packet, ref VirtioNetHeader vnet)
    {
        if (!vnet.IsPartial)
            return;
        int l4 = vnet.CsumStart, field = l4 + vnet.CsumOffset;
        if (field + 2 <= packet.Length)
        {
            ushort c = Checksum.Finish(Checksum.Add(0, packet.Slice(l4)));
            // RFC 768: a computed zero is sent as all ones (zero means "none" for IPv4 UDP).
            W16(packet, field, c == 0 && vnet.CsumOffset == 6 ? 0xffff : c);
        }
        vnet.Flags &= unchecked((byte)~VirtioNetHeader.NeedsCsum);
    }

    private static int Segments(int payload, int gsoSize) => Math.Max(1, (payload + gsoSize - 1) / gsoSize);

    /// <summary>The IP packet's own length (without link padding), -1 when the header does not hold.</summary>
    private static int IpLength(ReadOnlySpan<byte> p)
    {
        if (p.Length >= 20 && p[0] >> 4 == 4)
        {
            int total = U16(p, 2);
            return total >= 20 && total <= p.Length ? total : -1;
        }
        if (p.Length >= 40 && p[0] >> 4 == 6)
        {
            int total = 40 + U16(p, 4);
            return total <= p.Length ? total : -1;
        }
        return -1;
    }

    private DropReason Drop(ReadOnlySpan<byte> buffer, int start, DropReason reason, int segments)
    {
        bool outbound = buffer.Length <= start || buffer[start] >> 4 != 6;
        Counters.CountDrop(reason, outbound, segments);
        return reason;
    }
}
