using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Mapt.Net;

namespace Mapt.Provisioning;

/// <summary>
/// One journal line: the undo of one change, with everything needed to undo it without the
/// lease or the plan that caused it. A closed set of typed values (the derived records below),
/// written and read as one line of data each, never as a command: a restarted process that
/// replays a journal only ever deletes mapt's own device, chains (by name), routes and
/// conntrack entries, and puts back a sysctl it knows or a route it recorded.
/// </summary>
public abstract record UndoStep
{
    private protected UndoStep() { }

    /// <summary>The journal's word for the step ("route-delete", ...).</summary>
    public abstract string Word { get; }

    /// <summary>The line after the word.</summary>
    protected abstract string Arguments { get; }

    public string Format() => Arguments.Length == 0 ? Word : Word + " " + Arguments;

    public override string ToString() => Format();

    /// <summary>Reads one journal line; null with <paramref name="error"/> when it is not one mapt writes.</summary>
    public static UndoStep? Parse(string line, out string error)
    {
        error = "";
        string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length == 0)
        {
            error = "empty line";
            return null;
        }
        switch (f[0])
        {
            case DeleteNat46Device.Name:
                return f.Length == 2 && Plan.IsInterfaceName(f[1]) ? new DeleteNat46Device(f[1]) : Bad(out error, "nat46-delete DEV");
            case DeleteTunDevice.Name:
                return f.Length == 2 && Plan.IsInterfaceName(f[1]) ? new DeleteTunDevice(f[1]) : Bad(out error, "tun-delete DEV");
            case RemoveFilter.Name:
                return RemoveFilter.TryRead(f, out error);
            case RestoreSysctl.Name:
                return f.Length == 3 && Plan.IsSysctlKey(f[1]) && IsSysctlValue(f[2]) ? new RestoreSysctl(f[1], f[2]) : Bad(out error, "sysctl-restore KEY VALUE (a key mapt writes, a number)");
            case DeleteRoute.Name:
            case RestoreRoute.Name:
                if (!TryReadRoute(f, out PlannedRoute? route, out error))
                    return null;
                return f[0] == DeleteRoute.Name ? new DeleteRoute(route!) : new RestoreRoute(route!);
            case FlushConntrack.Name:
                return f.Length == 2 && Ipv4Address.TryParse(f[1], out Ipv4Address a) ? new FlushConntrack(a) : Bad(out error, "conntrack-flush IPV4");
        }
        error = "unknown entry '" + f[0] + "'";
        return null;
    }

    private static UndoStep? Bad(out string error, string form)
    {
        error = "expected '" + form + "'";
        return null;
    }

    private static bool IsSysctlValue(string value)
    {
        if (value.Length is 0 or > 10)
            return false;
        foreach (char c in value)
            if (c is < '0' or > '9')
                return false;
        return true;
    }

    /// <summary>"DST [via GW] [dev DEV] [metric N] [mtu N] [type T] [proto P]": the same words PlannedRoute.Describe writes.</summary>
    internal static bool TryReadRoute(string[] f, out PlannedRoute? route, out string error)
    {
        route = null;
        error = "";
        if (f.Length < 2)
        {
            error = "a route without destination";
            return false;
        }
        IpPrefix destination;
        if (f[1] == "default" || f[1] == "default6")
            destination = f[1] == "default" ? Ipv4Prefix.Masked(new Ipv4Address(0), 0) : Ipv6Prefix.Masked(new Ipv6Address(0, 0), 0);
        else if (!IpPrefix.TryParse(f[1], out destination))
        {
            error = "bad destination '" + f[1] + "'";
            return false;
        }
        string? device = null;
        IpAddress? gateway = null;
        uint metric = 0;
        int mtu = 0;
        byte type = PlannedRoute.Unicast, protocol = 0;
        for (int i = 2; i < f.Length; i += 2)
        {
            if (i + 1 >= f.Length)
            {
                error = "'" + f[i] + "' without a value";
                return false;
            }
            string value = f[i + 1];
            switch (f[i])
            {
                case "via" when IpAddress.TryParse(value, out IpAddress gw) && gw.IsV6 == destination.IsV6:
                    gateway = gw;
                    break;
                case "dev" when Plan.IsInterfaceName(value):
                    device = value;
                    break;
                case "metric" when uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out metric):
                    break;
                case "mtu" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out mtu):
                    break;
                case "type" when byte.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out type)
                    && type is PlannedRoute.Unicast or PlannedRoute.Blackhole or PlannedRoute.Unreachable or PlannedRoute.Prohibit:
                    break;
                case "proto" when byte.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out protocol):
                    break;
                default:
                    error = "bad route field '" + f[i] + " " + value + "'";
                    return false;
            }
        }
        if (type == PlannedRoute.Unicast && device is null && gateway is null)
        {
            error = "a unicast route without device or next hop";
            return false;
        }
        route = new PlannedRoute(destination, device, gateway, metric, mtu, type, protocol);
        return true;
    }

    /// <summary>A route in the words <see cref="TryReadRoute"/> reads ("default6" keeps an IPv6 default apart from IPv4's).</summary>
    internal static string RouteText(PlannedRoute r)
    {
        string text = r.Describe();
        return r.Destination.IsDefault && r.IsV6 ? "default6" + text.Substring("default".Length) : text;
    }
}

