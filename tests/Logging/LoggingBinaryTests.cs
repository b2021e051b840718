using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Logging;

/// <summary>
/// The flash log of the published binaries (x64 natively, arm64 under qemu), driven through
/// the hidden test hook MAPT_TEST_LOG (src/Logging/LoggingTestHook.cs) and read back with
/// `mapt log`.
/// </summary>
[TestClass]
public sealed class LoggingBinaryTests
{
    public static IEnumerable<object[]> Architectures => PublishedBinary.Both;

    private string _dir = "";

    [TestInitialize]
    public void Init() => _dir = Directory.CreateTempSubdirectory("mapt-logging-bin-").FullName;

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    private static Dictionary<string, string> Hook(string dir, params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string> { ["MAPT_TEST_LOG"] = dir };
        foreach (var (k, v) in more)
            env[k] = v;
        return env;
    }

    private static string[] LinesOf(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void SigkillRightAfterAnError_TheErrorLineIsOnFlash(string rid)
    {
        string text = "sigkill-" + Guid.NewGuid().ToString("N");
        using (Process p = Start(rid, Hook(_dir, ("MAPT_TEST_LOG_TEXT", text), ("MAPT_TEST_LOG_WAIT", "1"))))
        {
            string? first = ReadLineWithin(p, TimeSpan.FromSeconds(60));
            Assert.AreEqual("logged", first, "the hook did not report its line as logged");
            p.Kill(); // SIGKILL: no handler, no flush, no stop line
            p.WaitForExit();
        }

        ProcResult log = PublishedBinary.Of(rid).Run("log", "--flash-dir", _dir);
        Assert.AreEqual(0, log.ExitCode, log.ToString());
        string[] lines = LinesOf(log.Stdout);
        Assert.AreEqual(2, lines.Length, log.Stdout);
        StringAssert.Contains(lines[0], " info 800 Mapt.Logging mapt 0.");
        StringAssert.Contains(lines[1], " error 899 Mapt.Logging.TestHook test hook: error line written on request (" + text + ")");

        // The next start cannot know how that run ended.
        ProcResult again = PublishedBinary.Of(rid).Run(Array.Empty<string>(), Hook(_dir));
        Assert.AreEqual(0, again.ExitCode, again.ToString());
        StringAssert.Contains(again.Stderr, "previous run unknown (boot " + lines[0].Split(' ')[2] + ",");
    }

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void ForcedSigsegv_BootMarkersAndTheCrashLineAreInBootMinusOne(string rid)
    {
        PublishedBinary mapt = PublishedBinary.Of(rid);
        ProcResult clean = mapt.Run(Array.Empty<string>(), Hook(_dir, ("MAPT_TEST_LOG_TEXT", "first run")));
        Assert.AreEqual(0, clean.ExitCode, clean.ToString());
        ProcResult crash = mapt.Run(Array.Empty<string>(), Hook(_dir, ("MAPT_TEST_LOG_TEXT", "before the crash"), ("MAPT_TEST_CRASH", "segv")));
        Assert.AreEqual(128 + 11, crash.ExitCode, crash.ToString());
        ProcResult after = mapt.Run(Array.Empty<string>(), Hook(_dir, ("MAPT_TEST_LOG_TEXT", "after the crash")));
        Assert.AreEqual(0, after.ExitCode, after.ToString());

        ProcResult minusOne = mapt.Run("log", "--flash-dir", _dir, "--boot", "-1");
        Assert.AreEqual(0, minusOne.ExitCode, minusOne.ToString());
        string[] lines = LinesOf(minusOne.Stdout);
        Assert.AreEqual(3, lines.Length, minusOne.Stdout);
        string boot = lines[0].Split(' ')[2];
        Assert.IsTrue(lines.All(l => l.Split(' ')[2] == boot), "one boot only:\n" + minusOne.Stdout);
        StringAssert.Contains(lines[0], " info 800 ");
        StringAssert.Contains(lines[0], "previous run clean");
        StringAssert.Contains(lines[1], "(before the crash)");
        StringAssert.Contains(lines[2], " crit 9000 Mapt.Crash fatal signal 11 (SIGSEGV) at 0x10");

        // The same through --boot=-1, and the next boot's marker names the crash.
        ProcResult equalsForm = mapt.Run("log", "--flash-dir=" + _dir, "--boot=-1");
        Assert.AreEqual(minusOne.Stdout, equalsForm.Stdout, equalsForm.ToString());
        ProcResult newest = mapt.Run("log", "--flash-dir", _dir);
        StringAssert.Contains(LinesOf(newest.Stdout)[0], $"previous run crash (boot {boot}, fatal signal 11 (SIGSEGV)");
        ProcResult all = mapt.Run("log", "--flash-dir", _dir, "--all", "--level", "crit");
        Assert.AreEqual(1, LinesOf(all.Stdout).Length, all.ToString());
    }

    [TestMethod]
    public void ForcedSigsegvAfterRotations_TheCrashLineIsInTheNewestSegment()
    {
        // 3000 lines of ~150 bytes go round the 4 x 64 KiB ring more than once.
        ProcResult crash = PublishedBinary.X64.Run(Array.Empty<string>(),
            Hook(_dir, ("MAPT_TEST_LOG_LINES", "3000"), ("MAPT_TEST_CRASH", "segv")));
        Assert.AreEqual(128 + 11, crash.ExitCode, crash.Stderr.Length > 2000 ? crash.Stderr[^2000..] : crash.ToString());

        // The log ring (log.N): the run ring (run.N) holds the boot marker and the stop only.
        var segments = Directory.GetFiles(_dir, "log.*")
            .Select(f => (Path: f, Text: File.ReadAllText(f)))
            .OrderBy(s => long.Parse(s.Text.Split('\n')[0].Split(' ')[^1]))
            .ToList();
        Assert.AreEqual(4, segments.Count);
        Assert.IsTrue(segments.All(s => new FileInfo(s.Path).Length <= 64 * 1024), "a segment passed its size");
        string[] newest = LinesOf(segments[^1].Text);
        StringAssert.Contains(newest[^1], " crit 9000 Mapt.Crash fatal signal 11 (SIGSEGV)");
        Assert.IsFalse(segments.Take(3).Any(s => s.Text.Contains(" 9000 ")), "the crash line went to an old segment");

        ProcResult log = PublishedBinary.X64.Run("log", "--flash-dir", _dir, "--level", "error");
        Assert.AreEqual(0, log.ExitCode, log.ToString());
        string[] lines = LinesOf(log.Stdout);
        StringAssert.Contains(lines[^2], " error 899 ");
        StringAssert.Contains(lines[^1], " crit 9000 ");
        Assert.AreEqual(lines[^1].Split(' ')[2], lines[^2].Split(' ')[2], "the crash line carries the boot id");
    }

    [TestMethod]
    public void ReadOnlyDirectory_DegradesToTheConsoleOnly()
    {
        ProcResult r = InPrivateMount("mount -o remount,ro \"$d\"");
        Assert.AreEqual(0, r.ExitCode, r.ToString());
        string[] reports = LinesOf(r.Stderr).Where(l => l.Contains(" warn 801 ")).ToArray();
        Assert.AreEqual(1, reports.Length, r.Stderr);
        StringAssert.Contains(reports[0], "(read-only file system (EROFS)); logging to the console only");
        StringAssert.Contains(r.Stderr, " error 899 Mapt.Logging.TestHook test hook: error line written on request");
        StringAssert.Contains(r.Stderr, "flash log off (console only)");
        StringAssert.Contains(r.Stderr, " info 802 ");
    }

    [TestMethod]
    public void FullFlash_IsReportedOnceAndLoggingGoesOn()
    {
        ProcResult r = InPrivateMount("dd if=/dev/zero of=\"$d/filler\" bs=4k 2>/dev/null || true");
        Assert.AreEqual(0, r.ExitCode, r.ToString());
        Assert.AreEqual(1, LinesOf(r.Stderr).Count(l => l.Contains(" 801 ") || l.Contains(" 803 ")), r.Stderr);
        StringAssert.Contains(r.Stderr, "no space left (ENOSPC)");
        StringAssert.Contains(r.Stderr, " error 899 ");
    }

    [TestMethod]
    public void FlashFillingUpWhileRunning_IsReportedOnceAndLoggingGoesOn()
    {
        // One 4 KiB page left: the segment's first page fills, the next write finds no room.
        ProcResult r = InPrivateMount("dd if=/dev/zero of=\"$d/filler\" bs=4k count=14 2>/dev/null", lines: 300);
        Assert.AreEqual(0, r.ExitCode, r.ToString());
        string[] reports = LinesOf(r.Stderr).Where(l => l.Contains(" 801 ") || l.Contains(" 803 ")).ToArray();
        Assert.AreEqual(1, reports.Length, r.Stderr);
        StringAssert.Contains(reports[0], " warn 803 Mapt.Logging writing the flash log in ");
        StringAssert.Contains(reports[0], "(no space left (ENOSPC)); flash logging is off until mapt restarts");
        // Every line still reached the console, the last ones after the flash gave up.
        StringAssert.Contains(r.Stderr, "test hook: information line 299,");
        StringAssert.Contains(r.Stderr, " error 899 ");
        StringAssert.Contains(r.Stderr, " info 802 ");
    }

    /// <summary>The hook against a small tmpfs made as <paramref name="prepare"/> says, in a mount namespace of its own.</summary>
    private static ProcResult InPrivateMount(string prepare, int lines = 0)
    {
        string mountPoint = Directory.CreateTempSubdirectory("mapt-logging-mnt-").FullName;
        try
        {
            string script = $"set -e; d='{mountPoint}'; mount -t tmpfs -o size=64k mapt-test \"$d\"; mkdir \"$d/log\"; {prepare}; " +
                            $"MAPT_TEST_LOG=\"$d/log\" MAPT_TEST_LOG_LINES={lines} exec '{PublishedBinary.X64.Path}'";
            return Proc.Run("unshare", new[] { "-m", "--propagation", "private", "sh", "-c", script }, timeout: TimeSpan.FromSeconds(60));
        }
        finally
        {
            Directory.Delete(mountPoint);
        }
    }

    [TestMethod]
    public void Follow_PrintsLinesWrittenLater()
    {
        ProcResult first = PublishedBinary.X64.Run(Array.Empty<string>(), Hook(_dir));
        Assert.AreEqual(0, first.ExitCode, first.ToString());
        var psi = new ProcessStartInfo(PublishedBinary.X64.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "log", "--flash-dir", _dir, "--follow", "--level", "error" })
            psi.ArgumentList.Add(a);
        using Process follow = Process.Start(psi)!;
        try
        {
            Assert.IsTrue(ReadLineWithin(follow, TimeSpan.FromSeconds(20))?.Contains(" error 899 ") == true, "the existing error line first");
            string text = "followed-" + Guid.NewGuid().ToString("N");
            ProcResult second = PublishedBinary.X64.Run(Array.Empty<string>(), Hook(_dir, ("MAPT_TEST_LOG_TEXT", text)));
            Assert.AreEqual(0, second.ExitCode, second.ToString());
            string? next = ReadLineWithin(follow, TimeSpan.FromSeconds(20));
            Assert.IsNotNull(next, "--follow printed nothing new");
            StringAssert.Contains(next, text);
        }
        finally
        {
            follow.Kill();
            follow.WaitForExit();
        }
    }

