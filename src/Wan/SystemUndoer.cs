using System;
using System.IO;
using Mapt.Apply;
using Mapt.Netlink;
using Mapt.Provisioning;

namespace Mapt.Wan;

/// <summary>
/// Undoes journal entries on the real system: netlink for links and routes, iptables-restore
/// through Apply, the nat46 control file, /proc/sys. "Already gone" (no such route, device or
/// chain) counts as undone: the journal lists what was about to be applied, and a crash may
/// have come before some of it was.
/// </summary>
public sealed class SystemUndoer : IUndoer
{
    private readonly RtnlClient _rtnl;
    private readonly IptablesApplier _iptables;
    private readonly string _nat46Control;

    public SystemUndoer(RtnlClient rtnl, IptablesApplier iptables, string nat46Control)
    {
        _rtnl = rtnl;
        _iptables = iptables;
        _nat46Control = nat46Control;
    }

    public string? Undo(JournalEntry entry, Journal journal)
    {
        try
        {
            switch (entry.Kind)
            {
                case UndoKind.Iptables: return Iptables(IpFamily.Ipv4, entry.Body);
                case UndoKind.Ip6tables: return Iptables(IpFamily.Ipv6, entry.Body);
                case UndoKind.Sysctl: return Sysctl(entry.Arg(0), entry.Arg(1));
                case UndoKind.Route4:
                case UndoKind.Route6: return Route(entry);
                case UndoKind.LinkMtu: return Link(entry.Arg(0), l => _rtnl.SetMtu(l.Index, uint.Parse(entry.Arg(1), System.Globalization.CultureInfo.InvariantCulture)));
                case UndoKind.LinkDown: return Link(entry.Arg(0), l => _rtnl.SetLinkUp(l.Index, false));
                case UndoKind.Address: return "address undo is not used by this version";
                case UndoKind.Nat46Device: return Nat46Delete(entry.Arg(0));
                case UndoKind.Conntrack: return Conntrack(entry.Arg(0));
                case UndoKind.RouteRestore: return RouteRestore(entry);
            }
            return "unknown entry";
        }
        catch (NetlinkException e) when (e.Errno is Netlink.Errno.ESRCH or Netlink.Errno.ENODEV or Netlink.Errno.ENOENT)
        {
            return null; // already gone
        }
        catch (Exception e) when (e is NetlinkException or ApplyException or IOException or UnauthorizedAccessException or FormatException)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// The teardown text recorded in the journal is one restore (the fast path, while the rules
    /// are as applied); if the tables differ from it (a crash before the restore, someone
    /// else's edits), the restore fails as a whole and the installed MAPT_ chains are read and
    /// removed instead.
    /// </summary>
    private string? Iptables(IpFamily family, string body)
    {
        if (body.Length != 0)
        {
            try
            {
                _iptables.Restore(family, body);
                return null;
            }
            catch (ApplyException)
            {
                // Fall through: remove what is actually there.
            }
        }
        _iptables.Teardown(family);
        return null;
    }

    private static string? Sysctl(string key, string value)
    {
        if (key.Length == 0 || value.Length == 0 || key.Contains(".."))
            return "sysctl entry without key or value";
        File.WriteAllText("/proc/sys/" + key.Replace('.', '/'), value + "\n");
        return null;
    }

    private string? Route(JournalEntry entry)
    {
        if (!RouteText.TryParseDestination(entry.Arg(0), out InetAddress destination, out byte length))
            return "bad destination '" + entry.Arg(0) + "'";
        int index;
        try
        {
            index = _rtnl.GetLink(entry.Arg(1)).Index;
        }
        catch (NetlinkException e) when (e.Errno == Netlink.Errno.ENODEV)
        {
            return null; // the device went, and its routes with it
        }
        InetAddress gateway = default;
        if (entry.Arg(2).Length != 0 && !RouteText.TryParseGateway(entry.Arg(2), out gateway))
            return "bad gateway '" + entry.Arg(2) + "'";
        _rtnl.RemoveRoute(new RouteInfo
        {
            Family = destination.Family,
            Destination = length == 0 ? default : destination,
            DestinationLength = length,
            OutputInterface = index,
            Gateway = gateway,
            Table = RouteTable.Main,
        });
        return null;
    }

    /// <summary>Puts back the route mapt's replace overwrote (mapt's own is deleted just before: the journal runs backwards).</summary>
    private string? RouteRestore(JournalEntry entry)
    {
        string? bad = ReplacedRoute.TryRead(entry, out RouteInfo route);
        if (bad is not null)
            return bad;
        if (entry.Arg(1) != "-")
        {
            try
            {
                route = route with { OutputInterface = _rtnl.GetLink(entry.Arg(1)).Index };
            }
            catch (NetlinkException e) when (e.Errno == Netlink.Errno.ENODEV)
            {
                return "device " + entry.Arg(1) + " is gone: the route that was there before mapt cannot be put back";
            }
        }
        try
        {
            _rtnl.AddRoute(route);
        }
        catch (NetlinkException e) when (e.Errno == Netlink.Errno.EEXIST)
        {
            // Back already (someone else re-added it): nothing to do.
        }
        return null;
    }

    private string? Link(string name, Action<LinkInfo> change)
    {
        LinkInfo link;
        try
        {
            link = _rtnl.GetLink(name);
        }
        catch (NetlinkException e) when (e.Errno == Netlink.Errno.ENODEV)
        {
            return null;
        }
        change(link);
        return null;
    }

    private string? Nat46Delete(string device)
    {
        try
        {
            _rtnl.GetLink(device);
        }
        catch (NetlinkException e) when (e.Errno == Netlink.Errno.ENODEV)
        {
            return null; // no device: nothing of it left in nat46 either
        }
        if (!File.Exists(_nat46Control))
            return "device " + device + " exists but " + _nat46Control + " does not (nat46 module unloaded?)";
        var control = new Nat46ControlFile(_nat46Control);
        new Nat46Configurator(control, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Run(Nat46Commands.Teardown(device));
        return null;
    }

    /// <summary>
    /// Flows SNATed to the MAP address (ctnetlink). Left in conntrack they would keep old ports
    /// (outside a new port set) or an old address alive after the rules are gone.
    /// </summary>
    private static string? Conntrack(string ipv4)
    {
        if (!Mapt.Net.Ipv4Address.TryParse(ipv4, out Mapt.Net.Ipv4Address address))
            return "conntrack entry with a bad address '" + ipv4 + "'";
        try
        {
            using ConntrackClient conntrack = ConntrackClient.Open();
            conntrack.DeleteNatTo(InetAddress.V4(address.Value));
            return null;
        }
        catch (NetlinkException e) when (e.Errno == Netlink.Errno.EPROTONOSUPPORT)
        {
            // No ctnetlink (nf_conntrack_netlink not loaded; qemu-user): the conntrack tool, if any.
            return ConntrackTool(ipv4);
        }
    }

    private static string? ConntrackTool(string ipv4)
    {
        ChildResult r;
        try
        {
            r = ChildProcess.Run(new[] { "conntrack", "-D", "--reply-dst", ipv4 }, "", 5000);
        }
        catch (ApplyException e)
        {
            return "no ctnetlink, and " + e.Message;
        }
        // conntrack exits 1 when it deleted nothing: that is done too.
        if (r.Succeeded || r.Stderr.Contains("flow entries have been deleted", StringComparison.Ordinal))
            return null;
        return "conntrack -D --reply-dst " + ipv4 + ": " + r.Describe() + " " + r.Stderr.Trim();
    }
}
