using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Firmware;

/// <summary>
/// The parts of the firmware toolchain that need no VM: the systemd unit shipped for
/// systemd images, and the helper that turns the host's apt configuration into the private
/// package sources of the firmware build and the sysroot (no package host named anywhere).
/// </summary>
[TestClass]
public sealed class FirmwareToolchainTests
{
    private static string Unit => Path.Combine(FirmwareImage.Source, "systemd", "mapt@.service");

    /// <summary>
    /// A root with the unit, the published binary as /usr/sbin/mapt, kill, and the host's
    /// targets (what systemd-analyze needs to resolve the unit's dependencies offline).
    /// </summary>
    private static string UnitRoot()
    {
        string root = Directory.CreateTempSubdirectory("mapt-unit-").FullName;
        string binary = PublishedBinary.X64.Path;
        if (!File.Exists(binary))
            Assert.Fail($"{binary} does not exist: ./build.sh test publishes it before the tests run");
        foreach (string dir in new[] { "etc/systemd/system", "usr/sbin", "bin", "usr/lib/systemd/system" })
            Directory.CreateDirectory(Path.Combine(root, dir));
        File.Copy(Unit, Path.Combine(root, "etc/systemd/system/mapt@.service"));
        File.Copy(binary, Path.Combine(root, "usr/sbin/mapt"));
        File.Copy("/usr/bin/kill", Path.Combine(root, "bin/kill"));
        foreach (string target in Directory.GetFiles("/usr/lib/systemd/system", "*.target"))
            File.Copy(target, Path.Combine(root, "usr/lib/systemd/system", Path.GetFileName(target)));
        return root;
    }

    [TestMethod]
    public void SystemdUnit_VerifiesCleanly_GrantsExactlyItsCapabilityLine()
    {
        string root = UnitRoot();
        try
        {
            ProcResult verify = Proc.Run("systemd-analyze", new[] { "verify", "--man=no", "--root=" + root, "mapt@erouter0.service" });
            Assert.AreEqual(0, verify.ExitCode, verify.ToString());
            Assert.AreEqual("", (verify.Stdout + verify.Stderr).Trim(), "systemd-analyze verify has remarks (an unknown key is only a warning)");

            // The one line to change when issue 13 settles the minimum; systemd must read it as meant.
            string line = Regex.Match(File.ReadAllText(Unit), @"^CapabilityBoundingSet=(.*)$", RegexOptions.Multiline).Groups[1].Value;
            var granted = new List<string>(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            CollectionAssert.Contains(granted, "CAP_NET_ADMIN");
            ProcResult security = Proc.Run("systemd-analyze", new[] { "security", "--offline=true", "--root=" + root, "mapt@erouter0.service" });
            foreach (string capability in new[] { "CAP_SYS_ADMIN", "CAP_SYS_MODULE", "CAP_SYS_PTRACE", "CAP_SYS_BOOT" })
                StringAssert.Matches(security.Stdout, new Regex(@"✓ CapabilityBoundingSet=~" + capability + @"\s"), capability + " must not be granted\n" + security.Stdout);
            StringAssert.Matches(security.Stdout, new Regex(@"✗ CapabilityBoundingSet=~CAP_NET_ADMIN\s"), security.Stdout);
            StringAssert.Contains(File.ReadAllText(Unit), "Restart=on-failure");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void AptSources_FromTheHostsConfiguration_OtherReleaseAndArchitecture()
    {
        string etc = Directory.CreateTempSubdirectory("mapt-apt-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(etc, "sources.list.d"));
            File.WriteAllText(Path.Combine(etc, "os-release"), "ID=debian\nVERSION_CODENAME=trixie\n");
            File.WriteAllText(Path.Combine(etc, "sources.list"),
                "# a comment\ndeb [arch=amd64 signed-by=/usr/share/keyrings/mirror.gpg] http://mirror.example/debian trixie main contrib\n"
                + "deb-src http://mirror.example/debian trixie main\n");
            File.WriteAllText(Path.Combine(etc, "sources.list.d", "debian.sources"),
                "Types: deb\nURIs: http://mirror.example/debian\nSuites: trixie-updates\nComponents: main\n\n"
                + "Types: deb\n# snapshot\nURIs: http://security.example/debian-security\nSuites: trixie-security\nComponents: main\n"
                + "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
                + "Types: deb\nURIs: http://old.example/debian\nSuites: trixie\nComponents: main\nEnabled: no\n");
            File.WriteAllText(Path.Combine(etc, "sources.list.d", "vendor.list"), "deb http://vendor.example/apt nodistro main\n");

            ProcResult Run(string args) => Proc.Run("bash", new[] { "-c", $". '{Repo.Root}/toolchain/apt-sources.sh' && apt_sources_for {args}" },
                new Dictionary<string, string> { ["APT_ETC"] = etc, ["OS_RELEASE"] = Path.Combine(etc, "os-release") });
            string Sources(string args)
            {
                ProcResult r = Run(args);
                return r.ExitCode == 0 ? r.Stdout : throw new InvalidOperationException(r.ToString());
            }
            Assert.AreEqual(
                "deb [arch=arm64 signed-by=/usr/share/keyrings/mirror.gpg] http://mirror.example/debian bookworm main contrib\n"
                + "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example/debian bookworm-updates main\n"
                + "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://security.example/debian-security bookworm-security main\n",
                Sources("bookworm arm64"), "every Debian entry of the host, the release swapped; deb-src, disabled and foreign entries left out");
            Assert.AreEqual(
                "deb [arch=amd64 signed-by=/usr/share/keyrings/mirror.gpg] http://mirror.example/debian bullseye main contrib\n",
                Sources("bullseye amd64 main-only"), "an older release: its main suite only");
            File.WriteAllText(Path.Combine(etc, "sources.list"), "");
            File.Delete(Path.Combine(etc, "sources.list.d", "debian.sources"));
            ProcResult none = Run("bookworm arm64");
            Assert.AreNotEqual(0, none.ExitCode);
            StringAssert.Contains(none.Stderr, "no Debian 'trixie' entry");
        }
        finally
        {
            Directory.Delete(etc, recursive: true);
        }
    }
}
