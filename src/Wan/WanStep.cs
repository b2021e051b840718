using System.Collections.Generic;

namespace Mapt.Wan;

/// <summary>What one event did: the states entered and the actions to run, both in order.</summary>
public sealed class WanStep
{
    public List<WanTransition> Transitions { get; } = new();
    public List<WanAction> Actions { get; } = new();
}
