using System.Text.RegularExpressions;
using Mapt.Status;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Lab;

/// <summary>
/// MAP content from the network is checked for sense and size, not only syntax (issue 13,
/// points 2 and 5): Kea serves a lease that is well-formed but unusable; the published binary
/// refuses it with event 615 and applies nothing, and `mapt plan` refuses the same content with exit 2.
/// </summary>
[TestClass]
public sealed class HostileLeaseTests
{
    private static KeaConfig Lease(string rule, string? portParams, string dmr = "2001:db8:ffff::/64")
    {
        KeaConfig c = GatewayLab.Example1();
        c.OptionData.Clear();
        c.OptionData.AddRange(KeaConfig.Mapt(rule, portParams, dmr));
        return c;
    }

    [TestMethod]
    // A PSID offset of 15: 32,767 one-port ranges, about 100,000 SNAT rules (mapt 0.1 applied it).
    [DataRow("0, 9, 24, 192.0.2.0, 2001:db8::/40", "15, 0/0", "2001:db8:ffff::/64", "32767 ranges (PSID offset 15)", "--rule 2001:db8::/40,192.0.2.0/24,9,offset=15")]
    [DataRow("0, 16, 24, 127.0.0.0, 2001:db8::/40", "6, 52/8", "2001:db8:ffff::/64", "overlaps 127.0.0.0/8, loopback", "--rule 2001:db8::/40,127.0.0.0/24,16,offset=6,psid-len=8,psid=52")]
    [DataRow("0, 16, 24, 224.0.2.0, 2001:db8::/40", "6, 52/8", "2001:db8:ffff::/64", "multicast", "--rule 2001:db8::/40,224.0.2.0/24,16,offset=6,psid-len=8,psid=52")]
    [DataRow("0, 16, 24, 192.0.2.0, 2001:db8::/40", "6, 52/8", "fe80::/64", "not global unicast", "--rule 2001:db8::/40,192.0.2.0/24,16,offset=6,psid-len=8,psid=52")]
    [DataRow("0, 16, 24, 198.51.100.0, 2001:db8::/40", "6, 52/8", "2001:db8:ffff::/64", "own subnet 198.51.100.128/28", null)]
    public void UnusableLease_Event615_NothingApplied_PlanRefusesItToo(string rule, string portParams, string dmr, string reason, string? planRule)
    {
        using GatewayLab lab = GatewayLab.Start(Lease(rule, portParams, dmr));
        string clean = lab.Snapshot();
        lab.StartMapt();
        Eventually.Until(() => lab.Output.Contains(" 615 "), System.TimeSpan.FromSeconds(20), "event 615\n" + lab.Output);
        StringAssert.Contains(lab.Output, reason);
        Assert.AreEqual("Error_Misconfigured", lab.StatusValue(Tr181View.Domain + "Status"));
        Assert.AreEqual("Soliciting", lab.State(), "alive, waiting for a usable lease");
        Assert.AreEqual(clean, lab.Snapshot(), "nothing applied");
        StringAssert.DoesNotMatch(lab.Output, new Regex(" 60[67] "), "no apply was attempted");
        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit());

        if (planRule is null)
            return; // the LAN's subnets are the daemon's knowledge, not the command line's
        ProcResult plan = PublishedBinary.X64.Run(("plan " + planRule + " --prefix 2001:db8:12:3400::/56 --dmr " + dmr).Split(' '));
        Assert.AreEqual(2, plan.ExitCode, plan.ToString());
        StringAssert.Contains(plan.Stderr, reason);
    }
}
