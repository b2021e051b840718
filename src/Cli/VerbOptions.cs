using System.Collections.Generic;
using CommandLine;

namespace Mapt.Cli;

/// <summary>
/// What every verb's options share. CommandLineParser silently drops words that are neither a
/// flag nor a declared value; they are collected here so that a mistyped command line
/// ("mapt calc 2001:db8::/40") is refused instead of half-understood.
/// </summary>
internal abstract class VerbOptions
{
    [Value(0, Hidden = true, MetaName = "stray")]
    public IEnumerable<string> Stray { get; set; } = new List<string>();
}
