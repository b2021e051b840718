using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Mapt.Map;
using Mapt.Net;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Cli;

/// <summary>
/// <c>mapt calc</c> on the published binaries (x64, and arm64 under qemu against glibc 2.31):
/// its output must agree with the unit-tested core computed here in-process.
/// </summary>
[TestClass]
public sealed class CalcCliTests
{
    public static IEnumerable<object[]> Architectures => PublishedBinary.Both;

    private sealed record Case(string[] RuleArgs, string Prefix);

    // The RFC 7599 Appendix A CEs, every shape of o + r, offsets 0 and 16, and random rules.
    private static IEnumerable<Case> Cases()
    {
        yield return new Case(new[] { "--rule-ipv6", "2001:db8::/40", "--rule-ipv4", "192.0.2.0/24", "--ea-len", "16" }, "2001:db8:12:3400::/56");
        yield return new Case(new[] { "--rule-ipv6", "2001:db8:12:3400::/56", "--rule-ipv4", "192.0.2.18/32", "--ea-len", "0", "--psid-offset", "6", "--psid-len", "8", "--psid", "0x34" }, "2001:db8:12:3400::/56");
        yield return new Case(new[] { "--rule", "2001:db8:12:3400::/56,192.0.2.1/32,0" }, "2001:db8:12:3400::/56");
        yield return new Case(new[] { "--rule", "2001:db8::/40,192.0.2.0/24,4" }, "2001:db8:a0::/44");
        yield return new Case(new[] { "--rule", "2001:db8::/48,192.0.2.0/24,16,offset=0" }, "2001:db8:0:5904::/64");
        yield return new Case(new[] { "--rule", "2001:db8::/56,192.0.2.0/24,8,offset=16" }, "2001:db8:0:59::/64");
        yield return new Case(new[] { "--rule", "2001:db8::/40,192.0.2.0/24,24,offset=0" }, "2001:db8:59:4d2::/64");
        var random = new Random(5);
        for (int i = 0; i < 5; i++)
        {
            int n = random.Next(32, 48), r = random.Next(16, 29), o = random.Next(32 - r + 1, Math.Min(32 - r + 10, 64 - n) + 1);
            var v4 = Ipv4Prefix.Masked(new Ipv4Address((uint)random.NextInt64(0, 1L << 32)), r);
            var v6 = Ipv6Prefix.Masked(new Ipv6Address(0x20010db800000000UL | (ulong)random.NextInt64(), 0), n);
            ulong ea = (ulong)random.NextInt64(0, 1L << o);
            var user = Ipv6Prefix.Masked(v6.Address.WithBits(n, o, ea), n + o);
            yield return new Case(new[] { "--rule", $"{v6},{v4},{o},offset={random.Next(0, 17 - (o - 32 + r))}" }, user.ToString());
        }
    }

