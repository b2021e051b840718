using System.Collections.Generic;
using System.Text;
using Mapt.Platform;

namespace Mapt.Status;

/// <summary>
/// RUN/mapt.state: the daemon's TR-181 view as "Path value" lines, rewritten atomically on every
/// state entry (not on a timer: no idle wake-ups). <c>mapt status</c> reads it and adds the live
/// counters. In RAM (the run dir), so not fsync'ed: it describes this boot only.
/// </summary>
public static class StateFile
{
    public const string FileName = "mapt.state";

    public static string PathIn(string runDir) => runDir.TrimEnd('/') + "/" + FileName;

    public static string Format(List<StatusLine> lines)
    {
        var text = new StringBuilder();
        foreach (StatusLine l in lines)
            text.Append(l.Path).Append(' ').Append(l.Value.Replace('\n', ' ')).Append('\n');
        return text.ToString();
    }

    public static List<StatusLine> Parse(string text)
    {
        var lines = new List<StatusLine>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0)
                continue;
            int space = line.IndexOf(' ');
            lines.Add(space < 0 ? new StatusLine(line, "") : new StatusLine(line.Substring(0, space), line.Substring(space + 1)));
        }
        return lines;
    }

    public static void Write(string runDir, List<StatusLine> lines) => AtomicFile.Write(PathIn(runDir), Format(lines), durable: false);

    public static string? Value(List<StatusLine> lines, string path)
    {
        foreach (StatusLine l in lines)
            if (l.Path == path)
                return l.Value;
        return null;
    }
}
