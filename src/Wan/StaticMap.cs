using System.Collections.Generic;
using System.Globalization;
using Mapt.Map;
using Mapt.Net;

namespace Mapt.Wan;

/// <summary>
/// The config file's static MAP-T (static-rule, static-prefix, static-dmr) as MAP values, each
/// error naming the line: mapt refuses the whole configuration rather than run half of it.
/// Rule text as <c>mapt calc --rule</c>: IPV6/N,IPV4/R,EA[,offset=A][,psid-len=K][,psid=P][,fmr]
/// (PSID right-aligned).
/// </summary>
public static class StaticMap
{
    public static MapContent? From(WanConfig config)
    {
        if (!config.IsStatic)
            return null;
        string file = config.File;
        var rules = new List<MapRule>();
        foreach (ConfigValue v in config.StaticRules)
            rules.Add(Rule(v, file));
        Ipv6Prefix prefix = Prefix6(config.StaticPrefix!, "static-prefix", file);
        Ipv6Prefix dmrPrefix = Prefix6(config.StaticDmr!, "static-dmr", file);
        if (!Dmr.TryCreate(dmrPrefix, out Dmr dmr, out MapError de))
            throw new ConfigError(file, config.StaticDmr!.Line, "static-dmr: " + MapErrors.Describe(de));
        var content = new MapContent(prefix, rules, dmr, "Static");
        if (!content.TryCompute(out _, out string error))
            throw new ConfigError(file, config.StaticPrefix!.Line, "static-prefix: " + error);
        return content;
    }

    private static MapRule Rule(ConfigValue v, string file)
    {
        string[] parts = v.Text.Split(',');
        if (parts.Length < 3)
            throw new ConfigError(file, v.Line, $"static-rule '{v.Text}': expected IPV6/N,IPV4/R,EA[,offset=A][,psid-len=K][,psid=P][,fmr]");
        Ipv6Prefix ipv6 = Prefix6(new ConfigValue(parts[0], v.Line), "static-rule IPv6 prefix", file);
        if (!Ipv4Prefix.TryParse(parts[1], out Ipv4Prefix ipv4, out NetParseError ne))
            throw new ConfigError(file, v.Line, $"static-rule IPv4 prefix '{parts[1]}': {NetParseErrors.Describe(ne)}");
        int ea = Number(parts[2], 48, "EA-bits length", v, file);
        int? offset = null, k = null, psid = null;
        bool fmr = false;
        for (int i = 3; i < parts.Length; i++)
        {
            string part = parts[i];
            int eq = part.IndexOf('=');
            string key = eq < 0 ? part : part.Substring(0, eq);
            string value = eq < 0 ? "" : part.Substring(eq + 1);
            switch (key)
            {
                case "fmr" when eq < 0: fmr = true; break;
                // As DHCPv6 could send it and TR-181 can show it (0..15).
                case "offset" when eq > 0: offset = Number(value, PortParameters.MaxPsidOffsetOnTheWire, "offset", v, file); break;
                case "psid-len" when eq > 0: k = Number(value, 16, "psid-len", v, file); break;
                case "psid" when eq > 0: psid = Number(value, 65535, "psid", v, file); break;
                default: throw new ConfigError(file, v.Line, $"static-rule: '{part}' is not offset=A, psid-len=K, psid=P or fmr");
            }
        }
        PortParameters? parameters = null;
        if (offset is not null || k is not null)
        {
            if (!PortParameters.TryCreate(offset ?? PortParameters.DefaultPsidOffset, k ?? 0, psid ?? 0, out PortParameters pp, out MapError pe))
                throw new ConfigError(file, v.Line, "static-rule: " + MapErrors.Describe(pe));
            parameters = pp;
        }
        if (!MapRule.TryCreate(ipv6, ipv4, ea, parameters, fmr, out MapRule? rule, out MapError e))
            throw new ConfigError(file, v.Line, $"static-rule '{v.Text}': {MapErrors.Describe(e)}");
        return rule!;
    }

    private static Ipv6Prefix Prefix6(ConfigValue v, string what, string file)
    {
        if (!Ipv6Prefix.TryParse(v.Text, out Ipv6Prefix p, out NetParseError e))
            throw new ConfigError(file, v.Line, $"{what} '{v.Text}': {NetParseErrors.Describe(e)}");
        return p;
    }

    private static int Number(string text, int max, string what, ConfigValue v, string file)
    {
        bool hex = text.StartsWith("0x", System.StringComparison.OrdinalIgnoreCase);
        if (!int.TryParse(hex ? text.Substring(2) : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n > max)
            throw new ConfigError(file, v.Line, $"static-rule {what} '{text}': not a number in 0..{max}");
        return n;
    }
}
