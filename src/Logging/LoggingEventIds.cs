namespace Mapt.Logging;

/// <summary>
/// The logging area's event ids (800-899) and the crash line's (9000, written by the native
/// shim). Stable: field engineers grep for them; add new ones, never renumber
/// (docs/notes/logging.md holds the table).
/// </summary>
internal static class LoggingEventIds
{
    public const int BootMarker = 800;
    public const int FlashUnavailable = 801;
    public const int CleanStop = 802;
    public const int FlashWriteFailed = 803;
    public const int TornTailCut = 804;
    public const int LinesSuppressed = 820;
    public const int TestHookFlood = 898;
    public const int TestHookLine = 899;
    public const int Crash = 9000;
}