    [TestMethod]
    public void Json_OneObjectPerLine()
    {
        Assert.AreEqual(0, PublishedBinary.X64.Run(Array.Empty<string>(), Hook(_dir, ("MAPT_TEST_LOG_TEXT", "say \"json\""))).ExitCode);
        ProcResult r = PublishedBinary.X64.Run("log", "--flash-dir", _dir, "--json", "--level", "error");
        Assert.AreEqual(0, r.ExitCode, r.ToString());
        string line = LinesOf(r.Stdout).Single();
        using var doc = System.Text.Json.JsonDocument.Parse(line);
        Assert.AreEqual(899, doc.RootElement.GetProperty("id").GetInt32());
        Assert.AreEqual("error", doc.RootElement.GetProperty("level").GetString());
        StringAssert.Contains(doc.RootElement.GetProperty("message").GetString(), "(say \"json\")");
    }

    [TestMethod]
    public void C1Controls_EscapedOnTheConsoleOnFlashAndInMaptLog()
    {
        // U+009B is CSI: "\u009b2J" clears an 8-bit terminal; U+0085 is NEL, a line break to some readers.
        ProcResult run = PublishedBinary.X64.Run(Array.Empty<string>(), Hook(_dir, ("MAPT_TEST_LOG_TEXT", "evil \u009b2J\u0085 text")));
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.IsFalse(run.Stderr.Any(IsC1), "a raw C1 control on the console:\n" + run.Stderr);
        StringAssert.Contains(run.Stderr, "(evil \\?2J\\? text)");
        Assert.IsFalse(File.ReadAllText(Path.Combine(_dir, "log.0")).Any(IsC1), "a raw C1 control on flash");

        // A line that reached the file raw (written before the fix, or tampered with) is escaped by mapt log.
        File.AppendAllText(Path.Combine(_dir, "log.0"), "2026-11-26T14:00:05.123Z 99999.000000 c1c1c1c1 warn 611 Mapt.Wan raw \u009b31m red\n");
        ProcResult log = PublishedBinary.X64.Run("log", "--flash-dir", _dir, "--all");
        Assert.AreEqual(0, log.ExitCode, log.ToString());
        Assert.IsFalse(log.Stdout.Any(IsC1), log.Stdout);
        StringAssert.Contains(log.Stdout, "(evil \\?2J\\? text)");
        StringAssert.Contains(log.Stdout, "Mapt.Wan raw \\?31m red\n");
        ProcResult json = PublishedBinary.X64.Run("log", "--flash-dir", _dir, "--all", "--json");
        Assert.AreEqual(0, json.ExitCode, json.ToString());
        Assert.IsFalse(json.Stdout.Any(IsC1), json.Stdout);
        StringAssert.Contains(json.Stdout, "raw \\u009b31m red");
    }

