using System;
using Mapt.Dhcpv6.Wire;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Dhcpv6.Wire;

[TestClass]
public sealed class Dhcpv6MessageTests
{
    [TestMethod]
    public void TryParse_KeaExample1Reply_AllFieldsDecoded()
    {
        Assert.IsTrue(Dhcpv6Message.TryParse(Convert.FromHexString(KeaSeeds.Example1), out Dhcpv6Message m, out ParseError e), e.ToString());
        Assert.AreEqual(Dhcpv6MessageType.Reply, m.Type);
        Assert.AreEqual(0x2021f7u, m.TransactionId);
        CollectionAssert.AreEqual(Convert.FromHexString("0002000009bf0102030405060708"), m.ServerId);
        CollectionAssert.AreEqual(Convert.FromHexString("00030001165d83494ac4"), m.ClientId);
        IaPd ia = m.IaPds[0];
        Assert.AreEqual(1u, ia.IaId);
        Assert.AreEqual(1000u, ia.T1);
        Assert.AreEqual(2000u, ia.T2);
        Assert.AreEqual(56, ia.Prefixes[0].Length);
        Assert.AreEqual(3000u, ia.Prefixes[0].PreferredLifetime);
        Assert.AreEqual(4000u, ia.Prefixes[0].ValidLifetime);
        Assert.IsTrue(m.MaptError.IsNone);
        S46Rule rule = m.Mapt!.Rules[0];
        Assert.AreEqual(16, rule.EaLength);
        Assert.AreEqual(24, rule.Prefix4Length);
        Assert.AreEqual(0xc0000200u, rule.Ipv4Prefix);
        Assert.AreEqual(40, rule.Prefix6Length);
        Assert.AreEqual((ushort)0x3400, rule.PortParameters!.Value.PsidLeftAligned);
        Assert.AreEqual((ushort)0x34, rule.PortParameters!.Value.Psid);
        Assert.AreEqual(64, m.Mapt.Dmr.PrefixLength);
        Assert.AreEqual(1, m.S46Options.Length);
        Assert.AreEqual(S46OptionCode.ContainerMapT, m.S46Options[0].Code);
    }

    [TestMethod]
    public void TryParse_KeaTwoRulesWithDns_FmrFlagAndDnsAndDomains()
    {
        Assert.IsTrue(Dhcpv6Message.TryParse(Convert.FromHexString(KeaSeeds.TwoRulesDns), out Dhcpv6Message m, out ParseError e), e.ToString());
        Assert.AreEqual(2, m.Mapt!.Rules.Length);
        Assert.IsTrue(m.Mapt.Rules[0].IsForwardingMappingRule);
        Assert.IsNull(m.Mapt.Rules[0].PortParameters);
        Assert.AreEqual(2, m.DnsServers.Length);
        CollectionAssert.AreEqual(new[] { "example.com", "lab.example.net" }, m.DomainList);
    }

    /// <summary>The reference capture of Kea's option 95 (mapt-reference.md section 3), F flag 1.</summary>
    [TestMethod]
    public void TryReadMaptContainer_ReferenceVector_FFlagIsTheLowBit()
    {
        byte[] option = Convert.FromHexString("005f002600590015011018c00002002820010db801005d000406083400005b00094020010db8ffff0000");
        var reader = new Dhcpv6Reader(option);
        Assert.IsTrue(reader.TryReadOption(out Dhcpv6Option o, out _));
        Assert.IsTrue(Dhcpv6Reader.TryReadMaptContainer(o, out S46MaptContainer c, out ParseError e), e.ToString());
        Assert.IsTrue(c.Rules[0].IsForwardingMappingRule);
        Assert.AreEqual((byte)1, c.Rules[0].Flags);
        Mapt.Net.Ipv6Address.TryParse("2001:db8:100::", out Mapt.Net.Ipv6Address expected);
        Assert.AreEqual(expected.Value, c.Rules[0].Ipv6Prefix);
    }

