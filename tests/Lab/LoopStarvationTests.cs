using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Lab;

/// <summary>
/// One busy descriptor cannot starve the single-threaded loop (issue 13, point 4): the published
/// binary with its own translator (--translator tun), a flood of datagrams at the MAP address
/// (into the TUN device) and one of bogus DHCPv6 at UDP 546, both from the access link.
/// </summary>
[TestClass]
public sealed class LoopStarvationTests
{
    /// <summary>Floods until killed: bogus "Replies" from port 547 to the gateway's port 546, and UDP to the MAP address.</summary>
    private const string Flooder = @"
import socket, sys
gw, mapaddr, src = sys.argv[1], sys.argv[2], sys.argv[3]
# From port 547 (what the client listens for) of an address Kea does not hold.
d = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); d.bind((src, 547))
t = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
scope = socket.if_nametoindex('isp0')
junk = b'\x07\x12\x34\x56' + b'\x00\x99\x00\x04abcd' * 20
print('flooding', flush=True)
while True:
    for i in range(50):
        d.sendto(junk, (gw, 546, 0, scope))
        t.sendto(b'x' * 64, (mapaddr, 5000 + i))
";

    private static DateTime TimeOf(string line) =>
        DateTime.Parse(line.Substring(0, 24), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    [TestMethod]
    public void UnderTunAndDhcpFloods_RenewAtT1Within1s_SigtermCleanWithin2s()
    {
        using GatewayLab lab = GatewayLab.Start(GatewayLab.Example1(t1: 10, t2: 16, preferred: 40, valid: 60));
        lab.StartMapt(null, "--translator", "tun", "--map-dev", "mapt0", "--log-level", "debug");
        lab.WaitState("Up");
        string gwLinkLocal = lab.Gw.Sh("ip -6 -o addr show dev wan0 scope link").Split(' ', StringSplitOptions.RemoveEmptyEntries)[3].Split('/')[0];
        const string mapAddress = "2001:db8:12:3400:0:c000:212:34";
        lab.Isp.Sh($"ip -6 route add 2001:db8:12:3400::/56 via {gwLinkLocal} dev isp0");
        File.WriteAllText(Path.Combine(lab.Work, "flood.py"), Flooder);
        var flooding = new ManualResetEventSlim();
        lab.Isp.Sh("ip addr add 2001:db8:1::98/64 dev isp0 nodad && ip addr add 2001:db8:1::99/64 dev isp0 nodad");
        int started = 0;
        foreach (string source in new[] { "2001:db8:1::98", "2001:db8:1::99" })
            lab.Isp.Start("python3", new[] { Path.Combine(lab.Work, "flood.py"), gwLinkLocal, mapAddress, source }, onStdout: l => { if (l == "flooding" && Interlocked.Increment(ref started) == 2) flooding.Set(); });
        Assert.IsTrue(flooding.Wait(10_000), "the flooders did not start");
        // Both floods reach mapt: the TUN handler and the DHCPv6 handler are busy.
        Eventually.Until(() => lab.Gw.Sh("ip -s link show mapt0").Contains("RX:"), TimeSpan.FromSeconds(5), "packets into the TUN device");

        // The Renew at T1 (10 s after the lease was granted) goes out within 1 s of it.
        string acquired = lab.Output.Split('\n').First(l => l.Contains(" 306 ") && l.Contains("acquired"));
        Eventually.Until(() => lab.Output.Contains("sent Renew", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "a Renew under the floods\n" + lab.Output[^Math.Min(3000, lab.Output.Length)..]);
        string renew = lab.Output.Split('\n').First(l => l.Contains("sent Renew", StringComparison.Ordinal));
        double late = (TimeOf(renew) - TimeOf(acquired)).TotalSeconds - 10;
        Assert.IsTrue(late < 1.0, $"the Renew went out {late:0.000} s after T1 ({acquired} / {renew})");

        // SIGTERM under the same floods: an orderly stop, within 2 s.
        var sw = Stopwatch.StartNew();
        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit(10));
        Assert.IsTrue(sw.Elapsed < TimeSpan.FromSeconds(2), $"SIGTERM -> exit took {sw.ElapsedMilliseconds} ms");
        Assert.AreNotEqual(0, lab.Gw.Try("ip link show mapt0").ExitCode, "the TUN device is gone after the orderly stop");
        StringAssert.DoesNotMatch(lab.Gw.Sh("iptables-save"), new System.Text.RegularExpressions.Regex("MAPT_"));
    }
}
