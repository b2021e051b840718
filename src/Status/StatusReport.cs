using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Mapt.Text;

namespace Mapt.Status;

/// <summary>What <c>mapt status</c> prints: the daemon's lines with the live counters and LastChange filled in.</summary>
public static class StatusReport
{
    /// <summary>
    /// The file the MAP device's counters are read from: its IPv6 counters when it translates
    /// (nat46, tun: both directions cross the device, see <see cref="InterfaceCounters.ParseSnmp6"/>),
    /// /proc/net/dev for someone else's device (none).
    /// </summary>
    public static string CountersFile(DaemonView daemon) =>
        Translates(daemon) ? "/proc/self/net/dev_snmp6/" + Device(daemon) : "/proc/self/net/dev";

    private static string Device(DaemonView daemon) => daemon.Value(Tr181View.Interface + "Name") ?? "";

    private static bool Translates(DaemonView daemon) => daemon.Value(daemon.Vendor(Tr181View.Root, "Translator")) is "nat46" or "tun";

    /// <param name="counters">The text of the file <see cref="CountersFile"/> names (null: unreadable).</param>
    /// <param name="nowMs">CLOCK_MONOTONIC milliseconds now, the clock of <see cref="DaemonView.InterfaceChangedMs"/>.</param>
    public static List<StatusLine> Build(DaemonView daemon, string? counters, long nowMs)
    {
        string device = Device(daemon);
        InterfaceCounters? parsed = counters is null || device.Length == 0 ? null
            : Translates(daemon) ? InterfaceCounters.ParseSnmp6(counters) : InterfaceCounters.Parse(counters, device);
        List<StatusLine> stats = Tr181View.StatsLines(parsed ?? new InterfaceCounters(default, default));

        var output = new List<StatusLine>(daemon.Lines.Count + stats.Count);
        int statsAt = -1, afterInterface = -1;
        foreach (StatusLine l in daemon.Lines)
        {
            if (statsAt < 0 && l.Path.StartsWith(Tr181View.InterfaceStats, System.StringComparison.Ordinal))
                statsAt = output.Count; // vendor counters of Stats. follow the model's
            if (l.Path == Tr181View.Interface + "LastChange")
                output.Add(l with { Value = LastChange(daemon.InterfaceChangedMs, nowMs) });
            else
                output.Add(l);
            if (l.Path.StartsWith(Tr181View.Interface, System.StringComparison.Ordinal))
                afterInterface = output.Count;
        }
        output.InsertRange(statsAt >= 0 ? statsAt : afterInterface >= 0 ? afterInterface : output.Count, stats);
        return output;
    }

    /// <summary>TR-181 LastChange: whole seconds in the current status (an unsignedInt).</summary>
    private static string LastChange(long changedMs, long nowMs)
    {
        long seconds = changedMs <= 0 || nowMs < changedMs ? 0 : (nowMs - changedMs) / 1000;
        return System.Math.Min(seconds, uint.MaxValue).ToString(CultureInfo.InvariantCulture);
    }

    public static string Text(List<StatusLine> lines)
    {
        var text = new StringBuilder();
        foreach (StatusLine l in lines)
            text.Append(l.Path).Append(' ').Append(ControlEscape.ForDisplay(l.Value)).Append('\n'); // read on a terminal
        return text.ToString();
    }

    /// <summary>One flat object keyed by path; booleans and numbers as JSON booleans and numbers, the rest strings.</summary>
    public static string Json(List<StatusLine> lines)
    {
        var json = new JsonWriter(indented: true);
        json.StartObject();
        foreach (StatusLine l in lines)
        {
            if (l.Type == ParamType.Boolean && l.Value is "true" or "false")
                json.Property(l.Path, l.Value == "true");
            else if (l.Type == ParamType.Int && long.TryParse(l.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                json.Property(l.Path, n);
            else if (l.Type is ParamType.UnsignedInt or ParamType.UnsignedLong && ulong.TryParse(l.Value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u))
                json.Property(l.Path, u);
            else
                json.Property(l.Path, l.Value);
        }
        json.EndObject();
        return json.ToString() + "\n";
    }
}
