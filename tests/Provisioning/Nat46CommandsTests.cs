using System;
using System.Collections.Generic;
using Mapt.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Provisioning;

[TestClass]
public sealed class Nat46CommandsTests
{
    private const string BmrConfig =
        "config map-mapt local.style MAP local.v4 192.0.2.0/24 local.v6 2001:db8::/40 local.ea-len 16 local.psid-offset 6 " +
        "remote.v4 0.0.0.0/0 remote.v6 2001:db8:ffff::/64 remote.style RFC6052 remote.ea-len 0 remote.psid-offset 0";

    private static List<string> Commands(IReadOnlyList<Nat46Step> steps) => Samples.Each(steps, s => s.Command);

    [TestMethod]
    public void Setup_BmrOnly_AddThenConfig()
    {
        Plan plan = Samples.PlanOf(Samples.Shared());
        CollectionAssert.AreEqual(new[] { "add map-mapt", BmrConfig }, Commands(plan.Nat46Setup));
        CollectionAssert.AreEqual(new[] { "del map-mapt" }, Commands(plan.Nat46Teardown));
    }

    [TestMethod]
    public void Setup_BmrAndTwoFmrs_InsertsLeastSpecificFirst()
    {
        // Fmr2 is a /26, Fmr1 a /24: the /24 goes in first so the /26 ends at the head.
        Plan plan = Samples.PlanOf(Samples.Shared(Samples.Fmr2, Samples.Fmr1));
        CollectionAssert.AreEqual(new[]
        {
            "add map-mapt",
            BmrConfig,
            "insert map-mapt remote.style MAP remote.v4 198.51.100.0/24 remote.v6 2001:db8:100::/40 remote.ea-len 16 remote.psid-offset 6",
            "insert map-mapt remote.style MAP remote.v4 203.0.113.0/26 remote.v6 2001:db8:200::/40 remote.ea-len 14 remote.psid-offset 6",
        }, Commands(plan.Nat46Setup));
        IReadOnlyList<Nat46Pair> last = plan.Nat46Setup[^1].ExpectedPairs!;
        Assert.AreEqual(3, last.Count);
        Assert.AreEqual("203.0.113.0/26", last[0].Remote.V4);
        Assert.AreEqual("198.51.100.0/24", last[1].Remote.V4);
        Assert.AreEqual("RFC6052", last[2].Remote.Style);
    }

    [TestMethod]
    public void Setup_OneToOne_SameShapeWithItsEaLength()
    {
        Plan plan = Samples.PlanOf(Samples.OneToOne());
        CollectionAssert.AreEqual(new[]
        {
            "add map-mapt",
            "config map-mapt local.style MAP local.v4 192.0.2.0/24 local.v6 2001:db8::/40 local.ea-len 8 local.psid-offset 6 " +
            "remote.v4 0.0.0.0/0 remote.v6 2001:db8:ffff::/64 remote.style RFC6052 remote.ea-len 0 remote.psid-offset 0",
        }, Commands(plan.Nat46Setup));
    }

    [TestMethod]
    public void EveryCommand_ParsesWithTheGrammar_OneCommandPerWrite()
    {
        foreach (PlanInput input in new[] { Samples.Shared(), Samples.Shared(Samples.Fmr1, Samples.Fmr2), Samples.OneToOne() })
        {
            Plan plan = Samples.PlanOf(input);
            var all = new List<Nat46Step>(plan.Nat46Setup);
            all.AddRange(plan.Nat46Teardown);
            foreach (Nat46Step step in all)
            {
                Assert.IsFalse(step.Command.Contains('\n'), "one command per write");
                Nat46Grammar.Command parsed = Nat46Grammar.Parse(step.Command);
                Assert.AreEqual("map-mapt", parsed.Device);
            }
        }
    }

    [TestMethod]
    public void Grammar_RejectsWhatTheModuleWouldHalfApply()
    {
        Assert.ThrowsExactly<FormatException>(() => Nat46Grammar.Parse("config m local.style MAPT local.v4 192.0.2.0/24"));
        Assert.ThrowsExactly<FormatException>(() => Nat46Grammar.Parse("config m local.v4 192.0.2.0/33"));
        Assert.ThrowsExactly<FormatException>(() => Nat46Grammar.Parse("config m local.prefix 192.0.2.0/24"));
        Assert.ThrowsExactly<FormatException>(() => Nat46Grammar.Parse("add m config m local.ea-len 16"));
    }

    [DataRow(24, 4, 0, "delegates an IPv4 prefix")]      // o + r = 28 < 32
    [DataRow(32, 0, 8, "EA-bits length 0 with an explicit PSID")] // RFC 7599 A ex. 5
    [TestMethod]
    public void TryCreate_WhatNat46CannotDo_RefusedWithReason(int r, int o, int k, string reason)
    {
        var bmr = new Nat46Rule(r == 32 ? "192.0.2.18" : "192.0.2.0", r, "2001:db8:12:3400::", 56, o, 6, k);
        var input = new PlanInput(Samples.Address4("192.0.2.18"), k > 0 ? Samples.Ex1Ports() : Array.Empty<PortSpan>(), Samples.Address6("2001:db8:12:3400:0:c000:212:34"),
            bmr, Samples.Dmr64, Array.Empty<Nat46Rule>());
        Assert.IsFalse(Plan.TryCreate(input, new PlanSettings(), out Plan? plan, out string error));
        Assert.IsNull(plan);
        StringAssert.Contains(error, reason);
        StringAssert.Contains(error, "nothing applied");
    }

    [TestMethod]
    public void TryCreate_FmrDelegatingPrefix_Refused()
    {
        var fmr = new Nat46Rule("198.51.100.0", 24, "2001:db8:100::", 40, 6, 6, 0);
        Assert.IsFalse(Plan.TryCreate(Samples.Shared(fmr), new PlanSettings(), out _, out string error));
        StringAssert.StartsWith(error, "FMR 2001:db8:100::/40 198.51.100.0/24");
    }

    [DataRow(30)]
    [DataRow(0)]
    [TestMethod]
    public void TryCreate_NonRfc6052Dmr_Refused(int length)
    {
        PlanInput input = Samples.Shared() with { Dmr = Mapt.Net.Ipv6Prefix.Masked(Samples.Dmr64.Address, length) };
        Assert.IsFalse(Plan.TryCreate(input, new PlanSettings(), out _, out string error));
        StringAssert.Contains(error, "RFC 6052");
    }
}
