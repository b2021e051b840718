using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Cli;

/// <summary>The CLI contract on the published binaries themselves (x64, and arm64 under qemu).</summary>
[TestClass]
public sealed class CliFrameTests
{
    public static IEnumerable<object[]> Architectures => PublishedBinary.Both;

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void Version_PrintsVersionCommitAndArchitecture(string rid)
    {
        ProcResult r = PublishedBinary.Of(rid).Run("--version");
        Assert.AreEqual(0, r.ExitCode, r.ToString());
        string head = Proc.Sh($"git -C '{Repo.Root}' rev-parse --short=12 HEAD").Trim();
        string arch = rid == "linux-arm64" ? "aarch64" : "x86_64";
        StringAssert.StartsWith(r.Stdout, "mapt 0.");
        StringAssert.Contains(r.Stdout, "\ncommit " + head + "\n");
        StringAssert.Contains(r.Stdout, "\narch " + arch + "\n");
    }

    [TestMethod]
    [DataRow("linux-x64", "x86-64")]
    [DataRow("linux-arm64", "ARM aarch64")]
    public void Binary_IsOneExecutableOfItsArchitecture(string rid, string fileSays)
    {
        string path = PublishedBinary.Of(rid).Path;
        string described = Proc.Sh($"file -b '{path}'");
        StringAssert.Contains(described, fileSays);
        StringAssert.Contains(described, "stripped");
        Assert.IsFalse(described.Contains("not stripped"), described);
        // One file: the shim is linked in; only the C library family is needed at run time.
        string needed = Proc.Sh($"readelf -d '{path}' | sed -n 's/.*Shared library: \\[\\(.*\\)\\]/\\1/p'");
        foreach (string lib in needed.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Assert.IsTrue(Regex.IsMatch(lib, @"^(libc|libm|libdl|librt|libpthread|ld-linux[-\w]*)\.so(\.\d+)*$"), $"unexpected runtime dependency {lib}");
    }

    [TestMethod]
    public void Arm64Binary_NeedsNoGlibcNewerThan231()
    {
        string versions = Proc.Sh($"aarch64-linux-gnu-objdump -T '{PublishedBinary.Arm64.Path}'");
        var found = Regex.Matches(versions, @"GLIBC_(\d+)\.(\d+)").Select(m => (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value))).Distinct().ToList();
        Assert.IsTrue(found.Count > 0, "no GLIBC symbol versions found: is the binary dynamically linked?");
        var newest = found.Max();
        Assert.IsTrue(newest.CompareTo((2, 31)) <= 0, $"the arm64 binary needs GLIBC_{newest.Item1}.{newest.Item2}; gateways of the dunfell generation have 2.31");
        // And it really runs against the 2.31 libraries (PublishedBinary runs qemu with the sysroot).
        string libc = Proc.Sh($"ls '{Repo.Arm64Sysroot}/lib/aarch64-linux-gnu/'");
        StringAssert.Contains(libc, "libc-2.31.so");
    }

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void Help_ListsEveryVerbAndExitsZero(string rid)
    {
        ProcResult r = PublishedBinary.Of(rid).Run("--help");
        Assert.AreEqual(0, r.ExitCode, r.ToString());
        foreach (string verb in new[] { "run", "calc", "probe", "plan", "status", "teardown", "log" })
            Assert.IsTrue(Regex.IsMatch(r.Stdout, $@"^\s+{verb}\s", RegexOptions.Multiline), $"help lacks {verb}:\n{r.Stdout}");
    }

    [TestMethod]
    [DataRow(new[] { "frobnicate" }, "unknown verb 'frobnicate'")]
    [DataRow(new string[0], "no verb given")]
    [DataRow(new[] { "calc", "--no-such-flag" }, "unknown flag '--no-such-flag'")]
    [DataRow(new[] { "probe" }, "--iface is required (expected IFNAME)")]
    [DataRow(new[] { "log", "--boot" }, "--boot needs a value (expected 0|-1|-2...)")]
    [DataRow(new[] { "log", "--boot", "--json" }, "--boot needs a value")]
    [DataRow(new[] { "calc", "2001:db8::/40" }, "unexpected argument '2001:db8::/40'")]
    public void UsageErrors_ExitTwoAndNameTheFlag(string[] args, string message)
    {
        ProcResult r = PublishedBinary.X64.Run(args);
        Assert.AreEqual(2, r.ExitCode, r.ToString());
        StringAssert.Contains(r.Stderr, message);
        Assert.AreEqual("", r.Stdout, "usage errors go to stderr only");
    }

