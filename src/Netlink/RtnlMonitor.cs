using System;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mapt.Netlink;

/// <summary>
/// The event side of rtnetlink: a non-blocking socket joined to the link, address and route
/// groups of both families. The event loop watches <see cref="Fd"/> and calls
/// <see cref="Drain"/>, which hands the changes to the callbacks and returns at EAGAIN or
/// after its budget of datagrams (the loop calls it again on the next turn).
/// When the kernel drops events because the socket buffer was full (ENOBUFS) nothing is
/// guessed: the queue is discarded, the receive buffer doubled (up to a cap), the whole state
/// dumped again through the request client and delivered to <see cref="Resynced"/>.
/// </summary>
public sealed partial class RtnlMonitor : IDisposable
{
    // Doubling on every overrun stops here (the kernel doubles the value again internally).
    private const int MaxReceiveBuffer = 4 * 1024 * 1024;

    private readonly NetlinkSocket _socket;
    private readonly RtnlClient _client;
    private readonly ILogger _logger;

    private RtnlMonitor(NetlinkSocket socket, RtnlClient client, ILogger logger)
    {
        _socket = socket;
        _client = client;
        _logger = logger;
    }

    /// <summary>
    /// Opens the event socket in the calling thread's namespace. <paramref name="client"/> (same
    /// namespace) is used for re-dumps after an overrun; the monitor does not own it.
    /// </summary>
    public static RtnlMonitor Open(RtnlClient client, ILogger? logger = null)
    {
        NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Route);
        try
        {
            socket.Join(RtnlGroup.Link);
            socket.Join(RtnlGroup.Ipv4IfAddr);
            socket.Join(RtnlGroup.Ipv6IfAddr);
            socket.Join(RtnlGroup.Ipv4Route);
            socket.Join(RtnlGroup.Ipv6Route);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RtnlMonitor(socket, client, logger ?? NullLogger.Instance);
    }

    /// <summary>For EventLoop.AddReader.</summary>
    public int Fd => _socket.Fd;

    /// <summary>A link appeared or changed (removed = false) or went away (removed = true).</summary>
    public Action<LinkInfo, bool>? LinkChanged { get; set; }

    public Action<AddressInfo, bool>? AddressChanged { get; set; }

    public Action<RouteInfo, bool>? RouteChanged { get; set; }

    /// <summary>Events were lost; this is the complete current state. Replace, do not merge.</summary>
    public Action<RtnlSnapshot>? Resynced { get; set; }

    /// <summary>How many times events were lost and the state dumped again.</summary>
    public int Overruns { get; private set; }

    /// <summary>The socket's receive buffer in bytes as the kernel reports it.</summary>
    public int ReceiveBufferSize => _socket.GetReceiveBufferSize();

    /// <summary>Sets SO_RCVBUF (tests shrink it to provoke ENOBUFS).</summary>
    public void SetReceiveBufferSize(int bytes) => _socket.SetReceiveBufferSize(bytes);

    /// <summary>Datagrams read per call: a storm of link or route events cannot keep the loop from its timers and signals.</summary>
    public const int Budget = 64;

    /// <summary>
    /// Reads and dispatches until nothing is queued or <see cref="Budget"/> datagrams were read;
    /// returns the number of events delivered (a re-dump counts as one). Callback exceptions
    /// propagate to the loop.
    /// </summary>
    public int Drain()
    {
        int delivered = 0;
        for (int read = 0; read < Budget; read++)
        {
            int error = _socket.TryReceive(out ReadOnlySpan<byte> datagram);
            if (error == Errno.EAGAIN)
                return delivered;
            if (error == Errno.ENOBUFS)
            {
                Resync();
                delivered++;
                continue;
            }
            if (error != 0)
                throw new NetlinkException("receive rtnetlink events", error);
            var reader = new MessageReader(datagram);
            while (reader.MoveNext())
            {
                if (Dispatch(reader.Current))
                    delivered++;
            }
            if (reader.Malformed)
            {
                // The rest of the datagram cannot be trusted, so its events are lost: same as an overrun.
                LogMalformed(_logger, reader.ErrorOffset, datagram.Length);
                Resync();
                delivered++;
            }
        }
        return delivered;
    }

    private bool Dispatch(in NetlinkMessage m)
    {
        switch ((NlMsgType)m.Type)
        {
            case NlMsgType.NewLink:
            case NlMsgType.DelLink:
                if (!LinkInfo.TryRead(m, out LinkInfo link))
                    return Skipped(m);
                LinkChanged?.Invoke(link, m.Type == (ushort)NlMsgType.DelLink);
                return true;
            case NlMsgType.NewAddr:
            case NlMsgType.DelAddr:
                if (!AddressInfo.TryRead(m, out AddressInfo address))
                    return Skipped(m);
                AddressChanged?.Invoke(address, m.Type == (ushort)NlMsgType.DelAddr);
                return true;
            case NlMsgType.NewRoute:
            case NlMsgType.DelRoute:
                if (!RouteInfo.TryRead(m, out RouteInfo route))
                    return Skipped(m);
                RouteChanged?.Invoke(route, m.Type == (ushort)NlMsgType.DelRoute);
                return true;
            default:
                return false;
        }
    }

    private bool Skipped(in NetlinkMessage m)
    {
        LogUnreadable(_logger, m.Type, m.Payload.Length);
        return false;
    }

    /// <summary>
    /// Discards what is queued (older than the dump about to be read), dumps everything and
    /// reports it. Events queued while dumping are newer than the discarded ones and are
    /// delivered by the caller's loop afterwards: replaying a change already in the snapshot
    /// is harmless, so the last word per object is always the kernel's current state.
    /// </summary>
    private void Resync()
    {
        Overruns++;
        while (true)
        {
            int error = _socket.TryReceive(out _);
            if (error == Errno.EAGAIN)
                break;
            if (error != 0 && error != Errno.ENOBUFS)
                throw new NetlinkException("discard rtnetlink events", error);
        }
        int before = _socket.GetReceiveBufferSize();
        if (before < MaxReceiveBuffer)
            _socket.SetReceiveBufferSize(Math.Min(MaxReceiveBuffer, Math.Max(before, 65536)));
        int after = _socket.GetReceiveBufferSize();
        var snapshot = new RtnlSnapshot(
            _client.DumpLinks(),
            _client.DumpAddresses(),
            _client.DumpRoutes(AddressFamily.Unspec, RouteTable.Unspec));
        LogOverrun(_logger, Overruns, after, snapshot.Routes.Count);
        Resynced?.Invoke(snapshot);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning,
        Message = "Netlink events were lost (ENOBUFS, overrun {Overruns}): queue discarded, receive buffer raised to {Bytes} bytes, all links, addresses and {Routes} routes re-read from the kernel")]
    private static partial void LogOverrun(ILogger logger, int overruns, int bytes, int routes);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning,
        Message = "Malformed netlink event datagram (bad header at byte {Offset} of {Length}): rest dropped, state re-read from the kernel")]
    private static partial void LogMalformed(ILogger logger, int offset, int length);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning,
        Message = "Unreadable netlink event (type {Type}, {Length} payload bytes): skipped")]
    private static partial void LogUnreadable(ILogger logger, int type, int length);

    public void Dispose() => _socket.Dispose();
}
