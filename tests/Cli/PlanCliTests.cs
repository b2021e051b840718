using System;
using System.Collections.Generic;
using System.Text.Json;
using Mapt.Tests.Provisioning;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Cli;

/// <summary>`mapt plan` on the published binaries: what a field engineer runs on the console.</summary>
[TestClass]
public sealed class PlanCliTests
{
    private static readonly string[] Ex1 =
    {
        "plan", "--rule", "2001:db8::/40,192.0.2.0/24,16", "--prefix", "2001:db8:12:3400::/56", "--dmr", "2001:db8:ffff::/64",
    };

    private static string[] With(params string[] more)
    {
        var args = new List<string>(Ex1);
        args.AddRange(more);
        return args.ToArray();
    }

    public static IEnumerable<object[]> Architectures => PublishedBinary.Both;

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void Plan_Ex1_TextWithSetupAndTeardown(string rid)
    {
        ProcResult r = PublishedBinary.Of(rid).Run(With("--wan", "eth1", "--map-dev", "nat46x", "--wan-mtu", "1492"));
        Assert.AreEqual(0, r.ExitCode, r.ToString());
        StringAssert.StartsWith(r.Stdout, "# mapt plan: IPv4 192.0.2.18 shared, 63 port ranges (252 ports) 1232-1235 .. 64720-64723; MAP IPv6 2001:db8:12:3400:0:c000:212:34; DMR 2001:db8:ffff::/64; 0 FMR(s); device nat46x MTU 1472, WAN eth1 MTU 1492, TCP MSS 1432");
        StringAssert.Contains(r.Stdout, "-I POSTROUTING 1 -o nat46x -j MAPT_POSTROUTING");
        StringAssert.Contains(r.Stdout, "== teardown");
        StringAssert.Contains(r.Stdout, "nat46-delete nat46x");
    }

    [TestMethod]
    public void PlanOnlyNat46_OneCommandPerLine_SameAsThePlanInProcess()
    {
        ProcResult r = PublishedBinary.X64.Run(With("--rule", "2001:db8:100::/40,198.51.100.0/24,16,fmr", "--only", "nat46"));
        Assert.AreEqual(0, r.ExitCode, r.ToString());
        string[] lines = r.Stdout.TrimEnd('\n').Split('\n');
        var expected = Samples.PlanOf(Samples.Shared(Samples.Fmr1)).Nat46Setup;
        Assert.AreEqual(expected.Count, lines.Length, r.Stdout);
        for (int i = 0; i < lines.Length; i++)
        {
            Assert.AreEqual(expected[i].Command, lines[i]);
            Nat46Grammar.Parse(lines[i]);
        }
        ProcResult del = PublishedBinary.X64.Run(With("--only", "nat46", "--phase", "teardown"));
        Assert.AreEqual("del map-mapt\n", del.Stdout);
    }

    [TestMethod]
    [DataRow("legacy")]
    [DataRow("nft")]
    public void PlanOnlyIptables_PipesIntoRestore_AndTeardownUndoesIt(string backend)
    {
        using var ns = Netns.Create("plancli");
        string restore = backend == "legacy" ? "iptables-legacy-restore" : "iptables-nft-restore";
        string save = backend == "legacy" ? "iptables-legacy-save" : "iptables-nft-save";
        // The gateway's tables and built-in chains exist before (on nft a restore creates what
        // it names), so the save after teardown can be compared with the one before.
        const string Tables = "*mangle\\n:PREROUTING ACCEPT [0:0]\\n:INPUT ACCEPT [0:0]\\n:FORWARD ACCEPT [0:0]\\n:OUTPUT ACCEPT [0:0]\\n:POSTROUTING ACCEPT [0:0]\\nCOMMIT\\n" +
            "*nat\\n:PREROUTING ACCEPT [0:0]\\n:INPUT ACCEPT [0:0]\\n:OUTPUT ACCEPT [0:0]\\n:POSTROUTING ACCEPT [0:0]\\nCOMMIT\\n" +
            "*filter\\n:INPUT ACCEPT [0:0]\\n:FORWARD ACCEPT [0:0]\\n:OUTPUT ACCEPT [0:0]\\nCOMMIT\\n";
        string save6 = save.Replace("iptables", "ip6tables"), restore6 = restore.Replace("iptables", "ip6tables");
        ns.Sh($"printf '{Tables}' | {restore} && printf '{Tables}' | {restore6}");
        ns.Sh($"({save}; {save6}) | grep -v '^#' > /tmp/{ns.Name}.before");
        foreach (string family in new[] { "iptables", "ip6tables" })
        {
            string r6 = family == "iptables" ? restore : restore6;
            string bin = PublishedBinary.X64.Path;
            string args = string.Join(' ', Ex1);
            ns.Sh($"{bin} {args} --only {family} | {r6} --noflush --wait");
            StringAssert.Contains(ns.Sh(family == "iptables" ? save : save6), "MAPT_FORWARD");
            ns.Sh($"{bin} {args} --only {family} --phase teardown | {r6} --noflush --wait");
        }
        ns.Sh($"({save}; {save6}) | grep -v '^#' | diff /tmp/{ns.Name}.before - && rm /tmp/{ns.Name}.before");
    }

