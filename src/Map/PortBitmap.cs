using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Mapt.Map;

/// <summary>One bit per port (8 KB), reused for every address of a domain check.</summary>
internal sealed class PortBitmap
{
    private readonly ulong[] _words = new ulong[1024];

    public void Clear() => Array.Clear(_words);

    /// <summary>Marks First..Last; false (and nothing marked) if any of them was already marked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryMark(int first, int last)
    {
        // The usual case (ranges of up to 64 ports, aligned as the GMA makes them): one word.
        int single = first >> 6;
        if (single == last >> 6)
        {
            int n = last - first + 1;
            ulong mask = (n == 64 ? ulong.MaxValue : (1UL << n) - 1) << (first & 63);
            ref ulong word = ref _words[single];
            if ((word & mask) != 0)
                return false;
            word |= mask;
            return true;
        }
        return TryMarkWords(first, last);
    }

    private bool TryMarkWords(int first, int last)
    {
        int firstWord = first >> 6, lastWord = last >> 6;
        for (int w = firstWord; w <= lastWord; w++)
            if ((_words[w] & MaskOf(w, first, last)) != 0)
                return false;
        for (int w = firstWord; w <= lastWord; w++)
            _words[w] |= MaskOf(w, first, last);
        return true;
    }

    private static ulong MaskOf(int word, int first, int last)
    {
        int lo = word == first >> 6 ? first & 63 : 0;
        int hi = word == last >> 6 ? last & 63 : 63;
        ulong upTo = hi == 63 ? ulong.MaxValue : (1UL << (hi + 1)) - 1;
        return upTo & ~((1UL << lo) - 1);
    }

    /// <summary>True when exactly the ports lowest..65535 are marked; else the first port that is wrong.</summary>
    public bool IsExactly(int lowest, out int wrongPort)
    {
        for (int w = 0; w < 1024; w++)
        {
            ulong expected = MaskOf(w, Math.Min(Math.Max(lowest, w << 6), (w << 6) + 63), (w << 6) + 63);
            if (lowest > (w << 6) + 63)
                expected = 0;
            ulong diff = _words[w] ^ expected;
            if (diff != 0)
            {
                wrongPort = (w << 6) + BitOperations.TrailingZeroCount(diff);
                return false;
            }
        }
        wrongPort = -1;
        return true;
    }

    public bool IsMarked(int port) => (_words[port >> 6] & (1UL << (port & 63))) != 0;
}
