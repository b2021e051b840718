using System;
using System.Collections.Generic;
using System.Linq;
using Mapt.Dhcpv6;
using Mapt.Dhcpv6.Wire;
using Mapt.Net;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Dhcpv6;

/// <summary>The state machine on a virtual clock: RFC 8415 timing and selection rules without a network.</summary>
[TestClass]
public sealed class Dhcpv6ClientTests
{
    private static readonly byte[] Duid = Convert.FromHexString("00030001020000000001");
    private static readonly byte[] ServerA = Convert.FromHexString("0002000009bf0a");
    private static readonly byte[] ServerB = Convert.FromHexString("0002000009bf0b");
    private static readonly Ipv6Address From = new(0xfe80UL << 48, 1);

    private sealed class Rig
    {
        public RecordingTransport Transport { get; } = new();
        public ListLogger Logger { get; } = new();
        public Dhcpv6Client Client { get; }
        public long Now;
        public long Deadline;

        public Rig(bool skipDelay = true, byte[]? pinned = null)
        {
            Client = new Dhcpv6Client(new Dhcpv6ClientSettings("wan", Duid) { SkipInitialDelay = skipDelay, Random = new Random(5), PinnedServerId = pinned }, Transport, Logger);
        }

        public void Start() => Deadline = Client.Start(Now);

        /// <summary>Advances the virtual clock to <paramref name="until"/>, stepping at every deadline.</summary>
        public void RunTo(long until)
        {
            while (Deadline <= until)
            {
                Now = Deadline;
                Transport.NowMs = Now;
                Deadline = Client.Step(Now);
            }
            Now = until;
            Transport.NowMs = Now;
        }

        public void Receive(byte[] message) => Deadline = Client.OnMessage(message, From, Now);
    }

    private static byte[] Answer(Dhcpv6MessageType type, uint xid, byte[] server, byte preference = 0, uint t1 = 100, uint t2 = 160, uint valid = 300, uint solMaxRt = 0, bool mapt = true, bool withIa = true)
    {
        var buffer = new byte[1024];
        var w = new Dhcpv6Writer(buffer);
        w.WriteHeader(type, xid);
        w.WriteClientId(Duid);
        w.WriteServerId(server);
        if (preference != 0)
            w.WritePreference(preference);
        if (solMaxRt != 0)
        {
            w.WriteUInt16(Dhcpv6OptionCode.SolMaxRt);
            w.WriteUInt16(4);
            w.WriteUInt32(solMaxRt);
        }
        Ipv6Prefix.TryParse("2001:db8:12:3400::/56", out Ipv6Prefix p, out _);
        if (withIa)
            w.WriteIaPd(1, t1, t2, new[] { new DelegatedPrefix(p.Address.Value, 56, 200, valid) });
        if (mapt)
            w.WriteMaptContainer(new S46MaptContainer(new[] { S46Hex.Rule("2001:db8::/40", "192.0.2.0/24", 16, false, (6, 8, 0x34)) }, S46Hex.Dmr("2001:db8:ffff::/64")));
        return w.Written.ToArray();
    }

    private static Rig Bound()
    {
        var rig = new Rig();
        rig.Start();
        rig.Receive(Answer(Dhcpv6MessageType.Advertise, rig.Transport.LastXid, ServerA, preference: 255));
        rig.Receive(Answer(Dhcpv6MessageType.Reply, rig.Transport.LastXid, ServerA));
        Assert.AreEqual(ClientState.Bound, rig.Client.State);
        return rig;
    }

