using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Mapt.Platform;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Tmds.Linux;

namespace Mapt.Tests.Platform;

[TestClass]
public sealed class EventLoopTests
{
    [TestMethod]
    public void Timers_FireInDueOrder_CancelledOnesNever()
    {
        using var loop = new EventLoop(NullLogger.Instance);
        var fired = new List<string>();
        long now = loop.NowMs;
        loop.AddTimer(now + 30, () => fired.Add("c"));
        loop.AddTimer(now + 10, () => fired.Add("a"));
        TimerHandle cancelled = loop.AddTimer(now + 15, () => fired.Add("x"));
        loop.AddTimer(now + 20, () => { fired.Add("b"); });
        loop.AddTimer(now + 40, loop.Stop);
        loop.Cancel(cancelled);
        loop.Run();
        CollectionAssert.AreEqual(new[] { "a", "b", "c" }, fired);
        Assert.IsTrue(loop.NowMs - now >= 40, "the loop stopped before the last timer was due");
    }

    [TestMethod]
    public unsafe void Reader_IsCalledWhenItsFdIsReadable_AndOnlyThen()
    {
        using var loop = new EventLoop(NullLogger.Instance);
        int* fds = stackalloc int[2];
        Assert.AreEqual(0, LibC.pipe2(fds, LibC.O_NONBLOCK | LibC.O_CLOEXEC));
        try
        {
            int calls = 0;
            loop.AddReader(fds[0], () =>
            {
                calls++;
                byte* b = stackalloc byte[16];
                while (LibC.read(fds[0], b, 16) > 0) { }
            });
            loop.RunOnce(20);
            Assert.AreEqual(0, calls, "called without data");
            byte one = 1;
            LibC.write(fds[1], &one, 1);
            loop.RunOnce(1000);
            Assert.AreEqual(1, calls);
            loop.Remove(fds[0]);
            LibC.write(fds[1], &one, 1);
            loop.RunOnce(20);
            Assert.AreEqual(1, calls, "called after Remove");
        }
        finally
        {
            LibC.close(fds[0]);
            LibC.close(fds[1]);
        }
    }

    [TestMethod]
    public void ThrowingHandler_IsContained_LoopGoesOn()
    {
        using var loop = new EventLoop(NullLogger.Instance);
        bool later = false;
        loop.AddTimerIn(1, () => throw new InvalidOperationException("boom"));
        loop.AddTimerIn(5, () => { later = true; loop.Stop(); });
        loop.Run();
        Assert.IsTrue(later);
    }

    [TestMethod]
    public void Signal_ArrivesAsALoopEvent()
    {
        using var loop = new EventLoop(NullLogger.Instance);
        int got = 0;
        const int SIGUSR2 = 12;
        loop.AddSignal(SIGUSR2, () => { got++; loop.Stop(); });
        Assert.AreEqual(0, kill(Environment.ProcessId, SIGUSR2));
        loop.AddTimerIn(5000, loop.Stop);
        loop.Run();
        Assert.AreEqual(1, got);
    }

    [TestMethod]
    public void IdleLoop_WakesOnlyForItsTimers()
    {
        using var loop = new EventLoop(NullLogger.Instance);
        loop.AddTimerIn(300, loop.Stop);
        loop.Run();
        Assert.IsTrue(loop.Wakeups <= 2, $"{loop.Wakeups} wake-ups for one timer");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
