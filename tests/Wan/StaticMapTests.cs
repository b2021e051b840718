using Mapt.Map;
using Mapt.Wan;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Wan;

[TestClass]
public sealed class StaticMapTests
{
    private static WanConfig Config(string text)
    {
        var c = new WanConfig();
        WanConfigFile.Apply(c, "wan = wan0\n" + text, "/etc/mapt.conf");
        return c;
    }

    [TestMethod]
    public void From_Example1_ComputesTheRfcValues_OriginStatic()
    {
        MapContent? content = StaticMap.From(Config("static-rule = 2001:db8::/40,192.0.2.0/24,16\nstatic-prefix = 2001:db8:12:3400::/56\nstatic-dmr = 2001:db8:ffff::/64\n"));
        Assert.IsNotNull(content);
        Assert.AreEqual("Static", content.Origin);
        Assert.IsTrue(content.TryCompute(out MapResult? r, out string error), error);
        Assert.AreEqual("192.0.2.18", r.Ipv4Address.ToString());
        Assert.AreEqual(0x34, r.Psid);
        Assert.AreEqual("2001:db8:12:3400:0:c000:212:34", r.MapIpv6Address.ToString());
        var plan = content.ToPlanInput(r);
        Assert.AreEqual(63, plan.PortSet.Count);
        Assert.AreEqual(1232, plan.PortSet[0].First);
        Assert.AreEqual("2001:db8:ffff::/64", plan.DmrText);
    }

    [TestMethod]
    public void From_Example5_ZeroEaBitsWithExplicitPsid()
    {
        MapContent? content = StaticMap.From(Config("static-rule = 2001:db8:12:3400::/56,192.0.2.18/32,0,offset=6,psid-len=8,psid=0x34\nstatic-prefix = 2001:db8:12:3400::/56\nstatic-dmr = 2001:db8:ffff::/64\n"));
        Assert.IsTrue(content!.TryCompute(out MapResult? r, out string error), error);
        Assert.AreEqual("192.0.2.18", r.Ipv4Address.ToString());
        Assert.AreEqual(0x34, r.Psid);
    }

    [TestMethod]
    public void Key_SameContent_SameKey_DifferentRule_DifferentKey()
    {
        const string tail = "static-prefix = 2001:db8:12:3400::/56\nstatic-dmr = 2001:db8:ffff::/64\n";
        string a = StaticMap.From(Config("static-rule = 2001:db8::/40,192.0.2.0/24,16\n" + tail))!.Key;
        string b = StaticMap.From(Config("static-rule = 2001:db8::/40,192.0.2.0/24,16\n" + tail))!.Key;
        string c = StaticMap.From(Config("static-rule = 2001:db8::/40,198.51.100.0/24,16\n" + tail))!.Key;
        Assert.AreEqual(a, b);
        Assert.AreNotEqual(a, c);
    }

    [TestMethod]
    [DataRow("static-rule = 2001:db8::/40,192.0.2.0/24\n", 2, "expected IPV6/N,IPV4/R,EA")]
    [DataRow("static-rule = 2001:db8::/40,192.0.2.0/24,99\n", 2, "EA-bits length '99'")]
    [DataRow("static-rule = 2001:db8::/40,192.0.2.0/24,16,frob\n", 2, "'frob' is not offset=A")]
    [DataRow("static-rule = 2001:db8::/40,192.0.2.0/24,16\nstatic-dmr = 2001:db8:ffff::/65\n", 3, "static-dmr")]
    public void From_BadStaticRule_NamesItsLine(string lines, int line, string reason)
    {
        string text = lines.Contains("static-dmr") ? lines + "static-prefix = 2001:db8:12:3400::/56\n" : lines + "static-prefix = 2001:db8:12:3400::/56\nstatic-dmr = 2001:db8:ffff::/64\n";
        var e = Assert.ThrowsExactly<ConfigError>(() => StaticMap.From(Config(text)));
        Assert.AreEqual(line, e.Line, e.Message);
        StringAssert.Contains(e.Message, reason);
    }

    [TestMethod]
    public void From_PrefixOutsideTheRule_RefusedAtThePrefixLine()
    {
        var e = Assert.ThrowsExactly<ConfigError>(() => StaticMap.From(Config("static-rule = 2001:db8::/40,192.0.2.0/24,16\nstatic-prefix = 2001:db9::/56\nstatic-dmr = 2001:db8:ffff::/64\n")));
        Assert.AreEqual(3, e.Line);
        StringAssert.Contains(e.Message, "no Basic Mapping Rule");
    }
}
