using System;
using System.Collections.Generic;
using System.Buffers.Binary;
using System.Diagnostics;
using Mapt.Dhcpv6;
using Mapt.Dhcpv6.Wire;

namespace Mapt.Tests.Dhcpv6.Wire;

/// <summary>
/// Mutates Kea-captured Replies (bit flips, byte overwrites, length-field nudges, truncation,
/// insertion, splicing) and runs each through the parser and the MAP engine. Counts escaped
/// exceptions and accepted MAP-T containers that an independent RFC 7598 checker refuses.
/// </summary>
internal sealed class ReplyFuzzer
{
    private readonly byte[][] _seeds = KeaSeeds.All;
    private readonly Random _random;
    private readonly byte[] _buffer = new byte[2048];

    public ReplyFuzzer(int seed) => _random = new Random(seed);

    public long Count { get; private set; }
    public long Parsed { get; private set; }
    public long ContainersAccepted { get; private set; }
    public long Exceptions { get; private set; }
    public long RfcBreakingAccepted { get; private set; }
    public string FirstFailure { get; private set; } = "";
    public double Seconds { get; private set; }

    public void Run(int count)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            int length = Mutate();
            Count++;
            ReadOnlySpan<byte> message = _buffer.AsSpan(0, length);
            try
            {
                if (!Dhcpv6Message.TryParse(message, out Dhcpv6Message m, out ParseError error))
                {
                    _ = error.ToString();
                    continue;
                }
                Parsed++;
                if (m.Mapt is null)
                {
                    if (m.HasMaptOption)
                        _ = m.MaptError.ToString();
                    continue;
                }
                ContainersAccepted++;
                string? why = Rfc7598Oracle.Check(m.S46Options[FirstMapt(m)].Bytes, m.Mapt);
                if (why is not null)
                {
                    RfcBreakingAccepted++;
                    if (FirstFailure.Length == 0)
                        FirstFailure = why + ": " + Convert.ToHexString(message);
                }
                // The engine must not throw on anything the reader let through either.
                MaptDomain.TryBuild(m.Mapt, out _, out _);
            }
            catch (Exception e)
            {
                Exceptions++;
                if (FirstFailure.Length == 0)
                    FirstFailure = e.GetType().Name + " " + e.Message + ": " + Convert.ToHexString(message);
            }
        }
        Seconds += watch.Elapsed.TotalSeconds;
    }

    /// <summary>The mutated messages themselves, the same sequence <see cref="Run"/> parses for the same seed.</summary>
    public IEnumerable<byte[]> Messages(int count)
    {
        for (int i = 0; i < count; i++)
            yield return _buffer.AsSpan(0, Mutate()).ToArray();
    }

    private static int FirstMapt(Dhcpv6Message m)
    {
        for (int i = 0; i < m.S46Options.Length; i++)
            if (m.S46Options[i].Code == S46OptionCode.ContainerMapT)
                return i;
        return -1;
    }

    private int Mutate()
    {
        byte[] seed = _seeds[_random.Next(_seeds.Length)];
        int length = seed.Length;
        seed.CopyTo(_buffer, 0);
        int rounds = 1 + _random.Next(4);
        for (int r = 0; r < rounds; r++)
        {
            int at = length == 0 ? 0 : _random.Next(length);
            switch (_random.Next(7))
            {
                case 0: // bit flip
                    if (length > 0)
                        _buffer[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1: // interesting byte
                    if (length > 0)
                        _buffer[at] = Interesting[_random.Next(Interesting.Length)];
                    break;
                case 2: // nudge a 16-bit field (option lengths live there)
                    if (at + 1 < length)
                    {
                        ushort v = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(at));
                        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at), (ushort)(v + _random.Next(-4, 5)));
                    }
                    break;
                case 3: // truncate
                    length = _random.Next(length + 1);
                    break;
                case 4: // insert random bytes
                {
                    int n = 1 + _random.Next(8);
                    if (length + n > _buffer.Length)
                        break;
                    Array.Copy(_buffer, at, _buffer, at + n, length - at);
                    for (int k = 0; k < n; k++)
                        _buffer[at + k] = (byte)_random.Next(256);
                    length += n;
                    break;
                }
                case 5: // delete bytes
                {
                    int n = Math.Min(1 + _random.Next(8), length - at);
                    Array.Copy(_buffer, at + n, _buffer, at, length - at - n);
                    length -= n;
                    break;
                }
                default: // splice a slice of another seed
                {
                    byte[] other = _seeds[_random.Next(_seeds.Length)];
                    int from = _random.Next(other.Length);
                    int n = Math.Min(Math.Min(1 + _random.Next(32), other.Length - from), _buffer.Length - at);
                    Array.Copy(other, from, _buffer, at, n);
                    length = Math.Max(length, at + n);
                    break;
                }
            }
        }
        return length;
    }

    private static readonly byte[] Interesting = { 0, 1, 7, 8, 15, 16, 17, 24, 32, 33, 40, 48, 49, 64, 96, 97, 127, 128, 129, 255 };
}
