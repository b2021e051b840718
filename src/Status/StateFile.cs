using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Mapt.Platform;

namespace Mapt.Status;

/// <summary>
/// RUN/mapt.state: the daemon's part of the TR-181 view, rewritten atomically on every state
/// entry (not on a timer: no idle wake-ups). <c>mapt status</c> reads it and adds the live
/// counters. In RAM (the run dir), so not fsync'ed: it describes this boot only.
/// Two header lines, then "Path type value" per parameter (type as TR-106 spells it):
/// <code>
/// #vendor-prefix X_MAPT-EXAMPLE_
/// #interface-changed-ms 81234567
/// Device.MAP.Enable boolean true
/// </code>
/// </summary>
public static class StateFile
{
    public const string FileName = "mapt.state";
    private const string PrefixKey = "#vendor-prefix ";
    private const string ChangedKey = "#interface-changed-ms ";

    public static string PathIn(string runDir) => runDir.TrimEnd('/') + "/" + FileName;

    public static string Format(DaemonView view)
    {
        var text = new StringBuilder();
        text.Append(PrefixKey).Append(view.VendorPrefix).Append('\n');
        text.Append(ChangedKey).Append(view.InterfaceChangedMs.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (StatusLine l in view.Lines)
            text.Append(l.Path).Append(' ').Append(ParamTypes.Name(l.Type)).Append(' ').Append(l.Value.Replace('\n', ' ')).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// Never fails: a line it cannot read as "Path type value" is a string parameter, so a state
    /// file from another mapt version still shows.
    /// </summary>
    public static DaemonView Parse(string text)
    {
        var lines = new List<StatusLine>();
        string prefix = VendorPrefix.Default;
        long changed = 0;
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0)
                continue;
            if (line.StartsWith(PrefixKey, System.StringComparison.Ordinal))
            {
                prefix = line.Substring(PrefixKey.Length);
                continue;
            }
            if (line.StartsWith(ChangedKey, System.StringComparison.Ordinal))
            {
                long.TryParse(line.Substring(ChangedKey.Length), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out changed);
                continue;
            }
            if (line[0] == '#')
                continue;
            int space = line.IndexOf(' ');
            if (space < 0)
            {
                lines.Add(new StatusLine(line, ""));
                continue;
            }
            string path = line.Substring(0, space);
            string rest = line.Substring(space + 1);
            int second = rest.IndexOf(' ');
            string typeName = second < 0 ? rest : rest.Substring(0, second);
            if (ParamTypes.TryParse(typeName, out ParamType type))
                lines.Add(new StatusLine(path, second < 0 ? "" : rest.Substring(second + 1), type));
            else
                lines.Add(new StatusLine(path, rest));
        }
        return new DaemonView(prefix, changed, lines);
    }

    public static void Write(string runDir, DaemonView view) => AtomicFile.Write(PathIn(runDir), Format(view), durable: false);
}