    private static MapRule CoreRule(string[] ruleArgs)
    {
        var named = new Dictionary<string, string>();
        for (int i = 0; i < ruleArgs.Length; i += 2)
            named[ruleArgs[i]] = ruleArgs[i + 1];
        string text = named.TryGetValue("--rule", out string? whole) ? whole
            : $"{named["--rule-ipv6"]},{named["--rule-ipv4"]},{named["--ea-len"]}";
        string[] parts = text.Split(',');
        int offset = 6, k = 0, psid = 0;
        bool hasPortParameters = named.ContainsKey("--psid-offset");
        if (hasPortParameters)
        {
            offset = int.Parse(named["--psid-offset"]);
            k = int.Parse(named["--psid-len"]);
            psid = Convert.ToInt32(named["--psid"], 16);
        }
        foreach (string p in parts.Skip(3))
        {
            hasPortParameters = true;
            offset = int.Parse(p.Split('=')[1]);
        }
        Assert.IsTrue(Ipv6Prefix.TryParse(parts[0], out Ipv6Prefix v6, out _));
        Assert.IsTrue(Ipv4Prefix.TryParse(parts[1], out Ipv4Prefix v4, out _));
        PortParameters? pp = null;
        if (hasPortParameters)
        {
            Assert.IsTrue(PortParameters.TryCreate(offset, k, psid, out PortParameters p, out _));
            pp = p;
        }
        Assert.IsTrue(MapRule.TryCreate(v6, v4, int.Parse(parts[2]), pp, false, out MapRule? rule, out MapError error), error.ToString());
        return rule!;
    }

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void Json_AgreesWithTheCore(string rid)
    {
        foreach (Case c in Cases())
        {
            var args = new List<string> { "calc" };
            args.AddRange(c.RuleArgs);
            args.AddRange(new[] { "--prefix", c.Prefix, "--json" });
            ProcResult run = PublishedBinary.Of(rid).Run(args);
            string what = string.Join(' ', args);
            Assert.AreEqual(0, run.ExitCode, what + "\n" + run);
            Assert.IsTrue(Ipv6Prefix.TryParse(c.Prefix, out Ipv6Prefix prefix, out _));
            Assert.IsTrue(MapResult.TryCompute(CoreRule(c.RuleArgs), prefix, out var core, out MapError error), what + ": " + error);

            JsonElement json = JsonDocument.Parse(run.Stdout).RootElement;
            var names = json.EnumerateObject().Select(p => p.Name).ToArray();
            CollectionAssert.AreEqual(new[] { "ipv4", "ipv4_prefix_len", "psid_offset", "psid_len", "psid", "psid_wire", "ea_bits", "map_ipv6", "ratio", "port_sets", "ports" }, names, what);
            Assert.AreEqual(core.Ipv4Address.ToString(), json.GetProperty("ipv4").GetString(), what);
            Assert.AreEqual(core.Ipv4PrefixLength, json.GetProperty("ipv4_prefix_len").GetInt32(), what);
            Assert.AreEqual(core.PsidOffset, json.GetProperty("psid_offset").GetInt32(), what);
            Assert.AreEqual(core.PsidLength, json.GetProperty("psid_len").GetInt32(), what);
            Assert.AreEqual(core.Psid, json.GetProperty("psid").GetInt32(), what);
            Assert.AreEqual(core.PsidWire, json.GetProperty("psid_wire").GetInt32(), what);
            Assert.AreEqual(core.EaBits, json.GetProperty("ea_bits").GetUInt64(), what);
            Assert.AreEqual(core.MapIpv6Address.ToString(), json.GetProperty("map_ipv6").GetString(), what);
            Assert.AreEqual(core.SharingRatio, json.GetProperty("ratio").GetInt32(), what);
            Assert.AreEqual(core.PortCount, json.GetProperty("ports").GetInt32(), what);
            var ranges = new List<PortRange>();
            foreach (PortRange range in core.PortSet)
                ranges.Add(range);
            JsonElement sets = json.GetProperty("port_sets");
            Assert.AreEqual(ranges.Count, sets.GetArrayLength(), what);
            for (int i = 0; i < ranges.Count; i++)
            {
                Assert.AreEqual(ranges[i].First, sets[i][0].GetInt32(), what);
                Assert.AreEqual(ranges[i].Last, sets[i][1].GetInt32(), what);
            }
        }
    }

    [TestMethod]
    public void Json_Rfc7599Example1_HasTheRfcValues()
    {
        ProcResult run = PublishedBinary.X64.Run("calc", "--rule-ipv6", "2001:db8::/40", "--rule-ipv4", "192.0.2.0/24", "--ea-len", "16",
            "--prefix", "2001:db8:12:3400::/56", "--json");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        JsonElement json = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.AreEqual("192.0.2.18", json.GetProperty("ipv4").GetString());
        Assert.AreEqual(0x34, json.GetProperty("psid").GetInt32());
        Assert.AreEqual(0x3400, json.GetProperty("psid_wire").GetInt32());
        Assert.AreEqual("2001:db8:12:3400:0:c000:212:34", json.GetProperty("map_ipv6").GetString());
        Assert.AreEqual(63, json.GetProperty("port_sets").GetArrayLength());
        Assert.AreEqual(1232, json.GetProperty("port_sets")[0][0].GetInt32());
        Assert.AreEqual(64723, json.GetProperty("port_sets")[62][1].GetInt32());
        Assert.AreEqual(252, json.GetProperty("ports").GetInt32());
        Assert.AreEqual(256, json.GetProperty("ratio").GetInt32());
    }

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void Text_FitsEightyColumns_PortsFolded(string rid)
    {
        ProcResult run = PublishedBinary.Of(rid).Run("calc", "--rule", "2001:db8::/40,192.0.2.0/24,16,fmr", "--rule", "2001:db8:ffff:ff00::/56,198.51.100.0/24,8,offset=0,fmr",
            "--prefix", "2001:db8:12:3400::/56", "--dmr", "2001:db8:ffff::/64");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        string[] lines = run.Stdout.TrimEnd('\n').Split('\n');
        foreach (string line in lines)
        {
            Assert.IsTrue(line.Length <= 80, $"{line.Length} columns: {line}");
            Assert.IsFalse(line.EndsWith(' '), $"trailing space: '{line}'");
        }
        StringAssert.Contains(run.Stdout, "ipv4              192.0.2.18\n");
        StringAssert.Contains(run.Stdout, "map ipv6          2001:db8:12:3400:0:c000:212:34\n");
        StringAssert.Contains(run.Stdout, "psid wire         0x3400\n");
        StringAssert.Contains(run.Stdout, "psid              0x34 = 52\n");
        StringAssert.Contains(run.Stdout, "port sets         63 range(s) of 4 ports\n");
        StringAssert.Contains(run.Stdout, "ports             252\n");
        StringAssert.Contains(run.Stdout, "dmr               2001:db8:ffff::/64\n");
        // Every range appears once, folded over several lines.
        int rangeLines = lines.Count(l => l.StartsWith("  ", StringComparison.Ordinal) && char.IsDigit(l[2]));
        Assert.IsTrue(rangeLines >= 9, run.Stdout);
        Assert.AreEqual(63, run.Stdout.Split(new[] { ' ', '\n' }, StringSplitOptions.RemoveEmptyEntries).Count(w => w.Length > 4 && w.Contains('-') && char.IsDigit(w[0])));
        Assert.AreEqual(2, lines.Count(l => l.StartsWith("fmr ", StringComparison.Ordinal)), "both FMRs listed");
    }

