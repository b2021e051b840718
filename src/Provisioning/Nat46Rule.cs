namespace Mapt.Provisioning;

/// <summary>
/// A MAP rule as nat46 is told it: prefixes as text in the compressed form the kernel prints
/// them back (%pI6c: <see cref="Nat46Text"/>), so the read-back can be compared as text.
/// </summary>
/// <param name="Ipv4Prefix">Rule IPv4 prefix address, dotted quad.</param>
/// <param name="Ipv4PrefixLength">r.</param>
/// <param name="Ipv6Prefix">Rule IPv6 prefix address, as the kernel prints it (<see cref="Nat46Text"/>).</param>
/// <param name="Ipv6PrefixLength">n.</param>
/// <param name="EaBitsLength">o.</param>
/// <param name="PsidOffset">a.</param>
/// <param name="PsidLength">k (explicit or derived: o - (32 - r) when o + r &gt; 32).</param>
public sealed record Nat46Rule(string Ipv4Prefix, int Ipv4PrefixLength, string Ipv6Prefix, int Ipv6PrefixLength,
    int EaBitsLength, int PsidOffset, int PsidLength)
{
    public string Ipv4Text => Ipv4Prefix + "/" + Ipv4PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public string Ipv6Text => Ipv6Prefix + "/" + Ipv6PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
