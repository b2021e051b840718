using System;
using Mapt.Dhcpv6;

namespace Mapt.Wan;

/// <summary>
/// The DHCPv6 client keeps one transport for its life, while the socket under it is closed on
/// link down (its link-local address may go with the link) and opened again on link up.
/// </summary>
internal sealed class SwitchableTransport : IDhcpv6Transport
{
    public Dhcpv6Socket? Socket { get; set; }

    public bool Send(ReadOnlySpan<byte> message) => Socket is not null && Socket.Send(message);
}