    private static bool IsC1(char c) => c is >= '\u0080' and <= '\u009f';

    [TestMethod]
    [DataRow(new[] { "--boot", "1" }, "--boot: '1' is not valid (expected 0|-1|-2...")]
    [DataRow(new[] { "--boot", "-1", "--all" }, "--boot and --all cannot be combined")]
    [DataRow(new[] { "--level", "loud" }, "--level: 'loud' is not valid (expected trace|debug|info|warn|error|crit)")]
    [DataRow(new[] { "--since", "yesterday" }, "--since: 'yesterday' is not valid")]
    public void UsageErrors_ExitTwoAndNameTheFlag(string[] flags, string message)
    {
        ProcResult r = PublishedBinary.X64.Run(new[] { "log", "--flash-dir", "/nonexistent" }.Concat(flags).ToArray());
        Assert.AreEqual(2, r.ExitCode, r.ToString());
        StringAssert.Contains(r.Stderr, message);
    }

    [TestMethod]
    public void NoLog_ExitsOneAndSaysWhere()
    {
        ProcResult r = PublishedBinary.X64.Run("log", "--flash-dir", _dir);
        Assert.AreEqual(1, r.ExitCode, r.ToString());
        StringAssert.Contains(r.Stderr, "no flash log in " + _dir);
        Assert.AreEqual(0, PublishedBinary.X64.Run(Array.Empty<string>(), Hook(_dir)).ExitCode);
        r = PublishedBinary.X64.Run("log", "--flash-dir", _dir, "--boot", "-1");
        Assert.AreEqual(1, r.ExitCode, r.ToString());
        StringAssert.Contains(r.Stderr, "boot -1 is not in the ring");
    }

