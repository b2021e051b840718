using System.Collections.Generic;
using System.Linq;
using Mapt.Wan;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Wan.WanEventKind;

namespace Mapt.Tests.Wan;

[TestClass]
public sealed class WanMachineTests
{
    private const string RuleA = "2001:db8:12:3400::/56 2001:db8::/40,192.0.2.0/24,16 dmr 2001:db8:ffff::/64";
    private const string RuleB = "2001:db8:12:3400::/56 2001:db8::/40,198.51.100.0/24,16 dmr 2001:db8:ffff::/64";

    private static WanMachine Machine() => new();

    /// <summary>Feeds events; returns every action they caused, in order.</summary>
    private static List<WanActionKind> Feed(WanMachine m, params WanEvent[] events)
    {
        var actions = new List<WanActionKind>();
        foreach (WanEvent e in events)
            actions.AddRange(m.Handle(e).Actions.Select(a => a.Kind));
        return actions;
    }

    private static WanEvent E(WanEventKind k) => WanEvent.Of(k);
    private static WanEvent Reply(string content) => WanEvent.Reply(content);

    private static WanMachine UpWith(string content)
    {
        WanMachine m = Machine();
        Feed(m, E(LinkUp), E(Ipv6Ready), Reply(content), E(ApplyDone));
        Assert.AreEqual(WanState.Up, m.State);
        return m;
    }

    [TestMethod]
    public void ColdStart_LinkIpv6ReplyApply_ReachesUpThroughEveryState()
    {
        WanMachine m = Machine();
        var entered = new List<WanState>();
        var actions = new List<WanActionKind>();
        foreach (WanEvent e in new[] { E(LinkUp), E(Ipv6Ready), Reply(RuleA), E(ApplyDone) })
        {
            WanStep step = m.Handle(e);
            entered.AddRange(step.Transitions.Select(t => t.To));
            actions.AddRange(step.Actions.Select(a => a.Kind));
        }
        CollectionAssert.AreEqual(new[] { WanState.WaitingForIPv6, WanState.Soliciting, WanState.Provisioning, WanState.Up }, entered);
        CollectionAssert.AreEqual(new[] { WanActionKind.Solicit, WanActionKind.Apply }, actions);
        Assert.AreEqual(RuleA, m.Applied);
        StringAssert.Contains(m.Reason, "MAP-T configured");
    }

    [TestMethod]
    public void Ipv6ReadyBeforeLinkUp_StillWaitsForTheLink()
    {
        WanMachine m = Machine();
        Assert.AreEqual(0, Feed(m, E(Ipv6Ready)).Count);
        Assert.AreEqual(WanState.WaitingForLink, m.State);
    }

    [TestMethod]
    public void ReplyWithoutMapT_StaysSoliciting_AppliesNothing()
    {
        WanMachine m = Machine();
        var actions = Feed(m, E(LinkUp), E(Ipv6Ready), Reply(""));
        CollectionAssert.AreEqual(new[] { WanActionKind.Solicit }, actions);
        Assert.AreEqual(WanState.Soliciting, m.State);
        StringAssert.Contains(m.Reason, "without MAP-T");
    }

    [TestMethod]
    public void LinkFlap_WhileUp_TearsDownThenRebindsAndAppliesOnce()
    {
        WanMachine m = UpWith(RuleA);
        var down = Feed(m, E(LinkDown));
        CollectionAssert.AreEqual(new[] { WanActionKind.StopDhcp, WanActionKind.Teardown }, down);
        Assert.AreEqual(WanState.TearingDown, m.State);
        Feed(m, E(TeardownDone));
        Assert.AreEqual(WanState.WaitingForLink, m.State);
        var up = Feed(m, E(LinkUp), E(Ipv6Ready), Reply(RuleA), E(ApplyDone));
        CollectionAssert.AreEqual(new[] { WanActionKind.Rebind, WanActionKind.Apply }, up, "the held lease is confirmed, not solicited anew");
        Assert.AreEqual(WanState.Up, m.State);
    }

