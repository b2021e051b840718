namespace Mapt.Provisioning;

/// <summary>
/// How SNAT spreads new connections over the port set's ranges (one SNAT rule per range and
/// protocol). Measured in tests/bench/provisioning.bench.sh; see docs/notes/provisioning.md.
/// </summary>
public enum SnatStrategy
{
    /// <summary>
    /// Round robin through a balanced tree of `-m statistic --mode nth` chains: every range
    /// takes the same share of new connections, and a new connection walks about 3 x log2(ranges)
    /// rules. What mapt installs.
    /// </summary>
    RoundRobin,
    /// <summary>
    /// mapt 0.1's flat round robin: rule i takes every (N - i)-th new connection reaching it, so
    /// a connection walks up to N rules per protocol. Kept as the benchmark's baseline.
    /// </summary>
    FlatRoundRobin,
    /// <summary>`-m statistic --mode random` with probability 1/(N - i): uniform over the ranges (benchmark baseline).</summary>
    Random,
}
