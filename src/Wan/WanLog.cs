using Microsoft.Extensions.Logging;

namespace Mapt.Wan;

/// <summary>The WAN side's log lines (event ids 600-699, stable: field tools search for them).</summary>
internal static partial class WanLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "wan: {From} -> {To}: {Reason}")]
    public static partial void StateEntered(ILogger logger, string from, string to, string reason);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "wan: mapt {Version} starting on WAN {Wan}, MAP device {MapDevice}, translator {Translator}, flash {FlashDir}, run {RunDir}")]
    public static partial void Starting(ILogger logger, string version, string wan, string mapDevice, string translator, string flashDir, string runDir);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "wan: the last run (pid {Pid}) left MAP-T applied ({Content}) and it cannot be taken over: {Reason}; undoing the {Count} change(s) its journal lists before starting clean")]
    public static partial void JournalFound(ILogger logger, int pid, string content, int count, string reason);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "wan: journal undone: {Undone} change(s) undone, {Failed} failed; journal removed")]
    public static partial void JournalUndone(ILogger logger, int undone, int failed);

    [LoggerMessage(EventId = 604, Level = LogLevel.Warning, Message = "wan: undo of '{Entry}' failed: {Reason}; the other changes are undone anyway")]
    public static partial void UndoFailed(ILogger logger, string entry, string reason);

    [LoggerMessage(EventId = 605, Level = LogLevel.Warning, Message = "wan: the journal is damaged ({Problem}); undoing the {Count} change(s) it still lists")]
    public static partial void JournalDamaged(ILogger logger, string problem, int count);

    [LoggerMessage(EventId = 606, Level = LogLevel.Information, Message = "wan: MAP-T applied in {Ms} ms: {Summary}")]
    public static partial void Applied(ILogger logger, long ms, string summary);

    [LoggerMessage(EventId = 607, Level = LogLevel.Error, Message = "wan: applying MAP-T failed at step '{Step}': {Reason}; everything applied so far is undone and the apply retried in {RetryS} s")]
    public static partial void ApplyFailed(ILogger logger, string step, string reason, int retryS);

    [LoggerMessage(EventId = 608, Level = LogLevel.Information, Message = "wan: MAP-T torn down in {Ms} ms ({Undone} change(s) undone, {Failed} failed); conntrack of {Address} flushed")]
    public static partial void TornDown(ILogger logger, long ms, int undone, int failed, string address);

    [LoggerMessage(EventId = 609, Level = LogLevel.Warning, Message = "wan: route {Route} was deleted behind mapt's back; restored")]
    public static partial void RouteRestored(ILogger logger, string route);

    [LoggerMessage(EventId = 610, Level = LogLevel.Error, Message = "wan: restoring route {Route} failed: {Reason}")]
    public static partial void RouteRestoreFailed(ILogger logger, string route, string reason);

    [LoggerMessage(EventId = 611, Level = LogLevel.Information, Message = "wan: state dump (SIGUSR2): {Dump}")]
    public static partial void Dump(ILogger logger, string dump);

    [LoggerMessage(EventId = 612, Level = LogLevel.Information, Message = "wan: configuration reloaded from {File} (SIGHUP); {What}")]
    public static partial void Reloaded(ILogger logger, string file, string what);

    [LoggerMessage(EventId = 613, Level = LogLevel.Error, Message = "wan: configuration reload refused: {Reason}; the running configuration is kept")]
    public static partial void ReloadRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 614, Level = LogLevel.Warning, Message = "wan: the DHCPv6 socket on {Wan} cannot be opened yet ({Reason}); retrying in {RetryMs} ms")]
    public static partial void SocketNotReady(ILogger logger, string wan, string reason, int retryMs);

    [LoggerMessage(EventId = 615, Level = LogLevel.Error, Message = "wan: the lease's MAP-T content cannot be used: {Reason}; nothing applied (TR-181 Status Error_Misconfigured)")]
    public static partial void Misconfigured(ILogger logger, string reason);

    [LoggerMessage(EventId = 616, Level = LogLevel.Information, Message = "wan: stopped (exit {Code})")]
    public static partial void Stopped(ILogger logger, int code);

    [LoggerMessage(EventId = 617, Level = LogLevel.Warning, Message = "wan: writing the state file {Path} failed: {Reason}")]
    public static partial void StateFileFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 618, Level = LogLevel.Information, Message = "wan: static MAP-T (Origin Static) from {File}: {Content}; DHCPv6 is not used for MAP")]
    public static partial void StaticMap(ILogger logger, string file, string content);

    [LoggerMessage(EventId = 619, Level = LogLevel.Warning, Message = "wan: the DHCPv6 Release got no answer in time; exiting anyway")]
    public static partial void ReleaseTimedOut(ILogger logger);

    [LoggerMessage(EventId = 620, Level = LogLevel.Error, Message = "wan: event handling failed: {Reason}")]
    public static partial void HandlerFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 621, Level = LogLevel.Critical, Message = "wan: mapt run cannot go on: {Reason}; exiting with 1 (the journal, if any, is undone by the next start or by mapt teardown)")]
    public static partial void Fatal(ILogger logger, string reason);

    [LoggerMessage(EventId = 622, Level = LogLevel.Information, Message = "wan: route {Route} replaces the route that was there before mapt ({Previous}: device, next hop, metric, type); teardown puts it back")]
    public static partial void RouteReplaced(ILogger logger, string route, string previous);

    [LoggerMessage(EventId = 623, Level = LogLevel.Information, Message = "wan: route {Route} was already there exactly as mapt needs it; teardown leaves it in place")]
    public static partial void RouteWasThere(ILogger logger, string route);

    [LoggerMessage(EventId = 624, Level = LogLevel.Warning, Message = "wan: the last run (pid {Pid}) left MAP-T applied for the stored lease, everything as planned: taken over in {Ms} ms without teardown or conntrack flush ({Summary}); renewing the lease to confirm it")]
    public static partial void Adopted(ILogger logger, int pid, long ms, string summary);

    [LoggerMessage(EventId = 625, Level = LogLevel.Warning, Message = "wan: the last run (pid {Pid}) left MAP-T applied for the stored lease with {Count} difference(s) from its plan ({Differences}); applying the plan over it (no teardown, flows kept)")]
    public static partial void Repairing(ILogger logger, int pid, int count, string differences);

    [LoggerMessage(EventId = 626, Level = LogLevel.Information, Message = "wan: {Path} was written in another boot ({BootId}): nothing it lists exists in this kernel; removed without replay")]
    public static partial void JournalOfAnotherBoot(ILogger logger, string path, string bootId);

    [LoggerMessage(EventId = 627, Level = LogLevel.Warning, Message = "wan: {Path} cannot be read by this mapt ({Problem}); removing what can be found of mapt without it (its chains, its MAP device and the routes through it) and starting clean")]
    public static partial void JournalUnknown(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = 628, Level = LogLevel.Error, Message = "wan: the journal is not acted on: {Problem}; mapt goes on without it")]
    public static partial void JournalUnreadable(ILogger logger, string problem);

    [LoggerMessage(EventId = 629, Level = LogLevel.Information, Message = "wan: the route to {Destination} is held by another owner ({Theirs}): used as it is; mapt neither replaces nor removes it")]
    public static partial void RouteHeldByAnother(ILogger logger, string destination, string theirs);

    [LoggerMessage(EventId = 630, Level = LogLevel.Warning, Message = "wan: the stored lease {Path} is not used: {Reason}; soliciting afresh")]
    public static partial void StoredLeaseUnusable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 631, Level = LogLevel.Warning, Message = "wan: the lease cannot be stored in {Path}: {Reason}; MAP-T goes on, a restart will solicit afresh")]
    public static partial void LeaseNotStored(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 632, Level = LogLevel.Warning, Message = "wan: {Path} is the journal of mapt 0.1 (on flash, no boot id); {Action}")]
    public static partial void LegacyJournal(ILogger logger, string path, string action);

    [LoggerMessage(EventId = 640, Level = LogLevel.Warning, Message = "wan: the port set is {Percent} % full: {Protocol} {InUse} of {Size} ports in use (fullest range {FullestRange}, snat {Snat}); new connections to a busy destination start to be refused. At most one such line per {EveryS} s")]
    public static partial void PortSetNearlyFull(ILogger logger, int percent, string protocol, int inUse, int size, string fullestRange, string snat, int everyS);

    [LoggerMessage(EventId = 633, Level = LogLevel.Warning, Message = "wan: the server changed the MAP content again within the hold-down; it is applied in {WaitS} s (at most one change per {HoldDownS} s, so a server cannot keep the gateway rebuilding NAT, routes and the translator)")]
    public static partial void ChangeHeldDown(ILogger logger, long waitS, int holdDownS);
}
