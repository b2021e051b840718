namespace Mapt.Wan;

/// <summary>
/// What one journal line undoes. Each names a change mapt made, with everything needed to
/// undo it without the lease or the plan that caused it (a restarted process has neither).
/// </summary>
public enum UndoKind
{
    /// <summary>iptables-restore --noflush of the body (IPv4): delete the jumps, flush and delete mapt's chains.</summary>
    Iptables,
    /// <summary>The same for ip6tables.</summary>
    Ip6tables,
    /// <summary>Put a sysctl back: Args = path, value before mapt.</summary>
    Sysctl,
    /// <summary>Delete an IPv4 route: Args = destination/len, device.</summary>
    Route4,
    /// <summary>Delete an IPv6 route: Args = destination/len, device[, via gateway].</summary>
    Route6,
    /// <summary>Delete an address: Args = address/len, device.</summary>
    Address,
    /// <summary>Put a device's MTU back: Args = device, MTU before mapt.</summary>
    LinkMtu,
    /// <summary>Set a device down: Args = device.</summary>
    LinkDown,
    /// <summary>nat46 "del DEV": the translator device and its rules.</summary>
    Nat46Device,
    /// <summary>Delete conntrack entries of the MAP IPv4 address (flows NATed into the old port set): Args = address.</summary>
    Conntrack,
    /// <summary>Put back the route a replace overwrote: Args = destination/len, device or -, gateway or -, metric, route type.</summary>
    RouteRestore,
}
