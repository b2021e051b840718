using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using Mapt.Netlink;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Netlink;

/// <summary>
/// Drivers for tests/bench/netlink.bench.sh: they append table rows to the file named by
/// MAPT_BENCH_ROWS and are skipped in the normal run (TestCategory Bench, and no file).
/// </summary>
[TestClass]
public sealed class NetlinkBench
{
    private const int Routes = 10_000;
    private const int Flaps = 100;

    private static string RowsFile()
    {
        string? path = Environment.GetEnvironmentVariable("MAPT_BENCH_ROWS");
        if (string.IsNullOrEmpty(path))
            Assert.Inconclusive("benchmark driver: run tests/bench/netlink.bench.sh");
        return path;
    }

    private static string F(double v) => v.ToString(v >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);

    [TestMethod]
    [TestCategory("Bench")]
    public void Bench_DumpTenThousandRoutes_BesideIpJson()
    {
        string rows = RowsFile();
        using var lab = new NetlinkLab();
        lab.Ce.Sh("ip addr add 192.0.2.10/24 dev wan0");
        var batch = new StringBuilder();
        for (int i = 0; i < Routes; i++)
            batch.Append("route add 10.").Append(i >> 8).Append('.').Append(i & 0xff).Append(".0/24 via 192.0.2.1 metric ").Append(i % 7).Append('\n');
        string file = Path.Combine(Path.GetTempPath(), lab.Ce.Name + ".batch");
        File.WriteAllText(file, batch.ToString());
        try { lab.Ce.Sh("ip -batch " + file); } finally { File.Delete(file); }

        var list = new List<RouteInfo>(Routes + 16);
        lab.Client.DumpRoutes(AddressFamily.Inet, RouteTable.Main, list); // warm-up (JIT, buffers)
        int total = list.Count;
        Assert.IsTrue(total >= Routes);

        const int Runs = 10;
        var times = new List<double>();
        long allocated = 0;
        for (int run = 0; run < Runs; run++)
        {
            list.Clear();
            long before = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            lab.Client.DumpRoutes(AddressFamily.Inet, RouteTable.Main, list);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.AreEqual(total, list.Count);
        }
        times.Sort();
        double mapt = times[Runs / 2];
        double perRoute = (double)allocated / Runs / total;
        long fresh = GC.GetAllocatedBytesForCurrentThread();
        List<RouteInfo> newList = lab.Client.DumpRoutes(AddressFamily.Inet);
        double perRouteFresh = (double)(GC.GetAllocatedBytesForCurrentThread() - fresh) / newList.Count;

        // The baseline: iproute2 reading and printing the same table as JSON, same run, same namespace.
        string script = $"for i in $(seq {Runs}); do s=$(date +%s%N); ip -j route show table main >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000 )); done";
        var ipTimes = new List<double>();
        foreach (string line in lab.Ce.Sh(script).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            ipTimes.Add(double.Parse(line, CultureInfo.InvariantCulture) / 1000.0);
        ipTimes.Sort();
        double ip = ipTimes[ipTimes.Count / 2];
        int ipCount = lab.Json("route show table main").GetArrayLength();
        Assert.AreEqual(total, ipCount);

        File.AppendAllText(rows,
            $"| netlink | dump {total} IPv4 routes, median of {Runs} (ms; lower is better) | {F(mapt)} | {F(ip)} (`ip -j route show`) | {F(mapt / ip)} |\n"
            + $"| netlink | routes parsed per second (higher is better) | {F(total / mapt * 1000)} | {F(total / ip * 1000)} (`ip -j route show`) | {F(ip / mapt)} x |\n"
            + $"| netlink | bytes allocated per route, reused list / new list | {F(perRoute)} / {F(perRouteFresh)} | - | - |\n");
    }

    [TestMethod]
    [TestCategory("Bench")]
    // Admin down (IFF_UP) is notified at once. Carrier changes (the peer going down) go through the
    // kernel's linkwatch, which holds them back up to 1 s when a link flaps faster than that, so a
    // peer-flap benchmark would measure the kernel's rate limit (docs/notes/netlink.md).
    public void Bench_LinkDownToCallback_HundredFlaps_BesideIpMonitor()
    {
        string rows = RowsFile();
        using var lab = new NetlinkLab();
        using RtnlMonitor monitor = lab.OpenMonitor();
        long seenAt = 0;
        monitor.LinkChanged = (link, removed) =>
        {
            if (link.Index == lab.WanIndex && !link.IsUp && seenAt == 0)
                seenAt = Stopwatch.GetTimestamp();
        };
        // The baseline: `ip monitor link` in the same namespace, as the field scripts watched links.
        var ipSeen = new ConcurrentQueue<long>();
        lab.Ce.Start("ip", new[] { "-o", "monitor", "link" }, onStdout: line =>
        {
            if (line.Contains("wan0") && !line.Contains("<UP") && !line.Contains(",UP"))
                ipSeen.Enqueue(Stopwatch.GetTimestamp());
        });
        System.Threading.Thread.Sleep(300); // ip monitor subscribed

        var mapt = new List<double>();
        var ipMon = new List<double>();
        var ipExit = new List<double>();
        for (int flap = 0; flap < Flaps; flap++)
        {
            ipSeen.Clear();
            seenAt = 0;
            long t0 = Stopwatch.GetTimestamp();
            using (Process p = Process.Start(new ProcessStartInfo("ip", $"-n {lab.Ce.Name} link set wan0 down") { UseShellExecute = false })!)
            {
                Assert.IsTrue(NetlinkLab.PumpUntil(monitor, () => seenAt != 0, 2000), "down not seen in 2 s");
                p.WaitForExit();
                ipExit.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            mapt.Add(Stopwatch.GetElapsedTime(t0, seenAt).TotalMilliseconds);
            var wait = Stopwatch.StartNew();
            long ipAt;
            while (!ipSeen.TryDequeue(out ipAt) && wait.ElapsedMilliseconds < 2000)
                System.Threading.Thread.Sleep(1);
            Assert.AreNotEqual(0L, ipAt, "ip monitor missed a flap");
            ipMon.Add(Stopwatch.GetElapsedTime(t0, ipAt).TotalMilliseconds);
            lab.Ce.Sh("ip link set wan0 up");
            monitor.Drain();
        }
        mapt.Sort();
        ipMon.Sort();
        ipExit.Sort();
        double Median(List<double> x) => x[x.Count / 2];
        File.AppendAllText(rows,
            $"| netlink | `ip link set wan0 down` -> callback, median of {Flaps} flaps (ms) | {F(Median(mapt))} | {F(Median(ipMon))} (`ip monitor link` line) / {F(Median(ipExit))} (`ip link set` exits) | {F(Median(mapt) / Median(ipMon))} |\n"
            + $"| netlink | same, worst of {Flaps} flaps (ms) | {F(mapt[^1])} | {F(ipMon[^1])} (`ip monitor link`) / {F(ipExit[^1])} (`ip link set` exits) | {F(mapt[^1] / ipMon[^1])} |\n");
    }
}
