using Mapt.Apply;
using Mapt.Provisioning;
using Mapt.Tests.Provisioning;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Apply;

[TestClass]
public sealed class Nat46ConfiguratorTests
{
    [TestMethod]
    public void Ensure_SamePlanTwice_SecondWritesNothing()
    {
        Plan plan = Samples.PlanOf(Samples.Shared(Samples.Fmr1, Samples.Fmr2));
        var fake = new FakeNat46();
        var nat46 = new Nat46Configurator(fake, NullLogger.Instance);
        Assert.IsTrue(nat46.Ensure(plan.Nat46Setup));
        Assert.AreEqual(4, fake.Writes.Count);
        Assert.IsFalse(nat46.Ensure(plan.Nat46Setup));
        Assert.AreEqual(4, fake.Writes.Count, "re-applying the same plan must not touch nat46");
    }

    [TestMethod]
    public void Ensure_DeviceHoldsAnotherPlan_DeletedThenSetUp()
    {
        var fake = new FakeNat46();
        var nat46 = new Nat46Configurator(fake, NullLogger.Instance);
        nat46.Ensure(Samples.PlanOf(Samples.Shared(Samples.Fmr1)).Nat46Setup);
        Plan other = Samples.PlanOf(Samples.OneToOne());
        Assert.IsTrue(nat46.Ensure(other.Nat46Setup));
        CollectionAssert.AreEqual(new[] { "del map-mapt", "add map-mapt" }, fake.Writes.GetRange(3, 2));
        Assert.IsNull(Nat46ReadBack.Compare(fake.Read(), "map-mapt", other.Nat46Setup[^1].ExpectedPairs));
    }

    [TestMethod]
    public void Ensure_OnlyTheBmrAndDmrChanged_OneConfigEditsTheLastPairInPlace()
    {
        var fake = new FakeNat46();
        var nat46 = new Nat46Configurator(fake, NullLogger.Instance);
        nat46.Ensure(Samples.PlanOf(Samples.Shared(Samples.Fmr1, Samples.Fmr2)).Nat46Setup);
        int before = fake.Writes.Count;
        // The ISP moved the BR (another DMR) and renumbered the BMR; the FMRs stay.
        PlanInput moved = Samples.Shared(Samples.Fmr1, Samples.Fmr2) with
        {
            Bmr = new Nat46Rule("192.0.2.0", 24, "2001:db8:40::", 42, 14, 6, 6),
            Dmr = Samples.Prefix6("2001:db8:fffe::/64"),
        };
        Plan other = Samples.PlanOf(moved);
        Assert.IsTrue(nat46.Ensure(other.Nat46Setup));
        Assert.AreEqual(1, fake.Writes.Count - before, string.Join("\n", fake.Writes));
        StringAssert.StartsWith(fake.Writes[^1], "config map-mapt ");
        Assert.IsNull(Nat46ReadBack.Compare(fake.Read(), "map-mapt", other.Nat46Setup[^1].ExpectedPairs), fake.Read());
    }

    [TestMethod]
    public void Ensure_SamePairsForANewPrefix_NothingWritten()
    {
        var fake = new FakeNat46();
        var nat46 = new Nat46Configurator(fake, NullLogger.Instance);
        nat46.Ensure(Samples.PlanOf(Samples.Shared(Samples.Fmr1)).Nat46Setup);
        int before = fake.Writes.Count;
        // Another End-user prefix under the same rule: another IPv4/PSID, the same nat46 pairs.
        PlanInput renumbered = Samples.Shared(Samples.Fmr1) with { Ipv4Address = Samples.Address4("192.0.2.19"), MapIpv6Address = Samples.Address6("2001:db8:13:3400:0:c000:213:34") };
        Assert.IsFalse(nat46.Ensure(Samples.PlanOf(renumbered).Nat46Setup));
        Assert.AreEqual(before, fake.Writes.Count);
    }
}
