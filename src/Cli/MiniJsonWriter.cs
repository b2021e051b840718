using System.Text;

namespace Mapt.Cli;

/// <summary>
/// Just enough JSON for the verbs' --json output (objects, arrays, strings, integers,
/// booleans), written into one StringBuilder: System.Text.Json would cost the binary more than
/// its size budget allows. Stand-in until the shared src/Text/JsonWriter.cs lands on main.
/// </summary>
internal sealed class MiniJsonWriter
{
    private readonly StringBuilder _text = new();
    // Whether the container at each depth already has a member (a comma is due).
    private readonly bool[] _hasMember = new bool[16];
    private int _depth;

    public MiniJsonWriter BeginObject(string? name = null) => Open(name, '{');
    public MiniJsonWriter EndObject() => Close('}');
    public MiniJsonWriter BeginArray(string? name = null) => Open(name, '[');
    public MiniJsonWriter EndArray() => Close(']');

    public MiniJsonWriter String(string? name, string value)
    {
        Member(name);
        Quote(value);
        return this;
    }

    public MiniJsonWriter Number(string? name, long value)
    {
        Member(name);
        _text.Append(value);
        return this;
    }

    public MiniJsonWriter Number(string? name, ulong value)
    {
        Member(name);
        _text.Append(value);
        return this;
    }

    public MiniJsonWriter Bool(string? name, bool value)
    {
        Member(name);
        _text.Append(value ? "true" : "false");
        return this;
    }

    public MiniJsonWriter Null(string? name)
    {
        Member(name);
        _text.Append("null");
        return this;
    }

    public override string ToString() => _text.ToString();

    private MiniJsonWriter Open(string? name, char bracket)
    {
        Member(name);
        _text.Append(bracket);
        _hasMember[++_depth] = false;
        return this;
    }

    private MiniJsonWriter Close(char bracket)
    {
        _text.Append(bracket);
        _depth--;
        return this;
    }

    private void Member(string? name)
    {
        if (_hasMember[_depth])
            _text.Append(',');
        _hasMember[_depth] = true;
        if (name is not null)
        {
            Quote(name);
            _text.Append(':');
        }
    }

    private void Quote(string value)
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
                    if (c < 0x20)
                        _text.Append("\\u00").Append(Hex(c >> 4)).Append(Hex(c & 0xf));
                    else
                        _text.Append(c);
                    break;
            }
        }
        _text.Append('"');
    }

    private static char Hex(int d) => (char)(d < 10 ? '0' + d : 'a' + d - 10);
}
