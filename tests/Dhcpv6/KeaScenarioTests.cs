using System;
using System.Linq;
using Mapt.Dhcpv6;
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

    private static MapResult Mapping(Lease lease)
    {
        Assert.IsTrue(lease.TryComputeMapping(out MapResult? r, out MapError e), "no mapping: " + MapErrors.Describe(e));
        return r!.Value;
    }

    [TestMethod]
    public void Solicit_BasicBmrWithPortParams_LeaseCarriesRfcExample1Mapping()
    {
        using var lab = KeaLab.Start(KeaConfig.RfcExample1(), clientDad: true);
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        c.Start();
        Assert.IsTrue(c.RunUntil(() => c.Client.Lease is not null, Quick), c.Logger + "\n" + lab.Kea.Log);

        Lease lease = c.Client.Lease!;
        Assert.AreEqual(ClientState.Bound, c.Client.State);
        Assert.AreEqual("2001:db8:12:3400::/56", lease.EndUserPrefix.ToString());
        Assert.AreEqual(1000u, lease.T1);
        Assert.AreEqual(2000u, lease.T2);
        Assert.IsNotNull(lease.Mapt);
        Assert.AreEqual(1, lease.Mapt!.Rules.Rules.Count);
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
}
