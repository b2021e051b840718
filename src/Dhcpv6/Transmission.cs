using System;

namespace Mapt.Dhcpv6;

/// <summary>
/// The retransmission state of one exchange (RFC 8415 section 15): RT starts at IRT + RAND*IRT,
/// then RT = 2*RTprev + RAND*RTprev, capped at MRT + RAND*MRT, with RAND uniform in
/// [-0.1, +0.1]; the exchange ends after MRC sends or MRD of time. A value, driven by the
/// client's step function.
/// </summary>
public struct Transmission
{
    private RetransmissionParameters _parameters;
    private readonly Random _random;
    private long _deadlineMs;
    private long _previousRtMs;

    public Transmission(RetransmissionParameters parameters, Random random, long nowMs, int mrdMs, bool skipInitialDelay)
    {
        _parameters = parameters;
        _random = random;
        StartMs = nowMs;
        int mrd = mrdMs > 0 ? mrdMs : parameters.MrdMs;
        _deadlineMs = mrd > 0 ? nowMs + mrd : long.MaxValue;
        Count = 0;
        RtMs = 0;
        int delay = skipInitialDelay || parameters.MaxInitialDelayMs == 0 ? 0 : _random.Next(parameters.MaxInitialDelayMs + 1);
        NextSendMs = nowMs + delay;
    }

    public RetransmissionParameters Parameters => _parameters;

    /// <summary>A new MRT for the retransmissions still to come (SOL_MAX_RT received mid-exchange, RFC 8415 section 21.24).</summary>
    public void SetMrt(int mrtMs) => _parameters = _parameters.WithMrt(mrtMs);
    /// <summary>When the exchange began; ELAPSED_TIME counts from the first send (section 21.9).</summary>
    public long StartMs { get; private set; }
    public long FirstSendMs { get; private set; }
    public int Count { get; private set; }
    public long RtMs { get; private set; }
    public long NextSendMs { get; private set; }
    /// <summary>When the exchange gives up regardless of MRC (MRD), or long.MaxValue.</summary>
    public long DeadlineMs => _deadlineMs;
    public bool IsActive => _parameters is not null;

    /// <summary>
    /// Records a send at <paramref name="nowMs"/> and schedules the next. False when MRC is
    /// used up or MRD has passed: the caller ends the exchange instead of sending.
    /// </summary>
    public bool TrySend(long nowMs, bool firstRtAboveIrt)
    {
        if (_parameters.Mrc > 0 && Count >= _parameters.Mrc)
            return false;
        if (nowMs >= _deadlineMs)
            return false;
        _previousRtMs = RtMs;
        if (Count == 0)
        {
            FirstSendMs = nowMs;
            // Section 18.2.1: the first Solicit RT is strictly greater than IRT (RAND > 0). In
            // whole milliseconds that takes at least 1 ms: truncating RAND * IRT gave exactly IRT
            // for one draw in a hundred.
            RtMs = firstRtAboveIrt
                ? _parameters.IrtMs + Math.Max(1, (long)(_random.NextDouble() * 0.1 * _parameters.IrtMs))
                : _parameters.IrtMs + (long)(Rand() * _parameters.IrtMs);
        }
        else
        {
            RtMs = 2 * RtMs + (long)(Rand() * RtMs);
            if (_parameters.MrtMs > 0 && RtMs > _parameters.MrtMs)
                RtMs = _parameters.MrtMs + (long)(Rand() * _parameters.MrtMs);
        }
        Count++;
        NextSendMs = Math.Min(nowMs + RtMs, _deadlineMs);
        return true;
    }

    /// <summary>
    /// The kernel refused the send (link down, link-local address not back from DAD yet): it
    /// does not count as a transmission, and is tried again within a second rather than a
    /// whole RT later (a Renew's RT is 10 s and more).
    /// </summary>
    public void SendFailed(long nowMs)
    {
        Count--;
        RtMs = _previousRtMs;
        NextSendMs = Math.Min(nowMs + RetryAfterFailedSendMs, _deadlineMs);
    }

    public const int RetryAfterFailedSendMs = 1000;

    /// <summary>True when the last allowed send has gone out and its RT (or MRD) has run out.</summary>
    public bool IsExhausted(long nowMs) =>
        nowMs >= _deadlineMs || (_parameters.Mrc > 0 && Count >= _parameters.Mrc && nowMs >= NextSendMs);

    private double Rand() => _random.NextDouble() * 0.2 - 0.1;
}
