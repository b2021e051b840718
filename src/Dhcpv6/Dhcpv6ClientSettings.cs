using System;

namespace Mapt.Dhcpv6;

/// <summary>What the client is configured with; fixed for its lifetime.</summary>
public sealed class Dhcpv6ClientSettings
{
    public Dhcpv6ClientSettings(string interfaceName, byte[] duid)
    {
        InterfaceName = interfaceName;
        Duid = duid;
    }

    public string InterfaceName { get; }
    public byte[] Duid { get; }
    /// <summary>IAID of the IA_PD; one per interface is enough for a CE.</summary>
    public uint IaId { get; init; } = 1;
    /// <summary>Ask for S46_CONT_MAPE (94) too: only when the CE can configure MAP-E.</summary>
    public bool RequestMapE { get; init; }
    /// <summary>Ask for S46_CONT_LW (96) too: only when the CE can configure lw4o6.</summary>
    public bool RequestLw4o6 { get; init; }
    /// <summary>
    /// Skip the random 0..1 s delay before the first Solicit (RFC 8415 section 18.2.1 makes it
    /// a SHOULD against storms after a power cut): for `mapt probe` and tests.
    /// </summary>
    public bool SkipInitialDelay { get; init; }
    /// <summary>
    /// Accept Advertise and Reply only from the server with this DUID (config key server-duid):
    /// on an access link where anyone can answer, an operator can pin the CE to its server.
    /// </summary>
    public byte[]? PinnedServerId { get; init; }
    /// <summary>
    /// Floors on the server's T1 and T2 (seconds): a server cannot make the CE renew, rewrite the
    /// stored lease and re-check its MAP content more often than this. 10 s and 16 s keep the
    /// 1:1.6 ratio of RFC 8415's defaults; real deployments use minutes to hours.
    /// </summary>
    public uint MinT1Seconds { get; init; } = DefaultMinT1Seconds;
    public uint MinT2Seconds { get; init; } = DefaultMinT2Seconds;

    public const uint DefaultMinT1Seconds = 10, DefaultMinT2Seconds = 16;

    /// <summary>The jitter source; seeded in tests so timings repeat.</summary>
    public Random Random { get; init; } = new Random();
}
