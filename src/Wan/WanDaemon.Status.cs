using System;
using System.Globalization;
using System.Text;
using Mapt.Status;

namespace Mapt.Wan;

public sealed partial class WanDaemon
{
    private DateTimeOffset _since;
    private bool _interfaceUp;
    private long _interfaceChangedMs = -1;

    /// <summary>
    /// The TR-181 view's input. Also where Interface.Status changes are noticed: every apply and
    /// teardown is followed by a state entry, hence by a snapshot, so the time taken here is the
    /// change's (on the monotonic clock: a CPE's wall clock jumps when NTP first sets it).
    /// </summary>
    private StatusSnapshot Snapshot()
    {
        bool configured = _applied is not null && _machine.Applied.Length != 0;
        if (_interfaceChangedMs < 0 || configured != _interfaceUp)
        {
            _interfaceUp = configured;
            _interfaceChangedMs = _loop.NowMs;
        }
        var s = new StatusSnapshot
        {
            VendorPrefix = _config.VendorPrefix,
            Pid = Environment.ProcessId,
            State = StateName(_machine.State),
            StateSince = Iso(_since),
            Reason = _machine.Reason,
            LastError = _lastError,
            Wan = _config.Wan,
            WanInterfacePath = _config.Tr181WanInterface?.Text ?? "",
            Ipv6PrefixPath = _config.Tr181Ipv6Prefix?.Text ?? "",
            MapDevice = _config.MapDevice,
            Translator = WanConfig.TranslatorName(_config.Translator),
            Configured = configured,
            Misconfigured = _misconfigured,
            InterfaceChangedMs = _interfaceChangedMs,
        };
        if (_translator is not null)
            for (int r = 1; r < Translator.TranslatorCounters.DropReasonCount; r++)
            {
                var reason = (Translator.DropReason)r;
                s.AddCounter(Tr181View.InterfaceStats, Tr181View.TranslatorDrops + Translator.TranslatorCounters.Name(reason), (ulong)_translator.Counters.Dropped(reason));
            }
        MapContent? shown = _applied ?? _offered;
        shown?.FillStatus(s, _appliedResult); // set with _applied, so null while only offered
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
            s.LeaseExpires = _lease.ExpiresAtMs == long.MaxValue ? Tr181View.InfiniteTime : Iso(now.AddMilliseconds(_lease.ExpiresAtMs - nowMs));
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
