namespace Mapt.Dhcpv6.Wire;

/// <summary>
/// S46_CONT_MAPT (RFC 7598 section 5.2) that passed the RFC's structural rules: at least one
/// S46_RULE and exactly one S46_DMR. Rules keep their order on the wire.
/// </summary>
public sealed class S46MaptContainer
{
    public S46MaptContainer(S46Rule[] rules, S46Dmr dmr)
    {
        Rules = rules;
        Dmr = dmr;
    }

    public S46Rule[] Rules { get; }
    public S46Dmr Dmr { get; }

    public bool SameAs(S46MaptContainer other)
    {
        if (Rules.Length != other.Rules.Length || !Dmr.SameAs(other.Dmr))
            return false;
        for (int i = 0; i < Rules.Length; i++)
            if (!Rules[i].SameAs(other.Rules[i]))
                return false;
        return true;
    }
}
