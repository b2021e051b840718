namespace Mapt.Platform;

/// <summary>A timer registered with the <see cref="EventLoop"/>; cancel it with <see cref="EventLoop.Cancel"/>.</summary>
public sealed class TimerHandle
{
    internal TimerHandle(long dueMs, System.Action onExpired)
    {
        DueMs = dueMs;
        OnExpired = onExpired;
    }

    /// <summary>When it fires, on the loop's monotonic clock (<see cref="EventLoop.NowMs"/>).</summary>
    public long DueMs { get; }
    internal System.Action OnExpired { get; }
    public bool IsActive { get; internal set; } = true;
}