    [TestMethod]
    public void PlanJson_OneObjectWithStepsAndJumps()
    {
        ProcResult r = PublishedBinary.X64.Run(With("--json"));
        Assert.AreEqual(0, r.ExitCode, r.ToString());
        using JsonDocument doc = JsonDocument.Parse(r.Stdout);
        JsonElement root = doc.RootElement;
        Assert.AreEqual("192.0.2.18", root.GetProperty("ipv4Address").GetString());
        Assert.AreEqual(63, root.GetProperty("portRanges").GetArrayLength());
        Assert.AreEqual("nat46", root.GetProperty("setup")[0].GetProperty("kind").GetString());
        StringAssert.StartsWith(root.GetProperty("setup")[0].GetProperty("text").GetString(), "add map-mapt; config map-mapt local.style MAP ");
        Assert.AreEqual(1440, root.GetProperty("tcpMss").GetInt32());
    }

    [TestMethod]
    [DataRow(new[] { "plan", "--rule", "2001:db8::/40,192.0.2.0/24,4", "--prefix", "2001:db8:12:3400::/56", "--dmr", "2001:db8:ffff::/64" }, "delegates an IPv4 prefix")]
    [DataRow(new[] { "plan", "--rule", "2001:db8:12:3400::/56,192.0.2.18/32,0,offset=6,psid-len=8,psid=0x34", "--prefix", "2001:db8:12:3400::/56", "--dmr", "2001:db8:ffff::/64" }, "EA-bits length 0 with an explicit PSID")]
    [DataRow(new[] { "plan", "--rule", "2001:db8::/40,192.0.2.0/24,16", "--prefix", "2001:db8:12:3400::/56" }, "--dmr is required")]
    [DataRow(new[] { "plan", "--rule", "2001:db8::/40,192.0.2.0/24,16", "--prefix", "2001:db8:12:3400::/56", "--dmr", "2001:db8:ffff::/64", "--only", "arptables" }, "--only 'arptables' is not valid (expected nat46|iptables|ip6tables)")]
    [DataRow(new[] { "plan", "--rule", "2001:db8::/40,192.0.2.0/24,16", "--prefix", "2001:db8:12:3400::/56", "--dmr", "2001:db8:ffff::/64", "--phase", "teardown" }, "--phase needs --only")]
    [DataRow(new[] { "plan", "--rule", "2001:db8::/40,192.0.2.0/24,16", "--prefix", "2001:db8:12:3400::/56", "--dmr", "2001:db8:ffff::/64", "--wan-mtu", "9" }, "--wan-mtu '9' is not valid")]
    public void Plan_Refused_Exit2WithReason(string[] args, string message)
    {
        ProcResult r = PublishedBinary.X64.Run(args);
        Assert.AreEqual(2, r.ExitCode, r.ToString());
        StringAssert.Contains(r.Stderr, message);
        Assert.AreEqual("", r.Stdout);
    }
}
