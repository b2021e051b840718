namespace Mapt.Net;

/// <summary>Why an address or prefix given as text was refused.</summary>
public enum NetParseError
{
    None = 0,
    Empty,
    /// <summary>Not a dotted-quad IPv4 address.</summary>
    BadIpv4Address,
    /// <summary>Not an IPv6 address in RFC 4291 section 2.2 text form.</summary>
    BadIpv6Address,
    /// <summary>A prefix without "/LEN".</summary>
    MissingLength,
    /// <summary>"/LEN" is not a decimal number.</summary>
    BadLength,
    /// <summary>"/LEN" is longer than the address (32 or 128).</summary>
    LengthOutOfRange,
    /// <summary>
    /// Bits are set past the prefix length (192.0.2.1/24): on the command line or in a config
    /// file that is a typo more often than not, so it is refused rather than silently masked.
    /// </summary>
    BitsPastLength,
}

/// <summary>Operator-facing text for <see cref="NetParseError"/>.</summary>
public static class NetParseErrors
{
    public static string Describe(NetParseError error) => error switch
    {
        NetParseError.None => "no error",
        NetParseError.Empty => "empty",
        NetParseError.BadIpv4Address => "not an IPv4 address (expected a.b.c.d)",
        NetParseError.BadIpv6Address => "not an IPv6 address",
        NetParseError.MissingLength => "no prefix length (expected ADDRESS/LEN)",
        NetParseError.BadLength => "the prefix length is not a number",
        NetParseError.LengthOutOfRange => "the prefix length is out of range",
        NetParseError.BitsPastLength => "bits are set past the prefix length",
        _ => "parse error " + ((int)error).ToString(),
    };
}
