using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mapt.Status;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Status;

/// <summary>One parameter as mapt showed it: path, value, and what is known of its type (the state file's, or the JSON value's kind).</summary>
internal readonly record struct Shown(string Path, string Value, ParamType? Type = null, JsonValueKind? Json = null);

/// <summary>
/// The Broadband Forum's Device.MAP. model as tests/Status/tr181-map-extract.txt holds it (written
/// by toolchain/tr181-extract.py from the BBF's own XML; its header names the files, the model
/// version and the commits), and the checks a shown view must pass: every path is the model's or
/// a correctly named vendor extension of one of its objects, every value fits its syntax, range,
/// enumeration, pattern or reference, nothing deprecated is shown, nothing current is missing.
/// </summary>
internal sealed class Tr181Model
{
    public sealed record Param(string Path, string Type, string? DataType, int? ListMaxLength, int? MaxLength, long? Min, long? Max,
        string[] Enums, string[] Patterns, string? Ref, string? Default, string Status, bool Command);

    public static readonly string FilePath = Path.Combine(Repo.Root, "tests", "Status", "tr181-map-extract.txt");

    private static readonly Lazy<Tr181Model> Loaded = new(() => Parse(File.ReadAllText(FilePath)));

    public static Tr181Model Instance => Loaded.Value;

    public List<string> Header { get; } = new();
    public Regex VendorPrefixRule { get; private set; } = null!;
    public Regex VendorNameRule { get; private set; } = null!;
    public Dictionary<string, List<Param>> Objects { get; } = new();
    public Dictionary<string, Param> Params { get; } = new();

