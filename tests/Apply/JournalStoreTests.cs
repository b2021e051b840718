using System;
using System.IO;
using System.Linq;
using Mapt.Apply;
using Mapt.Platform;
using Mapt.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Apply;

[TestClass]
public sealed class JournalStoreTests
{
    private static Journal Sample() => new()
    {
        BootId = "b", Pid = 7, Wan = "wan0", MapDevice = "map-mapt", Translator = "nat46", MapContent = "x",
        Entries = { new DeleteNat46Device("map-mapt"), new FlushConntrack(Mapt.Tests.Provisioning.Samples.Address4("192.0.2.18")) },
    };

    private static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mapt-journal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [TestMethod]
    public void WriteReadDelete_OnARealFile_NoTemporaryLeftBehind()
    {
        string dir = TempDir();
        try
        {
            var store = new JournalStore(dir);
            Assert.IsNull(store.Read(out string? none), "no journal: the last run ended cleanly");
            Assert.IsNull(none);
            store.Write(Sample());
            Journal? back = store.Read(out string? error);
            Assert.IsNull(error, error);
            Assert.AreEqual(2, back!.Entries.Count);
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
    public void DeathBetweenWriteAndRename_OldJournalStillWhole()
    {
        string dir = TempDir();
        try
        {
            var store = new JournalStore(dir);
            store.Write(Sample());
            // What a kill -9 between write() and rename() leaves: a half temporary file.
            string half = Sample().Format();
            File.WriteAllText(store.Path + ".tmp", half.Substring(0, half.Length / 2));
            Journal? j = store.Read(out string? error);
            Assert.IsNull(error, error);
            Assert.AreEqual(2, j!.Entries.Count);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void Read_WritableByOthersOrASymlink_NotActedOn()
    {
        string dir = TempDir();
        try
        {
            var store = new JournalStore(dir);
            store.Write(Sample());
            Mapt.Tests.Support.Proc.Sh("chmod 646 '" + store.Path + "'");
            Assert.IsNull(store.Read(out string? error));
            StringAssert.Contains(error, "writable by group or others");
            File.Delete(store.Path);
            string planted = Path.Combine(dir, "planted");
            File.WriteAllText(planted, Sample().Format());
            File.CreateSymbolicLink(store.Path, planted);
            Assert.IsNull(store.Read(out error));
            StringAssert.Contains(error, "ELOOP");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
