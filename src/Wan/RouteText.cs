using Mapt.Net;
using Mapt.Netlink;

namespace Mapt.Wan;

/// <summary>Routes as the journal writes them ("2001:db8::1/128", "0.0.0.0/0") and back into netlink values.</summary>
public static class RouteText
{
    public static bool TryParseDestination(string text, out InetAddress address, out byte length)
    {
        address = default;
        length = 0;
        if (text.Contains(':'))
        {
            if (!Ipv6Prefix.TryParse(text, out Ipv6Prefix p6, out _))
                return false;
            address = InetAddress.V6(p6.Address.High, p6.Address.Low);
            length = (byte)p6.Length;
            return true;
        }
        if (!Ipv4Prefix.TryParse(text, out Ipv4Prefix p4, out _))
            return false;
        address = InetAddress.V4(p4.Address.Value);
        length = (byte)p4.Length;
        return true;
    }

    public static bool TryParseGateway(string text, out InetAddress address)
    {
        address = default;
        if (!text.Contains(':'))
        {
            if (!Ipv4Address.TryParse(text, out Ipv4Address v4))
                return false;
            address = InetAddress.V4(v4.Value);
            return true;
        }
        if (!Ipv6Address.TryParse(text, out Ipv6Address a))
            return false;
        address = InetAddress.V6(a.High, a.Low);
        return true;
    }
}