    [TestMethod]
    public void Solicit_Retransmissions_FollowRfc8415Section15()
    {
        var rig = new Rig();
        rig.Start();
        rig.RunTo(200_000);
        long[] gaps = rig.Transport.Sent.Zip(rig.Transport.Sent.Skip(1), (a, b) => b.AtMs - a.AtMs).ToArray();
        Assert.IsTrue(gaps[0] > 1000 && gaps[0] <= 1100, "first RT strictly above IRT: " + gaps[0]);
        for (int i = 1; i < gaps.Length; i++)
        {
            long previous = gaps[i - 1];
            bool doubled = gaps[i] >= previous * 1.9 - 1 && gaps[i] <= previous * 2.1 + 1;
            bool capped = gaps[i] >= 3600_000 * 0.9 && gaps[i] <= 3600_000 * 1.1;
            Assert.IsTrue(doubled || capped, $"RT {i}: {gaps[i]} after {previous}");
        }
        Assert.IsTrue(rig.Transport.Sent.All(s => s.Bytes[0] == (byte)Dhcpv6MessageType.Solicit));
        // Every retransmission keeps the transaction id (section 15).
        Assert.AreEqual(1, rig.Transport.Sent.Select(s => Convert.ToHexString(s.Bytes, 1, 3)).Distinct().Count());
    }

    [TestMethod]
    public void Solicit_WithDelay_FirstSendWithinSolMaxDelay()
    {
        var rig = new Rig(skipDelay: false);
        rig.Start();
        Assert.AreEqual(0, rig.Transport.Sent.Count);
        Assert.IsTrue(rig.Deadline >= 0 && rig.Deadline <= 1000, rig.Deadline.ToString());
        rig.RunTo(1000);
        Assert.AreEqual(1, rig.Transport.Sent.Count);
    }

    [TestMethod]
    public void Advertise_BestPreferenceChosenAfterFirstRt()
    {
        var rig = new Rig();
        rig.Start();
        uint xid = rig.Transport.LastXid;
        rig.Receive(Answer(Dhcpv6MessageType.Advertise, xid, ServerA, preference: 10));
        rig.Receive(Answer(Dhcpv6MessageType.Advertise, xid, ServerB, preference: 20));
        Assert.AreEqual(ClientState.Soliciting, rig.Client.State, "waits out the first RT");
        rig.RunTo(1200);
        Assert.AreEqual(ClientState.Requesting, rig.Client.State);
        Assert.AreEqual(Dhcpv6MessageType.Request, rig.Transport.LastType);
        Assert.IsTrue(Dhcpv6Message.TryParse(rig.Transport.Sent[^1].Bytes, out Dhcpv6Message request, out _));
        CollectionAssert.AreEqual(ServerB, request.ServerId, "the higher preference wins");
    }

    [TestMethod]
    public void Advertise_Preference255_RequestedAtOnce()
    {
        var rig = new Rig();
        rig.Start();
        rig.Receive(Answer(Dhcpv6MessageType.Advertise, rig.Transport.LastXid, ServerA, preference: 255));
        Assert.AreEqual(ClientState.Requesting, rig.Client.State);
    }

    [TestMethod]
    public void Advertise_SolMaxRt_HonouredInRangeIgnoredOutside()
    {
        var rig = new Rig();
        rig.Start();
        // Advertises without a prefix are otherwise ignored, but SOL_MAX_RT counts (section 18.2.9).
        rig.Receive(Answer(Dhcpv6MessageType.Advertise, rig.Transport.LastXid, ServerA, solMaxRt: 59, withIa: false));
        Assert.AreEqual(3600_000, rig.Client.SolMaxRtMs, "59 s is below the range 60..86400");
        rig.Receive(Answer(Dhcpv6MessageType.Advertise, rig.Transport.LastXid, ServerA, solMaxRt: 120, withIa: false));
        Assert.AreEqual(120_000, rig.Client.SolMaxRtMs);
        Assert.AreEqual(1, rig.Logger.Count(316));
        // The Solicits still to come are capped at the new MRT (+10 %), not at 3600 s.
        int before = rig.Transport.Sent.Count;
        rig.RunTo(1_000_000);
        long[] gaps = rig.Transport.Sent.Skip(before - 1).Zip(rig.Transport.Sent.Skip(before), (a, b) => b.AtMs - a.AtMs).ToArray();
        Assert.AreEqual(ClientState.Soliciting, rig.Client.State);
        Assert.IsTrue(gaps.Length > 5);
        Assert.IsTrue(gaps.All(g => g <= 132_000), string.Join(",", gaps));
        Assert.IsTrue(gaps[^1] >= 108_000, string.Join(",", gaps));
    }

