using System;
using System.Diagnostics;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Support;

/// <summary>The one way tests wait for something the system does on its own time: poll, then fail naming what never came.</summary>
internal static class Eventually
{
    public static void Until(Func<bool> condition, TimeSpan timeout, string what, int pollMs = 20)
    {
        var sw = Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            try
            {
                if (condition())
                    return;
                last = null;
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or System.IO.IOException)
            {
                last = e; // a file being written, a line not there yet: poll again
            }
            if (sw.Elapsed >= timeout)
                Assert.Fail($"not within {timeout.TotalSeconds:0.#} s: {what}" + (last is null ? "" : " (last: " + last.Message + ")"));
            Thread.Sleep(pollMs);
        }
    }
}
