using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Mapt.Provisioning;

/// <summary>
/// What mapt has applied to the running kernel, written before the first change so that a
/// process that dies (kill -9, OOM, a watchdog) leaves behind exactly what the next start
/// must take over or undo. It describes kernel state, so it lives with the kernel: in the run
/// directory (tmpfs), bound to the kernel's boot id. Entries are the plan's undo steps in
/// apply order (<see cref="Plan.Undo"/>), undone in reverse, conntrack last. Text, one step
/// per line, so a field engineer can read it with cat:
/// <code>
/// mapt-journal 2
/// boot 3f2a9c1e-...
/// pid 1234
/// wan eth0
/// map-dev map-mapt
/// translator nat46
/// iptables default
/// map 2001:db8:12:3400::/56 ...
/// nat46-delete map-mapt
/// filter-remove ipv4 mangle:MAPT_MSS nat:MAPT_POSTROUTING filter:MAPT_FORWARD filter:MAPT_INPUT
/// route-delete default dev map-mapt mtu 1480
/// conntrack-flush 192.0.2.18
/// end
/// </code>
/// An entry listed but never applied is harmless: undo treats "already gone" as done.
/// Version 1 (mapt 0.1: free restore text, UndoKind words) is still read, to be undone.
/// </summary>
public sealed class Journal
{
    public const int Version = 2;
    public const string Magic = "mapt-journal";

    /// <summary>The format version the file was written in (this one writes <see cref="Version"/>).</summary>
    public int FormatVersion { get; init; } = Version;
    /// <summary>The kernel's boot id (/proc/sys/kernel/random/boot_id) when written: a journal of another boot describes nothing that exists.</summary>
    public string BootId { get; init; } = "";
    public int Pid { get; init; }
    public string Wan { get; init; } = "";
    public string MapDevice { get; init; } = "";
    public string Translator { get; init; } = "";
    /// <summary>The iptables programs the chains were installed with ("default", "legacy", "nft"): the undo must use the same backend.</summary>
    public string Iptables { get; init; } = "";
    /// <summary>The canonical MAP content applied (the key the WAN machine compares; adoption checks it against the stored lease).</summary>
    public string MapContent { get; init; } = "";
    public List<UndoStep> Entries { get; init; } = new();

    public Journal With(List<UndoStep> entries, string mapContent) => new()
    {
        BootId = BootId, Pid = Pid, Wan = Wan, MapDevice = MapDevice, Translator = Translator, Iptables = Iptables, MapContent = mapContent, Entries = entries,
    };

    /// <summary>The order a journal is undone in: last entry first, conntrack flushes after everything else (no old flow is NATed again by a rule not yet removed).</summary>
    public static List<UndoStep> UndoOrder(IReadOnlyList<UndoStep> entries)
    {
        var order = new List<UndoStep>(entries.Count);
        var last = new List<UndoStep>();
        for (int i = entries.Count - 1; i >= 0; i--)
        {
            if (entries[i] is FlushConntrack)
                last.Add(entries[i]);
            else
                order.Add(entries[i]);
        }
        order.AddRange(last);
        return order;
    }

    /// <summary>
    /// For a change of plan: the entries of <paramref name="old"/> the new journal does not
    /// list again. Undoing only those leaves what both share in place (no window without NAT).
    /// </summary>
    public static List<UndoStep> OnlyIn(Journal old, Journal replacement)
    {
        var kept = new List<UndoStep>();
        foreach (UndoStep e in old.Entries)
            if (!replacement.Entries.Contains(e))
                kept.Add(e);
        return kept;
    }

    public string Format()
    {
        var text = new StringBuilder();
        text.Append(Magic).Append(' ').Append(Version.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Header(text, "boot", BootId);
        text.Append("pid ").Append(Pid.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Header(text, "wan", Wan);
        Header(text, "map-dev", MapDevice);
        Header(text, "translator", Translator);
        Header(text, "iptables", Iptables);
        Header(text, "map", MapContent);
        foreach (UndoStep e in Entries)
            text.Append(e.Format()).Append('\n');
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
    /// A version newer than this mapt knows yields no entries and <see cref="FormatVersion"/>
    /// says which it was: the caller undoes such a state by other means.
    /// </summary>
    public static Journal Parse(string text, out string? error)
    {
        error = null;
        string[] lines = text.Split('\n');
        int version = 0;
        if (lines[0].StartsWith(Magic + " ", StringComparison.Ordinal))
            int.TryParse(lines[0].AsSpan(Magic.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out version);
        if (version <= 0)
        {
            error = "line 1: not a mapt journal (expected '" + Magic + " " + Version.ToString(CultureInfo.InvariantCulture) + "')";
            return new Journal { FormatVersion = 0 };
        }
        if (version > Version)
        {
            error = "written by a newer mapt (format " + version.ToString(CultureInfo.InvariantCulture) + "; this one reads 1.." + Version.ToString(CultureInfo.InvariantCulture) + ")";
            return new Journal { FormatVersion = version };
        }
        string boot = "", wan = "", dev = "", translator = "", iptables = "", map = "";
        int pid = 0;
        var entries = new List<UndoStep>();
        var v1 = version == 1 ? new JournalV1Reader() : null;
        bool ended = false;
        for (int i = 1; i < lines.Length && error is null; i++)
        {
            string line = lines[i];
            if (line.Length == 0)
                continue;
            if (v1 is not null && line[0] == ' ')
            {
                error = v1.Body(line.Substring(1), i + 1);
                continue;
            }
            int space = line.IndexOf(' ');
            string word = space < 0 ? line : line.Substring(0, space);
            string rest = space < 0 ? "" : line.Substring(space + 1);
            switch (word)
            {
                case "boot": boot = rest; break;
                case "pid": int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out pid); break;
                case "wan": wan = rest; break;
                case "map-dev": dev = rest; break;
                case "translator": translator = rest; break;
                case "iptables": iptables = rest; break;
                case "map": map = rest; break;
                case "end": ended = true; break;
                default:
                    if (v1 is not null)
                    {
                        error = v1.Entry(word, rest, entries, i + 1);
                        break;
                    }
                    UndoStep? step = UndoStep.Parse(line, out string why);
                    if (step is null)
                        error = $"line {i + 1}: {why}";
                    else
                        entries.Add(step);
                    break;
            }
        }
        v1?.Finish(entries);
        if (error is null && !ended)
            error = "journal ends without its 'end' line (cut short)";
        return new Journal { FormatVersion = version, BootId = boot, Pid = pid, Wan = wan, MapDevice = dev, Translator = translator, Iptables = iptables, MapContent = map, Entries = entries };
    }
}
