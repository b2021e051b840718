using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Mapt.Map;
using Mapt.Status;
using Mapt.Tests.Support;
using Mapt.Translator;
using Mapt.Wan;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Map.MapValues;

namespace Mapt.Tests.Status;

/// <summary>
/// The view against the Broadband Forum's model (tests/Status/tr181-map-extract.txt): the whole
/// way a value takes (MAP rules -> MapContent.FillStatus -> Tr181View -> state file ->
/// StatusReport, text and JSON) for the lease shapes that differ, checked by <see cref="Tr181Model"/>.
/// The published binary is checked the same way in tests/Lab/Tr181StatusTests.cs.
/// </summary>
[TestClass]
public sealed class Tr181ConformanceTests
{
    private static Tr181Model Model => Tr181Model.Instance;

    // Counters past 2^32 in both directions: the StatsCounter32 ones must wrap.
    private const string ProcNetDev =
        "map0: 4294967396 4294967306 4294967301 7 0 0 0 3 8589934592 4294967310 4294967295 9 0 0 0 0\n";

    private static Dmr Dmr64() => Dmr.TryCreate(P6("2001:db8:ffff::/64"), out Dmr d, out _) ? d : throw new System.InvalidOperationException();

    /// <summary>A snapshot as the daemon fills it for an applied lease with these rules.</summary>
    private static StatusSnapshot Applied(string endUserPrefix, params MapRule[] rules)
    {
        var content = new MapContent(P6(endUserPrefix), rules, Dmr64(), "DHCPv6");
        Assert.IsTrue(content.TryCompute(out MapResult? result, out string error), error);
        var s = new StatusSnapshot
        {
            Pid = 4242, State = "Up", StateSince = "2026-11-26T14:00:00Z", Reason = "MAP-T configured", Wan = "wan0",
            MapDevice = "map0", Configured = true, LeaseT1 = 1000, LeaseT2 = 2000, LeaseValid = 4000,
            LeaseObtained = "2026-11-26T13:59:58Z", LeaseExpires = Tr181View.InfiniteTime, InterfaceChangedMs = 10_000,
        };
        content.FillStatus(s, result);
        return s;
    }

