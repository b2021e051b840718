using System;
using System.Collections.Generic;
using Mapt.Net;
using Mapt.Provisioning;

namespace Mapt.Tests.Provisioning;

/// <summary>Plan inputs from RFC 7599 Appendix A (example 1) and variations of it.</summary>
internal static class Samples
{
    /// <summary>BMR {2001:db8::/40, 192.0.2.0/24, o=16}, a=6 -> k=8.</summary>
    public static readonly Nat46Rule Bmr = new("192.0.2.0", 24, "2001:db8::", 40, 16, 6, 8);
    public static readonly Nat46Rule Fmr1 = new("198.51.100.0", 24, "2001:db8:100::", 40, 16, 6, 8);
    public static readonly Nat46Rule Fmr2 = new("203.0.113.0", 26, "2001:db8:200::", 40, 14, 6, 8);

    /// <summary>PSID 0x34: ranges (A << 10) | (0x34 << 2), A = 1..63: 1232-1235 ... 64720-64723.</summary>
    public static List<PortSpan> Ex1Ports(int psid = 0x34)
    {
        var spans = new List<PortSpan>();
        for (int a = 1; a < 64; a++)
        {
            int first = (a << 10) | (psid << 2);
            spans.Add(new PortSpan(first, first + 3));
        }
        return spans;
    }

    public static readonly Ipv6Prefix Dmr64 = Prefix6("2001:db8:ffff::/64");

    public static Ipv6Prefix Prefix6(string text) => Ipv6Prefix.TryParse(text, out Ipv6Prefix p, out _) ? p : throw new ArgumentException(text);

    public static Ipv6Address Address6(string text) => Ipv6Address.TryParse(text, out Ipv6Address a) ? a : throw new ArgumentException(text);

    public static Ipv4Address Address4(string text) => Ipv4Address.TryParse(text, out Ipv4Address a) ? a : throw new ArgumentException(text);

    public static PlanInput Shared(params Nat46Rule[] fmrs) =>
        new(Address4("192.0.2.18"), Ex1Ports(), Address6("2001:db8:12:3400:0:c000:212:34"), Bmr, Dmr64, fmrs);

    /// <summary>1:1: BMR {2001:db8::/40, 192.0.2.0/24, o=8}, End-user prefix 2001:db8:12::/48.</summary>
    public static readonly Nat46Rule OneToOneBmr = new("192.0.2.0", 24, "2001:db8::", 40, 8, 6, 0);

    public static PlanInput OneToOne() =>
        new(Address4("192.0.2.18"), Array.Empty<PortSpan>(), Address6("2001:db8:12::c000:212:0"), OneToOneBmr, Dmr64, Array.Empty<Nat46Rule>());

    public static List<TOut> Each<TIn, TOut>(IReadOnlyList<TIn> items, Func<TIn, TOut> select)
    {
        var list = new List<TOut>(items.Count);
        foreach (TIn item in items)
            list.Add(select(item));
        return list;
    }

    public static Plan PlanOf(PlanInput input, PlanSettings? settings = null)
    {
        if (!Plan.TryCreate(input, settings ?? new PlanSettings(), out Plan? plan, out string error))
            throw new InvalidOperationException("plan refused: " + error);
        return plan!;
    }
}
