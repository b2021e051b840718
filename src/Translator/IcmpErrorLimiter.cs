namespace Mapt.Translator;

/// <summary>
/// The rate limit on the ICMP errors the translator itself sends for packets it discards
/// (RFC 7915 §4.4, §5.4: "SHOULD allow an administrator to configure ... rate-limits for error
/// messages"; RFC 4443 §2.4 (f), RFC 1812 §4.3.2.8). One token bucket for the whole
/// translator: a sender that spoofs sources can make the CE answer at most
/// <see cref="PerSecond"/> errors a second, each no larger than the packet that caused it plus
/// one header (and never above 576 bytes for IPv4, 1280 for IPv6), so the CE is no reflector
/// worth using. Two fields, no allocation, no clock of its own: the caller passes the time.
/// </summary>
public sealed class IcmpErrorLimiter
{
    /// <summary>Errors a second, sustained.</summary>
    public const int PerSecond = 20;
    /// <summary>Errors allowed at once after a quiet second.</summary>
    public const int Burst = 20;

    private long _tokensMilli = Burst * 1000L; // tokens x 1000, so refill needs no division per packet
    private long _lastMs = long.MinValue;

    /// <summary>Takes one token at <paramref name="nowMs"/> (a monotonic clock in ms); false when none is left.</summary>
    public bool TryTake(long nowMs)
    {
        if (_lastMs != long.MinValue && nowMs > _lastMs)
            _tokensMilli = System.Math.Min(Burst * 1000L, _tokensMilli + (nowMs - _lastMs) * PerSecond);
        if (nowMs > _lastMs)
            _lastMs = nowMs;
        if (_tokensMilli < 1000)
            return false;
        _tokensMilli -= 1000;
        return true;
    }
}
