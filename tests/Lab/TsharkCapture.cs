using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Mapt.Tests.Support;

namespace Mapt.Tests.Lab;

/// <summary>
/// tshark capturing DHCPv6 on an interface inside a namespace, to a pcap file; afterwards
/// tshark decodes it as an independent oracle of what went over the wire.
/// </summary>
internal sealed class TsharkCapture : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly ManualResetEventSlim _capturing = new();

    public string PcapPath => Path.Combine(_dir, "dhcpv6.pcap");

    private TsharkCapture(Netns ns, string iface)
    {
        _dir = Directory.CreateTempSubdirectory("mapt-tshark-").FullName;
        _process = ns.Start("tshark", new[] { "-i", iface, "-n", "-f", "udp port 546 or udp port 547", "-w", PcapPath }, null,
            null, line => { if (line.Contains("Capturing on", StringComparison.Ordinal)) _capturing.Set(); });
    }

    public static TsharkCapture Start(Netns ns, string iface)
    {
        var capture = new TsharkCapture(ns, iface);
        if (!capture._capturing.Wait(TimeSpan.FromSeconds(20)))
        {
            capture.Dispose();
            throw new InvalidOperationException("tshark did not start capturing within 20 s");
        }
        return capture;
    }

    /// <summary>Stops the capture (SIGINT so the file is complete).</summary>
    public void Stop()
    {
        if (_process.HasExited)
            return;
        // Let the last packets reach the file before stopping.
        Thread.Sleep(300);
        Proc.Run("kill", new[] { "-INT", _process.Id.ToString() });
        if (!_process.WaitForExit(10_000))
            _process.Kill(entireProcessTree: true);
    }

    /// <summary>One row per packet matching <paramref name="filter"/>, fields separated by '|' (multi-value fields by ',').</summary>
    public List<string[]> Decode(string filter, params string[] fields)
    {
        Stop();
        var args = new List<string> { "-r", PcapPath, "-n", "-Y", filter, "-T", "fields", "-E", "separator=|", "-E", "aggregator=," };
        foreach (string f in fields)
        {
            args.Add("-e");
            args.Add(f);
        }
        ProcResult r = Proc.Run("tshark", args, timeout: TimeSpan.FromSeconds(60));
        if (r.ExitCode != 0)
            throw new InvalidOperationException("tshark decode failed: " + r);
        var rows = new List<string[]>();
        foreach (string line in r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            rows.Add(line.Split('|'));
        return rows;
    }

    public void Dispose()
    {
        try { Stop(); } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