    [TestMethod]
    [DataRow(new[] { "--rule-ipv6", "2001:db8::/40", "--rule-ipv4", "192.0.2.1/24", "--ea-len", "16", "--prefix", "2001:db8:12:3400::/56" }, "--rule-ipv4 '192.0.2.1/24': bits are set past the prefix length")]
    [DataRow(new[] { "--rule-ipv6", "2001:db8::/40", "--rule-ipv4", "192.0.2.0/24", "--ea-len", "49", "--prefix", "2001:db8:12:3400::/56" }, "--ea-len '49'")]
    [DataRow(new[] { "--rule-ipv6", "2001:db8::/40", "--rule-ipv4", "192.0.2.0/24", "--ea-len", "16", "--psid-offset", "9", "--prefix", "2001:db8:12:3400::/56" }, "PSID offset + PSID length above 16")]
    [DataRow(new[] { "--rule", "2001:db8::/40,192.0.2.0/24,16", "--prefix", "2001:db8:12::/48" }, "--prefix '2001:db8:12::/48': End-user prefix shorter than rule prefix + EA bits")]
    [DataRow(new[] { "--rule", "2001:db8::/40,192.0.2.0/24,16", "--prefix", "2001:db9:12:3400::/56" }, "--prefix '2001:db9:12:3400::/56': no rule matches the End-user prefix")]
    [DataRow(new[] { "--rule", "2001:db8::/40,192.0.2.0/24,16", "--prefix", "2001:db8:12:3401::/56" }, "--prefix '2001:db8:12:3401::/56': bits are set past")]
    [DataRow(new[] { "--rule", "2001:db8::/40,192.0.2.0/24,16", "--prefix", "2001:db8:12:3400::/56", "--dmr", "2001:db8:ffff::/72" }, "--dmr '2001:db8:ffff::/72': DMR length not 32, 40, 48, 56, 64 or 96")]
    [DataRow(new[] { "--rule", "2001:db8::/40,192.0.2.0/24,16,speed=9", "--prefix", "2001:db8:12:3400::/56" }, "'speed=9': not offset=A")]
    [DataRow(new[] { "--rule", "2001:db8::/40,192.0.2.0/24", "--prefix", "2001:db8:12:3400::/56" }, "--rule '2001:db8::/40,192.0.2.0/24': expected")]
    [DataRow(new[] { "--rule", "2001:db8:12:3400::/56,192.0.2.18/32,0,psid-len=8,psid=0x3400", "--prefix", "2001:db8:12:3400::/56" }, "right-aligned")]
    [DataRow(new[] { "--rule", "2001:db8:12:3400::/56,192.0.2.18/32,0,psid-len=8", "--prefix", "2001:db8:12:3400::/56" }, "psid-len '8': needs psid")]
    [DataRow(new[] { "--rule", "2001:db8::/40,192.0.2.0/24,16" }, "--prefix is required")]
    [DataRow(new[] { "--prefix", "2001:db8:12:3400::/56" }, "no rule given")]
    [DataRow(new[] { "--rule-ipv6", "2001:db8::/40", "--prefix", "2001:db8:12:3400::/56" }, "--rule-ipv4 is required")]
    [DataRow(new[] { "--rule", "2001:db8::/40,192.0.2.0/24,16", "--lookup", "192.0.2.18:80" }, "--lookup '192.0.2.18:80': port in no CE's port set")]
    [DataRow(new[] { "--rule", "2001:db8::/40,192.0.2.0/24,16", "--lookup", "192.0.2.18" }, "--lookup '192.0.2.18': expected IPV4:PORT")]
    [DataRow(new[] { "--rule", "2001:db8::/40,192.0.2.0/24,16", "--lookup", "198.51.100.1:1232" }, "outside the rule IPv4 prefix")]
    [DataRow(new[] { "--rule", "2001:d00::/24,0.0.0.0/0,40", "--check-domain" }, "--check-domain: rule '2001:d00::/24,0.0.0.0/0,40': more than 32 EA bits")]
    public void Errors_ExitTwoAndNameTheValue(string[] args, string message)
    {
        ProcResult run = PublishedBinary.X64.Run(new[] { "calc" }.Concat(args));
        Assert.AreEqual(2, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, message);
        StringAssert.StartsWith(run.Stderr, "mapt calc: ");
        Assert.AreEqual("", run.Stdout);
    }

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void Lookup_AgreesWithTheCore(string rid)
    {
        ProcResult run = PublishedBinary.Of(rid).Run("calc", "--rule", "2001:db8::/40,192.0.2.0/24,16", "--rule", "2001:db8:100::/44,198.51.100.0/24,12,offset=4",
            "--lookup", "198.51.100.77:40000", "--json");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.IsTrue(MapRule.TryCreate(Ipv6Prefix.Masked(MapValuesA6("2001:db8:100::"), 44), Ipv4Prefix.Masked(new Ipv4Address(198, 51, 100, 0), 24), 12,
            PortParametersOf(4), false, out MapRule? rule, out _));
        Assert.IsTrue(ReverseLookup.TryLookup(rule!, new Ipv4Address(198, 51, 100, 77), 40000, out var core, out _));
        JsonElement json = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.AreEqual(core.EndUserPrefix.ToString(), json.GetProperty("end_user_prefix").GetString());
        Assert.AreEqual(core.MapIpv6Address.ToString(), json.GetProperty("map_ipv6").GetString());
        Assert.AreEqual(core.Psid, json.GetProperty("psid").GetInt32());
        Assert.AreEqual(core.EaBits, json.GetProperty("ea_bits").GetUInt64());
        Assert.AreEqual("2001:db8:100::/44,198.51.100.0/24,12,offset=4", json.GetProperty("rule").GetString());

        ProcResult text = PublishedBinary.Of(rid).Run("calc", "--rule", "2001:db8::/40,192.0.2.0/24,16", "--lookup", "192.0.2.18:1232");
        Assert.AreEqual(0, text.ExitCode, text.ToString());
        StringAssert.Contains(text.Stdout, "end user prefix   2001:db8:12:3400::/56\n");
        StringAssert.Contains(text.Stdout, "map ipv6          2001:db8:12:3400:0:c000:212:34\n");
    }

