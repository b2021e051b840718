using System.Globalization;
using System.Text;

namespace Mapt.Provisioning;

/// <summary>
/// One side (local or remote) of a nat46 rule pair, as the module holds it. A new pair starts
/// all zero: NONE, 0.0.0.0/0, ::/0 (what <c>add</c> and <c>insert</c> create before their
/// arguments are applied).
/// </summary>
public sealed record Nat46Side(string Style, string V4, string V6, int EaLength, int PsidOffset)
{
    public static readonly Nat46Side None = new("NONE", "0.0.0.0/0", "::/0", 0, 0);

    /// <summary>A MAP side (RFC 7599 section 5): rule prefixes, o and a.</summary>
    public static Nat46Side Map(Nat46Rule rule) =>
        new("MAP", rule.Ipv4Text, rule.Ipv6Text, rule.EaBitsLength, rule.PsidOffset);

    /// <summary>The DMR side: any IPv4 destination embedded in the BR prefix (RFC 6052).</summary>
    public static Nat46Side Rfc6052(string dmrText) => new("RFC6052", "0.0.0.0/0", dmrText, 0, 0);

    /// <summary>The module's print order for one side (nat46_get_ipair_config).</summary>
    internal void AppendReadBack(StringBuilder text, string side)
    {
        text.Append(side).Append(".v4 ").Append(V4)
            .Append(' ').Append(side).Append(".v6 ").Append(V6)
            .Append(' ').Append(side).Append(".style ").Append(Style)
            .Append(' ').Append(side).Append(".ea-len ").Append(EaLength.ToString(CultureInfo.InvariantCulture))
            .Append(' ').Append(side).Append(".psid-offset ").Append(PsidOffset.ToString(CultureInfo.InvariantCulture));
    }
}
