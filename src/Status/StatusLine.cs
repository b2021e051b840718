namespace Mapt.Status;

/// <summary>One parameter: its full TR-181 path and its value as text.</summary>
public readonly record struct StatusLine(string Path, string Value);