    [TestMethod]
    public void Writer_RoundTripsThroughTheReader()
    {
        var container = new S46MaptContainer(new[]
        {
            S46Hex.Rule("2001:db8::/40", "192.0.2.0/24", 16, false, (6, 8, 0x34)),
            S46Hex.Rule("2001:db8:ff00::/36", "198.51.100.0/22", 20, true),
        }, S46Hex.Dmr("2001:db8:ffff::/64"));
        byte[] bytes = S46Hex.Container(container);
        var reader = new Dhcpv6Reader(bytes);
        Assert.IsTrue(reader.TryReadOption(out Dhcpv6Option o, out _));
        Assert.IsTrue(Dhcpv6Reader.TryReadMaptContainer(o, out S46MaptContainer back, out ParseError e), e.ToString());
        Assert.IsTrue(container.SameAs(back));
        Assert.IsTrue(reader.End);
    }

    [TestMethod]
    public void TryReadRule_BitsPastPrefixLength_Ignored()
    {
        // prefix6-len 36 sent as 5 bytes with garbage in the low nibble; prefix4 /24 with a host byte.
        byte[] rule = Convert.FromHexString("0059000d" + "00" + "10" + "18" + "c00002ff" + "24" + "20010db8ff");
        var reader = new Dhcpv6Reader(rule);
        Assert.IsTrue(reader.TryReadOption(out Dhcpv6Option o, out _));
        Assert.IsTrue(Dhcpv6Reader.TryReadRule(o, out S46Rule r, out ParseError e), e.ToString());
        Assert.AreEqual(0xc0000200u, r.Ipv4Prefix);
        Assert.AreEqual((UInt128)0x20010db8f0UL << 88, r.Ipv6Prefix);
    }

    [TestMethod]
    public void TryReadRule_UnknownSubOptionSkipped()
    {
        byte[] rule = Convert.FromHexString("00590011" + "0010" + "18" + "c0000200" + "28" + "20010db800" + "00630000" + "");
        var reader = new Dhcpv6Reader(rule);
        Assert.IsTrue(reader.TryReadOption(out Dhcpv6Option o, out _));
        Assert.IsTrue(Dhcpv6Reader.TryReadRule(o, out S46Rule r, out ParseError e), e.ToString());
        Assert.IsNull(r.PortParameters);
    }

    /// <summary>Each container breaks RFC 7598 in one way; the error names the option, the offset and the fault.</summary>
    [TestMethod]
    [DataRow("00590015" + "003118c0000200" + "2820010db800" + "005d000406083400" + "005b0009" + "4020010db8ffff0000", 89, 9, "ea-len 49 is over 48", DisplayName = "ea-len 49")]
    [DataRow("00590015" + "001021c0000200" + "2820010db800" + "005d000406083400" + "005b0009" + "4020010db8ffff0000", 89, 10, "prefix4-len 33", DisplayName = "prefix4-len 33")]
    [DataRow("0059000c" + "001018c0000200" + "4020010db8" + "005b0009" + "4020010db8ffff0000", 89, 15, "needs 8 prefix byte(s), only 4", DisplayName = "prefix6-len longer than its bytes")]
    [DataRow("00590014" + "001018c0000200" + "2820010db800" + "005d0003060834" + "005b0009" + "4020010db8ffff0000", 93, 25, "needs option-len 4, got 3", DisplayName = "PORTPARAMS of 3 bytes")]
    [DataRow("00590015" + "001018c0000200" + "2820010db800" + "005d0004060b3400" + "005b0009" + "4020010db8ffff0000", 93, 26, "offset 6 + PSID-len 11 is over 16", DisplayName = "a + k = 17")]
    [DataRow("00590015" + "001018c0000200" + "2820010db800" + "005d000410003400" + "005b0009" + "4020010db8ffff0000", 93, 25, "offset 16 is over 15", DisplayName = "offset 16")]
    [DataRow("0059001d" + "001018c0000200" + "2820010db800" + "005d000406083400" + "005d000406083400" + "005b0009" + "4020010db8ffff0000", 93, 33, "a second S46_PORTPARAMS", DisplayName = "two PORTPARAMS")]
    [DataRow("005b0009" + "4020010db8ffff0000", 95, 4, "no S46_RULE", DisplayName = "no rule")]
    [DataRow("00590015" + "001018c0000200" + "2820010db800" + "005d000406083400", 95, 4, "0 S46_DMR", DisplayName = "no DMR")]
    [DataRow("00590015" + "001018c0000200" + "2820010db800" + "005d000406083400" + "005b0009" + "4020010db8ffff0000" + "005b0009" + "4020010db8ffff0000", 95, 4, "2 S46_DMR", DisplayName = "two DMRs")]
    [DataRow("00590015" + "001018c0000200" + "2820010db800" + "005d000406083400" + "005b0011" + "8020010db8ffff00000000000000000000", 91, 33, "over 96", DisplayName = "DMR /128")]
    [DataRow("00590015" + "001018c0000200" + "2820010db800" + "005d000406083400" + "005b0007" + "4020010db8ffff", 91, 33, "needs option-len 9, got 7", DisplayName = "DMR truncated")]
    [DataRow("00590015" + "001018c0000200" + "2820010db800" + "005d000406083400" + "005b0020" + "4020010db8ffff0000", 91, 31, "runs past the end", DisplayName = "DMR length past the container")]
    public void TryReadMaptContainer_BreaksRfc7598_RejectedWithReason(string bodyHex, int option, int offset, string reason)
    {
        byte[] body = Convert.FromHexString(bodyHex);
        byte[] bytes = new byte[4 + body.Length];
        bytes[0] = 0;
        bytes[1] = 95;
        bytes[2] = (byte)(body.Length >> 8);
        bytes[3] = (byte)body.Length;
        body.CopyTo(bytes, 4);
        var reader = new Dhcpv6Reader(bytes);
        Assert.IsTrue(reader.TryReadOption(out Dhcpv6Option o, out _));
        Assert.IsFalse(Dhcpv6Reader.TryReadMaptContainer(o, out _, out ParseError e));
        Assert.AreEqual(option, e.Option, e.ToString());
        Assert.AreEqual(offset, e.Offset, e.ToString());
        StringAssert.Contains(e.Reason, reason);
    }

