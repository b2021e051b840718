namespace Mapt.Translator;

/// <summary>
/// Why the translator dropped a packet: one counter each, so a field engineer can tell a
/// misconfigured SNAT (source port outside the set) from a BR sending to another CE.
/// Values are stable: they index the counters and appear in status output.
/// </summary>
public enum DropReason
{
    None = 0,
    /// <summary>Too short, wrong version, lengths that do not add up.</summary>
    Malformed = 1,
    /// <summary>Outbound IPv4 whose source is not the CE's IPv4 address (not SNATed).</summary>
    SourceNotMapAddress = 2,
    /// <summary>Outbound source port or echo id outside the CE's port set: the SNAT let it escape (RFC 7597 §5.1; nat46 never checks).</summary>
    SourcePortOutsideSet = 3,
    /// <summary>Inbound IPv6 to an address other than the CE's MAP IPv6 address (another CE's).</summary>
    NotMapAddress = 4,
    /// <summary>Inbound destination port or echo id outside the port set.</summary>
    DestinationPortOutsideSet = 5,
    /// <summary>Inbound IPv6 source neither in an FMR's prefix nor in the DMR (RFC 7599 §5.1).</summary>
    SourceNotMappable = 6,
    /// <summary>A protocol without ports on a shared IPv4 address: cannot be demultiplexed.</summary>
    ProtocolWithoutPorts = 7,
    /// <summary>ICMP type or code with no counterpart (RFC 7915 §4.2, §5.2 say: silently drop).</summary>
    IcmpUntranslatable = 8,
    /// <summary>A non-first fragment whose first fragment was not seen (its port is unknown).</summary>
    FragmentWithoutFirst = 9,
    /// <summary>IPv4 UDP with a zero checksum that is fragmented: the IPv6 checksum cannot be computed (RFC 7915 §4.5).</summary>
    UdpZeroChecksumFragment = 10,
    /// <summary>Fragmented ICMP: its checksum covers the whole message (not translated without reassembly).</summary>
    FragmentedIcmp = 11,
    /// <summary>IPv6 extension header that cannot be passed (routing header with segments left).</summary>
    ExtensionHeader = 12,
    /// <summary>IPv6 UDP with a zero checksum (invalid, RFC 8200 §8.1).</summary>
    UdpZeroChecksum = 13,
    /// <summary>Destination the mapping cannot express (e.g. the CE's own IPv4 address).</summary>
    DestinationNotMappable = 14,
    /// <summary>IPv6 multicast the host's own stack sends into the device (MLD, router solicitations): not traffic to translate.</summary>
    Multicast = 15,
    /// <summary>IPv4 with an unexpired loose or strict source route option: RFC 7915 §4.1 says discard (and answer Source Route Failed).</summary>
    SourceRoute = 16,
}
