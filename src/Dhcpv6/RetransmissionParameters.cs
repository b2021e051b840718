namespace Mapt.Dhcpv6;

/// <summary>
/// How one message type is retransmitted (RFC 8415 section 15): at most
/// <see cref="MaxInitialDelayMs"/> of random delay before the first send, initial timeout
/// IRT, cap MRT, at most MRC sends and MRD of total time (0: no limit).
/// </summary>
public sealed class RetransmissionParameters
{
    public RetransmissionParameters(string name, int maxInitialDelayMs, int irtMs, int mrtMs, int mrc, int mrdMs)
    {
        Name = name;
        MaxInitialDelayMs = maxInitialDelayMs;
        IrtMs = irtMs;
        MrtMs = mrtMs;
        Mrc = mrc;
        MrdMs = mrdMs;
    }

    public string Name { get; }
    public int MaxInitialDelayMs { get; }
    public int IrtMs { get; }
    public int MrtMs { get; }
    public int Mrc { get; }
    public int MrdMs { get; }

    public RetransmissionParameters WithMrt(int mrtMs) => new(Name, MaxInitialDelayMs, IrtMs, mrtMs, Mrc, MrdMs);
}
