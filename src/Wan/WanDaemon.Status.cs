using System;
using System.Globalization;
using System.Text;
using Mapt.Status;

namespace Mapt.Wan;

public sealed partial class WanDaemon
{
    private DateTimeOffset _since;

    private StatusSnapshot Snapshot()
    {
        var s = new StatusSnapshot
        {
            Pid = Environment.ProcessId,
            State = StateName(_machine.State),
            StateSince = _since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            StateSinceUnix = _since.ToUnixTimeSeconds(),
            Reason = _machine.Reason,
            LastError = _dhcp?.Misconfigured == true && _provisioner!.LastError.Length == 0 ? _dhcp.MisconfiguredReason : _provisioner?.LastError ?? "",
            Wan = _config.Wan,
            MapDevice = _config.MapDevice,
            Translator = WanConfig.TranslatorName(_config.Translator),
            Configured = _provisioner?.Applied is not null && _machine.Applied.Length != 0,
            Misconfigured = _dhcp?.Misconfigured ?? false,
            InterfaceLastChangeUnix = _provisioner?.LastChangeUnix ?? 0,
        };
        if (_tun?.Translator is Translator.TunTranslator translator)
            for (int r = 1; r < Translator.TranslatorCounters.DropReasonCount; r++)
            {
                var reason = (Translator.DropReason)r;
                s.TranslatorDrops.Add(new(Translator.TranslatorCounters.Name(reason), translator.Counters.Dropped(reason)));
            }
        MapContent? shown = _provisioner?.Applied ?? _dhcp?.Offered;
        shown?.FillStatus(s);
        if (_provisioner?.Applied is not null && _provisioner.AppliedResult is Map.MapResult applied)
        {
            s.Ipv4Address = applied.Ipv4Address.ToString();
            s.MapIpv6Address = applied.MapIpv6Address.ToString();
            s.Psid = "0x" + applied.Psid.ToString("x", CultureInfo.InvariantCulture) + " (k=" + applied.PsidLength.ToString(CultureInfo.InvariantCulture) + ")";
            s.PortSet = MapContent.PortSetText(applied);
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
            s.LeaseExpires = lease.ExpiresAtMs == long.MaxValue ? "never" : Iso(now.AddMilliseconds(lease.ExpiresAtMs - nowMs));
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
            .Append(" gateway=").Append(Text(_watch?.Gateway ?? default))
            .Append(" map-device=").Append(_machine.MapDeviceReady ? "present" : "absent")
            .Append(" dhcpv6=").Append(_dhcp?.State?.ToString() ?? "off")
            .Append(" offered=\"").Append(_machine.Offered).Append('"')
            .Append(" applied=\"").Append(_machine.Applied).Append('"')
            .Append(" routes=").Append((_provisioner?.Executor.Owned.Count ?? 0).ToString(CultureInfo.InvariantCulture))
            .Append(" journal=").Append(new Apply.JournalStore(_config.RunDir).Path)
            .Append(" last-error=\"").Append(_provisioner?.LastError ?? "").Append('"');
        return text.ToString();
    }
}
