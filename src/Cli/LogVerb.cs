using System;
using CommandLine;

namespace Mapt.Cli;

[Verb("log", HelpText = "Read the log ring on flash (works without a running daemon).")]
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
    public static int Execute(LogOptions options)
    {
        Console.Error.WriteLine("mapt log: not available in this build yet");
        return ExitCodes.Failure;
    }
}
