using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mapt.Status;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Lab;

/// <summary>
/// The field failures mapt run must survive, on the published binary in network namespaces
/// against Kea (see <see cref="GatewayLab"/>). Each scenario asserts the daemon reached Up
/// first, so that "nothing happened" cannot pass on a dead process.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class DaemonScenarioTests
{
    // RFC 7599 Example 1: PSID 0x34, a = 6, k = 8.
    private static bool InExample1PortSet(int port) => ((port >> 2) & 0xff) == 0x34 && (port >> 10) != 0;

    [TestMethod]
    public void ColdStart_ReachesUp_StatusIsTheTr181View_FlowsUseThePortSet()
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        lab.StartMapt();
        lab.WaitState("Up");

        Assert.AreEqual("Enabled", lab.StatusValue("Device.MAP.Domain.1.Status"));
        Assert.AreEqual("Translation", lab.StatusValue("Device.MAP.Domain.1.TransportMode"));
        Assert.AreEqual("2001:db8:ffff::/64", lab.StatusValue("Device.MAP.Domain.1.BRIPv6Prefix"));
        Assert.AreEqual("", lab.StatusValue("Device.MAP.Domain.1.IPv6Prefix"), "a reference to a Device.IP. row: none configured");
        Assert.AreEqual("2001:db8:12:3400::/56", lab.StatusValue(StatusText.Vendor(Tr181View.Domain, "EndUserIPv6Prefix")));
        Assert.AreEqual("DHCPv6", lab.StatusValue("Device.MAP.Domain.1.Rule.1.Origin"));
        Assert.AreEqual("13312", lab.StatusValue("Device.MAP.Domain.1.Rule.1.PSID"), "PSID as on the wire (0x3400)");
        Assert.AreEqual("192.0.2.18", lab.StatusValue(StatusText.Vendor(Tr181View.Domain, "IPv4Address")));
        Assert.AreEqual("1480", lab.Gw.Sh("cat /sys/class/net/map0/mtu").Trim(), "MAP device MTU = WAN MTU - 20");
        StringAssert.Contains(lab.Gw.Sh("ip route show default"), "dev map0");
        StringAssert.Contains(lab.Gw.Sh("ip -6 route show"), "2001:db8:12:3400:0:c000:212:34 dev map0");

        lab.UdpFlows(40001, 40002, 40003, 40004, 40005, 40006);
        List<int> ports = lab.NatPorts("192.0.2.18");
        Assert.AreEqual(6, ports.Count, "flows SNATed to 192.0.2.18:\n" + lab.Gw.Try("conntrack -L").Stdout);
        foreach (int p in ports)
            Assert.IsTrue(InExample1PortSet(p), $"NAT port {p} is outside the port set of PSID 0x34");

        ProcResult json = lab.Status("--json");
        Assert.AreEqual(0, json.ExitCode, json.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        Assert.AreEqual(13312, doc.RootElement.GetProperty("Device.MAP.Domain.1.Rule.1.PSID").GetInt32());
        Assert.IsTrue(doc.RootElement.GetProperty("Device.MAP.Domain.1.Interface.Stats.PacketsSent").GetInt64() >= 6, json.Stdout);

        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit());
        Assert.AreEqual(clean, lab.Snapshot(), "SIGTERM must leave a clean gateway");
    }

    [TestMethod]
    public void LinkFlap_UpAgain_NothingDuplicated()
    {
        using GatewayLab lab = GatewayLab.Start();
        lab.StartMapt();
        lab.WaitState("Up");
        string up = lab.Snapshot();
        lab.Isp.Sh("ip link set isp0 down");
        lab.WaitState("WaitingForLink", 5);
        Assert.IsFalse(lab.Gw.Sh("iptables-save").Contains("MAPT_"), "MAP-T rules left while the link is down");
        Assert.IsFalse(lab.Gw.Sh("ip route show").Contains("map0"), "IPv4 route via map0 left while the link is down");
        Assert.IsFalse(lab.Gw.Sh("ip -6 route show").Contains("2001:db8:ffff::/64"), "the route towards the DMR left while the link is down");
        lab.Isp.Sh("ip link set isp0 up");
        lab.WaitState("Up", 30);
        // The IPv6 default route is configured by the lab, and comes back with the link.
        lab.Gw.Try("ip -6 route add default via fe80::1 dev wan0");
        Assert.AreEqual(up, lab.Snapshot(), "after the flap the gateway must be configured exactly once, as before");
    }

    [TestMethod]
    public void RenewWithChangedRule_NewAddressInUse_OldConntrackGone()
    {
        using GatewayLab lab = GatewayLab.Start();
        lab.StartMapt();
        lab.WaitState("Up");
        lab.UdpFlows(41001, 41002, 41003);
        Assert.IsTrue(lab.ConntrackNatTo("192.0.2.18") >= 3, lab.Gw.Try("conntrack -L").Stdout);

        // Not into 198.51.100.0/24: the lab's LAN is 198.51.100.128/28, and a rule over the
        // gateway's own subnet is refused (SenseCheck).
        lab.Kea.Reload(GatewayLab.Example1(rule: "0, 16, 24, 203.0.113.0, 2001:db8::/40"));
        lab.Signal("USR1"); // forced Renew
        for (int i = 0; i < 200 && lab.StatusValue(StatusText.Vendor(Tr181View.Domain, "IPv4Address")) != "203.0.113.18"; i++)
            System.Threading.Thread.Sleep(50);
        lab.WaitState("Up");
        Assert.AreEqual("203.0.113.18", lab.StatusValue(StatusText.Vendor(Tr181View.Domain, "IPv4Address")), lab.Output);
        Assert.AreEqual("203.0.113.0/24", lab.StatusValue("Device.MAP.Domain.1.Rule.1.IPv4Prefix"));
        string save = lab.Gw.Sh("iptables-save -t nat");
        StringAssert.Contains(save, "--to-source 203.0.113.18:");
        Assert.IsFalse(save.Contains("192.0.2.18"), "rules of the old address left:\n" + save);
        Assert.AreEqual(0, lab.ConntrackNatTo("192.0.2.18"), "conntrack entries NATed to the old address left");
        lab.Inet.Sh("ip route add 203.0.113.0/24 dev map-peer 2>/dev/null || true");
        lab.UdpFlows(41004);
        Assert.IsTrue(lab.ConntrackNatTo("203.0.113.18") >= 1, "new flows do not use the new address:\n" + lab.Gw.Try("conntrack -L").Stdout);
        StringAssert.Contains(lab.Output, "Up -> Renewing");
        StringAssert.Contains(lab.Output, "-> Changing: MAP content changed");
        Assert.IsFalse(lab.Output.Contains("Changing -> TearingDown"), "a change must not go through teardown");
    }

    [TestMethod]
    public void ServerGone_LeaseExpires_TornDown()
    {
        using GatewayLab lab = GatewayLab.Start(GatewayLab.Example1(t1: 2, t2: 3, preferred: 4, valid: 6));
        string clean = lab.Snapshot();
        lab.StartMapt();
        lab.WaitState("Up");
        lab.Kea.Kill();
        lab.WaitState("Soliciting", 20);
        StringAssert.Contains(lab.Output, "TearingDown: lease lost");
        Assert.AreEqual(clean, lab.Snapshot(), "an expired lease must leave nothing of MAP-T");
        Assert.IsFalse(lab.JournalExists);
    }

    [TestMethod]
    public void SigkillDuringUp_TeardownUndoesTheJournal_ThenRestartReachesUp()
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        lab.StartMapt();
        lab.WaitState("Up");
        lab.UdpFlows(42001, 42002);
        lab.Kill9();
        Assert.IsTrue(lab.JournalExists, "kill -9 while Up must leave the journal");
        Assert.AreNotEqual(clean, lab.Snapshot());
        ProcResult status = lab.Status();
        Assert.AreEqual(3, status.ExitCode, status.ToString());
        StringAssert.Contains(status.Stderr, "no daemon is running");

        ProcResult teardown = lab.Gw.Try($"'{GatewayLab.Binary}' teardown --flash-dir '{lab.Flash}' --run-dir '{lab.Run}'");
        Assert.AreEqual(0, teardown.ExitCode, teardown.ToString());
        Assert.AreEqual(clean, lab.Snapshot(), "mapt teardown must give back a clean gateway (iptables, routes, sysctls, conntrack)");
        Assert.IsFalse(lab.JournalExists);

        lab.StartMapt();
        lab.WaitState("Up");
    }

    [TestMethod]
    public void SigkillDuringProvisioning_RestartCompletesTheHalfAppliedPlan_ThenUp()
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        // A slow ip6tables-restore holds mapt in Provisioning after iptables is applied.
        string bin = Path.Combine(lab.Work, "slowbin");
        Directory.CreateDirectory(bin);
        string real = Proc.Sh("command -v ip6tables-restore").Trim();
        File.WriteAllText(Path.Combine(bin, "ip6tables-restore"), $"#!/bin/sh\nsleep 30 && exec {real} \"$@\"\n");
        Proc.Sh($"chmod +x '{bin}/ip6tables-restore'");
        // mapt looks helpers up in a fixed path; the test build lets a test put one in front.
        lab.StartMapt(new Dictionary<string, string> { ["MAPT_TEST_CHILD_PATH"] = bin + ":" + Mapt.Apply.ChildProcess.SearchPath });
        lab.WaitState("Provisioning");
        for (int i = 0; i < 100 && !lab.Gw.Sh("iptables-save").Contains("MAPT_"); i++)
            System.Threading.Thread.Sleep(50);
        StringAssert.Contains(lab.Gw.Sh("iptables-save"), "MAPT_", "the test needs a half-applied gateway");
        lab.Kill9();
        Assert.IsTrue(lab.JournalExists);

        lab.StartMapt();
        lab.WaitState("Up");
        // The lease is stored and the journal says what was half applied: the rest is applied over it.
        StringAssert.Contains(lab.Output, "difference(s) from its plan");
        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit());
        Assert.AreEqual(clean, lab.Snapshot(), "after recovery and stop the gateway must be clean");
    }

    [TestMethod]
    public void RouteDeletedBehindItsBack_Restored()
    {
        using GatewayLab lab = GatewayLab.Start();
        lab.StartMapt();
        lab.WaitState("Up");
        lab.Gw.Sh("ip route del default dev map0");
        lab.Gw.Sh("ip -6 route del 2001:db8:12:3400:0:c000:212:34/128 dev map0");
        for (int i = 0; i < 40 && !(lab.Gw.Sh("ip route show default").Contains("map0") && lab.Gw.Sh("ip -6 route show").Contains("2001:db8:12:3400:0:c000:212:34")); i++)
            System.Threading.Thread.Sleep(50);
        StringAssert.Contains(lab.Gw.Sh("ip route show default"), "dev map0");
        StringAssert.Contains(lab.Gw.Sh("ip -6 route show"), "2001:db8:12:3400:0:c000:212:34 dev map0");
        StringAssert.Contains(lab.Output, "deleted behind mapt's back; restored");
        Assert.AreEqual("Up", lab.State());

        // The IPv6 default route too (an outage, another daemon): MAP-T stays up, the route comes back.
        lab.Gw.Sh("ip -6 route del default via fe80::1 dev wan0");
        for (int i = 0; i < 40 && !lab.Gw.Sh("ip -6 route show default").Contains("fe80::1"); i++)
            System.Threading.Thread.Sleep(50);
        StringAssert.Contains(lab.Gw.Sh("ip -6 route show default"), "via fe80::1 dev wan0");
        StringAssert.Contains(lab.Output, "default via fe80::1 dev wan0 was deleted behind mapt's back; restored");
        Assert.AreEqual("Up", lab.State());
    }

    [TestMethod]
    public void Sigterm_EverythingGone_ReleaseSeenByKea()
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        lab.StartMapt();
        lab.WaitState("Up");
        Assert.IsTrue(lab.Kea.ReadPrefixLeases().Any(r => r.Prefix == "2001:db8:12:3400::/56" && r.ValidLifetime > 0));
        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit());
        Assert.AreEqual(clean, lab.Snapshot());
        Assert.IsFalse(lab.JournalExists, "an orderly stop removes the journal");
        Assert.IsFalse(File.Exists(Path.Combine(lab.Run, "mapt.state")), "an orderly stop removes the state file");
        KeaLeaseRow last = lab.Kea.ReadPrefixLeases().Last(r => r.Prefix == "2001:db8:12:3400::/56");
        Assert.AreEqual(0, last.ValidLifetime, "Kea did not record the Release:\n" + lab.Kea.Log);
        Assert.AreEqual(3, lab.Status().ExitCode);
    }

    [TestMethod]
    [DataRow("mtu = 9\n", 1, "mtu: '9' is not a number in 1280..65535")]
    [DataRow("\nstatic-rule = 2001:db8::/40,192.0.2.0/33,16\nstatic-prefix = 2001:db8:12:3400::/56\nstatic-dmr = 2001:db8:ffff::/64\n", 2, "static-rule IPv4 prefix")]
    [DataRow("translator = jool\n", 1, "translator: 'jool' is not nat46, none or tun")]
    public void BadConfig_ExitsTwo_NamesTheLine_TouchesNothing(string text, int line, string reason)
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        string conf = Path.Combine(lab.Work, "bad.conf");
        File.WriteAllText(conf, text);
        ProcResult r = lab.Gw.Try($"'{GatewayLab.Binary}' run --wan wan0 --config '{conf}' --flash-dir '{lab.Flash}' --run-dir '{lab.Run}'");
        Assert.AreEqual(2, r.ExitCode, r.ToString());
        StringAssert.Contains(r.Stderr, conf + ":" + line + ": ");
        StringAssert.Contains(r.Stderr, reason);
        Assert.AreEqual(clean, lab.Snapshot());
        Assert.AreEqual(0, Directory.GetFiles(lab.Flash).Length, "nothing written to flash");
    }

    [TestMethod]
    public void StaticRule_OriginStatic_UpWithoutDhcpv6()
    {
        using GatewayLab lab = GatewayLab.Start();
        lab.Kea.Kill();
        string conf = Path.Combine(lab.Work, "static.conf");
        File.WriteAllText(conf, "static-rule = 2001:db8::/40,192.0.2.0/24,16,offset=6\nstatic-prefix = 2001:db8:12:3400::/56\nstatic-dmr = 2001:db8:ffff::/64\n");
        lab.StartMapt(null, "--config", conf);
        lab.WaitState("Up");
        Assert.AreEqual("Static", lab.StatusValue("Device.MAP.Domain.1.Rule.1.Origin"));
        Assert.AreEqual("192.0.2.18", lab.StatusValue(StatusText.Vendor(Tr181View.Domain, "IPv4Address")));
        string up = lab.Snapshot();

        // A static rule is its own lease: after kill -9 the next start takes its configuration over.
        lab.Kill9();
        lab.StartMapt(null, "--config", conf);
        lab.WaitState("Up");
        StringAssert.Contains(lab.Output, "taken over in");
        Assert.AreEqual(up, lab.Snapshot(), "after the restart the gateway is configured exactly once");
        Assert.IsTrue(lab.JournalExists, "the journal is kept for the run that took over");
    }

    [TestMethod]
    public void TranslatorTun_DeviceCreatedAndConfigured_GoneAfterSigterm()
    {
        using GatewayLab lab = GatewayLab.Start();
        // Part of the clean gateway: lets the drop check below send a packet past the SNAT.
        lab.Gw.Sh("iptables -t raw -I OUTPUT -p udp --dport 9 -j NOTRACK");
        string clean = lab.Snapshot();
        lab.StartMapt(null, "--translator", "tun", "--map-dev", "mapt0");
        lab.WaitState("Up");
        string link = lab.Gw.Sh("ip link show mapt0");
        StringAssert.Contains(link, "mtu 1480");
        StringAssert.Contains(link, "UP");
        StringAssert.Contains(lab.Gw.Sh("ip route show default"), "dev mapt0");
        StringAssert.Contains(lab.Gw.Sh("iptables-save -t nat"), "-o mapt0");
        Assert.AreEqual("tun", lab.StatusValue(StatusText.Vendor(Tr181View.Root, "Translator")));
        Assert.AreEqual("0", lab.StatusValue(StatusText.Vendor(Tr181View.InterfaceStats, "Dropped.SourcePortOutsideSet")));

        // A packet that escapes the SNAT (NOTRACK skips NAT): nat46 would send it to the BR,
        // mapt's translator drops it, counts it by reason, and status shows the count.
        lab.Gw.Try("for i in 1 2 3; do echo x | nc -u -w1 -p 40000 203.0.113.9 9; done");
        lab.Signal("USR2"); // refreshes the state file's counters now, instead of within a minute
        long dropped = 0;
        for (int i = 0; i < 50 && dropped == 0; i++)
        {
            System.Threading.Thread.Sleep(100);
            dropped = long.Parse(lab.StatusValue(StatusText.Vendor(Tr181View.InterfaceStats, "Dropped.SourceNotMapAddress")))
                + long.Parse(lab.StatusValue(StatusText.Vendor(Tr181View.InterfaceStats, "Dropped.SourcePortOutsideSet")));
        }
        Assert.IsTrue(dropped >= 1, "the escaped packets were not counted in mapt status");
        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit());
        Assert.AreNotEqual(0, lab.Gw.Try("ip link show mapt0").ExitCode, "the TUN device must go with the translator");
        Assert.AreEqual(clean, lab.Snapshot());
    }

    [TestMethod]
    public void MapTWithdrawnByTheServer_OrderlyTeardown_DhcpKeepsTheLease()
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        lab.StartMapt();
        lab.WaitState("Up");
        KeaConfig withoutMapT = GatewayLab.Example1();
        withoutMapT.OptionData.Clear();
        lab.Kea.Reload(withoutMapT);
        lab.Signal("USR1");
        lab.WaitState("Soliciting");
        StringAssert.Contains(lab.Output, "TearingDown: MAP-T withdrawn by the server");
        Assert.AreEqual(clean, lab.Snapshot(), "MAP-T withdrawn must leave nothing of it");
        Assert.AreEqual("", lab.StatusValue(StatusText.Vendor(Tr181View.Domain, "IPv4Address")));
        Assert.AreEqual("Disabled", lab.StatusValue("Device.MAP.Domain.1.Status"));
    }

    [TestMethod]
    public void Signals_HupReloadsTheFile_Usr2DumpsTheState()
    {
        using GatewayLab lab = GatewayLab.Start();
        string conf = Path.Combine(lab.Work, "mapt.conf");
        File.WriteAllText(conf, "log-level = info\n");
        lab.StartMapt(null, "--config", conf);
        lab.WaitState("Up");
        lab.Signal("USR2");
        File.WriteAllText(conf, "log-level = info\nmss = 1400\n");
        lab.Signal("HUP");
        File.WriteAllText(conf, "mss = 9\n");
        lab.Signal("HUP");
        for (int i = 0; i < 100 && !lab.Output.Contains("reload refused"); i++)
            System.Threading.Thread.Sleep(50);
        StringAssert.Contains(lab.Output, "state dump (SIGUSR2): state=Up");
        StringAssert.Contains(lab.Output, "applied=\"2001:db8:12:3400::/56 2001:db8::/40,192.0.2.0/24,16");
        StringAssert.Contains(lab.Output, "configuration reloaded from " + conf);
        StringAssert.Contains(lab.Output, "reload refused: " + conf + ":1: mss: '9'");
        Assert.AreEqual("Up", lab.State(), "a refused reload keeps the daemon running as it was");
    }

    [TestMethod]
    public void Arm64BinaryUnderQemu_ColdStartToUp_SigtermLeavesACleanGateway()
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        lab.StartMapt("linux-arm64", null);
        lab.WaitState("Up", 60);
        Assert.AreEqual("192.0.2.18", lab.StatusValue(StatusText.Vendor(Tr181View.Domain, "IPv4Address")));
        Assert.IsTrue(lab.JournalExists, "the journal must be on flash while Up");
        lab.UdpFlows(43001, 43002);
        foreach (int p in lab.NatPorts("192.0.2.18"))
            Assert.IsTrue(InExample1PortSet(p), $"NAT port {p} outside the port set");
        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit(30));
        Assert.AreEqual(clean, lab.Snapshot(), "SIGTERM must leave a clean gateway (conntrack through the conntrack tool: qemu-user has no ctnetlink)");
    }
}
