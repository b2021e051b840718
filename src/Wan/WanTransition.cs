namespace Mapt.Wan;

/// <summary>A state entry: logged by the shell as "From -> To: Reason".</summary>
public readonly record struct WanTransition(WanState From, WanState To, string Reason);
