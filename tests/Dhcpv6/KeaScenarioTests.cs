using System;
using System.Linq;
using Mapt.Dhcpv6;
using Mapt.Dhcpv6.Wire;
using Mapt.Map;
using Mapt.Tests.Lab;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Dhcpv6;

/// <summary>
/// The client against ISC Kea: Kea in one namespace, the client in another, a veth between.
/// Each scenario is a field situation; Kea answers in 1-2 ms, lifetimes are seconds.
/// </summary>
[TestClass]
public sealed class KeaScenarioTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(10);
    // Kea reopens its sockets after a reload: a Renew sent in that window is lost and the
    // client's first retransmission comes ~10 s later (RFC 8415 REN_TIMEOUT), so allow one.
    private static readonly TimeSpan AfterReload = TimeSpan.FromSeconds(25);

    internal static MapResult Mapping(Lease lease)
    {
        Assert.IsTrue(lease.TryComputeMapping(out MapResult? r, out MapError e), "no mapping: " + MapErrors.Describe(e));
        return r!;
    }

    internal static Lease Acquire(KeaLab lab, ClientDriver c)
    {
        c.Start();
        Assert.IsTrue(c.RunUntil(() => c.Client.Lease is not null, Quick), "no lease\n" + c.Logger + "\n" + lab.Kea.Log);
        Assert.AreEqual(ClientState.Bound, c.Client.State);
        return c.Client.Lease!;
    }

    private static KeaConfig WithMapt(string rule, string? portParams, string dmr = "2001:db8:ffff::/64")
    {
        var config = new KeaConfig();
        config.OptionData.AddRange(KeaConfig.Mapt(rule, portParams, dmr));
        return config;
    }

    [TestMethod]
    public void Solicit_BasicBmrWithPortParams_LeaseCarriesRfcExample1Mapping()
    {
        using var lab = KeaLab.Start(KeaConfig.RfcExample1(), clientDad: true);
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        Lease lease = Acquire(lab, c);

        Assert.AreEqual("2001:db8:12:3400::/56", lease.EndUserPrefix.ToString());
        Assert.AreEqual(1000u, lease.T1);
        Assert.AreEqual(2000u, lease.T2);
        Assert.IsNotNull(lease.Mapt);
        Assert.AreEqual(1, lease.Mapt!.Rules.Rules.Count);
        Assert.IsFalse(lease.Mapt.Rules.Rules[0].IsFmr);
        Assert.AreEqual("2001:db8:ffff::/64", lease.Mapt.Dmr.ToString());
        MapResult m = Mapping(lease);
        Assert.AreEqual("192.0.2.18", m.Ipv4Address.ToString());
        Assert.AreEqual(0x34, m.PortSet.Psid);
        Assert.AreEqual(6, m.PortSet.PsidOffset);
        Assert.AreEqual(8, m.PortSet.PsidLength);
        Assert.AreEqual("2001:db8:12:3400:0:c000:212:34", m.MapIpv6Address.ToString());
        Assert.AreEqual(LeaseChange.Acquired, c.Events.Single().Change);
        // The lease is in Kea's lease file under this client's DUID.
        var row = lab.Kea.ReadPrefixLeases().Last();
        Assert.AreEqual("2001:db8:12:3400::/56", row.Prefix);
        Assert.AreEqual(Convert.ToHexString(c.Duid).ToLowerInvariant(), row.Duid.Replace(":", ""));
    }

    [TestMethod]
    public void Solicit_OneToOneRule_FullIpv4AddressWithoutSharing()
    {
        // o + r = 32: EA bits 0x12 (bits 40..47 of 2001:db8:12::) are the last octet.
        using var lab = KeaLab.Start(WithMapt("0, 8, 24, 192.0.2.0, 2001:db8::/40", null));
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        Lease lease = Acquire(lab, c);

        MapResult m = Mapping(lease);
        Assert.AreEqual("192.0.2.18", m.Ipv4Address.ToString());
        Assert.AreEqual(0, m.PortSet.PsidLength);
        Assert.IsFalse(lease.Mapt!.Rules.Rules[0].HasPortParameters);
        Assert.AreEqual("2001:db8:12::c000:212:0", m.MapIpv6Address.ToString());
    }

    [TestMethod]
    public void Solicit_TwoRulesViaHexContainer_BmrByLongestMatchAndFmrFlagKept()
    {
        var container = new S46MaptContainer(new[]
        {
            S46Hex.Rule("2001:db8:ff00::/40", "198.51.100.0/24", 16, fmr: true),
            S46Hex.Rule("2001:db8::/40", "192.0.2.0/24", 16, fmr: true, (6, 8, 0x34)),
        }, S46Hex.Dmr("2001:db8:ffff::/64"));
        var config = new KeaConfig();
        config.OptionData.Add(KeaConfig.MaptHex(S46Hex.BodyHex(container)));
        using var lab = KeaLab.Start(config);
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        Lease lease = Acquire(lab, c);

        Assert.AreEqual(2, lease.Mapt!.Rules.Rules.Count);
        Assert.AreEqual(2, lease.Mapt.Rules.ForwardingMappingRules.Count);
        Assert.AreEqual("2001:db8:ff00::/40", lease.Mapt.Rules.Rules[0].RuleIpv6Prefix.ToString());
        MapResult m = Mapping(lease);
        Assert.AreEqual("2001:db8::/40", m.Rule.RuleIpv6Prefix.ToString());
        Assert.AreEqual("192.0.2.18", m.Ipv4Address.ToString());
        Assert.AreEqual(0x34, m.PortSet.Psid);
    }

    [TestMethod]
    public void Solicit_PsidOffsetZero_KeptAsZeroNotReplacedBySix()
    {
        using var lab = KeaLab.Start(WithMapt("0, 16, 24, 192.0.2.0, 2001:db8::/40", "0, 52/8"));
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        Lease lease = Acquire(lab, c);

        Assert.AreEqual((byte)0, lease.Mapt!.Wire.Rules[0].PortParameters!.Value.PsidOffset);
        MapResult m = Mapping(lease);
        Assert.AreEqual(0, m.PortSet.PsidOffset);
        Assert.AreEqual(8, m.PortSet.PsidLength);
        Assert.AreEqual(0x34, m.PortSet.Psid);
        // a = 0: one contiguous block 0x3400-0x34ff.
        Assert.IsTrue(m.IsPortInSet(0x3400));
        Assert.IsTrue(m.IsPortInSet(0x34ff));
        Assert.IsFalse(m.IsPortInSet(0x3500));
    }

    [TestMethod]
    public void Solicit_NoEaBitsWithExplicitPsid_Rfc7599Example5()
    {
        using var lab = KeaLab.Start(WithMapt("0, 0, 32, 192.0.2.18, 2001:db8:12:3400::/56", "6, 52/8"));
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        Lease lease = Acquire(lab, c);

        S46PortParameters wire = lease.Mapt!.Wire.Rules[0].PortParameters!.Value;
        Assert.AreEqual((ushort)0x3400, wire.PsidLeftAligned, "Kea left-aligns the PSID on the wire");
        MapResult m = Mapping(lease);
        Assert.AreEqual("192.0.2.18", m.Ipv4Address.ToString());
        Assert.AreEqual(0x34, m.PortSet.Psid);
        Assert.AreEqual("2001:db8:12:3400:0:c000:212:34", m.MapIpv6Address.ToString());
    }

    [TestMethod]
    public void Solicit_NoOption95_LeaseWithoutMapt()
    {
        using var lab = KeaLab.Start(new KeaConfig());
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        Lease lease = Acquire(lab, c);

        Assert.AreEqual("2001:db8:12:3400::/56", lease.EndUserPrefix.ToString());
        Assert.IsNull(lease.Mapt);
        Assert.AreEqual(LeaseChange.Acquired, c.Events.Single().Change);
    }

    [TestMethod]
    public void Renew_ServerChangedTheRule_ReportedAsChangeThenWithdrawal()
    {
        using var lab = KeaLab.Start(KeaConfig.RfcExample1());
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        Lease first = Acquire(lab, c);

        // Same config again: a plain renewal.
        c.Do(c.Client.RenewNow);
        Assert.AreEqual(ClientState.Renewing, c.Client.State);
        Assert.IsTrue(c.RunUntil(() => c.Events.Count == 2, Quick), c.Logger.ToString());
        Assert.AreEqual(LeaseChange.Renewed, c.Events[1].Change);

        lab.Kea.Reload(WithMapt("0, 16, 24, 198.51.100.0, 2001:db8::/40", "6, 52/8"));
        c.Do(c.Client.RenewNow);
        Assert.IsTrue(c.RunUntil(() => c.Events.Count == 3, AfterReload), c.Logger + "\n" + lab.Kea.Log);
        Assert.AreEqual(LeaseChange.Changed, c.Events[2].Change);
        Assert.AreEqual("198.51.100.18", Mapping(c.Client.Lease!).Ipv4Address.ToString());
        Assert.AreEqual(1, c.Logger.Count(307));

        lab.Kea.Reload(new KeaConfig());
        c.Do(c.Client.RenewNow);
        Assert.IsTrue(c.RunUntil(() => c.Events.Count == 4, AfterReload), c.Logger + "\n" + lab.Kea.Log);
        Assert.AreEqual(LeaseChange.MaptWithdrawn, c.Events[3].Change);
        Assert.IsNull(c.Client.Lease!.Mapt);
        Assert.AreEqual(first.EndUserPrefix, c.Client.Lease.EndUserPrefix);
        Assert.AreEqual(1, c.Logger.Count(308));
    }

    [TestMethod]
    public void ServerGone_RenewThenRebindThenExpiry()
    {
        var config = KeaConfig.RfcExample1();
        config.RenewTimer = 1;
        config.RebindTimer = 2;
        config.PreferredLifetime = 3;
        config.ValidLifetime = 3;
        using var lab = KeaLab.Start(config);
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        Lease lease = Acquire(lab, c);
        Assert.AreEqual(1u, lease.T1);
        lab.Kea.Kill();

        var states = new System.Collections.Generic.List<ClientState>();
        bool expired = c.RunUntil(() =>
        {
            if (states.Count == 0 || states[^1] != c.Client.State)
                states.Add(c.Client.State);
            return c.Events.Any(e => e.Change == LeaseChange.Expired);
        }, TimeSpan.FromSeconds(8));
        Assert.IsTrue(expired, string.Join(",", states) + "\n" + c.Logger);
        CollectionAssert.AreEqual(new[] { ClientState.Bound, ClientState.Renewing, ClientState.Rebinding, ClientState.Soliciting }, states.ToArray(), string.Join(",", states));
        Assert.IsNull(c.Client.Lease);
        Assert.AreEqual(ClientState.Soliciting, c.Client.State, "after expiry the client solicits again");
        Assert.AreEqual(1, c.Logger.Count(309));
        Assert.AreEqual(1, c.Logger.Count(310));
    }

    [TestMethod]
    public void LinkDownAndUp_RebindsAndKeepsTheLease()
    {
        using var lab = KeaLab.Start(KeaConfig.RfcExample1());
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        Lease lease = Acquire(lab, c);

        lab.Client.Sh("ip link set vc down");
        c.Do(c.Client.LinkDown);
        c.RunFor(TimeSpan.FromMilliseconds(200));
        Assert.AreSame(lease, c.Client.Lease, "a link flap alone does not drop the lease");
        lab.Client.Sh("ip link set vc up");
        c.Do(c.Client.LinkUp);
        Assert.AreEqual(ClientState.Rebinding, c.Client.State);
        Assert.IsTrue(c.RunUntil(() => c.Events.Count == 2, Quick), c.Logger + "\n" + lab.Kea.Log);
        Assert.AreEqual(LeaseChange.Renewed, c.Events[1].Change);
        Assert.AreEqual(ClientState.Bound, c.Client.State);
        Assert.IsTrue(c.Client.Lease!.SameContentAs(lease));
    }

    [TestMethod]
    public void Release_ThroughTheClient_KeaMarksTheLeaseReleased()
    {
        using var lab = KeaLab.Start(KeaConfig.RfcExample1());
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        Acquire(lab, c);
        Assert.AreEqual(4000, lab.Kea.ReadPrefixLeases().Last().ValidLifetime);

        c.Do(c.Client.Release);
        Assert.AreEqual(ClientState.Releasing, c.Client.State);
        Assert.IsTrue(c.RunUntil(() => c.Client.State == ClientState.Idle, Quick), c.Logger.ToString());
        Assert.AreEqual(LeaseChange.Released, c.Events[^1].Change);
        Assert.IsNull(c.Client.Lease);
        StringAssert.Contains(c.Logger.Entries.Single(e => e.EventId == 311).Message, "status Success");
        KeaLeaseRow row = lab.Kea.ReadPrefixLeases().Last();
        Assert.AreEqual("2001:db8:12:3400::/56", row.Prefix);
        Assert.AreEqual(0, row.ValidLifetime, "Kea journals a released lease with valid lifetime 0");
    }
}
