using System;
using System.Collections.Generic;

namespace Mapt.Provisioning;

/// <summary>
/// The nat46 control file as read back: per device "add DEV", "insert DEV CFG" for every pair
/// but the last, "config DEV CFG" for the last, and a blank line. CFG is printed into a 200-byte
/// buffer, so at most 199 characters of it come back.
/// </summary>
public static class Nat46ReadBack
{
    /// <summary>snprintf into char[200]: 199 characters and the terminating zero.</summary>
    public const int MaxPairText = 199;

    /// <summary>The pairs listed for <paramref name="device"/>, head first; null if the device is not listed.</summary>
    public static List<string>? PairsOf(string readBack, string device)
    {
        List<string>? pairs = null;
        foreach (string raw in readBack.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line == "add " + device)
            {
                pairs = new List<string>();
                continue;
            }
            foreach (string verb in new[] { "insert ", "config " })
            {
                string head = verb + device + " ";
                if (line.StartsWith(head, StringComparison.Ordinal))
                {
                    pairs ??= new List<string>();
                    pairs.Add(line.Substring(head.Length));
                }
            }
        }
        return pairs;
    }

    /// <summary>
    /// Whether a pair as read back is the pair meant, comparing what fits in the module's
    /// buffer; the device's debug level (" debug N") is not ours to check.
    /// </summary>
    public static bool Matches(Nat46Pair expected, string actual)
    {
        string meant = expected.ReadBackText() + " debug ";
        if (meant.Length >= MaxPairText)
            return actual == meant.Substring(0, MaxPairText);
        if (actual.Length > MaxPairText || !actual.StartsWith(meant, StringComparison.Ordinal))
            return false;
        for (int i = meant.Length; i < actual.Length; i++)
            if (actual[i] is < '0' or > '9')
                return false;
        return actual.Length > meant.Length;
    }

    /// <summary>
    /// Checks a device's section against what was meant; null when it matches, otherwise one
    /// line saying what differs, for the log (with both texts).
    /// </summary>
    public static string? Compare(string readBack, string device, IReadOnlyList<Nat46Pair>? expected)
    {
        List<string>? actual = PairsOf(readBack, device);
        if (expected is null)
            return actual is null ? null : $"device {device} is still listed with {actual.Count} rule pair(s)";
        if (actual is null)
            return $"device {device} is not listed";
        if (actual.Count != expected.Count)
            return $"device {device} has {actual.Count} rule pair(s), meant {expected.Count}";
        for (int i = 0; i < expected.Count; i++)
            if (!Matches(expected[i], actual[i]))
                return $"device {device} pair {i}: meant '{expected[i].ReadBackText()} debug N' (first {MaxPairText} characters compared), read back '{actual[i]}'";
        return null;
    }
}
