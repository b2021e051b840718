using Mapt.Provisioning;
using Mapt.Wan;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Wan;

/// <summary>The snat and remap-keep keys (issue 15): remap only with mapt's own translator.</summary>
[TestClass]
public sealed class SnatConfigTests
{
    private static WanConfig Load(string text)
    {
        var c = new WanConfig();
        WanConfigFile.Apply(c, text, "/etc/mapt.conf");
        WanConfigFile.Check(c);
        return c;
    }

    [TestMethod]
    public void Remap_WithTun_Binds_DefaultIsRanges()
    {
        Assert.AreEqual(SnatMode.Ranges, Load("wan = wan0\n").Snat);
        WanConfig c = Load("wan = wan0\ntranslator = tun\nsnat = remap\nremap-keep = tcp:1232,udp:2256\n");
        Assert.AreEqual(SnatMode.Remap, c.Snat);
        CollectionAssert.AreEqual(new[] { 1232 }, c.RemapKeep.Tcp);
        CollectionAssert.AreEqual(new[] { 2256 }, c.RemapKeep.Udp);
    }

    [TestMethod]
    [DataRow("wan = wan0\nsnat = remap\n", "needs translator = tun")]
    [DataRow("wan = wan0\ntranslator = none\nsnat = remap\n", "needs translator = tun")]
    [DataRow("wan = wan0\ntranslator = tun\nsnat = rr\n", "is not ranges or remap")]
    [DataRow("wan = wan0\ntranslator = tun\nsnat = remap\nremap-keep = 1232\n", "remap-keep: '1232' is not tcp:PORT")]
    [DataRow("wan = wan0\ntranslator = tun\nremap-keep = tcp:1232\n", "only meaningful with snat = remap")]
    public void Refused_WithTheReason(string text, string reason)
    {
        ConfigError e = Assert.ThrowsExactly<ConfigError>(() => Load(text));
        StringAssert.Contains(e.Message, reason);
    }
}
