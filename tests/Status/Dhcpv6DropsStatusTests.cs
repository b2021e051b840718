using System.Collections.Generic;
using System.Linq;
using Mapt.Dhcpv6;
using Mapt.Status;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Status;

/// <summary>
/// What `mapt status` shows of the DHCPv6 client's drops (issue 13 point 1). The published
/// binary is tested in tests/Lab/FloodLabTests.cs.
/// </summary>
[TestClass]
public sealed class Dhcpv6DropsStatusTests
{
    private const string ProcNetDev = "Inter-|   Receive\n face |bytes    packets\n";

    [TestMethod]
    public void Dhcpv6Drops_OneNumericParameterPerReason_UnderTheVendorObject()
    {
        StatusSnapshot s = Tr181ViewTests.Example1();
        for (int r = 0; r < Dhcpv6DropReasons.Count; r++)
            s.Dhcpv6Drops.Add(new(Dhcpv6DropReasons.Name((Dhcpv6DropReason)r), 10L * r + 1));
        List<StatusLine> shown = StatusReport.Build(Tr181View.Render(s), ProcNetDev, 2000);

        List<StatusLine> drops = shown.Where(l => l.Path.StartsWith(Tr181View.Dhcpv6DropsPrefix)).ToList();
        CollectionAssert.AreEqual(
            new[] { "Malformed", "MaptRejected", "Unsolicited", "UnexpectedType", "ReconfigureRefused", "WrongTransactionId", "WrongClientId", "MissingServerId", "WrongServerId" },
            drops.Select(l => l.Path.Substring(Tr181View.Dhcpv6DropsPrefix.Length)).ToArray());
        Assert.AreEqual("Device.MAP.X_MAPT_DHCPv6Dropped.ReconfigureRefused", drops[4].Path);
        Assert.AreEqual("41", drops[4].Value);

        using var doc = System.Text.Json.JsonDocument.Parse(StatusReport.Json(shown));
        Assert.AreEqual(61, doc.RootElement.GetProperty("Device.MAP.X_MAPT_DHCPv6Dropped.WrongClientId").GetInt64(), "a number in --json");
        Assert.IsFalse(Tr181View.Render(Tr181ViewTests.Example1()).Any(l => l.Path.StartsWith(Tr181View.Dhcpv6DropsPrefix)), "no client, no lines");
    }
}
