using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Translator.TranslatorLab;

namespace Mapt.Tests.Translator;

/// <summary>
/// The benchmark driver of tests/bench/translator.bench.sh: the same lab twice, once with the
/// published AOT binary as the CE (<c>mapt run --translator tun</c>, static rule: mapt sets up
/// its TUN device, MTU, routes and SNAT itself) and once with tayga in the same place (same TUN
/// device name, MTU, routes, an SNAT into the same port set), iperf3 from the LAN host to the
/// IPv6-only host that holds a DMR-embedded address, so the CE is the only translator on the
/// path. This test process only drives (namespaces, iperf3, /proc reads): nothing measured
/// runs JIT-hosted. Writes table rows to $MAPT_BENCH_OUT. Not part of the normal run
/// (TestCategory Bench).
/// </summary>
[TestClass]
public sealed class TranslatorBench
{
    private const int Seconds = 4, Repeats = 3;

    private sealed record Result(double UdpSmallPps, double UdpLargePps, double UdpLargeMbps, double TcpUpMbps, double TcpDownMbps,
        double UsPerPacket);

    [TestMethod]
    [TestCategory("Bench")]
    public void Bench_MaptBesideTaygaAsCe()
    {
        string output = Environment.GetEnvironmentVariable("MAPT_BENCH_OUT") ?? Path.Combine(Path.GetTempPath(), "translator.bench.rows");
        // Alternate mapt and tayga runs, so a neighbour's load on this shared machine hits both.
        var maptRuns = new List<Result>();
        var taygaRuns = new List<Result>();
        var routedRuns = new List<Result>();
        for (int i = 0; i < Repeats; i++)
        {
            maptRuns.Add(Measure(CeKind.Daemon));
            taygaRuns.Add(Measure(CeKind.Tayga));
            routedRuns.Add(Measure(CeKind.Routed));
        }
        Result mapt = MedianOf(maptRuns), tayga = MedianOf(taygaRuns), routed = MedianOf(routedRuns);
        var rows = new List<string>
        {
            Row("mapt run --translator tun (AOT binary): UDP 64 B LAN -> IPv6 host, received packets/s (median of 3 x 4 s, runs alternated)", mapt.UdpSmallPps, tayga.UdpSmallPps, "pps"),
            Row("mapt run --translator tun (AOT binary): UDP 64 B, CE process CPU (user + system, whole process: single-threaded) per received packet, us", mapt.UsPerPacket, tayga.UsPerPacket, "us", lowerIsBetter: true),
            Row("mapt run --translator tun (AOT binary): UDP 1400 B LAN -> IPv6 host, received packets/s", mapt.UdpLargePps, tayga.UdpLargePps, "pps"),
            Row("mapt run --translator tun (AOT binary): UDP 1400 B LAN -> IPv6 host, received Mbit/s", mapt.UdpLargeMbps, tayga.UdpLargeMbps, "Mbit/s"),
            Row("mapt run --translator tun (AOT binary): TCP LAN -> IPv6 host (4 -> 6), Mbit/s", mapt.TcpUpMbps, tayga.TcpUpMbps, "Mbit/s"),
            Row("mapt run --translator tun (AOT binary): TCP IPv6 host -> LAN (6 -> 4), Mbit/s", mapt.TcpDownMbps, tayga.TcpDownMbps, "Mbit/s"),
            RoutedRow("mapt run --translator tun (AOT binary): TCP LAN -> IPv6 host (4 -> 6), Mbit/s, against the plain routed path", mapt.TcpUpMbps, routed.TcpUpMbps),
            RoutedRow("mapt run --translator tun (AOT binary): TCP IPv6 host -> LAN (6 -> 4), Mbit/s, against the plain routed path", mapt.TcpDownMbps, routed.TcpDownMbps),
        };
        File.WriteAllLines(output, rows);
        foreach (string r in rows)
            Console.WriteLine(r);
        Assert.IsTrue(mapt.UdpSmallPps > 0 && tayga.UdpSmallPps > 0 && mapt.TcpUpMbps > 0 && tayga.TcpUpMbps > 0 && routed.TcpUpMbps > 0,
            "every measurement carried traffic");
    }

    private static string Row(string what, double mapt, double tayga, string unit, bool lowerIsBetter = false) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| translator | {what} | {Format(mapt)} | {Format(tayga)} (tayga as CE, same lab) | {(tayga > 0 ? mapt / tayga : 0):0.00} ({(lowerIsBetter ? "lower" : "higher")} is better) |");

