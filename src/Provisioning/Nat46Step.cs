using System.Collections.Generic;

namespace Mapt.Provisioning;

/// <summary>
/// One write to the nat46 control file and what the device must hold after it, head pair first
/// (null: the device must be gone). nat46 never reports a failed write, so this expectation
/// is the only check there is.
/// </summary>
public sealed record Nat46Step(string Command, string Device, IReadOnlyList<Nat46Pair>? ExpectedPairs);
