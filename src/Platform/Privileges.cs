using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Mapt.Platform;

/// <summary>
/// The capabilities mapt needs and what this process holds. The reduction itself happens in
/// native-shim/start.c before main() (capabilities belong to threads, and the runtime's
/// threads exist by the time C# runs); here is the check `mapt run` and `mapt teardown` make
/// before touching anything, and the words for the log.
/// </summary>
internal static class Privileges
{
    /// <summary>One capability mapt needs, with the reason (README "Security" lists the same).</summary>
    public readonly record struct Capability(int Number, string Name, string Why);

    private static Capability[]? s_needed;

    /// <summary>The capabilities mapt needs, as native-shim/start.c defines them (one home).</summary>
    public static unsafe IReadOnlyList<Capability> Needed
    {
        get
        {
            if (s_needed is not null)
                return s_needed;
            var list = new List<Capability>();
            int number;
            byte* name, why;
            for (int i = 0; NativeShim.CapabilityNeeded(i, &number, &name, &why) == 0; i++)
                list.Add(new Capability(number, Marshal.PtrToStringUTF8((IntPtr)name)!, Marshal.PtrToStringUTF8((IntPtr)why)!));
            return s_needed = list.ToArray();
        }
    }

    /// <summary>The needed capabilities as a bit mask (bit N = capability N).</summary>
    public static ulong NeededMask
    {
        get
        {
            ulong mask = 0;
            foreach (Capability c in Needed)
                mask |= 1UL << c.Number;
            return mask;
        }
    }

    /// <summary>The calling thread's capability sets now.</summary>
    public static unsafe PrivilegeSets Now()
    {
        PrivilegeSets sets;
        if (NativeShim.PrivilegesNow(&sets) != 0)
            throw new PlatformException("capget", Errno.Last);
        return sets;
    }

    /// <summary>What the shim found at start and what it could not do.</summary>
    public static unsafe StartReport AtStart()
    {
        StartReport report;
        NativeShim.StartReport(&report);
        return report;
    }

    /// <summary>
    /// Null when this process holds what `mapt VERB` needs and nothing more; else why not, in
    /// words for the console (the missing capabilities named). Checked before anything is touched.
    /// </summary>
    public static string? Refusal()
    {
        PrivilegeSets now = Now();
        StartReport start = AtStart();
        ulong needed = NeededMask;
        ulong missing = needed & ~now.Effective;
        if (missing != 0)
        {
            var text = new StringBuilder();
            foreach (Capability c in Needed)
                if ((missing & (1UL << c.Number)) != 0)
                    text.Append(text.Length == 0 ? "" : "; ").Append(c.Name).Append(" (").Append(c.Why).Append(')');
            return $"this process lacks {text}; mapt needs {Names(needed)} for its whole life: start it as root (uid 0) with them in its bounding set";
        }
        if (now.Euid != 0)
            return $"runs as uid {now.Euid.ToString(CultureInfo.InvariantCulture)}; mapt needs uid 0: the nat46 control file, iptables' lock file and the flash directory belong to root";
        if (now.NoNewPrivs == 0)
            return $"no_new_privs could not be set ({Errno.Name(start.NnpErrno)}): children could gain privileges mapt does not hold";
        if ((now.Permitted & ~needed) != 0)
            return $"the capabilities beyond {Names(needed)} could not be dropped ({Errno.Name(start.CapsetErrno)}; permitted {Hex(now.Permitted)})";
        return null;
    }

    /// <summary>The start-up lines: what the process runs with, and what the shim could not do.</summary>
    public static void Log(ILogger logger)
    {
        PrivilegeSets now = Now();
        StartReport start = AtStart();
        string kept = Names(now.Effective & NeededMask);
        ulong dropped = (start.Before.Permitted & ~now.Permitted) | (start.Before.Bounding & ~now.Bounding);
        PlatformLog.Privileges(logger, kept, dropped == 0 ? "nothing" : Hex(dropped) + " (capsh --decode names them)", CloexecMethod(start.CloexecMethod));
        if ((now.Bounding & ~NeededMask) != 0)
            PlatformLog.BoundingKept(logger, kept, Errno.Name(start.BoundingErrno));
        if (start.CloexecErrno != 0)
            PlatformLog.InheritedDescriptors(logger, Errno.Name(start.CloexecErrno));
    }

    /// <summary>"CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE" for the needed bits of <paramref name="mask"/>, in their order.</summary>
    public static string Names(ulong mask)
    {
        var names = new List<string>();
        foreach (Capability c in Needed)
            if ((mask & (1UL << c.Number)) != 0)
                names.Add(c.Name);
        return names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.GetRange(0, names.Count - 1)) + " and " + names[^1];
    }

    /// <summary>A capability mask as /proc/PID/status shows it (`capsh --decode=` names the bits).</summary>
    public static string Hex(ulong mask) => "0x" + mask.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>How the shim marked the descriptors inherited from the starter.</summary>
    public static string CloexecMethod(int method) => method switch
    {
        1 => "close_range",
        2 => "fcntl over /proc/self/fd",
        3 => "fcntl up to RLIMIT_NOFILE",
        _ => "not done",
    };
}

/// <summary>struct mapt_privileges of native-shim/start.c: a thread's capability sets (bit N = capability N).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PrivilegeSets
{
    public ulong Effective, Permitted, Inheritable, Bounding, Ambient;
    public int NoNewPrivs;
    public int Euid;
}

/// <summary>struct mapt_start_report of native-shim/start.c: the sets before the reduction, and each step's errno.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StartReport
{
    public PrivilegeSets Before;
    public int Ran, NnpErrno, BoundingErrno, CapsetErrno, CloexecErrno, CloexecMethod;
}
