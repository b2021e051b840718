namespace Mapt.Wan;

/// <summary>One thing the shell must do, with the reason to log beside it.</summary>
public readonly record struct WanAction(WanActionKind Kind, string Reason);
