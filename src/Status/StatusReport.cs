using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Mapt.Text;

namespace Mapt.Status;

/// <summary>What <c>mapt status</c> prints: the daemon's lines with the live counters and LastChange filled in.</summary>
public static class StatusReport
{
    /// <summary>
    /// The MAP device whose counters the report shows, and whether it translates (nat46, tun:
    /// read from its IPv6 counters) or is someone else's device (none: /proc/net/dev).
    /// </summary>
    public static (string Device, bool Translates) CountersOf(List<StatusLine> daemon) =>
        (StateFile.Value(daemon, Tr181View.Interface + "Name") ?? "", StateFile.Value(daemon, Tr181View.Root + "X_MAPT_Translator") is "nat46" or "tun");

    public static List<StatusLine> Build(List<StatusLine> daemon, InterfaceCounters? counters, long nowUnix)
    {
        var output = new List<StatusLine>(daemon.Count + 16);
        var drops = new List<StatusLine>();
        foreach (StatusLine l in daemon)
        {
            if (l.Path == Tr181View.Interface + "X_MAPT_LastChangeUnix")
            {
                long since = long.TryParse(l.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : 0;
                output.Add(new StatusLine(Tr181View.Interface + "LastChange", (since == 0 ? 0 : nowUnix - since).ToString(CultureInfo.InvariantCulture)));
                continue;
            }
            if (l.Path.StartsWith(Tr181View.DropsPrefix, System.StringComparison.Ordinal))
            {
                drops.Add(l); // beside the kernel's Stats, after them
                continue;
            }
            output.Add(l);
        }
        output.AddRange(Tr181View.StatsLines(counters ?? new InterfaceCounters(default, default)));
        output.AddRange(drops);
        return output;
    }

    public static string Text(List<StatusLine> lines)
    {
        var text = new StringBuilder();
        foreach (StatusLine l in lines)
            text.Append(l.Path).Append(' ').Append(l.Value).Append('\n');
        return text.ToString();
    }

    /// <summary>One flat object keyed by path, values typed as TR-181 types them.</summary>
    public static string Json(List<StatusLine> lines)
    {
        var json = new JsonWriter(indented: true);
        json.StartObject();
        foreach (StatusLine l in lines)
        {
            char type = Tr181View.TypeOf(l.Path);
            if (type == 'b' && l.Value is "true" or "false")
                json.Property(l.Path, l.Value == "true");
            else if (type == 'n' && long.TryParse(l.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                json.Property(l.Path, n);
            else if (type == 'n' && ulong.TryParse(l.Value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u))
                json.Property(l.Path, u);
            else
                json.Property(l.Path, l.Value);
        }
        json.EndObject();
        return json.ToString() + "\n";
    }
}