    [TestMethod]
    public void LinkDown_MidProvisioning_TearsDownWhatWasPartlyApplied_LateApplyDoneIgnored()
    {
        WanMachine m = Machine();
        Feed(m, E(LinkUp), E(Ipv6Ready), Reply(RuleA));
        Assert.AreEqual(WanState.Provisioning, m.State);
        var actions = Feed(m, E(LinkDown));
        CollectionAssert.AreEqual(new[] { WanActionKind.StopDhcp, WanActionKind.Teardown }, actions);
        Assert.AreEqual(0, Feed(m, E(ApplyDone)).Count, "an apply result arriving during teardown must not bring MAP-T up");
        Assert.AreEqual(WanState.TearingDown, m.State);
        Feed(m, E(TeardownDone));
        Assert.AreEqual(WanState.WaitingForLink, m.State);
        Assert.AreEqual("", m.Applied);
    }

    [TestMethod]
    public void LinkUpAgain_DuringTeardown_SettlesStraightToWaitingForIpv6()
    {
        WanMachine m = UpWith(RuleA);
        Feed(m, E(LinkDown), E(LinkUp), E(TeardownDone));
        Assert.AreEqual(WanState.WaitingForIPv6, m.State);
        CollectionAssert.AreEqual(new[] { WanActionKind.Rebind }, Feed(m, E(Ipv6Ready)));
    }

    [TestMethod]
    public void RenewWithSameContent_BackToUp_NothingApplied()
    {
        WanMachine m = UpWith(RuleA);
        Assert.AreEqual(0, Feed(m, E(RenewStarted)).Count);
        Assert.AreEqual(WanState.Renewing, m.State);
        Assert.AreEqual(0, Feed(m, Reply(RuleA)).Count);
        Assert.AreEqual(WanState.Up, m.State);
    }

    [TestMethod]
    public void ChangeDuringRenewing_ReplacesWithoutTeardown()
    {
        WanMachine m = UpWith(RuleA);
        Feed(m, E(RenewStarted));
        var actions = Feed(m, Reply(RuleB));
        CollectionAssert.AreEqual(new[] { WanActionKind.Replace }, actions, "a change must not go through teardown (no unNATed window)");
        Assert.AreEqual(WanState.Changing, m.State);
        Feed(m, E(ApplyDone));
        Assert.AreEqual(WanState.Up, m.State);
        Assert.AreEqual(RuleB, m.Applied);
    }

    [TestMethod]
    public void SecondChangeWhileChanging_AppliedAfterTheFirstFinishes()
    {
        WanMachine m = UpWith(RuleA);
        Feed(m, Reply(RuleB));
        Assert.AreEqual(WanState.Changing, m.State);
        Assert.AreEqual(0, Feed(m, Reply(RuleA)).Count);
        CollectionAssert.AreEqual(new[] { WanActionKind.Replace }, Feed(m, E(ApplyDone)));
        Assert.AreEqual(WanState.Changing, m.State);
        Feed(m, E(ApplyDone));
        Assert.AreEqual(RuleA, m.Applied);
        Assert.AreEqual(WanState.Up, m.State);
    }

    [TestMethod]
    public void MapTWithdrawnInReply_OrderlyTeardown_ThenSolicitingWithDhcpStillRunning()
    {
        WanMachine m = UpWith(RuleA);
        CollectionAssert.AreEqual(new[] { WanActionKind.Teardown }, Feed(m, Reply("")));
        Assert.AreEqual(0, Feed(m, E(TeardownDone)).Count);
        Assert.AreEqual(WanState.Soliciting, m.State);
        CollectionAssert.AreEqual(new[] { WanActionKind.Apply }, Feed(m, Reply(RuleA)), "MAP-T offered again is applied again");
    }

    [TestMethod]
    public void LeaseExpired_TearsDown_ThenSoliciting()
    {
        WanMachine m = UpWith(RuleA);
        Feed(m, E(RenewStarted));
        CollectionAssert.AreEqual(new[] { WanActionKind.Teardown }, Feed(m, E(LeaseLost)));
        Feed(m, E(TeardownDone));
        Assert.AreEqual(WanState.Soliciting, m.State);
        Assert.AreEqual("", m.Offered);
    }

