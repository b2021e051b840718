using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mapt.Apply;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Apply;

/// <summary>
/// A helper mapt runs as root gets a fixed environment and PATH and default signals, whatever
/// mapt itself was started with (this test host plays the starter: its PATH, its variables, its
/// ignored SIGPIPE).
/// </summary>
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[DoNotParallelize]
public sealed class ChildProcessIsolationTests
{
    // The helper's own initial environment, from the kernel's copy (a shell adds PWD and more
    // to what it passes on).
    private const string OwnEnvironment = "tr '\\0' '\\n' < /proc/$$/environ";

    [TestMethod]
    public void Helper_GetsPathAndLcAllOnly()
    {
        Environment.SetEnvironmentVariable("MAPT_TEST_SECRET", "leak");
        try
        {
            ChildResult r = ChildProcess.Run(new[] { "sh", "-c", OwnEnvironment }, "", 10_000);
            Assert.IsTrue(r.Succeeded, r.Describe() + r.Stderr);
            CollectionAssert.AreEqual(new[] { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C" }, r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Environment.SetEnvironmentVariable("MAPT_TEST_SECRET", null);
        }
    }

    [TestMethod]
    public void Helper_LookedUpInTheFixedPath_NotInTheStartersPath()
    {
        // A program of the same name earlier in this process's PATH is not the one that runs.
        string fake = Directory.CreateTempSubdirectory("mapt-fakebin-").FullName;
        string oldPath = Environment.GetEnvironmentVariable("PATH")!;
        try
        {
            File.WriteAllText(Path.Combine(fake, "sh"), "#!/bin/false\n");
            File.SetUnixFileMode(Path.Combine(fake, "sh"), (UnixFileMode)0x1ed);
            Environment.SetEnvironmentVariable("PATH", fake + ":" + oldPath);
            ChildResult r = ChildProcess.Run(new[] { "sh", "-c", "readlink /proc/$$/exe" }, "", 10_000);
            Assert.IsTrue(r.Succeeded, r.Describe());
            Assert.IsFalse(r.Stdout.Contains(fake, StringComparison.Ordinal), r.Stdout);
            Assert.IsTrue(new[] { "/usr/bin/dash", "/bin/dash", "/usr/bin/bash", "/bin/bash" }.Contains(r.Stdout.Trim()), r.Stdout);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", oldPath);
            Directory.Delete(fake, recursive: true);
        }
    }

    [TestMethod]
    public void Helper_SignalsDefaultAndUnblocked()
    {
        // The .NET runtime of this test host ignores SIGPIPE (bit 13 of SigIgn): a helper must not inherit that.
        string parent = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        Assert.AreNotEqual(0UL, Convert.ToUInt64(parent.Split('\t')[1], 16) & (1UL << 12), "the test needs a starter that ignores SIGPIPE: " + parent);
        ChildResult r = ChildProcess.Run(new[] { "sh", "-c", "grep -E '^Sig(Ign|Blk):' /proc/$$/status" }, "", 10_000);
        Dictionary<string, ulong> masks = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(l => l.Split(':')[0], l => Convert.ToUInt64(l.Split('\t')[1], 16));
        Assert.AreEqual(0UL, masks["SigBlk"], r.Stdout);
        Assert.AreEqual(0UL, masks["SigIgn"] & (1UL << 12), "SIGPIPE ignored in the helper: " + r.Stdout);
    }
}
