using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Mapt.Status;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Lab;

/// <summary>
/// `mapt run --daemon --pidfile FILE` as an init script uses it (start-stop-daemon style): the
/// command returns once the daemon is on its own, the pid file names the process to signal,
/// and that process behaves exactly like the foreground one.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class DaemonModeTests
{
    [TestMethod]
    public void Daemon_ReturnsDetached_PidfileNamesIt_SigtermStopsCleanly()
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        string pidFile = Path.Combine(lab.Work, "mapt.pid");
        lab.StartMapt(null, "--daemon", "--pidfile", pidFile);
        Assert.AreEqual(0, lab.WaitExit(), "the starting command returns 0\n" + lab.Output);
        Assert.AreEqual("", lab.Output.Trim(), "the detached daemon writes nothing to the starter's terminal");

        Assert.IsTrue(File.Exists(pidFile), "the pid file exists when the command returns");
        int pid = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.AreNotEqual(lab.Mapt!.Id, pid, "the daemon is another process than the one started");
        Assert.IsTrue(Directory.Exists($"/proc/{pid}"), $"pid {pid} from the pid file is not running");
        StringAssert.EndsWith(File.ReadAllText($"/proc/{pid}/comm").Trim(), "mapt");
        // Its own session (no controlling terminal to lose), stdio on /dev/null.
        string[] stat = File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].Split(' ');
        Assert.AreEqual(pid.ToString(), stat[3], "session id: the daemon leads its own session");
        Assert.AreEqual("0", stat[4], "no controlling terminal");
        foreach (int fd in new[] { 0, 1, 2 })
            Assert.AreEqual("/dev/null", new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget, $"fd {fd}");

        lab.WaitState("Up", detached: true);
        Assert.AreEqual("192.0.2.18", lab.StatusValue(StatusText.Vendor(Tr181View.Domain, "IPv4Address")));
        string log = Proc.Sh($"'{GatewayLab.Binary}' log --flash-dir '{lab.Flash}'");
        StringAssert.Contains(log, "wan: MAP-T applied in", "the detached daemon logs to flash");

        Proc.Sh($"kill -TERM {pid}");
        for (int i = 0; i < 100 && Directory.Exists($"/proc/{pid}"); i++)
            Thread.Sleep(100);
        Assert.IsFalse(Directory.Exists($"/proc/{pid}"), "SIGTERM did not stop the daemon within 10 s");
        Assert.IsFalse(File.Exists(pidFile), "an orderly stop removes the pid file");
        Assert.AreEqual(clean, lab.Snapshot(), "an orderly stop leaves the gateway as it found it");
        Assert.IsFalse(lab.JournalExists);
        KeaLeaseRow last = lab.Kea.ReadPrefixLeases().Last(r => r.Prefix == "2001:db8:12:3400::/56");
        Assert.AreEqual(0, last.ValidLifetime, "Kea did not record the Release:\n" + lab.Kea.Log);
    }

    [TestMethod]
    public void Daemon_BadConfig_ExitsTwoInTheForeground_NothingDetached()
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        string conf = Path.Combine(lab.Work, "bad.conf");
        File.WriteAllText(conf, "translator = jool\n");
        string pidFile = Path.Combine(lab.Work, "mapt.pid");
        lab.StartMapt(null, "--daemon", "--pidfile", pidFile, "--config", conf);
        Assert.AreEqual(2, lab.WaitExit());
        StringAssert.Contains(lab.Output, conf + ":1: ");
        StringAssert.Contains(lab.Output, "translator: 'jool' is not nat46, none or tun");
        Assert.IsFalse(File.Exists(pidFile));
        Assert.AreEqual("", Proc.Sh("ip netns pids " + lab.Gw.Name).Trim(), "no process left in the gateway namespace");
        Assert.AreEqual(clean, lab.Snapshot());
    }

    [TestMethod]
    public void Daemon_WithForeground_RefusedWithExitTwo()
    {
        using GatewayLab lab = GatewayLab.Start();
        lab.StartMapt(null, "--daemon", "--foreground");
        Assert.AreEqual(2, lab.WaitExit());
        StringAssert.Contains(lab.Output, "--daemon and --foreground contradict each other");
    }

    /// <summary>
    /// A BusyBox userland: every program on PATH is a BusyBox applet, whose setsid has no -f
    /// (util-linux's). Until issue 13 the starter ran `setsid -f` and failed here; the daemon
    /// is now started by the shim itself. On the release binary, from a starter that leaks a
    /// descriptor and sits in its own directory.
    /// </summary>
    [TestMethod]
    public void Daemon_BusyBoxUserland_DetachedWithoutSetsid_InRoot_NothingInherited()
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        string busybox = Directory.CreateDirectory(Path.Combine(lab.Work, "busybox")).FullName;
        Proc.Sh($"busybox --install -s '{busybox}'");
        Assert.IsTrue(File.Exists(Path.Combine(busybox, "setsid")), "BusyBox's own setsid is the only one on PATH");
        StringAssert.Contains(Proc.Run(Path.Combine(busybox, "setsid"), new[] { "--help" }).Stderr, "Usage: setsid [-c] PROG", "no -f in BusyBox's setsid");
        string marker = Path.Combine(lab.Work, "inherited");
        File.WriteAllText(marker, "a descriptor the starter leaked");
        string start = Directory.CreateDirectory(Path.Combine(lab.Work, "start")).FullName;
        string pidFile = Path.Combine(lab.Work, "mapt.pid");
        var args = new List<string> { "-c", $"cd '{start}' && exec 7<'{marker}' && exec '{Repo.ReleaseBinary("linux-x64")}' \"$@\"", "sh" };
        args.AddRange(lab.RunArgs("--daemon", "--pidfile", pidFile));
        lab.StartMaptCommand(Path.Combine(busybox, "sh"), args, new Dictionary<string, string> { ["PATH"] = busybox });
        Assert.AreEqual(0, lab.WaitExit(), "the starting command returns 0\n" + lab.Output);
        Assert.AreEqual("", lab.Output.Trim());

        int pid = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.AreEqual("mapt", File.ReadAllText($"/proc/{pid}/comm").Trim(), "pidof mapt finds it");
        string[] stat = File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].Split(' ');
        Assert.AreEqual(pid.ToString(), stat[3], "session id: the daemon leads its own session");
        Assert.AreEqual("0", stat[4], "no controlling terminal");
        Assert.AreEqual("/", new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget, "the daemon holds no directory of its starter's");
        string[] fds = Directory.GetFiles($"/proc/{pid}/fd").Select(f => new FileInfo(f).LinkTarget ?? "").ToArray();
        CollectionAssert.DoesNotContain(fds, marker, "the starter's descriptor reached the daemon: " + string.Join(", ", fds));
        foreach (int fd in new[] { 0, 1, 2 })
            Assert.AreEqual("/dev/null", new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget, $"fd {fd}");

        lab.WaitState("Up", 30, detached: true);
        Proc.Sh($"kill -TERM {pid}");
        for (int i = 0; i < 100 && Directory.Exists($"/proc/{pid}"); i++)
            Thread.Sleep(100);
        Assert.IsFalse(Directory.Exists($"/proc/{pid}"), "SIGTERM did not stop the daemon within 10 s");
        Assert.IsFalse(File.Exists(pidFile));
        Assert.AreEqual(clean, lab.Snapshot());
    }

    [TestMethod]
    public void Daemon_EndsBeforeItsPidFile_TheStarterSaysHowAndExitsOne()
    {
        using GatewayLab lab = GatewayLab.Start();
        // The daemon cannot write its pid file (no such directory): it stops; the starter, which
        // waits for that file, sees the daemon end instead of waiting out its time limit.
        string pidFile = Path.Combine(lab.Work, "missing-dir", "mapt.pid");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        lab.StartMapt(null, "--daemon", "--pidfile", pidFile);
        Assert.AreEqual(1, lab.WaitExit(), lab.Output);
        StringAssert.Contains(lab.Output, "ended (exit status 1) before writing " + pidFile + "; see 'mapt log'");
        Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(8), "the starter waited out its limit: " + watch.Elapsed);
        StringAssert.Contains(Proc.Sh($"'{GatewayLab.Binary}' log --flash-dir '{lab.Flash}'"), "missing-dir/mapt.pid");
    }
}
