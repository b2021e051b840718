using System;
using System.Collections.Generic;
using System.Globalization;
using Mapt.Map;

namespace Mapt.Status;

/// <summary>
/// How full the CE's port set is (issue 15), per protocol, from the NAT ports conntrack holds on
/// the MAP address (each entry's reply destination port, or ICMP id): the distinct real ports
/// in use (with the remap, conntrack's virtual ports counted as the real ones they stand for)
/// and the fullest range. A pure function of the dump; the daemon runs it on a timer.
/// </summary>
public sealed class PortOccupancy
{
    /// <summary>Above this share of a protocol's ports in use, the daemon warns (rate-limited): new connections start to be refused.</summary>
    public const int WarnPercent = 90;

    /// <summary>The measuring period while a protocol uses <see cref="BusyPercent"/> of its ports or more, the first period, and the longest one.</summary>
    public const int EveryMs = 30_000, IdleMaxMs = 300_000, BusyPercent = 50;

    /// <summary>
    /// When to measure next, after a measure that found <paramref name="fullestPercent"/> (null:
    /// nothing measured, not Up or no conntrack) following a period of <paramref name="lastMs"/>:
    /// every 30 s while busy or not measured, else twice the last period up to 5 minutes, so an
    /// idle gateway is neither woken nor has its conntrack table walked every 30 s.
    /// </summary>
    public static int NextMeasureMs(int? fullestPercent, int lastMs) =>
        fullestPercent is int p && p < BusyPercent ? Math.Min(2 * Math.Max(lastMs, EveryMs), IdleMaxMs) : EveryMs;

    private static readonly (int Protocol, string Name)[] Protocols = { (6, "TCP"), (17, "UDP"), (1, "ICMP") };

    private PortOccupancy(List<ProtocolUse> uses) => Uses = uses;

    public IReadOnlyList<ProtocolUse> Uses { get; }

    /// <summary>One protocol's use: ports in use of the set's size, and its fullest range (first-last, ports in use there).</summary>
    public readonly record struct ProtocolUse(string Name, int InUse, int Size, int FullestFirst, int FullestLast, int FullestInUse)
    {
        public int Percent => Size == 0 ? 0 : (int)((long)InUse * 100 / Size);

        public string FullestRange => FullestFirst.ToString(CultureInfo.InvariantCulture) + "-" + FullestLast.ToString(CultureInfo.InvariantCulture)
            + " " + FullestInUse.ToString(CultureInfo.InvariantCulture) + "/" + (FullestLast - FullestFirst + 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The fullest protocol, by share of its ports in use.</summary>
    public ProtocolUse Fullest
    {
        get
        {
            ProtocolUse best = Uses[0];
            foreach (ProtocolUse u in Uses)
                if (u.Percent > best.Percent)
                    best = u;
            return best;
        }
    }

    /// <summary>
    /// From <paramref name="natPorts"/>, (protocol, port) of every conntrack entry NATed to the
    /// MAP address. A port that is neither in the set nor a virtual port of <paramref name="remap"/>
    /// (an un-NATed leftover) is not counted.
    /// </summary>
    public static PortOccupancy Of(PortSet set, SnatRemap? remap, IEnumerable<(int Protocol, int Port)> natPorts)
    {
        var used = new Dictionary<int, HashSet<int>>();
        foreach ((int protocol, _) in Protocols)
            used[protocol] = new HashSet<int>();
        foreach ((int protocol, int port) in natPorts)
        {
            int p = protocol == 58 ? 1 : protocol;
            if (!used.TryGetValue(p, out HashSet<int>? ports))
                continue;
            int real = remap?.For(p) is PortRemap r ? r.ToReal(port) : port;
            if (real > 0 && set.Contains((ushort)real))
                ports.Add(real);
        }
        var uses = new List<ProtocolUse>();
        int ranges = Math.Max(1, set.RangeCount);
        foreach ((int protocol, string name) in Protocols)
        {
            var perRange = new int[ranges];
            foreach (int port in used[protocol])
                perRange[RangeOf(set, port)]++;
            int fullest = 0;
            for (int i = 1; i < ranges; i++)
                if (perRange[i] > perRange[fullest])
                    fullest = i;
            PortRange range = set.RangeCount > 0 ? set.GetRange(fullest) : new PortRange(1, 65535);
            uses.Add(new ProtocolUse(name, used[protocol].Count, set.PortCount, range.First, range.Last, perRange[fullest]));
        }
        return new PortOccupancy(uses);
    }

    private static int RangeOf(PortSet set, int port) =>
        set.RangeCount <= 1 ? 0 : (port >> (16 - set.PsidOffset)) - 1;
}
