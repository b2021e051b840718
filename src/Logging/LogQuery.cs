using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace Mapt.Logging;

/// <summary>
/// Which lines `mapt log` shows: one boot (0 the newest, -1 the one before ...) or all, at or
/// after a UTC time, at or above a level. Pure: it selects from lines already read.
/// </summary>
internal sealed class LogQuery
{
    public int Boot { get; init; }
    public bool AllBoots { get; init; }
    /// <summary>Normalised as the lines store time (see <see cref="TryNormalizeTime"/>); null for no limit.</summary>
    public string? Since { get; init; }
    public LogLevel MinLevel { get; init; } = LogLevel.Trace;

    /// <summary>The selected lines; false when the ring does not reach the boot asked for.</summary>
    public bool TrySelect(FlashLogContents contents, List<FlashLine> into)
    {
        string? boot = null;
        if (!AllBoots)
        {
            boot = contents.BootAt(Boot);
            if (boot is null)
                return false;
        }
        foreach (FlashLine line in contents.Lines)
            if ((boot is null || line.Boot == boot) && Matches(line))
                into.Add(line);
        return true;
    }

    /// <summary>The time and level filters alone (for lines --follow sees arrive).</summary>
    public bool Matches(FlashLine line) =>
        line.Level >= MinLevel && (Since is null || string.CompareOrdinal(line.Time, Since) >= 0);

    /// <summary>"0", "-1", "-2" ...: how many boots back from the newest.</summary>
    public static bool TryParseBoot(string text, out int boot)
    {
        boot = 0;
        int start = text.StartsWith('-') ? 1 : 0;
        if (text.Length == start || text.Length - start > 6)
            return false;
        for (int i = start; i < text.Length; i++)
        {
            if (text[i] is < '0' or > '9')
                return false;
            boot = boot * 10 - (text[i] - '0');
        }
        return start == 1 || boot == 0;
    }

    /// <summary>
    /// "2026-11-26", "2026-11-26T14:00", "2026-11-26T14:00:05", with ".123" and "Z" optional
    /// (a space may stand for the T; UTC always), to the lines' fixed form
    /// "2026-11-26T14:00:05.123Z", whose text order is time order.
    /// </summary>
    public static bool TryNormalizeTime(string text, out string normalized)
    {
        normalized = "";
        if (text.EndsWith('Z'))
            text = text.Substring(0, text.Length - 1);
        const string full = "0000-01-01T00:00:00.000";
        const string shape = "dddd-dd-ddTdd:dd:dd.ddd";
        // The lengths at which a prefix is a whole value: date, minutes, seconds, milliseconds.
        if (text.Length is not (10 or 16 or 19 or 23))
            return false;
        var chars = new char[full.Length + 1];
        for (int i = 0; i < full.Length; i++)
        {
            if (i >= text.Length)
            {
                chars[i] = full[i];
                continue;
            }
            char c = text[i];
            if (shape[i] == 'd' ? c is < '0' or > '9' : c != shape[i] && !(i == 10 && c == ' '))
                return false;
            chars[i] = shape[i] == 'd' ? c : shape[i];
        }
        chars[full.Length] = 'Z';
        normalized = new string(chars);
        return true;
    }
}
