namespace Mapt.Translator;

/// <summary>
/// The port of a fragmented datagram, remembered from its first fragment so that the later
/// ones (which carry no transport header) can be checked against the port set and mapped
/// (RFC 7597 §8.3.3: the PSID of a non-first fragment is that of the first), or refused with
/// their first (RFC 7915 §4.5: a zero-checksum UDP datagram cut into fragments). Bounded: a
/// fixed ring of entries, the oldest overwritten; no allocation after construction. The
/// translator keeps one table per direction, so a stream of inbound fragments (anyone on the
/// WAN can send them) can only evict inbound entries, never the LAN's. No reassembly here: an
/// outbound non-first fragment before its first one is dropped, an inbound one is translated
/// for the kernel to reassemble (see PacketTranslator.Inbound).
/// </summary>
public sealed class FragmentTable
{
    private readonly Entry[] _entries;
    private int _next;

    private struct Entry
    {
        public uint Source, Destination, Id;
        public byte Protocol;
        public bool Used;
        public ushort Port;
        public DropReason Refused;
    }

    public FragmentTable(int capacity = 64) => _entries = new Entry[capacity];

    public int Capacity => _entries.Length;

    /// <summary>
    /// Remembers the first fragment of a datagram: its port, and <paramref name="refused"/>
    /// when the first fragment was dropped for a reason that holds for the whole datagram.
    /// </summary>
    public void Remember(uint source, uint destination, int protocol, uint id, int port, DropReason refused = DropReason.None)
    {
        int at = IndexOf(source, destination, protocol, id);
        if (at < 0)
        {
            at = _next;
            _next = (_next + 1) % _entries.Length;
        }
        _entries[at] = new Entry
        {
            Source = source, Destination = destination, Id = id, Protocol = (byte)protocol,
            Used = true, Port = (ushort)port, Refused = refused,
        };
    }

    /// <summary>The first fragment's port and, when it was refused, why (else <see cref="DropReason.None"/>).</summary>
    public bool TryFind(uint source, uint destination, int protocol, uint id, out int port, out DropReason refused)
    {
        int at = IndexOf(source, destination, protocol, id);
        port = at < 0 ? 0 : _entries[at].Port;
        refused = at < 0 ? DropReason.None : _entries[at].Refused;
        return at >= 0;
    }

    public void Clear()
    {
        System.Array.Clear(_entries);
        _next = 0;
    }

    private int IndexOf(uint source, uint destination, int protocol, uint id)
    {
        for (int i = 0; i < _entries.Length; i++)
        {
            ref Entry e = ref _entries[i];
            if (e.Used && e.Id == id && e.Source == source && e.Destination == destination && e.Protocol == protocol)
                return i;
        }
        return -1;
    }
}
