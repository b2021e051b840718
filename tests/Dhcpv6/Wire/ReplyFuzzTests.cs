using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Dhcpv6.Wire;

[TestClass]
public sealed class ReplyFuzzTests
{
    /// <summary>The normal suite's share: 100,000 mutated Kea Replies.</summary>
    [TestMethod]
    public void Parse_100kMutatedKeaReplies_NoExceptionNoRfcBreakingContainer() => Fuzz(100_000, 1);

    /// <summary>The full run (./build.sh bench, tests/bench/dhcpv6.bench.sh): 1,000,000 messages.</summary>
    [TestMethod]
    [TestCategory("Bench")]
    public void Parse_1MMutatedKeaReplies_NoExceptionNoRfcBreakingContainer() => Fuzz(1_000_000, 7);

    /// <summary>The oracle is not a rubber stamp: it names what a wrongly accepted container breaks.</summary>
    [TestMethod]
    [DataRow("005f0026" + "00590015" + "003118c0000200" + "2820010db800" + "005d000406083400" + "005b0009" + "4020010db8ffff0000", "ea-len > 48")]
    [DataRow("005f0026" + "00590015" + "001018c0000200" + "2820010db800" + "005d0004060b3400" + "005b0009" + "4020010db8ffff0000", "a + k > 16")]
    [DataRow("005f0019" + "00590015" + "001018c0000200" + "2820010db800" + "005d000406083400", "0 S46_DMR")]
    public void Oracle_RfcBreakingContainer_Named(string hex, string expected)
    {
        var accepted = new Mapt.Dhcpv6.Wire.S46MaptContainer(new[] { S46Hex.Rule("2001:db8::/40", "192.0.2.0/24", 16, false, (6, 8, 0x34)) }, S46Hex.Dmr("2001:db8:ffff::/64"));
        Assert.AreEqual(expected, Rfc7598Oracle.Check(System.Convert.FromHexString(hex), accepted));
    }

    private static void Fuzz(int count, int seed)
    {
        var fuzzer = new ReplyFuzzer(seed);
        fuzzer.Run(count);
        System.Console.WriteLine($"BENCH fuzz messages={fuzzer.Count} parsed={fuzzer.Parsed} containers={fuzzer.ContainersAccepted} seconds={fuzzer.Seconds:F3} rate={fuzzer.Count / fuzzer.Seconds:F0}");
        Assert.AreEqual(count, fuzzer.Count);
        Assert.AreEqual(0, fuzzer.Exceptions, fuzzer.FirstFailure);
        Assert.AreEqual(0, fuzzer.RfcBreakingAccepted, fuzzer.FirstFailure);
        // The mutations must reach deep: many parse, and many containers survive and are checked.
        Assert.IsTrue(fuzzer.Parsed > count / 20, "parsed " + fuzzer.Parsed);
        Assert.IsTrue(fuzzer.ContainersAccepted > count / 50, "containers " + fuzzer.ContainersAccepted);
    }
}