    /// <summary>Starts the published binary without waiting (arm64 under qemu, as PublishedBinary runs it).</summary>
    private static Process Start(string rid, Dictionary<string, string> env)
    {
        PublishedBinary mapt = PublishedBinary.Of(rid);
        ProcessStartInfo psi;
        if (rid == "linux-x64")
        {
            psi = new ProcessStartInfo(mapt.Path);
            foreach (var (k, v) in env)
                psi.Environment[k] = v;
        }
        else
        {
            string sysroot = Repo.Arm64Sysroot;
            psi = new ProcessStartInfo("qemu-aarch64");
            foreach (string a in new[] { "-L", sysroot, "-E", $"LD_LIBRARY_PATH={sysroot}/lib/aarch64-linux-gnu:{sysroot}/usr/lib/aarch64-linux-gnu" })
                psi.ArgumentList.Add(a);
            foreach (var (k, v) in env)
            {
                psi.ArgumentList.Add("-E");
                psi.ArgumentList.Add($"{k}={v}");
            }
            psi.ArgumentList.Add(mapt.Path);
        }
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        Process p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        return p;
    }

    private static string? ReadLineWithin(Process p, TimeSpan limit)
    {
        var read = p.StandardOutput.ReadLineAsync();
        if (!read.Wait(limit))
        {
            p.Kill();
            Assert.Fail($"no line within {limit.TotalSeconds} s");
        }
        return read.Result;
    }
}
