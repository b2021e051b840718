using System;
using CommandLine;

namespace Mapt.Cli;

[Verb("teardown", HelpText = "Undo everything the journal on flash says mapt applied (init scripts' stop action).")]
internal sealed class TeardownOptions : VerbOptions
{
    [Option("flash-dir", MetaValue = "DIR", HelpText = "Where the journal is kept.")]
    public string? FlashDir { get; set; }

    [Option("run-dir", MetaValue = "DIR", HelpText = "The daemon's runtime directory.")]
    public string? RunDir { get; set; }

    [Option("config", MetaValue = "FILE", HelpText = "Configuration file (key = value).")]
    public string? Config { get; set; }
}

internal static class TeardownVerb
{
    public static int Execute(TeardownOptions options)
    {
        Console.Error.WriteLine("mapt teardown: not available in this build yet");
        return ExitCodes.Failure;
    }
}
