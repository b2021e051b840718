using System.Globalization;
using System.Text;
using Mapt.Net;

namespace Mapt.Provisioning;

/// <summary>
/// A main-table route as a plan installs it or a journal puts it back: typed prefix and next
/// hop, the device by name (its index belongs to the running kernel, not to the plan).
/// </summary>
/// <param name="Destination">The destination prefix (IPv4 or IPv6).</param>
/// <param name="Device">The output device; null when the route has none (a blackhole).</param>
/// <param name="Gateway">The next hop; null for a device route.</param>
/// <param name="Metric">The metric as given (0: none given; IPv6 then means 1024).</param>
/// <param name="Mtu">The route's MTU metric (0: none).</param>
/// <param name="Type">The kernel's route type number (RTN_UNICAST = 1, RTN_BLACKHOLE = 6, ...).</param>
/// <param name="Protocol">Who installed it (rtm_protocol: RTPROT_BOOT = 3, ...), kept for a route put back; 0: mapt's own (static).</param>
public sealed record PlannedRoute(IpPrefix Destination, string? Device, IpAddress? Gateway = null, uint Metric = 0, int Mtu = 0, byte Type = PlannedRoute.Unicast, byte Protocol = 0)
{
    public const byte Unicast = 1, Blackhole = 6, Unreachable = 7, Prohibit = 8;

    public bool IsV6 => Destination.IsV6;

    /// <summary>What the kernel stores for "no metric given": 0 for IPv4, 1024 for IPv6.</summary>
    public uint EffectiveMetric => Metric != 0 ? Metric : IsV6 ? 1024u : 0u;

    /// <summary>In `ip route` words: "default dev map-mapt mtu 1480", "2001:db8:ffff::/64 via fe80::1 dev wan".</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(Destination.IsDefault ? "default" : Destination.ToString());
        if (Gateway is IpAddress gw)
            text.Append(" via ").Append(gw.ToString());
        if (Device is not null)
            text.Append(" dev ").Append(Device);
        if (Metric != 0)
            text.Append(" metric ").Append(Metric.ToString(CultureInfo.InvariantCulture));
        if (Mtu != 0)
            text.Append(" mtu ").Append(Mtu.ToString(CultureInfo.InvariantCulture));
        if (Type != Unicast)
            text.Append(" type ").Append(Type.ToString(CultureInfo.InvariantCulture));
        if (Protocol != 0)
            text.Append(" proto ").Append(Protocol.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }

    /// <summary>Same destination, metric and type as the kernel compares them for a replace.</summary>
    public bool SameSlot(PlannedRoute other) =>
        Destination == other.Destination && EffectiveMetric == other.EffectiveMetric;
}