    [TestMethod]
    public void TryReadOption_Truncated_ConsumesNothing()
    {
        byte[] bytes = Convert.FromHexString("0017002820010db8");
        var reader = new Dhcpv6Reader(bytes);
        Assert.IsFalse(reader.TryReadOption(out _, out ParseError e));
        Assert.AreEqual(0, reader.Offset);
        Assert.AreEqual(2, e.Offset);
        StringAssert.Contains(e.ToString(), "option-len 40 runs past the end");
    }

    [TestMethod]
    public void TryParse_ContainerBroken_MessageKeptContainerRefused()
    {
        string broken = KeaSeeds.Example1.Replace("001018c0000200", "003118c0000200");
        Assert.IsTrue(Dhcpv6Message.TryParse(Convert.FromHexString(broken), out Dhcpv6Message m, out _));
        Assert.IsTrue(m.HasMaptOption);
        Assert.IsNull(m.Mapt);
        StringAssert.Contains(m.MaptError.ToString(), "S46_RULE (89) at byte");
        StringAssert.Contains(m.MaptError.ToString(), "ea-len 49");
    }

    [TestMethod]
    [DataRow("07", "shorter than the 4-byte header")]
    [DataRow("07000001" + "00010002" + "0003", "DUID of 2 byte(s)")]
    [DataRow("07000001" + "000d0001" + "00", "status-code needs 2 bytes")]
    [DataRow("07000001" + "0019000400000001", "IA_PD needs 12 bytes")]
    [DataRow("07000001" + "00190029" + "000000010000000000000000" + "001a0019" + "0000000000000000" + "81" + "20010db8000000000000000000000000", "prefix-length 129")]
    [DataRow("07000001" + "0017000520010db800", "not a multiple of 16")]
    [DataRow("07000001" + "00180003" + "0a6578", "label length")]
    [DataRow("07000001" + "00070002" + "ffff", "pref-value needs option-len 1")]
    public void TryParse_MalformedMessage_RefusedWithReason(string hex, string reason)
    {
        Assert.IsFalse(Dhcpv6Message.TryParse(Convert.FromHexString(hex), out _, out ParseError e));
        StringAssert.Contains(e.ToString(), reason);
    }
}
