using System;
using System.Collections.Generic;
using System.Threading;
using Mapt.Provisioning;
using Mapt.Tests.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Apply;

/// <summary>
/// mapt's iptables rules applied by Apply's runner into a gateway namespace that already has
/// a production ruleset, on both iptables backends, with real traffic captured in the sink.
/// </summary>
[TestClass]
public sealed class DatapathLabTests
{
    private static readonly PlanSettings Settings = new(WanInterface: "wan0", MapDevice: DatapathLab.MapDevice);

    private static Plan Plan1 => Samples.PlanOf(Samples.Shared(), Settings);

    /// <summary>The neighbouring PSID 0x35: ranges 1236-1239 ... and a different MSS.</summary>
    private static Plan Plan2 => Samples.PlanOf(Samples.Shared() with { PortSet = Samples.Ex1Ports(0x35), MapIpv6Address = Samples.Address6("2001:db8:12:3500:0:c000:212:35") },
        Settings with { MssClamp = 1400 });

    private static HashSet<int> PortsOf(Plan plan)
    {
        var ports = new HashSet<int>();
        foreach (PortSpan span in plan.Input.PortSet)
            for (int p = span.First; p <= span.Last; p++)
                ports.Add(p);
        return ports;
    }

    [TestMethod]
    [DataRow("legacy")]
    [DataRow("nft")]
    public void Traffic_MapUp_EverySinkPacketFromMapAddressInsidePortSet(string backend)
    {
        using var lab = new DatapathLab(backend);
        Plan plan = Plan1;
        lab.ApplyPlan(plan);

        // Positions: first in nat POSTROUTING (before both MASQUERADEs), the port forward and QoS rules untouched.
        string nat = lab.Save(IpFamily.Ipv4);
        int jump = nat.IndexOf("-A POSTROUTING -o map-mapt -j MAPT_POSTROUTING", StringComparison.Ordinal);
        Assert.IsTrue(jump >= 0 && jump < nat.IndexOf("-A POSTROUTING -o wan2 -j MASQUERADE", StringComparison.Ordinal), nat);
        Assert.IsTrue(nat.IndexOf("-A FORWARD -i lan0 -o wan2 -j ACCEPT", StringComparison.Ordinal) < nat.IndexOf("-A FORWARD -o map-mapt -j MAPT_FORWARD", StringComparison.Ordinal), nat);
        StringAssert.Contains(nat, "-A PREROUTING -i map-mapt -p tcp -m tcp --dport 1233 -j DNAT --to-destination 198.51.100.2:8080");

        DatapathLab.Capture capture = lab.StartCapture();
        int[] ok = lab.DriveLan(udpFlows: 300, tcpConnections: 60, pings: 40, qosFlows: 20);
        // The router's own traffic leaves by the device too.
        lab.Gateway.Sh("ping -c 2 -W 1 203.0.113.10 >/dev/null && python3 -c \"import socket; socket.create_connection(('203.0.113.10', 80), 2).close()\"");
        // The port forward inside the port set still reaches the LAN host...
        StringAssert.Contains(lab.Sink.Sh("python3 -c \"import socket; c = socket.create_connection(('192.0.2.18', 1233), 3); print(c.recv(64).decode())\""), "forwarded");
        // ...and the firewall still drops what it dropped before.
        Assert.AreNotEqual(0, lab.Sink.Try("python3 -c \"import socket; socket.create_connection(('198.51.100.2', 8080), 1)\"").ExitCode, "the gateway's FORWARD policy must still drop new inbound connections");
        List<DatapathLab.Packet> packets = capture.Stop();

        CollectionAssert.AreEqual(new[] { 320, 60, 40 }, ok, $"udp flows answered, tcp connections, pings answered: {string.Join(" ", ok)}; packets {packets.Count}");
        HashSet<int> ports = PortsOf(plan);
        var rangesUsed = new HashSet<int>();
        int udp = 0, tcp = 0, echo = 0, qos = 0;
        foreach (DatapathLab.Packet p in packets)
        {
            Assert.AreEqual("192.0.2.18", p.Source, $"packet from {p.Source} left the gateway un-NATed: {p}");
            if (p.Protocol is 6 or 17)
            {
                Assert.IsTrue(ports.Contains(p.SourcePort), $"source port {p.SourcePort} is outside the port set: {p}");
                if (p.Protocol == 17 && p.DestinationPort is >= 5001 and <= 5030)
                    rangesUsed.Add(p.SourcePort >> 10);
                if (p.Protocol == 17) udp++; else tcp++;
            }
            if (p.Protocol == 1 && p.IcmpType == 8)
            {
                Assert.IsTrue(ports.Contains(p.IcmpId), $"echo id {p.IcmpId} is outside the port set: {p}");
                echo++;
            }
            if (p.Protocol == 17 && p.DestinationPort == 5060)
            {
                Assert.AreEqual(46, p.Dscp, "the gateway's QoS mark (DSCP EF by mark 0x10) must survive mapt's chains");
                qos++;
            }
        }
        Assert.AreEqual(63, rangesUsed.Count, "round-robin must use every range of the set");
        Assert.IsTrue(udp >= 320 && tcp >= 60 * 2 && echo >= 42 && qos == 20, $"udp {udp} tcp {tcp} echo {echo} qos {qos} of {packets.Count}");
    }

