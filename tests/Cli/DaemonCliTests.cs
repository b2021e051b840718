using System.Collections.Generic;
using System.IO;
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
            File.WriteAllText(Path.Combine(run, "mapt.state"), "Device.MAP.X_MAPT_Pid 999999999\nDevice.MAP.X_MAPT_State Up\n");
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
}
