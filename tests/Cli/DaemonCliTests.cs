using System.Collections.Generic;
using System.IO;
using Mapt.Status;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Cli;

/// <summary>run, status and teardown where they must not touch the system, on both published binaries.</summary>
[TestClass]
public sealed class DaemonCliTests
{
    public static IEnumerable<object[]> Architectures => PublishedBinary.Both;

    private static string TempDir() => Directory.CreateTempSubdirectory("mapt-cli-").FullName;

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void Status_NoDaemon_ExitsThreeAndSaysSo(string rid)
    {
        string run = TempDir();
        try
        {
            ProcResult r = PublishedBinary.Of(rid).Run("status", "--run-dir", run);
            Assert.AreEqual(3, r.ExitCode, r.ToString());
            StringAssert.Contains(r.Stderr, "no daemon is running");
            // A state file left by a dead daemon (pid 0 cannot be ours) says the same, naming its last state.
            var dead = new StatusSnapshot { Pid = 999999999, State = "Up" };
            File.WriteAllText(Path.Combine(run, "mapt.state"), StateFile.Format(Tr181View.Render(dead)));
            r = PublishedBinary.Of(rid).Run("status", "--run-dir", run, "--json");
            Assert.AreEqual(3, r.ExitCode, r.ToString());
            StringAssert.Contains(r.Stderr, "its last state was Up");
            Assert.AreEqual("", r.Stdout);
        }
        finally
        {
            Directory.Delete(run, true);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void Run_BadConfig_ExitsTwoWithFileAndLine(string rid)
    {
        string dir = TempDir();
        try
        {
            string conf = Path.Combine(dir, "mapt.conf");
            File.WriteAllText(conf, "# test\nwan = wan0\nrequest-map-e = perhaps\n");
            ProcResult r = PublishedBinary.Of(rid).Run("run", "--config", conf, "--flash-dir", dir + "/flash", "--run-dir", dir + "/run");
            Assert.AreEqual(2, r.ExitCode, r.ToString());
            StringAssert.Contains(r.Stderr, conf + ":3: request-map-e: 'perhaps' is not yes or no");
            Assert.IsFalse(Directory.Exists(dir + "/flash"), "nothing may be created before the configuration is accepted");
            r = PublishedBinary.Of(rid).Run("run", "--translator", "jool", "--wan", "wan0");
            Assert.AreEqual(2, r.ExitCode, r.ToString());
            StringAssert.Contains(r.Stderr, "--translator: 'jool' is not nat46, none or tun");
            r = PublishedBinary.Of(rid).Run("run");
            Assert.AreEqual(2, r.ExitCode, r.ToString());
            StringAssert.Contains(r.Stderr, "no WAN interface");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void Teardown_NoJournal_NothingToUndo(string rid)
    {
        string dir = TempDir();
        try
        {
            ProcResult r = PublishedBinary.Of(rid).Run("teardown", "--flash-dir", dir, "--run-dir", dir);
            Assert.AreEqual(0, r.ExitCode, r.ToString());
            StringAssert.Contains(r.Stdout, "nothing of mapt is applied");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    // The lock's struct flock differs between architectures (hence C in native-shim/lock.c):
    // both binaries must see a lock another process holds, and name that process.
    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void RunAndTeardown_FlashDirLockedByAnotherProcess_RefusedNamingItsPid(string rid)
    {
        string dir = TempDir();
        var holder = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3", new[] { "-c",
            "import fcntl,sys,time\nf=open(sys.argv[1],'a')\nfcntl.lockf(f,fcntl.LOCK_EX|fcntl.LOCK_NB)\nprint('held',flush=True)\ntime.sleep(60)",
            Path.Combine(dir, "mapt.lock") }) { RedirectStandardOutput = true })!;
        try
        {
            Assert.AreEqual("held", holder.StandardOutput.ReadLine());
            // An entry whose undo is harmless here: a route through a device that does not exist.
            var journal = new Mapt.Provisioning.Journal { Pid = 1, Wan = "wan0", MapDevice = "map0", Translator = "none", MapContent = "test",
                Entries = new List<Mapt.Provisioning.UndoStep> { Mapt.Provisioning.UndoStep.Parse("route-delete 192.0.2.0/24 dev nosuchdev0", out _)! } };
            File.WriteAllText(Path.Combine(dir, "mapt.journal"), journal.Format());

            ProcResult run = PublishedBinary.Of(rid).Run("run", "--wan", "nosuchdev0", "--flash-dir", dir, "--run-dir", dir);
            Assert.AreEqual(1, run.ExitCode, run.ToString());
            StringAssert.Contains(run.Stderr, $"mapt run: another mapt (pid {holder.Id}) holds {dir}/mapt.lock");
            ProcResult teardown = PublishedBinary.Of(rid).Run("teardown", "--flash-dir", dir, "--run-dir", dir);
            Assert.AreEqual(1, teardown.ExitCode, teardown.ToString());
            StringAssert.Contains(teardown.Stderr, $"mapt teardown: another mapt (pid {holder.Id})");
            Assert.IsTrue(File.Exists(Path.Combine(dir, "mapt.journal")), "a refused teardown keeps the journal");

            holder.Kill();
            holder.WaitForExit();
            teardown = PublishedBinary.Of(rid).Run("teardown", "--flash-dir", dir, "--run-dir", dir);
            Assert.AreEqual(0, teardown.ExitCode, teardown.ToString());
            StringAssert.Contains(teardown.Stdout, "1 change(s) undone, 0 failed");
            Assert.IsFalse(File.Exists(Path.Combine(dir, "mapt.journal")));
        }
        finally
        {
            if (!holder.HasExited)
                holder.Kill();
            Directory.Delete(dir, true);
        }
    }
}
