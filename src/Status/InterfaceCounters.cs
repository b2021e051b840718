using System;
using System.Globalization;

namespace Mapt.Status;

/// <summary>
/// The MAP device's counters, <see cref="Rx"/> what came in from the MAP domain and
/// <see cref="Tx"/> what went out to it: one line of /proc/net/dev, or for a device that
/// translates (nat46's, mapt's TUN) its IPv6 counters (<see cref="ParseSnmp6"/>).
/// </summary>
public sealed record InterfaceCounters(InterfaceCounters.Direction Rx, InterfaceCounters.Direction Tx)
{
    public readonly record struct Direction(ulong Bytes, ulong Packets, ulong Errors, ulong Dropped, ulong Multicast);

    /// <summary>
    /// Finds <paramref name="device"/> in /proc/net/dev text. Columns after "name:" are rx
    /// bytes packets errs drop fifo frame compressed multicast, then tx bytes packets errs
    /// drop fifo colls carrier compressed.
    /// </summary>
    public static InterfaceCounters? Parse(string procNetDev, string device)
    {
        foreach (string raw in procNetDev.Split('\n'))
        {
            int colon = raw.IndexOf(':');
            if (colon < 0 || raw.AsSpan(0, colon).Trim().ToString() != device)
                continue;
            string[] f = raw.Substring(colon + 1).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 16)
                return null;
            return new InterfaceCounters(
                new Direction(U(f[0]), U(f[1]), U(f[2]), U(f[3]), U(f[7])),
                new Direction(U(f[8]), U(f[9]), U(f[10]), U(f[11]), 0));
        }
        return null;
    }

    /// <summary>
    /// A translating device from /proc/net/dev_snmp6/DEV. Both directions cross one device:
    /// the stack hands it the LAN's IPv4 going out and the IPv6 coming in alike, and takes back
    /// what was translated, so /proc/net/dev says nothing about direction (nat46 counts the
    /// first as received and the second as transmitted, a TUN device the other way round;
    /// measured in the firmware lab: a 200 KB download counted about 200 KB each way on both).
    /// The device's IPv6 counters do: the IPv6 packets made from the LAN's IPv4 enter the
    /// stack on it (In: sent towards the MAP domain), and the IPv6 packets from the MAP domain
    /// leave the stack into it (Out: received, forwarded plus the few the router sends
    /// itself). Bytes are IPv6 sizes, 20 more per packet than the IPv4 ones.
    /// </summary>
    public static InterfaceCounters? ParseSnmp6(string devSnmp6)
    {
        var v = new System.Collections.Generic.Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (string line in devSnmp6.Split('\n'))
        {
            string[] f = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 2)
                v[f[0]] = U(f[1]);
        }
        if (!v.ContainsKey("Ip6InReceives"))
            return null;
        ulong Get(string name) => v.TryGetValue(name, out ulong n) ? n : 0;
        return new InterfaceCounters(
            new Direction(Get("Ip6OutOctets"), Get("Ip6OutForwDatagrams") + Get("Ip6OutRequests"), 0, Get("Ip6OutDiscards"), Get("Ip6OutMcastPkts")),
            new Direction(Get("Ip6InOctets"), Get("Ip6InReceives"), Get("Ip6InHdrErrors") + Get("Ip6InAddrErrors"), Get("Ip6InDiscards"), Get("Ip6InMcastPkts")));
    }

    private static ulong U(string s) => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : 0;
}
