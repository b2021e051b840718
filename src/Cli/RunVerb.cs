using System;
using System.IO;
using CommandLine;
using Mapt.Logging;
using Mapt.Platform;
using Mapt.Wan;
using Microsoft.Extensions.Logging;

namespace Mapt.Cli;

[Verb("run", HelpText = "Run the MAP-T CE daemon on the WAN interface (foreground unless --daemon).")]
internal sealed class RunOptions : VerbOptions
{
    [Option("wan", MetaValue = "IFNAME", HelpText = "WAN interface.")]
    public string? Wan { get; set; }

    [Option("map-dev", MetaValue = "IFNAME", HelpText = "MAP-T translator device name.")]
    public string? MapDev { get; set; }

    [Option("flash-dir", MetaValue = "DIR", HelpText = "Persistent directory: logs, DUID, lease.")]
    public string? FlashDir { get; set; }

    [Option("run-dir", MetaValue = "DIR", HelpText = "Runtime directory (tmpfs): journal, lock, state file.")]
    public string? RunDir { get; set; }

    [Option("translator", MetaValue = "nat46|none|tun", HelpText = "Who translates: the nat46 module, someone else's device, or mapt's own TUN translator.")]
    public string? Translator { get; set; }

    [Option("snat", MetaValue = "ranges|remap", HelpText = "SNAT per port range (default), or into one virtual range that mapt's translator remaps onto the port set (--translator tun only).")]
    public string? Snat { get; set; }

    [Option("remap-keep", MetaValue = "tcp:PORT,udp:PORT", HelpText = "With --snat remap: ports of the set left as they are, for port forwards written on real ports.")]
    public string? RemapKeep { get; set; }

    [Option("nat46-control", MetaValue = "PATH", HelpText = "nat46 control file (default /proc/net/nat46/control).")]
    public string? Nat46Control { get; set; }

    [Option("config", MetaValue = "FILE", HelpText = "Configuration file (key = value).")]
    public string? Config { get; set; }

    [Option("foreground", HelpText = "Stay in the foreground (the default).")]
    public bool Foreground { get; set; }

    [Option("daemon", HelpText = "Detach from the terminal.")]
    public bool Daemon { get; set; }

    [Option("pidfile", MetaValue = "FILE", HelpText = "With --daemon: write the pid here.")]
    public string? PidFile { get; set; }

    [Option("log-level", MetaValue = "trace|debug|info|warn|error", HelpText = "Console log level (default info).")]
    public string? LogLevel { get; set; }
}

