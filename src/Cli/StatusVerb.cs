using System;
using CommandLine;

namespace Mapt.Cli;

[Verb("status", HelpText = "The TR-181 Device.MAP. view of the running daemon.")]
internal sealed class StatusOptions : VerbOptions
{
    [Option("run-dir", MetaValue = "DIR", HelpText = "The daemon's runtime directory.")]
    public string? RunDir { get; set; }

    [Option("json", HelpText = "Print one JSON object instead of text.")]
    public bool Json { get; set; }
}

internal static class StatusVerb
{
    public static int Execute(StatusOptions options)
    {
        Console.Error.WriteLine("mapt status: not available in this build yet");
        return ExitCodes.Failure;
    }
}
