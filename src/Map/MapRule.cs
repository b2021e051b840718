using Mapt.Net;

namespace Mapt.Map;

/// <summary>
/// A MAP rule (RFC 7597 section 5, RFC 7598 section 4.1): Rule IPv6 prefix /n, Rule IPv4
/// prefix /r, EA-bits length o, optional port parameters, and the F flag (also a Forwarding
/// Mapping Rule). Immutable and valid by construction: <see cref="TryCreate"/> refuses every
/// shape the arithmetic cannot honour.
/// </summary>
public sealed partial class MapRule
{
    public Ipv6Prefix RuleIpv6Prefix { get; }
    public Ipv4Prefix RuleIpv4Prefix { get; }
    /// <summary>o: 0..48.</summary>
    public int EaBitsLength { get; }
    /// <summary>Whether S46_PORTPARAMS (or --psid-offset/--psid-len) came with the rule.</summary>
    public bool HasPortParameters { get; }
    /// <summary>The port parameters given, or <see cref="PortParameters.Default"/>.</summary>
    public PortParameters PortParameters { get; }
    /// <summary>The F flag: the rule is also used to reach other CEs (mesh).</summary>
    public bool IsFmr { get; }

    /// <summary>a.</summary>
    public int PsidOffset => PortParameters.PsidOffset;
    /// <summary>p = 32 - r: IPv4 suffix bits carried in the EA bits.</summary>
    public int Ipv4SuffixLength => 32 - RuleIpv4Prefix.Length;
    /// <summary>k: q = o - p when the EA bits carry a PSID, else the explicit PSID length (0: not shared).</summary>
    public int PsidLength { get; }
    /// <summary>The PSID is given by the port parameters, not the EA bits (o + r = 32 with k > 0; RFC 7599 Example 5).</summary>
    public bool HasExplicitPsid => EaBitsLength + RuleIpv4Prefix.Length <= 32 && PortParameters.PsidLength > 0;
    /// <summary>o + r &lt; 32: each CE gets an IPv4 prefix of length r + o, not one address.</summary>
    public bool DelegatesIpv4Prefix => EaBitsLength + RuleIpv4Prefix.Length < 32;
    /// <summary>Length of the CE's IPv4 prefix: r + o, or 32.</summary>
    public int CeIpv4PrefixLength => DelegatesIpv4Prefix ? RuleIpv4Prefix.Length + EaBitsLength : 32;
    /// <summary>n + o: the End-user prefix length the EA bits need.</summary>
    public int EndUserPrefixMinLength => RuleIpv6Prefix.Length + EaBitsLength;

    private MapRule(Ipv6Prefix ipv6, Ipv4Prefix ipv4, int eaBitsLength, bool hasPortParameters, PortParameters portParameters, bool isFmr, int psidLength)
    {
        RuleIpv6Prefix = ipv6;
        RuleIpv4Prefix = ipv4;
        EaBitsLength = eaBitsLength;
        HasPortParameters = hasPortParameters;
        PortParameters = portParameters;
        IsFmr = isFmr;
        PsidLength = psidLength;
    }