    [TestMethod]
    public void LeaseLostDuringTeardown_NotAppliedAgainAfterwards()
    {
        WanMachine m = UpWith(RuleA);
        Feed(m, E(Ipv6Lost));
        Assert.AreEqual(WanState.TearingDown, m.State);
        Assert.AreEqual(0, Feed(m, E(LeaseLost)).Count, "no second teardown");
        Feed(m, E(Ipv6Ready));
        var after = Feed(m, E(TeardownDone));
        Assert.IsFalse(after.Contains(WanActionKind.Apply), "the lost lease must not be applied");
    }

    [TestMethod]
    public void ReplyDuringTeardown_AppliedOnceTheTeardownIsDone()
    {
        WanMachine m = UpWith(RuleA);
        Feed(m, Reply(""));
        Feed(m, Reply(RuleB));
        CollectionAssert.AreEqual(new[] { WanActionKind.Apply }, Feed(m, E(TeardownDone)));
        Assert.AreEqual(WanState.Provisioning, m.State);
    }

    [TestMethod]
    public void ApplyFailed_TearsDownAndRetriesLater_NotInAHotLoop()
    {
        WanMachine m = Machine();
        Feed(m, E(LinkUp), E(Ipv6Ready), Reply(RuleA));
        CollectionAssert.AreEqual(new[] { WanActionKind.Teardown }, Feed(m, WanEvent.Of(ApplyFailed, "iptables-restore exit 1")));
        StringAssert.Contains(m.Reason, "iptables-restore exit 1");
        CollectionAssert.AreEqual(new[] { WanActionKind.ScheduleRetry }, Feed(m, E(TeardownDone)));
        CollectionAssert.AreEqual(new[] { WanActionKind.Apply }, Feed(m, E(RetryDue)));
    }

    [TestMethod]
    public void Stop_WhileUp_TeardownThenReleaseThenExit()
    {
        WanMachine m = UpWith(RuleA);
        var actions = Feed(m, E(Stop), E(TeardownDone));
        CollectionAssert.AreEqual(new[] { WanActionKind.Teardown, WanActionKind.Release, WanActionKind.Exit }, actions);
        Assert.AreEqual(WanState.Stopped, m.State);
        Assert.AreEqual(0, Feed(m, E(LinkUp), Reply(RuleA)).Count, "nothing after Stopped");
    }

    [TestMethod]
    public void Stop_BeforeAnyLease_ExitsAtOnce()
    {
        WanMachine m = Machine();
        CollectionAssert.AreEqual(new[] { WanActionKind.Exit }, Feed(m, E(Stop)));
        WanMachine s = Machine();
        CollectionAssert.AreEqual(new[] { WanActionKind.Solicit, WanActionKind.Release, WanActionKind.Exit }, Feed(s, E(LinkUp), E(Ipv6Ready), E(Stop)));
    }

    [TestMethod]
    public void Stop_DuringLinkDownTeardown_NoReleaseToAnUnreachableServer()
    {
        WanMachine m = UpWith(RuleA);
        var actions = Feed(m, E(LinkDown), E(Stop), E(TeardownDone));
        CollectionAssert.AreEqual(new[] { WanActionKind.StopDhcp, WanActionKind.Teardown, WanActionKind.Exit }, actions);
    }

    [TestMethod]
    public void RouteLost_WhileUp_RestoresRoutes_OtherwiseIgnored()
    {
        WanMachine m = UpWith(RuleA);
        CollectionAssert.AreEqual(new[] { WanActionKind.RestoreRoutes }, Feed(m, WanEvent.Of(RouteLost, "default dev map-mapt")));
        Assert.AreEqual(WanState.Up, m.State);
        WanMachine w = Machine();
        Assert.AreEqual(0, Feed(w, E(RouteLost)).Count);
    }

