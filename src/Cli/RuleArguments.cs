using System;
using System.Collections.Generic;
using Mapt.Map;
using Mapt.Net;

namespace Mapt.Cli;

/// <summary>
/// The rule flags of <c>calc</c> and <c>plan</c> (<see cref="RuleOptions"/>) turned into
/// validated MAP values. Every refusal is a <see cref="UsageException"/> naming the flag and
/// the value given; prefixes are strict (bits past the length are an error, not masked).
/// </summary>
internal sealed class RuleArguments
{
    public List<MapRule> Rules { get; } = new();
    public Ipv6Prefix? EndUserPrefix { get; private set; }
    public Dmr? Dmr { get; private set; }

    public static RuleArguments Parse(RuleOptions options)
    {
        var result = new RuleArguments();
        bool anyField = options.RuleIpv6 is not null || options.RuleIpv4 is not null || options.EaLen is not null
            || options.PsidOffset is not null || options.PsidLen is not null || options.Psid is not null || options.Fmr;
        if (anyField)
            result.Rules.Add(FromFields(options));
        foreach (string text in options.Rules)
            result.Rules.Add(FromRuleText(text));
        if (options.Prefix is not null)
            result.EndUserPrefix = ParseIpv6Prefix("--prefix", options.Prefix, "IPV6/LEN");
        if (options.Dmr is not null)
        {
            Ipv6Prefix prefix = ParseIpv6Prefix("--dmr", options.Dmr, "IPV6/LEN");
            if (!Map.Dmr.TryCreate(prefix, out Dmr dmr, out MapError error))
                throw new UsageException($"--dmr '{options.Dmr}': {MapErrors.Describe(error)}");
            result.Dmr = dmr;
        }
        return result;
    }

    private static MapRule FromFields(RuleOptions o)
    {
        if (o.RuleIpv6 is null)
            throw new UsageException("--rule-ipv6 is required with the other rule flags (expected IPV6/N)");
        if (o.RuleIpv4 is null)
            throw new UsageException("--rule-ipv4 is required with the other rule flags (expected IPV4/R)");
        if (o.EaLen is null)
            throw new UsageException("--ea-len is required with the other rule flags (expected 0..48)");
        string described = $"--rule-ipv6 {o.RuleIpv6} --rule-ipv4 {o.RuleIpv4} --ea-len {o.EaLen}";
        return Build(described,
            ParseIpv6Prefix("--rule-ipv6", o.RuleIpv6, "IPV6/N"),
            ParseIpv4Prefix("--rule-ipv4", o.RuleIpv4, "IPV4/R"),
            ParseNumber("--ea-len", o.EaLen, 48, "0..48"),
            o.PsidOffset is null ? null : ParseNumber("--psid-offset", o.PsidOffset, 16, "0..15"),
            o.PsidLen is null ? null : ParseNumber("--psid-len", o.PsidLen, 16, "0..16"),
            o.Psid is null ? null : ParseNumber("--psid", o.Psid, 65535, "N|0xN, right-aligned"),
            o.Fmr, "--psid-len", "--psid");
    }

    /// <summary>IPV6/N,IPV4/R,EA[,offset=A][,psid-len=K][,psid=P][,fmr]</summary>
    private static MapRule FromRuleText(string text)
    {
        string[] parts = text.Split(',');
        string flag = $"--rule '{text}'";
        if (parts.Length < 3)
            throw new UsageException($"{flag}: expected IPV6/N,IPV4/R,EA[,offset=A][,psid-len=K][,psid=P][,fmr]");
        int? offset = null, psidLength = null, psid = null;
        bool fmr = false;
        for (int i = 3; i < parts.Length; i++)
        {
            string part = parts[i];
            int eq = part.IndexOf('=');
            string key = eq < 0 ? part : part.Substring(0, eq);
            string? value = eq < 0 ? null : part.Substring(eq + 1);
            switch (key)
            {
                case "fmr" when value is null:
                    fmr = true;
                    break;
                case "offset" when value is not null:
                    offset = ParseNumber(flag + " offset", value, 16, "0..15");
                    break;
                case "psid-len" when value is not null:
                    psidLength = ParseNumber(flag + " psid-len", value, 16, "0..16");
                    break;
                case "psid" when value is not null:
                    psid = ParseNumber(flag + " psid", value, 65535, "N|0xN, right-aligned");
                    break;
                default:
                    throw new UsageException($"{flag}: '{part}' is not offset=A, psid-len=K, psid=P or fmr");
            }
        }
        return Build(flag,
            ParseIpv6Prefix(flag + " IPv6 prefix", parts[0], "IPV6/N"),
            ParseIpv4Prefix(flag + " IPv4 prefix", parts[1], "IPV4/R"),
            ParseNumber(flag + " EA-bits length", parts[2], 48, "0..48"),
            offset, psidLength, psid, fmr, "psid-len", "psid");
    }

