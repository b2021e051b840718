using System;

namespace Mapt.Map;

/// <summary>
/// The bijection between a contiguous virtual port range and a port set (issue 15), for one
/// protocol. With a shared address the kernel's SNAT can only pick a free port inside ONE
/// range it is given, so SNAT into the set's 2^a - 1 separate ranges means one rule per range
/// and a blind choice among them (a full range refuses the connection while others have room).
/// Instead the LAN is SNATed into one contiguous virtual range of the set's size, where the
/// kernel finds any free port, and the translator maps virtual port i to the i-th port of the
/// set (and back) arithmetically: no table, no state, no allocation per packet.
/// <para>
/// The virtual range lies in the A = 0 block below the set's first range (ports 1 ..
/// 2^(16-a) - 1, the system ports for a = 6), which is in no CE's port set when a &gt; 0 (RFC
/// 7597 section 5.1): a virtual port can never be mistaken for a real one, and a capture that
/// shows one on the wire shows a leak. It is top-aligned there (it ends at 2^(16-a) - 1).
/// </para>
/// <para>
/// Kept ports (<c>remap-keep</c>) are ports of the set left as they are in both directions and
/// excluded from the virtual range: the gateway's ordinary port forward (a DNAT of a real port
/// in PREROUTING) sees the real port inbound, and its replies leave with it. The virtual range
/// is then the set's size less the kept ports, and index i skips them.
/// </para>
/// </summary>
public sealed class PortRemap
{
    /// <summary>At most this many kept ports per protocol: each costs a compare per packet.</summary>
    public const int MaxKept = 16;

    private readonly int[] _kept; // set indices of the kept ports, ascending
    private readonly int _shift;  // 16 - a
    private readonly int _m;
    private readonly int _psid;

    private PortRemap(PortSet set, int[] kept, int count, int virtualFirst)
    {
        Set = set;
        _kept = kept;
        _shift = 16 - set.PsidOffset;
        _m = set.ContiguousBits;
        _psid = set.Psid;
        Count = count;
        VirtualFirst = virtualFirst;
    }

    public PortSet Set { get; }

    /// <summary>V0, the first virtual port.</summary>
    public int VirtualFirst { get; }

    /// <summary>The number of virtual ports: the set's ports less the kept ones.</summary>
    public int Count { get; }

    public int VirtualLast => VirtualFirst + Count - 1;

    public int KeptCount => _kept.Length;

    /// <summary>
    /// The remap of <paramref name="set"/> keeping <paramref name="keep"/> (ports outside the set
    /// are ignored: nothing reaches them on the MAP address anyway), or null: with
    /// <paramref name="why"/> null when the set needs none (unshared, or PSID offset 0: one
    /// block already, which one SNAT rule covers), else why it cannot be done (the set does not
    /// fit below its first range: k &lt; a roughly; the SNAT then stays per range).
    /// </summary>
    public static PortRemap? TryCreate(PortSet set, ReadOnlySpan<int> keep, out string? why)
    {
        why = null;
        if (!set.IsRestricted || set.PsidOffset == 0 || set.RangeCount == 0)
            return null;
        Span<int> indices = stackalloc int[MaxKept];
        int kept = 0;
        foreach (int port in keep)
        {
            int index = IndexOf(set, port);
            if (index < 0 || indices.Slice(0, kept).Contains(index))
                continue;
            if (kept == MaxKept)
            {
                why = $"more than {MaxKept} kept ports in the set";
                return null;
            }
            indices[kept++] = index;
        }
        int[] sorted = indices.Slice(0, kept).ToArray();
        Array.Sort(sorted);
        int count = set.PortCount - kept;
        int below = (1 << (16 - set.PsidOffset)) - 1; // ports 1 .. 2^(16-a) - 1: in no set of the rule
        if (count > below)
        {
            why = $"the port set's {count} ports do not fit below its first range ({below} ports; PSID length {set.PsidLength} < offset {set.PsidOffset})";
            return null;
        }
        if (count < 1)
        {
            why = "every port of the set is kept";
            return null;
        }
        return new PortRemap(set, sorted, count, below + 1 - count);
    }

    /// <summary>The index of <paramref name="port"/> in the set's ascending order, or -1 when it is not in the set.</summary>
    public static int IndexOf(PortSet set, int port)
    {
        if ((uint)port > 0xffff || !set.Contains((ushort)port))
            return -1;
        if (!set.IsRestricted)
            return port - 1;
        int m = set.ContiguousBits;
        if (set.PsidOffset == 0)
            return (port & ((1 << m) - 1)) - (set.Psid == 0 ? 1 : 0);
        return ((port >> (16 - set.PsidOffset)) - 1) << m | (port & ((1 << m) - 1));
    }

    /// <summary>The <paramref name="index"/>-th port of the set (ascending), or -1 past its end.</summary>
    public static int PortAt(PortSet set, int index)
    {
        if ((uint)index >= (uint)set.PortCount)
            return -1;
        if (!set.IsRestricted)
            return index + 1;
        int m = set.ContiguousBits;
        if (set.PsidOffset == 0)
            return (set.Psid << m) + index + (set.Psid == 0 ? 1 : 0);
        return ((index >> m) + 1) << (16 - set.PsidOffset) | set.Psid << m | (index & ((1 << m) - 1));
    }

    /// <summary>
    /// Outbound: the real port for <paramref name="port"/>, a virtual port (the i-th virtual
    /// port becomes the i-th port of the set that is not kept) or a kept port (itself); -1 for
    /// anything else, which the SNAT never produces (the translator drops it).
    /// </summary>
    public int ToReal(int port)
    {
        int i = port - VirtualFirst;
        if ((uint)i < (uint)Count)
        {
            foreach (int k in _kept)
            {
                if (k > i)
                    break;
                i++;
            }
            return ((i >> _m) + 1) << _shift | _psid << _m | (i & ((1 << _m) - 1));
        }
        return IsKeptIndex(IndexOf(Set, port)) ? port : -1;
    }

    /// <summary>Inbound: the virtual port for a real <paramref name="port"/> of the set, itself when kept, -1 when not in the set.</summary>
    public int ToVirtual(int port)
    {
        if ((uint)port > 0xffff || !Set.Contains((ushort)port))
            return -1;
        int index = ((port >> _shift) - 1) << _m | (port & ((1 << _m) - 1));
        int below = 0;
        foreach (int k in _kept)
        {
            if (k == index)
                return port;
            if (k > index)
                break;
            below++;
        }
        return VirtualFirst + index - below;
    }

    /// <summary>Whether <paramref name="port"/> is a kept port (left as it is).</summary>
    public bool IsKept(int port) => IsKeptIndex(IndexOf(Set, port));

    private bool IsKeptIndex(int index) => index >= 0 && Array.IndexOf(_kept, index) >= 0;

    /// <summary>The kept ports, ascending.</summary>
    public int[] KeptPorts()
    {
        var ports = new int[_kept.Length];
        for (int i = 0; i < ports.Length; i++)
            ports[i] = PortAt(Set, _kept[i]);
        return ports;
    }
}
