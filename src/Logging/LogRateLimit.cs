using System.Collections.Generic;

namespace Mapt.Logging;

/// <summary>
/// A token bucket per log line key: <see cref="Burst"/> lines at once, then one per
/// <see cref="RefillMs"/>; the lines past that are counted, and the count is handed back as a
/// <see cref="Suppression"/> (the provider writes it as one "suppressed N similar lines" line,
/// event 820) before the key's next line that passes, or by <see cref="TakeDue"/> once
/// <see cref="SummaryEveryMs"/> has passed, or at the stop. A key is an event id, and for
/// <see cref="LogLineKind.Network"/> lines the sender too: up to <see cref="SourcesPerEvent"/>
/// senders per event id get a bucket each, any further ones share one ("other sources"), so
/// spoofed source addresses cannot multiply the lines and the table stays small. A sender's
/// bucket is handed to a new sender once it is full again and owes no count.
/// Pure: the caller passes the monotonic time. Each bucket is one number, the time at which
/// it will be full again (the generic cell rate algorithm's "theoretical arrival time").
/// </summary>
internal sealed class LogRateLimit
{
    /// <summary>Lines a key may write at once: enough for a short burst of real trouble.</summary>
    public const int Burst = 10;
    /// <summary>Then one line per 6 s (10 a minute): a sustained flood costs ~2 KiB of flash a minute per key.</summary>
    public const int RefillMs = 6_000;
    /// <summary>While a flood lasts, its count is written once a minute.</summary>
    public const int SummaryEveryMs = 60_000;
    /// <summary>Senders per event id with a bucket of their own.</summary>
    public const int SourcesPerEvent = 4;
    public const string OtherSources = "other sources";

    private const long Tolerance = (long)(Burst - 1) * RefillMs;

    /// <summary>Lines not written for one key, from <see cref="SinceMs"/> until now.</summary>
    public readonly record struct Suppression(int EventId, string? Source, long Count, long SinceMs);

    private sealed class Bucket
    {
        public string? Source;
        public long FullAtMs = long.MinValue;
        public long Suppressed;
        public long SinceMs;

        public bool IdleAt(long nowMs) => Suppressed == 0 && FullAtMs <= nowMs;
    }

    /// <summary>The buckets of one event id: one without a sender, or up to SourcesPerEvent senders and the shared one.</summary>
    private sealed class EventBuckets
    {
        public Bucket? Unsourced;
        public readonly Bucket?[] Sources = new Bucket?[SourcesPerEvent];
        public Bucket? Others;
    }

    private readonly Dictionary<int, EventBuckets> _events = new();

    /// <summary>
    /// True when the line may be written. <paramref name="summary"/> is set when this key had
    /// suppressed lines and lets one through now: the caller writes the summary first.
    /// </summary>
    public bool Admit(int eventId, string? source, long nowMs, out Suppression? summary)
    {
        summary = null;
        Bucket bucket = BucketOf(eventId, source, nowMs);
        long fullAt = bucket.FullAtMs > nowMs ? bucket.FullAtMs : nowMs;
        if (fullAt - nowMs > Tolerance)
        {
            if (bucket.Suppressed++ == 0)
                bucket.SinceMs = nowMs;
            return false;
        }
        bucket.FullAtMs = fullAt + RefillMs;
        if (bucket.Suppressed > 0)
        {
            summary = new Suppression(eventId, bucket.Source, bucket.Suppressed, bucket.SinceMs);
            bucket.Suppressed = 0;
        }
        return true;
    }

    /// <summary>
    /// The counts owed for <see cref="SummaryEveryMs"/> or longer (every count with
    /// <paramref name="all"/>, at the stop), each key's count then starting again from zero.
    /// </summary>
    public void TakeDue(long nowMs, bool all, List<Suppression> into)
    {
        foreach (KeyValuePair<int, EventBuckets> e in _events)
        {
            Take(e.Key, e.Value.Unsourced, nowMs, all, into);
            foreach (Bucket? b in e.Value.Sources)
                Take(e.Key, b, nowMs, all, into);
            Take(e.Key, e.Value.Others, nowMs, all, into);
        }
    }

    private static void Take(int eventId, Bucket? b, long nowMs, bool all, List<Suppression> into)
    {
        if (b is null || b.Suppressed == 0 || (!all && nowMs - b.SinceMs < SummaryEveryMs))
            return;
        into.Add(new Suppression(eventId, b.Source, b.Suppressed, b.SinceMs));
        b.Suppressed = 0;
    }

    private Bucket BucketOf(int eventId, string? source, long nowMs)
    {
        if (!_events.TryGetValue(eventId, out EventBuckets? buckets))
        {
            buckets = new EventBuckets();
            _events.Add(eventId, buckets);
        }
        if (source is null)
            return buckets.Unsourced ??= new Bucket();
        int free = -1;
        for (int i = 0; i < buckets.Sources.Length; i++)
        {
            Bucket? b = buckets.Sources[i];
            if (b is not null && b.Source == source)
                return b;
            if (free < 0 && (b is null || b.IdleAt(nowMs)))
                free = i;
        }
        if (free >= 0)
            return buckets.Sources[free] = new Bucket { Source = source };
        return buckets.Others ??= new Bucket { Source = OtherSources };
    }
}
