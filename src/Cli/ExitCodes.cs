namespace Mapt.Cli;

/// <summary>
/// Process exit codes. Init scripts and field tools branch on these: they are a stable
/// contract, documented in README.md; add new ones, never renumber.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The verb ran and failed (system error, apply failure, daemon error).</summary>
    public const int Failure = 1;
    /// <summary>Unknown verb or flag, bad value, bad configuration: nothing was touched.</summary>
    public const int Usage = 2;

    /// <summary>probe: a lease came back, but without MAP-T (no option 95).</summary>
    public const int ProbeNoMapT = 3;
    /// <summary>probe: no answer within the timeout.</summary>
    public const int ProbeNoAnswer = 4;
    /// <summary>probe: the reply was malformed.</summary>
    public const int ProbeMalformed = 5;

    /// <summary>status: no daemon is running (no state file, or its pid is gone).</summary>
    public const int StatusNotRunning = 3;
}
