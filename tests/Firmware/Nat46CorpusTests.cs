using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Mapt.Tests.Support;
using Mapt.Tests.Translator;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Firmware.FirmwareLab;

namespace Mapt.Tests.Firmware;

/// <summary>
/// Issue 16's last part: the RFC 7915 corpus (tests/Translator/corpus, the same cases and the
/// same judge as mapt's TUN translator and tayga) through the real nat46 module, mapt in the
/// firmware VM having provisioned it as on a gateway. nat46 decides on its own path what RFC
/// 7915 leaves to a translator; mapt cannot change the module, so this test pins what it does:
/// tests/Firmware/nat46-corpus.expected holds every case's verdict and the deviation classes
/// (docs/notes/nat46-conformance.md) that explain each failure, and the test fails when nat46's
/// behaviour changes either way (a case starts conforming, or fails differently).
/// The wires: the harness runs in the ISP namespace and holds the VM's two taps themselves
/// (the LAN tap's sockets opened in the LAN namespace), so it sees every frame the VM sends
/// whatever its destination MAC. In the VM conntrack is off for IPv4 (raw CT --notrack), so
/// the SNAT rewrites no crafted port and the translated packets for 192.0.2.18 leave on the LAN
/// (a route to the LAN host, which forwards nothing); in the ISP namespace what the VM sends to
/// a global address is dropped before routing, so no answer of the ISP's comes back as noise.
/// One VM for the whole corpus, run twice: as mapt provisions nat46, then with the hop
/// compensation of deviation N1 (two mangle rules typed in the VM), which the second run
/// shows to remove N1 and nothing else.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class Nat46CorpusTests
{
    private static string ExpectedFile => Path.Combine(Repo.Root, "tests", "Firmware", "nat46-corpus.expected");
    private static string Notes => Path.Combine(Repo.Root, "docs", "notes", "nat46-conformance.md");

    /// <summary>The expected-results file: each case's verdict and deviation ids, each deviation's signatures.</summary>
    private sealed record Expected(Dictionary<string, (bool Pass, string[] Deviations)> Cases,
        Dictionary<string, (bool Pass, string[] Deviations)> Compensated, Dictionary<string, List<Regex>> Signatures);

    private static Expected ReadExpected()
    {
        var cases = new Dictionary<string, (bool, string[])>();
        var compensated = new Dictionary<string, (bool, string[])>();
        var signatures = new Dictionary<string, List<Regex>>();
        foreach (string raw in File.ReadAllLines(ExpectedFile))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            string[] f = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (f[0] == "deviation")
            {
                if (!signatures.TryGetValue(f[1], out List<Regex>? list))
                    signatures[f[1]] = list = new List<Regex>();
                list.Add(new Regex(f[2], RegexOptions.CultureInvariant));
                continue;
            }
            Dictionary<string, (bool, string[])> into = cases;
            if (f[0] == "compensated")
            {
                into = compensated;
                f = line.Substring(f[0].Length).Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            }
            Assert.IsTrue(f.Length > 1 && f[1] is "pass" or "fail", $"{ExpectedFile}: '{line}': the verdict is pass or fail");
            into.Add(f[0], (f[1] == "pass", f.Length > 2 ? f[2].Split(',', StringSplitOptions.TrimEntries) : Array.Empty<string>()));
        }
        return new Expected(cases, compensated, signatures);
    }

    /// <summary>
    /// Which of <paramref name="listed"/> (a case's deviation ids) explain its errors: each id
    /// whose signatures match one of them, and the errors none matches (a new behaviour).
    /// </summary>
    private static (List<string> Ids, List<string> Unexplained) Classify(CorpusCase c, IEnumerable<string> listed, Expected expected)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        var unexplained = new List<string>();
        foreach (string error in c.Errors)
        {
            bool explained = false;
            foreach (string id in listed)
                if (expected.Signatures.TryGetValue(id, out List<Regex>? signatures) && signatures.Any(r => r.IsMatch(error)))
                {
                    ids.Add(id);
                    explained = true;
                }
            if (!explained)
                unexplained.Add(error);
        }
        return (ids.ToList(), unexplained);
    }

    [TestMethod]
    public void Corpus_Nat46ProvisionedByMapt_EveryCaseAsTheExpectedFileSays()
    {
        var clock = Stopwatch.StartNew();
        Expected expected = ReadExpected();
        using FirmwareLab lab = FirmwareLab.Start();
        lab.WaitState("Up");
        TimeSpan up = clock.Elapsed;

        // The VM: no conntrack for IPv4 (the crafted ports stay as sent), the CE's IPv4 address
        // routed to the LAN host (no SNAT to undo), no ICMP rate limit, no reverse-path filter.
        lab.Console.Sh("iptables -t raw -A PREROUTING -j CT --notrack && iptables -t raw -A OUTPUT -j CT --notrack"
            + $" && ip route add {CeIpv4}/32 via {LanHost} dev lan0"
            + " && for s in ipv4/icmp_ratelimit ipv6/icmp/ratelimit ipv4/conf/all/rp_filter ipv4/conf/default/rp_filter ipv4/conf/lan0/rp_filter;"
            + " do echo 0 > /proc/sys/net/$s; done"
            + $" && ping -c1 -W2 {LanHost} >/dev/null");
        // The ISP: what the VM sends to a global address ends here, before routing (no Time
        // Exceeded or Unreachable of the ISP's comes back to the VM); Kea and radvd use
        // link-local and multicast addresses.
        lab.Isp.Sh("ip6tables -t raw -I PREROUTING -i isp0 -d 2000::/3 -j DROP");

        List<CorpusCase> cases = RunCorpus(lab, "nat46", out Match score);
        var table = new StringBuilder();
        List<string> differences = Compare(cases, expected.Cases, expected, table);
        Console.WriteLine("--- as nat46-corpus.expected\n" + table);

        // Every deviation the file uses is a documented class.
        string notes = File.ReadAllText(Notes);
        foreach (string id in expected.Cases.Values.SelectMany(v => v.Deviations).Concat(expected.Signatures.Keys).Distinct())
            StringAssert.Contains(notes, $"### {id}:", $"deviation {id} is not documented in {Notes}");
        Assert.AreEqual(0, differences.Count, "nat46's behaviour changed:\n" + string.Join('\n', differences));
        Assert.AreEqual(Count(expected.Cases), score.Groups[1].Value, "the score");
        TimeSpan first = clock.Elapsed;

        // N1's compensation (docs/notes/nat46-conformance.md), recommended but not applied by
        // mapt: +1 on IPv4 entering nat46 from anywhere but nat46 itself, +1 on IPv4 leaving it
        // before the kernel's forward. Every case then fails as before without N1, except the
        // ones the file lists under "compensated" (a packet that now arrives shows another class).
        lab.Console.Sh($"iptables -t mangle -A FORWARD ! -i {MapDevice} -o {MapDevice} -j TTL --ttl-inc 1"
            + $" && iptables -t mangle -A PREROUTING -i {MapDevice} -j TTL --ttl-inc 1");
        var compensated = expected.Cases.ToDictionary(c => c.Key, c => expected.Compensated.TryGetValue(c.Key, out var v) ? v
            : (c.Value.Deviations.All(d => d == "N1"), c.Value.Deviations.Where(d => d != "N1").ToArray()));
        List<CorpusCase> again = RunCorpus(lab, "nat46+hops", out Match compensatedScore);
        List<string> changed = Compare(again, compensated, expected, new StringBuilder());
        Assert.AreEqual(0, changed.Count, "with the hop compensation:\n" + string.Join('\n', changed));
        Assert.AreEqual(Count(compensated), compensatedScore.Groups[1].Value, "the score with the hop compensation");
        Assert.IsFalse(again.Any(c => c.Errors.Any(e => e.StartsWith("hop limit = TTL - 1", StringComparison.Ordinal) || e.StartsWith("TTL = hop limit - 1", StringComparison.Ordinal))),
            "no TTL or hop limit error is left with the compensation");
        Console.WriteLine($"nat46: {score.Value}, with the hop compensation {compensatedScore.Value};"
            + $" up {up.TotalSeconds:0.0} s, first run {first.TotalSeconds:0.0} s, test {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private const string MapDevice = "map-mapt";

    private static string Count(Dictionary<string, (bool Pass, string[] Deviations)> cases) =>
        cases.Values.Count(v => v.Pass).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The corpus through the VM (the harness in the ISP namespace on both taps), its cases in order.</summary>
    private static List<CorpusCase> RunCorpus(FirmwareLab lab, string label, out Match score)
    {
        Dictionary<string, string> ports = FirmwareImage.Ports();
        string json = Path.Combine(lab.Work, label + ".json");
        ProcResult r = Proc.Run("ip", new[]
        {
            "netns", "exec", lab.Isp.Name, LabScripts.Python, Rfc7915Corpus.Harness,
            "--wan-if", lab.Vm.WanTap, "--lan-if", lab.Vm.LanTap, "--lan-netns", lab.Lan.Name,
            "--ce-wan-mac", ports["wan0"], "--ce-lan-mac", ports["lan0"], "--wan-ip6", "2001:db8:1::1",
            // A TCG VM on a loaded machine answers later than a namespace: a longer window per case.
            "--label", label, "--json", json, "--verbose", "--settle", "0.4",
        }, timeout: TimeSpan.FromSeconds(240));
        Console.WriteLine(r.Stdout);
        Assert.AreEqual(0, r.ExitCode, r.ToString());
        score = Rfc7915Corpus.Score(r.Stdout);
        List<CorpusCase> cases = Rfc7915Corpus.ReadJson(json);
        Assert.IsTrue(cases.Count >= 90, "the whole corpus ran: " + score.Value);
        return cases;
    }

    /// <summary>
    /// What differs between the measured <paramref name="cases"/> and <paramref name="want"/>;
    /// <paramref name="table"/> gets the measurement in the expected file's format (what to
    /// paste when nat46 changed on purpose).
    /// </summary>
    private static List<string> Compare(List<CorpusCase> cases, Dictionary<string, (bool Pass, string[] Deviations)> want,
        Expected expected, StringBuilder table)
    {
        var differences = new List<string>();
        foreach (CorpusCase c in cases)
        {
            bool known = want.TryGetValue(c.Name, out var w);
            (List<string> ids, List<string> unexplained) = Classify(c, known ? w.Deviations : expected.Signatures.Keys, expected);
            table.Append(c.Name).Append(c.Pass ? " pass" : " fail").Append(ids.Count > 0 ? " " + string.Join(',', ids) : "").Append('\n');
            if (!known)
                differences.Add($"{c.Name}: not in the expected file ({(c.Pass ? "pass" : "fail: " + string.Join("; ", c.Errors))})");
            else if (w.Pass != c.Pass)
                differences.Add($"{c.Name}: expected {(w.Pass ? "pass" : "fail")}, nat46 now {(c.Pass ? "conforms" : "fails: " + string.Join("; ", c.Errors))}");
            else if (!c.Pass && (unexplained.Count > 0 || !ids.SequenceEqual(w.Deviations.OrderBy(d => d, StringComparer.Ordinal))))
                differences.Add($"{c.Name}: fails differently: {string.Join(',', ids)} explain it (expected {string.Join(',', w.Deviations)})"
                    + (unexplained.Count > 0 ? "; unexplained: " + string.Join("; ", unexplained) : ""));
        }
        foreach (string name in want.Keys.Except(cases.Select(c => c.Name)))
            differences.Add($"{name}: in the expected file, not in the corpus");
        return differences;
    }
}
