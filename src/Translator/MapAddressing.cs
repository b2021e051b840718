using System;
using System.Buffers.Binary;

namespace Mapt.Translator;

/// <summary>
/// The per-packet address arithmetic of RFC 7599 for one CE, precomputed into plain values
/// so the hot path does no allocation: the CE's IPv4 address and port set (RFC 7597 §5.1),
/// its MAP IPv6 address (RFC 7599 §6), the DMR (RFC 6052 §2.2 embedding) and the FMRs
/// (mesh: destination IPv4 + port -> EA bits -> IPv6, RFC 7597 §5.3).
/// </summary>
public sealed class MapAddressing
{
    private readonly byte[] _ipv6 = new byte[16];
    private readonly byte[] _dmr = new byte[16];
    private readonly Fmr[] _fmrs;

    /// <param name="ipv4">The CE's IPv4 address (host order).</param>
    /// <param name="mapIpv6">The CE's MAP IPv6 address.</param>
    /// <param name="psidOffset">a (RFC 7597 §5.1), 0..15.</param>
    /// <param name="psidLength">k, 0..16; 0 means the whole address (no port check).</param>
    /// <param name="psid">The PSID right-aligned in k bits.</param>
    /// <param name="dmrPrefix">The DMR's prefix (16 bytes, bits past the length ignored).</param>
    /// <param name="dmrLength">32, 40, 48, 56, 64 or 96 (RFC 6052 §2.2).</param>
    public MapAddressing(uint ipv4, ReadOnlySpan<byte> mapIpv6, int psidOffset, int psidLength, int psid,
        ReadOnlySpan<byte> dmrPrefix, int dmrLength, Fmr[]? fmrs = null)
    {
        if (mapIpv6.Length != 16 || dmrPrefix.Length != 16)
            throw new ArgumentException("IPv6 addresses are 16 bytes");
        if (dmrLength is not (32 or 40 or 48 or 56 or 64 or 96))
            throw new ArgumentOutOfRangeException(nameof(dmrLength), dmrLength, "RFC 6052 prefix lengths are 32, 40, 48, 56, 64, 96");
        if (psidOffset is < 0 or > 15 || psidLength < 0 || psidOffset + psidLength > 16)
            throw new ArgumentOutOfRangeException(nameof(psidLength), psidLength, "a + k must be at most 16");
        Ipv4 = ipv4;
        mapIpv6.CopyTo(_ipv6);
        dmrPrefix.Slice(0, dmrLength / 8).CopyTo(_dmr);
        DmrLength = dmrLength;
        PsidOffset = psidOffset;
        PsidLength = psidLength;
        Psid = psid & ((1 << psidLength) - 1);
        _fmrs = fmrs ?? Array.Empty<Fmr>();
    }

    public uint Ipv4 { get; }
    public ReadOnlySpan<byte> MapIpv6 => _ipv6;
    public int PsidOffset { get; }
    public int PsidLength { get; }
    public int Psid { get; }
    public int DmrLength { get; }

    /// <summary>Whether <paramref name="port"/> belongs to the CE's port set (RFC 7597 §5.1 GMA).</summary>
    public bool PortInSet(int port) => PortInSet(port, PsidOffset, PsidLength, Psid);

    internal static bool PortInSet(int port, int a, int k, int psid)
    {
        if (k == 0)
            return true; // the whole address: no sharing, nothing to check
        if (a > 0 && (port >> (16 - a)) == 0)
            return false; // A = 0 is excluded: the system ports
        return ((port >> (16 - a - k)) & ((1 << k) - 1)) == psid;
    }

    /// <summary>A remote IPv4 destination (and its port, for the mesh) as the IPv6 address to send to.</summary>
    public bool TryMapToIpv6(uint ipv4, int port, Span<byte> ipv6)
    {
        if (ipv4 == Ipv4)
            return false;
        foreach (Fmr f in _fmrs)
            if (f.Contains(ipv4))
            {
                f.Map(ipv4, port, ipv6);
                return true;
            }
        Rfc6052Embed(_dmr, DmrLength, ipv4, ipv6);
        return true;
    }

    /// <summary>A remote IPv6 source as its IPv4 address: FMR (mesh) first, then the DMR.</summary>
    public bool TryMapToIpv4(ReadOnlySpan<byte> ipv6, out uint ipv4)
    {
        foreach (Fmr f in _fmrs)
            if (f.TryExtract(ipv6, out ipv4))
                return true;
        if (PrefixMatches(ipv6, _dmr, DmrLength))
        {
            ipv4 = Rfc6052Extract(ipv6, DmrLength);
            return ipv4 != Ipv4;
        }
        ipv4 = 0;
        return false;
    }

    public bool IsMapIpv6(ReadOnlySpan<byte> ipv6) => ipv6.Slice(0, 16).SequenceEqual(_ipv6);

    internal static bool PrefixMatches(ReadOnlySpan<byte> address, ReadOnlySpan<byte> prefix, int length)
    {
        int whole = length / 8;
        if (!address.Slice(0, whole).SequenceEqual(prefix.Slice(0, whole)))
            return false;
        int rest = length % 8;
        if (rest == 0)
            return true;
        int mask = 0xff << (8 - rest) & 0xff;
        return (address[whole] & mask) == (prefix[whole] & mask);
    }

    /// <summary>RFC 6052 §2.2: the IPv4 address around the u-octet (bits 64-71), suffix zero.</summary>
    public static void Rfc6052Embed(ReadOnlySpan<byte> prefix, int length, uint ipv4, Span<byte> ipv6)
    {
        ipv6.Slice(0, 16).Clear();
        prefix.Slice(0, length / 8).CopyTo(ipv6);
        Span<byte> v4 = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(v4, ipv4);
        int at = length / 8;
        for (int i = 0; i < 4; i++)
        {
            if (at == 8)
                at++; // skip the u-octet
            ipv6[at++] = v4[i];
        }
    }

    public static uint Rfc6052Extract(ReadOnlySpan<byte> ipv6, int length)
    {
        uint v = 0;
        int at = length / 8;
        for (int i = 0; i < 4; i++)
        {
            if (at == 8)
                at++;
            v = v << 8 | ipv6[at++];
        }
        return v;
    }
}