    private static Ipv6Address MapValuesA6(string text)
    {
        Assert.IsTrue(Ipv6Address.TryParse(text, out Ipv6Address a));
        return a;
    }

    private static PortParameters PortParametersOf(int offset)
    {
        Assert.IsTrue(PortParameters.TryCreate(offset, 0, 0, out PortParameters p, out _));
        return p;
    }

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void CheckDomain_SixteenEaBits_ReportsEveryCe(string rid)
    {
        ProcResult run = PublishedBinary.Of(rid).Run("calc", "--rule", "2001:db8::/40,192.0.2.0/24,16", "--rule", "2001:db8:100::/48,198.51.100.0/24,12,offset=0",
            "--check-domain", "--json");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        JsonElement json = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.IsTrue(json.GetProperty("ok").GetBoolean());
        JsonElement first = json.GetProperty("rules")[0];
        Assert.AreEqual(65536UL, first.GetProperty("ces").GetUInt64());
        Assert.AreEqual(65536UL, first.GetProperty("ces_checked").GetUInt64());
        Assert.AreEqual(256UL, first.GetProperty("ipv4_addresses").GetUInt64());
        Assert.AreEqual(252, first.GetProperty("ports_per_ce_min").GetInt32());
        Assert.AreEqual(64512, first.GetProperty("usable_ports").GetInt32());
        Assert.AreEqual(JsonValueKind.Null, first.GetProperty("violation").ValueKind);
        JsonElement second = json.GetProperty("rules")[1];
        Assert.AreEqual(4096UL, second.GetProperty("ces").GetUInt64());
        Assert.AreEqual(4095, second.GetProperty("ports_per_ce_min").GetInt32()); // PSID 0 loses port 0
        Assert.AreEqual(4096, second.GetProperty("ports_per_ce_max").GetInt32());
    }
}
