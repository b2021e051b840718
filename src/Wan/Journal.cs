using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Mapt.Wan;

/// <summary>
/// What mapt is about to apply, written to flash before the first change, so that a process
/// that dies (kill -9, OOM, power cut) leaves behind exactly what the next start must undo.
/// Entries are in apply order and undone in reverse. Text, one change per line, so a field
/// engineer can read it with cat:
/// <code>
/// mapt-journal 1
/// pid 1234
/// wan eth0
/// map-dev map-mapt
/// translator nat46
/// map 2001:db8:12:3400::/56 ...
/// Nat46Device map-mapt
/// Route4 0.0.0.0/0 map-mapt
/// Iptables
///  *nat
///  ...
/// </code>
/// A body line starts with one space. An entry listed but never applied is harmless: undo
/// treats "already gone" as done.
/// </summary>
public sealed class Journal
{
    public const string Magic = "mapt-journal 1";

    public int Pid { get; init; }
    public string Wan { get; init; } = "";
    public string MapDevice { get; init; } = "";
    public string Translator { get; init; } = "";
    /// <summary>The canonical MAP content being applied (for the log of the restarted process).</summary>
    public string MapContent { get; init; } = "";
    public List<JournalEntry> Entries { get; init; } = new();

    // Spelled out rather than Enum.ToString/TryParse: the journal format must not change with
    // a rename in code, and reflection over enums costs binary size.
    internal static readonly string[] KindNames =
        { "Iptables", "Ip6tables", "Sysctl", "Route4", "Route6", "Address", "LinkMtu", "LinkDown", "Nat46Device", "Conntrack", "RouteRestore" };

    public string Format()
    {
        var text = new StringBuilder();
        text.Append(Magic).Append('\n');
        text.Append("pid ").Append(Pid.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Header(text, "wan", Wan);
        Header(text, "map-dev", MapDevice);
        Header(text, "translator", Translator);
        Header(text, "map", MapContent);
        foreach (JournalEntry e in Entries)
        {
            text.Append(KindNames[(int)e.Kind]);
            foreach (string a in e.Args)
                text.Append(' ').Append(a);
            text.Append('\n');
            if (e.Body.Length != 0)
                foreach (string line in e.Body.Split('\n'))
                    if (line.Length != 0)
                        text.Append(' ').Append(line).Append('\n');
        }
        text.Append("end\n");
        return text.ToString();
    }

    private static void Header(StringBuilder text, string key, string value)
    {
        if (value.Length != 0)
            text.Append(key).Append(' ').Append(value.Replace('\n', ' ')).Append('\n');
    }

    /// <summary>
    /// Parses a journal. A damaged one still yields every entry before the damage (undoing
    /// those is better than undoing nothing); <paramref name="error"/> then says where it broke.
    /// </summary>
    public static Journal Parse(string text, out string? error)
    {
        error = null;
        string[] lines = text.Split('\n');
        if (lines.Length == 0 || lines[0] != Magic)
        {
            error = "line 1: not a mapt journal (expected '" + Magic + "')";
            return new Journal();
        }
        int pid = 0;
        string wan = "", dev = "", translator = "", map = "";
        var entries = new List<JournalEntry>();
        bool ended = false;
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0)
                continue;
            if (line[0] == ' ')
            {
                if (entries.Count == 0)
                {
                    error = $"line {i + 1}: body text before any entry";
                    break;
                }
                JournalEntry last = entries[^1];
                entries[^1] = last with { Body = last.Body + line.Substring(1) + "\n" };
                continue;
            }
            int space = line.IndexOf(' ');
            string word = space < 0 ? line : line.Substring(0, space);
            string rest = space < 0 ? "" : line.Substring(space + 1);
            switch (word)
            {
                case "pid": int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out pid); break;
                case "wan": wan = rest; break;
                case "map-dev": dev = rest; break;
                case "translator": translator = rest; break;
                case "map": map = rest; break;
                case "end": ended = true; break;
                default:
                    int kind = Array.IndexOf(KindNames, word);
                    if (kind < 0)
                    {
                        error = $"line {i + 1}: unknown entry '{word}'";
                        goto done;
                    }
                    entries.Add(new JournalEntry((UndoKind)kind, rest.Length == 0 ? Array.Empty<string>() : rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
                    break;
            }
        }
    done:
        if (error is null && !ended)
            error = "journal ends without its 'end' line (cut short)";
        return new Journal { Pid = pid, Wan = wan, MapDevice = dev, Translator = translator, MapContent = map, Entries = entries };
    }
}
