using System;
using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Mapt.Text;
using Microsoft.Extensions.Logging;

namespace Mapt.Logging;

/// <summary>
/// One line of the flash log, in the layout the native shim's crash handler writes too
/// (native-shim/crash.c, keep both in step):
/// <code>TIME MONO BOOT LEVEL EVENTID CATEGORY MESSAGE\n</code>
/// TIME is UTC "2026-11-26T14:00:00.123Z" (fixed width, so text order is time order), MONO is
/// CLOCK_MONOTONIC "seconds.micros" (gateways often start without a real-time clock: the
/// monotonic offset still orders a boot's lines), BOOT the id of the mapt start that wrote the
/// line, LEVEL a <see cref="LogLevelWords"/> word. The message is one line: control characters
/// (C0, DEL and C1, <see cref="ControlEscape"/>) are escaped, so a line ends only at its '\n',
/// a line without one was torn by a power loss, and no line can drive the terminal showing it.
/// </summary>
internal sealed class FlashLine
{
    /// <summary>Longest line written, '\n' included; longer messages are cut and end in "...".</summary>
    public const int MaxBytes = 1024;
    public const int TimeLength = 24;

    public string Time { get; }
    public string Mono { get; }
    public string Boot { get; }
    public LogLevel Level { get; }
    public int EventId { get; }
    public string Category { get; }
    public string Message { get; }

    public FlashLine(string time, string mono, string boot, LogLevel level, int eventId, string category, string message)
    {
        Time = time;
        Mono = mono;
        Boot = boot;
        Level = level;
        EventId = eventId;
        Category = category;
        Message = message;
    }

    /// <summary>Writes one line into <paramref name="destination"/> (at least <see cref="MaxBytes"/>); returns its length.</summary>
    public static int Format(Span<byte> destination, DateTime utc, long monoMicros, string boot, LogLevel level,
        int eventId, string category, string message)
    {
        var w = new Writer(destination.Slice(0, MaxBytes));
        w.Time(utc);
        w.Byte((byte)' ');
        w.Unsigned((ulong)(monoMicros / 1_000_000), 1);
        w.Byte((byte)'.');
        w.Unsigned((ulong)(monoMicros % 1_000_000), 6);
        w.Byte((byte)' ');
        w.Word(boot);
        w.Byte((byte)' ');
        w.Ascii(LogLevelWords.Of(level));
        w.Byte((byte)' ');
        w.Unsigned((ulong)Math.Max(eventId, 0), 1);
        w.Byte((byte)' ');
        w.Word(category);
        w.Byte((byte)' ');
        w.Message(message);
        w.Byte((byte)'\n');
        return w.Length;
    }

    /// <summary>
    /// Parses one line without its '\n'. False for anything that is not a whole line of the
    /// layout: a torn line, the zeros a file system leaves after a power loss, a segment header.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out FlashLine? parsed)
    {
        parsed = null;
        // No control bytes: written lines have them escaped, so one means damage.
        if (line.Length < TimeLength + 12 || line.IndexOfAnyInRange((byte)0, (byte)0x1f) >= 0 || !IsTime(line.Slice(0, TimeLength)) || line[TimeLength] != ' ')
            return false;
        ReadOnlySpan<byte> rest = line.Slice(TimeLength + 1);
        if (!NextField(ref rest, out ReadOnlySpan<byte> mono) || !IsMono(mono)
            || !NextField(ref rest, out ReadOnlySpan<byte> boot)
            || !NextField(ref rest, out ReadOnlySpan<byte> levelWord)
            || !LogLevelWords.TryParse(Encoding.UTF8.GetString(levelWord), out LogLevel level)
            || !NextField(ref rest, out ReadOnlySpan<byte> id) || !TryParseId(id, out int eventId)
            || !NextField(ref rest, out ReadOnlySpan<byte> category))
            return false;
        parsed = new FlashLine(Encoding.UTF8.GetString(line.Slice(0, TimeLength)), Encoding.UTF8.GetString(mono),
            Encoding.UTF8.GetString(boot), level, eventId, Encoding.UTF8.GetString(category), Encoding.UTF8.GetString(rest));
        return true;
    }

