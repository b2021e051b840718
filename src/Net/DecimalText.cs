using System;

namespace Mapt.Net;

/// <summary>
/// Decimal digits into a span: the address and prefix formatters need only this, and it keeps
/// the generic number formatting machinery out of the hot paths.
/// </summary>
internal static class DecimalText
{
    public static bool TryWrite(ulong value, Span<char> destination, out int written)
    {
        Span<char> digits = stackalloc char[20];
        int n = 0;
        do
        {
            digits[n++] = (char)('0' + (int)(value % 10));
            value /= 10;
        } while (value != 0);
        written = 0;
        if (n > destination.Length)
            return false;
        for (int i = 0; i < n; i++)
            destination[i] = digits[n - 1 - i];
        written = n;
        return true;
    }

    /// <summary>A decimal number 0..max with no sign, no leading zeros (except "0" itself).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, uint max, out uint value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 10 || (text.Length > 1 && text[0] == '0'))
            return false;
        ulong v = 0;
        foreach (char c in text)
        {
            if (c < '0' || c > '9')
                return false;
            v = v * 10 + (uint)(c - '0');
        }
        if (v > max)
            return false;
        value = (uint)v;
        return true;
    }
}
