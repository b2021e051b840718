using System.Collections.Generic;

namespace Mapt.Status;

/// <summary>
/// What the daemon knows, as plain values: the input of the TR-181 projection. The daemon
/// fills it from its state machine, lease and MAP result; tests fill it by hand.
/// </summary>
public sealed class StatusSnapshot
{
    /// <summary>The TR-106 prefix of every vendor parameter (<see cref="Status.VendorPrefix"/>).</summary>
    public string VendorPrefix { get; set; } = Status.VendorPrefix.Default;
    public int Pid { get; set; }
    public bool Enable { get; set; } = true;
    public string State { get; set; } = "WaitingForLink";
    /// <summary>UTC, ISO 8601.</summary>
    public string StateSince { get; set; } = "";
    public string Reason { get; set; } = "";
    public string LastError { get; set; } = "";
    /// <summary>The WAN's Linux name.</summary>
    public string Wan { get; set; } = "";
    /// <summary>
    /// Domain.WANInterface: the firmware's Device.IP.Interface.{i} row of the WAN, and
    /// Domain.IPv6Prefix: its Device.IP.Interface.{i}.IPv6Prefix.{i} row of the End-user prefix
    /// (mapt does not own Device.IP.; the firmware tells it). Empty when not configured.
    /// </summary>
    public string WanInterfacePath { get; set; } = "";
    public string Ipv6PrefixPath { get; set; } = "";
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
    /// <summary>"ranges", or "remap" with the virtual ranges (issue 15); "" when nothing is applied.</summary>
    public string Snat { get; set; } = "";
    /// <summary>The port set's occupancy from the last conntrack dump (null: not measured yet, or 1:1).</summary>
    public PortOccupancy? Occupancy { get; set; }
    /// <summary>The CE's PSID (right-aligned), and the a and k it came with; 0 when nothing is applied.</summary>
    public int PsidInUse { get; set; }
    public int PsidLengthInUse { get; set; }
    public int PsidOffsetInUse { get; set; }
    /// <summary>Lease timers in seconds as the server gave them; 0 when no lease.</summary>
    public long LeaseT1 { get; set; }
    public long LeaseT2 { get; set; }
    public long LeaseValid { get; set; }
    /// <summary>UTC, ISO 8601 (TR-106 dateTime); "" unknown (no lease), <see cref="Tr181View.InfiniteTime"/> for an infinite lifetime.</summary>
    public string LeaseObtained { get; set; } = "";
    public string LeaseExpires { get; set; } = "";
    /// <summary>CLOCK_MONOTONIC milliseconds at which Interface.Status took its current value (LastChange counts from it).</summary>
    public long InterfaceChangedMs { get; set; }
    /// <summary>
    /// Vendor counters, shown under their object with the vendor prefix: one family is one
    /// <see cref="AddCounter"/> per member (mapt's translator drops by reason, for instance).
    /// </summary>
    public List<VendorCounter> Counters { get; } = new();

    public void AddCounter(string objectPath, string name, ulong value) => Counters.Add(new VendorCounter(objectPath, name, value));
}