    private static MapRule Build(string described, Ipv6Prefix ipv6, Ipv4Prefix ipv4, int eaLength, int? offset, int? psidLength,
        int? psid, bool fmr, string psidLengthName, string psidName)
    {
        bool psidFromEaBits = eaLength + ipv4.Length > 32;
        if (psid is not null && psidLength is null)
            throw new UsageException($"{described}: {psidName} {psid} needs {psidLengthName} (the PSID's length k)");
        if (psidLength is > 0 && psid is null && !psidFromEaBits)
            throw new UsageException($"{described}: {psidLengthName} {psidLength} needs {psidName} (the right-aligned PSID): with o + r <= 32 the EA bits carry none");
        PortParameters? parameters = null;
        if (offset is not null || psidLength is not null)
        {
            if (!PortParameters.TryCreate(offset ?? PortParameters.DefaultPsidOffset, psidLength ?? 0, psid ?? 0, out PortParameters pp, out MapError ppError))
                throw new UsageException($"{described}: {MapErrors.Describe(ppError)} (offset {offset ?? PortParameters.DefaultPsidOffset}, psid-len {psidLength ?? 0}, psid {psid ?? 0})");
            parameters = pp;
        }
        if (!MapRule.TryCreate(ipv6, ipv4, eaLength, parameters, fmr, out MapRule? rule, out MapError error))
            throw new UsageException($"{described}: {MapErrors.Describe(error)}");
        return rule!;
    }

    public static Ipv6Prefix ParseIpv6Prefix(string flag, string text, string form)
    {
        if (!Ipv6Prefix.TryParse(text, out Ipv6Prefix prefix, out NetParseError error))
            throw new UsageException($"{flag} '{text}': {NetParseErrors.Describe(error)} (expected {form})");
        return prefix;
    }

    public static Ipv4Prefix ParseIpv4Prefix(string flag, string text, string form)
    {
        if (!Ipv4Prefix.TryParse(text, out Ipv4Prefix prefix, out NetParseError error))
            throw new UsageException($"{flag} '{text}': {NetParseErrors.Describe(error)} (expected {form})");
        return prefix;
    }

    /// <summary>Decimal, or hexadecimal with 0x; 0..max.</summary>
    public static int ParseNumber(string flag, string text, int max, string form)
    {
        if (!TryParseNumber(text, out long value) || value > max)
            throw new UsageException($"{flag} '{text}': not a number in 0..{max} (expected {form})");
        return (int)value;
    }

    internal static bool TryParseNumber(string text, out long value)
    {
        value = 0;
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        ReadOnlySpan<char> digits = hex ? text.AsSpan(2) : text.AsSpan();
        if (digits.Length == 0 || digits.Length > 9)
            return false;
        foreach (char c in digits)
        {
            int d = c is >= '0' and <= '9' ? c - '0'
                : hex && c is >= 'a' and <= 'f' ? c - 'a' + 10
                : hex && c is >= 'A' and <= 'F' ? c - 'A' + 10
                : -1;
            if (d < 0)
                return false;
            value = value * (hex ? 16 : 10) + d;
        }
        return true;
    }
}
