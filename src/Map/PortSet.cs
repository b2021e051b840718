using System;
using System.Runtime.CompilerServices;

namespace Mapt.Map;

/// <summary>
/// The ports of one PSID (RFC 7597 section 5.1, the GMA algorithm): with m = 16 - a - k, port
/// = (A << (16 - a)) | (PSID << m) | j for A = 1 .. 2^a - 1 and j = 0 .. 2^m - 1. A = 0 is left
/// out when a > 0, which keeps the system ports out; with a = 0 there is one contiguous block,
/// and port 0 is never part of a set. With k = 0 the address is not shared: the set is not
/// restricted (every port but 0), and it has no ranges.
/// Computed on demand; no allocation.
/// </summary>
public readonly struct PortSet : IEquatable<PortSet>
{
    public int PsidOffset { get; }
    public int PsidLength { get; }
    /// <summary>Right-aligned.</summary>
    public ushort Psid { get; }

    public PortSet(int psidOffset, int psidLength, ushort psid)
    {
        if ((uint)psidOffset > 16 || (uint)psidLength > 16 || psidOffset + psidLength > 16)
            throw new ArgumentOutOfRangeException(nameof(psidLength));
        if (psidLength < 16 && psid >= 1 << psidLength)
            throw new ArgumentOutOfRangeException(nameof(psid));
        PsidOffset = psidOffset;
        PsidLength = psidLength;
        Psid = psid;
    }

    /// <summary>False for an unshared address (k = 0): every port but 0 is the CE's.</summary>
    public bool IsRestricted => PsidLength > 0;

    /// <summary>m: the number of low bits of a port that vary inside one range.</summary>
    public int ContiguousBits => 16 - PsidOffset - PsidLength;

    /// <summary>The number of ranges (0 for an unrestricted set).</summary>
    public int RangeCount
    {
        get
        {
            if (!IsRestricted)
                return 0;
            if (PsidOffset > 0)
                return (1 << PsidOffset) - 1;
            // a = 0: one block; it is empty when it would hold only port 0.
            return Psid == 0 && ContiguousBits == 0 ? 0 : 1;
        }
    }

    /// <summary>The i-th range (0-based, ascending).</summary>
    public PortRange GetRange(int index)
    {
        if ((uint)index >= (uint)RangeCount)
            throw new ArgumentOutOfRangeException(nameof(index));
        int m = ContiguousBits;
        int first;
        if (PsidOffset > 0)
            first = ((index + 1) << (16 - PsidOffset)) | (Psid << m);
        else
            first = Psid << m;
        int last = first + (1 << m) - 1;
        if (first == 0)
            first = 1;
        return new PortRange((ushort)first, (ushort)last);
    }

    /// <summary>The number of ports a CE may use.</summary>
    public int PortCount
    {
        get
        {
            if (!IsRestricted)
                return 65535;
            int m = ContiguousBits;
            if (PsidOffset > 0)
                return ((1 << PsidOffset) - 1) << m;
            return (1 << m) - (Psid == 0 ? 1 : 0);
        }
    }

    /// <summary>Whether the CE may use <paramref name="port"/>: a shift, a mask and a compare.</summary>
    public bool Contains(ushort port)
    {
        if (port == 0)
            return false;
        if (!IsRestricted)
            return true;
        if (PsidOffset > 0 && port >> (16 - PsidOffset) == 0)
            return false;
        return ((port >> ContiguousBits) & ((1 << PsidLength) - 1)) == Psid;
    }

    public Enumerator GetEnumerator() => new(this);

    /// <summary>Ranges in ascending order, without allocating: a start and a stride.</summary>
    public struct Enumerator
    {
        private readonly int _stride;
        private readonly int _size;
        private int _remaining;
        private int _first;

        internal Enumerator(PortSet set)
        {
            _remaining = set.RangeCount;
            int m = set.ContiguousBits;
            _size = 1 << m;
            _stride = set.PsidOffset > 0 ? 1 << (16 - set.PsidOffset) : 0;
            // Before the first range (A = 0): MoveNext adds the stride; with a = 0 there is one range.
            _first = set.Psid << m;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool MoveNext()
        {
            if (_remaining == 0)
                return false;
            _remaining--;
            _first += _stride;
            return true;
        }

        public readonly PortRange Current
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => new((ushort)(_first == 0 ? 1 : _first), (ushort)(_first + _size - 1));
        }
    }

    public bool Equals(PortSet other) => PsidOffset == other.PsidOffset && PsidLength == other.PsidLength && Psid == other.Psid;
    public override bool Equals(object? obj) => obj is PortSet other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(PsidOffset, PsidLength, Psid);
    public static bool operator ==(PortSet left, PortSet right) => left.Equals(right);
    public static bool operator !=(PortSet left, PortSet right) => !left.Equals(right);
}
