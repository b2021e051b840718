namespace Mapt.Provisioning;

/// <summary>
/// How new connections are spread over the port set's ranges (one SNAT rule per range and
/// protocol). Measured in tests/bench/provisioning.bench.sh; see docs/notes/provisioning.md.
/// </summary>
public enum SnatStrategy
{
    /// <summary>
    /// `-m statistic --mode nth`: rule i takes every (N - i)-th new connection reaching it, the
    /// last rule takes the rest: new connections go round the ranges in turn.
    /// </summary>
    RoundRobin,
    /// <summary>`-m statistic --mode random` with probability 1/(N - i): uniform over the ranges.</summary>
    Random,
}
