using System;
using System.Collections.Generic;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tmds.Linux;

namespace Mapt.Platform;

/// <summary>
/// The daemon's one event loop, as small C daemons have it (uloop): poll over a fixed set of
/// fds, timers, and signals turned into fd events by the native shim's self-pipe. Nothing runs
/// on another thread. Fairness is by budget: a handler reads at most its budget of messages
/// per call and returns (poll is level-triggered, so the rest makes the fd ready again on the
/// next turn), and due timers run between handlers, so a flood on one socket cannot hold back
/// a T1 timer, a lease expiry or SIGTERM. A handler that throws is logged and the loop goes on.
/// </summary>
public sealed partial class EventLoop : IDisposable
{
    private readonly List<Reader> _readers = new();
    private readonly List<TimerHandle> _timers = new();
    private readonly Dictionary<int, Action> _signals = new();
    private readonly ILogger _logger;
    private pollfd[] _pollFds = new pollfd[8];
    private int _signalFd = -1;
    private bool _stopped;

    private sealed record Reader(int Fd, Action OnReadable, string Name);

    public EventLoop(ILogger logger) => _logger = logger;

    /// <summary>The loop's clock: CLOCK_MONOTONIC in milliseconds (wall-clock changes do not move it).</summary>
    public long NowMs => MonotonicMs;

    /// <summary>CLOCK_MONOTONIC in milliseconds: system-wide, so another process (mapt status) can count from a time the daemon took.</summary>
    public static long MonotonicMs => Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1000);

    /// <summary>How many times poll returned: the idle wake-up count the benchmarks report.</summary>
    public long Wakeups { get; private set; }

    public void AddReader(int fd, Action onReadable, string name = "fd")
    {
        Remove(fd);
        _readers.Add(new Reader(fd, onReadable, name));
    }

    public void Remove(int fd)
    {
        for (int i = _readers.Count - 1; i >= 0; i--)
            if (_readers[i].Fd == fd)
                _readers.RemoveAt(i);
    }

    public TimerHandle AddTimer(long dueMs, Action onExpired)
    {
        var timer = new TimerHandle(dueMs, onExpired);
        _timers.Add(timer);
        return timer;
    }

    public TimerHandle AddTimerIn(long delayMs, Action onExpired) => AddTimer(NowMs + delayMs, onExpired);

    public void Cancel(TimerHandle? timer)
    {
        if (timer is null || !timer.IsActive)
            return;
        timer.IsActive = false;
        _timers.Remove(timer);
    }

    /// <summary>Runs <paramref name="handler"/> on the loop whenever <paramref name="signal"/> arrives.</summary>
    public void AddSignal(int signal, Action handler)
    {
        if (_signalFd < 0)
        {
            _signalFd = NativeShim.SignalsOpen();
            if (_signalFd < 0)
                throw new PlatformException("signal pipe", Errno.Last);
            AddReader(_signalFd, DrainSignals, "signals");
        }
        _signals[signal] = handler;
        if (NativeShim.SignalsWatch(signal) != 0)
            throw new PlatformException("sigaction(" + signal + ")", Errno.Last);
    }

    public void Stop() => _stopped = true;

    public bool IsStopped => _stopped;

    /// <summary>Runs until <see cref="Stop"/>.</summary>
    public void Run()
    {
        _stopped = false;
        while (!_stopped)
            RunOnce(-1);
    }

    /// <summary>
    /// One turn: expired timers, then one poll bounded by the next timer and by
    /// <paramref name="maxWaitMs"/> (-1: no bound), then the handlers of the ready fds.
    /// </summary>
    public unsafe void RunOnce(int maxWaitMs)
    {
        RunExpiredTimers();
        if (_stopped)
            return;

        int timeout = maxWaitMs;
        long next = NextDue();
        if (next != long.MaxValue)
        {
            long wait = Math.Max(0, next - NowMs);
            timeout = timeout < 0 ? (int)Math.Min(wait, int.MaxValue) : (int)Math.Min(wait, timeout);
        }

        int count = _readers.Count;
        if (_pollFds.Length < count)
            _pollFds = new pollfd[Math.Max(count, _pollFds.Length * 2)];
        for (int i = 0; i < count; i++)
            _pollFds[i] = new pollfd { fd = _readers[i].Fd, events = (short)LibC.POLLIN };

        int ready, errno;
        fixed (pollfd* fds = _pollFds)
            ready = Poll.Wait(fds, count, timeout, out errno);
        Wakeups++;
        if (ready < 0)
        {
            // A signal (the self-pipe's handler, or the runtime's) interrupts poll with
            // EINTR; that is no error, nor is EAGAIN (poll(2): a transient allocation failure).
            // Both only mean "go round again". (Poll.Wait: poll's own errno, not a stale one.)
            if (errno != Errno.EINTR && errno != Errno.EAGAIN)
                throw new PlatformException("poll", errno);
            return;
        }
        if (ready == 0)
        {
            RunExpiredTimers();
            return;
        }

        // Handlers may add or remove readers: dispatch from the snapshot taken for poll,
        // skipping any reader removed meanwhile.
        for (int i = 0; i < count; i++)
        {
            if (_pollFds[i].revents == 0)
                continue;
            int fd = _pollFds[i].fd;
            Reader? reader = Find(fd);
            if (reader is null)
                continue;
            try
            {
                reader.OnReadable();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogHandlerFailed(_logger, reader.Name, fd, e.Message, e);
            }
            // Between handlers: a timer that came due while one handler worked through its budget runs now.
            RunExpiredTimers();
            if (_stopped)
                return;
        }
    }

    private Reader? Find(int fd)
    {
        foreach (Reader r in _readers)
            if (r.Fd == fd)
                return r;
        return null;
    }

    private long NextDue()
    {
        long next = long.MaxValue;
        foreach (TimerHandle t in _timers)
            next = Math.Min(next, t.DueMs);
        return next;
    }

    private void RunExpiredTimers()
    {
        long now = NowMs;
        // Earliest first; a timer a handler adds for "now" runs on the next turn, so a
        // handler that re-arms itself at 0 ms cannot starve the fds.
        while (!_stopped)
        {
            TimerHandle? due = null;
            foreach (TimerHandle t in _timers)
                if (t.DueMs <= now && (due is null || t.DueMs < due.DueMs))
                    due = t;
            if (due is null)
                return;
            _timers.Remove(due);
            due.IsActive = false;
            try
            {
                due.OnExpired();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogHandlerFailed(_logger, "timer", -1, e.Message, e);
            }
        }
    }

    private unsafe void DrainSignals()
    {
        byte* buffer = stackalloc byte[64];
        while (true)
        {
            long n = LibC.read(_signalFd, buffer, 64);
            if (n <= 0)
                return; // EAGAIN: drained
            for (int i = 0; i < n; i++)
            {
                int signal = buffer[i];
                if (_signals.TryGetValue(signal, out Action? handler))
                {
                    LogSignal(_logger, signal);
                    handler();
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (int signal in _signals.Keys)
            NativeShim.SignalsDefault(signal);
        _signals.Clear();
        _readers.Clear();
        _timers.Clear();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "Event handler for {Source} (fd {Fd}) failed: {Reason}; the loop goes on")]
    private static partial void LogHandlerFailed(ILogger logger, string source, int fd, string reason, Exception exception);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Signal {Signal} received")]
    private static partial void LogSignal(ILogger logger, int signal);
}
