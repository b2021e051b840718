using System;
using System.Globalization;
using System.Text;

namespace Mapt.Text;

/// <summary>
/// The small JSON writer every --json output and state file uses. System.Text.Json would
/// cost a few hundred KB of the binary for what is a handful of flat objects. Commas and
/// nesting are tracked here, so callers only say what comes next.
/// </summary>
public sealed class JsonWriter
{
    private readonly StringBuilder _text = new();
    private readonly bool _indented;
    // Bit i set: the container at depth i already has an element, so the next needs a comma.
    private ulong _hasElement;
    private int _depth;
    private bool _afterName;

    public JsonWriter(bool indented = false) => _indented = indented;

    public JsonWriter StartObject() => Open('{');
    public JsonWriter EndObject() => Close('}');
    public JsonWriter StartArray() => Open('[');
    public JsonWriter EndArray() => Close(']');

    public JsonWriter StartObject(string name) => Name(name).StartObject();
    public JsonWriter StartArray(string name) => Name(name).StartArray();

    public JsonWriter Name(string name)
    {
        BeforeValue();
        WriteString(name);
        _text.Append(_indented ? ": " : ":");
        _afterName = true;
        return this;
    }

    public JsonWriter String(string? value)
    {
        BeforeValue();
        if (value is null)
            _text.Append("null");
        else
            WriteString(value);
        return this;
    }

    public JsonWriter Number(long value)
    {
        BeforeValue();
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public JsonWriter Number(ulong value)
    {
        BeforeValue();
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public JsonWriter Number(double value)
    {
        BeforeValue();
        _text.Append(double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "null");
        return this;
    }

    public JsonWriter Bool(bool value)
    {
        BeforeValue();
        _text.Append(value ? "true" : "false");
        return this;
    }

    public JsonWriter Null()
    {
        BeforeValue();
        _text.Append("null");
        return this;
    }

    public JsonWriter Property(string name, string? value) => Name(name).String(value);
    public JsonWriter Property(string name, long value) => Name(name).Number(value);
    public JsonWriter Property(string name, ulong value) => Name(name).Number(value);
    public JsonWriter Property(string name, double value) => Name(name).Number(value);
    public JsonWriter Property(string name, bool value) => Name(name).Bool(value);

    /// <summary>The document; throws if a container is still open (a caller bug, not data).</summary>
    public override string ToString()
    {
        if (_depth != 0)
            throw new InvalidOperationException("JSON document has " + _depth + " unclosed container(s)");
        return _text.ToString();
    }

    private JsonWriter Open(char bracket)
    {
        BeforeValue();
        if (_depth >= 63)
            throw new InvalidOperationException("JSON nesting deeper than 63");
        _text.Append(bracket);
        _depth++;
        _hasElement &= ~(1UL << _depth);
        return this;
    }

    private JsonWriter Close(char bracket)
    {
        if (_depth == 0 || _afterName)
            throw new InvalidOperationException("unbalanced JSON " + bracket);
        bool hadElements = (_hasElement & (1UL << _depth)) != 0;
        _depth--;
        if (_indented && hadElements)
            NewLine();
        _text.Append(bracket);
        return this;
    }

    private void BeforeValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }
        if (_depth == 0)
        {
            if (_text.Length != 0)
                throw new InvalidOperationException("a JSON document has one root value");
            return;
        }
        ulong bit = 1UL << _depth;
        if ((_hasElement & bit) != 0)
            _text.Append(',');
        _hasElement |= bit;
        if (_indented)
            NewLine();
    }

    private void NewLine()
    {
        _text.Append('\n');
        _text.Append(' ', _depth * 2);
    }

    private void WriteString(string value)
    {
        _text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                default:
                    // C1 and DEL too: the output is also read on terminals (ControlEscape).
                    if (ControlEscape.IsControl(c))
                        _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        _text.Append(c);
                    break;
            }
        }
        _text.Append('"');
    }
}
