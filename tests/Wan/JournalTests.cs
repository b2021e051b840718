using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mapt.Platform;
using Mapt.Wan;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Wan;

[TestClass]
public sealed class JournalTests
{
    private const string NatTeardown = "*nat\n-D POSTROUTING -o map-mapt -j MAPT-SNAT\n-F MAPT-SNAT\n-X MAPT-SNAT\nCOMMIT\n";

    private static Journal Sample() => new()
    {
        Pid = 4242,
        Wan = "wan0",
        MapDevice = "map-mapt",
        Translator = "nat46",
        MapContent = "2001:db8:12:3400::/56 2001:db8::/40,192.0.2.0/24,16",
        Entries =
        {
            JournalEntry.Of(UndoKind.Nat46Device, "map-mapt"),
            JournalEntry.Of(UndoKind.Route4, "0.0.0.0/0", "map-mapt"),
            JournalEntry.Of(UndoKind.Route6, "2001:db8:12:3400:0:c000:212:34/128", "map-mapt"),
            JournalEntry.Of(UndoKind.Sysctl, "/proc/sys/net/ipv4/ip_forward", "0"),
            JournalEntry.Of(UndoKind.Conntrack, "192.0.2.18"),
            new JournalEntry(UndoKind.Iptables, Array.Empty<string>(), NatTeardown),
        },
    };

    private sealed class Recorder : IUndoer
    {
        public readonly List<string> Done = new();
        public string? FailOn;

        public string? Undo(JournalEntry entry, Journal journal)
        {
            Done.Add(entry.ToString());
            return entry.Kind.ToString() == FailOn ? "EPERM" : null;
        }
    }

    [TestMethod]
    public void Format_ThenParse_GivesTheSameJournal()
    {
        Journal j = Sample();
        string text = j.Format();
        Journal back = Journal.Parse(text, out string? error);
        Assert.IsNull(error, error);
        Assert.AreEqual(4242, back.Pid);
        Assert.AreEqual("wan0", back.Wan);
        Assert.AreEqual("map-mapt", back.MapDevice);
        Assert.AreEqual("nat46", back.Translator);
        Assert.AreEqual(j.MapContent, back.MapContent);
        CollectionAssert.AreEqual(j.Entries, back.Entries);
        Assert.AreEqual(NatTeardown, back.Entries[5].Body);
        StringAssert.Contains(text, "\nRoute4 0.0.0.0/0 map-mapt\n");
        StringAssert.Contains(text, "\nIptables\n *nat\n -D POSTROUTING");
    }

    [TestMethod]
    public void Parse_CutShort_KeepsEveryWholeEntryAndSaysSo()
    {
        string text = Sample().Format();
        string cut = text.Substring(0, text.IndexOf("Sysctl", StringComparison.Ordinal));
        Journal j = Journal.Parse(cut, out string? error);
        Assert.AreEqual(3, j.Entries.Count);
        StringAssert.Contains(error, "cut short");
    }

    [TestMethod]
    [DataRow("not a journal\n", "line 1: not a mapt journal")]
    [DataRow("mapt-journal 1\nRoute9 x\nend\n", "line 2: unknown entry 'Route9'")]
    [DataRow("mapt-journal 1\n body\nend\n", "line 2: body text before any entry")]
    public void Parse_Damaged_NamesTheLine(string text, string message)
    {
        Journal.Parse(text, out string? error);
        StringAssert.Contains(error, message);
    }

    [TestMethod]
    public void Replay_UndoesInReverse_ConntrackLast()
    {
        var r = new Recorder();
        JournalReplay.Outcome o = JournalReplay.Run(Sample(), r);
        CollectionAssert.AreEqual(new[]
        {
            "Iptables", "Sysctl /proc/sys/net/ipv4/ip_forward 0", "Route6 2001:db8:12:3400:0:c000:212:34/128 map-mapt",
            "Route4 0.0.0.0/0 map-mapt", "Nat46Device map-mapt", "Conntrack 192.0.2.18",
        }, r.Done);
        Assert.AreEqual(6, o.Undone);
        Assert.AreEqual(0, o.Failures.Count);
    }

