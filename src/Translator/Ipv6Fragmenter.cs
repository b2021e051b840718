using System;
using System.Runtime.CompilerServices;

namespace Mapt.Translator;

/// <summary>
/// Cuts a translated IPv6 packet that carries a Fragment header into fragments that fit the
/// IPv6 MTU (RFC 7915 §4.1: an IPv4 packet without DF, or an IPv4 fragment, may not fit
/// once 20 + 8 bytes of header are added; RFC 7599 errata 7160). In place: each fragment's
/// header is written over the tail of the fragment before it, which the caller has already
/// sent, so nothing is copied but the 48 header bytes.
/// </summary>
public ref struct Ipv6Fragmenter
{
    [InlineArray(48)]
    private struct Header
    {
        private byte _b;
    }

    private readonly Span<byte> _buffer;
    private readonly int _payloadStart, _end, _chunk, _baseUnits;
    private readonly bool _more;
    private Header _header;
    private int _at;

    /// <param name="buffer">The buffer holding the packet.</param>
    /// <param name="start">Where the IPv6 header starts; a Fragment header must follow it directly.</param>
    /// <param name="length">The packet's length.</param>
    /// <param name="mtu">The largest fragment, at least 1280.</param>
    public Ipv6Fragmenter(Span<byte> buffer, int start, int length, int mtu)
    {
        if (length < 48 || buffer[start + 6] != PacketTranslator.Fragment6)
            throw new ArgumentException("not an IPv6 packet with a Fragment header first");
        _buffer = buffer;
        buffer.Slice(start, 48).CopyTo(_header);
        _payloadStart = start + 48;
        _end = start + length;
        _chunk = (Math.Max(mtu, 1280) - 48) & ~7;
        int word = PacketTranslator.U16(buffer, start + 42);
        _baseUnits = word >> 3;
        _more = (word & 1) != 0;
        _at = _payloadStart;
    }

    /// <summary>Whether the packet needs cutting at all.</summary>
    public static bool Needed(ReadOnlySpan<byte> packet, int mtu) =>
        packet.Length > mtu && packet.Length >= 48 && packet[0] >> 4 == 6 && packet[6] == PacketTranslator.Fragment6;

    /// <summary>The next fragment, written in place; false when the packet is used up.</summary>
    public bool TryNext(out int start, out int length)
    {
        start = length = 0;
        if (_at >= _end)
            return false;
        int n = Math.Min(_chunk, _end - _at);
        bool last = _at + n >= _end;
        int h = _at - 48;
        Span<byte> header = _header;
        header.CopyTo(_buffer.Slice(h));
        PacketTranslator.W16(_buffer, h + 4, 8 + n);
        int units = _baseUnits + (_at - _payloadStart) / 8;
        PacketTranslator.W16(_buffer, h + 42, units << 3 | (last ? (_more ? 1 : 0) : 1));
        start = h;
        length = 48 + n;
        _at += n;
        return true;
    }
}
