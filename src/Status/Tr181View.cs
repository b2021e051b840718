using System.Collections.Generic;
using System.Globalization;

namespace Mapt.Status;

/// <summary>
/// The TR-181 Device.MAP. projection (Broadband Forum Device:2.19): every current parameter of
/// Device.MAP., Domain.1., Domain.1.Rule.{i}. and Domain.1.Interface. (Interface.Alias, deprecated
/// in 2.18, is left out), in the model's order, then mapt's own vendor parameters, named with the
/// configured TR-106 prefix (<see cref="VendorPrefix"/>) after the standard ones of their object.
/// One MAP domain: mapt runs one WAN. tests/Status/tr181-map-extract.txt is the model it is
/// tested against.
/// </summary>
public static class Tr181View
{
    public const string Root = "Device.MAP.";
    public const string Domain = "Device.MAP.Domain.1.";
    public const string Interface = "Device.MAP.Domain.1.Interface.";
    public const string InterfaceStats = "Device.MAP.Domain.1.Interface.Stats.";
    /// <summary>The vendor object under Interface.Stats. holding mapt's translator drops, one counter per reason.</summary>
    public const string TranslatorDrops = "Dropped.";
    /// <summary>TR-106 dateTime for an unknown time and for an infinite one (as Device.IP.Interface.{i}.IPv6Prefix.{i}.ValidLifetime).</summary>
    public const string UnknownTime = "0001-01-01T00:00:00Z";
    public const string InfiniteTime = "9999-12-31T23:59:59Z";

    /// <summary>The daemon's part: everything but the kernel's counters (<see cref="StatsLines"/>) and the running LastChange.</summary>
    public static DaemonView Render(StatusSnapshot s)
    {
        var lines = new List<StatusLine>();
        var shown = new HashSet<string>();
        void Add(string path, string value, ParamType type = ParamType.String) => lines.Add(new StatusLine(path, value, type));
        void X(string objectPath, string name, string value, ParamType type = ParamType.String) =>
            Add(VendorPrefix.Path(s.VendorPrefix, objectPath, name), value, type);
        void Counters(string objectPath)
        {
            shown.Add(objectPath);
            foreach (VendorCounter c in s.Counters)
                if (c.Object == objectPath)
                    X(objectPath, c.Name, Num(c.Value), ParamType.UnsignedLong);
        }

        Add(Root + "Enable", Bool(s.Enable), ParamType.Boolean);
        Add(Root + "DomainNumberOfEntries", "1", ParamType.UnsignedInt);
        X(Root, "State", s.State);
        X(Root, "StateSince", Time(s.StateSince), ParamType.DateTime);
        X(Root, "Reason", s.Reason);
        X(Root, "LastError", s.LastError);
        X(Root, "Pid", Num(s.Pid), ParamType.UnsignedInt);
        X(Root, "Translator", s.Translator);
        Counters(Root);

        Add(Domain + "Enable", Bool(s.Enable), ParamType.Boolean);
        Add(Domain + "Status", DomainStatus(s));
        Add(Domain + "Alias", "cpe-mapt-1");
        Add(Domain + "TransportMode", "Translation");
        // References to the firmware's Device.IP. rows; the Linux name and the prefix are below.
        Add(Domain + "WANInterface", s.WanInterfacePath);
        Add(Domain + "IPv6Prefix", s.EndUserPrefix.Length == 0 ? "" : s.Ipv6PrefixPath);
        Add(Domain + "BRIPv6Prefix", s.Dmr);
        // -1: copy from the incoming packet. RFC 7915 copies the IPv4 TOS into the IPv6 Traffic
        // Class (nat46 and mapt's translator both do); mapt marks nothing itself.
        Add(Domain + "DSCPMarkPolicy", "-1", ParamType.Int);
        Add(Domain + "RuleNumberOfEntries", Num(s.Rules.Count), ParamType.UnsignedInt);
        X(Domain, "WANInterfaceName", s.Wan);
        X(Domain, "EndUserIPv6Prefix", s.EndUserPrefix);
        X(Domain, "IPv4Address", s.Ipv4Address);
        X(Domain, "MAPIPv6Address", s.MapIpv6Address);
        X(Domain, "PSIDInUse", Num(s.PsidInUse), ParamType.UnsignedInt);
        X(Domain, "PSIDLengthInUse", Num(s.PsidLengthInUse), ParamType.UnsignedInt);
        X(Domain, "PSIDOffsetInUse", Num(s.PsidOffsetInUse), ParamType.UnsignedInt);
        X(Domain, "PortSet", s.PortSet);
        if (s.Snat.Length != 0)
            X(Domain, "SNAT", s.Snat);
        if (s.Occupancy is PortOccupancy occupancy)
            foreach (PortOccupancy.ProtocolUse u in occupancy.Uses)
            {
                // Real ports (conntrack's virtual ports shown as the ones they stand for).
                X(Domain, "PortsInUse" + u.Name, Num(u.InUse), ParamType.UnsignedInt);
                X(Domain, "FullestRange" + u.Name, u.FullestRange);
            }
        X(Domain, "LeaseT1", Num(s.LeaseT1), ParamType.UnsignedInt);
        X(Domain, "LeaseT2", Num(s.LeaseT2), ParamType.UnsignedInt);
        X(Domain, "LeaseValidLifetime", Num(s.LeaseValid), ParamType.UnsignedInt);
        X(Domain, "LeaseObtained", Time(s.LeaseObtained), ParamType.DateTime);
        X(Domain, "LeaseExpires", Time(s.LeaseExpires), ParamType.DateTime);
        Counters(Domain);

        for (int i = 0; i < s.Rules.Count; i++)
        {
            StatusRule r = s.Rules[i];
            string p = Domain + "Rule." + Num(i + 1) + ".";
            Add(p + "Enable", "true", ParamType.Boolean);
            Add(p + "Status", s.Configured ? "Enabled" : "Disabled");
            Add(p + "Alias", "cpe-rule-" + Num(i + 1));
            Add(p + "Origin", r.Origin);
            Add(p + "IPv6Prefix", r.Ipv6Prefix);
            Add(p + "IPv4Prefix", r.Ipv4Prefix);
            Add(p + "EABitsLength", Num(r.EaBitsLength), ParamType.UnsignedInt);
            Add(p + "IsFMR", Bool(r.IsFmr), ParamType.Boolean);
            Add(p + "PSIDOffset", Num(r.PsidOffset), ParamType.UnsignedInt);
            Add(p + "PSIDLength", Num(r.PsidLength), ParamType.UnsignedInt);
            Add(p + "PSID", Num(r.PsidWire), ParamType.UnsignedInt);
            Add(p + "IncludeSystemPorts", Bool(r.IncludeSystemPorts), ParamType.Boolean);
            X(p, "IsBMR", Bool(r.IsBmr), ParamType.Boolean);
            X(p, "PSIDLengthInUse", Num(r.PsidLengthInUse), ParamType.UnsignedInt);
        }

        Add(Interface + "Enable", Bool(s.Enable), ParamType.Boolean);
        Add(Interface + "Status", s.Configured ? "Up" : "Down");
        Add(Interface + "Name", s.MapDevice);
        Add(Interface + "LastChange", "0", ParamType.UnsignedInt); // counted by mapt status from InterfaceChangedMs
        // The model: a MAP interface is expected not to use LowerLayers (the WAN is Domain.WANInterface).
        Add(Interface + "LowerLayers", "");
        Counters(Interface);
        Counters(InterfaceStats);
        foreach (VendorCounter c in s.Counters)
            if (!shown.Contains(c.Object))
                X(c.Object, c.Name, Num(c.Value), ParamType.UnsignedLong);
        return new DaemonView(s.VendorPrefix, s.InterfaceChangedMs, lines);
    }

