using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Mapt.Dhcpv6;
using Mapt.Dhcpv6.Wire;
using Mapt.Tests.Lab;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Dhcpv6;

/// <summary>What goes over the wire: tshark's independent decoding, and a rogue responder on the link.</summary>
[TestClass]
public sealed class KeaWireTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(10);

    [TestMethod]
    public void EveryClientMessage_DecodedByTshark_WithoutMalformedMarkAndWithTheFieldsSent()
    {
        using var lab = KeaLab.Start(KeaConfig.RfcExample1(), capture: true);
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        KeaScenarioTests.Acquire(lab, c);
        c.Do(c.Client.RenewNow);
        Assert.IsTrue(c.RunUntil(() => c.Events.Count == 2, Quick), c.Logger.ToString());
        lab.Client.Sh("ip link set vc down");
        c.Do(c.Client.LinkDown);
        lab.Client.Sh("ip link set vc up");
        c.Do(c.Client.LinkUp);
        Assert.IsTrue(c.RunUntil(() => c.Events.Count == 3, Quick), c.Logger.ToString());
        c.Do(c.Client.Release);
        Assert.IsTrue(c.RunUntil(() => c.Client.State == ClientState.Idle, Quick), c.Logger.ToString());

        Assert.AreEqual(0, lab.Capture!.Decode("_ws.malformed || _ws.expert.severity >= \"Error\"", "frame.number").Count, "tshark marked a packet malformed");
        List<string[]> sent = lab.Capture.Decode("udp.srcport == 546",
            "dhcpv6.msgtype", "ipv6.src", "ipv6.dst", "udp.dstport", "dhcpv6.requested_option_code", "dhcpv6.iaid", "dhcpv6.duidll.link_layer_addr", "dhcpv6.elapsed_time", "dhcpv6.duiden.identifier", "dhcpv6.xid");
        // One exchange per transaction id. On a loaded machine Kea can answer after the
        // client's first RT (1 s for a Request): a retransmission keeps the transaction id and
        // message type and says how long the exchange has run (RFC 8415 sections 15, 21.9).
        var exchanges = sent.GroupBy(r => r[9]).ToList();
        string seen = string.Join(" ", sent.Select(r => r[0] + "/" + r[9] + "/" + r[7]));
        CollectionAssert.AreEqual(new[] { "1", "3", "5", "6", "8" }, exchanges.Select(g => g.First()[0]).ToArray(), "Solicit, Request, Renew, Rebind, Release; sent (type/xid/elapsed): " + seen);
        foreach (var exchange in exchanges)
        {
            Assert.AreEqual("0", exchange.First()[7], "the first transmission of an exchange has elapsed time 0: " + seen);
            Assert.IsTrue(exchange.All(r => r[0] == exchange.First()[0]), "one message type per transaction id: " + seen);
            Assert.IsTrue(exchange.Skip(1).All(r => int.Parse(r[7]) > 0), "retransmissions carry the elapsed time: " + seen);
        }
        string mac = string.Join(":", c.Socket.Mac.Select(b => b.ToString("x2")));
        foreach (string[] r in sent)
        {
            string row = string.Join("|", r);
            Assert.AreEqual(c.Socket.LinkLocal.ToString(), r[1], "link-local source " + row);
            Assert.AreEqual("ff02::1:2", r[2]);
            Assert.AreEqual("547", r[3]);
            Assert.AreEqual(1u, Convert.ToUInt32(r[5].Replace("0x", ""), 16), "IAID " + row);
            Assert.AreEqual(mac, r[6], "DUID-LL from the interface's MAC " + row);
            if (r[0] != "8")
                Assert.AreEqual("23,24,82,95", r[4], "ORO asks for DNS, SOL_MAX_RT and MAP-T only " + row);
            else
                Assert.AreEqual("", r[4], "Release carries no ORO");
            // Request, Renew and Release name Kea's DUID-EN; Solicit and Rebind name no server.
            Assert.AreEqual(r[0] is "3" or "5" or "8" ? "0102030405060708" : "", r[8].Replace(":", ""), "server id " + row);
        }
        // tshark decodes Kea's S46 options the way the client did.
        Lease lease = c.Events[0].Lease!;
        string[] reply = lab.Capture.Decode("dhcpv6.msgtype == 7 && dhcpv6.s46_rule.ea_len",
            "dhcpv6.s46_rule.flags.fmr", "dhcpv6.s46_rule.ea_len", "dhcpv6.s46_rule.ipv4_pref_len", "dhcpv6.s46_rule.ipv4_prefix",
            "dhcpv6.s46_rule.ipv6_prefix_len", "dhcpv6.s46_rule.ipv6_prefix", "dhcpv6.s46_portparam.offset", "dhcpv6.s46_portparam.psid_len",
            "dhcpv6.s46_dmr.dmr_pref_len", "dhcpv6.s46_dmr.dmr_prefix").First();
        S46Rule rule = lease.Mapt!.Wire.Rules[0];
        Assert.AreEqual(rule.IsForwardingMappingRule ? "1" : "0", reply[0] == "True" ? "1" : reply[0] == "False" ? "0" : reply[0]);
        Assert.AreEqual(rule.EaLength.ToString(), reply[1]);
        Assert.AreEqual(rule.Prefix4Length.ToString(), reply[2]);
        Assert.AreEqual(lease.Mapt.Rules.Rules[0].RuleIpv4Prefix.Address.ToString(), reply[3]);
        Assert.AreEqual(rule.Prefix6Length.ToString(), reply[4]);
        Assert.AreEqual(lease.Mapt.Rules.Rules[0].RuleIpv6Prefix.Address.ToString(), reply[5]);
        Assert.AreEqual(rule.PortParameters!.Value.PsidOffset.ToString(), reply[6]);
        Assert.AreEqual(rule.PortParameters!.Value.PsidLength.ToString(), reply[7]);
        Assert.AreEqual(lease.Mapt.Dmr.Prefix.Length.ToString(), reply[8]);
        Assert.AreEqual(lease.Mapt.Dmr.Prefix.Address.ToString(), reply[9]);
    }

    [TestMethod]
    public void RogueResponder_MalformedAndMismatchedReplies_IgnoredAndLeaseKept()
    {
        using var lab = KeaLab.Start(KeaConfig.RfcExample1());
        using var c = ClientDriver.Open(lab.Client, KeaLab.ClientInterface);
        Lease lease = KeaScenarioTests.Acquire(lab, c);

        lab.Server.Sh("ip addr add fe80::99/64 dev vs nodad");
        int ifIndex = int.Parse(lab.Server.Sh("cat /sys/class/net/vs/ifindex").Trim());
        Socket rogue;
        using (lab.Server.Enter())
        {
            rogue = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            rogue.Bind(new IPEndPoint(new IPAddress(IPAddress.Parse("fe80::99").GetAddressBytes(), ifIndex), 547));
        }
        using var _ = rogue;
        var client = new IPEndPoint(new IPAddress(IPAddress.Parse(c.Socket.LinkLocal.ToString()).GetAddressBytes(), ifIndex), 546);

        // Kea holds the Renew until the rogue has had its say.
        lab.Kea.Pause();
        c.Do(c.Client.RenewNow);
        uint xid = c.Client.TransactionId;
        byte[] server = lease.ServerId;
        var good = new S46MaptContainer(new[] { S46Hex.Rule("2001:db8::/40", "198.51.100.0/24", 16, false, (6, 8, 0x34)) }, S46Hex.Dmr("2001:db8:ffff::/64"));
        var mismatched = new (string What, byte[] Bytes)[]
        {
            ("wrong transaction id", Reply(xid ^ 1, c.Duid, server, (ref Dhcpv6Writer w) => w.WriteMaptContainer(good))),
            ("wrong server id", Reply(xid, c.Duid, new byte[] { 0, 2, 0, 0, 9, 0xbf, 9, 9 }, (ref Dhcpv6Writer w) => w.WriteMaptContainer(good))),
            ("another client's DUID", Reply(xid, new byte[] { 0, 3, 0, 1, 2, 2, 2, 2, 2, 2 }, server, (ref Dhcpv6Writer w) => w.WriteMaptContainer(good))),
            ("Advertise instead of Reply", Message(Dhcpv6MessageType.Advertise, xid, c.Duid, server, (ref Dhcpv6Writer w) => w.WriteMaptContainer(good))),
        };
        var malformed = new (string What, byte[] Bytes)[]
        {
            ("truncated option", Reply(xid, c.Duid, server, (ref Dhcpv6Writer w) => { w.WriteUInt16(23); w.WriteUInt16(40); w.WriteBytes(new byte[] { 1, 2, 3 }); })),
            ("truncated IA_PD", Truncate(Reply(xid, c.Duid, server, (ref Dhcpv6Writer w) => { }), 10)),
            ("ea-len 49", Reply(xid, c.Duid, server, (ref Dhcpv6Writer w) => Container(ref w, (ref Dhcpv6Writer r) => RawRule(ref r, 0, 49, 24, 0xc0000200, 40, new byte[] { 0x20, 1, 0xd, 0xb8, 0 }), Dmr64))),
            ("two DMRs", Reply(xid, c.Duid, server, (ref Dhcpv6Writer w) => Container(ref w, GoodRule, Dmr64, Dmr64))),
            ("no rule", Reply(xid, c.Duid, server, (ref Dhcpv6Writer w) => Container(ref w, Dmr64))),
            ("PORTPARAMS of 3 bytes", Reply(xid, c.Duid, server, (ref Dhcpv6Writer w) => Container(ref w, (ref Dhcpv6Writer r) => RawRule(ref r, 0, 16, 24, 0xc0000200, 40, new byte[] { 0x20, 1, 0xd, 0xb8, 0 }, new byte[] { 0, 93, 0, 3, 6, 8, 0x34 }), Dmr64))),
            ("a + k > 16", Reply(xid, c.Duid, server, (ref Dhcpv6Writer w) => Container(ref w, (ref Dhcpv6Writer r) => RawRule(ref r, 0, 16, 24, 0xc0000200, 40, new byte[] { 0x20, 1, 0xd, 0xb8, 0 }, new byte[] { 0, 93, 0, 4, 6, 11, 0x34, 0 }), Dmr64))),
            ("prefix6-len 64 with 4 bytes", Reply(xid, c.Duid, server, (ref Dhcpv6Writer w) => Container(ref w, (ref Dhcpv6Writer r) => RawRule(ref r, 0, 16, 24, 0xc0000200, 64, new byte[] { 0x20, 1, 0xd, 0xb8 }), Dmr64))),
            ("n + o > 64 (the engine refuses)", Reply(xid, c.Duid, server, (ref Dhcpv6Writer w) => Container(ref w, (ref Dhcpv6Writer r) => RawRule(ref r, 0, 40, 24, 0xc0000200, 40, new byte[] { 0x20, 1, 0xd, 0xb8, 0 }), Dmr64))),
        };
        foreach (var (_, bytes) in mismatched.Concat(malformed))
        {
            rogue.SendTo(bytes, client);
            c.RunFor(TimeSpan.FromMilliseconds(30));
        }
        c.RunFor(TimeSpan.FromMilliseconds(100));

        Assert.AreSame(lease, c.Client.Lease, "the lease in force was touched");
        Assert.AreEqual(ClientState.Renewing, c.Client.State);
        Assert.AreEqual(mismatched.Length, c.Client.DroppedCount, c.Logger.ToString());
        Assert.AreEqual(malformed.Length, c.Client.MalformedCount, c.Logger.ToString());
        Assert.AreEqual(mismatched.Length, c.Logger.Count(303));
        Assert.AreEqual(2, c.Logger.Count(304), "truncated messages");
        Assert.AreEqual(malformed.Length - 2, c.Logger.Count(305), "rejected MAP-T containers");
        Assert.IsTrue(c.Logger.Entries.Any(e => e.EventId == 305 && e.Message.Contains("ea-len 49")), c.Logger.ToString());
        Assert.AreEqual(1, c.Events.Count);

        // The real server answers the same Renew: renewed, same content.
        lab.Kea.Resume();
        Assert.IsTrue(c.RunUntil(() => c.Events.Count == 2, Quick), c.Logger + "\n" + lab.Kea.Log);
        Assert.AreEqual(LeaseChange.Renewed, c.Events[1].Change);
        Assert.AreEqual("192.0.2.18", KeaScenarioTests.Mapping(c.Client.Lease!).Ipv4Address.ToString());
    }

    private static void Dmr64(ref Dhcpv6Writer w) => w.WriteDmr(S46Hex.Dmr("2001:db8:ffff::/64"));
    private static void GoodRule(ref Dhcpv6Writer w) => w.WriteRule(S46Hex.Rule("2001:db8::/40", "192.0.2.0/24", 16, false, (6, 8, 0x34)));

    private static void Container(ref Dhcpv6Writer w, params WriterAction[] parts)
    {
        int token = w.BeginOption(S46OptionCode.ContainerMapT);
        foreach (WriterAction part in parts)
            part(ref w);
        w.EndOption(token);
    }

    private static void RawRule(ref Dhcpv6Writer w, byte flags, byte eaLength, byte prefix4Length, uint ipv4, byte prefix6Length, byte[] prefix, byte[]? sub = null)
    {
        int token = w.BeginOption(S46OptionCode.Rule);
        w.WriteByte(flags);
        w.WriteByte(eaLength);
        w.WriteByte(prefix4Length);
        w.WriteUInt32(ipv4);
        w.WriteByte(prefix6Length);
        w.WriteBytes(prefix);
        if (sub is not null)
            w.WriteBytes(sub);
        w.EndOption(token);
    }

    private static byte[] Truncate(byte[] bytes, int cut) => bytes.AsSpan(0, bytes.Length - cut).ToArray();

    internal static byte[] Reply(uint xid, byte[] clientId, byte[] serverId, WriterAction extra) =>
        Message(Dhcpv6MessageType.Reply, xid, clientId, serverId, extra);

    internal delegate void WriterAction(ref Dhcpv6Writer w);

    internal static byte[] Message(Dhcpv6MessageType type, uint xid, byte[] clientId, byte[] serverId, WriterAction extra)
    {
        var buffer = new byte[1500];
        var w = new Dhcpv6Writer(buffer);
        w.WriteHeader(type, xid);
        w.WriteClientId(clientId);
        w.WriteServerId(serverId);
        Ipv6PrefixOf("2001:db8:12:3400::/56", out UInt128 prefix, out byte length);
        w.WriteIaPd(1, 1000, 2000, new[] { new DelegatedPrefix(prefix, length, 3000, 4000) });
        extra(ref w);
        return w.Written.ToArray();
    }

    private static void Ipv6PrefixOf(string text, out UInt128 prefix, out byte length)
    {
        Mapt.Net.Ipv6Prefix.TryParse(text, out Mapt.Net.Ipv6Prefix p, out _);
        prefix = p.Address.Value;
        length = (byte)p.Length;
    }
}