    private static string RoutedRow(string what, double mapt, double routed) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| translator | {what} | {Format(mapt)} | {Format(routed)} (the CE routing IPv6 LAN -> IPv6 host, no translation, same lab) | {(routed > 0 ? mapt / routed : 0):0.00} (higher is better) |");

    private static string Format(double v) => v.ToString(v >= 100 ? "0" : "0.00", CultureInfo.InvariantCulture);

    private static Result Measure(CeKind kind)
    {
        using var lab = new TranslatorLab(kind);
        lab.V6Host.Start("iperf3", new[] { "-s", "-B", V6HostAddress, "-p", "5201" });
        for (int i = 0; i < 100 && lab.V6Host.Try("ss -ltn '( sport = :5201 )' | grep -q LISTEN").ExitCode != 0; i++)
            Thread.Sleep(50);
        if (kind == CeKind.Routed)
        {
            // The ceiling: the same links and hosts, the CE's kernel forwarding IPv6 untranslated (TCP only).
            lab.Lan.Sh($"ping -6 -c2 -i0.2 -w5 {V6HostAddress}", TimeSpan.FromSeconds(10));
            double rup = Tcp(lab, reverse: false, V6HostAddress), rdown = Tcp(lab, reverse: true, V6HostAddress);
            Console.Error.WriteLine($"routed: tcp up {rup:0} down {rdown:0} Mbit/s");
            return new Result(0, 0, 0, rup, rdown, 0);
        }
        // Warm up the path (neighbour entries, conntrack); a fresh lab drops its first packets for
        // a moment (qdiscs activated after the link watch runs): two replies within 5 s.
        lab.Lan.Sh($"ping -c2 -i0.2 -w5 {V6HostAs4}", TimeSpan.FromSeconds(10));
        double cpu0 = lab.CeCpuSeconds();
        var small = Udp(lab, 64);
        double cpu = lab.CeCpuSeconds() - cpu0;
        double usPerPacket = cpu * 1e6 / (small.Item1 * Seconds);
        var large = Udp(lab, 1400);
        double up = Tcp(lab, reverse: false);
        double down = Tcp(lab, reverse: true);
        lab.CheckAlive();
        Console.Error.WriteLine($"{(kind == CeKind.Tayga ? "tayga" : "mapt (AOT daemon)")}: udp64 {small.Item1:0} pps ({usPerPacket:0.00} us CPU each), udp1400 {large.Item1:0} pps {large.Item2:0} Mbit/s, tcp up {up:0} down {down:0} Mbit/s");
        return new Result(small.Item1, large.Item1, large.Item2, up, down, usPerPacket);
    }

    /// <summary>The median of each measure on its own.</summary>
    private static Result MedianOf(List<Result> runs)
    {
        double M(Func<Result, double> f) => runs.Select(f).OrderBy(v => v).ElementAt(runs.Count / 2);
        return new Result(M(r => r.UdpSmallPps), M(r => r.UdpLargePps), M(r => r.UdpLargeMbps), M(r => r.TcpUpMbps), M(r => r.TcpDownMbps),
            M(r => r.UsPerPacket));
    }

    /// <summary>Received packets/s and Mbit/s at the IPv6 host, the LAN host sending as fast as it can.</summary>
    private static (double, double) Udp(TranslatorLab lab, int size)
    {
        string json = lab.Lan.Sh($"iperf3 -c {V6HostAs4} -p 5201 -u -b 0 -l {size} -t {Seconds} -J", TimeSpan.FromSeconds(Seconds + 20));
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement sum = doc.RootElement.GetProperty("end").GetProperty("sum");
        double seconds = sum.GetProperty("seconds").GetDouble();
        long received = sum.GetProperty("packets").GetInt64() - sum.GetProperty("lost_packets").GetInt64();
        return (received / seconds, received * size * 8 / seconds / 1e6);
    }

    private static double Tcp(TranslatorLab lab, bool reverse, string to = V6HostAs4)
    {
        string json = lab.Lan.Sh($"iperf3 -c {to} -p 5201 -t {Seconds} -J{(reverse ? " -R" : "")}", TimeSpan.FromSeconds(Seconds + 20));
        using JsonDocument doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble() / 1e6;
    }
}
