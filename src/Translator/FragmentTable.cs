namespace Mapt.Translator;

/// <summary>
/// The port of a fragmented datagram, remembered from its first fragment so that the later
/// ones (which carry no transport header) can be checked against the port set and mapped
/// (RFC 7597 §8.3.3: the PSID of a non-first fragment is that of the first). Bounded: a
/// fixed ring of entries, the oldest overwritten; no allocation after construction. No
/// reassembly here: an outbound non-first fragment before its first one is dropped, an
/// inbound one is translated for the kernel to reassemble (see PacketTranslator.Inbound).
/// </summary>
public sealed class FragmentTable
{
    private readonly Entry[] _entries;
    private int _next;

    private struct Entry
    {
        public uint Source, Destination, Id;
        public byte Protocol;
        public bool Outbound, Used;
        public ushort Port;
    }

    public FragmentTable(int capacity = 64) => _entries = new Entry[capacity];

    public int Capacity => _entries.Length;

    public void Remember(bool outbound, uint source, uint destination, int protocol, uint id, int port)
    {
        int at = IndexOf(outbound, source, destination, protocol, id);
        if (at < 0)
        {
            at = _next;
            _next = (_next + 1) % _entries.Length;
        }
        _entries[at] = new Entry
        {
            Source = source, Destination = destination, Id = id, Protocol = (byte)protocol,
            Outbound = outbound, Used = true, Port = (ushort)port,
        };
    }

    public bool TryFind(bool outbound, uint source, uint destination, int protocol, uint id, out int port)
    {
        int at = IndexOf(outbound, source, destination, protocol, id);
        port = at < 0 ? 0 : _entries[at].Port;
        return at >= 0;
    }

    public void Clear()
    {
        System.Array.Clear(_entries);
        _next = 0;
    }

    private int IndexOf(bool outbound, uint source, uint destination, int protocol, uint id)
    {
        for (int i = 0; i < _entries.Length; i++)
        {
            ref Entry e = ref _entries[i];
            if (e.Used && e.Id == id && e.Source == source && e.Destination == destination
                && e.Protocol == protocol && e.Outbound == outbound)
                return i;
        }
        return -1;
    }
}
