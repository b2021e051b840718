using System;
using System.Buffers.Binary;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Mapt.Netlink;

/// <summary>
/// One AF_NETLINK socket, always non-blocking: requests wait for their answer with poll() and
/// a deadline, event sockets are drained by the event loop until EAGAIN. Every datagram is
/// peeked first (MSG_PEEK|MSG_TRUNC) so the one receive buffer grows before anything could be
/// truncated; only datagrams from the kernel (nl_pid 0) are accepted; answers to a request
/// must carry its sequence number and this socket's port id.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private const int SolNetlink = 270; // SOL_NETLINK
    private const int NetlinkAddMembership = 1; // NETLINK_ADD_MEMBERSHIP
    private const int NetlinkCapAck = 10; // NETLINK_CAP_ACK: do not echo the request in acks
    private const int NetlinkExtAck = 11; // NETLINK_EXT_ACK: errors carry a text and an offset
    private const int NetlinkGetStrictChk = 12; // NETLINK_GET_STRICT_CHK: dump filters are honoured, bad headers refused

    /// <summary>A kernel that takes longer than this to answer one request is treated as failed (ETIMEDOUT).</summary>
    public const int RequestTimeoutMs = 5000;

    // Dumps fill skbs of up to 32 KiB; 64 KiB leaves room, and the peek grows it if ever needed.
    private const int InitialReceiveBuffer = 65536;

    private byte[] _receive = new byte[InitialReceiveBuffer];
    private uint _sequence;

    public int Fd { get; private set; }

    /// <summary>The port id the kernel assigned (nl_pid of this socket).</summary>
    public uint PortId { get; }

    public int Protocol { get; }

    private NetlinkSocket(int fd, uint portId, int protocol)
    {
        Fd = fd;
        PortId = portId;
        Protocol = protocol;
    }

    /// <summary>Opens and binds a socket in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open(int protocol)
    {
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
        if (fd < 0)
            throw new NetlinkException("open netlink socket", errno);
        try
        {
            int one = 1;
            // CAP_ACK and EXT_ACK exist since Linux 4.12 and 4.3; an older kernel just gives plainer errors.
            setsockopt(fd, SolNetlink, NetlinkCapAck, &one, sizeof(int));
            setsockopt(fd, SolNetlink, NetlinkExtAck, &one, sizeof(int));
            if (protocol == NetlinkProtocol.Route)
                setsockopt(fd, SolNetlink, NetlinkGetStrictChk, &one, sizeof(int));
            SockaddrNl local = default;
            local.Family = (ushort)(int)AF_NETLINK;
            if (bind(fd, (sockaddr*)&local, sizeof(SockaddrNl)) != 0)
                throw new NetlinkException("bind netlink socket", errno);
            socklen_t length = sizeof(SockaddrNl);
            if (getsockname(fd, (sockaddr*)&local, &length) != 0)
                throw new NetlinkException("read netlink port id", errno);
            return new NetlinkSocket(fd, local.PortId, protocol);
        }
        catch
        {
            close(fd);
            throw;
        }
    }

    public void Join(RtnlGroup group)
    {
        int g = (int)group;
        if (setsockopt(Fd, SolNetlink, NetlinkAddMembership, &g, sizeof(int)) != 0)
            throw new NetlinkException("join rtnetlink group " + g.ToString(), errno);
    }

    /// <summary>SO_RCVBUF (the kernel doubles it); SO_RCVBUFFORCE first so root can exceed rmem_max.</summary>
    public void SetReceiveBufferSize(int bytes)
    {
        if (setsockopt(Fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(int)) == 0)
            return;
        if (setsockopt(Fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(int)) != 0)
            throw new NetlinkException("set netlink receive buffer", errno);
    }

    public int GetReceiveBufferSize()
    {
        int bytes = 0;
        socklen_t length = sizeof(int);
        if (getsockopt(Fd, SOL_SOCKET, SO_RCVBUF, &bytes, &length) != 0)
            throw new NetlinkException("read netlink receive buffer", errno);
        return bytes;
    }

    /// <summary>The next sequence number; never 0, which events use.</summary>
    public uint NextSequence()
    {
        if (++_sequence == 0)
            _sequence = 1;
        return _sequence;
    }

    public void Send(ReadOnlySpan<byte> message, string operation)
    {
        SockaddrNl kernel = default;
        kernel.Family = (ushort)(int)AF_NETLINK;
        fixed (byte* p = message)
        {
            while (true)
            {
                long sent = sendto(Fd, p, message.Length, 0, (sockaddr*)&kernel, sizeof(SockaddrNl));
                if (sent == message.Length)
                    return;
                int error = sent < 0 ? errno : Errno.EMSGSIZE;
                if (error != Errno.EINTR)
                    throw new NetlinkException(operation, error);
            }
        }
    }

    /// <summary>
    /// Receives one datagram from the kernel without blocking. Returns 0 and the datagram
    /// (valid until the next receive), or the errno: EAGAIN when nothing is queued, ENOBUFS
    /// when the kernel dropped messages because the socket buffer was full.
    /// </summary>
    public int TryReceive(out ReadOnlySpan<byte> datagram)
    {
        datagram = default;
        while (true)
        {
            // The peek returns the real length (MSG_TRUNC) without consuming the datagram.
            byte probe;
            long pending = recv(Fd, &probe, 1, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
            if (pending < 0)
            {
                int error = errno;
                if (error == Errno.EINTR)
                    continue;
                return error;
            }
            if (pending > _receive.Length)
                _receive = new byte[NetlinkWire.Align((int)pending) + 4096];

            SockaddrNl from = default;
            long received;
            int flags;
            fixed (byte* p = _receive)
            {
                iovec io = default;
                io.iov_base = p;
                io.iov_len = _receive.Length;
                msghdr header = default;
                header.msg_name = &from;
                header.msg_namelen = sizeof(SockaddrNl);
                header.msg_iov = &io;
                header.msg_iovlen = 1;
                received = recvmsg(Fd, &header, MSG_DONTWAIT);
                flags = header.msg_flags;
            }
            if (received < 0)
            {
                int error = errno;
                if (error == Errno.EINTR)
                    continue;
                return error;
            }
            if ((flags & MSG_TRUNC) != 0)
                return Errno.EMSGSIZE; // cannot happen after the peek; reported rather than parsed short
            if (from.PortId != 0)
                continue; // not from the kernel: another process cannot speak for it
            datagram = new ReadOnlySpan<byte>(_receive, 0, (int)received);
            return 0;
        }
    }

    /// <summary>Waits until the socket is readable or <paramref name="timeoutMs"/> passed; false on timeout.</summary>
    public bool WaitReadable(int timeoutMs)
    {
        pollfd pfd = default;
        pfd.fd = Fd;
        pfd.events = POLLIN;
        while (true)
        {
            int n = Mapt.Platform.Poll.Wait(&pfd, 1, timeoutMs, out int error);
            if (n > 0)
                return true;
            if (n == 0)
                return false;
            if (error != Errno.EINTR)
                throw new NetlinkException("poll netlink socket", error);
        }
    }

    /// <summary>
    /// Sends a request that carries NLM_F_ACK and returns when its acknowledgement arrives;
    /// replies before the ack (a GET of one object) go to <paramref name="onReply"/>.
    /// A refusal throws <see cref="NetlinkException"/> with the errno and extended ack.
    /// </summary>
    public void Request(ReadOnlySpan<byte> request, string operation, ReplyHandler? onReply = null) =>
        Exchange(request, operation, onReply, dump: false);

    /// <summary>
    /// Sends a dump request and passes every message up to NLMSG_DONE to
    /// <paramref name="onReply"/>. Returns false when the kernel flagged the dump as
    /// inconsistent (NLM_F_DUMP_INTR: the table changed meanwhile); the caller starts over.
    /// </summary>
    public bool Dump(ReadOnlySpan<byte> request, string operation, ReplyHandler onReply) =>
        Exchange(request, operation, onReply, dump: true);

    private bool Exchange(ReadOnlySpan<byte> request, string operation, ReplyHandler? onReply, bool dump)
    {
        uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(request[8..]);
        Send(request, operation);
        long deadline = Environment.TickCount64 + RequestTimeoutMs;
        bool consistent = true;
        while (true)
        {
            int error = TryReceive(out ReadOnlySpan<byte> datagram);
            if (error == Errno.EAGAIN)
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0 || !WaitReadable((int)left))
                    throw new NetlinkException(operation, Errno.ETIMEDOUT, "no answer within " + RequestTimeoutMs.ToString() + " ms");
                continue;
            }
            if (error != 0)
                throw new NetlinkException(operation, error);

            var reader = new MessageReader(datagram);
            while (reader.MoveNext())
            {
                NetlinkMessage message = reader.Current;
                // A late answer to an earlier request that timed out, or not meant for us.
                if (message.Sequence != sequence || message.PortId != PortId)
                    continue;
                if ((message.Flags & NlMsgFlags.DumpIntr) != 0)
                    consistent = false;
                switch ((NlMsgType)message.Type)
                {
                    case NlMsgType.Noop:
                        continue;
                    case NlMsgType.Error:
                        NetlinkError.Read(message, out int code, out string? text);
                        if (code != 0)
                            throw new NetlinkException(operation, code, text);
                        return consistent;
                    case NlMsgType.Done:
                        if (!dump)
                            continue;
                        // The DONE of a dump may carry an error of its own (with an extended ack).
                        NetlinkError.ReadDone(message, out int doneCode, out string? doneText);
                        if (doneCode != 0)
                            throw new NetlinkException(operation, doneCode, doneText);
                        return consistent;
                    case NlMsgType.Overrun:
                        throw new NetlinkException(operation, Errno.ENOBUFS, "NLMSG_OVERRUN");
                    default:
                        onReply?.Invoke(message);
                        continue;
                }
            }
            if (reader.Malformed)
                throw new NetlinkException(operation, Errno.EBADMSG, "malformed netlink header at byte " + reader.ErrorOffset.ToString());
        }
    }

    public void Dispose()
    {
        if (Fd >= 0)
        {
            close(Fd);
            Fd = -1;
        }
    }
}

/// <summary>Receives one reply message; the message is valid only during the call.</summary>
internal delegate void ReplyHandler(in NetlinkMessage message);
