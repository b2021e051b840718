using System;
using Mapt.Text;

namespace Mapt.Translator;

/// <summary>
/// What the translator did, in the terms of TR-181 Device.MAP.Domain.{i}.Interface.Stats
/// ("sent" = IPv4 translated towards the IPv6 network, "received" = IPv6 translated back),
/// plus one drop counter per <see cref="DropReason"/>.
/// </summary>
public sealed class TranslatorCounters
{
    private readonly long[] _drops = new long[DropReasonCount];

    public const int DropReasonCount = 17;

    public long PacketsSent { get; internal set; }
    public long BytesSent { get; internal set; }
    public long PacketsReceived { get; internal set; }
    public long BytesReceived { get; internal set; }
    public long DiscardPacketsSent { get; internal set; }
    public long DiscardPacketsReceived { get; internal set; }
    /// <summary>ICMPv6 Packet Too Big translated into Fragmentation Needed, and the reverse.</summary>
    public long PacketTooBig { get; internal set; }
    /// <summary>Reads or writes on the TUN device that failed (other than EAGAIN).</summary>
    public long ErrorsSent { get; internal set; }
    public long ErrorsReceived { get; internal set; }
    /// <summary>ICMP errors the translator sent back for packets it discarded (RFC 7915 §4.4, §5.1, §5.4).</summary>
    public long IcmpErrorsSent { get; internal set; }
    /// <summary>Such errors not sent because the rate limit was reached (<see cref="IcmpErrorLimiter"/>).</summary>
    public long IcmpErrorsRateLimited { get; internal set; }

    /// <summary>
    /// GSO super-packets translated whole (IPv4 -> IPv6, and back): each also counts in
    /// PacketsSent/Received as the segments the kernel cuts it into.
    /// </summary>
    public long GsoPacketsSent { get; internal set; }
    public long GsoPacketsReceived { get; internal set; }

    public long Dropped(DropReason reason) => _drops[(int)reason];

    internal void CountDrop(DropReason reason, bool outbound, long packets = 1)
    {
        _drops[(int)reason] += packets;
        if (outbound)
            DiscardPacketsSent += packets;
        else
            DiscardPacketsReceived += packets;
    }

    /// <summary>
    /// The stable name of a reason, as logs and status show it: CamelCase, as TR-106 names
    /// parameters (Interface.Stats.X_&lt;VENDOR&gt;_Dropped.SourcePortOutsideSet).
    /// </summary>
    public static string Name(DropReason reason) => reason switch
    {
        DropReason.Malformed => "Malformed",
        DropReason.SourceNotMapAddress => "SourceNotMapAddress",
        DropReason.SourcePortOutsideSet => "SourcePortOutsideSet",
        DropReason.NotMapAddress => "NotMapAddress",
        DropReason.DestinationPortOutsideSet => "DestinationPortOutsideSet",
        DropReason.SourceNotMappable => "SourceNotMappable",
        DropReason.ProtocolWithoutPorts => "ProtocolWithoutPorts",
        DropReason.IcmpUntranslatable => "IcmpUntranslatable",
        DropReason.FragmentWithoutFirst => "FragmentWithoutFirst",
        DropReason.UdpZeroChecksumFragment => "UdpZeroChecksumFragment",
        DropReason.FragmentedIcmp => "FragmentedIcmp",
        DropReason.ExtensionHeader => "ExtensionHeader",
        DropReason.UdpZeroChecksum => "UdpZeroChecksum",
        DropReason.DestinationNotMappable => "DestinationNotMappable",
        DropReason.Multicast => "Multicast",
        DropReason.SourceRoute => "SourceRoute",
        _ => "None",
    };

    /// <summary>What a reason means for a field engineer, in one phrase.</summary>
    public static string Meaning(DropReason reason) => reason switch
    {
        DropReason.Malformed => "truncated or inconsistent headers",
        DropReason.SourceNotMapAddress => "outbound IPv4 not from the CE's MAP address (not SNATed)",
        DropReason.SourcePortOutsideSet => "outbound source port outside the port set: check the SNAT rules",
        DropReason.NotMapAddress => "inbound IPv6 for an address other than the CE's MAP address",
        DropReason.DestinationPortOutsideSet => "inbound destination port outside the port set",
        DropReason.SourceNotMappable => "inbound IPv6 source in neither the DMR nor an FMR",
        DropReason.ProtocolWithoutPorts => "a protocol without ports on a shared IPv4 address",
        DropReason.IcmpUntranslatable => "ICMP type without a counterpart",
        DropReason.FragmentWithoutFirst => "a fragment whose first fragment was not seen",
        DropReason.UdpZeroChecksumFragment => "fragmented IPv4 UDP without checksum",
        DropReason.FragmentedIcmp => "fragmented ICMP",
        DropReason.ExtensionHeader => "IPv6 routing header with segments left",
        DropReason.UdpZeroChecksum => "IPv6 UDP with a zero checksum",
        DropReason.DestinationNotMappable => "destination the MAP rules cannot express",
        DropReason.Multicast => "IPv6 multicast from the host's own stack",
        DropReason.SourceRoute => "IPv4 with an unexpired source route option",
        _ => "none",
    };

    /// <summary>
    /// The counters as a JSON object for the status file: the TR-181 Stats names
    /// (Device.MAP.Domain.{i}.Interface.Stats.) and a "Drops" object keyed by reason name.
    /// </summary>
    public void WriteJson(JsonWriter json)
    {
        json.StartObject()
            .Property("PacketsSent", PacketsSent)
            .Property("BytesSent", BytesSent)
            .Property("PacketsReceived", PacketsReceived)
            .Property("BytesReceived", BytesReceived)
            .Property("DiscardPacketsSent", DiscardPacketsSent)
            .Property("DiscardPacketsReceived", DiscardPacketsReceived)
            .Property("ErrorsSent", ErrorsSent)
            .Property("ErrorsReceived", ErrorsReceived)
            .Property("PacketTooBig", PacketTooBig)
            .Property("IcmpErrorsSent", IcmpErrorsSent)
            .Property("IcmpErrorsRateLimited", IcmpErrorsRateLimited)
            .Property("GsoPacketsSent", GsoPacketsSent)
            .Property("GsoPacketsReceived", GsoPacketsReceived)
            .StartObject("Drops");
        for (int i = 1; i < DropReasonCount; i++)
            json.Property(Name((DropReason)i), _drops[i]);
        json.EndObject().EndObject();
    }
}
