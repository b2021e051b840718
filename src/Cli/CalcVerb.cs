using System;
using CommandLine;
using Mapt.Map;
using Mapt.Net;

namespace Mapt.Cli;

[Verb("calc", HelpText = "Compute a CE's MAP-T parameters (IPv4, PSID, port set, MAP IPv6 address) from rules and a prefix.")]
internal sealed class CalcOptions : RuleOptions
{
    [Option("lookup", MetaValue = "IPV4:PORT", HelpText = "Reverse lookup: which CE (End-user prefix, MAP address) owns this IPv4 address and port.")]
    public string? Lookup { get; set; }

    [Option("check-domain", HelpText = "Enumerate every EA-bit value of the rule and check the port sets are disjoint and complete.")]
    public bool CheckDomain { get; set; }
}

/// <summary>
/// <c>mapt calc</c>: the MAP arithmetic of src/Map for an operator: the CE's values from a rule
/// and an End-user prefix, the reverse lookup (--lookup) and the domain check (--check-domain).
/// Text for an 80-column console by default, one JSON object with --json.
/// </summary>
internal static partial class CalcVerb
{
    public static int Execute(CalcOptions options)
    {
        RuleArguments arguments = RuleArguments.Parse(options);
        if (arguments.Rules.Count == 0)
            throw new UsageException("no rule given: --rule-ipv6 IPV6/N --rule-ipv4 IPV4/R --ea-len N, or --rule IPV6/N,IPV4/R,EA");
        CliOutput output;
        int exit = ExitCodes.Success;
        if (options.Lookup != null)
        {
            string text = options.Lookup;
            int colon = text.LastIndexOf(':');
            if (colon < 0 || !Ipv4Address.TryParse(text.AsSpan(0, colon), out Ipv4Address ipv4)
                || !RuleArguments.TryParseNumber(text.Substring(colon + 1), out int port) || port > 65535)
                throw RuleArguments.Fail("--lookup", text, "expected IPV4:PORT");
            if (!ReverseLookup.TryLookup(arguments.Rules, ipv4, (ushort)port, out ReverseLookup? found, out MapError error))
                throw RuleArguments.Fail("--lookup", text, MapErrors.Describe(error));
            output = Lookup(found);
        }
        else if (options.CheckDomain)
        {
            var reports = new DomainCheckReport[arguments.Rules.Count];
            for (int i = 0; i < reports.Length; i++)
            {
                // 2^32 CEs take minutes; 2^48 would never end.
                if (arguments.Rules[i].EaBitsLength > 32)
                    throw RuleArguments.Fail("--check-domain: rule", arguments.Rules[i].ToString(), "more than 32 EA bits, too many CEs to enumerate");
                reports[i] = DomainCheck.Run(arguments.Rules[i]);
                if (!reports[i].Ok)
                    exit = ExitCodes.Failure;
            }
            output = Domain(reports, exit == ExitCodes.Success);
        }
        else
        {
            if (arguments.EndUserPrefix is not Ipv6Prefix endUser)
                throw new UsageException("--prefix is required (the End-user prefix IPV6/LEN), or --lookup or --check-domain");
            output = Result(arguments.ComputeForPrefix(endUser, options.Prefix!), arguments);
        }
        Console.Out.Write(options.Json ? output.Json() : output.Text);
        return exit;
    }
}
