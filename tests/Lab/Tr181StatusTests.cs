using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Mapt.Status;
using Mapt.Tests.Status;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Lab;

/// <summary>
/// Issue 16 on the published binary: mapt run against Kea on three real leases (PORTPARAMS
/// offset 0 and PSID-len 0, no PORTPARAMS, offset 6 and k = 8), then mapt status and --json
/// checked against the Broadband Forum's model (tests/Status/tr181-map-extract.txt, through
/// <see cref="Tr181Model"/>) and against what mapt does with the lease on the wire.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class Tr181StatusTests
{
    // RFC 7599 Example 1's rule: o = 16 over a /24, so the EA bits carry an 8-bit PSID.
    private const string Rule = "0, 16, 24, 192.0.2.0, 2001:db8::/40";
    private const string RulePath = "Device.MAP.Domain.1.Rule.1.";

    private static KeaConfig Lease(string? portParams, string delegatedPrefix)
    {
        KeaConfig c = GatewayLab.Example1();
        c.OptionData.Clear();
        c.OptionData.AddRange(KeaConfig.Mapt(Rule, portParams, "2001:db8:ffff::/64"));
        c.PdPrefix = delegatedPrefix;
        return c;
    }

    /// <summary>mapt status and --json, checked against the model; the values by path.</summary>
    private static Dictionary<string, string> CheckedStatus(GatewayLab lab)
    {
        ProcResult text = lab.Status();
        ProcResult json = lab.Status("--json");
        Assert.AreEqual(0, text.ExitCode, text.ToString());
        Assert.AreEqual(0, json.ExitCode, json.ToString());
        List<KeyValuePair<string, string>> lines = StatusText.Lines(text.Stdout);
        using JsonDocument doc = JsonDocument.Parse(json.Stdout);
        var kinds = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        CollectionAssert.AreEqual(lines.Select(l => l.Key).ToList(), kinds.Keys.ToList(), "--json shows the same parameters in the same order");
        var shown = new List<Shown>();
        foreach (var (path, value) in lines)
        {
            JsonElement e = kinds[path];
            // The two calls are apart in time: only the counters and LastChange may differ.
            if (!path.StartsWith(Tr181View.InterfaceStats) && !path.EndsWith(".LastChange") && !path.Contains("Lease"))
                Assert.AreEqual(value, e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText(), path);
            shown.Add(new Shown(path, value, null, e.ValueKind));
        }
        List<string> problems = Tr181Model.Instance.Check(shown, lab.VendorPrefix);
        Assert.AreEqual(0, problems.Count, $"mapt status against {Tr181Model.FilePath}:\n{string.Join("\n", problems)}\n--- status\n{text.Stdout}");
        return lines.ToDictionary(l => l.Key, l => l.Value);
    }

    [TestMethod]
    public void PortParamsOffset0PsidLength0_ShownAsReceived_SystemPortsIncludedAsOnTheWire()
    {
        // 2001:db8:12::/56: EA bits 0x1200, so 192.0.2.18 with PSID 0; a = 0: ports 1-255.
        using GatewayLab lab = GatewayLab.Start(Lease("0, 0/0", "2001:db8:12::"));
        lab.StartMapt();
        lab.WaitState("Up");
        var v = CheckedStatus(lab);
        Tr181Model.AssertRule(v, RulePath, offset: 0, length: 0, psid: 0, includeSystemPorts: true, lengthInUse: 8, psidInUse: 0);
        Assert.AreEqual("1-255 (1 ranges, 255 ports)", v[StatusText.Vendor(Tr181View.Domain, "PortSet")]);

        // IncludeSystemPorts true is what the gateway does: its SNAT hands out ports below 1024.
        lab.UdpFlows(40001, 40002, 40003);
        List<int> ports = lab.NatPorts("192.0.2.18");
        Assert.AreEqual(3, ports.Count, lab.Gw.Try("conntrack -L").Stdout);
        Assert.IsTrue(ports.All(p => p is >= 1 and <= 255), "NAT ports " + string.Join(",", ports));
    }

    [TestMethod]
    public void NoPortParams_ModelDefaultsShown_DerivedValuesInVendorParameters()
    {
        using GatewayLab lab = GatewayLab.Start(Lease(null, "2001:db8:12:3400::"));
        lab.StartMapt();
        lab.WaitState("Up");
        var v = CheckedStatus(lab);
        // Without PORTPARAMS the model's defaults: offset 6, length 0, PSID 0.
        Assert.AreEqual(Tr181Model.Instance.Params["Device.MAP.Domain.{i}.Rule.{i}.PSIDOffset"].Default, v[RulePath + "PSIDOffset"]);
        Tr181Model.AssertRule(v, RulePath, offset: 6, length: 0, psid: 0, includeSystemPorts: false, lengthInUse: 8, psidInUse: 52);
    }

    [TestMethod]
    public void Offset6K8WithFirmwareSettings_ReferencesAndTheVendorsPrefix_LastChangeCounts()
    {
        using GatewayLab lab = GatewayLab.Start(Lease("6, 52/8", "2001:db8:12:3400::"));
        string conf = Path.Combine(lab.Work, "mapt.conf");
        File.WriteAllText(conf, "tr181-vendor-prefix = X_00D09E_\ntr181-wan-interface = Device.IP.Interface.2\ntr181-ipv6-prefix = Device.IP.Interface.2.IPv6Prefix.1\n");
        lab.VendorPrefix = "X_00D09E_";
        lab.StartMapt(null, "--config", conf);
        lab.WaitState("Up");
        var v = CheckedStatus(lab);
        Tr181Model.AssertRule(v, RulePath, offset: 6, length: 8, psid: 0x3400, includeSystemPorts: false, lengthInUse: 8, psidInUse: 0x34, "X_00D09E_");
        Assert.AreEqual("Device.IP.Interface.2", v["Device.MAP.Domain.1.WANInterface"]);
        Assert.AreEqual("Device.IP.Interface.2.IPv6Prefix.1", v["Device.MAP.Domain.1.IPv6Prefix"]);
        Assert.AreEqual("", v["Device.MAP.Domain.1.Interface.LowerLayers"]);
        Assert.AreEqual("wan0", v["Device.MAP.Domain.1.X_00D09E_WANInterfaceName"]);
        Assert.AreEqual("2001:db8:12:3400::/56", v["Device.MAP.Domain.1.X_00D09E_EndUserIPv6Prefix"]);
        Assert.IsFalse(v.Keys.Any(k => k.Contains(VendorPrefix.Default)), "the firmware's prefix replaces the default everywhere");

        // LastChange: seconds in the current Interface.Status, counting.
        Assert.AreEqual("Up", v[Tr181View.Interface + "Status"]);
        long first = long.Parse(v[Tr181View.Interface + "LastChange"]);
        Thread.Sleep(2300);
        long second = long.Parse(StatusText.Value(lab.Status().Stdout, Tr181View.Interface + "LastChange")!);
        Assert.IsTrue(second >= first + 2 && second <= first + 4, $"LastChange {first} then {second} 2.3 s later");
    }
}
