using System;
using System.Collections.Generic;

namespace Mapt.Logging;

/// <summary>
/// What the ring on flash holds, read without a running daemon: the lines oldest first, how
/// many were unreadable (torn by a power loss), and the boots (mapt starts) they belong to.
/// </summary>
internal sealed class FlashLogContents
{
    public List<FlashLine> Lines { get; } = new();
    public int SkippedLines { get; private set; }

    /// <summary>Where reading stopped: the newest segment's sequence and byte offset (for --follow).</summary>
    public long LastSequence { get; private set; } = -1;
    public int LastOffset { get; private set; }

    public static FlashLogContents Read(string directory) => ReadAfter(directory, -1, 0);

    /// <summary>The lines written after a position an earlier read returned.</summary>
    public static FlashLogContents ReadAfter(string directory, long sequence, int offset)
    {
        var contents = new FlashLogContents { LastSequence = sequence, LastOffset = offset };
        int skipped = 0;
        foreach (FlashSegment segment in FlashSegment.ReadRing(directory))
        {
            if (segment.Sequence < sequence)
                continue;
            int start = segment.Sequence == sequence ? Math.Min(offset, segment.Bytes.Length) : 0;
            FlashSegment.ParseLines(segment.Bytes, start, contents.Lines, out int consumed, ref skipped);
            contents.LastSequence = segment.Sequence;
            contents.LastOffset = consumed;
        }
        contents.SkippedLines = skipped;
        return contents;
    }

    /// <summary>Boot ids in the order they first appear, oldest first.</summary>
    public List<string> Boots()
    {
        var boots = new List<string>();
        foreach (FlashLine line in Lines)
            if (boots.Count == 0 || boots[boots.Count - 1] != line.Boot)
                if (!boots.Contains(line.Boot))
                    boots.Add(line.Boot);
        return boots;
    }

    /// <summary>The boot <paramref name="relative"/> back from the newest (0 the newest, -1 the one before); null if the ring does not reach it.</summary>
    public string? BootAt(int relative)
    {
        List<string> boots = Boots();
        int index = boots.Count - 1 + relative;
        return relative <= 0 && index >= 0 ? boots[index] : null;
    }

    /// <summary>How the newest boot in the ring ended, judged by its last readable line.</summary>
    public PreviousExit LastExit()
    {
        if (Lines.Count == 0)
            return PreviousExit.None;
        FlashLine last = Lines[Lines.Count - 1];
        return PreviousExit.FromLastLine(last);
    }
}
