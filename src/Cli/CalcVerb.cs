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
        if (options.Lookup is not null && options.CheckDomain)
            throw new UsageException("--lookup and --check-domain cannot be combined");
        if (options.Lookup is not null)
            return Lookup(arguments, options.Lookup, options.Json);
        if (options.CheckDomain)
            return CheckDomain(arguments, options.Json);
        return Compute(arguments, options.Prefix, options.Json);
    }

    private static int Compute(RuleArguments arguments, string? prefixText, bool json)
    {
        if (arguments.EndUserPrefix is not Ipv6Prefix endUser)
            throw new UsageException("--prefix is required (expected IPV6/LEN, the End-user prefix), or use --lookup / --check-domain");
        if (!BasicMappingRule.TrySelect(arguments.Rules, endUser, out MapRule? bmr, out MapError error))
            throw new UsageException($"--prefix '{prefixText}': {MapErrors.Describe(error)}");
        if (!MapResult.TryCompute(bmr!, endUser, out MapResult result, out error))
            throw new UsageException($"--prefix '{prefixText}': {MapErrors.Describe(error)} (rule {bmr} needs /{bmr!.EndUserPrefixMinLength} or longer)");
        Console.Out.Write(json ? ResultJson(result) : ResultText(result, arguments));
        return ExitCodes.Success;
    }

    private static int Lookup(RuleArguments arguments, string text, bool json)
    {
        int colon = text.LastIndexOf(':');
        if (colon < 0 || !Ipv4Address.TryParse(text.AsSpan(0, colon), out Ipv4Address ipv4)
            || !RuleArguments.TryParseNumber(text.Substring(colon + 1), out long port) || port > 65535)
            throw new UsageException($"--lookup '{text}': expected IPV4:PORT (192.0.2.18:1232)");
        if (!ReverseLookup.TryLookup(arguments.Rules, ipv4, (ushort)port, out ReverseLookup found, out MapError error))
            throw new UsageException($"--lookup '{text}': {MapErrors.Describe(error)}");
        Console.Out.Write(json ? LookupJson(found) : LookupText(found));
        return ExitCodes.Success;
    }

    private static int CheckDomain(RuleArguments arguments, bool json)
    {
        var reports = new DomainCheckReport[arguments.Rules.Count];
        bool ok = true;
        for (int i = 0; i < reports.Length; i++)
        {
            reports[i] = DomainCheck.Run(arguments.Rules[i]);
            ok &= reports[i].Ok;
        }
        Console.Out.Write(json ? DomainJson(reports, ok) : DomainText(reports));
        return ok ? ExitCodes.Success : ExitCodes.Failure;
    }
}
