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
    private static readonly string[] FieldNames = { "--rule-ipv6", "--rule-ipv4", "--ea-len", "--psid-offset", "--psid-len", "--psid" };
    private static readonly string[] PartNames = { "IPv6 prefix", "IPv4 prefix", "EA length", "offset", "psid-len", "psid" };

    public List<MapRule> Rules { get; } = new();
    public Ipv6Prefix? EndUserPrefix { get; private set; }
    public Dmr? Dmr { get; private set; }

    public static RuleArguments Parse(RuleOptions o)
    {
        var result = new RuleArguments();
        if (o.RuleIpv6 != null || o.RuleIpv4 != null || o.EaLen != null || o.PsidOffset != null || o.PsidLen != null || o.Psid != null || o.Fmr)
        {
            var fields = new[] { o.RuleIpv6, o.RuleIpv4, o.EaLen, o.PsidOffset, o.PsidLen, o.Psid };
            for (int i = 0; i < 3; i++)
                if (fields[i] == null)
                    throw new UsageException(FieldNames[i] + " is required with the other rule flags");
            result.Rules.Add(Build("", FieldNames, fields, o.Fmr));
        }
        foreach (string text in o.Rules)
            result.Rules.Add(FromRuleText(text));
        if (o.Prefix != null)
            result.EndUserPrefix = ParseIpv6Prefix("--prefix", o.Prefix);
        if (o.Dmr != null)
        {
            if (!Map.Dmr.TryCreate(ParseIpv6Prefix("--dmr", o.Dmr), out Dmr dmr, out MapError error))
                throw Fail("--dmr", o.Dmr, MapErrors.Describe(error));
            result.Dmr = dmr;
        }
        return result;
    }

    /// <summary>IPV6/N,IPV4/R,EA[,offset=A][,psid-len=K][,psid=P][,fmr]</summary>
    private static MapRule FromRuleText(string text)
    {
        string who = "--rule '" + text + "' ";
        string[] parts = text.Split(',');
        if (parts.Length < 3)
            throw new UsageException(who.TrimEnd() + ": expected IPV6/N,IPV4/R,EA[,offset=A][,psid-len=K][,psid=P][,fmr]");
        var fields = new string?[6];
        fields[0] = parts[0];
        fields[1] = parts[1];
        fields[2] = parts[2];
        bool fmr = false;
        for (int i = 3; i < parts.Length; i++)
        {
            string part = parts[i];
            int eq = part.IndexOf('=');
            int field = eq < 0 ? -1 : System.Array.IndexOf(PartNames, part.Substring(0, eq), 3, 3);
            if (part == "fmr")
                fmr = true;
            else if (field > 0)
                fields[field] = part.Substring(eq + 1);
            else
                throw new UsageException(who + "'" + part + "': not offset=A, psid-len=K, psid=P or fmr");
        }
        return Build(who, PartNames, fields, fmr);
    }

    private static MapRule Build(string who, string[] names, string?[] fields, bool fmr)
    {
        Ipv6Prefix ipv6 = ParseIpv6Prefix(who + names[0], fields[0]!);
        if (!Ipv4Prefix.TryParse(fields[1], out Ipv4Prefix ipv4, out NetParseError netError))
            throw Fail(who + names[1], fields[1]!, NetParseErrors.Describe(netError));
        int eaLength = ParseNumber(who + names[2], fields[2]!, 48);
        int offset = fields[3] == null ? PortParameters.DefaultPsidOffset : ParseNumber(who + names[3], fields[3]!, PortParameters.MaxPsidOffset);
        int psidLength = fields[4] == null ? 0 : ParseNumber(who + names[4], fields[4]!, 16);
        int psid = fields[5] == null ? 0 : ParseNumber(who + names[5], fields[5]!, 65535);
        if (fields[5] != null && fields[4] == null)
            throw Fail(who + names[5], fields[5]!, "needs " + names[4]);
        if (psidLength > 0 && fields[5] == null && eaLength + ipv4.Length <= 32)
            throw Fail(who + names[4], fields[4]!, "needs " + names[5] + " (o + r <= 32: the EA bits carry no PSID)");
        PortParameters? parameters = null;
        if (fields[3] != null || fields[4] != null)
        {
            if (!PortParameters.TryCreate(offset, psidLength, psid, out PortParameters pp, out MapError ppError))
                throw Fail(who + names[fields[5] != null ? 5 : 3], fields[fields[5] != null ? 5 : 3]!, MapErrors.Describe(ppError));
            parameters = pp;
        }
        if (!MapRule.TryCreate(ipv6, ipv4, eaLength, parameters, fmr, out MapRule? rule, out MapError error))
            throw new UsageException((who.Length > 0 ? who : "rule " + fields[0] + "," + fields[1] + "," + fields[2] + " ") + MapErrors.Describe(error));
        return rule!;
    }

    public static Ipv6Prefix ParseIpv6Prefix(string name, string text)
    {
        if (!Ipv6Prefix.TryParse(text, out Ipv6Prefix prefix, out NetParseError error))
            throw Fail(name, text, NetParseErrors.Describe(error));
        return prefix;
    }

    /// <summary>Decimal, or hexadecimal with 0x; 0..max.</summary>
    public static int ParseNumber(string name, string text, int max)
    {
        if (!TryParseNumber(text, out int value) || value > max)
            throw Fail(name, text, "not a number in 0.." + max.ToString());
        return value;
    }

    /// <summary>
    /// The CE computation for --prefix with the BMR chosen by longest match among the rules given
    /// (calc and plan alike); a usage error naming --prefix and why when there is none.
    /// </summary>
    public MapResult ComputeForPrefix(Ipv6Prefix endUser, string prefixText)
    {
        if (!BasicMappingRule.TrySelect(Rules, endUser, out MapRule? bmr, out MapError error))
            throw Fail("--prefix", prefixText, MapErrors.Describe(error));
        // TrySelect returned true: bmr is set.
        if (!MapResult.TryCompute(bmr!, endUser, out MapResult? result, out error))
            throw Fail("--prefix", prefixText, MapErrors.Describe(error) + " (rule " + bmr + " needs /" + bmr!.EndUserPrefixMinLength + " or longer)");
        return result;
    }

    public static UsageException Fail(string name, string value, string reason) =>
        new(name + " '" + value + "': " + reason);

    internal static bool TryParseNumber(string text, out int value)
    {
        value = 0;
        bool hex = text.Length > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
        int start = hex ? 2 : 0;
        if (text.Length == start || text.Length - start > 6)
            return false;
        for (int i = start; i < text.Length; i++)
        {
            int d = HexDigit(text[i]);
            if (d < 0 || (!hex && d > 9))
                return false;
            value = value * (hex ? 16 : 10) + d;
        }
        return true;
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
