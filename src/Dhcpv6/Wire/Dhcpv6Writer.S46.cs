using System;

namespace Mapt.Dhcpv6.Wire;

/// <summary>
/// The S46 options (RFC 7598 section 4, 5): a client never sends them, but the test peers, the
/// fuzz seeds and the round-trip tests build them here, so the layout lives in one place.
/// </summary>
public ref partial struct Dhcpv6Writer
{
    public void WriteRule(S46Rule rule)
    {
        int token = BeginOption(S46OptionCode.Rule);
        WriteByte(rule.Flags);
        WriteByte(rule.EaLength);
        WriteByte(rule.Prefix4Length);
        WriteUInt32(rule.Ipv4Prefix);
        WriteByte(rule.Prefix6Length);
        WritePrefixBytes(rule.Ipv6Prefix, rule.Prefix6Length);
        if (rule.PortParameters is S46PortParameters p)
            WritePortParameters(p);
        EndOption(token);
    }

    public void WritePortParameters(S46PortParameters parameters)
    {
        WriteUInt16(S46OptionCode.PortParams);
        WriteUInt16(4);
        WriteByte(parameters.PsidOffset);
        WriteByte(parameters.PsidLength);
        WriteUInt16(parameters.PsidLeftAligned);
    }

    public void WriteDmr(S46Dmr dmr)
    {
        int token = BeginOption(S46OptionCode.Dmr);
        WriteByte(dmr.PrefixLength);
        WritePrefixBytes(dmr.Prefix, dmr.PrefixLength);
        EndOption(token);
    }

    public void WriteMaptContainer(S46MaptContainer container)
    {
        int token = BeginOption(S46OptionCode.ContainerMapT);
        foreach (S46Rule rule in container.Rules)
            WriteRule(rule);
        WriteDmr(container.Dmr);
        EndOption(token);
    }
}
