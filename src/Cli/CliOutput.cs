using System;
using System.Text;
using Mapt.Net;

namespace Mapt.Cli;

/// <summary>
/// A verb's result written once and rendered either as one JSON object (--json) or as text
/// for an 80-column serial console ("label   value" lines, the label being the JSON key with
/// spaces). One writer for both keeps the two forms in step and the binary small: no
/// System.Text.Json. Stand-in until the shared src/Text/JsonWriter.cs lands on main.
/// </summary>
internal sealed class CliOutput
{
    public const int LabelWidth = 18;
    public const int Columns = 80;

    private readonly StringBuilder _json = new("{");
    private readonly StringBuilder _text = new();
    // Whether a comma is due before the next JSON member.
    private bool _comma;

    public string Json => _json.ToString() + "}\n";
    public string Text => _text.ToString();

    /// <summary>A string member; <paramref name="text"/> replaces the value in the text form.</summary>
    public CliOutput String(string key, string? value, string? text = null)
    {
        Key(key);
        if (value == null)
            _json.Append("null");
        else
            Quote(value);
        return Line(key, text ?? value ?? "-");
    }

    public CliOutput Number(string key, long value, string? text = null)
    {
        Key(key);
        AppendNumber(_json, value);
        return Line(key, text ?? value.ToString());
    }

    public CliOutput Bool(string key, bool value)
    {
        Key(key);
        _json.Append(value ? "true" : "false");
        return Line(key, value ? "yes" : "no");
    }

    /// <summary>A line of the text form only.</summary>
    public CliOutput Note(string label, string value) => Line(label, value);

    /// <summary>An array of [first, last] pairs in JSON; in text, a summary line and the ranges folded six to a line.</summary>
    public CliOutput Ranges(string key, Map.PortSet set, string summary)
    {
        Key(key);
        Line(key, summary);
        _json.Append('[');
        int inLine = 0, pad = 2;
        bool first = true;
        foreach (Map.PortRange range in set)
        {
            if (!first)
                _json.Append(',');
            first = false;
            _json.Append('[');
            AppendNumber(_json, range.First);
            _json.Append(',');
            AppendNumber(_json, range.Last);
            _json.Append(']');
            string cell = range.First == range.Last ? range.First.ToString() : range.First.ToString() + "-" + range.Last.ToString();
            _text.Append(' ', pad).Append(cell);
            pad = 12 - cell.Length;
            if (++inLine == 6)
            {
                _text.Append('\n');
                inLine = 0;
                pad = 2;
            }
        }
        if (inLine != 0)
            _text.Append('\n');
        _json.Append(']');
        return this;
    }

    /// <summary>A nested object or array (JSON only; in text, a blank line separates objects).</summary>
    public CliOutput Open(string? key, char bracket)
    {
        if (key != null)
            Key(key);
        else if (_comma)
        {
            _json.Append(',');
            _text.Append('\n');
        }
        _json.Append(bracket);
        _comma = false;
        return this;
    }

    public CliOutput Close(char bracket)
    {
        _json.Append(bracket);
        _comma = true;
        return this;
    }

    private void Key(string key)
    {
        if (_comma)
            _json.Append(',');
        _comma = true;
        _json.Append('"').Append(key).Append("\":");
    }

    private void Quote(string value)
    {
        _json.Append('"');
        foreach (char c in value)
        {
            if (c == '"' || c == '\\')
                _json.Append('\\').Append(c);
            else if (c < 0x20)
                _json.Append("\\u00").Append((char)('0' + (c >> 4))).Append("0123456789abcdef"[c & 0xf]);
            else
                _json.Append(c);
        }
        _json.Append('"');
    }

    private static void AppendNumber(StringBuilder text, long value)
    {
        Span<char> digits = stackalloc char[20];
        if (value < 0)
            text.Append('-');
        DecimalText.TryWrite(value < 0 ? (ulong)-value : (ulong)value, digits, out int n);
        text.Append(digits.Slice(0, n));
    }

    /// <summary>Label column then value; a value too long continues under itself, cut after a comma or space.</summary>
    private CliOutput Line(string key, string value)
    {
        foreach (char c in key)
            _text.Append(c == '_' ? ' ' : c);
        _text.Append(' ', Math.Max(1, LabelWidth - key.Length));
        while (LabelWidth + value.Length > Columns)
        {
            int cut = Columns - LabelWidth;
            while (cut > 1 && value[cut - 1] != ',' && value[cut - 1] != ' ')
                cut--;
            _text.Append(value, 0, value[cut - 1] == ' ' ? cut - 1 : cut).Append('\n').Append(' ', LabelWidth);
            value = value.Substring(cut);
        }
        _text.Append(value).Append('\n');
        return this;
    }
}
