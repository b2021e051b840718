namespace Mapt.Status;

/// <summary>One Device.MAP.Domain.1.Rule.{i}. row, as TR-181 spells it (PSID left-aligned, as on the wire).</summary>
public sealed record StatusRule(
    string Origin,
    string Ipv6Prefix,
    string Ipv4Prefix,
    int EaBitsLength,
    bool IsFmr,
    int PsidOffset,
    int PsidLength,
    int PsidWire);
