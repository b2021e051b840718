using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using Mapt.Tests.Dhcpv6;
using Mapt.Status;
using Mapt.Tests.Lab;
using Mapt.Tests.Support;
using Mapt.Translator;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Firmware.FirmwareLab;
using static Mapt.Tests.Map.MapValues;

namespace Mapt.Tests.Firmware;

/// <summary>
/// Issue 12's proofs on the real datapath: the arm64 mapt, started by the firmware's init
/// script on Debian 12's arm64 kernel with the real nat46 module, the gateway of
/// <see cref="FirmwareLab"/> (Kea, radvd and tayga as the BR in the ISP namespace), driven
/// over the serial console. One VM per test (TCG: a boot takes 5-15 s), run one after the
/// other (DoNotParallelize: each VM keeps a core busy).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class FirmwareLabTests
{
    private const string BmrArgs = "--rule 2001:db8::/40,192.0.2.0/24,16,offset=6";

    // RFC 7599 Example 1: PSID 0x34, a = 6, k = 8.
    private static bool InPortSet(int port) => ((port >> 2) & 0xff) == 0x34 && (port >> 10) != 0;

    private static long Stat(Dictionary<string, string> status, string name) =>
        long.Parse(status["Device.MAP.Domain.1.Interface.Stats." + name], CultureInfo.InvariantCulture);

    /// <summary>The LAN host fetches 200 KB through the VM and the BR; the server saw the MAP address and a port of the set.</summary>
    private static void AssertTrafficFlows(FirmwareLab lab)
    {
        lab.Lan.Sh($"ping -c1 -W5 {Web} || ping -c2 -W5 {Web}", TimeSpan.FromSeconds(30));
        int before = lab.WebClients().Count;
        Assert.AreEqual(lab.BlobSha256, lab.FetchBlob(), "200 KB over HTTP through MAP-T arrived changed");
        (string address, int port) = lab.WebClientAfter(before);
        Assert.AreEqual(CeIpv4, address, "the server must see the CE's shared IPv4 address");
        Assert.IsTrue(InPortSet(port), $"the server saw source port {port}, outside the port set of PSID 0x34");
    }

    [TestMethod]
    public void Boot_InitStartsMaptOnRealNat46_UpWithThePlannedPairs_TrafficThroughNat46AndTayga()
    {
        var clock = Stopwatch.StartNew();
        using FirmwareLab lab = FirmwareLab.Start();
        TimeSpan boot = clock.Elapsed;
        lab.WaitState("Up");
        TimeSpan up = clock.Elapsed;

        // 1: started by the init script at boot, Up on nat46, the read-back is the plan, no complaint.
        StringAssert.Contains(lab.Console.Sh("/etc/init.d/mapt status"), "MAP-T Up");
        Dictionary<string, string> status = lab.Status();
        Assert.AreEqual("nat46", status[StatusText.Vendor(Tr181View.Root, "Translator")]);
        Assert.AreEqual(CeIpv4, status[StatusText.Vendor(Tr181View.Domain, "IPv4Address")]);
        Assert.AreEqual(DelegatedPrefix, status[StatusText.Vendor(Tr181View.Domain, "EndUserIPv6Prefix")]);
        lab.AssertNat46IsThePlan(BmrArgs, Dmr);
        Assert.AreEqual("", lab.Nat46Complaints(), "the kernel log has nat46 complaints");
        StringAssert.Contains(lab.Console.Sh("lsmod"), "nat46", "the real module is loaded");
        StringAssert.Contains(lab.Console.Sh("iptables-legacy-save -t nat"), "-A POSTROUTING -o map-mapt -j MAPT_POSTROUTING",
            "the image's default iptables is the legacy backend");

        // 2: ping and HTTP from the LAN through nat46 and tayga; the counters the right way round.
        AssertTrafficFlows(lab);
        status = lab.Status();
        long received = Stat(status, "BytesReceived"), sent = Stat(status, "BytesSent");
        Assert.IsTrue(received >= 200_000, $"a 200 KB download is received on the MAP interface: BytesReceived {received}");
        Assert.IsTrue(sent < received / 4, $"requests and ACKs are all that was sent: BytesSent {sent}, BytesReceived {received}");
        Assert.IsTrue(Stat(status, "PacketsSent") > 0 && Stat(status, "PacketsReceived") > 0);
        Console.WriteLine($"lab and power-on to shell {boot.TotalSeconds:0.0} s (the VM alone {lab.Vm.LastBoot.TotalSeconds:0.0} s), to Up {up.TotalSeconds:0.0} s, test {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [TestMethod]
    public void RuleChange_DmrEditedInPlaceUnderTraffic_FmrAddedRecreatesTheDeviceAndMapsMeshTraffic()
    {
        var clock = Stopwatch.StartNew();
        using FirmwareLab lab = FirmwareLab.Start();
        lab.WaitState("Up");
        string ifindex = lab.Console.Sh("cat /sys/class/net/map-mapt/ifindex").Trim();

        // The ISP moves its BR to another DMR while a slow download runs; a forced Renew.
        string result = Path.Combine(lab.Work, "download.sha256");
        Process download = lab.Lan.Start("/bin/sh", new[] { "-c", $"curl -sS -m 120 --limit-rate 16k http://{Web}:{WebPort}/blob.bin | sha256sum > {result}" });
        System.Threading.Thread.Sleep(1000);
        const string movedDmr = "2001:db8:fffe::/96";
        lab.MoveBr(movedDmr);
        lab.Console.Sh($"kill -USR1 {lab.MaptPid()}");
        lab.WaitInVm("mapt log | grep -q ' 508 '", "event 508 (the BMR/DMR pair edited in place)");
        Assert.IsFalse(download.HasExited, "the download must still run when the change is applied (else this proves nothing)");
        lab.WaitState("Up");
        Assert.AreEqual(ifindex, lab.Console.Sh("cat /sys/class/net/map-mapt/ifindex").Trim(), "the device is kept: same ifindex");
        string writes = lab.Console.Sh("mapt log | sed -n '/ 508 /,$p' | grep ' 500 ' || true");
        Assert.AreEqual(1, writes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, "one write after 508:\n" + writes);
        StringAssert.Contains(writes, "wrote 'config map-mapt ");
        lab.AssertNat46IsThePlan(BmrArgs, movedDmr);
        Assert.IsTrue(download.WaitForExit(120_000), "the download did not finish");
        Assert.AreEqual(lab.BlobSha256, File.ReadAllText(result).Split(' ')[0], "the download across the change arrived changed");
        AssertTrafficFlows(lab);

        // An FMR for another CE's domain (203.0.113.128/25 <-> 2001:db8:200::/40, 15 EA bits).
        // mapt applies at most one MAP change per 30 s (event 633): this one waits out the rest.
        var container = new Mapt.Dhcpv6.Wire.S46MaptContainer(new[]
        {
            S46Hex.Rule("2001:db8::/40", "192.0.2.0/24", 16, fmr: false, portParams: (6, 8, 0x34)),
            S46Hex.Rule("2001:db8:200::/40", "203.0.113.128/25", 15, fmr: true),
        }, S46Hex.Dmr(movedDmr));
        KeaConfig mesh = KeaExample1();
        mesh.OptionData.Clear();
        mesh.OptionData.Add(KeaConfig.MaptHex(S46Hex.BodyHex(container)));
        lab.Kea.Reload(mesh);
        lab.Console.Sh($"kill -USR1 {lab.MaptPid()}");
        lab.WaitInVm("grep -q '^insert map-mapt ' /proc/net/nat46/control", "the FMR inserted", 90);
        lab.WaitState("Up");
        Assert.AreNotEqual(ifindex, lab.Console.Sh("cat /sys/class/net/map-mapt/ifindex").Trim(), "FMRs changed: the device is re-created");
        lab.AssertNat46IsThePlan(BmrArgs + " --rule 2001:db8:200::/40,203.0.113.128/25,15,fmr", movedDmr);

        // Mesh traffic to a CE of that domain leaves the WAN for its MAP address, not for the BR.
        using TsharkCapture capture = TsharkCapture.Start(lab.Isp, "isp0", "ip6 and udp");
        // Port 40000 of 203.0.113.130: PSID 0x10 of that CE (ports below 1024 belong to no CE).
        lab.Lan.Try("echo mesh | nc -u -w1 -p 40007 203.0.113.130 40000");
        List<string[]> rows = capture.Decode("udp.dstport == 40000", "ipv6.src", "ipv6.dst");
        Assert.IsTrue(rows.Count >= 1, "no translated mesh datagram on the WAN");
        Mapt.Map.MapRule bmr = Rule("2001:db8::/40", "192.0.2.0/24", 16);
        Mapt.Map.MapRule fmr = Rule("2001:db8:200::/40", "203.0.113.128/25", 15, fmr: true);
        if (!Mapt.Map.Dmr.TryCreate(P6(movedDmr), out Mapt.Map.Dmr dmr, out Mapt.Map.MapError dmrError))
            Assert.Fail(dmrError.ToString());
        var addressing = new MapAddressing(Compute(bmr, DelegatedPrefix), new Mapt.Map.MapRuleSet(new[] { bmr, fmr }, dmr));
        Span<byte> peer = stackalloc byte[16];
        Assert.IsTrue(addressing.TryMapToIpv6(A4("203.0.113.130").Value, 40000, peer));
        Assert.AreEqual(CeMapIpv6, rows[0][0], "the source is the CE's MAP address");
        Assert.AreEqual(new IPAddress(peer).ToString(), rows[0][1], "the destination is the peer CE's MAP address by the FMR (RFC 7597 5.3)");
        AssertTrafficFlows(lab);
        Console.WriteLine($"test {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [TestMethod]
    public void Faults_WanLinkFlapRouteDeletedSigkill_UpAgainWithThePlanAndTraffic()
    {
        var clock = Stopwatch.StartNew();
        using FirmwareLab lab = FirmwareLab.Start();
        lab.WaitState("Up");

        // The WAN cable pulled on the host side: MAP-T goes, nat46's device with it.
        lab.Vm.Monitor("set_link wan-nic off");
        lab.WaitState("WaitingForLink", 20);
        Assert.AreEqual("", lab.ControlFile(), "the nat46 device is gone while the link is down");
        Assert.AreEqual("0", lab.Console.Sh("iptables-save | grep -c MAPT_ || true").Trim(), "MAP-T rules left while the link is down");
        lab.Vm.Monitor("set_link wan-nic on");
        lab.WaitState("Up");
        lab.AssertNat46IsThePlan(BmrArgs, Dmr);
        Assert.AreEqual("1", lab.Console.Sh("ip route show default | grep -c 'dev map-mapt'").Trim(), "one IPv4 default route via nat46");
        AssertTrafficFlows(lab);

        // A route deleted behind mapt's back is put back.
        lab.Console.Sh("ip route del default dev map-mapt");
        lab.WaitInVm("ip route show default | grep -q 'dev map-mapt'", "the default route via map-mapt restored", 20);
        StringAssert.Contains(lab.Console.Sh("mapt log | grep ' 609 '"), "deleted behind mapt's back; restored");
        AssertTrafficFlows(lab);

        // SIGKILL: the engineer starts it again; MAP-T Up as planned, traffic flows.
        lab.Console.Sh($"kill -9 {lab.MaptPid()}");
        StringAssert.Contains(lab.Console.Run("/etc/init.d/mapt status").Output, "not running");
        StringAssert.Contains(lab.Console.Sh("/etc/init.d/mapt start"), "mapt: started");
        lab.WaitState("Up");
        lab.AssertNat46IsThePlan(BmrArgs, Dmr);
        AssertTrafficFlows(lab);
        Console.WriteLine($"test {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [TestMethod]
    public void RebootPowerCutCrash_TheFlashLogTellsHowEachRunEnded()
    {
        var clock = Stopwatch.StartNew();
        using FirmwareLab lab = FirmwareLab.Start();
        lab.WaitState("Up");

        // reboot: init runs rcK, whose mapt stop tears MAP-T down and releases the lease.
        int releases = lab.Kea.Count("DHCP6_RELEASE");
        string shutdown = lab.Vm.Reboot();
        StringAssert.Contains(shutdown, "mapt: stopped");
        StringAssert.Contains(shutdown, "rcK: shutdown complete");
        lab.Kea.WaitFor("DHCP6_RELEASE", releases, TimeSpan.FromSeconds(10));
        TimeSpan reboot = lab.Vm.LastBoot;
        lab.WaitState("Up");
        string previous = lab.Console.Sh("mapt log --boot -1");
        StringAssert.Contains(previous, "Up -> TearingDown: stop requested (SIGTERM)");
        StringAssert.Contains(previous, "mapt stopping cleanly");
        StringAssert.Contains(lab.Console.Sh("mapt log --boot 0 | head -1"), "previous run clean");

        // Power cut right after a warning (synced at once): it and the lines before survive.
        lab.Console.Sh("ip route del default dev map-mapt");
        lab.WaitInVm("mapt log | grep -q ' 609 '", "the route restored (warning 609)", 20);
        lab.Vm.PowerCut();
        lab.WaitState("Up");
        previous = lab.Console.Sh("mapt log --boot -1");
        StringAssert.Contains(previous, "Provisioning -> Up", "the lines before the cut are on flash");
        StringAssert.Contains(previous, "deleted behind mapt's back; restored");
        Assert.IsFalse(previous.Contains("stopping cleanly", StringComparison.Ordinal), "no clean stop before a power cut");
        StringAssert.Contains(lab.Console.Sh("mapt log --boot 0 | head -1"), "previous run unknown");

        // A crash (SIGSEGV through the shim's handler) survives the same way.
        lab.Console.Sh("/etc/init.d/mapt stop");
        ConsoleResult crash = lab.Console.Run("MAPT_TEST_LOG=/var/lib/mapt MAPT_TEST_CRASH=segv mapt; echo \"exit $?\"");
        StringAssert.Contains(crash.Output, "exit 139", "the hook dies of SIGSEGV");
        lab.Vm.PowerCut();
        lab.WaitState("Up");
        previous = lab.Console.Sh("mapt log --boot -1");
        StringAssert.Contains(previous, " crit 9000 ", "the crash line is on flash");
        StringAssert.Contains(previous, "fatal signal 11 (SIGSEGV)");
        StringAssert.Contains(lab.Console.Sh("mapt log --boot 0 | head -1"), "previous run crash (");
        Console.WriteLine($"reboot {reboot.TotalSeconds:0.0} s, power-on {lab.Vm.LastBoot.TotalSeconds:0.0} s, test {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [TestMethod]
    public void TunTranslator_NftBackend_SameTrafficOnTheArm64Kernel()
    {
        var clock = Stopwatch.StartNew();
        using FirmwareLab lab = FirmwareLab.Start();
        lab.WaitState("Up");
        // The engineer switches the gateway to mapt's own translator and the nf_tables backend.
        lab.Console.Sh("sed -i 's/^translator = .*/translator = tun/; s/^iptables = .*/iptables = nft/' /etc/mapt.conf && /etc/init.d/mapt restart");
        lab.WaitState("Up");
        Dictionary<string, string> status = lab.Status();
        Assert.AreEqual("tun", status[StatusText.Vendor(Tr181View.Root, "Translator")]);
        Assert.AreEqual("", lab.ControlFile(), "nat46's device went with the restart");
        string tunFlags = lab.Console.Sh("cat /sys/class/net/map-mapt/tun_flags");
        Assert.IsNull(Mapt.Translator.TunDevice.FlagsDifference("map-mapt", tunFlags), "map-mapt is mapt's TUN device now (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR): " + tunFlags);
        // Linux 6.1 has no USO: the offloads fall back to checksum and TSO.
        StringAssert.Contains(lab.Console.Sh("mapt log --boot 0 | grep ' 900 ' | tail -1"), "offloads csum tso4 tso6 tso-ecn)");
        StringAssert.Contains(lab.Console.Sh("iptables-nft-save -t nat"), "-A POSTROUTING -o map-mapt -j MAPT_POSTROUTING", "the rules are in nf_tables");
        Assert.AreEqual("0", lab.Console.Sh("iptables-legacy-save | grep -c MAPT_ || true").Trim(), "and not in the legacy tables");

        AssertTrafficFlows(lab);
        status = lab.Status();
        long received = Stat(status, "BytesReceived"), sent = Stat(status, "BytesSent");
        Assert.IsTrue(received >= 200_000 && sent < received / 4, $"TUN counters: sent {sent}, received {received}");
        string Gso(string way) => status.FirstOrDefault(kv => kv.Key.EndsWith("_GsoPackets" + way, StringComparison.Ordinal)).Value ?? "?";
        Console.WriteLine($"test {clock.Elapsed.TotalSeconds:0.0} s; GSO super-packets sent {Gso("Sent")}, received {Gso("Received")}");
    }
}
