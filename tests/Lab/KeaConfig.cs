using System.Collections.Generic;
using System.Text;

namespace Mapt.Tests.Lab;

/// <summary>
/// A kea-dhcp6 configuration for one test: one subnet on one interface, one pd-pool (make it
/// hold exactly one prefix to know the EA bits in advance), timers in seconds, and the raw
/// option-data entries (see mapt-reference.md section 3 for the S46 syntax and its pitfalls).
/// </summary>
internal sealed class KeaConfig
{
    public string Interface { get; set; } = "vs";
    public string Subnet { get; set; } = "2001:db8:1::/64";
    /// <summary>The pool's prefix, its length and the delegated length: equal lengths mean one prefix.</summary>
    public string PdPrefix { get; set; } = "2001:db8:12:3400::";
    public int PdPrefixLength { get; set; } = 56;
    public int DelegatedLength { get; set; } = 56;
    public int RenewTimer { get; set; } = 1000;
    public int RebindTimer { get; set; } = 2000;
    public int PreferredLifetime { get; set; } = 3000;
    public int ValidLifetime { get; set; } = 4000;
    public string LeaseFile { get; set; } = "";
    /// <summary>The identifier of the server's DUID-EN (enterprise 2495, ISC); not persisted.</summary>
    public string ServerIdentifier { get; set; } = "0102030405060708";
    public List<string> OptionData { get; } = new();
    /// <summary>Per-lease and per-packet log lines at WARN only: the fixture keeps every line, long runs set this.</summary>
    public bool QuietLeases { get; set; }

    /// <summary>The RFC 7599 Example 1 BMR with PORTPARAMS: rule 2001:db8::/40, 192.0.2.0/24, o=16; a=6, k=8, PSID 0x34.</summary>
    public static KeaConfig RfcExample1()
    {
        var c = new KeaConfig();
        c.OptionData.AddRange(Mapt("0, 16, 24, 192.0.2.0, 2001:db8::/40", "6, 52/8", "2001:db8:ffff::/64"));
        return c;
    }

    /// <summary>The S46_CONT_MAPT entries in Kea's CSV form (one rule; portparams null: none).</summary>
    public static IEnumerable<string> Mapt(string rule, string? portParams, string dmr)
    {
        yield return "{\"name\": \"s46-cont-mapt\"}";
        yield return "{\"space\": \"s46-cont-mapt-options\", \"name\": \"s46-rule\", \"data\": \"" + rule + "\"}";
        if (portParams is not null)
            yield return "{\"space\": \"s46-rule-options\", \"name\": \"s46-portparams\", \"data\": \"" + portParams + "\"}";
        yield return "{\"space\": \"s46-cont-mapt-options\", \"name\": \"s46-dmr\", \"data\": \"" + dmr + "\"}";
    }

    /// <summary>The whole container body as hex: the only way to send several rules (Kea sends one otherwise).</summary>
    public static string MaptHex(string bodyHex) =>
        "{\"name\": \"s46-cont-mapt\", \"csv-format\": false, \"data\": \"" + bodyHex + "\"}";

    public string ToJson()
    {
        var s = new StringBuilder();
        s.Append("{\"Dhcp6\": {\n");
        s.Append(" \"interfaces-config\": {\"interfaces\": [\"").Append(Interface).Append("\"]},\n");
        s.Append(" \"lease-database\": {\"type\": \"memfile\", \"persist\": true, \"name\": \"").Append(LeaseFile).Append("\", \"lfc-interval\": 0},\n");
        s.Append(" \"server-id\": {\"type\": \"EN\", \"enterprise-id\": 2495, \"identifier\": \"").Append(ServerIdentifier).Append("\", \"persist\": false},\n");
        s.Append(" \"renew-timer\": ").Append(RenewTimer).Append(", \"rebind-timer\": ").Append(RebindTimer)
            .Append(", \"preferred-lifetime\": ").Append(PreferredLifetime).Append(", \"valid-lifetime\": ").Append(ValidLifetime).Append(",\n");
        s.Append(" \"option-data\": [").Append(string.Join(",\n  ", OptionData)).Append("],\n");
        s.Append(" \"subnet6\": [{\"subnet\": \"").Append(Subnet).Append("\", \"interface\": \"").Append(Interface).Append("\", \"id\": 1,\n");
        s.Append("   \"pd-pools\": [{\"prefix\": \"").Append(PdPrefix).Append("\", \"prefix-len\": ").Append(PdPrefixLength)
            .Append(", \"delegated-len\": ").Append(DelegatedLength).Append("}]}],\n");
        s.Append(" \"loggers\": [{\"name\": \"kea-dhcp6\", \"output_options\": [{\"output\": \"stdout\"}], \"severity\": \"INFO\"}");
        if (QuietLeases)
            foreach (string logger in new[] { "leases", "packets", "alloc-engine", "dhcpsrv", "options", "ddns" })
                s.Append(",\n  {\"name\": \"kea-dhcp6.").Append(logger).Append("\", \"output_options\": [{\"output\": \"stdout\"}], \"severity\": \"WARN\"}");
        s.Append("]\n");
        s.Append("}}\n");
        return s.ToString();
    }
}