    /// <summary>
    /// Validates and builds a rule. Prefixes are values already (strict from text, masked from
    /// the wire); this checks how the fields combine (RFC 7597 section 5 and 5.1).
    /// </summary>
    public static bool TryCreate(Ipv6Prefix ruleIpv6Prefix, Ipv4Prefix ruleIpv4Prefix, int eaBitsLength,
        PortParameters? portParameters, bool isFmr, out MapRule? rule, out MapError error)
    {
        rule = null;
        PortParameters parameters = portParameters ?? PortParameters.Default;
        int r = ruleIpv4Prefix.Length;
        int p = 32 - r;
        int o = eaBitsLength;
        int k = parameters.PsidLength;
        error = MapError.None;
        if ((uint)o > 48)
            error = MapError.EaBitsLengthTooLong;
        else if (ruleIpv6Prefix.Length + o > 64)
            error = MapError.RuleIpv6PrefixPlusEaBitsTooLong;
        else if (o == 0 && r < 32)
            error = MapError.NoEaBitsNeedsFullIpv4Address;
        else if (o + r > 32)
        {
            int q = o - p;
            if (q > 16)
                error = MapError.EaBitsLeavePsidTooLong;
            else if (k != 0 && k != q)
                error = MapError.PsidLengthConflictsWithEaBits;
            else if (parameters.PsidOffset + q > 16)
                error = MapError.PsidOffsetPlusLengthTooLong;
            // The EA bits carry the PSID; an explicit PSID in shared port parameters (Kea sends
            // one set for all rules) is not this CE's and is ignored.
            k = q;
        }
        else if (o + r < 32 && k > 0)
            error = MapError.PsidWithIpv4Prefix;
        if (error != MapError.None)
            return false;
        rule = new MapRule(ruleIpv6Prefix, ruleIpv4Prefix, o, portParameters.HasValue, parameters, isFmr, k);
        return true;
    }

    /// <summary>
    /// The CE's values from its EA bits (RFC 7597 section 5.2): the IPv4 address (or prefix
    /// start) and the right-aligned PSID.
    /// </summary>
    public void CeFromEaBits(ulong eaBits, out Ipv4Address ceIpv4, out ushort psid)
    {
        int o = EaBitsLength;
        int p = Ipv4SuffixLength;
        uint prefix = RuleIpv4Prefix.Address.Value;
        if (o > p)
        {
            int q = o - p;
            ceIpv4 = new Ipv4Address(prefix | (uint)(eaBits >> q));
            psid = (ushort)(eaBits & ((1UL << q) - 1));
        }
        else
        {
            // o + r <= 32: the EA bits are the top of the suffix; the rest is zero (the CE's prefix).
            ceIpv4 = new Ipv4Address(prefix | (uint)(eaBits << (p - o)));
            psid = PortParameters.Psid; // 0 unless explicit
        }
    }

    /// <summary>
    /// The CE's MAP IPv6 address (RFC 7599 section 6 with errata 5225): the rule prefix and EA
    /// bits (n + o bits), a zero subnet ID to /64, then 16 zero bits, the 32-bit IPv4 address
    /// (a delegated prefix padded with zeros) and the 16-bit right-aligned PSID.
    /// </summary>
    public Ipv6Address MapIpv6Address(ulong eaBits)
    {
        CeFromEaBits(eaBits, out Ipv4Address ceIpv4, out ushort psid);
        ulong high = RuleIpv6Prefix.Address.High;
        int n = RuleIpv6Prefix.Length;
        int o = EaBitsLength;
        if (o > 0)
            high |= eaBits << (64 - n - o);
        return new Ipv6Address(high, ((ulong)ceIpv4.Value << 16) | psid);
    }

    /// <summary>The End-user prefix of the CE with these EA bits, of length n + o.</summary>
    public Ipv6Prefix EndUserPrefix(ulong eaBits)
    {
        ulong high = RuleIpv6Prefix.Address.High;
        int o = EaBitsLength;
        if (o > 0)
            high |= eaBits << (64 - RuleIpv6Prefix.Length - o);
        return Ipv6Prefix.Masked(new Ipv6Address(high, 0), EndUserPrefixMinLength);
    }

    /// <summary>The port set of a PSID under this rule's a and k.</summary>
    public PortSet PortSetOf(ushort psid) => new(PsidOffset, PsidLength, psid);

    public override string ToString() =>
        RuleIpv6Prefix + "," + RuleIpv4Prefix + "," + EaBitsLength
        + (HasPortParameters ? ",offset=" + PsidOffset + (PortParameters.PsidLength > 0 ? ",psid-len=" + PortParameters.PsidLength + ",psid=" + PortParameters.Psid : "") : "")
        + (IsFmr ? ",fmr" : "");
}
