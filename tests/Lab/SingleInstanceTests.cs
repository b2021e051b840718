using System.IO;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Lab;

/// <summary>
/// An init script that starts mapt twice (a restart racing the stop, a double start) must not
/// get a second daemon that takes the live one's journal for a crash's leftover and undoes a
/// working gateway.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SingleInstanceTests
{
    [TestMethod]
    public void SecondRun_SameFlashDir_RefusedNamingThePid_FirstStaysUp()
    {
        using GatewayLab lab = GatewayLab.Start();
        lab.StartMapt();
        lab.WaitState("Up");
        string up = lab.Snapshot();
        string journal = File.ReadAllText(Path.Combine(lab.Run, "mapt.journal"));

        // Another run dir too: only the flash directory is shared, as with a mistyped init script.
        ProcResult second = lab.Gw.Try($"'{GatewayLab.Binary}' run --wan wan0 --map-dev map0 --translator none --flash-dir '{lab.Flash}' --run-dir '{lab.Work}/run2'");
        Assert.AreEqual(1, second.ExitCode, second.ToString());
        StringAssert.Contains(second.Stderr, $"another mapt (pid {lab.Mapt!.Id}) holds {lab.Flash}/mapt.lock");
        StringAssert.Contains(second.Stderr, "nothing was changed");

        ProcResult detached = lab.Gw.Try($"'{GatewayLab.Binary}' run --daemon --pidfile '{lab.Work}/second.pid' --wan wan0 --flash-dir '{lab.Flash}' --run-dir '{lab.Work}/run3'");
        Assert.AreEqual(1, detached.ExitCode, "--daemon refuses before detaching: " + detached);
        Assert.IsFalse(File.Exists($"{lab.Work}/second.pid"));

        // The state file gone (run dir wiped): teardown still sees the live daemon.
        File.Delete(Path.Combine(lab.Run, "mapt.state"));
        ProcResult teardown = lab.Gw.Try($"'{GatewayLab.Binary}' teardown --flash-dir '{lab.Flash}' --run-dir '{lab.Run}'");
        Assert.AreEqual(1, teardown.ExitCode, teardown.ToString());
        StringAssert.Contains(teardown.Stderr, $"mapt teardown: another mapt (pid {lab.Mapt.Id})");

        Assert.AreEqual(up, lab.Snapshot(), "the refused instances changed nothing");
        Assert.AreEqual(journal, File.ReadAllText(Path.Combine(lab.Run, "mapt.journal")), "the live journal is untouched");
        Assert.IsFalse(lab.Mapt.HasExited, "the first daemon still runs");

        // kill -9 frees the lock: the next start takes the configuration over.
        lab.Kill9();
        lab.StartMapt();
        lab.WaitState("Up");
        StringAssert.Contains(lab.Output, "taken over in");
        Assert.AreEqual(up, lab.Snapshot());
    }
}
