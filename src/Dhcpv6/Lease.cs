using System;
using System.Diagnostics.CodeAnalysis;
using Mapt.Dhcpv6.Wire;
using Mapt.Map;
using Mapt.Net;

namespace Mapt.Dhcpv6;

/// <summary>
/// What one Reply granted, as one immutable value handed to the WAN logic: the server, the
/// delegated prefixes with their lifetimes, DNS, and the MAP-T domain (null when the reply
/// carried no option 95). Times are monotonic milliseconds.
/// </summary>
public sealed class Lease
{
    public const uint Infinity = 0xffffffff;

    public Lease(byte[] serverId, Ipv6Address serverAddress, uint iaId, DelegatedPrefix[] prefixes, uint t1, uint t2,
        long acquiredAtMs, Ipv6Address[] dnsServers, string[] domainList, MaptDomain? mapt)
    {
        ServerId = serverId;
        ServerAddress = serverAddress;
        IaId = iaId;
        Prefixes = prefixes;
        T1 = t1;
        T2 = t2;
        AcquiredAtMs = acquiredAtMs;
        DnsServers = dnsServers;
        DomainList = domainList;
        Mapt = mapt;
    }

    public byte[] ServerId { get; }
    public Ipv6Address ServerAddress { get; }
    public uint IaId { get; }
    public DelegatedPrefix[] Prefixes { get; }
    /// <summary>Seconds after <see cref="AcquiredAtMs"/> to Renew (the server's, or 0.5 x the shortest preferred lifetime).</summary>
    public uint T1 { get; }
    /// <summary>Seconds after <see cref="AcquiredAtMs"/> to Rebind (the server's, or 0.8 x the shortest preferred lifetime).</summary>
    public uint T2 { get; }
    public long AcquiredAtMs { get; }
    public Ipv6Address[] DnsServers { get; }
    public string[] DomainList { get; }
    public MaptDomain? Mapt { get; }
    /// <summary>The S46 containers of the reply exactly as received, for logs and `mapt probe`.</summary>
    public S46RawOption[] S46Options { get; init; } = Array.Empty<S46RawOption>();

    /// <summary>The End-user prefix the MAP rules apply to: the first delegated prefix.</summary>
    public Ipv6Prefix EndUserPrefix => Ipv6Prefix.Masked(new Ipv6Address(Prefixes[0].Prefix), Prefixes[0].Length);

    public long T1AtMs => At(T1);
    public long T2AtMs => At(T2);

    /// <summary>When the last valid lifetime ends (RFC 8415 section 18.2.5: Rebind gives up then).</summary>
    public long ExpiresAtMs
    {
        get
        {
            uint longest = 0;
            foreach (DelegatedPrefix p in Prefixes)
                longest = Math.Max(longest, p.ValidLifetime);
            return At(longest);
        }
    }

    private long At(uint seconds) => seconds == Infinity ? long.MaxValue : AcquiredAtMs + seconds * 1000L;

    /// <summary>Same prefixes and same MAP-T content; lifetimes, T1/T2 and the server may differ.</summary>
    public bool SameContentAs(Lease other)
    {
        if (Prefixes.Length != other.Prefixes.Length)
            return false;
        for (int i = 0; i < Prefixes.Length; i++)
            if (!Prefixes[i].SamePrefix(other.Prefixes[i]))
                return false;
        if (Mapt is null || other.Mapt is null)
            return Mapt is null && other.Mapt is null;
        return Mapt.SameAs(other.Mapt);
    }

    /// <summary>The BMR for the End-user prefix (longest match) and the CE's mapping (RFC 7597 section 5.2).</summary>
    public bool TryComputeMapping([MaybeNullWhen(false)] out MapResult result, out MapError error)
    {
        result = null;
        if (Mapt is null)
        {
            error = MapError.NoMatchingRule;
            return false;
        }
        if (!Mapt.Rules.TrySelectBasicMappingRule(EndUserPrefix, out MapRule? bmr, out error))
            return false;
        return MapResult.TryCompute(bmr!, EndUserPrefix, out result, out error);
    }
}
