using System.Text;

namespace Mapt.Provisioning;

/// <summary>One nat46 rule pair: what translates our side (local) and the far side (remote).</summary>
public sealed record Nat46Pair(Nat46Side Local, Nat46Side Remote)
{
    public static readonly Nat46Pair Empty = new(Nat46Side.None, Nat46Side.None);

    /// <summary>
    /// The pair as the control file prints it, up to but not including the device's debug level
    /// ("... remote.psid-offset N"); the module appends " debug N" and cuts the whole at 199
    /// characters (a 200-byte buffer).
    /// </summary>
    public string ReadBackText()
    {
        var text = new StringBuilder(200);
        Local.AppendReadBack(text, "local");
        text.Append(' ');
        Remote.AppendReadBack(text, "remote");
        return text.ToString();
    }
}
