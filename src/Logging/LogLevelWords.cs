using Microsoft.Extensions.Logging;

namespace Mapt.Logging;

/// <summary>
/// The level words of the flash line and of --level/--log-level: short, lower case, the same
/// in the native shim's crash line (native-shim/crash.c writes "crit").
/// </summary>
internal static class LogLevelWords
{
    public static string Of(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "crit",
    };

    public static bool TryParse(string word, out LogLevel level)
    {
        switch (word)
        {
            case "trace": level = LogLevel.Trace; return true;
            case "debug": level = LogLevel.Debug; return true;
            case "info" or "information": level = LogLevel.Information; return true;
            case "warn" or "warning": level = LogLevel.Warning; return true;
            case "error": level = LogLevel.Error; return true;
            case "crit" or "critical": level = LogLevel.Critical; return true;
            default: level = LogLevel.None; return false;
        }
    }
}
