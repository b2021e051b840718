using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace Mapt.Tests.Support;

/// <summary>
/// A network namespace a test creates, named uniquely (area, pid, counter) so suites can run
/// side by side, and removed with everything started in it on Dispose, also when the test
/// failed. Interface names inside a namespace are private to it, so fixed names are fine there.
/// </summary>
internal sealed class Netns : IDisposable
{
    private static int s_counter;
    private readonly List<Process> _started = new();

    public string Name { get; }

    private Netns(string name) => Name = name;

    /// <summary>Creates "mapt-AREA-PID-N" with its loopback up.</summary>
    public static Netns Create(string area)
    {
        string name = $"mapt-{area}-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}";
        Proc.Sh($"ip netns add {name}");
        var ns = new Netns(name);
        try
        {
            ns.Sh("ip link set lo up");
        }
        catch
        {
            ns.Dispose();
            throw;
        }
        return ns;
    }

    /// <summary>Runs a shell command inside the namespace; throws with its output if it fails.</summary>
    public string Sh(string command, TimeSpan? timeout = null)
    {
        ProcResult r = Try(command, timeout);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"[{Name}] '{command}' failed: {r}");
        return r.Stdout;
    }

    /// <summary>Runs a shell command inside the namespace and returns whatever happened.</summary>
    public ProcResult Try(string command, TimeSpan? timeout = null) =>
        Proc.Run("ip", new[] { "netns", "exec", Name, "sh", "-c", command }, timeout: timeout);

    /// <summary>Starts a long-running process inside the namespace; killed on Dispose.</summary>
    public Process Start(string file, IEnumerable<string> args, IDictionary<string, string>? env = null,
        Action<string>? onStdout = null, Action<string>? onStderr = null)
    {
        var psi = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("netns");
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(Name);
        psi.ArgumentList.Add(file);
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env)
                psi.Environment[k] = v;
        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) onStdout?.Invoke(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) onStderr?.Invoke(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        lock (_started)
            _started.Add(p);
        return p;
    }

    /// <summary>A veth pair: <paramref name="ifA"/> in <paramref name="a"/>, <paramref name="ifB"/> in <paramref name="b"/>, both up.</summary>
    public static void Veth(Netns a, string ifA, Netns b, string ifB)
    {
        Proc.Sh($"ip link add {ifA} netns {a.Name} type veth peer name {ifB} netns {b.Name}");
        a.Sh($"ip link set {ifA} up");
        b.Sh($"ip link set {ifB} up");
    }

    /// <summary>
    /// Moves the calling thread into this namespace until the scope is disposed, so in-process
    /// code (a netlink or DHCPv6 socket) can be created inside it. A socket stays in the
    /// namespace it was created in after the thread leaves.
    /// </summary>
    public Scope Enter() => new(this);

    public sealed class Scope : IDisposable
    {
        private readonly int _home;

        internal Scope(Netns ns)
        {
            _home = open("/proc/thread-self/ns/net", 0x80000 /* O_CLOEXEC */);
            if (_home < 0)
                throw new InvalidOperationException("cannot open this thread's network namespace: errno " + Marshal.GetLastPInvokeError());
            int target = open("/run/netns/" + ns.Name, 0x80000);
            if (target < 0)
                throw new InvalidOperationException($"cannot open namespace {ns.Name}: errno {Marshal.GetLastPInvokeError()}");
            try
            {
                if (setns(target, CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns({ns.Name}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
            finally
            {
                close(target);
            }
        }

        public void Dispose()
        {
            if (setns(_home, CloneNewNet) != 0)
                throw new InvalidOperationException("cannot return to the original network namespace: errno " + Marshal.GetLastPInvokeError());
            close(_home);
        }
    }

    public void Dispose()
    {
        lock (_started)
        {
            foreach (Process p in _started)
            {
                try
                {
                    if (!p.HasExited)
                        p.Kill(entireProcessTree: true);
                    p.WaitForExit(5000);
                }
                catch (InvalidOperationException) { }
                p.Dispose();
            }
            _started.Clear();
        }
        // Whatever else runs in the namespace (daemons a test started by hand) goes too.
        Proc.Run("/bin/sh", new[] { "-c", $"for p in $(ip netns pids {Name} 2>/dev/null); do kill -9 $p; done; ip netns del {Name} 2>/dev/null; true" });
    }

    private const int CloneNewNet = 0x40000000;

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
