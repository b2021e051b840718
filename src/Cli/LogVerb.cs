using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using CommandLine;
using Mapt.Logging;
using Microsoft.Extensions.Logging;

namespace Mapt.Cli;

[Verb("log", HelpText = "Read the flash log, both rings in time order (works without a running daemon).")]
internal sealed class LogOptions : VerbOptions
{
    [Option("flash-dir", MetaValue = "DIR", HelpText = "The flash log directory.")]
    public string? FlashDir { get; set; }

    [Option("boot", MetaValue = "0|-1|-2...", HelpText = "Which boot: 0 the newest (default), -1 the one before, ...")]
    public string? Boot { get; set; }

    [Option("all", HelpText = "Every boot in the ring.")]
    public bool All { get; set; }

    [Option("since", MetaValue = "TIME", HelpText = "Only lines at or after this UTC time (2026-11-26T14:00:00Z).")]
    public string? Since { get; set; }

    [Option("level", MetaValue = "trace|debug|info|warn|error|crit", HelpText = "Only lines at or above this level.")]
    public string? Level { get; set; }

    [Option("follow", HelpText = "Keep printing new lines as they are written.")]
    public bool Follow { get; set; }

    [Option("json", HelpText = "One JSON object per line.")]
    public bool Json { get; set; }
}

internal static class LogVerb
{
    private const int FollowPollMs = 500;

    public static int Execute(LogOptions options)
    {
        LogQuery query = ToQuery(options);
        string dir = options.FlashDir ?? LoggingOptions.DefaultFlashDir;
        FlashLogContents contents = FlashLogContents.Read(dir);
        if (!contents.Found && !options.Follow)
        {
            Console.Error.WriteLine($"mapt log: no flash log in {dir} (no readable log.N or run.N segment); nothing to show");
            return ExitCodes.Failure;
        }
        var lines = new List<FlashLine>();
        if (!query.TrySelect(contents, lines))
        {
            int boots = contents.Boots().Count;
            Console.Error.WriteLine(boots == 0
                ? $"mapt log: the ring in {dir} holds no log lines yet"
                : $"mapt log: boot {query.Boot} is not in the ring in {dir}: it holds {boots} boot(s), 0 to {1 - boots}");
            return ExitCodes.Failure;
        }
        if (contents.SkippedLines > 0)
            Console.Error.WriteLine($"mapt log: {contents.SkippedLines} unreadable line(s) skipped (torn by a power loss or not in the log layout)");
        Print(lines, options.Json);
        if (!options.Follow)
            return ExitCodes.Success;

        // Until interrupted: what was appended since to either ring, at the same level and time filters.
        FlashLogPosition position = contents.Position;
        while (true)
        {
            Thread.Sleep(FollowPollMs);
            FlashLogContents more = FlashLogContents.ReadAfter(dir, position);
            position = more.Position;
            lines.Clear();
            foreach (FlashLine line in more.Lines)
                if (query.Matches(line))
                    lines.Add(line);
            Print(lines, options.Json);
        }
    }

    private static LogQuery ToQuery(LogOptions options)
    {
        int boot = 0;
        if (options.Boot is not null)
        {
            if (options.All)
                throw new UsageException("--boot and --all cannot be combined: --all shows every boot");
            if (!LogQuery.TryParseBoot(options.Boot, out boot))
                throw new UsageException($"--boot: '{options.Boot}' is not valid (expected 0|-1|-2...: 0 the newest boot, -1 the one before)");
        }
        LogLevel level = LogLevel.Trace;
        if (options.Level is not null && !LogLevelWords.TryParse(options.Level, out level))
            throw new UsageException($"--level: '{options.Level}' is not valid (expected trace|debug|info|warn|error|crit)");
        string? since = null;
        if (options.Since is not null && !LogQuery.TryNormalizeTime(options.Since, out since))
            throw new UsageException($"--since: '{options.Since}' is not valid (expected a UTC time: 2026-11-26T14:00:00Z, 2026-11-26T14:00 or 2026-11-26)");
        return new LogQuery { Boot = boot, AllBoots = options.All, Since = since, MinLevel = level };
    }

    private static void Print(List<FlashLine> lines, bool json)
    {
        if (lines.Count == 0)
            return;
        var text = new StringBuilder();
        foreach (FlashLine line in lines)
        {
            text.Append(json ? line.ToJson() : line.ToString());
            text.Append('\n');
        }
        Console.Out.Write(text.ToString());
        Console.Out.Flush();
    }
}
