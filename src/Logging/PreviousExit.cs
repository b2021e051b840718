namespace Mapt.Logging;

/// <summary>
/// How the previous mapt start ended, as its last line on flash tells: a clean stop writes
/// <see cref="LoggingEventIds.CleanStop"/>, the native shim's fatal-signal handler writes
/// <see cref="LoggingEventIds.Crash"/>; anything else (power loss, SIGKILL, a watchdog reset)
/// leaves neither, and is unknown.
/// </summary>
internal sealed class PreviousExit
{
    public static readonly PreviousExit None = new("none", "", "no earlier run on this flash");

    /// <summary>none, clean, crash or unknown: the word the boot marker carries.</summary>
    public string Kind { get; }
    public string Boot { get; }
    public string Detail { get; }

    private PreviousExit(string kind, string boot, string detail)
    {
        Kind = kind;
        Boot = boot;
        Detail = detail;
    }

    public static PreviousExit FromLastLine(FlashLine last)
    {
        if (last.EventId == LoggingEventIds.CleanStop)
            return new PreviousExit("clean", last.Boot, "stopped cleanly at " + last.Time);
        if (last.EventId == LoggingEventIds.Crash)
        {
            // "fatal signal 11 (SIGSEGV) at 0x10 code 1; ...": keep up to the signal's name.
            string message = last.Message;
            int close = message.IndexOf(')');
            string what = close > 0 ? message.Substring(0, close + 1) : message;
            return new PreviousExit("crash", last.Boot, what + " at " + last.Time);
        }
        return new PreviousExit("unknown", last.Boot,
            "no stop or crash line (power loss, SIGKILL or watchdog?); its last line was at " + last.Time);
    }

    /// <summary>"crash (fatal signal 11 (SIGSEGV) at ...)" for the boot marker.</summary>
    public override string ToString() => Boot.Length == 0 ? Kind + " (" + Detail + ")" : Kind + " (boot " + Boot + ", " + Detail + ")";
}
