namespace Mapt.Dhcpv6.Wire;

/// <summary>
/// Why bytes from the network were refused: the option (0 for the message header), the byte
/// offset in the message where the offending field starts, and what was wrong. Never thrown.
/// </summary>
public readonly struct ParseError
{
    public ParseError(ushort option, int offset, string reason)
    {
        Option = option;
        Offset = offset;
        Reason = reason;
    }

    public ushort Option { get; }
    public int Offset { get; }
    public string Reason { get; }
    public bool IsNone => Reason is null;

    public override string ToString() =>
        (Option == 0 ? "header" : S46Or(Option)) + " at byte " + Offset.ToString() + ": " + Reason;

    private static string S46Or(ushort code) =>
        code >= S46OptionCode.Rule && code <= S46OptionCode.ContainerLw4o6 ? S46OptionCode.Name(code) + " (" + code.ToString() + ")" : "option " + code.ToString();
}