/// <summary>nat46 "del DEV": the device and its rule pairs.</summary>
public sealed record DeleteNat46Device(string Device) : UndoStep
{
    public const string Name = "nat46-delete";
    public override string Word => Name;
    protected override string Arguments => Device;
}

/// <summary>The persistent TUN device of mapt's translator (its routes go with it).</summary>
public sealed record DeleteTunDevice(string Device) : UndoStep
{
    public const string Name = "tun-delete";
    public override string Word => Name;
    protected override string Arguments => Device;
}

/// <summary>mapt's chains of one family, by name, and every jump into them (whatever else is in the tables stays).</summary>
public sealed record RemoveFilter(IpFamily Family, IReadOnlyList<IptablesChainName> Chains) : UndoStep
{
    public const string Name = "filter-remove";
    public override string Word => Name;

    protected override string Arguments
    {
        get
        {
            var text = new StringBuilder(Family == IpFamily.Ipv4 ? "ipv4" : "ipv6");
            foreach (IptablesChainName c in Chains)
                text.Append(' ').Append(c.Table).Append(':').Append(c.Chain);
            return text.ToString();
        }
    }

    public static RemoveFilter Of(IptablesRuleset ruleset)
    {
        var chains = new List<IptablesChainName>();
        foreach (IptablesChain c in ruleset.Chains)
            chains.Add(new IptablesChainName(c.Table, c.Name));
        return new RemoveFilter(ruleset.Family, chains);
    }

    internal static RemoveFilter? TryRead(string[] f, out string error)
    {
        error = "";
        if (f.Length < 2 || f[1] is not ("ipv4" or "ipv6"))
        {
            error = "expected 'filter-remove ipv4|ipv6 TABLE:MAPT_CHAIN ...'";
            return null;
        }
        var chains = new List<IptablesChainName>();
        for (int i = 2; i < f.Length; i++)
        {
            int colon = f[i].IndexOf(':');
            string table = colon < 0 ? "" : f[i].Substring(0, colon), chain = colon < 0 ? "" : f[i].Substring(colon + 1);
            if (Array.IndexOf(IptablesRuleset.TableOrder, table) < 0 || !IptablesRuleset.IsMaptChain(chain))
            {
                error = "'" + f[i] + "' is not TABLE:MAPT_CHAIN";
                return null;
            }
            chains.Add(new IptablesChainName(table, chain));
        }
        return new RemoveFilter(f[1] == "ipv4" ? IpFamily.Ipv4 : IpFamily.Ipv6, chains);
    }

    public bool Equals(RemoveFilter? other)
    {
        if (other is null || other.Family != Family || other.Chains.Count != Chains.Count)
            return false;
        for (int i = 0; i < Chains.Count; i++)
            if (Chains[i] != other.Chains[i])
                return false;
        return true;
    }

    public override int GetHashCode() => HashCode.Combine(Family, Chains.Count);
}

/// <summary>A sysctl back to the value it had before mapt's first change (null only in `mapt plan`'s view: not observed).</summary>
public sealed record RestoreSysctl(string Key, string? Value) : UndoStep
{
    public const string Name = "sysctl-restore";
    public override string Word => Name;
    protected override string Arguments => Key + " " + (Value ?? "<value before setup>");
}

/// <summary>mapt's route (the journal runs backwards: before the restore of the one it replaced, if any).</summary>
public sealed record DeleteRoute(PlannedRoute Route) : UndoStep
{
    public const string Name = "route-delete";
    public override string Word => Name;
    protected override string Arguments => RouteText(Route);
}

/// <summary>The route of someone else that mapt's replace overwrote, put back.</summary>
public sealed record RestoreRoute(PlannedRoute Route) : UndoStep
{
    public const string Name = "route-restore";
    public override string Word => Name;
    protected override string Arguments => RouteText(Route);
}

/// <summary>The conntrack entries NATed to the MAP address: left alone they keep old ports alive after the rules are gone. Undone last.</summary>
public sealed record FlushConntrack(Ipv4Address Address) : UndoStep
{
    public const string Name = "conntrack-flush";
    public override string Word => Name;
    protected override string Arguments => Address.ToString();
}
