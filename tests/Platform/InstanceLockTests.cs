using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Mapt.Platform;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Platform;

[TestClass]
public sealed class InstanceLockTests
{
    private string _dir = null!;

    [TestInitialize]
    public void Init() => _dir = Directory.CreateTempSubdirectory("mapt-lock-").FullName;

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    // POSIX record locks never conflict within one process, so the other holder is a python3
    // child taking the same kind of lock (lockf is fcntl F_SETLK underneath).
    private Process HoldInAnotherProcess(string path)
    {
        var psi = new ProcessStartInfo("python3", new[] { "-c",
            "import fcntl,sys,time\nf=open(sys.argv[1],'a')\nfcntl.lockf(f,fcntl.LOCK_EX|fcntl.LOCK_NB)\nprint('held',flush=True)\ntime.sleep(60)", path })
        { RedirectStandardOutput = true };
        Process p = Process.Start(psi)!;
        Assert.AreEqual("held", p.StandardOutput.ReadLine());
        return p;
    }

    [TestMethod]
    public void HeldElsewhere_RefusedWithTheHoldersPid_FreeOnceItDies()
    {
        Process holder = HoldInAnotherProcess(Path.Combine(_dir, InstanceLock.FileName));
        try
        {
            Assert.IsNull(InstanceLock.TryTake(_dir, out int pid));
            Assert.AreEqual(holder.Id, pid);
            Assert.AreEqual("pid " + holder.Id, InstanceLock.Describe(pid));
        }
        finally
        {
            // kill -9: the kernel drops the lock however its holder dies.
            holder.Kill();
            holder.WaitForExit();
        }
        using InstanceLock? taken = InstanceLock.TryTake(_dir, out int none);
        Assert.IsNotNull(taken);
        Assert.AreEqual(0, none);
    }

    [TestMethod]
    public void Taken_OtherProcessRefused_ReleasedOnDispose()
    {
        string path = Path.Combine(_dir, "sub", InstanceLock.FileName);
        InstanceLock? taken = InstanceLock.TryTake(Path.Combine(_dir, "sub"), out _);
        Assert.IsNotNull(taken, "a missing directory is created");
        string probe = "import fcntl,sys\nf=open(sys.argv[1],'a')\ntry:\n  fcntl.lockf(f,fcntl.LOCK_EX|fcntl.LOCK_NB); print('free')\nexcept OSError: print('held')";
        Assert.AreEqual("held", Support.Proc.Run("python3", new[] { "-c", probe, path }).Stdout.Trim());
        taken.Dispose();
        Assert.AreEqual("free", Support.Proc.Run("python3", new[] { "-c", probe, path }).Stdout.Trim());
    }

    [TestMethod]
    public void UnwritableDirectory_PlatformExceptionNamesThePath()
    {
        string file = Path.Combine(_dir, "not-a-dir");
        File.WriteAllText(file, "");
        var e = Assert.ThrowsExactly<PlatformException>(() => InstanceLock.TryTake(file, out _));
        StringAssert.Contains(e.Message, file);
    }

    [TestMethod]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void LinkPlantedAtTheLockFile_RefusedNotFollowed_CreatedLockIsRootsAlone()
    {
        string victim = Path.Combine(_dir, "victim");
        File.WriteAllText(victim, "untouched");
        File.SetUnixFileMode(victim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        string linked = Path.Combine(_dir, "linked");
        Directory.CreateDirectory(linked);
        File.CreateSymbolicLink(Path.Combine(linked, InstanceLock.FileName), victim);
        var e = Assert.ThrowsExactly<PlatformException>(() => InstanceLock.TryTake(linked, out _));
        Assert.AreEqual(Errno.ELOOP, e.Number, e.Message);
        Assert.AreEqual("untouched", File.ReadAllText(victim));

        using InstanceLock? taken = InstanceLock.TryTake(Path.Combine(_dir, "fresh"), out _);
        Assert.IsNotNull(taken);
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "fresh", InstanceLock.FileName)));
    }
}