    /// <summary>
    /// The line as stored (without '\n'), for a terminal: a control character that reached the
    /// file anyway (a C1 control written before they were escaped, a tampered file) is escaped.
    /// </summary>
    public override string ToString() => ControlEscape.ForDisplay(
        Time + " " + Mono + " " + Boot + " " + LogLevelWords.Of(Level) + " " + EventId.ToString() + " " + Category + " " + Message);

    /// <summary>One JSON object (mapt log --json); mono in seconds as a number.</summary>
    public string ToJson()
    {
        var json = new JsonWriter();
        json.StartObject()
            .Property("time", Time)
            .Property("mono", MonoSeconds())
            .Property("boot", Boot)
            .Property("level", LogLevelWords.Of(Level))
            .Property("id", EventId)
            .Property("category", Category)
            .Property("message", Message)
            .EndObject();
        return json.ToString();
    }

    /// <summary>MONO in microseconds: orders the lines of one boot across the log and run rings.</summary>
    public long MonoMicros()
    {
        long whole = 0, micros = 0;
        int digits = -1;
        foreach (char c in Mono)
        {
            if (c == '.')
                digits = 0;
            else if (digits < 0)
                whole = whole * 10 + (c - '0');
            else if (digits++ < 6)
                micros = micros * 10 + (c - '0');
        }
        for (; digits < 6; digits++)
            micros *= 10;
        return whole * 1_000_000 + micros;
    }

    // Mono was checked to be digits '.' digits when the line was parsed.
    private double MonoSeconds()
    {
        long whole = 0, fraction = 0, scale = 1;
        bool afterDot = false;
        foreach (char c in Mono)
        {
            if (c == '.')
                afterDot = true;
            else if (afterDot && scale < 1_000_000_000)
                (fraction, scale) = (fraction * 10 + (c - '0'), scale * 10);
            else if (!afterDot)
                whole = whole * 10 + (c - '0');
        }
        return whole + (double)fraction / scale;
    }

    private static bool NextField(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> field)
    {
        int space = rest.IndexOf((byte)' ');
        if (space <= 0)
        {
            field = default;
            return false;
        }
        field = rest.Slice(0, space);
        rest = rest.Slice(space + 1);
        return true;
    }

    // "2026-11-26T14:00:00.123Z": digits where digits belong, the separators where they belong.
    private static bool IsTime(ReadOnlySpan<byte> t)
    {
        const string shape = "dddd-dd-ddTdd:dd:dd.dddZ";
        for (int i = 0; i < TimeLength; i++)
        {
            bool ok = shape[i] == 'd' ? t[i] is >= (byte)'0' and <= (byte)'9' : t[i] == shape[i];
            if (!ok)
                return false;
        }
        return true;
    }

    private static bool IsMono(ReadOnlySpan<byte> mono)
    {
        int dot = mono.IndexOf((byte)'.');
        if (dot <= 0 || dot == mono.Length - 1)
            return false;
        for (int i = 0; i < mono.Length; i++)
            if (i != dot && mono[i] is < (byte)'0' or > (byte)'9')
                return false;
        return true;
    }

    private static bool TryParseId(ReadOnlySpan<byte> digits, out int id)
    {
        id = 0;
        if (digits.Length is 0 or > 9)
            return false;
        foreach (byte b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
                return false;
            id = id * 10 + (b - '0');
        }
        return true;
    }

