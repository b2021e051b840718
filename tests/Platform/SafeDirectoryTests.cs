using System.IO;
using Mapt.Platform;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Platform;

/// <summary>
/// The flash and run directories must be root's and writable by root alone, and so must every
/// directory above them unless it is sticky (native-shim/dirs.c, on real directories).
/// </summary>
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SafeDirectoryTests
{
    private const UnixFileMode Mode755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private string _root = "";

    [TestInitialize]
    public void Setup() => _root = Directory.CreateTempSubdirectory("mapt-safedir-").FullName;

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    private string Dir(string name, UnixFileMode mode)
    {
        string path = Path.Combine(_root, name);
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [TestMethod]
    public void RootsAndWritableByRootAlone_UnderStickyTmp_Safe()
    {
        // /tmp (1777, sticky) is above: only an entry's owner may rename it there.
        Assert.IsNull(SafeDirectory.Problem(Dir("flash", Mode755), "flash directory"));
    }

    [TestMethod]
    [DataRow(UnixFileMode.OtherWrite, "0757")]
    [DataRow(UnixFileMode.GroupWrite, "0775")]
    [DataRow(UnixFileMode.OtherWrite | UnixFileMode.StickyBit, "1757")]
    public void WritableByGroupOrOthers_Refused(UnixFileMode extra, string octal)
    {
        string dir = Dir("flash", Mode755 | extra);
        string? problem = SafeDirectory.Problem(dir, "flash directory");
        Assert.AreEqual($"flash directory {dir} is writable by group or others (mode {octal}); mapt keeps files there that it trusts as root; make it root's and writable by root alone (chown root {dir}; chmod go-w {dir})", problem);
    }

    [TestMethod]
    public void OwnedByAnotherUser_Refused()
    {
        string dir = Dir("flash", Mode755);
        Support.Proc.Sh($"chown 65534 '{dir}'");
        StringAssert.StartsWith(SafeDirectory.Problem(dir, "run directory"), $"run directory {dir} belongs to uid 65534, not root;");
    }

    [TestMethod]
    public void ParentWritableByOthersNotSticky_Refused()
    {
        string parent = Dir("open", Mode755 | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite);
        string dir = Path.Combine(parent, "flash");
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, Mode755);
        StringAssert.StartsWith(SafeDirectory.Problem(dir, "flash directory"),
            $"flash directory {dir}: {parent} above it is writable by group or others and not sticky (mode 0777): anyone could rename {dir} away;");
    }

    [TestMethod]
    public void ParentOwnedByAnotherUser_Refused()
    {
        string parent = Dir("theirs", Mode755);
        string dir = Path.Combine(parent, "flash");
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, Mode755);
        Support.Proc.Sh($"chown 65534 '{parent}'");
        StringAssert.StartsWith(SafeDirectory.Problem(dir, "flash directory"), $"flash directory {dir}: {parent} above it belongs to uid 65534, not root");
    }

    [TestMethod]
    public void LinkToAnUnsafeDirectory_JudgedWhereItLeads()
    {
        string open = Dir("open", Mode755 | UnixFileMode.OtherWrite);
        string link = Path.Combine(_root, "flash");
        Directory.CreateSymbolicLink(link, open);
        StringAssert.Contains(SafeDirectory.Problem(link, "flash directory"), $"(chown root {open}; chmod go-w {open})");
    }

    [TestMethod]
    public void Prepare_MissingDirectory_CreatedThenSafe()
    {
        string dir = Path.Combine(_root, "a", "b");
        Assert.IsNull(SafeDirectory.Prepare(dir, "flash directory"));
        Assert.AreEqual((UnixFileMode)0, File.GetUnixFileMode(dir) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
    }

    [TestMethod]
    public void NotADirectory_Refused()
    {
        string file = Path.Combine(_root, "file");
        File.WriteAllText(file, "");
        Assert.AreEqual($"flash directory {file} is not a directory", SafeDirectory.Problem(file, "flash directory"));
    }
}