internal static class RunVerb
{
    public static int Execute(RunOptions options)
    {
        WanConfig config;
        MapContent? staticContent;
        try
        {
            config = RunConfig.Load(options.Config, options.Wan, options.MapDev, options.FlashDir, options.RunDir,
                options.Translator, options.Nat46Control, options.LogLevel, options.Snat, options.RemapKeep);
            staticContent = StaticMap.From(config);
        }
        catch (ConfigError e)
        {
            // Before anything touches the system: exit 2 with the file, the line and the reason.
            Console.Error.WriteLine("mapt run: " + e.Message + "; nothing was changed");
            return ExitCodes.Usage;
        }
        if (options.Daemon && options.Foreground)
        {
            Console.Error.WriteLine("mapt run: --daemon and --foreground contradict each other");
            return ExitCodes.Usage;
        }
        // Then what the system must give: the capabilities (the shim cut the rest before main),
        // directories only root can write to, the one-instance lock. All before anything is
        // touched, and before detaching, so the init script that started it sees the refusal.
        if (Refuse("run") is int refused)
            return refused;
        MakeAbsolute(config, options);
        foreach ((string dir, string role) in new[] { (config.FlashDir, "flash directory"), (config.RunDir, "run directory") })
            if (SafeDirectory.Prepare(dir, role) is string unsafeDir)
            {
                Console.Error.WriteLine("mapt run: " + unsafeDir + "; nothing was changed");
                return ExitCodes.Failure;
            }
        using InstanceLock? instance = TakeInstanceLock(config.RunDir);
        if (instance is null)
            return ExitCodes.Failure;
        // The flash directory too (the log ring, the DUID and the lease are there): a second mapt
        // with another run directory, a mistyped init script, must not share them. A flash that
        // cannot hold the lock (read-only) does not stop MAP-T.
        using InstanceLock? flash = TakeFlashLock(config.FlashDir, out bool flashHeld);
        if (flashHeld)
            return ExitCodes.Failure;
        if (options.Daemon)
        {
            instance.Dispose();
            flash?.Dispose();
            return Detach.Spawn(options.PidFile);
        }
        // Every path is absolute now: the daemon holds no directory of its starter's busy.
        unsafe
        {
            fixed (byte* root = "/\0"u8)
                Tmds.Linux.LibC.chdir(root);
        }

        LogLevelWords.TryParse(config.LogLevel, out LogLevel level);
        using MaptLoggerFactory logs = MaptLogging.CreateFactory(new LoggingOptions { FlashDir = config.FlashDir, ConsoleLevel = level });
        Privileges.Log(logs.CreateLogger("Mapt.Platform"));
        try
        {
            // Only now, with the locks held: a pid file always names the instance that owns the
            // run and flash directories (the starter of --daemon waits for it).
            if (options.PidFile is not null)
                AtomicFile.Write(options.PidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n", durable: false);
            using var daemon = new WanDaemon(config, staticContent, logs);
            return daemon.Run();
        }
        catch (Exception e) when (e is MaptException or IOException or UnauthorizedAccessException)
        {
            WanLog.Fatal(logs.CreateLogger("Mapt.Wan"), e.Message);
            return ExitCodes.Failure;
        }
        finally
        {
            if (options.PidFile is not null)
                AtomicFile.Delete(options.PidFile, durable: false);
        }
    }

    /// <summary>
    /// The exit code and the reason on stderr when this process lacks what `mapt VERB` needs
    /// (a capability, root, the reduction the shim makes); null when it may go on.
    /// </summary>
    internal static int? Refuse(string verb)
    {
        string? refusal = Privileges.Refusal();
        if (refusal is null)
            return null;
        Console.Error.WriteLine($"mapt {verb}: {refusal}; nothing was changed");
        return ExitCodes.Failure;
    }

    // The daemon runs in "/" (and a SIGHUP re-reads the configuration file later): every path
    // it was given is made absolute against the directory it was started in.
    private static void MakeAbsolute(WanConfig config, RunOptions options)
    {
        config.FlashDir = Path.GetFullPath(config.FlashDir);
        config.RunDir = Path.GetFullPath(config.RunDir);
        config.Nat46Control = Path.GetFullPath(config.Nat46Control);
        if (config.File.Length != 0)
            config.File = Path.GetFullPath(config.File);
        if (options.PidFile is not null)
            options.PidFile = Path.GetFullPath(options.PidFile);
    }

    /// <summary>The lock on the flash directory; <paramref name="held"/> when another mapt has it (said on stderr). Null also when the flash cannot be locked.</summary>
    private static InstanceLock? TakeFlashLock(string flashDir, out bool held)
    {
        held = false;
        try
        {
            InstanceLock? taken = InstanceLock.TryTake(flashDir, out int holder);
            if (taken is null)
            {
                held = true;
                Console.Error.WriteLine($"mapt run: another mapt ({InstanceLock.Describe(holder)}) holds {Path.Combine(flashDir, InstanceLock.FileName)}: it is running on this flash directory; stop it with SIGTERM first; nothing was changed");
            }
            return taken;
        }
        catch (PlatformException)
        {
            return null; // read-only or full flash: the run directory's lock still guards the journal
        }
    }

    /// <summary>The one-instance lock in the run directory (beside the journal), or null with the reason on stderr.</summary>
    internal static InstanceLock? TakeInstanceLock(string runDir, string verb = "run")
    {
        try
        {
            InstanceLock? taken = InstanceLock.TryTake(runDir, out int holder);
            if (taken is null)
                Console.Error.WriteLine($"mapt {verb}: another mapt ({InstanceLock.Describe(holder)}) holds {Path.Combine(runDir, InstanceLock.FileName)}: it is running on this run directory; stop it with SIGTERM first; nothing was changed");
            return taken;
        }
        catch (PlatformException e)
        {
            Console.Error.WriteLine($"mapt {verb}: {e.Message}; nothing was changed");
            return null;
        }
    }
}
