using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Mapt.Tests.Support;

namespace Mapt.Tests.Lab;

/// <summary>
/// tshark capturing DHCPv6 (or what a capture filter says) on an interface inside a namespace,
/// to a pcap file; afterwards tshark decodes it as an independent oracle of what went over the wire.
/// </summary>
internal sealed class TsharkCapture : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly ManualResetEventSlim _capturing = new();
    private readonly ManualResetEventSlim _marked = new();

    public const string Dhcpv6Filter = "udp port 546 or udp port 547";

    public string PcapPath => Path.Combine(_dir, "capture.pcap");

    private TsharkCapture(Netns ns, string iface, string filter)
    {
        _dir = Directory.CreateTempSubdirectory("mapt-tshark-").FullName;
        // -P -l: a summary line per packet on stdout as it is written, which is how Start
        // knows the capture really runs (port 9, discard, carries the marker).
        _process = ns.Start("tshark", new[] { "-i", iface, "-n", "-l", "-P", "-f", $"({filter}) or udp port 9", "-w", PcapPath }, null,
            line => { if (line.Contains(" UDP ", StringComparison.Ordinal) && line.Contains("Len=" + Marker.Length, StringComparison.Ordinal)) _marked.Set(); },
            line => { if (line.Contains("Capturing on", StringComparison.Ordinal)) _capturing.Set(); });
    }

    private const string Marker = "mapt-capture\n";

    /// <summary>
    /// Starts tshark and returns once a marker datagram sent out of <paramref name="iface"/>
    /// was captured: "Capturing on" alone came before the capture filter was live, and a
    /// client's first Solicit was missing from the file now and then.
    /// </summary>
    public static TsharkCapture Start(Netns ns, string iface, string filter = Dhcpv6Filter)
    {
        var capture = new TsharkCapture(ns, iface, filter);
        if (!capture._capturing.Wait(TimeSpan.FromSeconds(20)))
        {
            capture.Dispose();
            throw new InvalidOperationException("tshark did not start capturing within 20 s");
        }
        var clock = Stopwatch.StartNew();
        while (!capture._marked.Wait(TimeSpan.FromMilliseconds(200)))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                capture.Dispose();
                throw new InvalidOperationException("tshark captured no marker datagram on " + iface + " within 20 s");
            }
            ns.Try($"printf '{Marker}' | nc -6 -u -w0 'ff02::1%{iface}' 9");
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
