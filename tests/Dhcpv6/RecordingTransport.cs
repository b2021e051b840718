using System;
using System.Collections.Generic;
using Mapt.Dhcpv6;
using Mapt.Dhcpv6.Wire;

namespace Mapt.Tests.Dhcpv6;

/// <summary>Keeps what the client sent, with the time it was sent, for tests without a network.</summary>
internal sealed class RecordingTransport : IDhcpv6Transport
{
    public List<(long AtMs, byte[] Bytes)> Sent { get; } = new();
    public long NowMs { get; set; }
    public bool Fail { get; set; }

    public bool Send(ReadOnlySpan<byte> message)
    {
        if (Fail)
            return false;
        Sent.Add((NowMs, message.ToArray()));
        return true;
    }

    public Dhcpv6MessageType LastType => (Dhcpv6MessageType)Sent[^1].Bytes[0];
    public uint LastXid => (uint)(Sent[^1].Bytes[1] << 16 | Sent[^1].Bytes[2] << 8 | Sent[^1].Bytes[3]);
}
