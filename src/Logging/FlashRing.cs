using System;
using Mapt.Platform;
using Tmds.Linux;

namespace Mapt.Logging;

/// <summary>
/// The writer of one ring of segment files on flash (<see cref="FlashStore"/>: log.0 ..
/// log.N-1 or run.0 .. run.N-1, each starting with a sequence header). Bounded: a segment is
/// closed before it would pass its size (less room kept for the crash line), and the next slot
/// round the ring is unlinked and reused, so the ring never holds more than count x size bytes
/// whatever the log rate. Wear-conscious: lines are collected and written in batches;
/// fdatasync only for lines appended durable and on <see cref="Flush"/>.
/// Single-threaded: nothing here runs except from the caller.
/// </summary>
internal sealed class FlashRing : IDisposable
{
    /// <summary>Kept free at the end of every segment for the native shim's crash line (at most 256 bytes).</summary>
    public const int CrashLineReserve = 256;

    private readonly string _directory;
    private readonly FlashStore _store;
    private readonly int _segmentBytes;
    private readonly int _segmentCount;
    private readonly int _batchBytes;
    private readonly string _bootId;
    private readonly Action<int> _onFailure;
    private readonly byte[] _pending;
    private int _pendingLength;
    private int _fd = -1;
    private int _slot;
    private long _sequence;
    private long _size;
    private bool _unsynced;
    private bool _failed;

    /// <summary>write(2) calls that carried lines (a measure of flash wear).</summary>
    public long Writes { get; private set; }
    /// <summary>fdatasync(2) calls.</summary>
    public long Syncs { get; private set; }
    public long Rotations { get; private set; }
    public bool Failed => _failed;
    public string Directory => _directory;
    public int CurrentSlot => _slot;

    private FlashRing(string directory, FlashStore store, string bootId, Action<int> onFailure)
    {
        _directory = directory;
        _store = store;
        _segmentBytes = store.SegmentBytes;
        _segmentCount = store.SegmentCount;
        _batchBytes = store.BatchBytes;
        _bootId = bootId;
        _onFailure = onFailure;
        _pending = new byte[store.BatchBytes + FlashLine.MaxBytes];
    }

    /// <summary>
    /// Opens the ring <paramref name="store"/> in <paramref name="directory"/>, appending to
    /// its newest segment if it has room. Returns null with the errno when the directory cannot
    /// be written (read-only, full, missing): the caller logs to the console only.
    /// </summary>
    public static FlashRing? Open(string directory, FlashStore store, string bootId, Action<int> onFailure,
        out bool cutTornTail, out int errno)
    {
        cutTornTail = false;
        errno = FlashFiles.MakeDirectory(directory);
        if (errno != 0)
            return null;
        FlashSegment[] segments = FlashSegment.ReadRing(directory, store.Prefix);

        // A smaller ring than last time: slots past the new count would never be reused.
        for (int slot = store.SegmentCount; slot < FlashSegment.MaxSlots; slot++)
            foreach (FlashSegment s in segments)
                if (s.Slot == slot)
                    FlashFiles.Unlink(FlashFiles.SlotPath(directory, store.Prefix, slot));

        var ring = new FlashRing(directory, store, bootId, onFailure);
        FlashSegment? newest = null;
        for (int i = segments.Length - 1; i >= 0 && newest is null; i--)
            if (segments[i].Slot < store.SegmentCount)
                newest = segments[i];
        if (newest is not null && newest.Bytes.Length + FlashLine.MaxBytes < ring.Limit)
        {
            ring._slot = newest.Slot;
            ring._sequence = newest.Sequence;
            ring._fd = FlashFiles.Open(FlashFiles.SlotPath(directory, store.Prefix, newest.Slot), LibC.O_WRONLY | LibC.O_APPEND, out errno);
            if (ring._fd < 0)
                return null;
            ring._size = FlashFiles.Size(ring._fd);
            ReadOnlySpan<byte> bytes = newest.Bytes;
            if (bytes.Length > 0 && bytes[bytes.Length - 1] != (byte)'\n')
            {
                // A torn last line (power lost mid-write, or the zeros a file system leaves):
                // cut it off, so it cannot run into this run's first line. The header ends in
                // '\n', so there is always a whole line to cut back to.
                int keep = bytes.LastIndexOf((byte)'\n') + 1;
                if (LibC.ftruncate(ring._fd, keep) != 0)
                {
                    errno = LibC.errno;
                    FlashFiles.Close(ring._fd);
                    return null;
                }
                ring._size = keep;
                cutTornTail = true;
            }
        }
        else
        {
            ring._slot = newest is null ? -1 : newest.Slot;
            ring._sequence = newest?.Sequence ?? 0;
            errno = ring.OpenNextSegment();
            if (errno != 0)
                return null;
        }
        if (store.HoldsCrashLine)
            NativeShim.CrashSetTarget(ring._fd, bootId);
        return ring;
    }

