using Mapt.Net;

namespace Mapt.Map;

/// <summary>
/// Forward and reverse mapping with one rule: what the translator does per packet for an FMR
/// destination (RFC 7597 section 7, RFC 7599 section 5) and what an operator's reverse lookup
/// needs. No allocation.
/// </summary>
public sealed partial class MapRule
{
    /// <summary>
    /// The EA bits of the CE that owns <paramref name="ipv4"/> and <paramref name="port"/>:
    /// IPv4 suffix (p bits) followed by the port's PSID (q bits) when the address is shared.
    /// </summary>
    public bool TryGetEaBits(Ipv4Address ipv4, ushort port, out ulong eaBits, out MapError error)
    {
        eaBits = 0;
        if (!RuleIpv4Prefix.Contains(ipv4))
        {
            error = MapError.Ipv4OutsideRule;
            return false;
        }
        int o = EaBitsLength;
        int p = Ipv4SuffixLength;
        ulong suffix = p == 0 ? 0UL : ipv4.Value & ((1UL << p) - 1);
        if (o > p)
        {
            int q = o - p;
            if (!TryGetPsid(port, out ushort psid))
            {
                error = MapError.PortNotInAnySet;
                return false;
            }
            eaBits = (suffix << q) | psid;
        }
        else
        {
            if (HasExplicitPsid)
            {
                if (!TryGetPsid(port, out ushort psid))
                {
                    error = MapError.PortNotInAnySet;
                    return false;
                }
                if (psid != PortParameters.Psid)
                {
                    error = MapError.PortNotInExplicitPsid;
                    return false;
                }
            }
            eaBits = suffix >> (p - o);
        }
        error = MapError.None;
        return true;
    }

    /// <summary>
    /// The PSID a port belongs to under this rule's a and k (RFC 7597 section 5.1); false for a
    /// port in no set (0, or below 2^(16-a) when a > 0).
    /// </summary>
    public bool TryGetPsid(ushort port, out ushort psid)
    {
        psid = 0;
        int a = PsidOffset;
        int k = PsidLength;
        if (port == 0 || (a > 0 && port >> (16 - a) == 0))
            return false;
        if (k == 0)
            return true;
        int m = 16 - a - k;
        psid = (ushort)((port >> m) & ((1 << k) - 1));
        // a = 0: PSID 0's block holds port 0, which is never handed out, but the rest is its.
        return true;
    }

    /// <summary>
    /// FMR mapping (RFC 7599 section 5.1): an IPv4 destination and port inside this rule's
    /// IPv4 prefix to the MAP IPv6 address of the CE that owns them.
    /// </summary>
    public bool TryMapIpv4ToIpv6(Ipv4Address ipv4, ushort port, out Ipv6Address mapAddress, out MapError error)
    {
        mapAddress = default;
        if (!TryGetEaBits(ipv4, port, out ulong eaBits, out error))
            return false;
        mapAddress = MapIpv6Address(eaBits);
        return true;
    }

    /// <summary>
    /// The reverse: a MAP IPv6 address of a CE under this rule to its IPv4 address (the start
    /// of its prefix when o + r &lt; 32) and the PSID its ports must carry. The interface ID
    /// must be the one RFC 7599 section 6 builds from those EA bits; a CE address with another
    /// interface ID is refused (a spoofed or mis-built source).
    /// </summary>
    public bool TryMapIpv6ToIpv4(Ipv6Address mapAddress, out Ipv4Address ceIpv4, out ushort psid, out MapError error)
    {
        ceIpv4 = default;
        psid = 0;
        if (!RuleIpv6Prefix.Contains(mapAddress))
        {
            error = MapError.Ipv6OutsideRule;
            return false;
        }
        ulong eaBits = mapAddress.GetBits(RuleIpv6Prefix.Length, EaBitsLength);
        CeFromEaBits(eaBits, out ceIpv4, out psid);
        if (mapAddress.Low != (((ulong)ceIpv4.Value << 16) | psid))
        {
            error = MapError.InterfaceIdMismatch;
            return false;
        }
        error = MapError.None;
        return true;
    }
}
