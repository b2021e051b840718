using System.Collections.Generic;

namespace Mapt.Apply;

/// <summary>
/// A helper to run: its argv, what goes to its stdin, and how much of its stdout to keep (the
/// rest is read and counted, not kept: see <see cref="ChildResult.StdoutTruncated"/>).
/// </summary>
public sealed record ChildRequest(IReadOnlyList<string> Argv, string Input = "", int OutputCapacity = ChildProcess.DefaultOutputCapacity);
