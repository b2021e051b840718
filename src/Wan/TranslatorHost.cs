using System;
using Mapt.Apply;
using Mapt.Platform;
using Mapt.Provisioning;
using Mapt.Translator;
using Microsoft.Extensions.Logging;

namespace Mapt.Wan;

/// <summary>
/// --translator tun: mapt's own translator on a persistent TUN device, read by this loop. It
/// runs a plan's <see cref="TunDeviceStep"/>: the device is created (or, after a crash, taken
/// over by name), reconfigured on a change, and removed on teardown or an orderly stop. Drops
/// are reported once a minute at most, and only when something was dropped.
/// </summary>
internal sealed class TranslatorHost : ITunHost, IDisposable
{
    /// <summary>How often drops are logged and shown in the state file: an idle translator costs one wake-up a minute.</summary>
    private const long DropReportMs = 60_000;

    private readonly EventLoop _loop;
    private readonly ILoggerFactory _logs;
    private readonly Action _dropsChanged;
    private TimerHandle? _dropTimer;

    public TranslatorHost(EventLoop loop, ILoggerFactory logs, Action dropsChanged)
    {
        _loop = loop;
        _logs = logs;
        _dropsChanged = dropsChanged;
    }

    public TunTranslator? Translator { get; private set; }

    /// <summary>The mapping the next <see cref="Ensure"/> installs (set by the daemon before it runs a plan).</summary>
    public MapAddressing? Next { get; set; }

    public void Ensure(TunDeviceStep step)
    {
        if (Next is null)
            throw new ApplyException("TUN translator: no mapping to translate with");
        var config = new TranslatorConfig(Next, step.Mtu);
        if (Translator is not null)
        {
            Translator.Reconfigure(config);
            return;
        }
        Translator = TunTranslator.Open(step.Device, config, _logs.CreateLogger("Mapt.Translator"), persistent: true);
        TunTranslator t = Translator;
        _loop.AddReader(t.Fd, t.OnReadable, "translator");
        ArmDropReport();
    }

    public void Remove(string device)
    {
        if (Translator is not null && Translator.DeviceName == device)
            Stop(removeDevice: true);
        else
            TunDevice.Remove(device);
    }

    private void ArmDropReport()
    {
        _dropTimer = _loop.AddTimerIn(DropReportMs, () =>
        {
            if (Translator is null)
                return;
            if (Translator.ReportDrops())
                _dropsChanged();
            ArmDropReport();
        });
    }

    /// <summary>Stops translating; <paramref name="removeDevice"/> (teardown, orderly stop) removes the device too.</summary>
    public void Stop(bool removeDevice)
    {
        if (Translator is null)
            return;
        _loop.Cancel(_dropTimer);
        _dropTimer = null;
        Translator.ReportDrops();
        _loop.Remove(Translator.Fd);
        if (removeDevice)
            Translator.Close();
        else
            Translator.Dispose();
        Translator = null;
    }

    public void Dispose() => Stop(removeDevice: false);
}
