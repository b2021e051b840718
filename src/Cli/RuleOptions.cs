using System.Collections.Generic;
using CommandLine;

namespace Mapt.Cli;

/// <summary>
/// The MAP rule flags shared by <c>calc</c> and <c>plan</c>: one rule given field by field, or
/// any number of rules given whole with <c>--rule</c>.
/// </summary>
internal class RuleOptions : VerbOptions
{
    [Option("rule-ipv6", MetaValue = "IPV6/N", HelpText = "Rule IPv6 prefix (RFC 7597 5).")]
    public string? RuleIpv6 { get; set; }

    [Option("rule-ipv4", MetaValue = "IPV4/R", HelpText = "Rule IPv4 prefix.")]
    public string? RuleIpv4 { get; set; }

    [Option("ea-len", MetaValue = "0..48", HelpText = "EA-bits length o.")]
    public string? EaLen { get; set; }

    [Option("psid-offset", MetaValue = "0..15", HelpText = "PSID offset a (default 6).")]
    public string? PsidOffset { get; set; }

    [Option("psid-len", MetaValue = "0..16", HelpText = "Explicit PSID length k (S46_PORTPARAMS).")]
    public string? PsidLen { get; set; }

    [Option("psid", MetaValue = "N|0xN", HelpText = "Explicit PSID, right-aligned (0x34 for k=8, not 0x3400).")]
    public string? Psid { get; set; }

    [Option("fmr", HelpText = "The rule given by the flags above is also a Forwarding Mapping Rule.")]
    public bool Fmr { get; set; }

    [Option("rule", MetaValue = "RULE",
        HelpText = "A whole MAP rule, IPV6/N,IPV4/R,EA[,offset=A][,psid-len=K][,psid=P][,fmr]; repeat for several rules (the BMR is chosen by longest match).")]
    public IEnumerable<string> Rules { get; set; } = new List<string>();

    [Option("prefix", MetaValue = "IPV6/LEN", HelpText = "The End-user (delegated) IPv6 prefix.")]
    public string? Prefix { get; set; }

    [Option("dmr", MetaValue = "IPV6/LEN", HelpText = "Default Mapping Rule: the BR's IPv6 prefix (32, 40, 48, 56, 64 or 96).")]
    public string? Dmr { get; set; }

    [Option("json", HelpText = "Print one JSON object instead of text.")]
    public bool Json { get; set; }
}
