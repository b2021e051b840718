using System.Collections.Generic;
using System.IO;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Platform;

/// <summary>
/// The release binaries (what a gateway runs) ignore every test-only MAPT_* switch; the test
/// builds beside them honour them, so each check could fail (src/Platform/EnvironmentSwitches.cs).
/// The switches that need a daemon to show (MAPT_DHCP_NO_DELAY, MAPT_RETRY_MS,
/// MAPT_TEST_CHILD_PATH) are covered by EnvironmentSwitchesTests, which build the accessors as
/// a release build does, and MAPT_TEST_CHILD_PATH again by DaemonModeTests' release daemon.
/// </summary>
[TestClass]
public sealed class ReleaseBinaryTests
{
    private static readonly string[] Calc = { "calc", "--rule=2001:db8::/40,192.0.2.0/24,16,offset=6,psid-len=8", "--prefix", "2001:db8:12:3400::/56" };

    [TestMethod]
    [DataRow("linux-x64")]
    [DataRow("linux-arm64")]
    public void CliEcho_ReleaseRunsTheVerb_TestBuildEchoes(string rid)
    {
        var env = new Dictionary<string, string> { ["MAPT_CLI_ECHO"] = "1" };
        ProcResult release = PublishedBinary.ReleaseOf(rid).Run(Calc, env);
        Assert.AreEqual(0, release.ExitCode, release.ToString());
        StringAssert.Contains(release.Stdout, "192.0.2.18");
        Assert.IsFalse(release.Stdout.Contains("verb=", System.StringComparison.Ordinal), release.Stdout);
        StringAssert.StartsWith(PublishedBinary.Of(rid).Run(Calc, env).Stdout, "verb=calc\n");
    }

    [TestMethod]
    [DataRow("linux-x64")]
    [DataRow("linux-arm64")]
    public void TestCrashAndTestLog_ReleaseIgnoresBoth(string rid)
    {
        ProcResult crash = PublishedBinary.ReleaseOf(rid).Run(new[] { "--version" }, new Dictionary<string, string> { ["MAPT_TEST_CRASH"] = "segv" });
        Assert.AreEqual(0, crash.ExitCode, crash.ToString());
        Assert.AreEqual(139, PublishedBinary.Of(rid).Run(new[] { "--version" }, new Dictionary<string, string> { ["MAPT_TEST_CRASH"] = "segv" }).ExitCode);

        string dir = Directory.CreateTempSubdirectory("mapt-release-").FullName;
        try
        {
            ProcResult log = PublishedBinary.ReleaseOf(rid).Run(new[] { "--version" }, new Dictionary<string, string> { ["MAPT_TEST_LOG"] = dir });
            Assert.AreEqual(0, log.ExitCode, log.ToString());
            StringAssert.StartsWith(log.Stdout, "mapt 0.");
            Assert.IsFalse(log.Stdout.Contains("test hooks", System.StringComparison.Ordinal), "a release build says nothing of test hooks");
            Assert.AreEqual(0, Directory.GetFileSystemEntries(dir).Length, "the release binary logged to the test hook's directory");
            PublishedBinary.Of(rid).Run(new[] { "--version" }, new Dictionary<string, string> { ["MAPT_TEST_LOG"] = dir });
            Assert.AreNotEqual(0, Directory.GetFileSystemEntries(dir).Length, "the test build honours MAPT_TEST_LOG");
            StringAssert.Contains(PublishedBinary.Of(rid).Run("--version").Stdout, "build test hooks");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
