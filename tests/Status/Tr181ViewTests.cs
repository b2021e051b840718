using System.Collections.Generic;
using System.Linq;
using Mapt.Status;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Status;

[TestClass]
public sealed class Tr181ViewTests
{
    // RFC 7599 Appendix A Example 1, plus one FMR.
    internal static StatusSnapshot Example1() => new()
    {
        Pid = 321,
        State = "Up",
        StateSince = "2026-11-26T14:00:00Z",
        Reason = "MAP-T configured",
        Wan = "wan0",
        MapDevice = "map-mapt",
        Translator = "nat46",
        Configured = true,
        EndUserPrefix = "2001:db8:12:3400::/56",
        Dmr = "2001:db8:ffff::/64",
        Rules =
        {
            new StatusRule("DHCPv6", "2001:db8::/40", "192.0.2.0/24", 16, false, 6, 8, 0x3400),
            new StatusRule("DHCPv6", "2001:db8:100::/40", "198.51.100.0/24", 16, true, 6, 8, 0),
        },
        Ipv4Address = "192.0.2.18",
        MapIpv6Address = "2001:db8:12:3400:0:c000:212:34",
        Psid = "0x34",
        PortSet = "1232-1235 2256-2259 ... 64720-64723 (63 ranges, 252 ports)",
        LeaseT1 = 1800,
        LeaseT2 = 2880,
        LeaseValid = 3600,
        InterfaceLastChangeUnix = 1000,
    };

    private static Dictionary<string, string> Map(List<StatusLine> lines) => lines.ToDictionary(l => l.Path, l => l.Value);

    [TestMethod]
    public void Render_Example1_EveryTr181ParameterWithItsValue()
    {
        var v = Map(Tr181View.Render(Example1()));
        Assert.AreEqual("true", v["Device.MAP.Enable"]);
        Assert.AreEqual("1", v["Device.MAP.DomainNumberOfEntries"]);
        Assert.AreEqual("Enabled", v["Device.MAP.Domain.1.Status"]);
        Assert.AreEqual("Translation", v["Device.MAP.Domain.1.TransportMode"]);
        Assert.AreEqual("wan0", v["Device.MAP.Domain.1.WANInterface"]);
        Assert.AreEqual("2001:db8:12:3400::/56", v["Device.MAP.Domain.1.IPv6Prefix"]);
        Assert.AreEqual("2001:db8:ffff::/64", v["Device.MAP.Domain.1.BRIPv6Prefix"]);
        Assert.AreEqual("2", v["Device.MAP.Domain.1.RuleNumberOfEntries"]);
        Assert.AreEqual("DHCPv6", v["Device.MAP.Domain.1.Rule.1.Origin"]);
        Assert.AreEqual("2001:db8::/40", v["Device.MAP.Domain.1.Rule.1.IPv6Prefix"]);
        Assert.AreEqual("192.0.2.0/24", v["Device.MAP.Domain.1.Rule.1.IPv4Prefix"]);
        Assert.AreEqual("16", v["Device.MAP.Domain.1.Rule.1.EABitsLength"]);
        Assert.AreEqual("false", v["Device.MAP.Domain.1.Rule.1.IsFMR"]);
        Assert.AreEqual("6", v["Device.MAP.Domain.1.Rule.1.PSIDOffset"]);
        Assert.AreEqual("8", v["Device.MAP.Domain.1.Rule.1.PSIDLength"]);
        Assert.AreEqual("13312", v["Device.MAP.Domain.1.Rule.1.PSID"], "PSID 0x34 with k=8 is 0x3400 on the wire and in TR-181");
        Assert.AreEqual("true", v["Device.MAP.Domain.1.Rule.2.IsFMR"]);
        Assert.AreEqual("Up", v["Device.MAP.Domain.1.Interface.Status"]);
        Assert.AreEqual("map-mapt", v["Device.MAP.Domain.1.Interface.Name"]);
        Assert.AreEqual("wan0", v["Device.MAP.Domain.1.Interface.LowerLayers"]);
        Assert.AreEqual("Up", v["Device.MAP.X_MAPT_State"]);
        Assert.AreEqual("1800", v["Device.MAP.Domain.1.X_MAPT_LeaseT1"]);
        foreach (string name in new[] { "Enable", "Status", "Alias", "TransportMode", "WANInterface", "IPv6Prefix", "BRIPv6Prefix", "DSCPMarkPolicy", "RuleNumberOfEntries" })
            Assert.IsTrue(v.ContainsKey("Device.MAP.Domain.1." + name), name);
        foreach (string name in new[] { "Enable", "Status", "Alias", "Origin", "IPv6Prefix", "IPv4Prefix", "EABitsLength", "IsFMR", "PSIDOffset", "PSIDLength", "PSID", "IncludeSystemPorts" })
            Assert.IsTrue(v.ContainsKey("Device.MAP.Domain.1.Rule.2." + name), name);
    }

