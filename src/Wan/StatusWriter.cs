using System;
using System.Globalization;
using System.Text;
using Mapt.Platform;
using Mapt.Status;
using Microsoft.Extensions.Logging;

namespace Mapt.Wan;

/// <summary>
/// Builds the status from the daemon's parts and writes it to the state file that `mapt
/// status` reads (the TR-181 Device.MAP. view). It owns what only the status needs: when the
/// state was entered and when Interface.Status last changed (on the monotonic clock: a CPE's
/// wall clock jumps when NTP first sets it).
/// </summary>
internal sealed class StatusWriter
{
    private readonly WanMachine _machine;
    private readonly EventLoop _loop;
    private readonly ILogger _log;
    private DateTimeOffset _since = DateTimeOffset.UtcNow;
    private bool _interfaceUp;
    private long _interfaceChangedMs = -1;
    private Provisioner? _provisioner;
    private DhcpDriver? _dhcp;
    private WanWatch? _watch;
    private TranslatorHost? _tun;
    private long _dropsShown;

    /// <summary>The vendor object under Device.MAP. holding the DHCPv6 client's drops, one counter per reason.</summary>
    public const string Dhcpv6DropsObject = "DHCPv6Dropped.";

    public StatusWriter(WanMachine machine, EventLoop loop, ILogger log)
    {
        _machine = machine;
        _loop = loop;
        _log = log;
    }

    /// <summary>The parts whose state the status shows (they are created once the loop runs).</summary>
    public void Attach(Provisioner provisioner, DhcpDriver dhcp, WanWatch watch, TranslatorHost? tun)
    {
        _provisioner = provisioner;
        _dhcp = dhcp;
        _watch = watch;
        _tun = tun;
    }

    /// <summary>The port set's occupancy from the daemon's last conntrack dump (null: none yet).</summary>
    public PortOccupancy? Occupancy { get; set; }

    /// <summary>A state was entered now.</summary>
    public void Entered() => _since = DateTimeOffset.UtcNow;

