using System;
using System.Collections.Generic;

namespace Mapt.Logging;

/// <summary>
/// What the flash holds, read without a running daemon: the lines of both rings (the log ring
/// and the run ring, <see cref="FlashStore"/>) merged into one sequence in time order, how many
/// were unreadable (torn by a power loss), and the boots (mapt starts) they belong to.
/// The merge: boots in the order both rings agree on (<see cref="MergeBoots"/>), and within a
/// boot by MONO, the monotonic time every line carries (wall-clock times cannot be trusted on a
/// gateway that boots without a real-time clock).
/// </summary>
internal sealed class FlashLogContents
{
    public List<FlashLine> Lines { get; } = new();
    public int SkippedLines { get; private set; }

    /// <summary>Where reading stopped in each ring (for --follow).</summary>
    public FlashLogPosition Position { get; private set; } = FlashLogPosition.Start;

    /// <summary>Whether either ring has a readable segment.</summary>
    public bool Found => Position.LogSequence >= 0 || Position.RunSequence >= 0;

    public static FlashLogContents Read(string directory) => ReadAfter(directory, FlashLogPosition.Start);

    /// <summary>The lines written after a position an earlier read returned.</summary>
    public static FlashLogContents ReadAfter(string directory, FlashLogPosition after)
    {
        var contents = new FlashLogContents();
        var log = new List<FlashLine>();
        var runs = new List<FlashLine>();
        int skipped = 0;
        (long logSequence, int logOffset) = ReadRing(directory, FlashStore.LogPrefix, after.LogSequence, after.LogOffset, log, ref skipped);
        (long runSequence, int runOffset) = ReadRing(directory, FlashStore.RunPrefix, after.RunSequence, after.RunOffset, runs, ref skipped);
        contents.Position = new FlashLogPosition(logSequence, logOffset, runSequence, runOffset);
        contents.SkippedLines = skipped;
        Merge(log, runs, contents.Lines);
        return contents;
    }

    private static (long Sequence, int Offset) ReadRing(string directory, string prefix, long sequence, int offset, List<FlashLine> into, ref int skipped)
    {
        foreach (FlashSegment segment in FlashSegment.ReadRing(directory, prefix))
        {
            if (segment.Sequence < sequence)
                continue;
            int start = segment.Sequence == sequence ? Math.Min(offset, segment.Bytes.Length) : 0;
            FlashSegment.ParseLines(segment.Bytes, start, into, out int consumed, ref skipped);
            sequence = segment.Sequence;
            offset = consumed;
        }
        return (sequence, offset);
    }

    /// <summary>
    /// The two rings' lines as one sequence: each ring is in order already (one writer, one
    /// boot after the other), so this is the merge step of a merge sort on (boot, MONO).
    /// </summary>
    internal static void Merge(List<FlashLine> log, List<FlashLine> runs, List<FlashLine> into)
    {
        List<string> boots = MergeBoots(BootsOf(log), BootsOf(runs));
        int i = 0, j = 0;
        while (i < log.Count && j < runs.Count)
        {
            int byBoot = boots.IndexOf(log[i].Boot).CompareTo(boots.IndexOf(runs[j].Boot));
            bool logFirst = byBoot < 0 || (byBoot == 0 && log[i].MonoMicros() <= runs[j].MonoMicros());
            into.Add(logFirst ? log[i++] : runs[j++]);
        }
        for (; i < log.Count; i++)
            into.Add(log[i]);
        for (; j < runs.Count; j++)
            into.Add(runs[j]);
    }

    /// <summary>
    /// One boot order from the two rings' orders, each right as far as it goes. A boot only one
    /// ring has goes before the next boot the other ring has that this ring has later too.
    /// Where neither ring says (a boot only in the log ring beside one only in the run ring),
    /// the log ring's goes first: both rings lose their oldest lines first, and a boot's first
    /// line (its boot marker) is a run line, so a boot with no run line left is older than
    /// every boot the run ring still holds.
    /// </summary>
    internal static List<string> MergeBoots(List<string> log, List<string> runs)
    {
        var order = new List<string>(log.Count + runs.Count);
        int i = 0, j = 0;
        while (i < log.Count && j < runs.Count)
        {
            if (log[i] == runs[j])
            {
                order.Add(log[i++]);
                j++;
            }
            else if (runs.IndexOf(log[i], j) >= 0 && log.IndexOf(runs[j], i) < 0)
                order.Add(runs[j++]);
            else
                order.Add(log[i++]);
        }
        for (; i < log.Count; i++)
            order.Add(log[i]);
        for (; j < runs.Count; j++)
            order.Add(runs[j]);
        return order;
    }

    private static List<string> BootsOf(List<FlashLine> lines)
    {
        var boots = new List<string>();
        foreach (FlashLine line in lines)
            if (boots.Count == 0 || boots[boots.Count - 1] != line.Boot)
                if (!boots.Contains(line.Boot))
                    boots.Add(line.Boot);
        return boots;
    }

    /// <summary>Boot ids in the order they first appear, oldest first.</summary>
    public List<string> Boots() => BootsOf(Lines);

    /// <summary>The boot <paramref name="relative"/> back from the newest (0 the newest, -1 the one before); null if the ring does not reach it.</summary>
    public string? BootAt(int relative)
    {
        List<string> boots = Boots();
        int index = boots.Count - 1 + relative;
        return relative <= 0 && index >= 0 ? boots[index] : null;
    }

    /// <summary>How the newest boot in the rings ended, judged by its last readable line.</summary>
    public PreviousExit LastExit()
    {
        if (Lines.Count == 0)
            return PreviousExit.None;
        FlashLine last = Lines[Lines.Count - 1];
        return PreviousExit.FromLastLine(last);
    }
}
