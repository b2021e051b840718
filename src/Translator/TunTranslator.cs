using System;
using Mapt.Platform;
using Microsoft.Extensions.Logging;

namespace Mapt.Translator;

/// <summary>
/// The userspace MAP-T translator in the daemon: the TUN device in the place of the nat46
/// device, and the loop handler that reads what the kernel routed into it (IPv4 already
/// SNATed into the port set, IPv6 to the MAP address), translates each packet in its buffer
/// and writes it back, so the kernel forwards it on. With the device's offloads (IFF_VNET_HDR,
/// TUNSETOFFLOAD) a TCP stream comes as GSO super-packets of up to 64 KB, translated once
/// each (<see cref="PacketTranslator.TranslateOffloaded"/>) and cut into segments by the kernel
/// on the way out. Reads and writes in batches of
/// <see cref="Batch"/>, at most <see cref="BudgetPerCall"/> packets per call; buffers are
/// allocated once, nothing per packet.
/// </summary>
public sealed partial class TunTranslator : IDisposable
{
    public const int Batch = 32;

    /// <summary>
    /// Packets one <see cref="OnReadable"/> call reads at most (4 batches, about a millisecond
    /// of translation): then it returns, so the loop's timers, signals and other descriptors
    /// get their turn under a sustained stream. The loop polls level-triggered, so a device
    /// with packets still queued is readable again at once.
    /// </summary>
    public const int BudgetPerCall = 4 * Batch;
    /// <summary>
    /// Largest packet read: a GSO super-packet (64 KB at most, IPv4's total length and the
    /// kernel's GSO limit). The batch buffer is 32 such slots (2 MB of address space); a page
    /// is only touched when a packet reaches it, so small packets keep it mostly unmapped.
    /// </summary>
    public const int MaxPacket = 65536;
    private const int Slot = PacketTranslator.Headroom + MaxPacket;

    private readonly TunDevice _tun;
    private readonly PacketTranslator _translator;
    private readonly ILogger _logger;
    private readonly byte[] _buffer = new byte[Batch * Slot];
    private readonly int[] _lengths = new int[Batch];
    private int _mtu;
    private readonly uint _offloads;
    private readonly long[] _reported = new long[TranslatorCounters.DropReasonCount];
    private long _reportedErrorsSent, _reportedErrorsLimited;

    private TunTranslator(TunDevice tun, PacketTranslator translator, ILogger logger, uint offloads)
    {
        _offloads = offloads;
        _tun = tun;
        _translator = translator;
        _logger = logger;
    }

    /// <summary>
    /// Creates the TUN device <paramref name="deviceName"/>, or attaches to it when a crashed
    /// run left it behind (persistent), sets its MTU and brings it up. Addresses, routes and
    /// the SNAT are the caller's (as with nat46). With <paramref name="persistent"/> the device
    /// outlives the process until <see cref="Close"/> removes it.
    /// </summary>
    public static TunTranslator Open(string deviceName, TranslatorConfig config, ILogger logger, bool persistent = false)
    {
        TunDevice tun = TunDevice.Open(deviceName);
        uint offloads;
        try
        {
            if (persistent)
                tun.SetPersistent(true);
            offloads = tun.EnableOffloads();
            tun.SetMtuAndUp(config.Mtu);
        }
        catch
        {
            tun.Dispose();
            throw;
        }
        var t = new TunTranslator(tun, new PacketTranslator(config.Addressing) { Ipv6Mtu = config.Ipv6Mtu }, logger, offloads) { _mtu = config.Mtu };
        LogOpened(logger, deviceName, config.Mtu, TunDevice.DescribeOffloads(offloads), config.Describe());
        return t;
    }

    public int Fd => _tun.Fd;
    public string DeviceName => _tun.Name;
    public TranslatorCounters Counters => _translator.Counters;
    /// <summary>The TUNSETOFFLOAD flags the kernel accepted (<see cref="TunDevice.EnableOffloads"/>).</summary>
    public uint Offloads => _offloads;

    /// <summary>A new mapping (lease change): takes effect for the next packet.</summary>
    public void Reconfigure(TranslatorConfig config)
    {
        _translator.Reconfigure(config.Addressing);
        _translator.Ipv6Mtu = config.Ipv6Mtu;
        // Only a changed MTU is set: the ioctl socket belongs to the caller's namespace.
        if (config.Mtu > 0 && config.Mtu != _mtu)
        {
            _tun.SetMtuAndUp(config.Mtu);
            _mtu = config.Mtu;
        }
        LogReconfigured(_logger, _tun.Name, config.Mtu, config.Describe());
    }

