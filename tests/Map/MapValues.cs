using System;
using Mapt.Map;
using Mapt.Net;

namespace Mapt.Tests.Map;

/// <summary>Short constructors for test values; a bad literal fails the test loudly.</summary>
internal static class MapValues
{
    public static Ipv4Address A4(string text) =>
        Ipv4Address.TryParse(text, out Ipv4Address a) ? a : throw new ArgumentException("bad IPv4 literal " + text);

    public static Ipv6Address A6(string text) =>
        Ipv6Address.TryParse(text, out Ipv6Address a) ? a : throw new ArgumentException("bad IPv6 literal " + text);

    public static Ipv6Prefix P6(string text) =>
        Ipv6Prefix.TryParse(text, out Ipv6Prefix p, out NetParseError e) ? p : throw new ArgumentException($"bad IPv6 prefix {text}: {e}");

    public static Ipv4Prefix P4(string text) =>
        Ipv4Prefix.TryParse(text, out Ipv4Prefix p, out NetParseError e) ? p : throw new ArgumentException($"bad IPv4 prefix {text}: {e}");

    /// <summary>Like the wire: bits past the length are masked (some published tables write 192.0.2.0/16).</summary>
    public static Ipv4Prefix P4Masked(string text)
    {
        int slash = text.IndexOf('/');
        return Ipv4Prefix.Masked(A4(text.Substring(0, slash)), int.Parse(text.Substring(slash + 1)));
    }

    public static MapRule Rule(string ipv6, string ipv4, int eaLen, int? offset = null, int psidLen = 0, int psid = 0, bool fmr = false)
    {
        PortParameters? pp = null;
        if (offset is not null || psidLen != 0)
        {
            if (!PortParameters.TryCreate(offset ?? PortParameters.DefaultPsidOffset, psidLen, psid, out PortParameters p, out MapError pe))
                throw new ArgumentException("bad port parameters: " + pe);
            pp = p;
        }
        if (!MapRule.TryCreate(P6(ipv6), P4Masked(ipv4), eaLen, pp, fmr, out MapRule? rule, out MapError error))
            throw new ArgumentException($"bad rule {ipv6},{ipv4},{eaLen}: {error}");
        return rule!;
    }

    public static MapResult Compute(MapRule rule, string endUserPrefix)
    {
        if (!MapResult.TryCompute(rule, P6(endUserPrefix), out var result, out MapError error))
            throw new ArgumentException($"compute failed for {endUserPrefix}: {error}");
        return result;
    }
}
