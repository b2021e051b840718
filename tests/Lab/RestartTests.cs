using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Lab;

/// <summary>
/// A restart of mapt that finds its own configuration in place and its lease valid takes it
/// over as it is (issue 14): the published binary in the gateway lab, the kernel datapath
/// (--translator none, the lab's veth standing in for nat46), Kea as the server.
/// </summary>
[TestClass]
public sealed class RestartTests
{
    /// <summary>A TCP echo server and a UDP counter on the given address (argv: file, address).</summary>
    internal const string Servers = @"
import socket, sys, threading, time
tcp = socket.socket(); tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); tcp.bind((sys.argv[2], 7000)); tcp.listen(4)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); udp.bind((sys.argv[2], 7001))
got = set()
def echo(c):
    while True:
        d = c.recv(4096)
        if not d: return
        c.sendall(d)
def accept():
    while True:
        c, _ = tcp.accept(); threading.Thread(target=echo, args=(c,), daemon=True).start()
threading.Thread(target=accept, daemon=True).start()
def report():
    while True:
        time.sleep(0.2)
        with open(sys.argv[1] + '.tmp', 'w') as f: f.write('%d %d\n' % (len(got), max(got) if got else -1))
        import os; os.replace(sys.argv[1] + '.tmp', sys.argv[1])
threading.Thread(target=report, daemon=True).start()
print('listening', flush=True)
while True:
    d, _ = udp.recvfrom(64); got.add(int(d))
";

    /// <summary>
    /// From the LAN host: one long-lived TCP connection that sends a numbered line every 100 ms
    /// and checks its echo, and a UDP flow of 100 datagrams a second, numbered. Writes
    /// "tcp-ok-count tcp-error udp-sent" to its file (argv: file, server, own address).
    /// </summary>
    internal const string Client = @"
import socket, sys, time, os
out = sys.argv[1]
t = socket.create_connection((sys.argv[2], 7000)); t.settimeout(5)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind((sys.argv[3], 42100))
ok = 0; err = '-'; sent = 0; next_tcp = time.time()
print('connected', flush=True)
while True:
    u.sendto(b'%d' % sent, (sys.argv[2], 7001)); sent += 1
    if time.time() >= next_tcp and err == '-':
        next_tcp += 0.1
        try:
            t.sendall(b'%d\n' % ok)
            want = b'%d\n' % ok; got = b''
            while len(got) < len(want):
                d = t.recv(64)
                if not d: raise Exception('closed by peer')
                got += d
            if got != want: raise Exception('echo mismatch')
            ok += 1
        except Exception as e:
            err = str(e).replace(' ', '_') or type(e).__name__
    with open(out + '.tmp', 'w') as f: f.write('%d %s %d\n' % (ok, err, sent))
    os.replace(out + '.tmp', out)
    time.sleep(0.01)
