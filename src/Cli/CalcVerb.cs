using System;
using CommandLine;

namespace Mapt.Cli;

[Verb("calc", HelpText = "Compute a CE's MAP-T parameters (IPv4, PSID, port set, MAP IPv6 address) from rules and a prefix.")]
internal sealed class CalcOptions : RuleOptions
{
    [Option("lookup", MetaValue = "IPV4:PORT", HelpText = "Reverse lookup: which CE (End-user prefix, MAP address) owns this IPv4 address and port.")]
    public string? Lookup { get; set; }

    [Option("check-domain", HelpText = "Enumerate every EA-bit value of the rule and check the port sets are disjoint and complete.")]
    public bool CheckDomain { get; set; }
}

internal static class CalcVerb
{
    public static int Execute(CalcOptions options)
    {
        Console.Error.WriteLine("mapt calc: not available in this build yet");
        return ExitCodes.Failure;
    }
}
