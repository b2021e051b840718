namespace Mapt.Status;

/// <summary>One parameter: its full TR-181 path, its value as text and its TR-106 type.</summary>
public readonly record struct StatusLine(string Path, string Value, ParamType Type = ParamType.String);
