namespace Mapt.Wan;

/// <summary>
/// One input to <see cref="WanMachine"/>. <see cref="MapContent"/> is the canonical text of a
/// lease's MAP content (delegated prefix, rules, DMR): two replies with equal text need no
/// change, and an empty text means the reply carried no MAP-T. <see cref="Detail"/> says why,
/// for the log (the route that vanished, the apply error).
/// </summary>
public readonly record struct WanEvent(WanEventKind Kind, string MapContent = "", string Detail = "")
{
    public static WanEvent Of(WanEventKind kind, string detail = "") => new(kind, "", detail);
    public static WanEvent Reply(string mapContent, string detail = "") => new(WanEventKind.LeaseReply, mapContent, detail);
}
