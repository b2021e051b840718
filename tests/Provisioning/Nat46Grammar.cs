using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mapt.Tests.Provisioning;

/// <summary>
/// An independent parser of the nat46 control grammar (mapt-reference section 4), stricter
/// than the module: every token must be known and every value well formed.
///   command := "add" DEV | "del" DEV | ("config" | "insert" | "remove") DEV arg*
///   arg     := ("local" | "remote") "." param | "debug" N
///   param   := "v4" IPV4/0..32 | "v6" IPV6/0..128 | "style" (NONE|MAP|MAP0|RFC6052)
///            | "ea-len" 0..48 | "psid-offset" 0..16
/// </summary>
internal static class Nat46Grammar
{
    internal sealed record Setting(string Side, string Param, string Value);
    internal sealed record Command(string Verb, string Device, List<Setting> Settings);

    public static Command Parse(string line)
    {
        if (line.EndsWith('\n'))
            line = line.Substring(0, line.Length - 1);
        string[] t = line.Split(' ');
        foreach (string token in t)
            if (token.Length == 0)
                throw new FormatException($"empty token (double space) in '{line}'");
        if (t.Length < 2)
            throw new FormatException($"'{line}': a verb and a device are required");
        string verb = t[0], dev = t[1];
        if (dev.Length is 0 or > 15)
            throw new FormatException($"device '{dev}' is not an interface name");
        var settings = new List<Setting>();
        switch (verb)
        {
            case "add":
            case "del":
                if (t.Length != 2)
                    throw new FormatException($"'{verb}' takes only a device: '{line}'");
                return new Command(verb, dev, settings);
            case "config":
            case "insert":
            case "remove":
                break;
            default:
                throw new FormatException($"unknown verb '{verb}'");
        }
        for (int i = 2; i < t.Length; i += 2)
        {
            if (i + 1 >= t.Length)
                throw new FormatException($"'{t[i]}' has no value in '{line}'");
            string name = t[i], value = t[i + 1];
            if (name == "debug")
            {
                Int(value, 0, 255, name);
                settings.Add(new Setting("", "debug", value));
                continue;
            }
            int dot = name.IndexOf('.');
            string side = dot < 0 ? "" : name.Substring(0, dot);
            string param = dot < 0 ? name : name.Substring(dot + 1);
            if (side is not ("local" or "remote"))
                throw new FormatException($"unknown argument '{name}'");
            switch (param)
            {
                case "v4": Prefix(value, AddressFamily.InterNetwork, 32, name); break;
                case "v6": Prefix(value, AddressFamily.InterNetworkV6, 128, name); break;
                case "style":
                    if (value is not ("NONE" or "MAP" or "MAP0" or "RFC6052"))
                        throw new FormatException($"{name}: unknown style '{value}'");
                    break;
                case "ea-len": Int(value, 0, 48, name); break;
                case "psid-offset": Int(value, 0, 16, name); break;
                default: throw new FormatException($"unknown parameter '{name}'");
            }
            settings.Add(new Setting(side, param, value));
        }
        return new Command(verb, dev, settings);
    }

    private static void Prefix(string value, AddressFamily family, int max, string name)
    {
        int slash = value.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(value.AsSpan(0, slash), out IPAddress? a) || a.AddressFamily != family)
            throw new FormatException($"{name}: '{value}' is not an address/length");
        Int(value.Substring(slash + 1), 0, max, name);
    }

    private static int Int(string value, int min, int max, string name)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
            throw new FormatException($"{name}: '{value}' is not in {min}..{max}");
        return n;
    }
}