    // Every flag of every verb with a value nobody would guess: under NativeAOT,
    // CommandLineParser binds through reflection, and a trimmed setter fails only at run time.
    public static IEnumerable<object[]> EveryVerbEveryFlag()
    {
        var rule = new[] { "rule-ipv6", "rule-ipv4", "ea-len", "psid-offset", "psid-len", "psid", "prefix", "dmr" };
        var ruleBools = new[] { "fmr", "json" };
        var verbs = new (string Verb, string[] Valued, string[] Switches)[]
        {
            ("run", new[] { "wan", "map-dev", "flash-dir", "run-dir", "translator", "snat", "remap-keep", "nat46-control", "config", "pidfile", "log-level" }, new[] { "foreground", "daemon" }),
            ("calc", rule.Append("lookup").ToArray(), ruleBools.Append("check-domain").ToArray()),
            ("probe", new[] { "iface", "timeout", "flash-dir" }, new[] { "json", "keep" }),
            ("plan", rule.Concat(new[] { "wan", "map-dev", "wan-mtu", "translator", "snat", "remap-keep", "wan-gateway", "only", "phase" }).ToArray(), ruleBools),
            ("status", new[] { "run-dir" }, new[] { "json" }),
            ("teardown", new[] { "flash-dir", "run-dir", "config" }, Array.Empty<string>()),
            ("log", new[] { "flash-dir", "boot", "since", "level" }, new[] { "all", "follow", "json" }),
        };
        foreach (string rid in new[] { "linux-x64", "linux-arm64" })
            foreach (bool assign in new[] { false, true })
                foreach (var v in verbs)
                    yield return new object[] { rid, v.Verb, v.Valued, v.Switches, assign };
    }

    [TestMethod]
    [DynamicData(nameof(EveryVerbEveryFlag))]
    public void EveryFlag_BindsInThePublishedBinary(string rid, string verb, string[] valued, string[] switches, bool assign)
    {
        var args = new List<string> { verb };
        // Both forms: "--flag value" and "--flag=value" (the latter split by mapt itself).
        foreach (string flag in valued)
            args.AddRange(assign ? new[] { $"--{flag}=v-{flag}" } : new[] { "--" + flag, "v-" + flag });
        foreach (string flag in switches)
            args.Add("--" + flag);
        if (verb is "calc" or "plan")
            args.AddRange(new[] { "--rule", "first", "--rule", "second" });

        ProcResult r = PublishedBinary.Of(rid).Run(args, new Dictionary<string, string> { ["MAPT_CLI_ECHO"] = "1" });

        Assert.AreEqual(0, r.ExitCode, r.ToString());
        var bound = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.AreEqual(verb, bound["verb"]);
        foreach (string flag in valued)
            Assert.AreEqual("v-" + flag, bound[flag], $"--{flag} did not bind");
        foreach (string flag in switches)
            Assert.AreEqual("true", bound[flag], $"--{flag} did not bind");
        if (verb is "calc" or "plan")
            Assert.AreEqual("first;second", bound["rule"], "repeated --rule did not bind");
        Assert.AreEqual(valued.Length + switches.Length + (verb is "calc" or "plan" ? 1 : 0) + 1, bound.Count,
            "a flag the test does not know about: add it here and to README.md");
    }

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void FatalSignal_WritesItsLastLineAndDiesOfTheSignal(string rid)
    {
        ProcResult r = PublishedBinary.Of(rid).Run(new[] { "--version" }, new Dictionary<string, string> { ["MAPT_TEST_CRASH"] = "segv" });
        Assert.AreEqual(128 + 11, r.ExitCode, r.ToString());
        StringAssert.Contains(r.Stderr, "fatal signal 11 (SIGSEGV) at 0x10");
        Assert.AreEqual("", r.Stdout, "the verb must not have run");
    }

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void FatalSignalHandler_ChainsToTheRuntime_NullReferenceStillCatchable(string rid)
    {
        ProcResult r = PublishedBinary.Of(rid).Run(new[] { "--version" }, new Dictionary<string, string> { ["MAPT_TEST_CRASH"] = "nullref" });
        Assert.AreEqual(0, r.ExitCode, r.ToString());
        StringAssert.StartsWith(r.Stdout, "nullref caught\nmapt 0.");
        Assert.IsFalse(r.Stderr.Contains("fatal signal"), r.Stderr);
    }

    [TestMethod]
    public void Abort_IsReportedAsSigabrt()
    {
        ProcResult r = PublishedBinary.X64.Run(new[] { "--version" }, new Dictionary<string, string> { ["MAPT_TEST_CRASH"] = "abort" });
        Assert.AreEqual(128 + 6, r.ExitCode, r.ToString());
        StringAssert.Contains(r.Stderr, "fatal signal 6 (SIGABRT)");
    }
}
