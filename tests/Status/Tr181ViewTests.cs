using System.Collections.Generic;
using System.Linq;
using Mapt.Status;
using Mapt.Tests.Support;
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
            new StatusRule("DHCPv6", "2001:db8::/40", "192.0.2.0/24", 16, false, 6, 8, 0x3400, false, 8, true),
            new StatusRule("DHCPv6", "2001:db8:100::/40", "198.51.100.0/24", 16, true, 6, 0, 0, false, 8, false),
        },
        Ipv4Address = "192.0.2.18",
        MapIpv6Address = "2001:db8:12:3400:0:c000:212:34",
        PsidInUse = 0x34,
        PsidLengthInUse = 8,
        PsidOffsetInUse = 6,
        PortSet = "1232-1235 2256-2259 ... 64720-64723 (63 ranges, 252 ports)",
        LeaseT1 = 1800,
        LeaseT2 = 2880,
        LeaseValid = 3600,
        InterfaceChangedMs = 1_000_000,
    };

    private static Dictionary<string, string> Map(List<StatusLine> lines) => lines.ToDictionary(l => l.Path, l => l.Value);

    private static string X(string objectPath, string name) => StatusText.Vendor(objectPath, name);

    [TestMethod]
    public void Render_Example1_EveryTr181ParameterWithItsValue()
    {
        var v = Map(Tr181View.Render(Example1()).Lines);
        Assert.AreEqual("true", v["Device.MAP.Enable"]);
        Assert.AreEqual("1", v["Device.MAP.DomainNumberOfEntries"]);
        Assert.AreEqual("Enabled", v["Device.MAP.Domain.1.Status"]);
        Assert.AreEqual("Translation", v["Device.MAP.Domain.1.TransportMode"]);
        Assert.AreEqual("", v["Device.MAP.Domain.1.WANInterface"], "a reference, empty until the firmware names its Device.IP.Interface row");
        Assert.AreEqual("wan0", v[X(Tr181View.Domain, "WANInterfaceName")]);
        Assert.AreEqual("", v["Device.MAP.Domain.1.IPv6Prefix"]);
        Assert.AreEqual("2001:db8:12:3400::/56", v[X(Tr181View.Domain, "EndUserIPv6Prefix")]);
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
        Assert.AreEqual("true", v[X("Device.MAP.Domain.1.Rule.1.", "IsBMR")]);
        Assert.AreEqual("true", v["Device.MAP.Domain.1.Rule.2.IsFMR"]);
        Assert.AreEqual("0", v["Device.MAP.Domain.1.Rule.2.PSIDLength"]);
        Assert.AreEqual("8", v[X("Device.MAP.Domain.1.Rule.2.", "PSIDLengthInUse")]);
        Assert.AreEqual("52", v[X(Tr181View.Domain, "PSIDInUse")]);
        Assert.AreEqual("Up", v["Device.MAP.Domain.1.Interface.Status"]);
        Assert.AreEqual("map-mapt", v["Device.MAP.Domain.1.Interface.Name"]);
        Assert.AreEqual("", v["Device.MAP.Domain.1.Interface.LowerLayers"], "the model: a MAP interface does not use LowerLayers");
        Assert.IsFalse(v.ContainsKey("Device.MAP.Domain.1.Interface.Alias"), "deprecated in 2.18");
        Assert.AreEqual("Up", v[StatusText.StatePath]);
        Assert.AreEqual("1800", v[X(Tr181View.Domain, "LeaseT1")]);
        Assert.AreEqual(Tr181View.UnknownTime, v[X(Tr181View.Domain, "LeaseObtained")], "TR-106's unknown dateTime, not an empty string");
    }

    [TestMethod]
    public void Render_ConfiguredPrefixAndReferences_UsedForEveryVendorName()
    {
        StatusSnapshot s = Example1();
        s.VendorPrefix = "X_00D09E_";
        s.WanInterfacePath = "Device.IP.Interface.2";
        s.Ipv6PrefixPath = "Device.IP.Interface.2.IPv6Prefix.1";
        s.AddCounter(Tr181View.InterfaceStats, "Dropped.SourcePortOutsideSet", 3);
        var v = Map(Tr181View.Render(s).Lines);
        Assert.AreEqual("Device.IP.Interface.2", v["Device.MAP.Domain.1.WANInterface"]);
        Assert.AreEqual("Device.IP.Interface.2.IPv6Prefix.1", v["Device.MAP.Domain.1.IPv6Prefix"]);
        Assert.AreEqual("Up", v["Device.MAP.X_00D09E_State"]);
        Assert.AreEqual("3", v["Device.MAP.Domain.1.Interface.Stats.X_00D09E_Dropped.SourcePortOutsideSet"]);
        Assert.IsFalse(v.Keys.Any(k => k.Contains(VendorPrefix.Default)), "one prefix for every vendor name");
        s.EndUserPrefix = "";
        Assert.AreEqual("", Map(Tr181View.Render(s).Lines)["Device.MAP.Domain.1.IPv6Prefix"], "no prefix row is referenced while there is no End-user prefix");
    }

    [TestMethod]
    public void Render_NothingApplied_DomainDisabledInterfaceDown()
    {
        var s = new StatusSnapshot { State = "Soliciting", Wan = "wan0", MapDevice = "map-mapt" };
        var v = Map(Tr181View.Render(s).Lines);
        Assert.AreEqual("Disabled", v["Device.MAP.Domain.1.Status"]);
        Assert.AreEqual("Down", v["Device.MAP.Domain.1.Interface.Status"]);
        Assert.AreEqual("0", v["Device.MAP.Domain.1.RuleNumberOfEntries"]);
        s.Misconfigured = true;
        Assert.AreEqual("Error_Misconfigured", Map(Tr181View.Render(s).Lines)["Device.MAP.Domain.1.Status"]);
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
        // mapt status reads the file by the translator: nat46 and tun translate, none does not.
        Assert.AreEqual("/proc/self/net/dev_snmp6/map-mapt", StatusReport.CountersFile(Tr181View.Render(Example1())));
        Assert.AreEqual("7261", Map(StatusReport.Build(Tr181View.Render(Example1()), Nat46Snmp6, 2_000_000))["Device.MAP.Domain.1.Interface.Stats.BytesSent"]);
        StatusSnapshot none = Example1();
        none.Translator = "none";
        Assert.AreEqual("/proc/self/net/dev", StatusReport.CountersFile(Tr181View.Render(none)));
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
    public void Stats_32BitCountersWrapThroughZero_64BitOnesDoNot()
    {
        const ulong big = (1UL << 32) + 5;
        string dev = $"map-mapt: {big} {big} {big} {big} 0 0 0 0 {uint.MaxValue} {uint.MaxValue} {uint.MaxValue} {(1UL << 33) - 1} 0 0 0 0\n";
        var stats = Tr181View.StatsLines(InterfaceCounters.Parse(dev, "map-mapt")!).ToDictionary(l => l.Path);
        Assert.AreEqual(big.ToString(), stats[Tr181View.InterfaceStats + "BytesReceived"].Value, "StatsCounter64");
        Assert.AreEqual(ParamType.UnsignedLong, stats[Tr181View.InterfaceStats + "BytesReceived"].Type);
        Assert.AreEqual("5", stats[Tr181View.InterfaceStats + "ErrorsReceived"].Value, "StatsCounter32: 2^32 + 5 wraps to 5");
        Assert.AreEqual("5", stats[Tr181View.InterfaceStats + "DiscardPacketsReceived"].Value);
        Assert.AreEqual(ParamType.UnsignedInt, stats[Tr181View.InterfaceStats + "ErrorsReceived"].Type);
        // 0xffffffff means "no data available" (TR-106 StatsCounter32): a real one is shown one less.
        Assert.AreEqual("4294967294", stats[Tr181View.InterfaceStats + "ErrorsSent"].Value);
        Assert.AreEqual("4294967294", stats[Tr181View.InterfaceStats + "DiscardPacketsSent"].Value, "2^33 - 1 wraps to 0xffffffff");
    }

    [TestMethod]
    public void StateFile_RoundTrip_ThenReportCountsLastChangeAndAddsStats()
    {
        DaemonView view = Tr181View.Render(Example1());
        DaemonView back = StateFile.Parse(StateFile.Format(view));
        CollectionAssert.AreEqual(view.Lines, back.Lines, "paths, values and types");
        Assert.AreEqual(VendorPrefix.Default, back.VendorPrefix);
        Assert.AreEqual(1_000_000, back.InterfaceChangedMs);
        var report = Map(StatusReport.Build(back, Nat46Snmp6, 1_060_999));
        Assert.AreEqual("60", report["Device.MAP.Domain.1.Interface.LastChange"], "whole seconds since the status changed");
        Assert.AreEqual("7261", report["Device.MAP.Domain.1.Interface.Stats.BytesSent"]);
        Assert.AreEqual("MAP-T configured", report[X(Tr181View.Root, "Reason")], "values with spaces survive");
        Assert.AreEqual("0", Map(StatusReport.Build(back, ProcNetDev, 999_000))["Device.MAP.Domain.1.Interface.LastChange"], "never negative");
    }

    [TestMethod]
    public void StateFile_OldFormatWithoutTypes_StillShown()
    {
        DaemonView old = StateFile.Parse("Device.MAP.X_MAPT_Pid 77\nDevice.MAP.X_MAPT_Reason link up on wan0\n");
        Assert.AreEqual("77", old.Value("Device.MAP.X_MAPT_Pid"));
        Assert.AreEqual("link up on wan0", old.Value("Device.MAP.X_MAPT_Reason"));
    }

    [TestMethod]
    public void Json_TypesBooleansAndNumbers()
    {
        string json = StatusReport.Json(StatusReport.Build(Tr181View.Render(Example1()), Nat46Snmp6, 1_060_000));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.AreEqual(true, root.GetProperty("Device.MAP.Enable").GetBoolean());
        Assert.AreEqual(13312, root.GetProperty("Device.MAP.Domain.1.Rule.1.PSID").GetInt32());
        Assert.AreEqual(-1, root.GetProperty("Device.MAP.Domain.1.DSCPMarkPolicy").GetInt32());
        Assert.AreEqual("Translation", root.GetProperty("Device.MAP.Domain.1.TransportMode").GetString());
        Assert.AreEqual(7261, root.GetProperty("Device.MAP.Domain.1.Interface.Stats.BytesSent").GetInt64());
        Assert.AreEqual(60, root.GetProperty("Device.MAP.Domain.1.Interface.LastChange").GetInt64());
        Assert.AreEqual("192.0.2.0/24", root.GetProperty("Device.MAP.Domain.1.Rule.1.IPv4Prefix").GetString());
        Assert.AreEqual(321, root.GetProperty(X(Tr181View.Root, "Pid")).GetInt32());
        Assert.AreEqual(System.Text.Json.JsonValueKind.String, root.GetProperty(X(Tr181View.Domain, "PortSet")).ValueKind);
    }

    [TestMethod]
    public void VendorCounters_ShownUnderTheirObject_StatsCountersAfterTheKernelStats()
    {
        StatusSnapshot snapshot = Example1();
        snapshot.Translator = "tun";
        snapshot.AddCounter(Tr181View.InterfaceStats, Tr181View.TranslatorDrops + "SourcePortOutsideSet", 7);
        snapshot.AddCounter(Tr181View.InterfaceStats, Tr181View.TranslatorDrops + "NotMapAddress", 0);
        snapshot.AddCounter(Tr181View.Domain, "SomethingCounted", 4);
        List<StatusLine> shown = StatusReport.Build(Tr181View.Render(snapshot), ProcNetDev, 2_000_000);

        int stats = shown.FindIndex(l => l.Path == Tr181View.InterfaceStats + "UnknownProtoPacketsReceived");
        int drop = shown.FindIndex(l => l.Path == X(Tr181View.InterfaceStats, "Dropped.SourcePortOutsideSet"));
        Assert.IsTrue(stats >= 0 && drop == stats + 1, "vendor counters of Stats. follow the model's counters");
        Assert.AreEqual("7", shown[drop].Value);
        Assert.AreEqual(ParamType.UnsignedLong, shown[drop].Type);
        Assert.AreEqual("0", shown.Single(l => l.Path == X(Tr181View.InterfaceStats, "Dropped.NotMapAddress")).Value);
        int domainCounter = shown.FindIndex(l => l.Path == X(Tr181View.Domain, "SomethingCounted"));
        int firstRule = shown.FindIndex(l => l.Path.StartsWith(Tr181View.Domain + "Rule."));
        Assert.IsTrue(domainCounter >= 0 && domainCounter < firstRule, "a Domain counter is shown with the Domain's parameters");
        Assert.IsFalse(Tr181View.Render(Example1()).Lines.Any(l => l.Path.Contains("Dropped.")), "no drop lines without mapt's translator");
    }
}
