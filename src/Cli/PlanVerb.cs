using System;
using CommandLine;

namespace Mapt.Cli;

[Verb("plan", HelpText = "Print what bring-up and teardown would apply (nat46, links, routes, sysctls, iptables) without touching the system.")]
internal sealed class PlanOptions : RuleOptions
{
    [Option("wan", MetaValue = "IFNAME", HelpText = "WAN interface (default: wan).")]
    public string? Wan { get; set; }

    [Option("map-dev", MetaValue = "IFNAME", HelpText = "MAP-T translator device (default: map-mapt).")]
    public string? MapDev { get; set; }

    [Option("wan-mtu", MetaValue = "1280..65535", HelpText = "WAN MTU (default 1500).")]
    public string? WanMtu { get; set; }

    [Option("only", MetaValue = "nat46|iptables|ip6tables", HelpText = "Print only this text, exactly as it would be written.")]
    public string? Only { get; set; }

    [Option("phase", MetaValue = "setup|teardown", HelpText = "With --only: which phase (default setup).")]
    public string? Phase { get; set; }
}

internal static class PlanVerb
{
    public static int Execute(PlanOptions options)
    {
        Console.Error.WriteLine("mapt plan: not available in this build yet");
        return ExitCodes.Failure;
    }
}
