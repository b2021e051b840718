using Mapt.Map;

namespace Mapt.Cli;

/// <summary>
/// What calc prints, in both forms (<see cref="CliOutput"/>). The JSON field names of the CE
/// computation are a contract (issue 3): exactly ipv4 .. ports, in that order.
/// </summary>
internal static partial class CalcVerb
{
    internal static CliOutput Result(MapResult r, RuleArguments arguments)
    {
        var o = new CliOutput()
            .Note("rule (BMR)", r.Rule.ToString())
            .Note("end-user prefix", r.EndUserPrefix.ToString())
            .String("ipv4", r.Ipv4Address.ToString())
            .Number("ipv4_prefix_len", r.Ipv4PrefixLength)
            .Number("psid_offset", r.PsidOffset)
            .Number("psid_len", r.PsidLength)
            .Number("psid", r.Psid, Hex(r.Psid) + " = " + r.Psid.ToString())
            .Number("psid_wire", r.PsidWire, Hex(r.PsidWire))
            .Number("ea_bits", (long)r.EaBits, Hex(r.EaBits))
            .String("map_ipv6", r.MapIpv6Address.ToString())
            .Number("ratio", r.SharingRatio, "1:" + r.SharingRatio.ToString())
            .Ranges("port_sets", r.PortSet, r.PortSet.IsRestricted
                ? r.PortSet.RangeCount.ToString() + " range(s) of " + (1 << r.PortSet.ContiguousBits).ToString() + " ports"
                : "none: not shared, the whole address")
            .Number("ports", r.PortCount);
        if (arguments.Dmr is Dmr dmr)
            o.Note("dmr", dmr.ToString());
        foreach (MapRule rule in arguments.Rules)
            if (rule.IsFmr)
                o.Note("fmr", rule.ToString());
        return o;
    }

    internal static CliOutput Lookup(ReverseLookup l) =>
        new CliOutput()
            .String("ipv4", l.Ipv4Address.ToString())
            .Number("port", l.Port)
            .String("rule", l.Rule.ToString())
            .Number("psid_len", l.Rule.PsidLength)
            .Number("psid", l.Psid, Hex(l.Psid) + " = " + l.Psid.ToString())
            .Number("ea_bits", (long)l.EaBits, Hex(l.EaBits))
            .String("end_user_prefix", l.EndUserPrefix.ToString())
            .String("map_ipv6", l.MapIpv6Address.ToString());

    internal static CliOutput Domain(DomainCheckReport[] reports, bool ok)
    {
        var o = new CliOutput().Bool("ok", ok).StartArray("rules");
        foreach (DomainCheckReport r in reports)
            o.StartObject()
                .String("rule", r.Rule.ToString())
                .Bool("ok", r.Ok)
                .Number("ces", (long)r.CeCount)
                .Number("ces_checked", (long)r.CheckedCes)
                .Number("ipv4_addresses", (long)r.Ipv4AddressCount)
                .Number("ces_per_ipv4", (long)r.CesPerIpv4Address)
                .Number("ports_per_ce_min", r.PortsPerCeMin)
                .Number("ports_per_ce_max", r.PortsPerCeMax)
                .Number("usable_ports", r.UsablePortsPerIpv4Address)
                .Number("ces_without_ports", (long)r.CesWithoutPorts)
                .String("violation", r.Violation == null ? null : "at EA bits " + Hex(r.ViolationEaBits) + ": " + r.Violation,
                    r.Violation == null ? "none: (IPv4, PSID) owned once; port sets disjoint, complete" : null)
                .EndObject();
        return o.EndArray();
    }

    private static string Hex(ulong value)
    {
        var digits = new System.Text.StringBuilder("0x");
        int shift = 60;
        while (shift > 0 && (value >> shift) == 0)
            shift -= 4;
        for (; shift >= 0; shift -= 4)
            digits.Append("0123456789abcdef"[(int)(value >> shift) & 0xf]);
        return digits.ToString();
    }
}
