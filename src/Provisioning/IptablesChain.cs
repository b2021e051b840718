using System.Collections.Generic;

namespace Mapt.Provisioning;

/// <summary>One of mapt's own chains (named MAPT_*) with its rules, each without "-A NAME".</summary>
public sealed record IptablesChain(string Table, string Name, IReadOnlyList<string> Rules);
