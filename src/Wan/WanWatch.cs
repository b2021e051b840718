using System;
using Mapt.Netlink;
using Mapt.Platform;
using Microsoft.Extensions.Logging;

namespace Mapt.Wan;

/// <summary>
/// Watches the WAN for the machine: rtnetlink link, address and route events (and a full
/// re-read at start or after lost events) become <see cref="WanEvent"/>s. It owns what it
/// learns: the WAN's and the MAP device's ifindex and the WAN's IPv6 default gateway.
/// </summary>
internal sealed class WanWatch : IDisposable
{
    private readonly WanConfig _config;
    private readonly RtnlClient _rtnl;
    private readonly WanMachine _machine;
    private readonly Action<WanEvent> _post;
    private readonly Func<RouteInfo, bool> _isOwned;
    private readonly Func<bool> _ownedMissing;
    private readonly ILoggerFactory _logs;
    private RtnlMonitor? _monitor;

    public WanWatch(WanConfig config, RtnlClient rtnl, WanMachine machine, Action<WanEvent> post,
        Func<RouteInfo, bool> isOwned, Func<bool> ownedMissing, ILoggerFactory logs)
    {
        _config = config;
        _rtnl = rtnl;
        _machine = machine;
        _post = post;
        _isOwned = isOwned;
        _ownedMissing = ownedMissing;
        _logs = logs;
    }

    public int WanIndex { get; private set; }
    public int MapIndex { get; private set; }

    /// <summary>The WAN's IPv6 default gateway (link-local), unset until IPv6 is ready.</summary>
    public InetAddress Gateway { get; private set; }

    /// <summary>Subscribes to link, address and route events; the loop drains them, then <paramref name="afterEvents"/> runs.</summary>
    public void Open(EventLoop loop, Action afterEvents)
    {
        _monitor = RtnlMonitor.Open(_rtnl, _logs.CreateLogger("Mapt.Netlink"));
        _monitor.LinkChanged = OnLink;
        _monitor.AddressChanged = OnAddress;
        _monitor.RouteChanged = OnRoute;
        _monitor.Resynced = _ => Reassess("netlink events lost; state dumped again");
        RtnlMonitor monitor = _monitor;
        loop.AddReader(monitor.Fd, () => { monitor.Drain(); afterEvents(); }, "rtnetlink");
    }

    /// <summary>The facts as the kernel has them now, read synchronously (adoption at start decides on them).</summary>
    public (bool LinkUp, bool Ipv6Ready, bool MapDevicePresent) ReadFacts()
    {
        LinkInfo? wan = null;
        bool mapPresent = false;
        foreach (LinkInfo l in _rtnl.DumpLinks())
        {
            if (l.Name == _config.Wan)
                wan = l;
            if (l.Name == _config.MapDevice)
            {
                mapPresent = true;
                MapIndex = l.Index;
            }
        }
        WanIndex = wan?.Index ?? 0;
        bool up = wan is not null && wan.IsUp && wan.HasCarrier;
        InetAddress gateway = default;
        bool ipv6 = up && Ipv6State(out _, out gateway);
        if (ipv6)
            Gateway = gateway;
        return (up, ipv6, mapPresent);
    }

    /// <summary>Reads link, address and route state afresh and posts what differs from the machine's facts.</summary>
    public void Reassess(string why)
    {
        (bool up, _, bool mapPresent) = ReadFacts();
        if (up != _machine.LinkUp)
            Post(up ? WanEventKind.LinkUp : WanEventKind.LinkDown, why + (WanIndex == 0 ? ": " + _config.Wan + " does not exist" : ""));
        if (_config.Translator == Provisioning.TranslatorKind.None && mapPresent != _machine.MapDeviceReady)
            Post(mapPresent ? WanEventKind.MapDeviceReady : WanEventKind.MapDeviceGone, why + ": " + _config.MapDevice + (mapPresent ? " present" : " absent"));
        if (up)
            CheckIpv6(why);
        if (_machine.Applied.Length != 0 && _ownedMissing())
            Post(WanEventKind.RouteLost, "a route mapt owns is missing");
    }

    private void Post(WanEventKind kind, string detail) => _post(WanEvent.Of(kind, detail));

    private void OnLink(LinkInfo link, bool removed)
    {
        if (link.Name == _config.Wan || (link.Index == WanIndex && WanIndex != 0))
        {
            WanIndex = removed ? 0 : link.Index;
            bool up = !removed && link.IsUp && link.HasCarrier;
            if (up != _machine.LinkUp)
                Post(up ? WanEventKind.LinkUp : WanEventKind.LinkDown, removed ? _config.Wan + " removed" : _config.Wan + (up ? " carrier up" : " carrier down"));
            if (up)
                CheckIpv6("link event");
            return;
        }
        if (link.Name == _config.MapDevice || (link.Index == MapIndex && MapIndex != 0))
        {
            MapIndex = removed ? 0 : link.Index;
            if (_config.Translator != Provisioning.TranslatorKind.None)
                return;
            bool present = !removed;
            if (present != _machine.MapDeviceReady)
                Post(present ? WanEventKind.MapDeviceReady : WanEventKind.MapDeviceGone, _config.MapDevice + (present ? " appeared" : " removed"));
        }
    }

    private void OnAddress(AddressInfo address, bool removed)
    {
        if (address.Index == WanIndex && !address.Address.IsV4)
            CheckIpv6(removed ? "address removed" : "address event");
    }

    private void OnRoute(RouteInfo route, bool removed)
    {
        if (route.Family == AddressFamily.Inet6 && route.IsDefault && route.OutputInterface == WanIndex && WanIndex != 0)
        {
            if (removed && _machine.Applied.Length != 0 && Gateway.IsSet)
            {
                Post(WanEventKind.RouteLost, "IPv6 default route via " + WanDaemon.Text(Gateway) + " dev " + _config.Wan);
                return;
            }
            CheckIpv6(removed ? "IPv6 default route removed" : "IPv6 default route");
            return;
        }
        if (removed && _isOwned(route))
            Post(WanEventKind.RouteLost, route.ToString());
    }

    /// <summary>IPv6 is ready when the WAN has a usable link-local address and an IPv6 default route.</summary>
    private void CheckIpv6(string why)
    {
        if (WanIndex == 0)
            return;
        bool ready = Ipv6State(out bool linkLocal, out InetAddress gateway);
        if (ready)
            Gateway = gateway;
        if (ready != _machine.Ipv6Ready && _machine.LinkUp)
        {
            string detail = ready ? "link-local ready, default route via " + WanDaemon.Text(gateway) : !linkLocal ? "no usable link-local address" : "no IPv6 default route";
            Post(ready ? WanEventKind.Ipv6Ready : WanEventKind.Ipv6Lost, detail);
        }
    }

    private bool Ipv6State(out bool linkLocal, out InetAddress gateway)
    {
        linkLocal = false;
        gateway = default;
        if (WanIndex == 0)
            return false;
        foreach (AddressInfo a in _rtnl.DumpAddresses(AddressFamily.Inet6, WanIndex))
            if (a.IsUsable && (a.Address.High >> 54) == 0x3fa) // fe80::/10
                linkLocal = true;
        foreach (RouteInfo r in _rtnl.DumpRoutes(AddressFamily.Inet6))
            if (r.IsDefault && r.OutputInterface == WanIndex && r.Type == RouteType.Unicast)
            {
                gateway = r.Gateway;
                break;
            }
        return linkLocal && gateway.IsSet;
    }

    public void Dispose() => _monitor?.Dispose();
}
