using System;
using System.Buffers.Binary;

namespace Mapt.Netlink;

/// <summary>
/// The request side of rtnetlink: one NETLINK_ROUTE socket, synchronous request/ack with a
/// deadline (the kernel answers in microseconds; nothing else runs meanwhile in a single-threaded
/// daemon). Opened in the calling thread's network namespace. Operations are split by family:
/// RtnlClient.Links.cs, RtnlClient.Addresses.cs, RtnlClient.Routes.cs.
/// </summary>
public sealed partial class RtnlClient : IDisposable
{
    // A dump that keeps being interrupted by changes (NLM_F_DUMP_INTR) is retried this often.
    private const int DumpAttempts = 5;

    // Requests are a header, a fixed struct and a few attributes: far below this.
    private const int RequestBufferLength = 512;

    private readonly NetlinkSocket _socket;

    private RtnlClient(NetlinkSocket socket) => _socket = socket;

    public static RtnlClient Open() => new(NetlinkSocket.Open(NetlinkProtocol.Route));

    /// <summary>The socket, for tests that check sequence and port-id handling.</summary>
    internal NetlinkSocket Socket => _socket;

    /// <summary>
    /// Runs a dump until the kernel reports it consistent. <paramref name="reset"/> drops what an
    /// interrupted attempt collected.
    /// </summary>
    private void DumpConsistent(Span<byte> request, string operation, ReplyHandler onReply, Action reset)
    {
        for (int attempt = 1; ; attempt++)
        {
            if (_socket.Dump(request, operation, onReply))
                return;
            if (attempt == DumpAttempts)
                throw new NetlinkException(operation, Errno.EAGAIN, "the table kept changing during " + DumpAttempts.ToString() + " dumps");
            reset();
            // A new sequence number so stragglers of the interrupted dump are ignored.
            BinaryPrimitives.WriteUInt32LittleEndian(request[8..], _socket.NextSequence());
        }
    }

    public void Dispose() => _socket.Dispose();
}
