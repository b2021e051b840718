using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mapt.Tests.Lab;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Platform;

/// <summary>
/// The files `mapt run` writes as root, on the published binary against Kea: links planted at
/// their names (and at the temporary names used until issue 13) are never written through,
/// every file gets its documented mode whatever the starter's umask, and a flash or run
/// directory someone else can write to is refused before anything is touched.
/// </summary>
[TestClass]
[DoNotParallelize]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RootFilesTests
{
    private const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode RwR = Rw | UnixFileMode.GroupRead;
    private const UnixFileMode RwRR = RwR | UnixFileMode.OtherRead;
    private const UnixFileMode Dir755 = RwRR | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    [TestMethod]
    public void PlantedLinks_NeverWrittenThrough_FilesGetTheirModes_UmaskSet()
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        // Files an attacker would aim at, each with content to compare afterwards; the links in
        // the flash directory (the run directory's are covered by LinkAtTheJournal_... below and
        // tests/Platform/AtomicFileTests.cs: the run directory here is one mapt creates itself).
        // mapt.journal on flash is where mapt 0.1 kept its journal: read (not through a link) at start.
        string victims = Directory.CreateDirectory(Path.Combine(lab.Work, "victims")).FullName;
        var planted = new Dictionary<string, string>
        {
            ["mapt.journal"] = "journal-legacy",
            ["dhcpv6.duid"] = "duid",
            ["dhcpv6.lease"] = "lease",
        };
        for (int slot = 0; slot < 4; slot++)
        {
            planted["log." + slot] = "log" + slot;
            planted["run." + slot] = "run" + slot;
        }
        foreach (var (link, name) in planted)
        {
            string victim = Path.Combine(victims, name);
            File.WriteAllText(victim, "root:secret:" + name + "\n");
            File.CreateSymbolicLink(Path.Combine(lab.Flash, link), victim);
        }
        // A starter whose umask lets everyone write.
        string run = Path.Combine(lab.Work, "newrun");
        var args = new List<string> { "-c", $"umask 000; exec '{Repo.ReleaseBinary("linux-x64")}' \"$@\"", "sh" };
        args.AddRange(lab.RunArgs("--run-dir", run, "--pidfile", Path.Combine(run, "mapt.pid")));
        lab.StartMaptCommand("sh", args);
        string? state = null;
        for (int i = 0; i < 300 && state != "Up" && !lab.Mapt!.HasExited; i++)
        {
            System.Threading.Thread.Sleep(100);
            ProcResult status = lab.Gw.Try($"'{GatewayLab.Binary}' status --run-dir '{run}'");
            state = status.ExitCode == 0 ? StatusText.Value(status.Stdout, StatusText.StatePath) : null;
        }
        Assert.AreEqual("Up", state, lab.Output);
        StringAssert.Contains(lab.Output, "mapt.journal not read: a symbolic link: not followed (ELOOP)");
        string umask = File.ReadAllLines($"/proc/{lab.Mapt!.Id}/status").First(l => l.StartsWith("Umask:", StringComparison.Ordinal));
        Assert.AreEqual("Umask:\t0022", umask);

        Assert.AreEqual(Dir755, File.GetUnixFileMode(run), "run directory made by mapt");
        var expected = new Dictionary<string, UnixFileMode>
        {
            [Path.Combine(run, "mapt.journal")] = Rw,
            [Path.Combine(run, "mapt.lock")] = Rw,
            [Path.Combine(lab.Flash, "mapt.lock")] = Rw,
            [Path.Combine(lab.Flash, "dhcpv6.duid")] = RwRR,
            [Path.Combine(lab.Flash, "dhcpv6.lease")] = RwRR,
            [Path.Combine(run, "mapt.state")] = RwRR,
            [Path.Combine(run, "mapt.pid")] = RwRR,
        };
        foreach (var (file, mode) in expected)
        {
            Assert.IsNull(new FileInfo(file).LinkTarget, file + " is still a link");
            Assert.AreEqual(mode, File.GetUnixFileMode(file), file);
        }
        string[] segments = Directory.GetFiles(lab.Flash, "*.?").Where(f => Path.GetFileName(f).StartsWith("log.") || Path.GetFileName(f).StartsWith("run."))
            .Where(f => new FileInfo(f).LinkTarget is null).ToArray();
        Assert.IsTrue(segments.Length >= 1, "a log segment of mapt's own: " + string.Join(", ", Directory.GetFileSystemEntries(lab.Flash)));
        foreach (string segment in segments)
            Assert.AreEqual(RwR, File.GetUnixFileMode(segment), segment);

        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit(), lab.Output);
        Assert.AreEqual(clean, lab.Snapshot());
        foreach (string name in planted.Values)
            Assert.AreEqual("root:secret:" + name + "\n", File.ReadAllText(Path.Combine(victims, name)), name + " was written through a link");
        CollectionAssert.AreEquivalent(planted.Values.ToArray(), Directory.GetFiles(victims).Select(Path.GetFileName).ToArray(), "no file was created through a link");
    }

    [TestMethod]
    public void LinkAtTheJournal_NeitherReadNorWrittenThrough_RunGoesOnWithItsOwn()
    {
        // The journal is the undo mapt runs as root: a link there is not read (its content,
        // turning forwarding on, is not acted on) and mapt's own journal replaces the link
        // instead of being written through it.
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        string victim = Path.Combine(lab.Work, "victim");
        string content = "mapt-journal 2\npid 1\nwan wan0\nmap-dev map0\ntranslator none\nsysctl-restore net.ipv4.conf.all.forwarding 1\nend\n";
        File.WriteAllText(victim, content);
        string journal = Path.Combine(lab.Run, "mapt.journal");
        File.CreateSymbolicLink(journal, victim);
        lab.StartMapt();
        lab.WaitState("Up");
        StringAssert.Contains(lab.Output, "the journal is not acted on: " + journal + " not read: a symbolic link: not followed (ELOOP)");
        Assert.IsNull(new FileInfo(journal).LinkTarget, "mapt's own journal replaced the link");
        StringAssert.StartsWith(File.ReadAllText(journal), "mapt-journal 2\n");
        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit(), lab.Output);
        Assert.AreEqual(clean, lab.Snapshot());
        Assert.AreEqual(content, File.ReadAllText(victim), "written through the link");
    }

    [TestMethod]
    [DataRow("flash", "0777")]
    [DataRow("run", "0775")]
    public void DirectoryOthersCanWrite_RunRefused_NothingTouched(string which, string mode)
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        string dir = which == "flash" ? lab.Flash : lab.Run;
        Proc.Sh($"chmod {mode} '{dir}'");
        lab.StartMaptCommand(Repo.ReleaseBinary("linux-x64"), lab.RunArgs());
        Assert.AreEqual(1, lab.WaitExit(), lab.Output);
        StringAssert.StartsWith(lab.Output, $"mapt run: {which} directory {dir} is writable by group or others (mode {mode}); ");
        StringAssert.Contains(lab.Output, "nothing was changed");
        Assert.AreEqual(0, Directory.GetFileSystemEntries(lab.Flash).Length, "nothing written on flash: " + string.Join(", ", Directory.GetFileSystemEntries(lab.Flash)));
        Assert.AreEqual(0, Directory.GetFileSystemEntries(lab.Run).Length);
        Assert.AreEqual(clean, lab.Snapshot());
    }

    [TestMethod]
    public void RunDirOthersCanWrite_PlantedJournalNotUndoneByTeardown()
    {
        // A journal is run as root by `mapt teardown`: one planted in a world-writable directory
        // (here: asking to turn forwarding on) must not be.
        using Netns ns = Netns.Create("rootfiles");
        string flash = Directory.CreateTempSubdirectory("mapt-rootfiles-").FullName;
        try
        {
            ns.Sh("sysctl -qw net.ipv4.ip_forward=0");
            File.WriteAllText(Path.Combine(flash, "mapt.journal"), "mapt-journal 1\npid 1\nwan lo\nmap-dev lo\ntranslator none\nSysctl net.ipv4.ip_forward 1\nend\n");
            Proc.Sh($"chmod 1777 '{flash}'");
            ProcResult r = ns.Try($"'{Repo.ReleaseBinary("linux-x64")}' teardown --flash-dir '{flash}' --run-dir '{flash}'");
            Assert.AreEqual(1, r.ExitCode, r.ToString());
            StringAssert.StartsWith(r.Stderr, $"mapt teardown: run directory {flash} is writable by group or others (mode 1777); ");
            Assert.AreEqual("0", ns.Sh("sysctl -n net.ipv4.ip_forward").Trim(), "the planted journal was undone");
            Assert.IsTrue(File.Exists(Path.Combine(flash, "mapt.journal")));

            Proc.Sh($"chmod 0755 '{flash}'");
            r = ns.Try($"'{Repo.ReleaseBinary("linux-x64")}' teardown --flash-dir '{flash}' --run-dir '{flash}'");
            Assert.AreEqual(0, r.ExitCode, "root's own directory: the journal is undone\n" + r);
            Assert.AreEqual("1", ns.Sh("sysctl -n net.ipv4.ip_forward").Trim());
        }
        finally
        {
            Directory.Delete(flash, recursive: true);
        }
    }
}
