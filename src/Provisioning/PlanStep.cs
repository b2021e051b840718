namespace Mapt.Provisioning;

/// <summary>
/// One ordered step of a bring-up or teardown. <see cref="Text"/> is exactly what is written
/// (the nat46 command, the restore text) or, for netlink and sysctl steps, the change in
/// `ip`/`sysctl` words; the structured fields carry the same values for the executor.
/// </summary>
public sealed record PlanStep(PlanStepKind Kind, string Text)
{
    public Nat46Step? Nat46 { get; init; }
    /// <summary>Link: the device; Route: the output device.</summary>
    public string? Device { get; init; }
    /// <summary>Link: MTU to set (0: leave).</summary>
    public int Mtu { get; init; }
    /// <summary>Link: bring up (true) or down; Route: add (true) or delete.</summary>
    public bool Up { get; init; }
    /// <summary>Route: destination prefix text ("0.0.0.0/0", "2001:db8::1/128").</summary>
    public string? Destination { get; init; }
    /// <summary>Sysctl: key ("net.ipv6.conf.all.forwarding").</summary>
    public string? Key { get; init; }
    /// <summary>Sysctl: value to write; null on undo means "the value read before setup".</summary>
    public string? Value { get; init; }
}