    [TestMethod]
    public void Replay_OneStepFails_TheOthersStillRun()
    {
        var r = new Recorder { FailOn = "Route4" };
        JournalReplay.Outcome o = JournalReplay.Run(Sample(), r);
        Assert.AreEqual(6, r.Done.Count);
        Assert.AreEqual(5, o.Undone);
        Assert.AreEqual("Route4 0.0.0.0/0 map-mapt: EPERM", o.Failures[0]);
    }

    [TestMethod]
    public void OnlyIn_ListsWhatTheNewPlanDropped()
    {
        Journal old = Sample();
        Journal replacement = Sample();
        replacement.Entries.RemoveAt(4);
        replacement.Entries.Add(JournalEntry.Of(UndoKind.Conntrack, "198.51.100.7"));
        Journal gone = JournalReplay.OnlyIn(old, replacement);
        Assert.AreEqual(1, gone.Entries.Count);
        Assert.AreEqual("Conntrack 192.0.2.18", gone.Entries[0].ToString());
    }

    [TestMethod]
    public void Store_WriteReadDelete_OnARealFile_NoTemporaryLeftBehind()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mapt-journal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var store = new JournalStore(dir);
            Assert.IsNull(store.Read(out _), "no journal: the last run ended cleanly");
            store.Write(Sample());
            Journal? back = store.Read(out string? error);
            Assert.IsNotNull(back);
            Assert.IsNull(error);
            Assert.AreEqual(6, back.Entries.Count);
            CollectionAssert.AreEqual(new[] { "mapt.journal" }, Directory.GetFiles(dir).Select(Path.GetFileName).ToArray());
            store.Delete();
            Assert.IsNull(store.Read(out _));
            store.Delete(); // already gone is fine
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void Store_DeathBetweenWriteAndRename_OldJournalStillWhole()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mapt-journal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var store = new JournalStore(dir);
            store.Write(Sample());
            // What a kill -9 between write() and rename() leaves: a half temporary file.
            string half = Sample().Format();
            File.WriteAllText(store.Path + ".tmp", half.Substring(0, half.Length / 2));
            Journal? j = store.Read(out string? error);
            Assert.IsNull(error, error);
            Assert.AreEqual(6, j!.Entries.Count);
            // The next write replaces the stale temporary.
            store.Write(new Journal { Pid = 1, Entries = { JournalEntry.Of(UndoKind.LinkDown, "map-mapt") } });
            Assert.AreEqual(1, store.Read(out _)!.Entries.Count);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void AtomicFile_ReaderInAnotherProcess_NeverSeesAMix()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mapt-journal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "f");
        string a = new string('a', 100_000), b = new string('b', 100_000);
        AtomicFile.Write(path, a);
        try
        {
            // A shell loop reads while this process rewrites; every read squeezes to "a" or "b"
            // (a mix would give "ab" or "ba", a truncated file "" or a short run).
            var psi = new System.Diagnostics.ProcessStartInfo("/bin/sh", new[] { "-c", $"for i in $(seq 300); do echo \"$(tr -s ab < '{path}')$(wc -c < '{path}')\"; done" }) { RedirectStandardOutput = true };
            using var checker = System.Diagnostics.Process.Start(psi)!;
            for (int i = 0; i < 2000 && !checker.HasExited; i++)
                AtomicFile.Write(path, i % 2 == 0 ? b : a, durable: false);
            string seen = checker.StandardOutput.ReadToEnd();
            checker.WaitForExit();
            string[] lines = seen.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.AreEqual(300, lines.Length);
            foreach (string line in lines)
                Assert.IsTrue(line is "a100000" or "b100000", "a reader saw something other than a whole file: " + line);
            string last = File.ReadAllText(path);
            Assert.IsTrue(last == a || last == b);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