    [TestMethod]
    public void Render_NothingApplied_DomainDisabledInterfaceDown()
    {
        var s = new StatusSnapshot { State = "Soliciting", Wan = "wan0", MapDevice = "map-mapt" };
        var v = Map(Tr181View.Render(s));
        Assert.AreEqual("Disabled", v["Device.MAP.Domain.1.Status"]);
        Assert.AreEqual("Down", v["Device.MAP.Domain.1.Interface.Status"]);
        Assert.AreEqual("0", v["Device.MAP.Domain.1.RuleNumberOfEntries"]);
        s.Misconfigured = true;
        Assert.AreEqual("Error_Misconfigured", Map(Tr181View.Render(s))["Device.MAP.Domain.1.Status"]);
    }

    private const string ProcNetDev =
        "Inter-|   Receive                                                |  Transmit\n" +
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n" +
        "    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n" +
        "map-mapt:  1000      10    1    2    0     0          0         3     5000      50    4    5    0     0       0          0\n";

    // /proc/net/dev_snmp6/map-mapt of the firmware lab's nat46 device after a ping and a
    // 200 KB download through it (tests/Firmware), the lines that matter.
    private const string Nat46Snmp6 =
        "Ip6InReceives                   \t98\nIp6InHdrErrors                  \t0\nIp6InNoRoutes                   \t0\n" +
        "Ip6InAddrErrors                 \t0\nIp6InDiscards                   \t0\nIp6OutForwDatagrams             \t26\n" +
        "Ip6OutRequests                  \t2\nIp6OutDiscards                  \t0\nIp6InMcastPkts                  \t0\n" +
        "Ip6OutMcastPkts                 \t2\nIp6InOctets                     \t7261\nIp6OutOctets                    \t203548\n";

    [TestMethod]
    public void Stats_Nat46_FromItsIpv6Counters_DownloadIsReceived()
    {
        var nat46 = Map(Tr181View.StatsLines(InterfaceCounters.ParseSnmp6(Nat46Snmp6)!));
        Assert.AreEqual("7261", nat46["Device.MAP.Domain.1.Interface.Stats.BytesSent"], "what nat46 translated from the LAN enters the stack on its device");
        Assert.AreEqual("203548", nat46["Device.MAP.Domain.1.Interface.Stats.BytesReceived"], "what the stack forwarded into the device from the WAN");
        Assert.AreEqual("98", nat46["Device.MAP.Domain.1.Interface.Stats.PacketsSent"]);
        Assert.AreEqual("28", nat46["Device.MAP.Domain.1.Interface.Stats.PacketsReceived"], "forwarded and the router's own");
        Assert.AreEqual("2", nat46["Device.MAP.Domain.1.Interface.Stats.MulticastPacketsReceived"]);
        Assert.IsNull(InterfaceCounters.ParseSnmp6("Ip6OutOctets 5\n"), "not a device's snmp6 file");
    }