    /// <summary>What `mapt status` prints for <paramref name="s"/> (through the state file), each line with its type, and the same as --json.</summary>
    private static (List<Shown> Text, List<Shown> Json) Show(StatusSnapshot s)
    {
        DaemonView back = StateFile.Parse(StateFile.Format(Tr181View.Render(s)));
        List<StatusLine> report = StatusReport.Build(back, ProcNetDev, 75_500);
        var text = report.Select(l => new Shown(l.Path, l.Value, l.Type)).ToList();
        using JsonDocument doc = JsonDocument.Parse(StatusReport.Json(report));
        var json = doc.RootElement.EnumerateObject().Select(p => new Shown(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), null, p.Value.ValueKind)).ToList();
        return (text, json);
    }

    private static void AssertConforms(StatusSnapshot s)
    {
        (List<Shown> text, List<Shown> json) = Show(s);
        List<string> problems = Model.Check(text, s.VendorPrefix);
        problems.AddRange(Model.Check(json, s.VendorPrefix).Select(p => "--json: " + p));
        Assert.AreEqual(0, problems.Count, "against " + Tr181Model.FilePath + ":\n" + string.Join("\n", problems));
        CollectionAssert.AreEqual(text.Select(l => l.Value).ToList(), json.Select(l => l.Value).ToList(), "--json shows the same values");
    }

    private static Dictionary<string, string> Values(StatusSnapshot s) => Show(s).Text.ToDictionary(l => l.Path, l => l.Value);

    private static string Default(string name) => Model.Params["Device.MAP.Domain.{i}.Rule.{i}." + name].Default!;

    [TestMethod]
    public void Extract_NamesTheModelItCameFrom()
    {
        string header = string.Join("\n", Model.Header);
        StringAssert.Contains(header, "MAP:2.19");
        StringAssert.Contains(header, "tr-181-2-map.xml");
        StringAssert.Contains(header, "device-data-model commit 28676a5b798b5d976610aa701efc9c0cd282adb6");
        StringAssert.Contains(header, "tr-106-types.xml");
        Assert.AreEqual("deprecated@2.18", Model.Params["Device.MAP.Domain.{i}.Interface.Alias"].Status);
        Assert.AreEqual("unsignedInt", Model.Params["Device.MAP.Domain.{i}.Interface.Stats.ErrorsSent"].Type, "StatsCounter32");
    }

    [TestMethod]
    public void PortParamsOffset0PsidLength0_WireValuesShown_IncludeSystemPortsAsTheSetIs()
    {
        // PSID 0 of a = 0, k = 8 (from the EA bits): ports 1-255, system ports included.
        StatusSnapshot s = Applied("2001:db8:12::/56", Rule("2001:db8::/40", "192.0.2.0/24", 16, offset: 0));
        AssertConforms(s);
        var v = Values(s);
        // PORTPARAMS said PSID-len 0; the 8 bits come from the EA bits. IncludeSystemPorts: the
        // model's N = 0, and ports 1-255 are this CE's.
        Tr181Model.AssertRule(v, Tr181View.Domain + "Rule.1.", offset: 0, length: 0, psid: 0, includeSystemPorts: true, lengthInUse: 8, psidInUse: 0);
        Assert.AreEqual("0", v[StatusText.Vendor(Tr181View.Domain, "PSIDOffsetInUse")]);
        Assert.AreEqual("1-255 (1 ranges, 255 ports)", v[StatusText.Vendor(Tr181View.Domain, "PortSet")]);
    }

    [TestMethod]
    public void NoPortParams_ModelDefaultsShown_DerivedValuesInVendorParameters()
    {
        StatusSnapshot s = Applied("2001:db8:12:3400::/56", Rule("2001:db8::/40", "192.0.2.0/24", 16));
        AssertConforms(s);
        var v = Values(s);
        // The model's defaults (offset 6, which is RFC 7597's a, length 0, PSID 0): no PORTPARAMS, no explicit PSID.
        CollectionAssert.AreEqual(new[] { "6", "0", "0" }, new[] { Default("PSIDOffset"), Default("PSIDLength"), Default("PSID") });
        Tr181Model.AssertRule(v, Tr181View.Domain + "Rule.1.", offset: 6, length: 0, psid: 0, includeSystemPorts: false, lengthInUse: 8, psidInUse: 52);
    }

    [TestMethod]
    public void PortParamsOffset6Length8_PsidLeftAligned_AndAnFmrBeside()
    {
        StatusSnapshot s = Applied("2001:db8:12:3400::/56",
            Rule("2001:db8::/40", "192.0.2.0/24", 16, offset: 6, psidLen: 8, psid: 0x34),
            Rule("2001:db8:100::/40", "198.51.100.0/24", 16, fmr: true));
        AssertConforms(s);
        var v = Values(s);
        Assert.AreEqual("13312", v[Tr181View.Domain + "Rule.1.PSID"], "0x34 left-aligned in 16 bits, as on the wire");
        Assert.AreEqual("8", v[Tr181View.Domain + "Rule.1.PSIDLength"]);
        Assert.AreEqual("false", v[StatusText.Vendor(Tr181View.Domain + "Rule.2.", "IsBMR")]);
        Assert.AreEqual("2", v[Tr181View.Domain + "RuleNumberOfEntries"]);
    }

    [TestMethod]
    public void IncludeSystemPorts_SaysWhetherTheRulesPortSetsHoldPorts1To1023()
    {
        // Each rule shape: the parameter against the port set mapt computes for PSID 0.
        var shapes = new[]
        {
            Rule("2001:db8::/40", "192.0.2.0/24", 16),
            Rule("2001:db8::/40", "192.0.2.0/24", 16, offset: 0),
            Rule("2001:db8::/40", "192.0.2.0/24", 16, offset: 4),
            Rule("2001:db8::/40", "192.0.2.0/24", 12, offset: 0),
            Rule("2001:db8:12:3400::/56", "192.0.2.18/32", 0, offset: 6, psidLen: 8, psid: 0),
            Rule("2001:db8::/40", "192.0.2.0/24", 8),
        };
        foreach (MapRule r in shapes)
        {
            var s = new StatusSnapshot();
            new MapContent(P6("2001:db8:12::/56"), new[] { r }, Dmr64(), "Static").FillStatus(s, null);
            PortSet set = r.PortSetOf(0);
            bool systemPorts = !set.IsRestricted || Enumerable.Range(0, set.RangeCount).Any(i => set.GetRange(i).First < 1024);
            Assert.AreEqual(systemPorts, s.Rules[0].IncludeSystemPorts, r.ToString());
        }
    }

    [TestMethod]
    public void NothingAppliedYet_Conforms()
    {
        var s = new StatusSnapshot { Pid = 4242, State = "Soliciting", Wan = "wan0", MapDevice = "map0", InterfaceChangedMs = 1 };
        AssertConforms(s);
        s.Misconfigured = true;
        AssertConforms(s);
    }

    [TestMethod]
    public void OuiPrefixReferencesAndEveryTranslatorDropReason_Conform()
    {
        StatusSnapshot s = Applied("2001:db8:12:3400::/56", Rule("2001:db8::/40", "192.0.2.0/24", 16, offset: 6, psidLen: 8, psid: 0x34));
        s.VendorPrefix = "X_00D09E_";
        s.WanInterfacePath = "Device.IP.Interface.3";
        s.Ipv6PrefixPath = "Device.IP.Interface.3.IPv6Prefix.2.";
        s.Translator = "tun";
        for (int r = 1; r < TranslatorCounters.DropReasonCount; r++)
            s.AddCounter(Tr181View.InterfaceStats, Tr181View.TranslatorDrops + TranslatorCounters.Name((DropReason)r), (ulong)r);
        AssertConforms(s);
        s.VendorPrefix = "X_EXAMPLE-COM_";
        AssertConforms(s);
    }

    [TestMethod]
    public void DefaultVendorPrefix_ValidByTheModelsRule_AndTheConfigCheckAgrees()
    {
        Assert.IsTrue(Model.VendorPrefixRule.IsMatch(VendorPrefix.Default), VendorPrefix.Default);
        foreach (string good in new[] { "X_00D09E_", "X_ACME-COM_", "X_RDKCENTRAL-COM_", "X_MAPT-EXAMPLE_", "X_A1-B2-C3_" })
        {
            Assert.IsNull(VendorPrefix.Problem(good), good);
            Assert.IsTrue(Model.VendorPrefixRule.IsMatch(good), good);
        }
        foreach (string bad in new[] { "X_MAPT_", "X_CISCO_COM_", "X_00d09e_", "X_acme-com_", "X_ACME.COM_", "X_ACME--COM_", "MAPT_", "X_00D09E", "Y_00D09E_", "X__" })
        {
            Assert.IsNotNull(VendorPrefix.Problem(bad), bad);
            Assert.IsFalse(Model.VendorPrefixRule.IsMatch(bad) && bad.Length <= VendorPrefix.MaxLength, bad);
        }
    }

    /// <summary>
    /// What mapt printed before issue 16, as mapt status showed it on a lease with RFC 7599's
    /// Example 1: the check finds each difference from the model (the values that parse but mean
    /// something else, PSIDLength, IncludeSystemPorts, LastChange, are asserted above and in the lab).
    /// </summary>
    [TestMethod]
    public void WhatMaptPrintedBefore_EveryDifferenceIsFound()
    {
        var before = new (string Path, string Value, string Finding)[]
        {
            ("Device.MAP.X_MAPT_State", "Up", "valid vendor prefix"),
            ("Device.MAP.Domain.1.WANInterface", "wan0", "not a reference to a row of Device.IP.Interface."),
            ("Device.MAP.Domain.1.IPv6Prefix", "2001:db8:12:3400::/56", "not a reference to a row of Device.IP.Interface.{i}.IPv6Prefix."),
            ("Device.MAP.Domain.1.Interface.Alias", "cpe-mapt-if", "deprecated@2.18"),
            ("Device.MAP.Domain.1.Interface.LowerLayers", "wan0", "not a reference"),
            ("Device.MAP.Domain.1.Interface.Stats.X_MAPT_Dropped.source-port-outside-set", "0", "'source-port-outside-set' is not a TR-106 name"),
            ("Device.MAP.Domain.1.Interface.Stats.ErrorsSent", "4294967301", "not a TR-106 unsignedInt"),
        };
        foreach (var (path, value, finding) in before)
        {
            List<string> problems = Model.Check(new[] { new Shown(path, value) }, "X_MAPT_");
            Assert.IsTrue(problems.Any(p => p.Contains(finding)), $"{path} {value}: expected '{finding}' among:\n{string.Join("\n", problems)}");
        }
    }
}
