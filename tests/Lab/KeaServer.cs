using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Mapt.Tests.Support;

namespace Mapt.Tests.Lab;

/// <summary>
/// kea-dhcp6 in the foreground inside a namespace, with its pid and lock files and its lease
/// file in a temp folder. Waits for DHCP6_STARTED; <see cref="Reload"/> rewrites the config
/// and sends SIGHUP; killed with the namespace (or on Dispose).
/// </summary>
internal sealed class KeaServer : IDisposable
{
    private readonly List<string> _log = new();
    private readonly Netns _ns;
    private Process _process;

    public string Directory { get; }
    public string ConfigPath => Path.Combine(Directory, "kea.json");
    public string LeaseFile => Path.Combine(Directory, "leases6.csv");
    public int Pid => _process.Id;

    private KeaServer(Netns ns, string directory, Process process)
    {
        _ns = ns;
        Directory = directory;
        _process = process;
    }

    /// <summary>Starts Kea with <paramref name="config"/> (its LeaseFile is set here) and waits until it serves.</summary>
    public static KeaServer Start(Netns ns, KeaConfig config)
    {
        string dir = System.IO.Directory.CreateTempSubdirectory("mapt-kea-").FullName;
        config.LeaseFile = Path.Combine(dir, "leases6.csv");
        File.WriteAllText(Path.Combine(dir, "kea.json"), config.ToJson());
        var server = new KeaServer(ns, dir, null!);
        server._process = server.Launch();
        server.WaitFor("DHCP6_STARTED", 0, TimeSpan.FromSeconds(10));
        return server;
    }

    private Process Launch()
    {
        var env = new Dictionary<string, string> { ["KEA_PIDFILE_DIR"] = Directory, ["KEA_LOCKFILE_DIR"] = Directory };
        return _ns.Start("kea-dhcp6", new[] { "-c", ConfigPath }, env, Add, Add);
    }

    private void Add(string line)
    {
        lock (_log)
        {
            _log.Add(line);
            Monitor.PulseAll(_log);
        }
    }

    /// <summary>Everything Kea logged so far.</summary>
    public string Log
    {
        get { lock (_log) return string.Join("\n", _log); }
    }

    public int Count(string text)
    {
        lock (_log)
        {
            int n = 0;
            foreach (string l in _log)
                if (l.Contains(text, StringComparison.Ordinal))
                    n++;
            return n;
        }
    }

    /// <summary>Waits until more than <paramref name="already"/> lines contain <paramref name="text"/>.</summary>
    public void WaitFor(string text, int already, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        lock (_log)
        {
            while (Count(text) <= already)
            {
                TimeSpan left = end - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || _process.HasExited && Count(text) <= already)
                {
                    Monitor.Wait(_log, 200); // the last lines of a dying Kea
                    throw new InvalidOperationException($"kea-dhcp6 did not log {text} within {timeout.TotalSeconds} s (exited: {_process.HasExited})\n{Log}");
                }
                Monitor.Wait(_log, TimeSpan.FromMilliseconds(Math.Min(100, left.TotalMilliseconds)));
            }
        }
    }

    /// <summary>Applies a new configuration (same lease file) with SIGHUP and waits until Kea applied it.</summary>
    public void Reload(KeaConfig config)
    {
        config.LeaseFile = LeaseFile;
        File.WriteAllText(ConfigPath, config.ToJson());
        // Not DHCP6_CONFIG_COMPLETE: Kea logs it before it reopens its sockets, and a message
        // sent in between is lost (the client's Renew then waits a whole RT, 10 s and more).
        int before = Count("DHCP6_DYNAMIC_RECONFIGURATION_SUCCESS");
        Proc.Sh($"kill -HUP {Pid}");
        WaitFor("DHCP6_DYNAMIC_RECONFIGURATION_SUCCESS", before, TimeSpan.FromSeconds(10));
    }

    /// <summary>SIGSTOP / SIGCONT: a server that is there but does not answer for a while.</summary>
    public void Pause() => Proc.Sh($"kill -STOP {Pid}");
    public void Resume() => Proc.Sh($"kill -CONT {Pid}");

    /// <summary>Stops the server for good (the "server gone" case).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
    }

    /// <summary>
    /// The lease file's rows for prefixes (lease_type 2), in order: Kea's memfile is a journal,
    /// so the last row of an address is its current state; valid_lifetime 0 marks a released lease.
    /// </summary>
    public List<KeaLeaseRow> ReadPrefixLeases()
    {
        var rows = new List<KeaLeaseRow>();
        if (!File.Exists(LeaseFile))
            return rows;
        string[] lines = File.ReadAllLines(LeaseFile);
        if (lines.Length == 0)
            return rows;
        string[] header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        int address = Col("address"), duid = Col("duid"), valid = Col("valid_lifetime"), type = Col("lease_type"), length = Col("prefix_len"), state = Col("state");
        for (int i = 1; i < lines.Length; i++)
        {
            string[] f = lines[i].Split(',');
            if (f.Length < header.Length || f[type] != "2")
                continue;
            rows.Add(new KeaLeaseRow(f[address] + "/" + f[length], f[duid], long.Parse(f[valid]), int.Parse(f[state])));
        }
        return rows;
    }

    public void Dispose()
    {
        try { Kill(); } catch (InvalidOperationException) { }
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>One prefix lease row of Kea's memfile.</summary>
internal sealed record KeaLeaseRow(string Prefix, string Duid, long ValidLifetime, int State);
