using System.Collections.Generic;

namespace Mapt.Logging;

/// <summary>
/// Test-only: every line the provider formats, as the flash ring would store it (without
/// '\n'), whatever the sinks' levels. Not referenced by product code, so trimming drops it.
/// </summary>
internal sealed class LogCapture
{
    public List<string> Lines { get; } = new();

    /// <summary>The parsed lines, for assertions on level, event id and category.</summary>
    public List<FlashLine> Parsed()
    {
        var parsed = new List<FlashLine>();
        foreach (string line in Lines)
            if (FlashLine.TryParse(System.Text.Encoding.UTF8.GetBytes(line), out FlashLine? l))
                parsed.Add(l!);
        return parsed;
    }
}