    /// <summary>An append cursor that never writes past its span (the line is cut instead).</summary>
    private ref struct Writer
    {
        private readonly Span<byte> _buffer;
        public int Length;

        public Writer(Span<byte> buffer)
        {
            _buffer = buffer;
            Length = 0;
        }

        public void Byte(byte b)
        {
            if (Length < _buffer.Length)
                _buffer[Length++] = b;
        }

        public void Ascii(string text)
        {
            foreach (char c in text)
                Byte((byte)c);
        }

        public void Unsigned(ulong value, int minDigits)
        {
            Span<byte> digits = stackalloc byte[20];
            int n = 0;
            do
            {
                digits[n++] = (byte)('0' + (int)(value % 10));
                value /= 10;
            } while (value != 0);
            while (n < minDigits)
                digits[n++] = (byte)'0';
            while (n > 0)
                Byte(digits[--n]);
        }

        public void Time(DateTime utc)
        {
            Unsigned((ulong)utc.Year, 4);
            Byte((byte)'-');
            Unsigned((ulong)utc.Month, 2);
            Byte((byte)'-');
            Unsigned((ulong)utc.Day, 2);
            Byte((byte)'T');
            Unsigned((ulong)utc.Hour, 2);
            Byte((byte)':');
            Unsigned((ulong)utc.Minute, 2);
            Byte((byte)':');
            Unsigned((ulong)utc.Second, 2);
            Byte((byte)'.');
            Unsigned((ulong)utc.Millisecond, 3);
            Byte((byte)'Z');
        }

        /// <summary>A field that must stay one word: spaces become '_', an empty one "-".</summary>
        public void Word(string text)
        {
            if (text.Length == 0)
            {
                Byte((byte)'-');
                return;
            }
            foreach (char c in text)
                Byte(c <= ' ' || c >= 0x7f ? (byte)'_' : (byte)c);
        }

        /// <summary>
        /// The message as UTF-8 with control characters escaped (so the line stays one line),
        /// cut at a character boundary with "..." when it would not fit before the '\n'.
        /// </summary>
        public void Message(string text)
        {
            int room = _buffer.Length - Length - 1;
            Span<byte> utf8 = stackalloc byte[MaxBytes];
            bool cut = Utf8.FromUtf16(text, utf8, out _, out int written, replaceInvalidSequences: true, isFinalBlock: true)
                == OperationStatus.DestinationTooSmall;
            int needed = 0;
            for (int i = 0; i < written; i++)
                needed += IsControl(utf8[i]) ? 2 : 1;
            if (!cut && needed <= room)
            {
                Escaped(utf8.Slice(0, written));
                return;
            }
            int budget = room - 3;
            int end = 0;
            while (end < written)
            {
                // Whole UTF-8 sequences only, so the cut line stays valid text.
                int length = SequenceLength(utf8[end]);
                int cost = length == 1 && IsControl(utf8[end]) ? 2 : length;
                if (end + length > written || cost > budget)
                    break;
                budget -= cost;
                end += length;
            }
            Escaped(utf8.Slice(0, end));
            Ascii("...");
        }

        private void Escaped(scoped ReadOnlySpan<byte> utf8)
        {
            for (int i = 0; i < utf8.Length; i++)
            {
                byte b = utf8[i];
                if (IsControl(b))
                {
                    Byte((byte)'\\');
                    Byte((byte)ControlEscape.Letter(b));
                }
                else if (b == C1Lead && i + 1 < utf8.Length && utf8[i + 1] <= 0x9f)
                {
                    // A C1 control (U+0080-U+009F is 0xC2 0x80-0x9F in UTF-8): two bytes, and
                    // its escape is two bytes too, so the length reckoning above holds for it.
                    Byte((byte)'\\');
                    Byte((byte)'?');
                    i++;
                }
                else
                {
                    Byte(b);
                }
            }
        }

        private const byte C1Lead = 0xC2;

        // The one-byte controls (C0 and DEL); C1 controls are two-byte sequences, see Escaped.
        private static bool IsControl(byte b) => b < 0x80 && ControlEscape.IsControl(b);

        private static int SequenceLength(byte lead) => lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    }
}
