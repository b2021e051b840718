using System;
using CommandLine;

namespace Mapt.Cli;

[Verb("probe", HelpText = "One DHCPv6 exchange on an interface: print the lease, every S46 option and the computed mapping.")]
internal sealed class ProbeOptions : VerbOptions
{
    [Option("iface", Required = true, MetaValue = "IFNAME", HelpText = "Interface to solicit on.")]
    public string? Iface { get; set; }

    [Option("timeout", MetaValue = "SECONDS", HelpText = "Give up after this long (default 10).")]
    public string? Timeout { get; set; }

    [Option("json", HelpText = "Print one JSON object instead of text.")]
    public bool Json { get; set; }

    [Option("keep", HelpText = "Do not send Release afterwards.")]
    public bool Keep { get; set; }

    [Option("flash-dir", MetaValue = "DIR", HelpText = "Where the DUID is kept.")]
    public string? FlashDir { get; set; }
}

internal static class ProbeVerb
{
    public static int Execute(ProbeOptions options)
    {
        Console.Error.WriteLine("mapt probe: not available in this build yet");
        return ExitCodes.Failure;
    }
}
