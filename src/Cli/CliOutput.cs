using System;
using System.Text;
using Mapt.Text;

namespace Mapt.Cli;

/// <summary>
/// A verb's result written once and rendered either as one JSON object (--json, through the
/// shared <see cref="JsonWriter"/>) or as text for an 80-column serial console ("label  value"
/// lines, the label being the JSON key with spaces). One call per field keeps the two forms
/// in step and the binary small.
/// </summary>
internal sealed class CliOutput
{
    public const int LabelWidth = 18;
    public const int Columns = 80;

    private readonly JsonWriter _json = new JsonWriter().StartObject();
    private readonly StringBuilder _text = new();
    private bool _objectWritten;

    /// <summary>The JSON document with a final newline; call once, after the last field.</summary>
    public string Json() => _json.EndObject().ToString() + "\n";

    public string Text => _text.ToString();

    /// <summary>A string member (or null); <paramref name="text"/> replaces the value in the text form.</summary>
    public CliOutput String(string key, string? value, string? text = null)
    {
        _json.Property(key, value);
        return Line(key, text ?? value ?? "-");
    }

    public CliOutput Number(string key, long value, string? text = null)
    {
        _json.Property(key, value);
        return Line(key, text ?? value.ToString());
    }

    public CliOutput Bool(string key, bool value)
    {
        _json.Property(key, value);
        return Line(key, value ? "yes" : "no");
    }

    /// <summary>A line of the text form only.</summary>
    public CliOutput Note(string label, string value) => Line(label, value);

    /// <summary>
    /// An array of [first, last] pairs in JSON; in text, a summary line and the ranges in
    /// fixed-width cells, six to a line (never past column 80).
    /// </summary>
    public CliOutput Ranges(string key, Map.PortSet set, string summary)
    {
        Line(key, summary);
        _json.StartArray(key);
        int inLine = 0, pad = 2;
        foreach (Map.PortRange range in set)
        {
            _json.StartArray().Number(range.First).Number(range.Last).EndArray();
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
        _json.EndArray();
        return this;
    }

    /// <summary>An array member (JSON only).</summary>
    public CliOutput StartArray(string key)
    {
        _json.StartArray(key);
        return this;
    }

    public CliOutput EndArray()
    {
        _json.EndArray();
        return this;
    }

    /// <summary>An object inside an array; in text, a blank line separates objects.</summary>
    public CliOutput StartObject()
    {
        if (_objectWritten)
            _text.Append('\n');
        _objectWritten = true;
        _json.StartObject();
        return this;
    }

    public CliOutput EndObject()
    {
        _json.EndObject();
        return this;
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