    [TestMethod]
    public void Stats_OtherDevices_ProcNetDevAsIs()
    {
        var c = InterfaceCounters.Parse(ProcNetDev, "map-mapt")!;
        var plain = Map(Tr181View.StatsLines(c));
        Assert.AreEqual("5000", plain["Device.MAP.Domain.1.Interface.Stats.BytesSent"]);
        Assert.AreEqual("50", plain["Device.MAP.Domain.1.Interface.Stats.PacketsSent"]);
        Assert.AreEqual("7", plain["Device.MAP.Domain.1.Interface.Stats.UnicastPacketsReceived"]);
        Assert.AreEqual("2", plain["Device.MAP.Domain.1.Interface.Stats.DiscardPacketsReceived"]);
        Assert.IsNull(InterfaceCounters.Parse(ProcNetDev, "map"), "a prefix of a name is not the name");
    }

    [TestMethod]
    public void StateFile_RoundTrip_ThenReportAddsLastChangeAndStats()
    {
        List<StatusLine> lines = Tr181View.Render(Example1());
        List<StatusLine> back = StateFile.Parse(StateFile.Format(lines));
        CollectionAssert.AreEqual(lines, back);
        var report = Map(StatusReport.Build(back, InterfaceCounters.Parse(ProcNetDev, "map-mapt"), 1060));
        Assert.AreEqual("60", report["Device.MAP.Domain.1.Interface.LastChange"]);
        Assert.AreEqual("5000", report["Device.MAP.Domain.1.Interface.Stats.BytesSent"]);
        Assert.IsFalse(report.ContainsKey("Device.MAP.Domain.1.Interface.X_MAPT_LastChangeUnix"));
        Assert.AreEqual("MAP-T configured", report["Device.MAP.X_MAPT_Reason"], "values with spaces survive");
    }

    [TestMethod]
    public void Json_TypesBooleansAndNumbers()
    {
        string json = StatusReport.Json(StatusReport.Build(Tr181View.Render(Example1()), InterfaceCounters.Parse(ProcNetDev, "map-mapt"), 1060));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.AreEqual(true, root.GetProperty("Device.MAP.Enable").GetBoolean());
        Assert.AreEqual(13312, root.GetProperty("Device.MAP.Domain.1.Rule.1.PSID").GetInt32());
        Assert.AreEqual(-1, root.GetProperty("Device.MAP.Domain.1.DSCPMarkPolicy").GetInt32());
        Assert.AreEqual("Translation", root.GetProperty("Device.MAP.Domain.1.TransportMode").GetString());
        Assert.AreEqual(5000, root.GetProperty("Device.MAP.Domain.1.Interface.Stats.BytesSent").GetInt64());
        Assert.AreEqual("192.0.2.0/24", root.GetProperty("Device.MAP.Domain.1.Rule.1.IPv4Prefix").GetString());
    }

    [TestMethod]
    public void TranslatorDrops_ShownByReason_AfterTheKernelStats()
    {
        StatusSnapshot snapshot = Example1();
        snapshot.Translator = "tun";
        snapshot.TranslatorDrops.Add(new("source-port-outside-set", 7));
        snapshot.TranslatorDrops.Add(new("not-map-address", 0));
        List<StatusLine> daemon = Tr181View.Render(snapshot);
        List<StatusLine> shown = StatusReport.Build(daemon, InterfaceCounters.Parse(ProcNetDev, "map-mapt"), 2000);

        int stats = shown.FindIndex(l => l.Path == Tr181View.Interface + "Stats.PacketsSent");
        int drop = shown.FindIndex(l => l.Path == Tr181View.DropsPrefix + "source-port-outside-set");
        Assert.IsTrue(stats >= 0 && drop > stats, "drop counters must follow Interface.Stats");
        Assert.AreEqual("7", shown[drop].Value);
        Assert.AreEqual("0", shown.Single(l => l.Path == Tr181View.DropsPrefix + "not-map-address").Value);
        Assert.IsFalse(Tr181View.Render(Example1()).Any(l => l.Path.StartsWith(Tr181View.DropsPrefix)), "no drop lines without mapt's translator");
    }
}
