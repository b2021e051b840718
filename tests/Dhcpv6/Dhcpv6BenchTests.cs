using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Mapt.Dhcpv6;
using Mapt.Tests.Dhcpv6.Wire;
using Mapt.Tests.Lab;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Dhcpv6;

/// <summary>
/// Drivers for tests/bench/dhcpv6.bench.sh (excluded from the normal run). Each prints
/// "BENCH key=value ..." lines the script turns into table rows.
/// </summary>
[TestClass]
public sealed class Dhcpv6BenchTests
{
    /// <summary>
    /// 1,000 Renew exchanges with Kea in one process: RSS and managed heap after a warm-up and
    /// at the end, and the exchange time beside the link's own round trip (ping).
    /// </summary>
    [TestMethod]
    [TestCategory("Bench")]
    public void Renew_1000ExchangesWithKea_RssFlat()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("MAPT_BENCH_RENEWS"), out int n) ? n : 1000;
        KeaConfig config = KeaConfig.RfcExample1();
        config.QuietLeases = true;
        using var lab = KeaLab.Start(config);
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        KeaScenarioTests.Acquire(lab, c);
        // Only the last events matter here; keep the list from growing with the run.
        c.Client.LeaseChanged = null;
        int renewed = 0;
        c.Client.LeaseChanged = (change, _) => { if (change == LeaseChange.Renewed) renewed++; };
        void Renew()
        {
            int before = renewed;
            c.Do(c.Client.RenewNow);
            Assert.IsTrue(c.RunUntil(() => renewed > before, TimeSpan.FromSeconds(5)), c.Logger.ToString());
        }
        // Warm-up: past tier-1 JIT and past the first gen0 budgets, so what follows shows the
        // client's own retention, not the test host filling its allocation budget once.
        int warmup = 0, gen0 = GC.CollectionCount(0);
        while (warmup < 300 || GC.CollectionCount(0) < gen0 + 3)
        {
            Renew();
            warmup++;
            if (warmup % 100 == 0)
                c.Logger.Entries.Clear();
        }
        System.Threading.Thread.Sleep(500);
        c.Logger.Entries.Clear();
        long rssStart = RssKb(), heapStart = GC.GetTotalMemory(true);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            Renew();
            if (i % 100 == 0)
                c.Logger.Entries.Clear();
        }
        double ms = watch.Elapsed.TotalMilliseconds / count;
        long rssEnd = RssKb(), heapEnd = GC.GetTotalMemory(true);
        Assert.AreEqual(ClientState.Bound, c.Client.State);
        Assert.AreEqual(warmup + count, renewed);

        string server = c.Client.Lease!.ServerAddress.ToString();
        string ping = lab.Client.Sh($"ping -6 -c 200 -i 0.002 -q {server}%{KeaLab.ClientInterface}");
        Match rtt = Regex.Match(ping, @"= [\d.]+/([\d.]+)/");
        Console.WriteLine($"BENCH renew count={count} ms_per_exchange={ms:F3} ping_rtt_ms={rtt.Groups[1].Value} rss_start_kb={rssStart} rss_end_kb={rssEnd} heap_start={heapStart} heap_end={heapEnd} warmup={warmup}");
        // The logger keeps up to 100 renewals' lines (about 200 KB); anything beyond is retention.
        Assert.IsTrue(heapEnd < heapStart + 256 * 1024, $"managed heap grew from {heapStart} to {heapEnd} bytes over {count} renewals");
        Assert.IsTrue(rssEnd < rssStart + 16 * 1024, $"RSS grew from {rssStart} KB to {rssEnd} KB over {count} renewals");
    }

    /// <summary>Writes the first messages of the fuzz run to a pcap for tshark's dissection rate (the baseline).</summary>
    [TestMethod]
    [TestCategory("Bench")]
    public void Fuzz_WritePcapForTsharkBaseline()
    {
        string? path = Environment.GetEnvironmentVariable("MAPT_BENCH_PCAP");
        if (string.IsNullOrEmpty(path))
            return;
        var fuzzer = new ReplyFuzzer(7);
        using var file = File.Create(path);
        PcapWriter.Write(file, fuzzer.Messages(100_000));
        Console.WriteLine("BENCH pcap messages=100000 path=" + path);
    }

    private static long RssKb()
    {
        // Compacting, blocking collection first: what is left is what is held.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        string line = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(Regex.Match(line, @"\d+").Value);
    }
}
