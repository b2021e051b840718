namespace Mapt.Provisioning;

/// <summary>
/// A rule in a chain that is not mapt's (a built-in chain) sending packets into one of mapt's
/// chains. <paramref name="RuleSpec"/> is written as iptables-save prints it, so an installed
/// jump is recognised by text. <paramref name="Position"/>: 1-based insert position, 0 = append.
/// </summary>
public sealed record IptablesJump(string Table, string Chain, int Position, string RuleSpec)
{
    public string PositionText => Position == 0 ? "appended" : "inserted at " + Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
