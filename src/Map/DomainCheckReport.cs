namespace Mapt.Map;

/// <summary>What <see cref="DomainCheck"/> found for one rule.</summary>
public sealed class DomainCheckReport
{
    internal DomainCheckReport(MapRule rule, ulong ceCount)
    {
        Rule = rule;
        CeCount = ceCount;
    }

    public MapRule Rule { get; }
    /// <summary>2^o: one CE per EA-bit value.</summary>
    public ulong CeCount { get; }
    /// <summary>CEs whose every check passed (equals <see cref="CeCount"/> when <see cref="Ok"/>).</summary>
    public ulong CheckedCes { get; internal set; }
    public ulong Ipv4AddressCount { get; internal set; }
    /// <summary>2^q for a shared rule, else 1.</summary>
    public ulong CesPerIpv4Address { get; internal set; }
    public int PortsPerCeMin { get; internal set; }
    public int PortsPerCeMax { get; internal set; }
    /// <summary>The ports of one address that CEs may use together.</summary>
    public int UsablePortsPerIpv4Address { get; internal set; }
    /// <summary>CEs with an empty port set (a = 0, m = 0: PSID 0 would own only port 0).</summary>
    public ulong CesWithoutPorts { get; internal set; }

    public bool Ok => Violation is null;
    /// <summary>The first problem found, naming the CE; null when the domain is sound.</summary>
    public string? Violation { get; private set; }
    public ulong ViolationEaBits { get; private set; }

    internal void Fail(ulong eaBits, string what)
    {
        ViolationEaBits = eaBits;
        Violation = what;
    }
}
