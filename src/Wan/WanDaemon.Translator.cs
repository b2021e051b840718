using Mapt.Map;
using Mapt.Translator;

namespace Mapt.Wan;

public sealed partial class WanDaemon
{
    private TunTranslator? _translator;

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
        _mapIndex = _rtnl!.GetLink(_config.MapDevice).Index;
    }

    private void StopTranslator()
    {
        if (_translator is null)
            return;
        _loop.Remove(_translator.Fd);
        _translator.Dispose();
        _translator = null;
    }
}
