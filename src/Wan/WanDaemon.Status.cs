using System;
using System.Globalization;
using System.Text;
using Mapt.Dhcpv6;
using Mapt.Status;

namespace Mapt.Wan;

public sealed partial class WanDaemon
{
    private DateTimeOffset _since;
    private long _dhcpv6DropsShown;

    private StatusSnapshot Snapshot()
    {
        var s = new StatusSnapshot
        {
            Pid = Environment.ProcessId,
            State = StateName(_machine.State),
            StateSince = _since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            StateSinceUnix = _since.ToUnixTimeSeconds(),
            Reason = _machine.Reason,
            LastError = _lastError,
            Wan = _config.Wan,
            MapDevice = _config.MapDevice,
            Translator = WanConfig.TranslatorName(_config.Translator),
            Configured = _applied is not null && _machine.Applied.Length != 0,
            Misconfigured = _misconfigured,
            InterfaceLastChangeUnix = _lastChangeUnix,
        };
        if (_translator is not null)
            for (int r = 1; r < Translator.TranslatorCounters.DropReasonCount; r++)
            {
                var reason = (Translator.DropReason)r;
                s.TranslatorDrops.Add(new(Translator.TranslatorCounters.Name(reason), _translator.Counters.Dropped(reason)));
            }
        if (_client is not null)
        {
            for (int r = 0; r < Dhcpv6DropReasons.Count; r++)
                s.Dhcpv6Drops.Add(new(Dhcpv6DropReasons.Name((Dhcpv6DropReason)r), _client.Dropped((Dhcpv6DropReason)r)));
            _dhcpv6DropsShown = _client.DroppedTotal;
        }
        MapContent? shown = _applied ?? _offered;
        shown?.FillStatus(s);
        if (_applied is not null && _appliedResult is not null)
        {
            s.Ipv4Address = _appliedResult.Ipv4Address.ToString();
            s.MapIpv6Address = _appliedResult.MapIpv6Address.ToString();
            s.Psid = "0x" + _appliedResult.Psid.ToString("x", CultureInfo.InvariantCulture) + " (k=" + _appliedResult.PsidLength.ToString(CultureInfo.InvariantCulture) + ")";
            s.PortSet = MapContent.PortSetText(_appliedResult);
        }
        if (_lease is not null)
        {
            s.LeaseT1 = _lease.T1;
            s.LeaseT2 = _lease.T2;
            uint valid = 0;
            foreach (var p in _lease.Prefixes)
                valid = Math.Max(valid, p.ValidLifetime);
            s.LeaseValid = valid;
            long nowMs = _loop.NowMs;
            DateTimeOffset now = DateTimeOffset.UtcNow;
            s.LeaseObtained = Iso(now.AddMilliseconds(_lease.AcquiredAtMs - nowMs));
            s.LeaseExpires = _lease.ExpiresAtMs == long.MaxValue ? "never" : Iso(now.AddMilliseconds(_lease.ExpiresAtMs - nowMs));
        }
        return s;
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private void WriteStatus()
    {
        try
        {
            StateFile.Write(_config.RunDir, Tr181View.Render(Snapshot()));
        }
        catch (Exception e) when (e is Platform.PlatformException or System.IO.IOException)
        {
            WanLog.StateFileFailed(_log, StateFile.PathIn(_config.RunDir), e.Message);
        }
    }

    /// <summary>
    /// The DHCPv6 drop counters into the state file when they moved: from the flush timer after
    /// each batch of events, so a flood costs one rewrite (in RAM) a second, not one per datagram.
    /// </summary>
    private void RefreshDhcpv6Drops()
    {
        if (_client is not null && _client.DroppedTotal != _dhcpv6DropsShown)
            WriteStatus();
    }

    private void DeleteStatus()
    {
        try
        {
            Platform.AtomicFile.Delete(StateFile.PathIn(_config.RunDir), durable: false);
        }
        catch (Platform.PlatformException e)
        {
            WanLog.StateFileFailed(_log, StateFile.PathIn(_config.RunDir), e.Message);
        }
    }

    private string DumpText()
    {
        var text = new StringBuilder();
        text.Append("state=").Append(StateName(_machine.State)).Append(" since=").Append(Iso(_since))
            .Append(" reason=\"").Append(_machine.Reason).Append('"')
            .Append(" link=").Append(_machine.LinkUp ? "up" : "down")
            .Append(" ipv6=").Append(_machine.Ipv6Ready ? "ready" : "no")
            .Append(" gateway=").Append(Text(_wanGateway))
            .Append(" map-device=").Append(_machine.MapDeviceReady ? "present" : "absent")
            .Append(" dhcpv6=").Append(_client is null ? "off" : _client.State.ToString())
            .Append(" offered=\"").Append(_machine.Offered).Append('"')
            .Append(" applied=\"").Append(_machine.Applied).Append('"')
            .Append(" routes=").Append(_owned.Count.ToString(CultureInfo.InvariantCulture))
            .Append(" journal=").Append(_journalStore.Path)
            .Append(" last-error=\"").Append(_lastError).Append('"');
        return text.ToString();
    }
}
