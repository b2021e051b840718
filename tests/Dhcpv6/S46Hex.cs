using System;
using Mapt.Dhcpv6.Wire;
using Mapt.Net;

namespace Mapt.Tests.Dhcpv6;

/// <summary>Builds S46 containers with the product's writer, for Kea's hex form and for crafted replies.</summary>
internal static class S46Hex
{
    public static S46Rule Rule(string ipv6Prefix, string ipv4Prefix, int eaLength, bool fmr, (byte Offset, byte Length, ushort PsidRight)? portParams = null)
    {
        Ipv6Prefix.TryParse(ipv6Prefix, out Ipv6Prefix p6, out _);
        Ipv4Prefix.TryParse(ipv4Prefix, out Ipv4Prefix p4, out _);
        S46PortParameters? pp = portParams is { } x
            ? new S46PortParameters(x.Offset, x.Length, x.Length == 0 ? (ushort)0 : (ushort)(x.PsidRight << (16 - x.Length)))
            : null;
        return new S46Rule(fmr ? S46Rule.ForwardingFlag : (byte)0, (byte)eaLength, (byte)p4.Length, p4.Address.Value, (byte)p6.Length, p6.Address.Value, pp);
    }

    public static S46Dmr Dmr(string prefix)
    {
        Ipv6Prefix.TryParse(prefix, out Ipv6Prefix p, out _);
        return new S46Dmr((byte)p.Length, p.Address.Value);
    }

    /// <summary>The container option (code 95, header included).</summary>
    public static byte[] Container(S46MaptContainer container)
    {
        var buffer = new byte[2048];
        var w = new Dhcpv6Writer(buffer);
        w.WriteMaptContainer(container);
        return w.Written.ToArray();
    }

    /// <summary>The container body as hex, for Kea's {"name": "s46-cont-mapt", "csv-format": false}.</summary>
    public static string BodyHex(S46MaptContainer container) =>
        Convert.ToHexString(Container(container).AsSpan(4)).ToLowerInvariant();
}
