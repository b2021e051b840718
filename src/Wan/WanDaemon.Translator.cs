using Mapt.Map;
using Mapt.Translator;

namespace Mapt.Wan;

public sealed partial class WanDaemon
{
    private TunTranslator? _translator;
    private Platform.TimerHandle? _dropTimer;

    /// <summary>How often drops are logged and shown in the state file: once a minute at most,
    /// and only when something was dropped (an idle translator costs one wake-up a minute).</summary>
    private const long DropReportMs = 60_000;

    private void ArmDropReport()
    {
        _dropTimer = _loop.AddTimerIn(DropReportMs, () =>
        {
            if (_translator is null)
                return;
            if (_translator.ReportDrops())
                WriteStatus();
            ArmDropReport();
        });
    }

    /// <summary>
    /// --translator tun: mapt's own translator on a TUN device, in this loop. Opened at the first
    /// apply, reconfigured on a change; the device lives as long as the fd, so a crash takes it
    /// (and its routes) away and the journal needs no entry for it.
    /// </summary>
    private void StartTranslator(MapResult result, MapContent content, int mtu)
    {
        var config = new TranslatorConfig(new MapAddressing(result, new MapRuleSet(content.Rules, content.Dmr)), mtu);
        if (_translator is not null)
        {
            _translator.Reconfigure(config);
            return;
        }
        _translator = TunTranslator.Open(_config.MapDevice, config, _logs.CreateLogger("Mapt.Translator"));
        TunTranslator t = _translator;
        _loop.AddReader(t.Fd, t.OnReadable, "translator");
        ArmDropReport();
        _mapIndex = _rtnl!.GetLink(_config.MapDevice).Index;
    }

    private void StopTranslator()
    {
        if (_translator is null)
            return;
        _loop.Cancel(_dropTimer);
        _dropTimer = null;
        _translator.ReportDrops();
        _loop.Remove(_translator.Fd);
        _translator.Dispose();
        _translator = null;
    }
}