    public static Tr181Model Parse(string text)
    {
        var model = new Tr181Model();
        string? current = null;
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0)
                continue;
            if (line[0] == '#')
            {
                model.Header.Add(line);
                continue;
            }
            string[] f = line.Split('\t');
            switch (f[0])
            {
                case "vendor-prefix": model.VendorPrefixRule = new Regex(f[1]); continue;
                case "vendor-name": model.VendorNameRule = new Regex(f[1]); continue;
                case "object":
                    current = f[1];
                    model.Objects[current] = new List<Param>();
                    continue;
            }
            var facets = new Dictionary<string, string>();
            var patterns = new List<string>();
            bool command = false;
            foreach (string facet in f.Skip(2))
            {
                int eq = facet.IndexOf('=');
                string key = eq < 0 ? facet : facet.Substring(0, eq);
                string value = eq < 0 ? "" : facet.Substring(eq + 1);
                if (key == "pattern")
                    patterns.Add(value);
                else if (key == "command")
                    command = true;
                else
                    facets[key] = value;
            }
            long? min = null, max = null;
            if (facets.TryGetValue("range", out string? range))
            {
                string[] ends = range.Split("..");
                min = ends[0].Length == 0 ? null : long.Parse(ends[0], CultureInfo.InvariantCulture);
                max = ends[1].Length == 0 ? null : long.Parse(ends[1], CultureInfo.InvariantCulture);
            }
            var p = new Param(f[0], f[1], facets.GetValueOrDefault("datatype"),
                facets.TryGetValue("list", out string? list) ? (list.Length == 0 ? int.MaxValue : int.Parse(list, CultureInfo.InvariantCulture)) : null,
                facets.TryGetValue("maxLength", out string? ml) ? int.Parse(ml, CultureInfo.InvariantCulture) : null,
                min, max,
                facets.TryGetValue("enum", out string? en) ? en.Split(',') : Array.Empty<string>(),
                patterns.ToArray(), facets.GetValueOrDefault("ref"), facets.GetValueOrDefault("default"),
                facets.GetValueOrDefault("status") ?? "current", command);
            model.Params[p.Path] = p;
            model.Objects[current!].Add(p);
        }
        return model;
    }

    /// <summary>The model's name of a path: instance numbers become {i} (Device.MAP.Domain.1.Rule.2.PSID -> Device.MAP.Domain.{i}.Rule.{i}.PSID).</summary>
    public static string Pattern(string path) => Regex.Replace(path, @"\.[0-9]+(?=\.)", ".{i}");

    /// <summary>Everything wrong with <paramref name="shown"/>, one sentence each; empty when it conforms.</summary>
    public List<string> Check(IReadOnlyList<Shown> shown, string vendorPrefix)
    {
        var problems = new List<string>();
        if (!VendorPrefixRule.IsMatch(vendorPrefix))
            problems.Add($"vendor prefix {vendorPrefix} is not X_<OUI>_ or X_<DOMAIN>_ (TR-106 3.3)");
        var seen = new HashSet<string>();
        var instances = new HashSet<string>();
        foreach (Shown s in shown)
        {
            if (!seen.Add(s.Path))
                problems.Add($"{s.Path} is shown twice");
            if (Params.TryGetValue(Pattern(s.Path), out Param? p))
            {
                instances.Add(s.Path.Substring(0, s.Path.LastIndexOf('.') + 1));
                if (p.Status != "current")
                    problems.Add($"{s.Path} is {p.Status} in the model");
                if (p.Command)
                    problems.Add($"{s.Path} is a command, not a value");
                if (s.Type is ParamType t && ParamTypes.Name(t) != p.Type)
                    problems.Add($"{s.Path} is typed {ParamTypes.Name(t)}, the model says {p.Type}");
                if (s.Json is JsonValueKind k && !JsonKindFits(p.Type, k))
                    problems.Add($"{s.Path} is a JSON {k}, the model's {p.Type} is not");
                if (Invalid(p, s.Value) is string why)
                    problems.Add($"{s.Path} = '{s.Value}': {why}");
                continue;
            }
            CheckVendor(s, vendorPrefix, problems);
        }
        foreach (string instance in instances)
            foreach (Param p in Objects[Pattern(instance)])
                if (p.Status == "current" && !p.Command && !seen.Contains(instance + p.Path.Substring(p.Path.LastIndexOf('.') + 1)))
                    problems.Add($"{instance}{p.Path.Substring(p.Path.LastIndexOf('.') + 1)} (current in the model) is not shown");
        return problems;
    }

    private void CheckVendor(Shown s, string vendorPrefix, List<string> problems)
    {
        string[] segments = s.Path.Split('.');
        int x = Array.FindIndex(segments, seg => seg.StartsWith("X_", StringComparison.Ordinal));
        if (x < 0)
        {
            problems.Add($"{s.Path} is neither in the model nor a vendor extension");
            return;
        }
        string objectPath = string.Join('.', segments.Take(x)) + ".";
        if (!Objects.ContainsKey(Pattern(objectPath)))
            problems.Add($"{s.Path} extends {objectPath}, which is not an object of the model");
        if (!segments[x].StartsWith(vendorPrefix, StringComparison.Ordinal) || !VendorPrefixRule.IsMatch(vendorPrefix))
            problems.Add($"{s.Path} does not carry a valid vendor prefix ({vendorPrefix}); TR-106: X_<OUI>_ or X_<DOMAIN>_");
        var names = new List<string> { segments[x].StartsWith(vendorPrefix, StringComparison.Ordinal) ? segments[x].Substring(vendorPrefix.Length) : segments[x] };
        names.AddRange(segments.Skip(x + 1));
        foreach (string name in names)
            if (!VendorNameRule.IsMatch(name))
                problems.Add($"{s.Path}: '{name}' is not a TR-106 name (an upper-case first letter, then letters and digits)");
        if (s.Json is JsonValueKind k)
        {
            bool fits = k switch
            {
                JsonValueKind.Number => long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) || ulong.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out _),
                JsonValueKind.True or JsonValueKind.False => s.Value is "true" or "false",
                JsonValueKind.String => true,
                _ => false,
            };
            if (!fits)
                problems.Add($"{s.Path} = '{s.Value}' is not a JSON {k}");
        }
        if (s.Type is ParamType t && BaseInvalid(ParamTypes.Name(t), s.Value) is string why)
            problems.Add($"{s.Path} = '{s.Value}': {why}");
    }

    private static bool JsonKindFits(string type, JsonValueKind kind) => type switch
    {
        "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
        "int" or "unsignedInt" or "long" or "unsignedLong" => kind == JsonValueKind.Number,
        _ => kind == JsonValueKind.String,
    };

    /// <summary>Why <paramref name="value"/> does not fit <paramref name="p"/>, or null.</summary>
    public static string? Invalid(Param p, string value)
    {
        if (p.ListMaxLength is int listMax && value.Length > listMax)
            return $"a list longer than {listMax} characters";
        string[] items = p.ListMaxLength is null ? new[] { value } : value.Length == 0 ? Array.Empty<string>() : value.Split(',');
        foreach (string item in items)
        {
            if (BaseInvalid(p.Type, item) is string why)
                return why;
            if (p.Min is long min || p.Max is not null)
            {
                decimal n = decimal.Parse(item, CultureInfo.InvariantCulture);
                if ((p.Min is long lo && n < lo) || (p.Max is long hi && n > hi))
                    return $"outside the model's range {p.Min}..{p.Max}";
            }
            if (p.MaxLength is int max && item.Length > max)
                return $"longer than {max} characters";
            if (p.Enums.Length != 0 && !p.Enums.Any(e => e.TrimEnd('?') == item))
                return $"not one of {string.Join(", ", p.Enums)}";
            if (p.Patterns.Length != 0 && !p.Patterns.Any(pattern => Regex.IsMatch(item, "^(?:" + pattern + ")$")))
                return "matches none of the model's patterns";
            if (p.Ref is string reference && item.Length != 0)
            {
                string[] r = reference.Split(':', 3); // refType:targetType:targetParent
                string parent = r[2].Length == 0 ? @"Device\.([A-Za-z0-9]+\.([1-9][0-9]*\.)?)*" : Regex.Escape(r[2]).Replace(@"\{i}", "[1-9][0-9]*");
                string row = r[1] == "row" ? "[1-9][0-9]*" : "[A-Za-z0-9]+";
                if (!Regex.IsMatch(item, "^" + parent + row + @"\.?$"))
                    return $"not a reference to a {r[1]} of {(r[2].Length == 0 ? "the model" : r[2])}";
            }
            if (p.DataType == "IPv6Prefix" && item.Length != 0
                && !(IPNetwork.TryParse(item, out IPNetwork net) && net.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6))
                return "not an IPv6 prefix";
            // tr-106-types.xml _AliasCWMP: a value the CPE assigns starts with a letter and "cpe-".
            if (p.DataType == "Alias" && !item.StartsWith("cpe-", StringComparison.Ordinal))
                return "a CPE-assigned Alias starts with cpe-";
        }
        return null;
    }

    /// <summary>
    /// The Rule.{i}. row and the CE's values a lease shape must show: the S46_PORTPARAMS fields
    /// as received (<paramref name="offset"/>, <paramref name="length"/>, <paramref name="psid"/>
    /// left-aligned), then what mapt derived (k and the CE's right-aligned PSID).
    /// </summary>
    public static void AssertRule(IReadOnlyDictionary<string, string> shown, string rulePath, int offset, int length, int psid,
        bool includeSystemPorts, int lengthInUse, int psidInUse, string vendorPrefix = Mapt.Status.VendorPrefix.Default)
    {
        string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        Assert.AreEqual(N(offset), shown[rulePath + "PSIDOffset"], "PSIDOffset");
        Assert.AreEqual(N(length), shown[rulePath + "PSIDLength"], "PSIDLength: PORTPARAMS' PSID-len, not the EA bits'");
        Assert.AreEqual(N(psid), shown[rulePath + "PSID"], "PSID as on the wire");
        Assert.AreEqual(includeSystemPorts ? "true" : "false", shown[rulePath + "IncludeSystemPorts"], "IncludeSystemPorts");
        Assert.AreEqual(N(lengthInUse), shown[Mapt.Status.VendorPrefix.Path(vendorPrefix, rulePath, "PSIDLengthInUse")], "PSID length in use");
        Assert.AreEqual(N(psidInUse), shown[Mapt.Status.VendorPrefix.Path(vendorPrefix, Tr181View.Domain, "PSIDInUse")], "the CE's PSID");
        Assert.AreEqual("true", shown[Mapt.Status.VendorPrefix.Path(vendorPrefix, rulePath, "IsBMR")], "the BMR");
    }

    /// <summary>TR-106 section 3.2's lexical forms of the base types.</summary>
    public static string? BaseInvalid(string type, string value)
    {
        bool ok = type switch
        {
            "boolean" => value is "true" or "false" or "1" or "0",
            "int" => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            "unsignedInt" => uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _),
            "long" => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            "unsignedLong" => ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _),
            "dateTime" => Regex.IsMatch(value, @"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$")
                && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _),
            _ => true,
        };
        return ok ? null : $"not a TR-106 {type}";
    }
}
