using System.Text;

namespace Mapt.Text;

/// <summary>
/// The characters a line meant for a human never carries raw, and how they are shown instead:
/// the C0 controls, DEL and the C1 controls U+0080-U+009F. A terminal acts on them (U+009B is
/// CSI, the 8-bit form of ESC [; U+0085 is a line break to some readers), so text from the
/// network would otherwise move the cursor or forge a line on a serial console. '\n', '\r' and
/// '\t' become their C escapes, every other one "\?". One rule for the flash and console lines
/// (<see cref="Logging.FlashLine"/> applies it to UTF-8 bytes), <c>mapt log</c> and
/// <c>mapt status</c>.
/// </summary>
internal static class ControlEscape
{
    public static bool IsControl(int c) => c < 0x20 || (c >= 0x7f && c <= 0x9f);

    /// <summary>The letter after the backslash: n, r, t, or '?' for the others.</summary>
    public static char Letter(int c) => c switch { '\n' => 'n', '\r' => 'r', '\t' => 't', _ => '?' };

    /// <summary>The text with every control escaped; the same string when it holds none.</summary>
    public static string ForDisplay(string text)
    {
        int first = 0;
        while (first < text.Length && !IsControl(text[first]))
            first++;
        if (first == text.Length)
            return text;
        var shown = new StringBuilder(text.Length + 8);
        shown.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (IsControl(c))
                shown.Append('\\').Append(Letter(c));
            else
                shown.Append(c);
        }
        return shown.ToString();
    }
}