    [TestMethod]
    public void Request_NoReplyAfterTenTries_SolicitsAgain()
    {
        var rig = new Rig();
        rig.Start();
        rig.Receive(Answer(Dhcpv6MessageType.Advertise, rig.Transport.LastXid, ServerA, preference: 255));
        rig.RunTo(400_000);
        Assert.AreEqual(10, rig.Transport.Sent.Count(s => s.Bytes[0] == (byte)Dhcpv6MessageType.Request), "REQ_MAX_RC");
        Assert.AreEqual(ClientState.Soliciting, rig.Client.State);
        Assert.AreEqual(1, rig.Logger.Count(315));
    }

    [TestMethod]
    public void Bound_RenewAtT1ToTheServer_RebindAtT2WithoutServerId()
    {
        Rig rig = Bound();
        long acquired = rig.Now;
        rig.RunTo(acquired + 99_999);
        Assert.AreEqual(ClientState.Bound, rig.Client.State);
        rig.RunTo(acquired + 100_000);
        Assert.AreEqual(ClientState.Renewing, rig.Client.State);
        Assert.IsTrue(Dhcpv6Message.TryParse(rig.Transport.Sent[^1].Bytes, out Dhcpv6Message renew, out _));
        Assert.AreEqual(Dhcpv6MessageType.Renew, renew.Type);
        CollectionAssert.AreEqual(ServerA, renew.ServerId);
        rig.RunTo(acquired + 160_000);
        Assert.AreEqual(ClientState.Rebinding, rig.Client.State);
        Assert.IsTrue(Dhcpv6Message.TryParse(rig.Transport.Sent[^1].Bytes, out Dhcpv6Message rebind, out _));
        Assert.AreEqual(Dhcpv6MessageType.Rebind, rebind.Type);
        Assert.IsNull(rebind.ServerId);
        // A Rebind reply may come from another server.
        rig.Receive(Answer(Dhcpv6MessageType.Reply, rig.Transport.LastXid, ServerB));
        Assert.AreEqual(ClientState.Bound, rig.Client.State);
        CollectionAssert.AreEqual(ServerB, rig.Client.Lease!.ServerId);
    }

    [TestMethod]
    public void Renew_NoBinding_RequestsAgainAndKeepsTheLeaseInForce()
    {
        Rig rig = Bound();
        rig.Deadline = rig.Client.RenewNow(rig.Now);
        var buffer = new byte[512];
        var w = new Dhcpv6Writer(buffer);
        w.WriteHeader(Dhcpv6MessageType.Reply, rig.Transport.LastXid);
        w.WriteClientId(Duid);
        w.WriteServerId(ServerA);
        int ia = w.BeginOption(Dhcpv6OptionCode.IaPd);
        w.WriteUInt32(1);
        w.WriteUInt32(0);
        w.WriteUInt32(0);
        w.WriteStatusCode(Dhcpv6StatusCode.NoBinding, "no binding");
        w.EndOption(ia);
        rig.Receive(w.Written.ToArray());
        Assert.AreEqual(ClientState.Requesting, rig.Client.State);
        Assert.AreEqual(Dhcpv6MessageType.Request, rig.Transport.LastType);
        Assert.IsNotNull(rig.Client.Lease, "the lease runs on while the binding is requested again");
        rig.Receive(Answer(Dhcpv6MessageType.Reply, rig.Transport.LastXid, ServerA));
        Assert.AreEqual(ClientState.Bound, rig.Client.State);
        Assert.AreEqual(LeaseChange.Renewed, LastChange(rig), "same prefix and MAP content");
    }

