using System;
using System.Globalization;

using Mapt.Provisioning;

namespace Mapt.Wan;


/// <summary>
/// The config file: one <c>key = value</c> per line, <c>#</c> starts a comment, blank lines
/// ignored, keys as the run flags spell them. Anything else is an error naming the line: a
/// gateway that half-understood its configuration is worse than one that refused to start.
/// </summary>
public static class WanConfigFile
{
    /// <summary>Applies <paramref name="text"/> over <paramref name="config"/>; throws <see cref="ConfigError"/>.</summary>
    public static void Apply(WanConfig config, string text, string file)
    {
        config.File = file;
        string[] lines = text.Split('\n');
        var seen = new System.Collections.Generic.HashSet<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            int n = i + 1;
            string line = lines[i].TrimEnd('\r');
            int hash = line.IndexOf('#');
            if (hash >= 0)
                line = line.Substring(0, hash);
            line = line.Trim();
            if (line.Length == 0)
                continue;
            int eq = line.IndexOf('=');
            if (eq < 0)
                throw new ConfigError(file, n, $"'{line}' is not 'key = value'");
            string key = line.Substring(0, eq).Trim();
            string value = line.Substring(eq + 1).Trim();
            if (key.Length == 0)
                throw new ConfigError(file, n, "no key before '='");
            if (value.Length == 0)
                throw new ConfigError(file, n, $"{key}: no value after '='");
            if (key != "static-rule" && !seen.Add(key))
                throw new ConfigError(file, n, $"{key} is given twice");
            Set(config, key, value, file, n);
        }
    }

    /// <summary>One setting, from the file or a flag (line 0).</summary>
    public static void Set(WanConfig config, string key, string value, string file, int line)
    {
        switch (key)
        {
            case "wan": config.Wan = Interface(key, value, file, line); break;
            case "map-dev": config.MapDevice = Interface(key, value, file, line); break;
            case "flash-dir": config.FlashDir = AbsolutePath(key, value, file, line); break;
            case "run-dir": config.RunDir = AbsolutePath(key, value, file, line); break;
            case "nat46-control": config.Nat46Control = AbsolutePath(key, value, file, line); break;
            case "translator":
                config.Translator = value switch
                {
                    "nat46" => TranslatorKind.Nat46,
                    "none" => TranslatorKind.None,
                    "tun" => TranslatorKind.Tun,
                    _ => throw new ConfigError(file, line, $"translator: '{value}' is not nat46, none or tun"),
                };
                break;
            case "snat":
                config.Snat = value switch
                {
                    "ranges" => SnatMode.Ranges,
                    "remap" => SnatMode.Remap,
                    _ => throw new ConfigError(file, line, $"snat: '{value}' is not ranges or remap"),
                };
                break;
            case "remap-keep":
                config.RemapKeep = Mapt.Map.RemapKeep.TryParse(value, out string keepError)
                    ?? throw new ConfigError(file, line, $"remap-keep: {keepError} (tcp:PORT,udp:PORT, at most {Mapt.Map.PortRemap.MaxKept} per protocol)");
                break;
            case "mtu": config.Mtu = Number(key, value, 1280, 65535, file, line); break;
            case "mss": config.Mss = Number(key, value, 536, 65495, file, line); break;
            case "iptables":
                if (value is not ("default" or "legacy" or "nft"))
                    throw new ConfigError(file, line, $"iptables: '{value}' is not default, legacy or nft");
                config.Iptables = value;
                break;
            case "request-map-e": config.RequestMapE = Bool(key, value, file, line); break;
            case "request-lw4o6": config.RequestLw4o6 = Bool(key, value, file, line); break;
            case "static-rule": config.StaticRules.Add(new ConfigValue(value, line)); break;
            case "server-duid": config.ServerDuid = Duid(key, value, file, line); break;
            case "static-prefix": config.StaticPrefix = new ConfigValue(value, line); break;
            case "static-dmr": config.StaticDmr = new ConfigValue(value, line); break;
            case "log-level":
                if (value is not ("trace" or "debug" or "info" or "warn" or "error"))
                    throw new ConfigError(file, line, $"log-level: '{value}' is not trace, debug, info, warn or error");
                config.LogLevel = value;
                break;
            case "tr181-vendor-prefix":
                if (Mapt.Status.VendorPrefix.Problem(value) is string problem)
                    throw new ConfigError(file, line, $"tr181-vendor-prefix: '{value}': {problem} (TR-106: X_<OUI>_ as X_00D09E_, or X_<DOMAIN>_ as X_EXAMPLE-COM_)");
                config.VendorPrefix = value;
                break;
            case "tr181-wan-interface":
                if (!IsRow(value, out _, out long prefixRow) || prefixRow != 0)
                    throw new ConfigError(file, line, $"tr181-wan-interface: '{value}' is not a Device.IP.Interface.{{i}} row (Device.IP.Interface.2)");
                config.Tr181WanInterface = new ConfigValue(value, line);
                break;
            case "tr181-ipv6-prefix":
                if (!IsRow(value, out _, out prefixRow) || prefixRow == 0)
                    throw new ConfigError(file, line, $"tr181-ipv6-prefix: '{value}' is not a Device.IP.Interface.{{i}}.IPv6Prefix.{{i}} row (Device.IP.Interface.2.IPv6Prefix.1)");
                config.Tr181Ipv6Prefix = new ConfigValue(value, line);
                break;
            default:
                throw new ConfigError(file, line, $"unknown key '{key}' (keys: {Keys})");
        }
    }

    public const string Keys = "wan, map-dev, flash-dir, run-dir, translator, nat46-control, snat, remap-keep, mtu, mss, iptables, request-map-e, request-lw4o6, static-rule, static-prefix, static-dmr, log-level, tr181-vendor-prefix, tr181-wan-interface, tr181-ipv6-prefix";

    /// <summary>What must hold once file and flags are merged.</summary>
    public static void Check(WanConfig config)
    {
        if (config.Wan.Length == 0)
            throw new ConfigError(config.File, 0, "no WAN interface: give --wan IFNAME or 'wan = IFNAME'");
        if (config.Wan == config.MapDevice)
            throw new ConfigError(config.File, 0, $"the WAN interface and the MAP device are both '{config.Wan}'");
        if (config.IsStatic != (config.StaticPrefix is not null) || config.IsStatic != (config.StaticDmr is not null))
        {
            int line = config.StaticRules.Count != 0 ? config.StaticRules[0].Line : config.StaticPrefix?.Line ?? config.StaticDmr?.Line ?? 0;
            throw new ConfigError(config.File, line, "static MAP-T needs all of static-rule, static-prefix and static-dmr");
        }
        // The remap lives in mapt's translator: nat46 (no remap inside the module) and someone
        // else's device would send the virtual ports to the BR (issue 15).
        if (config.Snat == SnatMode.Remap && config.Translator != TranslatorKind.Tun)
            throw new ConfigError(config.File, 0, $"snat = remap needs translator = tun (mapt's own translator maps the virtual ports onto the port set; the translator here is {WanConfig.TranslatorName(config.Translator)}, which cannot): use snat = ranges");
        if (!config.RemapKeep.IsEmpty && config.Snat != SnatMode.Remap)
            throw new ConfigError(config.File, 0, "remap-keep is only meaningful with snat = remap");
        // TR-181: Domain.IPv6Prefix MUST reference one of Domain.WANInterface's prefixes.
        if (config.Tr181Ipv6Prefix is ConfigValue prefix)
        {
            IsRow(prefix.Text, out long prefixInterface, out _);
            if (config.Tr181WanInterface is not ConfigValue wan)
                throw new ConfigError(config.File, prefix.Line, "tr181-ipv6-prefix needs tr181-wan-interface, the interface it belongs to");
            IsRow(wan.Text, out long wanInterface, out _);
            if (prefixInterface != wanInterface)
                throw new ConfigError(config.File, prefix.Line, $"tr181-ipv6-prefix: '{prefix.Text}' is not a prefix of tr181-wan-interface '{wan.Text}'");
        }
    }

    /// <summary>
    /// Device.IP.Interface.{i} or Device.IP.Interface.{i}.IPv6Prefix.{i}, with or without the
    /// trailing dot, by instance number (1..4294967295); <paramref name="prefixRow"/> 0 for an interface.
    /// </summary>
    private static bool IsRow(string value, out long interfaceRow, out long prefixRow)
    {
        const string Interfaces = "Device.IP.Interface.";
        interfaceRow = prefixRow = 0;
        string path = value.EndsWith('.') ? value.Substring(0, value.Length - 1) : value;
        if (!path.StartsWith(Interfaces, StringComparison.Ordinal))
            return false;
        string[] parts = path.Substring(Interfaces.Length).Split('.');
        if (parts.Length == 1)
            return Instance(parts[0], out interfaceRow);
        return parts.Length == 3 && parts[1] == "IPv6Prefix" && Instance(parts[0], out interfaceRow) && Instance(parts[2], out prefixRow);
    }

    private static bool Instance(string text, out long n) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out n) && n is >= 1 and <= uint.MaxValue && text[0] != '0';

    // Linux IFNAMSIZ is 16 with the NUL: 15 characters, no '/', no whitespace, not "." or "..".
    private static string Interface(string key, string value, string file, int line)
    {
        if (value.Length > 15 || value is "." or ".." || value.IndexOfAny(new[] { '/', ' ', '\t', ':' }) >= 0)
            throw new ConfigError(file, line, $"{key}: '{value}' is not an interface name (at most 15 characters, no '/', ':' or spaces)");
        return value;
    }

    private static string AbsolutePath(string key, string value, string file, int line)
    {
        if (!value.StartsWith('/'))
            throw new ConfigError(file, line, $"{key}: '{value}' is not an absolute path");
        return value.Length > 1 ? value.TrimEnd('/') : value;
    }

    private static int Number(string key, string value, int min, int max, string file, int line)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
            throw new ConfigError(file, line, $"{key}: '{value}' is not a number in {min}..{max}");
        return n;
    }

    /// <summary>A DUID as hex digits, bytes optionally separated by ':' (as Kea and `mapt probe` print it).</summary>
    private static byte[] Duid(string key, string value, string file, int line)
    {
        string hex = value.Replace(":", "", System.StringComparison.Ordinal);
        byte[]? duid = null;
        if (hex.Length is >= 4 and <= 2 * Mapt.Dhcpv6.Wire.Dhcpv6Limits.MaxDuidLength && hex.Length % 2 == 0)
        {
            try
            {
                duid = System.Convert.FromHexString(hex);
            }
            catch (System.FormatException)
            {
            }
        }
        return duid ?? throw new ConfigError(file, line, $"{key}: '{value}' is not a DUID (2 to {Mapt.Dhcpv6.Wire.Dhcpv6Limits.MaxDuidLength} bytes in hex, e.g. 00:01:00:01:...)");
    }

    private static bool Bool(string key, string value, string file, int line) => value switch
    {
        "yes" or "true" or "1" or "on" => true,
        "no" or "false" or "0" or "off" => false,
        _ => throw new ConfigError(file, line, $"{key}: '{value}' is not yes or no"),
    };
}
