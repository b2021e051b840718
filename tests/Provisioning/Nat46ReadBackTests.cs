using Mapt.Apply;
using Mapt.Provisioning;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Provisioning;

[TestClass]
public sealed class Nat46ReadBackTests
{
    [TestMethod]
    public void Configurator_FakeModule_EveryStepReadsBackAsMeant()
    {
        Plan plan = Samples.PlanOf(Samples.Shared(Samples.Fmr1, Samples.Fmr2));
        var fake = new FakeNat46();
        var configurator = new Nat46Configurator(fake, NullLogger.Instance);
        configurator.Run(plan.Nat46Setup);
        Assert.AreEqual(4, fake.Writes.Count);
        string text = fake.Read();
        StringAssert.StartsWith(text, "add map-mapt\ninsert map-mapt local.v4 0.0.0.0/0 local.v6 ::/0 local.style NONE");
        configurator.Run(plan.Nat46Teardown);
        Assert.AreEqual("", fake.Read());
    }

    [DataRow(FakeNat46.Quirk.IgnoreInsert, "has 1 rule pair(s), meant 2")]
    [DataRow(FakeNat46.Quirk.DropPsidOffset, "pair 0: meant 'local.v4 192.0.2.0/24 local.v6 2001:db8::/40 local.style MAP local.ea-len 16 local.psid-offset 6")]
    [TestMethod]
    public void Configurator_ModuleAnswersDifferently_MismatchWithBothTexts(FakeNat46.Quirk quirk, string difference)
    {
        Plan plan = Samples.PlanOf(Samples.Shared(Samples.Fmr1, Samples.Fmr2));
        var fake = new FakeNat46(quirk);
        var configurator = new Nat46Configurator(fake, NullLogger.Instance);
        var e = Assert.ThrowsExactly<ApplyException>(() => configurator.Run(plan.Nat46Setup));
        StringAssert.Contains(e.Message, difference);
        StringAssert.Contains(e.Message, "meant: [");
        StringAssert.Contains(e.Message, "read back: add map-mapt");
    }

    [TestMethod]
    public void Configurator_DeviceDebugLevel_NotCompared()
    {
        Plan plan = Samples.PlanOf(Samples.Shared());
        var fake = new FakeNat46(FakeNat46.Quirk.DebugLevel7);
        // After "add" the pair is all zero and short enough for " debug N" to fit in 199 characters.
        new Nat46Configurator(fake, NullLogger.Instance).Run(plan.Nat46Setup[0]);
        StringAssert.Contains(fake.Read(), "remote.psid-offset 0 debug 7\n");
    }

    [TestMethod]
    public void Matches_UsualBmrDmrPair_IsAlreadyCut()
    {
        // The usual CE pair is longer than the module's buffer: its tail never comes back.
        Plan plan = Samples.PlanOf(Samples.Shared());
        Nat46Pair pair = plan.Nat46Setup[1].ExpectedPairs![0];
        Assert.IsTrue(pair.ReadBackText().Length > 199);
        var fake = new FakeNat46();
        new Nat46Configurator(fake, NullLogger.Instance).Run(plan.Nat46Setup);
        StringAssert.EndsWith(fake.Read(), " remote.psid-offs\n\n");
    }

    [TestMethod]
    public void Matches_PairLongerThan199_ComparesWhatFits()
    {
        var rule = new Nat46Rule("192.0.2.0", 24, "2001:db8:1234:5678:9abc:def0:1234:5600", 120, 16, 6, 8);
        var pair = new Nat46Pair(Nat46Side.Map(rule), Nat46Side.Rfc6052("2001:db8:ffff:ffff:ffff:ffff::/96"));
        string full = pair.ReadBackText() + " debug 0";
        Assert.IsTrue(full.Length > 199, "the sample must be longer than the module's buffer");
        Assert.IsTrue(Nat46ReadBack.Matches(pair, full.Substring(0, 199)));
        Assert.IsFalse(Nat46ReadBack.Matches(pair, full.Substring(0, 198)), "a shorter cut is not what the module prints");
        string altered = full.Substring(0, 100) + "X" + full.Substring(101, 98);
        Assert.IsFalse(Nat46ReadBack.Matches(pair, altered));

        // The fake module cuts too, and the configurator accepts the cut text.
        var input = Samples.Shared() with { Bmr = rule, Dmr = Samples.Prefix6("2001:db8:ffff:ffff:ffff:ffff::/96") };
        var fake = new FakeNat46();
        new Nat46Configurator(fake, NullLogger.Instance).Run(Samples.PlanOf(input).Nat46Setup);
    }

    [TestMethod]
    public void Compare_DeviceStillListedAfterDel_Mismatch()
    {
        string text = "add map-mapt\nconfig map-mapt local.v4 0.0.0.0/0 local.v6 ::/0 local.style NONE local.ea-len 0 local.psid-offset 0 remote.v4 0.0.0.0/0 remote.v6 ::/0 remote.style NONE remote.ea-len 0 remote.psid-offset 0 debug 0\n\n";
        Assert.AreEqual("device map-mapt is still listed with 1 rule pair(s)", Nat46ReadBack.Compare(text, "map-mapt", null));
        Assert.IsNull(Nat46ReadBack.Compare(text, "other", null));
        Assert.IsNull(Nat46ReadBack.Compare(text, "map-mapt", new[] { Nat46Pair.Empty }));
    }
}
