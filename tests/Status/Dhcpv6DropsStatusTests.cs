using System.Collections.Generic;
using System.Linq;
using Mapt.Dhcpv6;
using Mapt.Status;
using Mapt.Tests.Support;
using Mapt.Wan;
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
            s.AddCounter(Tr181View.Root, StatusWriter.Dhcpv6DropsObject + Dhcpv6DropReasons.Name((Dhcpv6DropReason)r), 10UL * (ulong)r + 1);
        List<StatusLine> shown = StatusReport.Build(Tr181View.Render(s), ProcNetDev, 2000);

        string prefix = StatusText.Vendor(Tr181View.Root, StatusWriter.Dhcpv6DropsObject);
        List<StatusLine> drops = shown.Where(l => l.Path.StartsWith(prefix)).ToList();
        CollectionAssert.AreEqual(
            new[] { "Malformed", "MaptRejected", "Unsolicited", "UnexpectedType", "ReconfigureRefused", "WrongTransactionId", "WrongClientId", "MissingServerId", "WrongServerId" },
            drops.Select(l => l.Path.Substring(prefix.Length)).ToArray());
        Assert.AreEqual(prefix + "ReconfigureRefused", drops[4].Path);
        Assert.AreEqual("41", drops[4].Value);

        using var doc = System.Text.Json.JsonDocument.Parse(StatusReport.Json(shown));
        Assert.AreEqual(61, doc.RootElement.GetProperty(prefix + "WrongClientId").GetInt64(), "a number in --json");
        Assert.IsFalse(StatusReport.Build(Tr181View.Render(Tr181ViewTests.Example1()), ProcNetDev, 2000).Any(l => l.Path.StartsWith(prefix)), "no client, no lines");
    }
}
