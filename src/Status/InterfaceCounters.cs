using System;
using System.Globalization;

namespace Mapt.Status;

/// <summary>One device's line of /proc/net/dev (the kernel's counters, per network namespace).</summary>
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

    private static ulong U(string s) => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : 0;
}
