using System.IO;
using Mapt.Wan;

namespace Mapt.Cli;

/// <summary>The daemon's settings from defaults, the config file, then the flags (flags win).</summary>
internal static class RunConfig
{
    public static WanConfig LoadForTeardown(string? file, string? flashDir, string? runDir)
    {
        WanConfig config = FromFile(file);
        Flag(config, "flash-dir", flashDir);
        Flag(config, "run-dir", runDir);
        return config;
    }

    public static WanConfig Load(string? file, string? wan, string? mapDev, string? flashDir, string? runDir,
        string? translator, string? nat46Control, string? logLevel, string? snat = null, string? remapKeep = null)
    {
        WanConfig config = FromFile(file);
        Flag(config, "wan", wan);
        Flag(config, "map-dev", mapDev);
        Flag(config, "flash-dir", flashDir);
        Flag(config, "run-dir", runDir);
        Flag(config, "translator", translator);
        Flag(config, "nat46-control", nat46Control);
        Flag(config, "log-level", logLevel);
        Flag(config, "snat", snat);
        Flag(config, "remap-keep", remapKeep);
        WanConfigFile.Check(config);
        return config;
    }

    private static WanConfig FromFile(string? file)
    {
        var config = new WanConfig();
        if (file is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException e)
            {
                throw new ConfigError(file, 0, "cannot read: " + e.Message);
            }
            catch (System.UnauthorizedAccessException e)
            {
                throw new ConfigError(file, 0, "cannot read: " + e.Message);
            }
            WanConfigFile.Apply(config, text, file);
        }
        return config;
    }

    private static void Flag(WanConfig config, string key, string? value)
    {
        if (value is null)
            return;
        try
        {
            WanConfigFile.Set(config, key, value, "", 0);
        }
        catch (ConfigError e)
        {
            // Said as the flag, not as a config key.
            throw new ConfigError("", 0, "--" + e.Reason);
        }
    }
}
