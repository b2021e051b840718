using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Mapt.Tests.Lab;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Platform;

/// <summary>
/// mapt runs with CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE and nothing else, with
/// no_new_privs, in every thread and in every helper it starts; it reaches Up with only those;
/// it refuses to start, naming the capability, when one is missing. On the published binaries
/// against Kea in namespaces (<see cref="GatewayLab"/>).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class PrivilegeTests
{
    // CAP_NET_BIND_SERVICE (10), CAP_NET_ADMIN (12), CAP_NET_RAW (13), as /proc/PID/status shows them.
    private const string NeededHex = "0000000000003400";
    private static readonly string[] Needed = { "cap_net_admin", "cap_net_raw", "cap_net_bind_service" };

    /// <summary>Every capability this kernel knows but <paramref name="keep"/>, as capsh --drop takes them.</summary>
    private static string AllBut(params string[] keep)
    {
        int last = int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), CultureInfo.InvariantCulture);
        ulong all = last >= 63 ? ulong.MaxValue : (1UL << (last + 1)) - 1;
        string names = Proc.Sh($"capsh --decode=0x{all:x}").Trim();
        return string.Join(",", names[(names.IndexOf('=') + 1)..].Split(',').Where(n => !keep.Contains(n)));
    }

    /// <summary>capsh starting <paramref name="binary"/> with <paramref name="args"/>, every capability but <paramref name="keep"/> gone from its bounding set.</summary>
    private static List<string> Capsh(string[] keep, string binary, IEnumerable<string> args)
    {
        var list = new List<string> { "--drop=" + AllBut(keep), "--", "-c", "exec \"$0\" \"$@\"", binary };
        list.AddRange(args);
        return list;
    }

    private static Dictionary<string, string> Status(string statusFile) =>
        File.ReadAllLines(statusFile).Where(l => l.Contains(':')).ToDictionary(l => l[..l.IndexOf(':')], l => l[(l.IndexOf(':') + 1)..].Trim());

    /// <summary>Every thread of <paramref name="pid"/> holds exactly the needed set, with no_new_privs.</summary>
    private static void AssertEveryThreadHoldsTheSet(int pid)
    {
        string[] tasks = Directory.GetDirectories($"/proc/{pid}/task");
        Assert.IsTrue(tasks.Length >= 2, "the runtime's threads are there too: " + tasks.Length);
        foreach (string task in tasks)
            AssertHoldsTheSet(Status(Path.Combine(task, "status")), File.ReadAllText(Path.Combine(task, "comm")).Trim());
    }

    private static void AssertHoldsTheSet(Dictionary<string, string> status, string who)
    {
        string text = string.Join(", ", status.Where(kv => kv.Key.StartsWith("Cap", StringComparison.Ordinal) || kv.Key == "NoNewPrivs").Select(kv => kv.Key + " " + kv.Value));
        Assert.AreEqual(NeededHex, status["CapEff"], who + ": " + text);
        Assert.AreEqual(NeededHex, status["CapPrm"], who + ": " + text);
        Assert.AreEqual(NeededHex, status["CapBnd"], who + ": " + text);
        Assert.AreEqual("0000000000000000", status["CapInh"], who + ": " + text);
        Assert.AreEqual("0000000000000000", status["CapAmb"], who + ": " + text);
        Assert.AreEqual("1", status["NoNewPrivs"], who + ": " + text);
    }

    [TestMethod]
    public void OnlyTheNeededSet_ReachesUp_AppliesAndStopsClean()
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        lab.StartMaptCommand("capsh", Capsh(Needed, Repo.ReleaseBinary("linux-x64"), lab.RunArgs()));
        lab.WaitState("Up", 30);
        AssertEveryThreadHoldsTheSet(lab.Mapt!.Id);
        lab.UdpFlows(43001, 43002);
        Assert.AreEqual(2, lab.NatPorts("192.0.2.18").Count, "iptables applied with the set alone:\n" + lab.Gw.Try("conntrack -L").Stdout);
        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit(), lab.Output);
        Assert.AreEqual(clean, lab.Snapshot(), "teardown (iptables, routes, sysctls, conntrack) with the set alone");
    }

    [TestMethod]
    public void StartedAsRoot_TheRestDroppedBeforeMain_HelpersGetTheSetNoInheritedFdsAFixedEnvironment()
    {
        using GatewayLab lab = GatewayLab.Start();
        // Helpers that record what they were given, then run the real iptables-legacy-restore
        // (legacy: its raw socket is what CAP_NET_RAW is for).
        string records = Directory.CreateDirectory(Path.Combine(lab.Work, "records")).FullName;
        string bin = Directory.CreateDirectory(Path.Combine(lab.Work, "bin")).FullName;
        foreach (string tool in new[] { "iptables-legacy-restore", "ip6tables-legacy-restore" })
        {
            string real = Proc.Sh("command -v " + tool).Trim();
            // No shell redirection before the snapshot: dash applies it in itself, and it would show in the fd list.
            File.WriteAllText(Path.Combine(bin, tool), "#!/bin/sh\n" +
                $"cp /proc/$$/status {records}/{tool}.$$.status\n" +
                $"cp /proc/$$/environ {records}/{tool}.$$.environ\n" +
                $"find /proc/$$/fd/ -mindepth 1 -fprintf {records}/{tool}.$$.fds '%f %l\\n'\n" +
                $"exec {real} \"$@\"\n");
            Proc.Sh($"chmod 755 '{bin}/{tool}'");
        }
        string conf = Path.Combine(lab.Work, "mapt.conf");
        File.WriteAllText(conf, "iptables = legacy\n");
        string marker = Path.Combine(lab.Work, "inherited");
        File.WriteAllText(marker, "a descriptor the starter leaked");
        // The starter leaks fd 7, and a whole environment of its own.
        string command = $"exec 7<'{marker}'; exec '{Repo.Binary("linux-x64")}' \"$@\"";
        var args = new List<string> { "-c", command, "sh" };
        args.AddRange(lab.RunArgs("--config", conf));
        lab.StartMaptCommand("sh", args, new Dictionary<string, string>
        {
            ["MAPT_DHCP_NO_DELAY"] = "1",
            ["MAPT_TEST_CHILD_PATH"] = bin + ":/usr/sbin:/usr/bin:/sbin:/bin",
            ["STARTER_SECRET"] = "leak",
        });
        lab.WaitState("Up", 30);
        int pid = lab.Mapt!.Id;
        AssertEveryThreadHoldsTheSet(pid);
        StringAssert.Contains(lab.Output, "privileges: running with CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE only");
        // mapt keeps the leaked descriptor (the runtime's own may be anywhere) but close-on-exec.
        Assert.AreEqual(marker, new FileInfo($"/proc/{pid}/fd/7").LinkTarget);
        string flags = File.ReadAllLines($"/proc/{pid}/fdinfo/7").First(l => l.StartsWith("flags:", StringComparison.Ordinal));
        Assert.AreNotEqual(0, Convert.ToInt32(flags.Split('\t')[1], 8) & 0x80000, "fd 7 is not close-on-exec: " + flags);

        string[] helpers = Directory.GetFiles(records, "*.status");
        Assert.IsTrue(helpers.Length >= 2, "both restores ran: " + string.Join(", ", Directory.GetFiles(records)));
        foreach (string status in helpers)
        {
            string stem = status[..^".status".Length];
            string who = Path.GetFileName(stem);
            AssertHoldsTheSet(Status(status), who);
            string[] environment = File.ReadAllText(stem + ".environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            CollectionAssert.AreEqual(new[] { "PATH=" + bin + ":/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C" }, environment, who);
            string[] fds = File.ReadAllLines(stem + ".fds");
            string script = Path.Combine(bin, who[..who.IndexOf('.')]);
            // 0, 1 and 2 (mapt's pipes), and the script dash reads: nothing of mapt's, nothing of its starter's.
            CollectionAssert.AreEquivalent(new[] { "0", "1", "2" }, fds.Where(l => !l.EndsWith(" " + script, StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToArray(), who + ":\n" + string.Join("\n", fds));
            Assert.IsTrue(fds.Where(l => l.Split(' ')[0] is "0" or "1" or "2").All(l => l.Contains(" pipe:[", StringComparison.Ordinal)), who + ":\n" + string.Join("\n", fds));
        }
        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit(), lab.Output);
        Assert.IsFalse(lab.Gw.Sh("iptables-legacy-save").Contains("MAPT_", StringComparison.Ordinal), "the legacy teardown ran with the set alone");
    }

    [TestMethod]
    [DataRow("cap_net_admin", "CAP_NET_ADMIN")]
    [DataRow("cap_net_raw", "CAP_NET_RAW")]
    [DataRow("cap_net_bind_service", "CAP_NET_BIND_SERVICE")]
    public void OneMissing_RefusedNamingIt_NothingTouched(string drop, string name)
    {
        using Netns ns = Netns.Create("priv");
        string work = Directory.CreateTempSubdirectory("mapt-priv-").FullName;
        try
        {
            string flash = Path.Combine(work, "flash");
            var args = Capsh(Needed.Where(c => c != drop).ToArray(), Repo.ReleaseBinary("linux-x64"),
                new[] { "run", "--wan", "lo", "--flash-dir", flash, "--run-dir", Path.Combine(work, "run") });
            ProcResult r = Proc.Run("ip", new[] { "netns", "exec", ns.Name, "capsh" }.Concat(args), timeout: TimeSpan.FromSeconds(20));
            Assert.AreEqual(1, r.ExitCode, r.ToString());
            StringAssert.StartsWith(r.Stderr, $"mapt run: this process lacks {name} (");
            StringAssert.Contains(r.Stderr, "mapt needs CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE");
            StringAssert.Contains(r.Stderr, "; nothing was changed");
            Assert.IsFalse(Directory.Exists(flash), "refused before anything is touched: not even the flash directory");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [TestMethod]
    public void NonRootUser_RefusedNamingEveryCapability()
    {
        using Netns ns = Netns.Create("priv");
        ProcResult r = ns.Try($"setpriv --reuid=65534 --regid=65534 --clear-groups '{Repo.ReleaseBinary("linux-x64")}' run --wan lo --flash-dir /nonexistent/flash --run-dir /nonexistent/run");
        Assert.AreEqual(1, r.ExitCode, r.ToString());
        StringAssert.StartsWith(r.Stderr, "mapt run: this process lacks CAP_NET_ADMIN (");
        StringAssert.Contains(r.Stderr, "; CAP_NET_RAW (");
        StringAssert.Contains(r.Stderr, "; CAP_NET_BIND_SERVICE (");
    }

    [TestMethod]
    public void Teardown_OneMissing_RefusedBeforeReadingTheJournal()
    {
        string flash = Directory.CreateTempSubdirectory("mapt-priv-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(flash, "mapt.journal"), "mapt-journal 1\npid 1\nend\n");
            ProcResult r = Proc.Run("capsh", Capsh(new[] { "cap_net_raw", "cap_net_bind_service" }, Repo.ReleaseBinary("linux-x64"),
                new[] { "teardown", "--flash-dir", flash, "--run-dir", flash }));
            Assert.AreEqual(1, r.ExitCode, r.ToString());
            StringAssert.StartsWith(r.Stderr, "mapt teardown: this process lacks CAP_NET_ADMIN (");
            Assert.IsTrue(File.Exists(Path.Combine(flash, "mapt.journal")), "the journal is kept for a teardown that can run it");
        }
        finally
        {
            Directory.Delete(flash, recursive: true);
        }
    }

    [TestMethod]
    public void Arm64UnderQemu_MissingOneRefused_WithAllUpHoldingTheSet()
    {
        string sysroot = Repo.Arm64Sysroot;
        var qemu = new List<string> { "-L", sysroot, "-E", $"LD_LIBRARY_PATH={sysroot}/lib/aarch64-linux-gnu:{sysroot}/usr/lib/aarch64-linux-gnu",
            Repo.ReleaseBinary("linux-arm64"), "run", "--wan", "lo", "--flash-dir", "/nonexistent/flash", "--run-dir", "/nonexistent/run" };
        using (Netns ns = Netns.Create("priv"))
        {
            var args = new List<string> { "netns", "exec", ns.Name, "capsh", "--drop=cap_net_bind_service", "--", "-c", "exec \"$0\" \"$@\"", "qemu-aarch64" };
            args.AddRange(qemu);
            ProcResult r = Proc.Run("ip", args, timeout: TimeSpan.FromSeconds(60));
            Assert.AreEqual(1, r.ExitCode, r.ToString());
            StringAssert.StartsWith(r.Stderr, "mapt run: this process lacks CAP_NET_BIND_SERVICE (");
        }

        using GatewayLab lab = GatewayLab.Start();
        lab.StartMapt("linux-arm64", null);
        lab.WaitState("Up", 60);
        // qemu-user runs the guest's main thread on its own; its helper thread (RCU) was started
        // before the guest's constructor and is qemu's, not mapt's.
        AssertHoldsTheSet(Status($"/proc/{lab.Mapt!.Id}/status"), "qemu-aarch64 running mapt");
        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit(60), lab.Output);
    }
}