    /// <summary>TR-181 Domain.Status: Error_Misconfigured when the lease's MAP content could not be used.</summary>
    private static string DomainStatus(StatusSnapshot s) =>
        !s.Enable ? "Disabled" : s.Misconfigured ? "Error_Misconfigured" : s.LastError.Length != 0 && !s.Configured ? "Error" : s.Configured ? "Enabled" : "Disabled";

    /// <summary>
    /// Interface.Stats. from the kernel's counters of the MAP device (for a translating one
    /// its IPv6 counters: <see cref="InterfaceCounters.ParseSnmp6"/>). The kernel's counters are
    /// 64-bit; the model's StatsCounter32 ones wrap through zero.
    /// </summary>
    public static List<StatusLine> StatsLines(InterfaceCounters c)
    {
        InterfaceCounters.Direction sent = c.Tx;
        InterfaceCounters.Direction received = c.Rx;
        string p = InterfaceStats;
        StatusLine C64(string name, ulong v) => new(p + name, Num(v), ParamType.UnsignedLong);
        StatusLine C32(string name, ulong v) => new(p + name, Counter32(v), ParamType.UnsignedInt);
        return new List<StatusLine>
        {
            C64("BytesSent", sent.Bytes),
            C64("BytesReceived", received.Bytes),
            C64("PacketsSent", sent.Packets),
            C64("PacketsReceived", received.Packets),
            C32("ErrorsSent", sent.Errors),
            C32("ErrorsReceived", received.Errors),
            C64("UnicastPacketsSent", sent.Packets - sent.Multicast),
            C64("UnicastPacketsReceived", received.Packets - received.Multicast),
            C32("DiscardPacketsSent", sent.Dropped),
            C32("DiscardPacketsReceived", received.Dropped),
            C64("MulticastPacketsSent", sent.Multicast),
            C64("MulticastPacketsReceived", received.Multicast),
            // A MAP device is a layer-3 point-to-point device: no broadcast address, and every
            // packet it hands up is IPv4 or IPv6, which have handlers.
            C64("BroadcastPacketsSent", 0),
            C64("BroadcastPacketsReceived", 0),
            C32("UnknownProtoPacketsReceived", 0),
        };
    }

    /// <summary>
    /// TR-106 StatsCounter32: the value modulo 2^32; 0xffffffff means "no data", so a real
    /// 0xffffffff is shown as 0xfffffffe.
    /// </summary>
    public static string Counter32(ulong value)
    {
        uint wrapped = unchecked((uint)value);
        return Num(wrapped == uint.MaxValue ? uint.MaxValue - 1 : wrapped);
    }

    private static string Time(string iso) => iso.Length == 0 ? UnknownTime : iso;
    private static string Bool(bool b) => b ? "true" : "false";
    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
    private static string Num(ulong n) => n.ToString(CultureInfo.InvariantCulture);
}
