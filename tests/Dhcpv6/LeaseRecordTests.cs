using System;
using Mapt.Dhcpv6;
using Mapt.Dhcpv6.Wire;
using Mapt.Net;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Dhcpv6;

[TestClass]
public sealed class LeaseRecordTests
{
    /// <summary>The option 95 Kea sent for RFC 7599 example 1 with an FMR flag (mapt-reference section 3).</summary>
    private const string Option95 = "005f002600590015011018c00002002820010db801005d000406083400005b00094020010db8ffff0000";

    private static LeaseRecord Sample(string bootId = "boot-a", long bootTimeMs = 50_000, long obtained = 1_800_000_000) => new()
    {
        BootId = bootId,
        BootTimeMs = bootTimeMs,
        ObtainedUnix = obtained,
        ServerId = Convert.FromHexString("000100012f3a4b5c0a0b0c0d0e0f"),
        ServerAddress = Ipv6Address.TryParse("fe80::1", out Ipv6Address s) ? s : default,
        IaId = 1,
        T1 = 1000,
        T2 = 2000,
        Prefixes = new[] { new DelegatedPrefix(new Ipv6Address(0x20010db800123400, 0).Value, 56, 3000, 4000) },
        S46 = new[] { Convert.FromHexString(Option95) },
    };

    [TestMethod]
    public void Format_ThenParse_TheSameLease_MapTDecodedAgain()
    {
        LeaseRecord back = LeaseRecord.Parse(Sample().Format(), out string error) ?? throw new AssertFailedException(error);
        Assert.AreEqual(Sample().Format(), back.Format());
        Lease lease = back.ToLease(nowMs: 100_000, ageMs: 10_000, out string problem) ?? throw new AssertFailedException(problem);
        Assert.AreEqual("2001:db8:12:3400::/56", lease.EndUserPrefix.ToString());
        Assert.AreEqual(90_000, lease.AcquiredAtMs);
        Assert.AreEqual(90_000 + 4_000_000, lease.ExpiresAtMs);
        Assert.IsNotNull(lease.Mapt);
        Assert.IsTrue(lease.Mapt!.Rules.Rules[0].IsFmr, "the container as received, F flag kept");
        Assert.AreEqual("2001:db8:ffff::/64", lease.Mapt.Dmr.ToString());
    }

    [TestMethod]
    public void AgeMs_SameBootByBootTime_AnotherByWallClock_UnknownWhenTheClockIsBehind()
    {
        LeaseRecord r = Sample();
        Assert.AreEqual(7_000, r.AgeMs("boot-a", 57_000, nowUnix: 1_700_000_000), "same boot: CLOCK_BOOTTIME, whatever NTP did to the wall clock");
        Assert.AreEqual(60_000, r.AgeMs("boot-b", 3_000, nowUnix: 1_800_000_060), "after a reboot: the wall clock");
        Assert.IsNull(r.AgeMs("boot-b", 3_000, nowUnix: 1_600_000_000), "a gateway without RTC before NTP: unknown");
    }

    [TestMethod]
    [DataRow("mapt-lease 2\nend\n", "another format")]
    [DataRow("not a lease\n", "line 1: not a stored lease")]
    [DataRow("mapt-lease 1\nserver-id 0001\nt1 x\nend\n", "line 3")]
    [DataRow("mapt-lease 1\nserver-id 0001\nprefix 2001:db8::/56 10\nend\n", "line 3")]
    [DataRow("mapt-lease 1\nserver-id 0001\ns46 zz\nend\n", "line 3")]
    [DataRow("mapt-lease 1\nserver-id 0001\n", "cut short")]
    public void Parse_NotWhatMaptWrites_RefusedNamingTheLine(string text, string why)
    {
        Assert.IsNull(LeaseRecord.Parse(text, out string error));
        StringAssert.Contains(error, why);
    }

    [TestMethod]
    public void ToLease_StoredMapTNoLongerPassesTheChecks_Refused()
    {
        LeaseRecord r = Sample();
        byte[] bad = Convert.FromHexString(Option95);
        bad[9] = 49; // ea-len 49
        LeaseRecord broken = new() { BootId = r.BootId, ServerId = r.ServerId, Prefixes = r.Prefixes, S46 = new[] { bad } };
        Assert.IsNull(broken.ToLease(0, 0, out string problem));
        StringAssert.Contains(problem, "stored MAP-T container");
    }
}