";

    private static string ConntrackOfMap(GatewayLab lab) =>
        string.Join("\n", lab.Gw.Try("conntrack -L 2>/dev/null").Stdout.Split('\n')
            .Where(l => l.Contains("dst=192.0.2.18 ", StringComparison.Ordinal))
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Contains('=') && !w.StartsWith("id=") && !w.StartsWith("mark=")
                && !w.StartsWith("use=") && !w.StartsWith("zone="))))
            .OrderBy(l => l, StringComparer.Ordinal));

    internal static string[] Read(string file) =>
        File.Exists(file) ? File.ReadAllText(file).Trim().Split(' ') : Array.Empty<string>();

    [TestMethod]
    public void SigkillTenTimes_TcpConnectionSurvives_ConntrackKept_NoUdpLost()
    {
        using GatewayLab lab = GatewayLab.Start();
        lab.StartMapt();
        lab.WaitState("Up");
        string serverFile = Path.Combine(lab.Work, "server"), clientFile = Path.Combine(lab.Work, "client");
        File.WriteAllText(Path.Combine(lab.Work, "servers.py"), Servers);
        File.WriteAllText(Path.Combine(lab.Work, "client.py"), Client);
        var serverUp = new ManualResetEventSlim();
        lab.Inet.Start("python3", new[] { Path.Combine(lab.Work, "servers.py"), serverFile, "198.51.100.10" }, onStdout: l => { if (l == "listening") serverUp.Set(); });
        Assert.IsTrue(serverUp.Wait(10_000), "the servers did not start");
        var connected = new ManualResetEventSlim();
        lab.Lan.Start("python3", new[] { Path.Combine(lab.Work, "client.py"), clientFile, "198.51.100.10", "198.51.100.130" }, onStdout: l => { if (l == "connected") connected.Set(); });
        Assert.IsTrue(connected.Wait(10_000), "the client did not connect through MAP-T");
        Eventually.Until(() => Read(clientFile).Length == 3 && int.Parse(Read(clientFile)[0]) >= 5, TimeSpan.FromSeconds(10), "TCP echoes flowing");
        string conntrack = ConntrackOfMap(lab);
        StringAssert.Contains(conntrack, "dport=7000", "the TCP connection is NATed to the MAP address");

        for (int restart = 1; restart <= 10; restart++)
        {
            int before = int.Parse(Read(clientFile)[0]);
            lab.Kill9();
            Assert.IsTrue(lab.JournalExists, "kill -9 leaves the journal in the run directory");
            lab.StartMapt();
            lab.WaitState("Up");
            Eventually.Until(() => int.Parse(Read(clientFile)[0]) >= before + 5, TimeSpan.FromSeconds(10), "TCP echoes after restart " + restart);
            string[] client = Read(clientFile);
            Assert.AreEqual("-", client[1], "restart " + restart + ": the TCP connection failed: " + client[1]);
            Assert.AreEqual(conntrack, ConntrackOfMap(lab), "restart " + restart + ": conntrack for the MAP address changed");
        }
        StringAssert.Contains(lab.Output, "taken over in");
        Assert.IsFalse(lab.Output.Contains("MAP-T torn down", StringComparison.Ordinal), "no teardown on a restart that adopts:\n" + lab.Output);

        // Every datagram sent was received: the kernel datapath never stopped.
        Thread.Sleep(500);
        string[] sentNow = Read(clientFile);
        Eventually.Until(() => int.Parse(Read(serverFile)[1]) + 1 >= int.Parse(sentNow[2]), TimeSpan.FromSeconds(5), "the server saw the datagrams sent so far");
        string[] server = Read(serverFile);
        Assert.AreEqual(int.Parse(server[1]) + 1, int.Parse(server[0]), $"UDP datagrams lost across 10 restarts: received {server[0]} of {int.Parse(server[1]) + 1}");
    }

    [TestMethod]
    public void RestartWithTheChainEditedBehindItsBack_RepairedWithoutTeardown()
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        lab.StartMapt();
        lab.WaitState("Up");
        string planned = lab.Snapshot();
        lab.UdpFlows(42001, 42002);
        lab.Kill9();
        lab.Gw.Sh("iptables -t nat -D MAPT_POSTROUTING -j SNAT --to-source 192.0.2.18 && ip route del default dev map0");
        int flows = lab.ConntrackNatTo("192.0.2.18");
        string before = lab.Gw.Sh("conntrack -L 2>&1");
        lab.StartMapt();
        lab.WaitState("Up");
        StringAssert.Contains(lab.Output, "difference(s) from its plan");
        StringAssert.Contains(lab.Output, "nat chain MAPT_POSTROUTING has");
        Assert.AreEqual(planned.Split("# conntrack")[0], lab.Snapshot().Split("# conntrack")[0], "the plan is whole again");
        Assert.AreEqual(flows, lab.ConntrackNatTo("192.0.2.18"), "a repair keeps the flows\nbefore:\n" + before + "after:\n" + lab.Gw.Sh("conntrack -L 2>&1") + "\n" + lab.Output);
        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit());
        Assert.AreEqual(clean, lab.Snapshot());
    }

    [TestMethod]
    public void RestartAfterTheLeaseExpired_UndoneThenSolicitedAfresh()
    {
        using GatewayLab lab = GatewayLab.Start(GatewayLab.Example1(t1: 1, t2: 2, preferred: 3, valid: 3));
        lab.StartMapt();
        lab.WaitState("Up");
        lab.Kill9();
        // The server is gone too, and the lease runs out while mapt is dead.
        lab.Kea.Kill();
        Thread.Sleep(3500);
        lab.StartMapt();
        lab.WaitState("Soliciting");
        StringAssert.Contains(lab.Output, "is not used: expired");
        StringAssert.Contains(lab.Output, "cannot be taken over: no valid lease is stored");
        Assert.IsFalse(lab.JournalExists, "the journal is undone and removed");
        StringAssert.DoesNotMatch(lab.Gw.Sh("iptables-save"), new System.Text.RegularExpressions.Regex("MAPT_"));
    }

    [TestMethod]
    public void SimulatedReboot_NoReplay_RebindFirst_SamePrefixUp()
    {
        string flash;
        string prefix;
        using (GatewayLab first = GatewayLab.Start())
        {
            first.StartMapt();
            first.WaitState("Up");
            prefix = first.StatusValue(StatusText.Vendor(Mapt.Status.Tr181View.Domain, "EndUserIPv6Prefix"));
            first.Kill9();
            flash = Directory.CreateTempSubdirectory("mapt-flash-").FullName;
            Proc.Sh($"cp -a '{first.Flash}/.' '{flash}/'");
        }
        try
        {
            // A fresh kernel state (new namespaces), the same flash, an empty run directory;
            // Kea keeps its leases (a server does not forget a lease when the CE reboots).
            using GatewayLab second = GatewayLab.Start();
            Proc.Sh($"cp -a '{flash}/.' '{second.Flash}/'");
            var sw = Stopwatch.StartNew();
            second.StartMapt();
            second.WaitState("Up");
            StringAssert.Contains(second.Output, "resuming the stored lease");
            StringAssert.Contains(second.Output, "with Rebind");
            Assert.IsFalse(second.Output.Contains("sent Solicit", StringComparison.Ordinal), "the first message is the Rebind of the stored lease:\n" + second.Output);
            Assert.IsFalse(second.Output.Contains("journal", StringComparison.Ordinal), "nothing replayed:\n" + second.Output);
            Assert.AreEqual(prefix, second.StatusValue(StatusText.Vendor(Mapt.Status.Tr181View.Domain, "EndUserIPv6Prefix")));
        }
        finally
        {
            Directory.Delete(flash, true);
        }
    }

    [TestMethod]
    public void FlashReadOnly_MapTComesUp_LoggingFallsBackToTheConsole()
    {
        using GatewayLab lab = GatewayLab.Start();
        Proc.Sh($"mount --bind '{lab.Flash}' '{lab.Flash}' && mount -o remount,bind,ro '{lab.Flash}'");
        try
        {
            lab.StartMapt();
            lab.WaitState("Up");
            StringAssert.Contains(lab.Output, "cannot be stored");
            Assert.IsTrue(lab.JournalExists, "the journal is in the run directory, not on flash");
            lab.Signal("TERM");
            Assert.AreEqual(0, lab.WaitExit());
        }
        finally
        {
            Proc.Run("umount", new[] { lab.Flash });
        }
    }

    [TestMethod]
    public void PlanPrintsWhatTheDaemonJournals()
    {
        using GatewayLab lab = GatewayLab.Start();
        lab.StartMapt();
        lab.WaitState("Up");
        string journal = File.ReadAllText(Path.Combine(lab.Run, "mapt.journal"));
        ProcResult plan = lab.Gw.Try($"'{GatewayLab.Binary}' plan --rule 2001:db8::/40,192.0.2.0/24,16,offset=6,psid-len=8,psid=0x34 --prefix 2001:db8:12:3400::/56 --dmr 2001:db8:ffff::/64"
            + " --wan wan0 --map-dev map0 --translator none --wan-gateway fe80::1 --json");
        Assert.AreEqual(0, plan.ExitCode, plan.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(plan.Stdout);
        // The plan lists the teardown in the order it runs: the journal lists it in apply order.
        List<string> teardown = doc.RootElement.GetProperty("teardown").EnumerateArray().Select(e => e.GetString()!).ToList();
        List<string> lines = journal.Split('\n').Where(l => Mapt.Provisioning.UndoStep.Parse(l, out _) is not null).ToList();
        // Observed values differ only where the plan cannot know them: the sysctl values before mapt.
        static string Canonical(string l) => l.StartsWith("sysctl-restore") ? string.Join(' ', l.Split(' ').Take(2)) : l;
        CollectionAssert.AreEquivalent(teardown.Select(Canonical).ToList(), lines.Select(Canonical).ToList(), journal);
    }

    [TestMethod]
    public void JournalOfANewerFormat_WhatCanBeFoundRemoved_ThenUpOnce()
    {
        using GatewayLab lab = GatewayLab.Start();
        lab.StartMapt();
        lab.WaitState("Up");
        string up = lab.Snapshot();
        lab.Kill9();
        string path = Path.Combine(lab.Run, "mapt.journal");
        File.WriteAllText(path, "mapt-journal 3\nsomething only a newer mapt knows\nend\n");
        Proc.Sh($"chmod 600 '{path}'");
        lab.StartMapt();
        lab.WaitState("Up");
        StringAssert.Contains(lab.Output, "cannot be read by this mapt (written by a newer mapt (format 3");
        Assert.AreEqual(up.Split("# conntrack")[0], lab.Snapshot().Split("# conntrack")[0], "configured once, nothing stacked");
    }

    [TestMethod]
    public void JournalOfMapt01OnFlash_UndoneWhileItsChainsAreThere_ThenUpOnce()
    {
        using GatewayLab lab = GatewayLab.Start();
        string clean = lab.Snapshot();
        lab.StartMapt();
        lab.WaitState("Up");
        string up = lab.Snapshot();
        lab.Kill9();
        // What mapt 0.1 left on flash after a crash (its chains are in this kernel); no journal of this version.
        File.Delete(Path.Combine(lab.Run, "mapt.journal"));
        File.Delete(Path.Combine(lab.Flash, "dhcpv6.lease"));
        lab.Gw.Sh("ip -6 route del 2001:db8:ffff::/64"); // the DMR route: mapt 0.1 did not add one
        string v1 = "mapt-journal 1\npid 77\nwan wan0\nmap-dev map0\ntranslator none\nmap x\nIptables\n *nat\n -X MAPT_POSTROUTING\n COMMIT\n *mangle\n -X MAPT_MSS\n COMMIT\n *filter\n -X MAPT_FORWARD\n -X MAPT_INPUT\n COMMIT\n"
            + "Ip6tables\n *filter\n -X MAPT_FORWARD\n COMMIT\nSysctl net.ipv4.ip_forward 0\nSysctl net.ipv6.conf.all.forwarding 0\nRoute4 0.0.0.0/0 map0\nRoute6 2001:db8:12:3400:0:c000:212:34/128 map0\nConntrack 192.0.2.18\nend\n";
        string legacy = Path.Combine(lab.Flash, "mapt.journal");
        File.WriteAllText(legacy, v1);
        Proc.Sh($"chmod 600 '{legacy}'");
        lab.StartMapt();
        lab.WaitState("Up");
        StringAssert.Contains(lab.Output, "is the journal of mapt 0.1");
        StringAssert.Contains(lab.Output, "undoing the");
        Assert.IsFalse(File.Exists(legacy), "removed once undone");
        Assert.AreEqual(up.Split("# conntrack")[0], lab.Snapshot().Split("# conntrack")[0], "the new run's configuration, once");
        lab.Signal("TERM");
        Assert.AreEqual(0, lab.WaitExit());
        Assert.AreEqual(clean, lab.Snapshot());
    }
}
