using Mapt.Provisioning;
using Mapt.Wan;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Wan;

[TestClass]
public sealed class WanConfigFileTests
{
    [TestMethod]
    public void Apply_EveryDocumentedKey_Binds()
    {
        var c = new WanConfig();
        WanConfigFile.Apply(c, """
            # gateway profile
            wan = erouter0
            map-dev = map0      # trailing comment
            flash-dir = /nvram/mapt/
            run-dir = /tmp/mapt
            translator = none
            nat46-control = /proc/net/nat46/control
            mtu = 1460
            mss = 1400
            iptables = legacy
            request-map-e = yes
            request-lw4o6 = no
            static-rule = 2001:db8::/40,192.0.2.0/24,16
            static-rule = 2001:db8:100::/40,198.51.100.0/24,16,fmr
            static-prefix = 2001:db8:12:3400::/56
            static-dmr = 2001:db8:ffff::/64
            log-level = debug
            tr181-vendor-prefix = X_00D09E_
            tr181-wan-interface = Device.IP.Interface.2
            tr181-ipv6-prefix = Device.IP.Interface.2.IPv6Prefix.1.
            """, "/etc/mapt.conf");
        Assert.AreEqual("erouter0", c.Wan);
        Assert.AreEqual("map0", c.MapDevice);
        Assert.AreEqual("/nvram/mapt", c.FlashDir);
        Assert.AreEqual("/tmp/mapt", c.RunDir);
        Assert.AreEqual(TranslatorKind.None, c.Translator);
        Assert.AreEqual(1460, c.Mtu);
        Assert.AreEqual(1400, c.Mss);
        Assert.AreEqual("legacy", c.Iptables);
        Assert.IsTrue(c.RequestMapE);
        Assert.IsFalse(c.RequestLw4o6);
        Assert.AreEqual(2, c.StaticRules.Count);
        Assert.AreEqual(14, c.StaticRules[1].Line);
        Assert.AreEqual("2001:db8:12:3400::/56", c.StaticPrefix!.Text);
        Assert.AreEqual("debug", c.LogLevel);
        Assert.AreEqual("X_00D09E_", c.VendorPrefix);
        Assert.AreEqual("Device.IP.Interface.2", c.Tr181WanInterface!.Text);
        Assert.AreEqual("Device.IP.Interface.2.IPv6Prefix.1.", c.Tr181Ipv6Prefix!.Text);
        Assert.IsTrue(c.IsStatic);
        WanConfigFile.Check(c);
    }

    [TestMethod]
    [DataRow("wan eth0", 1, "'wan eth0' is not 'key = value'")]
    [DataRow("wan = eth0\nmtu = 9", 2, "mtu: '9' is not a number in 1280..65535")]
    [DataRow("\n\nfrobnicate = 1", 3, "unknown key 'frobnicate'")]
    [DataRow("wan = a-very-long-interface-name", 1, "is not an interface name")]
    [DataRow("flash-dir = nvram", 1, "flash-dir: 'nvram' is not an absolute path")]
    [DataRow("translator = jool", 1, "translator: 'jool' is not nat46, none or tun")]
    [DataRow("wan = a\nwan = b", 2, "wan is given twice")]
    [DataRow("request-map-e = maybe", 1, "request-map-e: 'maybe' is not yes or no")]
    [DataRow("wan =", 1, "wan: no value after '='")]
    [DataRow("iptables = iptables-restore -w", 1, "iptables: 'iptables-restore -w' is not default, legacy or nft")]
    [DataRow("tr181-vendor-prefix = X_MAPT_", 1, "tr181-vendor-prefix: 'X_MAPT_': 'MAPT' is neither an OUI")]
    [DataRow("wan = a\ntr181-vendor-prefix = X_00d09e_", 2, "is neither an OUI (six upper-case hexadecimal digits)")]
    [DataRow("tr181-vendor-prefix = X_CISCO_COM_", 1, "the dots of a domain name are written as hyphens")]
    [DataRow("tr181-vendor-prefix = X_acme-com_", 1, "upper-case letters and digits")]
    [DataRow("tr181-vendor-prefix = MAPT", 1, "does not start with X_ and end with _")]
    [DataRow("tr181-wan-interface = erouter0", 1, "tr181-wan-interface: 'erouter0' is not a Device.IP.Interface.{i} row")]
    [DataRow("tr181-wan-interface = Device.IP.Interface.0", 1, "is not a Device.IP.Interface.{i} row")]
    [DataRow("tr181-wan-interface = Device.IP.Interface.2.IPv6Prefix.1", 1, "is not a Device.IP.Interface.{i} row")]
    [DataRow("tr181-ipv6-prefix = 2001:db8::/56", 1, "is not a Device.IP.Interface.{i}.IPv6Prefix.{i} row")]
    [DataRow("tr181-ipv6-prefix = Device.IP.Interface.2.IPv6Address.1", 1, "is not a Device.IP.Interface.{i}.IPv6Prefix.{i} row")]
    public void Apply_BadLine_NamesFileLineAndReason(string text, int line, string reason)
    {
        var e = Assert.ThrowsExactly<ConfigError>(() => WanConfigFile.Apply(new WanConfig(), text, "/etc/mapt.conf"));
        Assert.AreEqual(line, e.Line);
        StringAssert.Contains(e.Message, "/etc/mapt.conf:" + line + ": ");
        StringAssert.Contains(e.Message, reason);
    }

    [TestMethod]
    public void Check_NoWan_Refused()
    {
        var e = Assert.ThrowsExactly<ConfigError>(() => WanConfigFile.Check(new WanConfig()));
        StringAssert.Contains(e.Message, "no WAN interface");
    }

    [TestMethod]
    public void Check_StaticRuleWithoutPrefixAndDmr_RefusedAtTheRuleLine()
    {
        var c = new WanConfig();
        WanConfigFile.Apply(c, "wan = eth0\n\nstatic-rule = 2001:db8::/40,192.0.2.0/24,16\n", "f.conf");
        var e = Assert.ThrowsExactly<ConfigError>(() => WanConfigFile.Check(c));
        Assert.AreEqual(3, e.Line);
        StringAssert.Contains(e.Message, "static-prefix");
    }

    [TestMethod]
    [DataRow("tr181-ipv6-prefix = Device.IP.Interface.2.IPv6Prefix.1", "needs tr181-wan-interface")]
    [DataRow("tr181-wan-interface = Device.IP.Interface.3\ntr181-ipv6-prefix = Device.IP.Interface.2.IPv6Prefix.1", "is not a prefix of tr181-wan-interface 'Device.IP.Interface.3'")]
    public void Check_PrefixRowOfAnotherInterface_RefusedAtThePrefixLine(string lines, string reason)
    {
        var c = new WanConfig();
        WanConfigFile.Apply(c, "wan = eth0\n" + lines + "\n", "f.conf");
        var e = Assert.ThrowsExactly<ConfigError>(() => WanConfigFile.Check(c));
        Assert.AreEqual(lines.Split('\n').Length + 1, e.Line);
        StringAssert.Contains(e.Message, reason);
    }

    [TestMethod]
    public void Set_FlagAfterFile_Overrides()
    {
        var c = new WanConfig();
        WanConfigFile.Apply(c, "wan = eth0\nmap-dev = map0\n", "f.conf");
        WanConfigFile.Set(c, "map-dev", "map1", "command line", 0);
        Assert.AreEqual("map1", c.MapDevice);
        Assert.AreEqual("eth0", c.Wan);
    }
}
