using System.Collections.Generic;
using System.IO;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Cli;

/// <summary>The TR-181 keys of the config file, refused as other bad keys are, on both published binaries.</summary>
[TestClass]
public sealed class Tr181ConfigCliTests
{
    public static IEnumerable<object[]> Architectures => PublishedBinary.Both;

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void Run_BadVendorPrefixOrReference_ExitsTwoNamingFileAndLine_NothingCreated(string rid)
    {
        string dir = Directory.CreateTempSubdirectory("mapt-cli-").FullName;
        try
        {
            string conf = Path.Combine(dir, "mapt.conf");
            string[] args = { "run", "--config", conf, "--flash-dir", dir + "/flash", "--run-dir", dir + "/run" };

            File.WriteAllText(conf, "wan = wan0\n# the name mapt used before issue 16\ntr181-vendor-prefix = X_MAPT_\n");
            ProcResult r = PublishedBinary.Of(rid).Run(args);
            Assert.AreEqual(2, r.ExitCode, r.ToString());
            StringAssert.Contains(r.Stderr, conf + ":3: tr181-vendor-prefix: 'X_MAPT_': 'MAPT' is neither an OUI");
            StringAssert.Contains(r.Stderr, "X_00D09E_");

            File.WriteAllText(conf, "wan = wan0\ntr181-wan-interface = Device.IP.Interface.1\ntr181-ipv6-prefix = Device.IP.Interface.4.IPv6Prefix.1\n");
            r = PublishedBinary.Of(rid).Run(args);
            Assert.AreEqual(2, r.ExitCode, r.ToString());
            StringAssert.Contains(r.Stderr, conf + ":3: tr181-ipv6-prefix: 'Device.IP.Interface.4.IPv6Prefix.1' is not a prefix of tr181-wan-interface");
            Assert.IsFalse(Directory.Exists(dir + "/flash"), "nothing may be created before the configuration is accepted");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
