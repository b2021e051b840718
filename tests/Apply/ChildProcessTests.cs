using System.IO;
using Mapt.Apply;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Apply;

[TestClass]
public sealed class ChildProcessTests
{
    [TestMethod]
    public void Run_InputPipedOutputCaptured()
    {
        string big = new string('x', 200 * 1024);
        ChildResult r = ChildProcess.Run(new[] { "wc", "-c" }, big, 10000);
        Assert.IsTrue(r.Succeeded, r.Describe());
        Assert.AreEqual((200 * 1024).ToString(), r.Stdout.Trim());
    }

    [TestMethod]
    public void Run_ExitStatusAndStderr()
    {
        ChildResult r = ChildProcess.Run(new[] { "sh", "-c", "cat >/dev/null; echo 'line 3: bad' >&2; exit 3" }, "some input", 10000);
        Assert.IsFalse(r.Succeeded);
        Assert.AreEqual(3, r.ExitCode);
        Assert.AreEqual("line 3: bad\n", r.Stderr);
        Assert.AreEqual("exit status 3", r.Describe());
    }

    [TestMethod]
    public void Run_PastTheTimeout_Killed()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ChildResult r = ChildProcess.Run(new[] { "sleep", "30" }, "", 300);
        Assert.IsTrue(r.TimedOut);
        Assert.IsFalse(r.Succeeded);
        Assert.IsTrue(watch.ElapsedMilliseconds < 5000, "the child was not killed at the deadline");
    }

    [TestMethod]
    public void Run_NoSuchProgram_ApplyExceptionNamesIt()
    {
        var e = Assert.ThrowsExactly<ApplyException>(() => ChildProcess.Run(new[] { "mapt-no-such-restore" }, "", 1000));
        StringAssert.Contains(e.Message, "cannot start mapt-no-such-restore: ENOENT");
    }

    [TestMethod]
    public void RunAll_HelpersRunSideBySide()
    {
        // Each waits for the other's mark: one after the other, the first would wait until the deadline.
        string dir = Directory.CreateTempSubdirectory("mapt-runall-").FullName;
        try
        {
            string Meet(string mine, string other) => $"touch {dir}/{mine}; n=0; while [ ! -e {dir}/{other} ] && [ $n -lt 400 ]; do sleep 0.01; n=$((n+1)); done; [ -e {dir}/{other} ] && echo met-{mine}";
            ChildResult[] r = ChildProcess.RunAll(new[]
            {
                new ChildRequest(new[] { "sh", "-c", Meet("a", "b") }),
                new ChildRequest(new[] { "sh", "-c", Meet("b", "a") }),
            }, 10_000);
            Assert.IsTrue(r[0].Succeeded && r[1].Succeeded, r[0].Describe() + " / " + r[1].Describe());
            Assert.AreEqual("met-a\n", r[0].Stdout);
            Assert.AreEqual("met-b\n", r[1].Stdout);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void RunAll_EachGetsItsInputAndKeepsItsOwnResult()
    {
        ChildResult[] r = ChildProcess.RunAll(new[]
        {
            new ChildRequest(new[] { "sh", "-c", "cat; exit 3" }, "first"),
            new ChildRequest(new[] { "wc", "-c" }, new string('y', 300 * 1024)),
            new ChildRequest(new[] { "sh", "-c", "echo oops >&2; exit 0" }),
            new ChildRequest(new[] { "sh", "-c", "head -c 5000 /dev/zero" }, "", 1000),
        }, 10_000);
        Assert.AreEqual(3, r[0].ExitCode);
        Assert.AreEqual("first", r[0].Stdout);
        Assert.AreEqual((300 * 1024).ToString(), r[1].Stdout.Trim());
        Assert.IsTrue(r[2].Succeeded);
        Assert.AreEqual("oops\n", r[2].Stderr);
        Assert.AreEqual("", r[2].Stdout);
        Assert.IsTrue(r[3].StdoutTruncated, "a cut output must say so");
        Assert.AreEqual(5000, r[3].StdoutLength);
        Assert.AreEqual(1000, r[3].StdoutKept);
    }

    [TestMethod]
    public void RunAll_AtTheDeadline_OnlyTheOneStillRunningIsKilled()
    {
        ChildResult[] r = ChildProcess.RunAll(new[]
        {
            new ChildRequest(new[] { "sh", "-c", "echo quick" }),
            new ChildRequest(new[] { "sleep", "30" }),
        }, 500);
        Assert.IsTrue(r[0].Succeeded, r[0].Describe());
        Assert.AreEqual("quick\n", r[0].Stdout);
        Assert.IsTrue(r[1].TimedOut, r[1].Describe());
    }

    [TestMethod]
    public void RunAll_OneCannotStart_ApplyExceptionNamesIt()
    {
        var e = Assert.ThrowsExactly<ApplyException>(() => ChildProcess.RunAll(new[]
        {
            new ChildRequest(new[] { "true" }),
            new ChildRequest(new[] { "mapt-no-such-save" }),
        }, 5000));
        StringAssert.Contains(e.Message, "cannot start mapt-no-such-save: ENOENT");
    }

    [TestMethod]
    public void RunAll_MoreThanABatch_Refused()
    {
        var requests = new ChildRequest[ChildProcess.MaxBatch + 1];
        for (int i = 0; i < requests.Length; i++)
            requests[i] = new ChildRequest(new[] { "true" });
        Assert.ThrowsExactly<System.ArgumentException>(() => ChildProcess.RunAll(requests, 5000));
    }

    [TestMethod]
    public void Nat46ControlFile_OneWritePerCommand_ReadsBack()
    {
        string path = Path.GetTempFileName();
        try
        {
            var file = new Nat46ControlFile(path);
            file.Write("add map-mapt");
            Assert.AreEqual("add map-mapt\n", file.Read());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
