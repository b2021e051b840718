using System;
using System.Collections.Generic;
using Mapt.Map;
using Mapt.Net;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Map;

[TestClass]
public sealed class SenseCheckTests
{
    private static readonly Ipv6Prefix EndUser = P6("2001:db8:12:3400::/56");

    private static Ipv6Prefix P6(string t) => Ipv6Prefix.TryParse(t, out Ipv6Prefix p, out _) ? p : throw new ArgumentException(t);
    private static Ipv4Prefix P4(string t) => Ipv4Prefix.TryParse(t, out Ipv4Prefix p, out _) ? p : throw new ArgumentException(t);

    private static MapRule Rule(string ipv4, bool fmr = false, int ea = 16)
    {
        Ipv4Prefix v4 = P4(ipv4);
        Ipv6Prefix v6 = Ipv6Prefix.Masked(P6("2001:db8::/32").Address, Math.Min(40, 64 - ea));
        Assert.IsTrue(MapRule.TryCreate(v6, v4, ea, null, fmr, out MapRule? rule, out MapError e), e.ToString());
        return rule!;
    }

    private static Dmr Dmr(string prefix) => Mapt.Map.Dmr.TryCreate(P6(prefix), out Dmr d, out _) ? d : throw new ArgumentException(prefix);

    private static string? Check(MapRule rule, string dmr = "2001:db8:ffff::/64", params string[] lan) =>
        SenseCheck.Check(new[] { rule }, Dmr(dmr), EndUser, Array.ConvertAll(lan, P4));

    [TestMethod]
    [DataRow("127.0.0.0/24", "loopback")]
    [DataRow("0.0.0.0/24", "'this network'")]
    [DataRow("224.0.2.0/24", "multicast")]
    [DataRow("239.255.255.0/24", "multicast")]
    [DataRow("255.255.255.0/24", "limited broadcast")]
    [DataRow("169.254.1.0/24", "link-local")]
    public void Rule_SpecialPurposeIpv4_Refused(string ipv4, string what)
    {
        string? why = Check(Rule(ipv4));
        Assert.IsNotNull(why);
        StringAssert.Contains(why, what);
        StringAssert.Contains(why, ipv4.Split('/')[0]);
    }

    [TestMethod]
    [DataRow("192.0.2.0/24")]      // documentation: the lab's
    [DataRow("198.51.100.0/24")]
    [DataRow("100.64.0.0/24")]     // shared address space: an operator's choice
    [DataRow("10.1.0.0/24")]       // private: an operator's lab
    public void Rule_OrdinaryOrOperatorChosenIpv4_Accepted(string ipv4) => Assert.IsNull(Check(Rule(ipv4)));

    [TestMethod]
    public void Fmr_CoveringEverything_Refused()
    {
        string? why = Check(Rule("0.0.0.0/0", fmr: true, ea: 32));
        StringAssert.Contains(why, "covering 0.0.0.0/0");
    }

    [TestMethod]
    public void Rule_OverTheGatewaysOwnSubnet_Refused()
    {
        string? why = Check(Rule("198.51.100.0/24"), "2001:db8:ffff::/64", "198.51.100.128/28");
        StringAssert.Contains(why, "own subnet 198.51.100.128/28");
        Assert.IsNull(Check(Rule("192.0.2.0/24"), "2001:db8:ffff::/64", "198.51.100.128/28"));
    }

    [TestMethod]
    [DataRow("::/96", "not global unicast")]
    [DataRow("fe80::/64", "not global unicast")]
    [DataRow("fd00::/64", "not global unicast")]
    [DataRow("2001:db8:12:3400::/64", "overlaps the delegated prefix")]
    [DataRow("2001:db8::/32", "overlaps the delegated prefix")]
    public void Dmr_NotABrPrefix_Refused(string dmr, string why) => StringAssert.Contains(Check(Rule("192.0.2.0/24"), dmr), why);
}
