using System;
using System.Linq;
using Mapt.Dhcpv6;
using Mapt.Dhcpv6.Wire;
using Mapt.Net;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Dhcpv6;

/// <summary>
/// What anyone on the WAN link can send to port 546 is counted per reason and logged at Debug
/// only (issue 13 point 1), on a virtual clock. The published binary under a flood is tested
/// in tests/Lab/FloodLabTests.cs.
/// </summary>
[TestClass]
public sealed class Dhcpv6DropCounterTests
{
    private static readonly byte[] Duid = Convert.FromHexString("00030001020000000001");
    private static readonly byte[] OtherDuid = Convert.FromHexString("00030001020000000099");
    private static readonly byte[] ServerA = Convert.FromHexString("0002000009bf0a");
    private static readonly byte[] ServerB = Convert.FromHexString("0002000009bf0b");
    private static readonly Ipv6Address From = new(0xfe80UL << 48, 0x66);

    private sealed class Rig
    {
        public RecordingTransport Transport { get; } = new();
        public ListLogger Logger { get; } = new();
        public Dhcpv6Client Client { get; }

        public Rig() => Client = new Dhcpv6Client(new Dhcpv6ClientSettings("wan", Duid) { SkipInitialDelay = true, Random = new Random(7) }, Transport, Logger);

        public uint Xid => Transport.LastXid;

        public void Receive(byte[] message) => Client.OnMessage(message, From, 0);
    }

    private static byte[] Message(Dhcpv6MessageType type, uint xid, byte[]? client, byte[]? server, int eaLength = 16, byte preference = 0)
    {
        var buffer = new byte[1024];
        var w = new Dhcpv6Writer(buffer);
        w.WriteHeader(type, xid);
        if (client is not null)
            w.WriteClientId(client);
        if (server is not null)
            w.WriteServerId(server);
        if (preference != 0)
            w.WritePreference(preference); // 255: taken at once (RFC 8415 section 18.2.9)
        Ipv6Prefix.TryParse("2001:db8:12:3400::/56", out Ipv6Prefix p, out _);
        w.WriteIaPd(1, 100, 160, new[] { new DelegatedPrefix(p.Address.Value, 56, 200, 300) });
        w.WriteMaptContainer(new S46MaptContainer(new[] { S46Hex.Rule("2001:db8::/40", "192.0.2.0/24", eaLength, false, (6, 8, 0x34)) }, S46Hex.Dmr("2001:db8:ffff::/64")));
        return w.Written.ToArray();
    }

    /// <summary>Soliciting (0), Requesting from ServerA (1) or Bound to ServerA (2).</summary>
    private static Rig In(int stage)
    {
        var rig = new Rig();
        rig.Client.Start(0);
        if (stage >= 1)
            rig.Receive(Message(Dhcpv6MessageType.Advertise, rig.Xid, Duid, ServerA, preference: 255));
        if (stage >= 2)
            rig.Receive(Message(Dhcpv6MessageType.Reply, rig.Xid, Duid, ServerA));
        Assert.AreEqual(stage switch { 0 => ClientState.Soliciting, 1 => ClientState.Requesting, _ => ClientState.Bound }, rig.Client.State);
        Assert.AreEqual(0, rig.Client.DroppedTotal);
        return rig;
    }

