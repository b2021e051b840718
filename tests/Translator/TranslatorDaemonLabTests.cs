using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Translator.TranslatorLab;

namespace Mapt.Tests.Translator;

/// <summary>
/// The benchmark's CE in the normal run: the published AOT binary, <c>mapt run --translator
/// tun</c> with a static rule, translating real traffic from the LAN host to the IPv6-only host
/// (a DMR-embedded address, no BR on that path: mapt is the only translator). The device, its
/// MTU, routes and SNAT are mapt's (DaemonScenarioTests checks them and their teardown); this
/// checks packets cross it, so the benchmark measures a working path.
/// </summary>
[TestClass]
public sealed class TranslatorDaemonLabTests
{
    [TestMethod]
    public void AotDaemonAsCe_PingAndUdpReachTheIpv6Host()
    {
        var sw = Stopwatch.StartNew();
        using var lab = new TranslatorLab(CeKind.Daemon);
        lab.V6Host.Start("iperf3", new[] { "-s", "-B", V6HostAddress, "-p", "5201", "-1" });
        StringAssert.Contains(lab.Ce.Sh($"ip link show {Device}"), $"mtu {TunMtu}", "mapt set the TUN device's MTU");
        // A fresh lab drops its first packets for a moment (the veths' qdiscs are activated
        // after the link watch runs, up to a second after "up"): one reply within 5 s.
        lab.Lan.Sh($"ping -c1 -i0.2 -w5 {V6HostAs4}", TimeSpan.FromSeconds(10));
        for (int i = 0; i < 100 && lab.V6Host.Try("ss -ltn '( sport = :5201 )' | grep -q LISTEN").ExitCode != 0; i++)
            System.Threading.Thread.Sleep(50);
        string json = lab.Lan.Sh($"iperf3 -c {V6HostAs4} -p 5201 -u -b 20M -l 1200 -t 1 -J", TimeSpan.FromSeconds(20));
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement sum = doc.RootElement.GetProperty("end").GetProperty("sum");
        long received = sum.GetProperty("packets").GetInt64() - sum.GetProperty("lost_packets").GetInt64();
        Assert.IsTrue(received > 0, "no UDP datagram reached the IPv6 host through the AOT daemon\n" + json);
        lab.CheckAlive();
        Console.WriteLine($"lab, ping and 1 s of UDP in {sw.Elapsed.TotalSeconds:0.0} s; {received} datagrams received; threads: "
            + string.Join(",", System.IO.Directory.GetDirectories($"/proc/{lab.Daemon!.Id}/task").Select(t => System.IO.File.ReadAllText(t + "/comm").Trim())));
    }

