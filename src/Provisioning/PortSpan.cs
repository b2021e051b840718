namespace Mapt.Provisioning;

/// <summary>
/// One contiguous run of the CE's port set (RFC 7597 section 5.1: 2^m ports per value of A),
/// First..Last inclusive. The SNAT rules target one span each.
/// </summary>
public readonly record struct PortSpan(int First, int Last)
{
    public int Count => Last - First + 1;

    public override string ToString() => First.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" +
        Last.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
