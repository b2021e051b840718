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
}
