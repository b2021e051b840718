namespace Mapt.Logging;

/// <summary>
/// Where a read of the flash stopped, so `mapt log --follow` reads only what came after: the
/// newest segment's sequence and byte offset in the log ring and in the run ring (-1: none read).
/// </summary>
internal readonly record struct FlashLogPosition(long LogSequence, int LogOffset, long RunSequence, int RunOffset)
{
    public static readonly FlashLogPosition Start = new(-1, 0, -1, 0);
}
