using System.IO;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Lab;

/// <summary>
/// Routes that were there before mapt and that its `replace` overwrites (an IPv4 default via a
/// fallback uplink) or finds already in place (the route to the DMR the ISP's router
/// announced): after mapt's teardown the gateway has them exactly as before.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class PreexistingRoutesTests
{
    private static void AddTheOperatorsRoutes(GatewayLab lab)
    {
        lab.Gw.Sh("ip route add default via 198.51.100.131 dev lan0 proto static");
        lab.Gw.Sh("ip -6 route add 2001:db8:ffff::/64 via fe80::1 dev wan0");
    }

    [TestMethod]
    public void Sigterm_ReplacedDefaultPutBack_IdenticalDmrRouteLeftInPlace()
    {
        using GatewayLab lab = GatewayLab.Start();
        AddTheOperatorsRoutes(lab);
        string clean = lab.Snapshot();
        lab.StartMapt();
        lab.WaitState("Up");
        string defaults = lab.Gw.Sh("ip -4 route show default");
        StringAssert.Contains(defaults, "dev map0");
        Assert.IsFalse(defaults.Contains("198.51.100.131"), "mapt's default replaced the old one:\n" + defaults);
        string journal = File.ReadAllText(Path.Combine(lab.Run, "mapt.journal"));
        StringAssert.Contains(journal, "\nroute-restore default via 198.51.100.131 dev lan0 proto 4\n");
        Assert.IsFalse(journal.Contains("route-delete 2001:db8:ffff::/64"), "a route that was there is not mapt's to delete:\n" + journal);
        StringAssert.Contains(lab.Output, "replaces the route that was there before mapt");

        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit());
        string after = lab.Snapshot();
        Assert.AreEqual(clean, after, "the operator's routes are back as they were:\n" + clean + "\n---\n" + after);
    }

    [TestMethod]
    public void Kill9ThenTeardown_ReplacedDefaultPutBack()
    {
        using GatewayLab lab = GatewayLab.Start();
        AddTheOperatorsRoutes(lab);
        string clean = lab.Snapshot();
        lab.StartMapt();
        lab.WaitState("Up");
        lab.Kill9();
        ProcResult r = lab.Gw.Try($"'{GatewayLab.Binary}' teardown --flash-dir '{lab.Flash}' --run-dir '{lab.Run}'");
        Assert.AreEqual(0, r.ExitCode, r.ToString());
        string after = lab.Snapshot();
        Assert.AreEqual(clean, after, "the journal put the operator's default route back:\n" + clean + "\n---\n" + after);
    }
}
