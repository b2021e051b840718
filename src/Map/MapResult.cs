using System.Diagnostics.CodeAnalysis;
using Mapt.Net;

namespace Mapt.Map;

/// <summary>
/// What a CE derives from its Basic Mapping Rule and End-user prefix (RFC 7597 section 5.2,
/// RFC 7599 section 6): its IPv4 address or prefix, PSID, port set and MAP IPv6 address.
/// </summary>
public sealed class MapResult
{
    public MapRule Rule { get; }
    public Ipv6Prefix EndUserPrefix { get; }
    /// <summary>The o bits of the End-user prefix after the rule's n bits, right-aligned.</summary>
    public ulong EaBits { get; }
    /// <summary>The CE's IPv4 address, or the first address of its prefix when o + r &lt; 32.</summary>
    public Ipv4Address Ipv4Address { get; }
    public Ipv6Address MapIpv6Address { get; }
    public PortSet PortSet { get; }

    private MapResult(MapRule rule, Ipv6Prefix endUserPrefix, ulong eaBits, Ipv4Address ipv4, Ipv6Address mapIpv6, PortSet portSet)
    {
        Rule = rule;
        EndUserPrefix = endUserPrefix;
        EaBits = eaBits;
        Ipv4Address = ipv4;
        MapIpv6Address = mapIpv6;
        PortSet = portSet;
    }

    public int EaBitsLength => Rule.EaBitsLength;
    /// <summary>32, or r + o for a delegated IPv4 prefix.</summary>
    public int Ipv4PrefixLength => Rule.CeIpv4PrefixLength;
    public Ipv4Prefix Ipv4Prefix => Ipv4Prefix.Masked(Ipv4Address, Ipv4PrefixLength);
    /// <summary>a.</summary>
    public int PsidOffset => PortSet.PsidOffset;
    /// <summary>k (0: the address is not shared).</summary>
    public int PsidLength => PortSet.PsidLength;
    /// <summary>Right-aligned PSID.</summary>
    public ushort Psid => PortSet.Psid;
    /// <summary>The PSID left-aligned in 16 bits, as in S46_PORTPARAMS and TR-181 Rule.PSID.</summary>
    public ushort PsidWire => PortParameters.PsidToWire(Psid, PsidLength);
    /// <summary>How many CEs share the IPv4 address: 2^k.</summary>
    public int SharingRatio => 1 << PsidLength;
    /// <summary>Ports this CE may use (see <see cref="PortSet.PortCount"/>).</summary>
    public int PortCount => PortSet.PortCount;

    public bool IsPortInSet(ushort port) => PortSet.Contains(port);

    /// <summary>
    /// The CE computation: EA bits from the End-user prefix, then the rule's arithmetic. Refuses
    /// an End-user prefix outside the rule or too short to hold the EA bits.
    /// </summary>
    public static bool TryCompute(MapRule rule, Ipv6Prefix endUserPrefix, [MaybeNullWhen(false)] out MapResult result, out MapError error)
    {
        result = null;
        int n = rule.RuleIpv6Prefix.Length;
        if (endUserPrefix.Length >= n ? !rule.RuleIpv6Prefix.Contains(endUserPrefix.Address)
                                      : !endUserPrefix.Contains(rule.RuleIpv6Prefix.Address))
        {
            error = MapError.EndUserPrefixOutsideRule;
            return false;
        }
        if (endUserPrefix.Length < rule.EndUserPrefixMinLength)
        {
            error = MapError.EndUserPrefixTooShort;
            return false;
        }
        ulong eaBits = endUserPrefix.Address.GetBits(n, rule.EaBitsLength);
        rule.CeFromEaBits(eaBits, out Ipv4Address ipv4, out ushort psid);
        result = new MapResult(rule, endUserPrefix, eaBits, ipv4, rule.MapIpv6Address(eaBits), rule.PortSetOf(psid));
        error = MapError.None;
        return true;
    }
}