    /// <summary>
    /// The loop's handler: reads the device a batch at a time until EAGAIN or until
    /// <see cref="BudgetPerCall"/> packets were read; what is left waits for the next turn.
    /// </summary>
    public void OnReadable()
    {
        Span<byte> buffer = _buffer;
        long now = Environment.TickCount64; // for the ICMP error rate limit: once per call, no syscall per packet
        for (int budget = BudgetPerCall; budget > 0; budget -= Batch)
        {
            int count = 0;
            bool drained = false;
            while (count < Batch)
            {
                // The virtio_net_hdr lands in the last 10 bytes of the headroom, right in front
                // of the packet; it is read before the translation writes there.
                int n = _tun.Read(buffer.Slice(count * Slot + PacketTranslator.Headroom - VirtioNetHeader.Size, VirtioNetHeader.Size + MaxPacket));
                if (n == 0)
                {
                    drained = true;
                    break;
                }
                if (n < 0)
                {
                    Counters.ErrorsReceived++;
                    LogReadFailed(_logger, _tun.Name, Errno.Name(-n));
                    drained = true;
                    break;
                }
                _lengths[count++] = n - VirtioNetHeader.Size;
            }
            for (int i = 0; i < count; i++)
            {
                int start = i * Slot + PacketTranslator.Headroom;
                int length = _lengths[i];
                bool outbound = length <= 0 || buffer[start] >> 4 != 6;
                var vnet = VirtioNetHeader.Read(buffer.Slice(start - VirtioNetHeader.Size));
                DropReason dropped = _translator.TranslateOffloaded(buffer, ref start, ref length, ref vnet);
                if (dropped != DropReason.None)
                {
                    // The sender is told where the RFC says so (within a rate limit); the error
                    // goes back the way the packet came: into the kernel by the device.
                    if (_translator.TryBuildError(buffer, ref start, ref length, dropped, now))
                        Write(buffer, start, length, default, !outbound);
                    continue;
                }
                if (outbound && !vnet.IsGso && Ipv6Fragmenter.Needed(buffer.Slice(start, length), _translator.Ipv6Mtu))
                {
                    // Fragments are checked whole by the receiver: the checksum is done here.
                    PacketTranslator.CompleteChecksum(buffer.Slice(start, length), ref vnet);
                    var fragments = new Ipv6Fragmenter(buffer, start, length, _translator.Ipv6Mtu);
                    while (fragments.TryNext(out int fs, out int fl))
                        Write(buffer, fs, fl, default, outbound);
                }
                else
                {
                    Write(buffer, start, length, vnet, outbound);
                }
            }
            if (drained)
                return;
        }
    }

    /// <summary>
    /// For the daemon's periodic timer: one log line per drop reason that counted packets since
    /// the last call (drops are not logged per packet, so a flood cannot fill the log).
    /// </summary>
    /// <returns>Whether any reason counted since the last call.</returns>
    public bool ReportDrops()
    {
        bool any = false;
        for (int i = 1; i < _reported.Length; i++)
        {
            long now = Counters.Dropped((DropReason)i);
            long delta = now - _reported[i];
            if (delta <= 0)
                continue;
            _reported[i] = now;
            any = true;
            var reason = (DropReason)i;
            LogDropped(_logger, _tun.Name, delta, TranslatorCounters.Name(reason), TranslatorCounters.Meaning(reason), now);
        }
        // ICMP errors held back by the rate limit mean a flood of packets the translator
        // refuses (a spoofing sender, a scan): one line per report, not one per packet.
        long limited = Counters.IcmpErrorsRateLimited - _reportedErrorsLimited;
        long sent = Counters.IcmpErrorsSent - _reportedErrorsSent;
        _reportedErrorsLimited = Counters.IcmpErrorsRateLimited;
        _reportedErrorsSent = Counters.IcmpErrorsSent;
        if (limited > 0)
        {
            any = true;
            LogErrorsLimited(_logger, _tun.Name, limited, IcmpErrorLimiter.PerSecond, sent);
        }
        return any;
    }

    /// <summary>
    /// Writes the packet at <paramref name="start"/> with <paramref name="vnet"/> in the 10
    /// bytes in front of it: headroom, or the tail of a fragment already written.
    /// </summary>
    private void Write(Span<byte> buffer, int start, int length, in VirtioNetHeader vnet, bool outbound)
    {
        vnet.Write(buffer.Slice(start - VirtioNetHeader.Size, VirtioNetHeader.Size));
        if (_tun.Write(buffer.Slice(start - VirtioNetHeader.Size, VirtioNetHeader.Size + length)) == 0)
            return;
        if (outbound)
            Counters.ErrorsSent++;
        else
            Counters.ErrorsReceived++;
    }

    /// <summary>An orderly stop: the device is removed with its routes (the persistent flag cleared, then the fd closed).</summary>
    public void Close()
    {
        try
        {
            _tun.SetPersistent(false);
        }
        catch (PlatformException)
        {
            // Closing the fd still removes a device that was never made persistent.
        }
        _tun.Dispose();
    }

    /// <summary>The fd only: a persistent device stays (for a process that leaves without teardown).</summary>
    public void Dispose() => _tun.Dispose();

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Translator on TUN device {Device} up (MTU {Mtu}, offloads {Offloads}): {Mapping}")]
    private static partial void LogOpened(ILogger logger, string device, int mtu, string offloads, string mapping);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Translator on {Device} reconfigured (MTU {Mtu}): {Mapping}; fragment state cleared")]
    private static partial void LogReconfigured(ILogger logger, string device, int mtu, string mapping);

    [LoggerMessage(EventId = 903, Level = LogLevel.Warning, Message = "Translator on {Device} dropped {Count} packets ({Reason}: {Meaning}) since the last report; they were not forwarded ({Total} in all)")]
    private static partial void LogDropped(ILogger logger, string device, long count, string reason, string meaning, long total);

    [LoggerMessage(EventId = 930, Level = LogLevel.Warning, Message = "Translator on {Device} held back {Limited} ICMP errors about discarded packets since the last report (rate limit {PerSecond}/s, {Sent} sent): a flood of packets it cannot translate")]
    private static partial void LogErrorsLimited(ILogger logger, string device, long limited, int perSecond, long sent);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "Reading TUN device {Device} failed ({Errno}); the batch ends, the next readable event retries")]
    private static partial void LogReadFailed(ILogger logger, string device, string errno);
}