    private static LeaseChange? LastChange(Rig rig)
    {
        LeaseChange? last = null;
        foreach (var e in rig.Logger.Entries)
            if (e.EventId == 306)
                last = e.Message.Contains("renewed") ? LeaseChange.Renewed : e.Message.Contains("acquired") ? LeaseChange.Acquired : LeaseChange.Changed;
        return last;
    }

    [TestMethod]
    public void Renew_ReplyFromAnotherServer_Dropped()
    {
        Rig rig = Bound();
        Lease lease = rig.Client.Lease!;
        rig.Deadline = rig.Client.RenewNow(rig.Now);
        rig.Receive(Answer(Dhcpv6MessageType.Reply, rig.Transport.LastXid, ServerB));
        Assert.AreSame(lease, rig.Client.Lease);
        Assert.AreEqual(ClientState.Renewing, rig.Client.State);
        Assert.AreEqual(1, rig.Client.DroppedCount);
    }

    [TestMethod]
    public void Reply_T1AboveT2_Ignored()
    {
        var rig = new Rig();
        rig.Start();
        rig.Receive(Answer(Dhcpv6MessageType.Advertise, rig.Transport.LastXid, ServerA, preference: 255));
        rig.Receive(Answer(Dhcpv6MessageType.Reply, rig.Transport.LastXid, ServerA, t1: 200, t2: 100));
        Assert.IsNull(rig.Client.Lease);
        Assert.AreEqual(ClientState.Requesting, rig.Client.State);
    }

    [TestMethod]
    public void Reply_T1AndT2Zero_ClientPicksHalfAndFourFifthsOfPreferred()
    {
        var rig = new Rig();
        rig.Start();
        rig.Receive(Answer(Dhcpv6MessageType.Advertise, rig.Transport.LastXid, ServerA, preference: 255));
        rig.Receive(Answer(Dhcpv6MessageType.Reply, rig.Transport.LastXid, ServerA, t1: 0, t2: 0));
        Assert.AreEqual(100u, rig.Client.Lease!.T1);
        Assert.AreEqual(160u, rig.Client.Lease.T2);
    }

    [TestMethod]
    public void Reply_T1OfOneSecond_RenewsNoSoonerThanTheFloor()
    {
        var rig = new Rig();
        rig.Start();
        rig.Receive(Answer(Dhcpv6MessageType.Advertise, rig.Transport.LastXid, ServerA, preference: 255));
        rig.Receive(Answer(Dhcpv6MessageType.Reply, rig.Transport.LastXid, ServerA, t1: 1, t2: 2));
        Assert.AreEqual((Dhcpv6ClientSettings.DefaultMinT1Seconds, Dhcpv6ClientSettings.DefaultMinT2Seconds), (rig.Client.Lease!.T1, rig.Client.Lease.T2));
        int sent = rig.Transport.Sent.Count;
        rig.RunTo(rig.Now + 9_900);
        Assert.AreEqual(sent, rig.Transport.Sent.Count, "no Renew before the 10 s floor");
        rig.RunTo(rig.Now + 200);
        Assert.AreEqual(ClientState.Renewing, rig.Client.State);
    }

    [TestMethod]
    public void PinnedServer_AnotherServersAdvertise_Dropped()
    {
        var rig = new Rig(pinned: ServerB);
        rig.Start();
        rig.Receive(Answer(Dhcpv6MessageType.Advertise, rig.Transport.LastXid, ServerA, preference: 255));
        Assert.AreEqual(1, rig.Client.DroppedCount);
        StringAssert.Contains(rig.Logger.ToString(), "not the configured server-duid");
        rig.Receive(Answer(Dhcpv6MessageType.Advertise, rig.Transport.LastXid, ServerB, preference: 255));
        Assert.AreEqual(ClientState.Requesting, rig.Client.State);
    }