    /// <summary>
    /// The TR-181 view's input. Also where Interface.Status changes are noticed: every apply and
    /// teardown is followed by a state entry, hence by a snapshot, so the time taken here is the change's.
    /// </summary>
    private StatusSnapshot Snapshot(WanConfig config)
    {
        bool configured = _provisioner?.Applied is not null && _machine.Applied.Length != 0;
        if (_interfaceChangedMs < 0 || configured != _interfaceUp)
        {
            _interfaceUp = configured;
            _interfaceChangedMs = _loop.NowMs;
        }
        string lastError = _provisioner?.LastError ?? "";
        if (lastError.Length == 0 && _dhcp?.Misconfigured == true)
            lastError = _dhcp.MisconfiguredReason;
        var s = new StatusSnapshot
        {
            VendorPrefix = config.VendorPrefix,
            Pid = Environment.ProcessId,
            State = WanDaemon.StateName(_machine.State),
            StateSince = Iso(_since),
            Reason = _machine.Reason,
            LastError = lastError,
            Wan = config.Wan,
            WanInterfacePath = config.Tr181WanInterface?.Text ?? "",
            Ipv6PrefixPath = config.Tr181Ipv6Prefix?.Text ?? "",
            MapDevice = config.MapDevice,
            Translator = WanConfig.TranslatorName(config.Translator),
            Configured = configured,
            Misconfigured = _dhcp?.Misconfigured ?? false,
            InterfaceChangedMs = _interfaceChangedMs,
        };
        if (_dhcp?.Client is Dhcpv6.Dhcpv6Client client)
        {
            for (int r = 0; r < Dhcpv6.Dhcpv6DropReasons.Count; r++)
                s.AddCounter(Tr181View.Root, Dhcpv6DropsObject + Dhcpv6.Dhcpv6DropReasons.Name((Dhcpv6.Dhcpv6DropReason)r), (ulong)client.Dropped((Dhcpv6.Dhcpv6DropReason)r));
            _dropsShown = client.DroppedTotal;
        }
        if (_tun?.Translator is Translator.TunTranslator translator)
        {
            for (int r = 1; r < Translator.TranslatorCounters.DropReasonCount; r++)
            {
                var reason = (Translator.DropReason)r;
                s.AddCounter(Tr181View.InterfaceStats, Tr181View.TranslatorDrops + Translator.TranslatorCounters.Name(reason), (ulong)translator.Counters.Dropped(reason));
            }
            // GSO super-packets translated whole (each also counts as its segments in PacketsSent/Received).
            s.AddCounter(Tr181View.InterfaceStats, "GsoPacketsSent", (ulong)translator.Counters.GsoPacketsSent);
            s.AddCounter(Tr181View.InterfaceStats, "GsoPacketsReceived", (ulong)translator.Counters.GsoPacketsReceived);
        }
        MapContent? shown = _provisioner?.Applied ?? _dhcp?.Offered;
        shown?.FillStatus(s, _provisioner?.Applied is null ? null : _provisioner.AppliedResult); // null while only offered
        if (_provisioner?.AppliedPlan is Provisioning.Plan plan && _provisioner.Applied is not null)
        {
            s.Snat = plan.Remap is { } r
                ? $"remap tcp {r.Tcp.VirtualFirst}-{r.Tcp.VirtualLast} udp {r.Udp.VirtualFirst}-{r.Udp.VirtualLast} icmp {r.Icmp.VirtualFirst}-{r.Icmp.VirtualLast}"
                : "ranges";
            s.Occupancy = Occupancy;
        }
        if (_dhcp?.Lease is Dhcpv6.Lease lease)
        {
            s.LeaseT1 = lease.T1;
            s.LeaseT2 = lease.T2;
            uint valid = 0;
            foreach (var p in lease.Prefixes)
                valid = Math.Max(valid, p.ValidLifetime);
            s.LeaseValid = valid;
            long nowMs = _loop.NowMs;
            DateTimeOffset now = DateTimeOffset.UtcNow;
            s.LeaseObtained = Iso(now.AddMilliseconds(lease.AcquiredAtMs - nowMs));
            s.LeaseExpires = lease.ExpiresAtMs == long.MaxValue ? Tr181View.InfiniteTime : Iso(now.AddMilliseconds(lease.ExpiresAtMs - nowMs));
        }
        return s;
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public void Write(WanConfig config)
    {
        try
        {
            StateFile.Write(config.RunDir, Tr181View.Render(Snapshot(config)));
        }
        catch (Exception e) when (e is PlatformException or System.IO.IOException)
        {
            WanLog.StateFileFailed(_log, StateFile.PathIn(config.RunDir), e.Message);
        }
    }

    /// <summary>
    /// The DHCPv6 drop counters into the state file when they moved: from the flush timer after
    /// each batch of events, so a flood costs one rewrite (in RAM) a second, not one per datagram.
    /// </summary>
    public void RefreshDrops(WanConfig config)
    {
        if (_dhcp?.Client is Dhcpv6.Dhcpv6Client client && client.DroppedTotal != _dropsShown)
            Write(config);
    }

    public void Delete(WanConfig config)
    {
        try
        {
            AtomicFile.Delete(StateFile.PathIn(config.RunDir), durable: false);
        }
        catch (PlatformException e)
        {
            WanLog.StateFileFailed(_log, StateFile.PathIn(config.RunDir), e.Message);
        }
    }

    /// <summary>SIGUSR2's one line: every fact the machine decides on and what the parts hold.</summary>
    public string Dump(string journalPath)
    {
        var text = new StringBuilder();
        text.Append("state=").Append(WanDaemon.StateName(_machine.State)).Append(" since=").Append(Iso(_since))
            .Append(" reason=\"").Append(_machine.Reason).Append('"')
            .Append(" link=").Append(_machine.LinkUp ? "up" : "down")
            .Append(" ipv6=").Append(_machine.Ipv6Ready ? "ready" : "no")
            .Append(" gateway=").Append(WanDaemon.Text(_watch?.Gateway ?? default))
            .Append(" map-device=").Append(_machine.MapDeviceReady ? "present" : "absent")
            .Append(" dhcpv6=").Append(_dhcp?.State?.ToString() ?? "off")
            .Append(" offered=\"").Append(_machine.Offered).Append('"')
            .Append(" applied=\"").Append(_machine.Applied).Append('"')
            .Append(" routes=").Append((_provisioner?.Executor.Owned.Count ?? 0).ToString(CultureInfo.InvariantCulture))
            .Append(" journal=").Append(journalPath)
            .Append(" last-error=\"").Append(_provisioner?.LastError ?? "").Append('"');
        return text.ToString();
    }
}
