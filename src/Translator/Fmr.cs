using System;
using System.Buffers.Binary;

namespace Mapt.Translator;

/// <summary>
/// A Forwarding Mapping Rule reduced to what the mesh path needs per packet (RFC 7597 §5.3):
/// an IPv4 destination inside Rule IPv4 prefix /r plus its port give the EA bits, which
/// with the Rule IPv6 prefix /n and the RFC 7599 §6 interface identifier give the IPv6
/// address of the peer CE; the reverse recovers the IPv4 source of a peer CE.
/// </summary>
public sealed class Fmr
{
    private readonly byte[] _ipv6Prefix = new byte[16];

    public Fmr(ReadOnlySpan<byte> ipv6Prefix, int ipv6Length, uint ipv4Prefix, int ipv4Length, int eaBits, int psidOffset)
    {
        if (ipv4Length is < 0 or > 32 || ipv6Length is < 0 or > 64 || eaBits is < 0 or > 48 || ipv6Length + eaBits > 64)
            throw new ArgumentOutOfRangeException(nameof(eaBits), eaBits, "FMR lengths out of range (n + o must be at most 64)");
        if (ipv4Length + eaBits < 32)
            throw new ArgumentOutOfRangeException(nameof(eaBits), eaBits, "an FMR for an IPv4 prefix (r + o < 32) is not supported in the mesh");
        ipv6Prefix.Slice(0, 16).CopyTo(_ipv6Prefix);
        Ipv6Length = ipv6Length;
        Ipv4Prefix = ipv4Length == 0 ? 0 : ipv4Prefix & (uint.MaxValue << (32 - ipv4Length));
        Ipv4Length = ipv4Length;
        EaBits = eaBits;
        PsidOffset = psidOffset;
    }

    public int Ipv6Length { get; }
    public uint Ipv4Prefix { get; }
    public int Ipv4Length { get; }
    public int EaBits { get; }
    public int PsidOffset { get; }
    private int PsidLength => EaBits - (32 - Ipv4Length);
    private uint Mask4 => Ipv4Length == 0 ? 0 : uint.MaxValue << (32 - Ipv4Length);

    public bool Contains(uint ipv4) => (ipv4 & Mask4) == Ipv4Prefix;

    public void Map(uint ipv4, int port, Span<byte> ipv6)
    {
        int p = 32 - Ipv4Length, q = PsidLength;
        ulong suffix = p == 0 ? 0 : ipv4 & (uint.MaxValue >> (32 - p));
        int psid = q == 0 ? 0 : (port >> (16 - PsidOffset - q)) & ((1 << q) - 1);
        ulong ea = (suffix << q) | (uint)psid;
        ipv6.Slice(0, 16).Clear();
        _ipv6Prefix.AsSpan(0, 8).CopyTo(ipv6);
        ulong upper = BinaryPrimitives.ReadUInt64BigEndian(ipv6);
        ulong keep = Ipv6Length == 0 ? 0 : ulong.MaxValue << (64 - Ipv6Length);
        upper &= keep;
        if (EaBits > 0)
            upper |= ea << (64 - Ipv6Length - EaBits);
        BinaryPrimitives.WriteUInt64BigEndian(ipv6, upper);
        // RFC 7599 §6 (errata 5225): 16 zero bits | IPv4 address | PSID right-aligned.
        BinaryPrimitives.WriteUInt32BigEndian(ipv6.Slice(10), ipv4);
        BinaryPrimitives.WriteUInt16BigEndian(ipv6.Slice(14), (ushort)psid);
    }

    public bool TryExtract(ReadOnlySpan<byte> ipv6, out uint ipv4)
    {
        ipv4 = 0;
        if (!MapAddressing.PrefixMatches(ipv6, _ipv6Prefix, Ipv6Length))
            return false;
        uint embedded = BinaryPrimitives.ReadUInt32BigEndian(ipv6.Slice(10));
        if (!Contains(embedded))
            return false;
        ipv4 = embedded;
        return true;
    }
}
