using System;
using System.Collections.Generic;

namespace Mapt.Netlink;

/// <summary>
/// Conntrack housekeeping over NETLINK_NETFILTER (ctnetlink): dump the table and delete the
/// entries that would keep translating with an address or ports the CE no longer owns after
/// a MAP rule change or teardown (RFC 7597 section 5.1: only the PSID's ports may be used).
/// Deletion is dump, then one request per entry carrying its original tuple and CTA_ID, so an
/// entry re-created meanwhile with the same tuple is not touched. Opened in the calling
/// thread's network namespace.
/// </summary>
public sealed class ConntrackClient : IDisposable
{
    private const int NfnlSubsysCtnetlink = 1; // NFNL_SUBSYS_CTNETLINK
    private const int IpctnlMsgCtGet = 1; // IPCTNL_MSG_CT_GET
    private const int IpctnlMsgCtDelete = 2; // IPCTNL_MSG_CT_DELETE
    private const int NfgenmsgLength = 4; // sizeof(struct nfgenmsg)
    private const int RequestBufferLength = 512;

    private readonly NetlinkSocket _socket;

    private ConntrackClient(NetlinkSocket socket) => _socket = socket;

    public static ConntrackClient Open() => new(NetlinkSocket.Open(NetlinkProtocol.Netfilter));

    /// <summary>Every entry of <paramref name="family"/> (Inet or Inet6).</summary>
    public List<ConntrackEntry> Dump(AddressFamily family = AddressFamily.Inet)
    {
        var entries = new List<ConntrackEntry>();
        Span<byte> buffer = stackalloc byte[RequestBufferLength];
        for (int attempt = 0; ; attempt++)
        {
            var w = new NetlinkWriter(buffer, MessageType(IpctnlMsgCtGet), NlMsgFlags.Request | NlMsgFlags.Dump, _socket.NextSequence(), 0);
            WriteNfgen(ref w, family);
            bool consistent = _socket.Dump(w.Finish(), "dump conntrack", (in NetlinkMessage m) =>
            {
                if (m.Type == MessageType(0) /* IPCTNL_MSG_CT_NEW */ && TryRead(m, out ConntrackEntry? e) && e.Family == family)
                    entries.Add(e);
            });
            // Conntrack changes all the time; a dump that keeps being interrupted is still the best view there is.
            if (consistent || attempt == 2)
                return entries;
            entries.Clear();
        }
    }

    /// <summary>Deletes every entry of <paramref name="family"/> that <paramref name="match"/> selects; returns how many were deleted.</summary>
    public int Delete(Predicate<ConntrackEntry> match, AddressFamily family = AddressFamily.Inet)
    {
        int deleted = 0;
        foreach (ConntrackEntry e in Dump(family))
        {
            if (!match(e))
                continue;
            try
            {
                DeleteOne(e);
                deleted++;
            }
            catch (NetlinkException x) when (x.Errno == Errno.ENOENT)
            {
                // Timed out or deleted by someone else since the dump: the goal is met.
            }
        }
        return deleted;
    }

    /// <summary>Deletes the entries NATed to <paramref name="address"/> (their reply goes to it).</summary>
    public int DeleteNatTo(InetAddress address) =>
        Delete(e => e.Reply.Destination == address, address.Family);

    private void DeleteOne(ConntrackEntry e)
    {
        Span<byte> buffer = stackalloc byte[RequestBufferLength];
        var w = new NetlinkWriter(buffer, MessageType(IpctnlMsgCtDelete), NlMsgFlags.Request | NlMsgFlags.Ack, _socket.NextSequence(), 0);
        WriteNfgen(ref w, e.Family);
        w.Bytes((ushort)CtAttr.TupleOrig | NetlinkWire.AttributeNested, e.OriginalTupleBytes);
        w.Be32((ushort)CtAttr.Id, e.Id);
        if (e.HasZone)
            w.Be16((ushort)CtAttr.Zone, e.Zone);
        _socket.Request(w.Finish(), "delete conntrack entry " + e.Id.ToString());
    }

    internal static bool TryRead(in NetlinkMessage m, out ConntrackEntry entry)
    {
        entry = null!;
        if (m.Payload.Length < NfgenmsgLength)
            return false;
        ConntrackTuple original = default, reply = default;
        byte[]? originalBytes = null;
        uint status = 0, id = 0;
        ushort zone = 0;
        bool hasZone = false;
        AttributeReader attributes = m.Attributes(NfgenmsgLength);
        while (attributes.MoveNext())
        {
            NetlinkAttribute a = attributes.Current;
            switch ((CtAttr)a.Type)
            {
                case CtAttr.TupleOrig:
                    if (!ConntrackTuple.TryRead(a.Nested, out original))
                        return false;
                    originalBytes = a.Value.ToArray();
                    break;
                case CtAttr.TupleReply:
                    if (!ConntrackTuple.TryRead(a.Nested, out reply))
                        return false;
                    break;
                case CtAttr.Status:
                    a.TryBe32(out status);
                    break;
                case CtAttr.Id:
                    a.TryBe32(out id);
                    break;
                case CtAttr.Zone:
                    hasZone = a.TryBe16(out zone);
                    break;
            }
        }
        if (attributes.Malformed || originalBytes is null)
            return false;
        entry = new ConntrackEntry
        {
            Family = (AddressFamily)m.Payload[0],
            Original = original,
            Reply = reply,
            Status = status,
            Id = id,
            Zone = zone,
            HasZone = hasZone,
            OriginalTupleBytes = originalBytes,
        };
        return true;
    }

    private static ushort MessageType(int message) => (ushort)((NfnlSubsysCtnetlink << 8) | message);

    private static void WriteNfgen(ref NetlinkWriter w, AddressFamily family)
    {
        Span<byte> nfgen = w.Reserve(NfgenmsgLength); // struct nfgenmsg
        nfgen[0] = (byte)family; // nfgen_family
        nfgen[1] = 0; // version: NFNETLINK_V0; res_id stays 0
    }

    public void Dispose() => _socket.Dispose();
}
