using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using Mapt.Provisioning;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Provisioning;

/// <summary>
/// The SNAT rule set (issue 13 point 2), driven by tests/bench/ruleset.bench.sh: rule counts and
/// the rules a new connection walks, the round-robin tree beside mapt 0.1's flat list, and the
/// time ONE iptables-restore takes to load each (both backends, a namespace each); then the
/// lease mapt 0.1 accepted with PSID offset 15 (32,767 one-port ranges), beside the cap that
/// refuses it now.
/// </summary>
[TestClass]
public sealed class RulesetBench
{
    private static string RowsFile()
    {
        string? path = Environment.GetEnvironmentVariable("MAPT_BENCH_ROWS");
        if (string.IsNullOrEmpty(path))
            Assert.Inconclusive("benchmark driver: run tests/bench/ruleset.bench.sh");
        return path;
    }

    private static string Ipv4Text(PlanInput input, SnatStrategy strategy) =>
        IptablesScript.Setup(IptablesRules.Ipv4(input, new PlanSettings(Strategy: strategy)), IptablesState.Empty);

    private static int Lines(string text)
    {
        int n = 0;
        foreach (string line in text.Split('\n'))
            if (line.StartsWith("-A ", StringComparison.Ordinal) || line.StartsWith("-I ", StringComparison.Ordinal))
                n++;
        return n;
    }

    /// <summary>Median ms of <paramref name="runs"/> restores of <paramref name="text"/> into a fresh namespace, and the peak RSS (KB) of one.</summary>
    private static (double Ms, long RssKb) Restore(string backend, string text, int runs)
    {
        string file = Path.Combine(Path.GetTempPath(), "mapt-ruleset-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, text);
        try
        {
            var times = new List<double>();
            long rss = 0;
            for (int i = 0; i < runs; i++)
            {
                using Netns ns = Netns.Create("rset");
                var sw = Stopwatch.StartNew();
                ProcResult r = ns.Try($"/usr/bin/time -f %M iptables-{backend}-restore --noflush --wait < '{file}'", TimeSpan.FromMinutes(2));
                sw.Stop();
                if (r.ExitCode != 0)
                    throw new InvalidOperationException("restore failed: " + r);
                times.Add(sw.Elapsed.TotalMilliseconds);
                rss = Math.Max(rss, long.Parse(r.Stderr.Trim().Split('\n')[^1], CultureInfo.InvariantCulture));
            }
            times.Sort();
            return (times[times.Count / 2], rss);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string F(double v) => v.ToString(v >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture);

    [TestMethod]
    [TestCategory("Bench")]
    public void Bench_SnatTree_BesideTheFlatList_AndTheOffset15Lease()
    {
        string rows = RowsFile();
        var out_ = new StringBuilder();
        PlanInput ex1 = Samples.Shared();
        int n = ex1.PortSet.Count;
        string tree = Ipv4Text(ex1, SnatStrategy.RoundRobin), flat = Ipv4Text(ex1, SnatStrategy.FlatRoundRobin);
        int walkTree = IptablesRules.WorstWalk(n, SnatStrategy.RoundRobin), walkFlat = IptablesRules.WorstWalk(n, SnatStrategy.FlatRoundRobin);
        out_.Append($"| provisioning | SNAT: most rules a new ICMP connection walks, 63 ranges (lower is better) | {walkTree} | {walkFlat} (mapt 0.1's flat round robin) | {(double)walkTree / walkFlat:F2} |\n");
        out_.Append($"| provisioning | SNAT: iptables lines of the IPv4 plan, 63 ranges | {Lines(tree)} | {Lines(flat)} (flat round robin) | {(double)Lines(tree) / Lines(flat):F2} |\n");
        foreach (string backend in new[] { "legacy", "nft" })
        {
            (double t, _) = Restore(backend, tree, 5);
            (double f, _) = Restore(backend, flat, 5);
            out_.Append($"| provisioning | one iptables-restore of the IPv4 plan, 63 ranges, {backend} (ms, median of 5) | {F(t)} | {F(f)} (flat round robin) | {t / f:F2} |\n");
        }

        // The lease mapt 0.1 accepted: PSID offset 15, k = 1, one-port ranges.
        var spans = new List<PortSpan>();
        for (int a = 1; a < 1 << 15; a++)
            spans.Add(new PortSpan(a << 1, a << 1));
        PlanInput offset15 = ex1 with { PortSet = spans, Bmr = Samples.Bmr with { PsidOffset = 15, PsidLength = 1 } };
        string old = Ipv4Text(offset15, SnatStrategy.FlatRoundRobin);
        (double oldMs, long oldRss) = Restore("legacy", old, 1);
        bool refused = !Plan.TryCreate(offset15, new PlanSettings(), out _, out string why);
        Assert.IsTrue(refused, "the cap must refuse it");
        out_.Append($"| provisioning | lease with PSID offset 15 (32,767 one-port ranges): iptables lines installed | 0 (refused, event 615: {IptablesRules.MaxPortRanges} ranges at most) | {Lines(old)} lines, {old.Length / 1024} KiB, restore {F(oldMs)} ms at {oldRss / 1024} MB peak (mapt 0.1 applied it) | 0 |\n");
        File.AppendAllText(rows, out_.ToString());
    }
}
