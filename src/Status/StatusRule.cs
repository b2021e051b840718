namespace Mapt.Status;

/// <summary>
/// One Device.MAP.Domain.1.Rule.{i}. row. PSIDOffset, PSIDLength and PSID are S46_PORTPARAMS as
/// received (PSID left-aligned, as on the wire); a rule without it has the model's defaults
/// (offset 6, length 0, PSID 0), so that a controller writing the row back configures what the
/// server sent. What mapt derived is apart: the PSID length the rule gives its CEs (from the EA
/// bits, or from PORTPARAMS when the EA bits carry none) and whether it is the BMR.
/// </summary>
public sealed record StatusRule(
    string Origin,
    string Ipv6Prefix,
    string Ipv4Prefix,
    int EaBitsLength,
    bool IsFmr,
    int PsidOffset,
    int PsidLength,
    int PsidWire,
    bool IncludeSystemPorts,
    int PsidLengthInUse,
    bool IsBmr);
