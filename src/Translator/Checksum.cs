using System;
using System.Buffers.Binary;

namespace Mapt.Translator;

/// <summary>
/// The Internet checksum (RFC 1071) and its incremental update (RFC 1624 eq. 3), which is
/// what lets a translator fix a TCP/UDP checksum for the new pseudo-header without reading
/// the payload (RFC 7915 §4.5, §5.5).
/// </summary>
public static class Checksum
{
    /// <summary>The 32-bit one's-complement accumulation of <paramref name="data"/> as 16-bit words (odd tail padded).</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        int i = 0;
        // 64-bit accumulator over 4-byte words: carries are folded at the end (no overflow below 2^32 words).
        ulong acc = sum;
        for (; i + 4 <= data.Length; i += 4)
            acc += BinaryPrimitives.ReadUInt32BigEndian(data.Slice(i));
        for (; i + 2 <= data.Length; i += 2)
            acc += BinaryPrimitives.ReadUInt16BigEndian(data.Slice(i));
        if (i < data.Length)
            acc += (uint)data[i] << 8;
        acc = (acc & 0xffffffff) + (acc >> 32);
        acc = (acc & 0xffffffff) + (acc >> 32);
        return Fold32((uint)acc);
    }

    /// <summary>Folds to 16 bits, but keeps the value in a uint so sums can go on.</summary>
    public static uint Fold32(uint sum)
    {
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        return sum;
    }

    public static ushort Fold(uint sum) => (ushort)Fold32(sum);

    /// <summary>The checksum field value for data whose sum is <paramref name="sum"/>.</summary>
    public static ushort Finish(uint sum) => (ushort)~Fold(sum);

    /// <summary>
    /// RFC 1624 eq. 3: HC' = ~(~HC + ~m + m'), where m and m' are the sums of the words that
    /// changed (here: the pseudo-header addresses before and after translation).
    /// </summary>
    public static ushort Update(ushort check, uint oldSum, uint newSum)
    {
        uint s = (uint)(ushort)~check + (uint)(ushort)~Fold(oldSum) + Fold32(newSum);
        return (ushort)~Fold(s);
    }

    /// <summary>Sum of the IPv4 pseudo-header (RFC 793/768): addresses, protocol, upper-layer length.</summary>
    public static uint PseudoHeader4(ReadOnlySpan<byte> src, ReadOnlySpan<byte> dst, int protocol, int length) =>
        Add(Add((uint)protocol + (uint)length, src.Slice(0, 4)), dst.Slice(0, 4));

    /// <summary>Sum of the IPv6 pseudo-header (RFC 8200 §8.1).</summary>
    public static uint PseudoHeader6(ReadOnlySpan<byte> src, ReadOnlySpan<byte> dst, int nextHeader, int length) =>
        Add(Add((uint)nextHeader + (uint)(length & 0xffff) + (uint)(length >> 16), src.Slice(0, 16)), dst.Slice(0, 16));
}
