using Mapt.Map;

namespace Mapt.Cli;

/// <summary>The --json forms: field names are a contract (issue 3), other tools parse them.</summary>
internal static partial class CalcVerb
{
    internal static string ResultJson(MapResult r)
    {
        var json = new MiniJsonWriter().BeginObject()
            .String("ipv4", r.Ipv4Address.ToString())
            .Number("ipv4_prefix_len", r.Ipv4PrefixLength)
            .Number("psid_offset", r.PsidOffset)
            .Number("psid_len", r.PsidLength)
            .Number("psid", r.Psid)
            .Number("psid_wire", r.PsidWire)
            .Number("ea_bits", r.EaBits)
            .String("map_ipv6", r.MapIpv6Address.ToString())
            .Number("ratio", r.SharingRatio)
            .BeginArray("port_sets");
        foreach (PortRange range in r.PortSet)
            json.BeginArray().Number(null, range.First).Number(null, range.Last).EndArray();
        return json.EndArray().Number("ports", r.PortCount).EndObject() + "\n";
    }

    internal static string LookupJson(ReverseLookup l) =>
        new MiniJsonWriter().BeginObject()
            .String("ipv4", l.Ipv4Address.ToString())
            .Number("port", l.Port)
            .String("rule", l.Rule.ToString())
            .Number("psid_len", l.Rule.PsidLength)
            .Number("psid", l.Psid)
            .Number("ea_bits", l.EaBits)
            .String("end_user_prefix", l.EndUserPrefix.ToString())
            .String("map_ipv6", l.MapIpv6Address.ToString())
            .EndObject() + "\n";

    internal static string DomainJson(DomainCheckReport[] reports, bool ok)
    {
        var json = new MiniJsonWriter().BeginObject().Bool("ok", ok).BeginArray("rules");
        foreach (DomainCheckReport r in reports)
        {
            json.BeginObject()
                .String("rule", r.Rule.ToString())
                .Bool("ok", r.Ok)
                .Number("ces", r.CeCount)
                .Number("ces_checked", r.CheckedCes)
                .Number("ipv4_addresses", r.Ipv4AddressCount)
                .Number("ces_per_ipv4", r.CesPerIpv4Address)
                .Number("ports_per_ce_min", r.PortsPerCeMin)
                .Number("ports_per_ce_max", r.PortsPerCeMax)
                .Number("usable_ports_per_ipv4", r.UsablePortsPerIpv4Address)
                .Number("ces_without_ports", r.CesWithoutPorts);
            if (r.Violation is null)
                json.Null("violation");
            else
                json.String("violation", r.Violation);
            json.EndObject();
        }
        return json.EndArray().EndObject() + "\n";
    }
}
