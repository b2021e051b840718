using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Mapt.Netlink;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Netlink.RtnlAddressTests;

namespace Mapt.Tests.Netlink;

/// <summary>
/// Real flows through an SNAT: client (198.51.100.2) -> router (SNAT on r1) -> server
/// (192.0.2.2). UDP source ports pick the NAT address and port deterministically:
/// 5001 -> 192.0.2.1:7001, 5002 -> :7002, 5003 -> :8001, 5004 -> :8002, 6001/6002 -> 192.0.2.100.
/// The `conntrack` tool in the router namespace is the oracle.
/// </summary>
[TestClass]
public sealed class ConntrackTests
{
    private sealed class Lab : IDisposable
    {
        public Netns Client { get; }
        public Netns Router { get; }
        public Netns Server { get; }

        public Lab()
        {
            Client = Netns.Create("ctc");
            Router = Netns.Create("ctr");
            Server = Netns.Create("cts");
            try
            {
                Netns.Veth(Client, "c0", Router, "r0");
                Netns.Veth(Router, "r1", Server, "s0");
                Client.Sh("ip addr add 198.51.100.2/24 dev c0 && ip route add default via 198.51.100.1");
                Server.Sh("ip addr add 192.0.2.2/24 dev s0");
                Router.Sh("sysctl -qw net.ipv4.ip_forward=1 && ip addr add 198.51.100.1/24 dev r0 "
                    + "&& ip addr add 192.0.2.1/24 dev r1 && ip addr add 192.0.2.100/24 dev r1");
                string snat = "iptables -t nat -A POSTROUTING -o r1";
                Router.Sh($"{snat} -p udp --sport 5001 -j SNAT --to-source 192.0.2.1:7001 && {snat} -p udp --sport 5002 -j SNAT --to-source 192.0.2.1:7002 "
                    + $"&& {snat} -p udp --sport 5003 -j SNAT --to-source 192.0.2.1:8001 && {snat} -p udp --sport 5004 -j SNAT --to-source 192.0.2.1:8002 "
                    + $"&& {snat} -p udp --sport 6001:6002 -j SNAT --to-source 192.0.2.100 && {snat} -p icmp -j SNAT --to-source 192.0.2.100");
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>One UDP datagram from the client's <paramref name="sourcePort"/>: the router creates the entry.</summary>
        public void Flow(int sourcePort)
        {
            using (Client.Enter())
            {
                using var s = new Socket(System.Net.Sockets.AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                s.Bind(new IPEndPoint(IPAddress.Any, sourcePort));
                s.SendTo(new byte[] { 1 }, new IPEndPoint(IPAddress.Parse("192.0.2.2"), 9));
            }
        }

        public ConntrackClient Open()
        {
            using (Router.Enter())
                return ConntrackClient.Open();
        }

        /// <summary>`conntrack -L` in the router: (original sport, reply dst, reply dport) per UDP entry; ICMP as dport 0.</summary>
        public List<(int Sport, string ReplyDst, int ReplyDport)> Oracle()
        {
            var list = new List<(int, string, int)>();
            foreach (string line in Router.Sh("conntrack -L -f ipv4 2>/dev/null").Split('\n'))
            {
                MatchCollection src = Regex.Matches(line, @"dst=(\S+)");
                if (src.Count < 2)
                    continue;
                Match sport = Regex.Match(line, @"sport=(\d+)");
                MatchCollection dport = Regex.Matches(line, @"dport=(\d+)");
                list.Add((sport.Success ? int.Parse(sport.Groups[1].Value) : 0, src[1].Groups[1].Value,
                    dport.Count >= 2 ? int.Parse(dport[1].Groups[1].Value) : 0));
            }
            return list;
        }

        public void Dispose()
        {
            Client?.Dispose();
            Router?.Dispose();
            Server?.Dispose();
        }
    }

    private static Lab WithFlows()
    {
        var lab = new Lab();
        foreach (int port in new[] { 5001, 5002, 5003, 5004, 6001, 6002 })
            lab.Flow(port);
        lab.Client.Sh("ping -c1 -W2 192.0.2.2");
        return lab;
    }

    [TestMethod]
    public void Dump_RealSnatFlows_MatchConntrackList()
    {
        using Lab lab = WithFlows();
        using ConntrackClient ct = lab.Open();
        List<ConntrackEntry> mine = ct.Dump();
        var oracle = lab.Oracle();
        Assert.AreEqual(oracle.Count, mine.Count, string.Join("\n", mine));
        Assert.IsTrue(oracle.Count >= 7, "flows missing: " + lab.Router.Sh("conntrack -L 2>&1"));
        foreach ((int sport, string replyDst, int replyDport) in oracle)
        {
            Assert.IsTrue(mine.Exists(e => (e.Original.Protocol == 1 || e.Original.SourcePort == sport)
                && AddressText(e.Reply.Destination) == replyDst && (e.Original.Protocol == 1 || e.Reply.DestinationPort == replyDport)),
                $"{sport} {replyDst}:{replyDport} not in the client's dump");
        }
        ConntrackEntry nat = mine.Find(e => e.Original.SourcePort == 5003)!;
        Assert.AreEqual("198.51.100.2", AddressText(nat.Original.Source));
        Assert.AreEqual(8001, nat.Reply.DestinationPort);
        Assert.IsTrue(nat.IsSourceNat);
        ConntrackEntry ping = mine.Find(e => e.Original.Protocol == 1)!;
        Assert.AreEqual("192.0.2.100", AddressText(ping.Reply.Destination));
        Assert.AreNotEqual(0, ping.Reply.DestinationPortOrId);
    }

    [TestMethod]
    public void DeleteNatTo_SecondAddress_OnlyItsEntriesGone()
    {
        using Lab lab = WithFlows();
        using ConntrackClient ct = lab.Open();
        int before = lab.Oracle().FindAll(o => o.ReplyDst == "192.0.2.100").Count;
        Assert.AreEqual(3, before, lab.Router.Sh("conntrack -L 2>&1")); // 6001, 6002, the ping
        int deleted = ct.DeleteNatTo(Parse("192.0.2.100"));
        Assert.AreEqual(before, deleted);
        var after = lab.Oracle();
        Assert.IsFalse(after.Exists(o => o.ReplyDst == "192.0.2.100"), lab.Router.Sh("conntrack -L 2>&1"));
        Assert.AreEqual(4, after.FindAll(o => o.ReplyDst == "192.0.2.1").Count);
        Assert.AreEqual(0, ct.DeleteNatTo(Parse("192.0.2.100")), "a second run finds nothing");
    }

    [TestMethod]
    public void Delete_Predicate_CountsOnlyWhatWasDeleted()
    {
        using Lab lab = WithFlows();
        using ConntrackClient ct = lab.Open();
        Assert.AreEqual(1, ct.Delete(e => e.Original.SourcePort == 5002));
        Assert.IsFalse(lab.Oracle().Exists(o => o.Sport == 5002));
        Assert.AreEqual(0, ct.Delete(e => e.Original.SourcePort == 5002));
    }
}
