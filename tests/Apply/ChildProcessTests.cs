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
