using System;

namespace Mapt.Dhcpv6;

/// <summary>Where the client's messages go: the socket in the daemon, a recorder in unit tests.</summary>
public interface IDhcpv6Transport
{
    /// <summary>Sends to All_DHCP_Relay_Agents_and_Servers (ff02::1:2) port 547; false when the kernel refused (logged by the caller).</summary>
    bool Send(ReadOnlySpan<byte> message);
}
