using System.Collections.Generic;
using System.Globalization;

namespace Mapt.Status;

/// <summary>
/// The TR-181 Device.MAP. projection (Broadband Forum Device:2.19): every parameter of
/// Device.MAP., Domain.1., Domain.1.Rule.{i}. and Domain.1.Interface., in the order a field
/// engineer's tools list them, plus mapt's own X_MAPT_ parameters (vendor extensions are
/// named X_&lt;vendor&gt;_ by TR-106). One MAP domain: mapt runs one WAN.
/// </summary>
public static class Tr181View
{
    public const string Root = "Device.MAP.";
    public const string Domain = "Device.MAP.Domain.1.";
    public const string Interface = "Device.MAP.Domain.1.Interface.";
    /// <summary>mapt's translator drops by reason, shown after Interface.Stats. by <c>mapt status</c>.</summary>
    public const string DropsPrefix = Interface + "Stats.X_MAPT_Dropped.";

    /// <summary>The daemon's part: everything but the live counters (<see cref="StatsLines"/>).</summary>
    public static List<StatusLine> Render(StatusSnapshot s)
    {
        var lines = new List<StatusLine>();
        void Add(string path, string value) => lines.Add(new StatusLine(path, value));

        Add(Root + "Enable", Bool(s.Enable));
        Add(Root + "DomainNumberOfEntries", "1");
        Add(Root + "X_MAPT_State", s.State);
        Add(Root + "X_MAPT_StateSince", s.StateSince);
        Add(Root + "X_MAPT_Reason", s.Reason);
        Add(Root + "X_MAPT_LastError", s.LastError);
        Add(Root + "X_MAPT_Pid", Num(s.Pid));
        Add(Root + "X_MAPT_Translator", s.Translator);

        Add(Domain + "Enable", Bool(s.Enable));
        Add(Domain + "Status", DomainStatus(s));
        Add(Domain + "Alias", "cpe-mapt-1");
        Add(Domain + "TransportMode", "Translation");
        Add(Domain + "WANInterface", s.Wan);
        Add(Domain + "IPv6Prefix", s.EndUserPrefix);
        Add(Domain + "BRIPv6Prefix", s.Dmr);
        // -1: do not mark (TR-181: -1 copies nothing, -2 is "automatic"); mapt leaves DSCP alone.
        Add(Domain + "DSCPMarkPolicy", "-1");
        Add(Domain + "RuleNumberOfEntries", Num(s.Rules.Count));
        Add(Domain + "X_MAPT_IPv4Address", s.Ipv4Address);
        Add(Domain + "X_MAPT_MAPIPv6Address", s.MapIpv6Address);
        Add(Domain + "X_MAPT_PSID", s.Psid);
        Add(Domain + "X_MAPT_PortSet", s.PortSet);
        Add(Domain + "X_MAPT_LeaseT1", Num(s.LeaseT1));
        Add(Domain + "X_MAPT_LeaseT2", Num(s.LeaseT2));
        Add(Domain + "X_MAPT_LeaseValidLifetime", Num(s.LeaseValid));
        Add(Domain + "X_MAPT_LeaseObtained", s.LeaseObtained);
        Add(Domain + "X_MAPT_LeaseExpires", s.LeaseExpires);

        for (int i = 0; i < s.Rules.Count; i++)
        {
            StatusRule r = s.Rules[i];
            string p = Domain + "Rule." + Num(i + 1) + ".";
            Add(p + "Enable", "true");
            Add(p + "Status", s.Configured ? "Enabled" : "Disabled");
            Add(p + "Alias", "cpe-rule-" + Num(i + 1));
            Add(p + "Origin", r.Origin);
            Add(p + "IPv6Prefix", r.Ipv6Prefix);
            Add(p + "IPv4Prefix", r.Ipv4Prefix);
            Add(p + "EABitsLength", Num(r.EaBitsLength));
            Add(p + "IsFMR", Bool(r.IsFmr));
            Add(p + "PSIDOffset", Num(r.PsidOffset));
            Add(p + "PSIDLength", Num(r.PsidLength));
            Add(p + "PSID", Num(r.PsidWire));
            Add(p + "IncludeSystemPorts", "false");
        }

        Add(Interface + "Enable", Bool(s.Enable));
        Add(Interface + "Status", s.Configured ? "Up" : "Down");
        Add(Interface + "Alias", "cpe-mapt-if");
        Add(Interface + "Name", s.MapDevice);
        Add(Interface + "X_MAPT_LastChangeUnix", Num(s.InterfaceLastChangeUnix));
        Add(Interface + "LowerLayers", s.Wan);
        foreach (KeyValuePair<string, long> drop in s.TranslatorDrops)
            Add(DropsPrefix + drop.Key, Num(drop.Value));
        return lines;
    }

