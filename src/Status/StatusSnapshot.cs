using System.Collections.Generic;

namespace Mapt.Status;

/// <summary>
/// What the daemon knows, as plain values: the input of the TR-181 projection. The daemon
/// fills it from its state machine, lease and MAP result; tests fill it by hand.
/// </summary>
public sealed class StatusSnapshot
{
    public int Pid { get; set; }
    public bool Enable { get; set; } = true;
    public string State { get; set; } = "WaitingForLink";
    /// <summary>UTC, ISO 8601.</summary>
    public string StateSince { get; set; } = "";
    public long StateSinceUnix { get; set; }
    public string Reason { get; set; } = "";
    public string LastError { get; set; } = "";
    public string Wan { get; set; } = "";
    public string MapDevice { get; set; } = "";
    public string Translator { get; set; } = "nat46";
    public bool Configured { get; set; }
    public bool Misconfigured { get; set; }
    public string EndUserPrefix { get; set; } = "";
    public string Dmr { get; set; } = "";
    public List<StatusRule> Rules { get; } = new();
    public string Ipv4Address { get; set; } = "";
    public string MapIpv6Address { get; set; } = "";
    public string PortSet { get; set; } = "";
    public string Psid { get; set; } = "";
    /// <summary>Lease timers in seconds as the server gave them; 0 when no lease.</summary>
    public long LeaseT1 { get; set; }
    public long LeaseT2 { get; set; }
    public long LeaseValid { get; set; }
    public string LeaseObtained { get; set; } = "";
    public string LeaseExpires { get; set; } = "";
    public long InterfaceLastChangeUnix { get; set; }
    /// <summary>
    /// With mapt's own translator: packets dropped per reason (stable reason names), the checks
    /// nat46 never makes. Empty with nat46 or someone else's device.
    /// </summary>
    public List<KeyValuePair<string, long>> TranslatorDrops { get; } = new();
    /// <summary>
    /// The DHCPv6 client's dropped datagrams per reason (CamelCase reason name, count): what
    /// anyone on the WAN link can send, counted instead of logged. Empty without a client.
    /// </summary>
    public List<KeyValuePair<string, long>> Dhcpv6Drops { get; } = new();
}
