using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Mapt.Tests.Lab;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Translator;

/// <summary>
/// A restart with mapt's own translator (issue 14): the TUN device is persistent, so its routes
/// and the flows through it outlive the process, and the next start takes it over. The
/// published binary as the CE, tayga as the BR, a TCP connection and a 100 pps UDP flow from the
/// LAN host to the IPv4 host behind the BR across 10 SIGKILL restarts.
/// </summary>
[TestClass]
public sealed class TranslatorRestartTests
{
    [TestMethod]
    public void Tun_SigkillTenTimes_TcpConnectionSurvives_UdpLossOnlyTheRestartGaps()
    {
        string work = Directory.CreateTempSubdirectory("mapt-tunrestart-").FullName;
        try
        {
            // Disposed before the directory goes: the lab kills the client and the servers that write into it.
            using var lab = new TranslatorLab(CeKind.Daemon);
            string serverFile = Path.Combine(work, "server"), clientFile = Path.Combine(work, "client");
            File.WriteAllText(Path.Combine(work, "servers.py"), RestartTests.Servers);
            File.WriteAllText(Path.Combine(work, "client.py"), RestartTests.Client);
            var up = new ManualResetEventSlim();
            lab.Internet.Start("python3", new[] { Path.Combine(work, "servers.py"), serverFile, TranslatorLab.Inet }, onStdout: l => { if (l == "listening") up.Set(); });
            Assert.IsTrue(up.Wait(10_000), "the servers did not start");
            var connected = new ManualResetEventSlim();
            lab.Lan.Start("python3", new[] { Path.Combine(work, "client.py"), clientFile, TranslatorLab.Inet, TranslatorLab.LanHost }, onStdout: l => { if (l == "connected") connected.Set(); });
            Assert.IsTrue(connected.Wait(10_000), "the client did not connect through MAP-T");
            Eventually.Until(() => int.Parse(RestartTests.Read(clientFile)[0]) >= 5, TimeSpan.FromSeconds(10), "TCP echoes flowing");

            var gaps = new List<long>();
            for (int restart = 1; restart <= 10; restart++)
            {
                int before = int.Parse(RestartTests.Read(clientFile)[0]);
                gaps.Add(lab.Kill9AndRestartDaemon());
                Eventually.Until(() => int.Parse(RestartTests.Read(clientFile)[0]) >= before + 3, TimeSpan.FromSeconds(15), "TCP echoes after restart " + restart);
                Assert.AreEqual("-", RestartTests.Read(clientFile)[1], "restart " + restart + ": the TCP connection failed");
            }
            StringAssert.Contains(lab.DaemonOutput, "taken over in");
            Thread.Sleep(500);
            string[] sent = RestartTests.Read(clientFile);
            Eventually.Until(() => int.Parse(RestartTests.Read(serverFile)[1]) + 1 >= int.Parse(sent[2]) - 10, TimeSpan.FromSeconds(5), "the server caught up");
            string[] server = RestartTests.Read(serverFile);
            long lost = int.Parse(server[1]) + 1 - int.Parse(server[0]);
            // Lost: what arrived while no process held the TUN device, about 100 per second of gap.
            long gapMs = gaps.Sum();
            Console.WriteLine($"tun restarts: gaps kill -9 -> Up {string.Join(", ", gaps)} ms (sum {gapMs}); UDP lost {lost} of {int.Parse(server[1]) + 1}");
            Assert.IsTrue(lost <= gapMs / 10 + 20, $"UDP lost {lost}, more than the restart gaps explain ({gapMs} ms at 100 pps)");
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }
}