    /// <summary>TR-181 Domain.Status: Error_Misconfigured when the lease's MAP content could not be used.</summary>
    private static string DomainStatus(StatusSnapshot s) =>
        !s.Enable ? "Disabled" : s.Misconfigured ? "Error_Misconfigured" : s.LastError.Length != 0 && !s.Configured ? "Error" : s.Configured ? "Enabled" : "Disabled";

    /// <summary>
    /// Interface.Stats. from the kernel's counters of the MAP device (for a translating one
    /// its IPv6 counters: <see cref="InterfaceCounters.ParseSnmp6"/>).
    /// </summary>
    public static List<StatusLine> StatsLines(InterfaceCounters c)
    {
        InterfaceCounters.Direction sent = c.Tx;
        InterfaceCounters.Direction received = c.Rx;
        string p = Interface + "Stats.";
        return new List<StatusLine>
        {
            new(p + "BytesSent", Num(sent.Bytes)),
            new(p + "BytesReceived", Num(received.Bytes)),
            new(p + "PacketsSent", Num(sent.Packets)),
            new(p + "PacketsReceived", Num(received.Packets)),
            new(p + "ErrorsSent", Num(sent.Errors)),
            new(p + "ErrorsReceived", Num(received.Errors)),
            new(p + "UnicastPacketsSent", Num(sent.Packets - sent.Multicast)),
            new(p + "UnicastPacketsReceived", Num(received.Packets - received.Multicast)),
            new(p + "DiscardPacketsSent", Num(sent.Dropped)),
            new(p + "DiscardPacketsReceived", Num(received.Dropped)),
            new(p + "MulticastPacketsSent", Num(sent.Multicast)),
            new(p + "MulticastPacketsReceived", Num(received.Multicast)),
            new(p + "BroadcastPacketsSent", "0"),
            new(p + "BroadcastPacketsReceived", "0"),
            new(p + "UnknownProtoPacketsReceived", "0"),
        };
    }

    /// <summary>Parameters whose TR-181 type is a number or a boolean (the rest are strings), for --json.</summary>
    public static char TypeOf(string path)
    {
        int dot = path.LastIndexOf('.');
        string name = path.Substring(dot + 1);
        if (name is "Enable" or "IsFMR" or "IncludeSystemPorts")
            return 'b';
        if (path.Contains(".Stats.") || name is "DomainNumberOfEntries" or "RuleNumberOfEntries" or "DSCPMarkPolicy"
            or "EABitsLength" or "PSIDOffset" or "PSIDLength" or "PSID" or "LastChange" or "X_MAPT_Pid"
            or "X_MAPT_LeaseT1" or "X_MAPT_LeaseT2" or "X_MAPT_LeaseValidLifetime" or "X_MAPT_LastChangeUnix")
            return 'n';
        return 's';
    }

    private static string Bool(bool b) => b ? "true" : "false";
    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
    private static string Num(ulong n) => n.ToString(CultureInfo.InvariantCulture);
}
