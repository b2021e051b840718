using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mapt.Dhcpv6;

namespace Mapt.Tests.Dhcpv6;

[TestClass]
public sealed class TransmissionTests
{
    // Draws near zero are the ones that matter: with a whole-millisecond RT they used to round
    // down to exactly IRT. Ten thousand seeds reach them many times over.
    [TestMethod]
    public void FirstSolicitRt_AboveIrtForEveryDraw()
    {
        var solicit = new RetransmissionParameters("Solicit", 0, 1000, 3600_000, 0, 0);
        long lowest = long.MaxValue, highest = 0;
        for (int seed = 0; seed < 10_000; seed++)
        {
            var tx = new Transmission(solicit, new Random(seed), 0, 0, skipInitialDelay: true);
            Assert.IsTrue(tx.TrySend(0, firstRtAboveIrt: true));
            Assert.IsTrue(tx.NextSendMs is > 1000 and <= 1100, $"seed {seed}: first RT {tx.NextSendMs} ms");
            lowest = Math.Min(lowest, tx.NextSendMs);
            highest = Math.Max(highest, tx.NextSendMs);
        }
        // The whole RAND range is drawn, not only its middle.
        Assert.IsTrue(lowest <= 1002 && highest >= 1098, $"first RTs {lowest}..{highest} ms");
    }

    [TestMethod]
    public void FirstRequestRt_SpreadsBothSidesOfIrt()
    {
        var request = new RetransmissionParameters("Request", 0, 1000, 30_000, 10, 0);
        bool below = false, above = false;
        for (int seed = 0; seed < 1000; seed++)
        {
            var tx = new Transmission(request, new Random(seed), 0, 0, skipInitialDelay: true);
            Assert.IsTrue(tx.TrySend(0, firstRtAboveIrt: false));
            Assert.IsTrue(tx.NextSendMs is >= 900 and <= 1100, tx.NextSendMs.ToString());
            below |= tx.NextSendMs < 1000;
            above |= tx.NextSendMs > 1000;
        }
        Assert.IsTrue(below && above);
    }
}