    [TestMethod]
    public void TranslatorNone_WaitsForTheMapDevice_BeforeSoliciting()
    {
        var m = new WanMachine(mapDeviceReady: false);
        Assert.AreEqual(0, Feed(m, E(LinkUp), E(Ipv6Ready)).Count);
        Assert.AreEqual(WanState.WaitingForIPv6, m.State);
        StringAssert.Contains(m.Reason, "waiting for the MAP device");
        CollectionAssert.AreEqual(new[] { WanActionKind.Solicit }, Feed(m, E(MapDeviceReady)));
        Feed(m, Reply(RuleA), E(ApplyDone));
        CollectionAssert.AreEqual(new[] { WanActionKind.Teardown }, Feed(m, E(MapDeviceGone)));
        CollectionAssert.AreEqual(new WanActionKind[0], Feed(m, E(TeardownDone)));
        Assert.AreEqual(WanState.WaitingForIPv6, m.State);
    }

    [TestMethod]
    public void ForceRenew_OnlyWhenUp()
    {
        WanMachine m = UpWith(RuleA);
        CollectionAssert.AreEqual(new[] { WanActionKind.Renew }, Feed(m, E(ForceRenew)));
        Assert.AreEqual(WanState.Renewing, m.State);
        Assert.AreEqual(0, Feed(Machine(), E(ForceRenew)).Count);
    }

    [TestMethod]
    public void EveryTransition_HasAReason()
    {
        WanMachine m = Machine();
        var all = new List<WanTransition>();
        foreach (WanEvent e in new[] { E(LinkUp), E(Ipv6Ready), Reply(RuleA), E(ApplyDone), E(RenewStarted), Reply(RuleB), E(ApplyDone), E(LinkDown), E(TeardownDone), E(Stop) })
            all.AddRange(m.Handle(e).Transitions);
        Assert.IsTrue(all.Count >= 9);
        foreach (WanTransition t in all)
            Assert.IsFalse(string.IsNullOrWhiteSpace(t.Reason), $"{t.From} -> {t.To} without a reason");
    }

    [TestMethod]
    public void Adopt_AtStart_UpAtOnce_ConfirmsTheLease_ThenBehavesLikeAnyUp()
    {
        WanMachine m = Machine();
        WanStep step = m.Adopt(RuleA, "configuration of the last run taken over");
        Assert.AreEqual((WanState.WaitingForLink, WanState.Up), (step.Transitions[0].From, step.Transitions[0].To));
        CollectionAssert.AreEqual(new[] { WanActionKind.ResumeDhcp }, step.Actions.Select(a => a.Kind).ToList());
        Assert.AreEqual((RuleA, RuleA), (m.Applied, m.Offered));
        // The facts the shell read are the machine's: a later "link up" changes nothing.
        Assert.AreEqual(0, Feed(m, E(LinkUp), E(Ipv6Ready)).Count);
        // The Renew's Reply with the same content keeps it Up; another content is a change.
        Assert.AreEqual(0, Feed(m, Reply(RuleA)).Count);
        CollectionAssert.AreEqual(new[] { WanActionKind.Replace }, Feed(m, Reply(RuleB)));
        Assert.AreEqual(WanState.Changing, m.State);
    }

    [TestMethod]
    public void Adopt_ThenLinkDown_TornDownLikeAnyConfiguration()
    {
        WanMachine m = Machine();
        m.Adopt(RuleA, "taken over");
        CollectionAssert.AreEqual(new[] { WanActionKind.StopDhcp, WanActionKind.Teardown }, Feed(m, E(LinkDown)));
    }

    [TestMethod]
    public void Handover_WhileUp_ExitsWithoutTeardownOrRelease()
    {
        WanMachine m = UpWith(RuleA);
        CollectionAssert.AreEqual(new[] { WanActionKind.Exit }, Feed(m, E(Handover)));
        Assert.AreEqual(WanState.Stopped, m.State);
        Assert.AreEqual(0, Feed(m, E(Stop)).Count, "nothing after the handover");
    }
}