    [TestMethod]
    [DataRow(false, Dhcpv6MessageType.Renew)]
    [DataRow(true, Dhcpv6MessageType.Rebind)]
    public void Resume_StoredLease_ConfirmedAtOnceWithoutSolicit_ReplyIsARenewal(bool rebind, Dhcpv6MessageType first)
    {
        Lease stored = Bound().Client.Lease!;
        var rig = new Rig(skipDelay: false);
        var changes = new List<LeaseChange>();
        rig.Client.LeaseChanged = (c, _) => changes.Add(c);
        rig.Now = 5_000;
        rig.Deadline = rig.Client.Resume(stored, rig.Now, rebind);
        Assert.AreEqual(1, rig.Transport.Sent.Count, "sent at once: no Solicit delay");
        Assert.AreEqual(first, rig.Transport.LastType);
        Assert.IsTrue(Dhcpv6Message.TryParse(rig.Transport.Sent[0].Bytes, out Dhcpv6Message m, out _));
        Assert.AreEqual(!rebind, m.ServerId is not null, "Renew names the lease's server, Rebind asks any");
        Assert.AreSame(stored, rig.Client.Lease);
        rig.Receive(Answer(Dhcpv6MessageType.Reply, rig.Transport.LastXid, ServerA));
        CollectionAssert.AreEqual(new[] { LeaseChange.Renewed }, changes);
        Assert.AreEqual(ClientState.Bound, rig.Client.State);
    }

    [TestMethod]
    public void Resume_LeaseAlreadyExpired_SolicitsInstead()
    {
        Lease stored = Bound().Client.Lease!;
        var rig = new Rig();
        rig.Deadline = rig.Client.Resume(stored, stored.ExpiresAtMs + 1, rebind: true);
        Assert.IsNull(rig.Client.Lease);
        Assert.AreEqual(ClientState.Soliciting, rig.Client.State);
    }

    [TestMethod]
    public void Release_NoReply_GivesUpAfterFourTries()
    {
        Rig rig = Bound();
        int before = rig.Transport.Sent.Count;
        rig.Deadline = rig.Client.Release(rig.Now);
        rig.RunTo(rig.Now + 60_000);
        Assert.AreEqual(4, rig.Transport.Sent.Count - before, "REL_MAX_RC");
        Assert.AreEqual(ClientState.Idle, rig.Client.State);
        Assert.IsNull(rig.Client.Lease);
        StringAssert.Contains(rig.Logger.Entries.Single(e => e.EventId == 311).Message, "no reply after 4 attempts");
    }

    [TestMethod]
    public void SendRefused_RetriedWithinASecondNotCounted()
    {
        Rig rig = Bound();
        rig.Transport.Fail = true;
        rig.Deadline = rig.Client.RenewNow(rig.Now);
        Assert.AreEqual(rig.Now + 1000, rig.Deadline);
        rig.Transport.Fail = false;
        rig.RunTo(rig.Now + 1000);
        Assert.AreEqual(Dhcpv6MessageType.Renew, rig.Transport.LastType);
        Assert.AreEqual(1, rig.Logger.Count(302));
    }

    [TestMethod]
    public void Solicit_AsksForMapE_OnlyWhenConfigured()
    {
        var rig = new Rig();
        rig.Start();
        Assert.IsTrue(Dhcpv6Message.TryParse(rig.Transport.Sent[0].Bytes, out _, out _));
        string hex = Convert.ToHexString(rig.Transport.Sent[0].Bytes);
        StringAssert.Contains(hex, "00060008" + "0017" + "0018" + "0052" + "005F", "ORO 23, 24, 82, 95");
        var withMapE = new Dhcpv6Client(new Dhcpv6ClientSettings("wan", Duid) { SkipInitialDelay = true, RequestMapE = true, RequestLw4o6 = true }, rig.Transport, rig.Logger);
        withMapE.Start(0);
        StringAssert.Contains(Convert.ToHexString(rig.Transport.Sent[^1].Bytes), "0006000C" + "0017" + "0018" + "0052" + "005E" + "005F" + "0060");
    }
}
