using System;
using System.IO;
using System.Linq;
using Mapt.Dhcpv6;
using Mapt.Platform;
using Mapt.Tests.Dhcpv6;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Platform;

/// <summary>
/// The files mapt writes as root (journal, state file, DUID, pid file) never follow a symbolic
/// link planted at their name or at a temporary name, never open a file that was there before
/// the write, and get the mode they are meant to have. Real files in a temporary directory.
/// </summary>
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AtomicFileTests
{
    private string _dir = "";
    private string _victim = "";

    [TestInitialize]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("mapt-atomic-").FullName;
        // What an attacker would point a link at: a file root must not write through it.
        _victim = Path.Combine(Directory.CreateTempSubdirectory("mapt-victim-").FullName, "shadow");
        File.WriteAllText(_victim, "root:secret\n");
    }

    [TestCleanup]
    public void Cleanup()
    {
        Directory.Delete(_dir, recursive: true);
        Directory.Delete(Path.GetDirectoryName(_victim)!, recursive: true);
    }

    [TestMethod]
    public void Write_LinkPlantedAtTheOldTemporaryName_NotFollowed()
    {
        // Until issue 13 the temporary file was PATH.tmp, opened with O_CREAT|O_TRUNC: a link
        // there made root overwrite its target.
        string journal = Path.Combine(_dir, "mapt.journal");
        File.CreateSymbolicLink(journal + ".tmp", _victim);
        AtomicFile.Write(journal, "mapt-journal 1\nend\n", AtomicFile.Private);
        Assert.AreEqual("root:secret\n", File.ReadAllText(_victim));
        Assert.AreEqual("mapt-journal 1\nend\n", File.ReadAllText(journal));
        Assert.IsNull(new FileInfo(journal).LinkTarget, "the journal is a file of its own");
        Assert.AreEqual(_victim, new FileInfo(journal + ".tmp").LinkTarget, "the planted link is left alone, not opened");
    }

    [TestMethod]
    public void Write_LinkAtTheNameItself_ReplacedNotWrittenThrough()
    {
        string state = Path.Combine(_dir, "mapt.state");
        File.CreateSymbolicLink(state, _victim);
        AtomicFile.Write(state, "Device.MAP.Enable true\n", durable: false);
        Assert.AreEqual("root:secret\n", File.ReadAllText(_victim));
        Assert.IsNull(new FileInfo(state).LinkTarget);
        Assert.AreEqual("Device.MAP.Enable true\n", File.ReadAllText(state));
    }

    [TestMethod]
    public void Write_TemporaryNamesAreRandomAndLeaveNothingBehind()
    {
        string path = Path.Combine(_dir, "mapt.state");
        for (int i = 0; i < 20; i++)
            AtomicFile.Write(path, i.ToString(), durable: false);
        CollectionAssert.AreEqual(new[] { "mapt.state" }, Directory.GetFiles(_dir).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void Write_FailedWrite_RemovesItsTemporaryFile()
    {
        // A directory in the way of the rename: everything before it succeeded.
        string path = Path.Combine(_dir, "taken");
        Directory.CreateDirectory(path);
        Assert.ThrowsExactly<PlatformException>(() => AtomicFile.Write(path, "x", durable: false));
        CollectionAssert.AreEqual(new[] { "taken" }, Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    [DataRow(AtomicFile.Private, UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [DataRow(AtomicFile.Readable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)]
    public void Write_CreatesTheFileWithItsMode(int mode, UnixFileMode expected)
    {
        string path = Path.Combine(_dir, "f");
        AtomicFile.Write(path, "x", mode, durable: false);
        Assert.AreEqual(expected, File.GetUnixFileMode(path));
    }

    [TestMethod]
    public void Read_LinkAtTheName_RefusedWithEloop()
    {
        string journal = Path.Combine(_dir, "mapt.journal");
        File.CreateSymbolicLink(journal, _victim);
        var e = Assert.ThrowsExactly<PlatformException>(() => AtomicFile.Read(journal));
        Assert.AreEqual(Errno.ELOOP, e.Number);
        StringAssert.Contains(e.Message, "a symbolic link: not followed");
    }

    [TestMethod]
    public void Duid_LinkPlantedAtItsName_NotReadNotFollowed_ReplacedDurably()
    {
        // The victim holds a valid DUID: following the link would adopt it.
        File.WriteAllText(_victim, "00030001aabbccddeeff\n");
        string path = Path.Combine(_dir, DuidStore.FileName);
        File.CreateSymbolicLink(path, _victim);
        var log = new ListLogger();
        byte[] duid = DuidStore.LoadOrCreate(_dir, new byte[] { 2, 0x11, 0x22, 0x33, 0x44, 0x55 }, log, new Random(1));
        CollectionAssert.AreEqual(Convert.FromHexString("00030001021122334455"), duid, "the DUID behind the link must not be adopted");
        Assert.AreEqual("00030001aabbccddeeff\n", File.ReadAllText(_victim));
        Assert.IsNull(new FileInfo(path).LinkTarget);
        Assert.AreEqual("00030001021122334455\n", File.ReadAllText(path));
        Assert.AreEqual(1, log.Count(321), "replaced, and logged why: " + log);
    }
}