    private long Limit => _segmentBytes - CrashLineReserve;

    /// <summary>
    /// Adds one formatted line. <paramref name="durable"/> writes and fdatasyncs it before
    /// returning, so the line that explains a run or a crash is on flash first (the provider
    /// decides which: <see cref="LogLineKind"/>).
    /// </summary>
    public void Append(ReadOnlySpan<byte> line, bool durable)
    {
        if (_failed)
            return;
        if (_size + _pendingLength + line.Length > Limit)
        {
            WritePending();
            if (_failed)
                return;
            int errno = Rotate();
            if (errno != 0)
            {
                Fail(errno);
                return;
            }
        }
        line.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += line.Length;
        if (durable)
        {
            WritePending();
            Sync();
        }
        else if (_pendingLength >= _batchBytes)
        {
            WritePending();
        }
    }

    /// <summary>Writes what is batched and fdatasyncs it: the daemon calls this from a timer.</summary>
    public void Flush()
    {
        WritePending();
        Sync();
    }

    public void Dispose()
    {
        if (_fd < 0)
            return;
        Flush();
        Close();
    }

    /// <summary>
    /// Closes the ring without writing what is batched (the other ring failed: the flash is
    /// given up as a whole); <see cref="Append"/> does nothing after it.
    /// </summary>
    public void Abandon()
    {
        _failed = true;
        _pendingLength = 0;
        Close();
    }

    private void Close()
    {
        if (_fd < 0)
            return;
        if (_store.HoldsCrashLine)
            NativeShim.CrashSetTarget(-1, _bootId);
        FlashFiles.Close(_fd);
        _fd = -1;
    }

    private void WritePending()
    {
        if (_pendingLength == 0 || _failed)
            return;
        int errno = FlashFiles.WriteAll(_fd, _pending.AsSpan(0, _pendingLength));
        Writes++;
        if (errno == LibC.ENOSPC)
        {
            // Flash full (other files grew): the next slot round the ring is unlinked on
            // rotation, which frees a segment's worth; try once there.
            errno = Rotate();
            if (errno == 0)
            {
                errno = FlashFiles.WriteAll(_fd, _pending.AsSpan(0, _pendingLength));
                Writes++;
            }
        }
        if (errno != 0)
        {
            Fail(errno);
            return;
        }
        _size += _pendingLength;
        _pendingLength = 0;
        _unsynced = true;
    }

    private void Sync()
    {
        if (!_unsynced || _failed)
            return;
        _unsynced = false;
        Syncs++;
        int errno = FlashFiles.DataSync(_fd);
        if (errno != 0)
            Fail(errno);
    }

    private int Rotate()
    {
        int old = _fd;
        int errno = OpenNextSegment();
        if (errno != 0)
            return errno;
        // Re-pointed before the old segment closes: the crash handler never holds a closed fd.
        if (_store.HoldsCrashLine)
            NativeShim.CrashSetTarget(_fd, _bootId);
        FlashFiles.Close(old);
        Rotations++;
        return 0;
    }

    /// <summary>Replaces the next slot with a new segment and starts it with its header; on success it is the current segment.</summary>
    private int OpenNextSegment()
    {
        int slot = (_slot + 1) % _segmentCount;
        // Unlinked, not truncated: ext4 flushes a file truncated to zero when it is closed
        // (auto_da_alloc), one forced write-back per rotation.
        FlashFiles.Unlink(FlashFiles.SlotPath(_directory, _store.Prefix, slot));
        int fd = FlashFiles.Open(FlashFiles.SlotPath(_directory, _store.Prefix, slot), LibC.O_WRONLY | LibC.O_CREAT | LibC.O_TRUNC | LibC.O_APPEND, out int errno);
        if (fd < 0)
            return errno;
        byte[] header = FlashSegment.Header(_sequence + 1);
        errno = FlashFiles.WriteAll(fd, header);
        if (errno != 0)
        {
            FlashFiles.Close(fd);
            return errno;
        }
        _fd = fd;
        _slot = slot;
        _sequence++;
        _size = header.Length;
        _unsynced = true;
        return 0;
    }

    private void Fail(int errno)
    {
        if (_failed)
            return;
        _failed = true;
        _pendingLength = 0;
        Close();
        _onFailure(errno);
    }
}