    [TestMethod]
    [DataRow(0, "garbage", Dhcpv6DropReason.Malformed)]
    [DataRow(1, "ea-len 49", Dhcpv6DropReason.MaptRejected)]
    [DataRow(2, "reply while bound", Dhcpv6DropReason.Unsolicited)]
    [DataRow(0, "reply while soliciting", Dhcpv6DropReason.UnexpectedType)]
    [DataRow(0, "client's own solicit", Dhcpv6DropReason.UnexpectedType)]
    [DataRow(2, "reconfigure while bound", Dhcpv6DropReason.ReconfigureRefused)]
    [DataRow(0, "reconfigure while soliciting", Dhcpv6DropReason.ReconfigureRefused)]
    [DataRow(0, "advertise, another xid", Dhcpv6DropReason.WrongTransactionId)]
    [DataRow(0, "advertise, another client", Dhcpv6DropReason.WrongClientId)]
    [DataRow(0, "advertise, no client id", Dhcpv6DropReason.WrongClientId)]
    [DataRow(0, "advertise, no server id", Dhcpv6DropReason.MissingServerId)]
    [DataRow(1, "reply from another server", Dhcpv6DropReason.WrongServerId)]
    public void Datagram_IsCountedUnderItsReason_AndLoggedAtDebugOnly(int stage, string what, Dhcpv6DropReason reason)
    {
        Rig rig = In(stage);
        ClientState before = rig.Client.State;
        uint xid = rig.Xid;
        byte[] datagram = what switch
        {
            "garbage" => new byte[] { 0x02, 0x01 },
            "ea-len 49" => Message(Dhcpv6MessageType.Reply, xid, Duid, ServerA, eaLength: 49),
            "reply while bound" or "reply while soliciting" => Message(Dhcpv6MessageType.Reply, xid, Duid, ServerA),
            "client's own solicit" => Message(Dhcpv6MessageType.Solicit, xid, Duid, null),
            "reconfigure while bound" or "reconfigure while soliciting" => Message(Dhcpv6MessageType.Reconfigure, xid, Duid, ServerA),
            "advertise, another xid" => Message(Dhcpv6MessageType.Advertise, xid ^ 1, Duid, ServerA),
            "advertise, another client" => Message(Dhcpv6MessageType.Advertise, xid, OtherDuid, ServerA),
            "advertise, no client id" => Message(Dhcpv6MessageType.Advertise, xid, null, ServerA),
            "advertise, no server id" => Message(Dhcpv6MessageType.Advertise, xid, Duid, null),
            _ => Message(Dhcpv6MessageType.Reply, xid, Duid, ServerB),
        };
        for (int i = 0; i < 3; i++)
            rig.Receive(datagram);

        for (int r = 0; r < Dhcpv6DropReasons.Count; r++)
            Assert.AreEqual((Dhcpv6DropReason)r == reason ? 3 : 0, rig.Client.Dropped((Dhcpv6DropReason)r), $"{what}: counter {Dhcpv6DropReasons.Name((Dhcpv6DropReason)r)}");
        Assert.AreEqual(3, rig.Client.DroppedTotal);
        Assert.AreEqual(before, rig.Client.State, "a dropped datagram changes nothing");
        int expectedEvent = reason switch { Dhcpv6DropReason.Malformed => 304, Dhcpv6DropReason.MaptRejected => 305, _ => 303 };
        var lines = rig.Logger.Entries.Where(e => e.EventId is 303 or 304 or 305).ToList();
        Assert.AreEqual(3, lines.Count, rig.Logger.ToString());
        Assert.IsTrue(lines.All(e => e.EventId == expectedEvent), rig.Logger.ToString());
        if (reason != Dhcpv6DropReason.MaptRejected)
        {
            Assert.IsTrue(lines.All(e => e.Level == LogLevel.Debug), "a drop anyone can cause is a Debug line: " + rig.Logger);
            StringAssert.Contains(lines[0].Message, "counted as " + Dhcpv6DropReasons.Name(reason));
            StringAssert.Contains(lines[0].Message, "from fe80::66");
        }
    }

    [TestMethod]
    public void ProbeTotals_AreTheSumsOfTheReasons()
    {
        Rig rig = In(1);
        rig.Receive(new byte[] { 0x07 });
        rig.Receive(Message(Dhcpv6MessageType.Reply, rig.Xid, Duid, ServerA, eaLength: 49));
        rig.Receive(Message(Dhcpv6MessageType.Reply, rig.Xid, Duid, ServerB));
        rig.Receive(Message(Dhcpv6MessageType.Reconfigure, rig.Xid, Duid, ServerA));
        rig.Receive(Message(Dhcpv6MessageType.Reply, rig.Xid ^ 7, Duid, ServerA));
        Assert.AreEqual(2, rig.Client.MalformedCount, "malformed and a refused MAP-T container: what mapt probe reports as exit 5");
        Assert.AreEqual(3, rig.Client.DroppedCount);
        Assert.AreEqual(5, rig.Client.DroppedTotal);
    }
}
