using System;
using System.Runtime.InteropServices;

namespace Mapt.Platform;

/// <summary>The clocks a lease is measured by beyond the event loop's monotonic one.</summary>
public static partial class Clock
{
    private const int ClockBoottime = 7; // CLOCK_BOOTTIME: monotonic, counts suspend, restarts at boot

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds; // tv_sec (64-bit on x86_64 and aarch64)
        public long Nanoseconds; // tv_nsec
    }

    // Tmds.LibC 0.5.0 has no clock_gettime.
    [LibraryImport("libc.so.6", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out Timespec time);

    /// <summary>CLOCK_BOOTTIME in ms: time since this kernel booted, which no NTP step moves.</summary>
    public static long BootTimeMs()
    {
        if (ClockGetTime(ClockBoottime, out Timespec ts) != 0)
            throw new PlatformException("clock_gettime(CLOCK_BOOTTIME)", Marshal.GetLastPInvokeError());
        return ts.Seconds * 1000 + ts.Nanoseconds / 1_000_000;
    }

    /// <summary>The kernel's boot id (/proc/sys/kernel/random/boot_id): tells this boot from the last one.</summary>
    public static string KernelBootId()
    {
        try
        {
            return (AtomicFile.Read("/proc/sys/kernel/random/boot_id") ?? "").Trim();
        }
        catch (PlatformException)
        {
            return "";
        }
    }

    public static long UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