    /// <summary>
    /// Issue 15: with IFF_VNET_HDR and TUNSETOFFLOAD the kernel hands the daemon GSO
    /// super-packets both ways (seen on the TUN device as packets far above its MTU), and what
    /// leaves the CE is still MTU-sized with valid checksums: the CE's WAN and LAN links have
    /// their offloads off, so the kernel cuts and checksums there in software from the
    /// virtio_net_hdr and the partial checksum mapt wrote; tshark checks every checksum.
    /// </summary>
    [TestMethod]
    public void AotDaemonAsCe_TcpBothWays_GsoSuperPacketsTranslated_WireSeesMtuSizedSegmentsWithValidChecksums()
    {
        using var lab = new TranslatorLab(CeKind.Daemon);
        StringAssert.Contains(lab.Ce.Sh($"ethtool -k {Device}"), "tx-tcp-segmentation: on", "mapt enabled TSO on its device");
        lab.Ce.Sh("ethtool -K wan0 tso off gso off tx off && ethtool -K lan0 tso off gso off tx off");
        lab.V6Host.Start("iperf3", new[] { "-s", "-B", V6HostAddress, "-p", "5201" });
        for (int i = 0; i < 100 && lab.V6Host.Try("ss -ltn '( sport = :5201 )' | grep -q LISTEN").ExitCode != 0; i++)
            System.Threading.Thread.Sleep(50);
        lab.Lan.Sh($"ping -c1 -i0.2 -w5 {V6HostAs4}", TimeSpan.FromSeconds(10));
        string dir = System.IO.Directory.CreateTempSubdirectory("mapt-gso").FullName;
        try
        {
            // Headers only on the device (super-packets), whole packets on the wires (checksums).
            var captures = new[]
            {
                lab.Ce.Start("tcpdump", new[] { "-i", Device, "-n", "-s", "128", "-w", dir + "/tun.pcap", "tcp" }),
                lab.Isp.Start("tcpdump", new[] { "-i", "ce0", "-n", "-s", "0", "-w", dir + "/wan.pcap", "ip6 and tcp" }),
                lab.Lan.Start("tcpdump", new[] { "-i", "eth0", "-n", "-s", "0", "-w", dir + "/lan.pcap", "tcp" }),
            };
            System.Threading.Thread.Sleep(1000);
            double up = Tcp(lab, reverse: false), down = Tcp(lab, reverse: true);
            System.Threading.Thread.Sleep(500);
            foreach (Process p in captures)
            {
                Mapt.Tests.Support.Proc.Run("kill", new[] { "-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                p.WaitForExit(10_000);
            }
            lab.CheckAlive();
            string Count(string pcap, string filter, params string[] options) => Mapt.Tests.Support.Proc.Sh(
                $"tshark -n -r {dir}/{pcap} {string.Join(" ", options)} -Y '{filter}' 2>/dev/null | wc -l").Trim();
            int N(string s) => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
            int super4 = N(Count("tun.pcap", $"ip.len > {TunMtu}")), super6 = N(Count("tun.pcap", $"ipv6.plen > {TunMtu - 40}"));
            // What the CE sent: on the WAN from its MAP address, on the LAN to the LAN host (the
            // hosts' own sends are their TSO super-packets, as the capture sees them before the wire).
            string fromCe6 = $"ipv6.src == {CeMapIpv6}", fromCe4 = $"ip.dst == {LanHost}";
            int wan = N(Count("wan.pcap", fromCe6 + " and tcp.len > 0")), lan = N(Count("lan.pcap", fromCe4 + " and tcp.len > 0"));
            int wanTooBig = N(Count("wan.pcap", $"{fromCe6} and frame.len > {WanMtu + 14}")), lanTooBig = N(Count("lan.pcap", $"{fromCe4} and frame.len > {WanMtu + 14}"));
            const string check = "-o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE";
            int wanBad = N(Count("wan.pcap", fromCe6 + " and tcp.checksum.status != 1", check));
            int lanBad = N(Count("lan.pcap", fromCe4 + " and (tcp.checksum.status != 1 or ip.checksum.status != 1)", check));
            string summary = $"TCP 4->6 {up:0} Mbit/s, 6->4 {down:0} Mbit/s; super-packets on {Device}: {super4} IPv4, {super6} IPv6; "
                + $"data segments on the WAN {wan} ({wanTooBig} too big, {wanBad} bad checksums), on the LAN {lan} ({lanTooBig} too big, {lanBad} bad)";
            Console.WriteLine(summary);
            Assert.IsTrue(up > 0 && down > 0, summary);
            Assert.IsTrue(super4 > 0, "IPv4 GSO super-packets went into the device: " + summary);
            Assert.IsTrue(super6 > 0, "IPv6 GSO super-packets went into the device: " + summary);
            Assert.IsTrue(wan > 100 && lan > 100, "both wires carried the streams: " + summary);
            Assert.AreEqual(0, wanTooBig, summary);
            Assert.AreEqual(0, lanTooBig, summary);
            // The frames themselves when one fails (which packet, its flags and length, the sums), so a rare failure can be read.
            string Detail(string pcap, string filter) => Mapt.Tests.Support.Proc.Sh(
                $"tshark -n -r {dir}/{pcap} {check} -Y '{filter}' -T fields -e frame.number -e frame.len -e tcp.srcport -e tcp.dstport "
                + "-e tcp.flags.str -e tcp.len -e tcp.checksum -e tcp.checksum.status -e tcp.checksum_calculated 2>/dev/null | head -20");
            Assert.AreEqual(0, wanBad, "every TCP checksum on the WAN verifies: " + summary + "\n" + (wanBad > 0 ? Detail("wan.pcap", fromCe6 + " and tcp.checksum.status != 1") : ""));
            Assert.AreEqual(0, lanBad, "every TCP and IPv4 header checksum on the LAN verifies: " + summary + "\n"
                + (lanBad > 0 ? Detail("lan.pcap", fromCe4 + " and (tcp.checksum.status != 1 or ip.checksum.status != 1)") : ""));
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    private static double Tcp(TranslatorLab lab, bool reverse)
    {
        string json = lab.Lan.Sh($"iperf3 -c {V6HostAs4} -p 5201 -t 1 -b 300M -J{(reverse ? " -R" : "")}", TimeSpan.FromSeconds(20));
        using JsonDocument doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble() / 1e6;
    }
}
