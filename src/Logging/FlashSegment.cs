using System;
using System.Collections.Generic;

namespace Mapt.Logging;

/// <summary>
/// One segment file of the ring as read back: its slot (the file name log.SLOT), its sequence
/// number from the header line, and its bytes. Slots are reused round the ring, so only the
/// sequence number orders segments; gateways often boot without a real-time clock, so the
/// lines' times cannot.
/// </summary>
internal sealed class FlashSegment
{
    public const string HeaderPrefix = "# mapt log segment ";

    /// <summary>Slots looked at by readers: far more than any ring is configured with.</summary>
    public const int MaxSlots = 64;

    public int Slot { get; }
    public long Sequence { get; }
    public byte[] Bytes { get; }

    public FlashSegment(int slot, long sequence, byte[] bytes)
    {
        Slot = slot;
        Sequence = sequence;
        Bytes = bytes;
    }

    /// <summary>The header every segment starts with; written before any line.</summary>
    public static byte[] Header(long sequence)
    {
        string text = HeaderPrefix + sequence.ToString() + "\n";
        byte[] bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
            bytes[i] = (byte)text[i];
        return bytes;
    }

    /// <summary>The sequence number in a segment's header; false for an empty or torn header.</summary>
    public static bool TryReadSequence(ReadOnlySpan<byte> bytes, out long sequence)
    {
        sequence = 0;
        int end = bytes.IndexOf((byte)'\n');
        if (end <= HeaderPrefix.Length || end - HeaderPrefix.Length > 18)
            return false;
        for (int i = 0; i < HeaderPrefix.Length; i++)
            if (bytes[i] != HeaderPrefix[i])
                return false;
        for (int i = HeaderPrefix.Length; i < end; i++)
        {
            if (bytes[i] is < (byte)'0' or > (byte)'9')
                return false;
            sequence = sequence * 10 + (bytes[i] - '0');
        }
        return true;
    }

    /// <summary>Every readable segment of one ring (<see cref="FlashStore.Prefix"/>) in the directory, oldest first.</summary>
    public static FlashSegment[] ReadRing(string directory, string prefix)
    {
        var found = new FlashSegment[MaxSlots];
        int count = 0;
        for (int slot = 0; slot < MaxSlots; slot++)
        {
            byte[]? bytes = FlashFiles.ReadAll(FlashFiles.SlotPath(directory, prefix, slot));
            if (bytes is null || !TryReadSequence(bytes, out long sequence))
                continue;
            // Insertion by sequence: a handful of segments, and no sort machinery in the binary.
            int at = count++;
            while (at > 0 && found[at - 1].Sequence > sequence)
            {
                found[at] = found[at - 1];
                at--;
            }
            found[at] = new FlashSegment(slot, sequence, bytes);
        }
        return found.AsSpan(0, count).ToArray();
    }

    /// <summary>
    /// The whole lines of <paramref name="bytes"/> from <paramref name="start"/>: a last line
    /// without its '\n' (torn by a power loss, or still being written) is not returned, and
    /// <paramref name="consumed"/> stops before it. Lines that do not parse are counted in
    /// <paramref name="skipped"/>.
    /// </summary>
    public static void ParseLines(ReadOnlySpan<byte> bytes, int start, List<FlashLine> into, out int consumed, ref int skipped)
    {
        int at = start;
        while (at < bytes.Length)
        {
            int end = bytes.Slice(at).IndexOf((byte)'\n');
            if (end < 0)
            {
                // NUL padding a file system left after a power loss is not a line being written.
                if (bytes.Slice(at).IndexOfAnyExcept((byte)0) >= 0)
                    skipped++;
                break;
            }
            ReadOnlySpan<byte> line = bytes.Slice(at, end);
            at += end + 1;
            if (line.Length == 0 || line[0] == (byte)'#')
                continue;
            if (FlashLine.TryParse(line, out FlashLine? parsed))
                into.Add(parsed!);
            else
                skipped++;
        }
        consumed = at;
    }
}
