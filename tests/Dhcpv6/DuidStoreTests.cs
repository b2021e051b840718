using System;
using System.IO;
using Mapt.Dhcpv6;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Dhcpv6;

[TestClass]
public sealed class DuidStoreTests
{
    private static readonly byte[] Mac = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

    [TestMethod]
    public void LoadOrCreate_FirstRun_DuidLlFromMacSavedAndReusedAcrossReboots()
    {
        string dir = Directory.CreateTempSubdirectory("mapt-duid-").FullName;
        try
        {
            var log = new ListLogger();
            byte[] first = DuidStore.LoadOrCreate(dir, Mac, log, new Random(1));
            CollectionAssert.AreEqual(Convert.FromHexString("00030001021122334455"), first);
            Assert.AreEqual("00030001021122334455\n", File.ReadAllText(Path.Combine(dir, DuidStore.FileName)));
            Assert.AreEqual(1, log.Count(320));
            // A "reboot" with another MAC (a replaced NIC) keeps the stored DUID: the same binding.
            byte[] second = DuidStore.LoadOrCreate(dir, new byte[] { 2, 9, 9, 9, 9, 9 }, log, new Random(2));
            CollectionAssert.AreEqual(first, second);
            Assert.AreEqual(1, log.Entries.Count);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    [DataRow("zz-not-hex")]
    [DataRow("0003")]
    [DataRow("000900010203")]
    [DataRow("")]
    public void LoadOrCreate_CorruptFile_ReplacedAndLogged(string content)
    {
        string dir = Directory.CreateTempSubdirectory("mapt-duid-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, DuidStore.FileName), content);
            var log = new ListLogger();
            byte[] duid = DuidStore.LoadOrCreate(dir, Mac, log, new Random(1));
            CollectionAssert.AreEqual(Convert.FromHexString("00030001021122334455"), duid);
            Assert.AreEqual(1, log.Count(321), log.ToString());
            Assert.AreEqual("00030001021122334455", File.ReadAllText(Path.Combine(dir, DuidStore.FileName)).Trim());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void Create_NoMac_DuidUuid()
    {
        byte[] duid = DuidStore.Create(ReadOnlySpan<byte>.Empty, new Random(3));
        Assert.AreEqual(18, duid.Length);
        Assert.AreEqual(4, duid[1]);
    }

    [TestMethod]
    public void LoadOrCreate_UnwritableDirectory_DuidUsedForThisRunAndLogged()
    {
        var log = new ListLogger();
        byte[] duid = DuidStore.LoadOrCreate("/proc/mapt-cannot-write-here", Mac, log, new Random(1));
        Assert.AreEqual(10, duid.Length);
        Assert.AreEqual(1, log.Count(322), log.ToString());
    }
}
