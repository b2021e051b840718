using System;

namespace Mapt.Translator;

/// <summary>
/// What the translator did, in the terms of TR-181 Device.MAP.Domain.{i}.Interface.Stats
/// ("sent" = IPv4 translated towards the IPv6 network, "received" = IPv6 translated back),
/// plus one drop counter per <see cref="DropReason"/>.
/// </summary>
public sealed class TranslatorCounters
{
    private readonly long[] _drops = new long[DropReasonCount];

    public const int DropReasonCount = 16;

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

    public long Dropped(DropReason reason) => _drops[(int)reason];

    internal void CountDrop(DropReason reason, bool outbound)
    {
        _drops[(int)reason]++;
        if (outbound)
            DiscardPacketsSent++;
        else
            DiscardPacketsReceived++;
    }

    /// <summary>The stable name of a reason, as status output shows it.</summary>
    public static string Name(DropReason reason) => reason switch
    {
        DropReason.Malformed => "malformed",
        DropReason.SourceNotMapAddress => "source-not-map-address",
        DropReason.SourcePortOutsideSet => "source-port-outside-set",
        DropReason.NotMapAddress => "not-map-address",
        DropReason.DestinationPortOutsideSet => "destination-port-outside-set",
        DropReason.SourceNotMappable => "source-not-mappable",
        DropReason.ProtocolWithoutPorts => "protocol-without-ports",
        DropReason.IcmpUntranslatable => "icmp-untranslatable",
        DropReason.FragmentWithoutFirst => "fragment-without-first",
        DropReason.UdpZeroChecksumFragment => "udp-zero-checksum-fragment",
        DropReason.FragmentedIcmp => "fragmented-icmp",
        DropReason.ExtensionHeader => "extension-header",
        DropReason.UdpZeroChecksum => "udp-zero-checksum",
        DropReason.DestinationNotMappable => "destination-not-mappable",
        DropReason.Multicast => "multicast",
        _ => "none",
    };

    internal void Reset()
    {
        Array.Clear(_drops);
        PacketsSent = BytesSent = PacketsReceived = BytesReceived = 0;
        DiscardPacketsSent = DiscardPacketsReceived = PacketTooBig = ErrorsSent = ErrorsReceived = 0;
    }
}
