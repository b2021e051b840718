using Microsoft.Extensions.Logging;

namespace Mapt.Dhcpv6;

/// <summary>
/// Every log line of the DHCPv6 client. Event ids 300-399 are stable: field tools and the
/// docs table (docs/notes/dhcpv6.md) refer to them.
/// </summary>
internal static partial class Dhcpv6Log
{
    // Every argument is a string: generic logging code over value types is compiled once per
    // type combination under NativeAOT, over strings once for all (binary size).
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "dhcpv6: client started on {Iface} with DUID {Duid}; soliciting a delegated prefix and MAP-T (option 95)")]
    public static partial void Started(ILogger logger, string iface, string duid);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "dhcpv6: sent {Message} (transaction {Xid}, attempt {Attempt}); next try in {DelayMs} ms")]
    public static partial void Sent(ILogger logger, string message, string xid, string attempt, string delayMs);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "dhcpv6: sending {Message} on {Iface} failed (link down or its link-local address not ready); trying again in {DelayMs} ms")]
    public static partial void SendFailed(ILogger logger, string message, string iface, string delayMs);

    // 303 and 304: anyone on the link can send these at line rate; each is counted (mapt status,
    // X_MAPT_DHCPv6Dropped.{Counter}), so the line is Debug only (docs/notes/logging.md, "Floods").
    [LoggerMessage(EventId = 303, Level = LogLevel.Debug, Message = "dhcpv6: dropped a message from {Source}: {Reason}; counted as {Counter}, the lease in force is kept")]
    public static partial void Dropped(ILogger logger, string source, string reason, string counter);

    [LoggerMessage(EventId = 304, Level = LogLevel.Debug, Message = "dhcpv6: dropped a malformed message from {Source}: {Error}; counted as {Counter}, the lease in force is kept")]
    public static partial void Malformed(ILogger logger, string source, string error, string counter);

    [LoggerMessage(EventId = 305, Level = LogLevel.Error, Message = "dhcpv6: rejected the MAP-T container (option 95) from {Source}: {Reason}; the reply is dropped and the lease in force is kept")]
    public static partial void MaptRejected(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "dhcpv6: lease {Change} from {Server}: prefix {Prefix}, T1 {T1} s, T2 {T2} s, valid {Valid} s, MAP-T {Mapt}")]
    public static partial void LeaseEvent(ILogger logger, string change, string server, string prefix, string t1, string t2, string valid, string mapt);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "dhcpv6: the server's reply changed the lease: prefix {Prefix}, MAP-T {Mapt}; the MAP configuration must be rebuilt")]
    public static partial void LeaseChanged(ILogger logger, string prefix, string mapt);

    [LoggerMessage(EventId = 308, Level = LogLevel.Warning, Message = "dhcpv6: the server's reply carries no MAP-T container (option 95) any more; MAP-T must be torn down")]
    public static partial void MaptWithdrawn(ILogger logger);

    [LoggerMessage(EventId = 309, Level = LogLevel.Warning, Message = "dhcpv6: no reply to Renew from {Server} by T2; rebinding with any server")]
    public static partial void Rebinding(ILogger logger, string server);

    [LoggerMessage(EventId = 310, Level = LogLevel.Error, Message = "dhcpv6: lease on {Prefix} expired without a reply; MAP-T must be torn down; soliciting again")]
    public static partial void Expired(ILogger logger, string prefix);

    [LoggerMessage(EventId = 311, Level = LogLevel.Information, Message = "dhcpv6: released {Prefix} to {Server} ({Outcome})")]
    public static partial void Released(ILogger logger, string prefix, string server, string outcome);

    [LoggerMessage(EventId = 312, Level = LogLevel.Warning, Message = "dhcpv6: server {Server} answered with status {Status} '{Text}'; {Action}")]
    public static partial void ServerStatus(ILogger logger, string server, string status, string text, string action);

    [LoggerMessage(EventId = 313, Level = LogLevel.Information, Message = "dhcpv6: link on {Iface} went down; transmissions paused, the lease runs on its lifetimes")]
    public static partial void LinkDown(ILogger logger, string iface);

    [LoggerMessage(EventId = 314, Level = LogLevel.Information, Message = "dhcpv6: link on {Iface} came up; {Action}")]
    public static partial void LinkUp(ILogger logger, string iface, string action);

    [LoggerMessage(EventId = 315, Level = LogLevel.Warning, Message = "dhcpv6: Request to {Server} got no reply after {Attempts} attempts; soliciting again")]
    public static partial void RequestGaveUp(ILogger logger, string server, string attempts);

    [LoggerMessage(EventId = 316, Level = LogLevel.Information, Message = "dhcpv6: the server set {Option} to {Seconds} s")]
    public static partial void MaxRtSet(ILogger logger, string option, string seconds);

    [LoggerMessage(EventId = 317, Level = LogLevel.Information, Message = "dhcpv6: chose server {Server} (preference {Preference}) out of {Count} advertise(s); requesting")]
    public static partial void ServerChosen(ILogger logger, string server, string preference, string count);

    [LoggerMessage(EventId = 320, Level = LogLevel.Information, Message = "dhcpv6: created DUID {Duid} and saved it to {Path}")]
    public static partial void DuidCreated(ILogger logger, string duid, string path);

    [LoggerMessage(EventId = 321, Level = LogLevel.Warning, Message = "dhcpv6: DUID file {Path} is corrupt ({Reason}); replaced it with a new DUID {Duid}, the server may delegate a different prefix")]
    public static partial void DuidReplaced(ILogger logger, string path, string reason, string duid);

    [LoggerMessage(EventId = 322, Level = LogLevel.Error, Message = "dhcpv6: cannot save the DUID to {Path} ({Error}); using {Duid} for this run only, a reboot may get another prefix")]
    public static partial void DuidNotSaved(ILogger logger, string path, string error, string duid);

    [LoggerMessage(EventId = 330, Level = LogLevel.Information, Message = "dhcpv6: waiting for the link-local address on {Iface} to finish duplicate address detection")]
    public static partial void WaitingForLinkLocal(ILogger logger, string iface);

    [LoggerMessage(EventId = 350, Level = LogLevel.Information, Message = "dhcpv6: resuming the stored lease on {Prefix} from {Server} with {Message} (obtained {AgeS} s ago); no Solicit")]
    public static partial void Resumed(ILogger logger, string prefix, string server, string message, string ageS);
}