    [TestMethod]
    [DataRow("legacy")]
    [DataRow("nft")]
    public void Iptables_SetupReapplyReplaceTeardown_SaveRestoredExactly(string backend)
    {
        using var lab = new DatapathLab(backend);
        string before4 = lab.Save(IpFamily.Ipv4), before6 = lab.Save(IpFamily.Ipv6);

        lab.ApplyPlan(Plan1);
        string once4 = lab.Save(IpFamily.Ipv4), once6 = lab.Save(IpFamily.Ipv6);
        Assert.AreNotEqual(before4, once4);
        lab.ApplyPlan(Plan1);
        Assert.AreEqual(once4, lab.Save(IpFamily.Ipv4), "applying the same plan twice must change nothing");
        Assert.AreEqual(once6, lab.Save(IpFamily.Ipv6));

        lab.ApplyPlan(Plan2);
        string replaced4 = lab.Save(IpFamily.Ipv4), replaced6 = lab.Save(IpFamily.Ipv6);
        StringAssert.Contains(replaced4, "192.0.2.18:1236-1239");
        Assert.IsFalse(replaced4.Contains("192.0.2.18:1232-1235"), "the old plan's SNAT rules must be gone");
        StringAssert.Contains(replaced4, "--set-mss 1400");
        StringAssert.Contains(replaced6, "2001:db8:12:3500:0:c000:212:35/128");
        Assert.AreEqual(1, Count(replaced4, "-j MAPT_POSTROUTING"), "one jump, not one per apply");

        // A replace gives exactly what a fresh apply of the new plan gives.
        lab.TeardownAll();
        lab.ApplyPlan(Plan2);
        Assert.AreEqual(replaced4, lab.Save(IpFamily.Ipv4));
        Assert.AreEqual(replaced6, lab.Save(IpFamily.Ipv6));

        lab.TeardownAll();
        Assert.AreEqual(before4, lab.Save(IpFamily.Ipv4), "teardown must remove exactly what mapt added");
        Assert.AreEqual(before6, lab.Save(IpFamily.Ipv6));
        lab.TeardownAll();
        Assert.AreEqual(before4, lab.Save(IpFamily.Ipv4), "a second teardown changes nothing");
    }

    [TestMethod]
    [DataRow("legacy")]
    [DataRow("nft")]
    public void Replace_UnderTraffic_NoPacketLeavesUnNated(string backend)
    {
        using var lab = new DatapathLab(backend);
        Plan plan1 = Plan1, plan2 = Plan2;
        lab.ApplyPlan(plan1);
        DatapathLab.Capture capture = lab.StartCapture();
        var sender = new Thread(() => lab.Lan.Sh(
            "python3 -c \"import socket, time\nend = time.time() + 2.5\ni = 0\nwhile time.time() < end:\n" +
            "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'x', ('203.0.113.10', 6000 + i % 200)); s.close(); i += 1; time.sleep(0.0005)\n\"",
            TimeSpan.FromSeconds(30)));
        sender.Start();
        int replacements = 0;
        while (sender.IsAlive)
        {
            lab.ApplyPlan(replacements % 2 == 0 ? plan2 : plan1);
            replacements++;
        }
        sender.Join();
        List<DatapathLab.Packet> packets = capture.Stop();
        HashSet<int> ports = PortsOf(plan1);
        ports.UnionWith(PortsOf(plan2));
        int udp = 0;
        foreach (DatapathLab.Packet p in packets)
        {
            Assert.AreEqual("192.0.2.18", p.Source, $"un-NATed packet during a replace: {p}");
            if (p.Protocol == 17)
            {
                Assert.IsTrue(ports.Contains(p.SourcePort), $"source port {p.SourcePort} outside both port sets");
                udp++;
            }
        }
        Assert.IsTrue(replacements >= 5, $"only {replacements} replacements happened during the traffic");
        Assert.IsTrue(udp > 500, $"only {udp} packets captured");
    }

    private static int Count(string text, string what)
    {
        int n = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal))
            n++;
        return n;
    }
}
