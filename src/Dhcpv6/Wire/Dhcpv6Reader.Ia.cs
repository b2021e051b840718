using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Mapt.Dhcpv6.Wire;

public ref partial struct Dhcpv6Reader
{
    /// <summary>IA_PD with its IAPREFIX and STATUS_CODE sub-options (RFC 8415 section 21.21, 21.22).</summary>
    public static bool TryReadIaPd(Dhcpv6Option option, out IaPd ia, out ParseError error)
    {
        ia = null!;
        ReadOnlySpan<byte> body = option.Body;
        if (body.Length < 12)
        {
            error = option.Error(0, "IA_PD needs 12 bytes of IAID, T1 and T2, option-len is " + body.Length);
            return false;
        }
        uint iaId = BinaryPrimitives.ReadUInt32BigEndian(body);
        uint t1 = BinaryPrimitives.ReadUInt32BigEndian(body.Slice(4));
        uint t2 = BinaryPrimitives.ReadUInt32BigEndian(body.Slice(8));
        var prefixes = new List<DelegatedPrefix>();
        Dhcpv6StatusCode status = Dhcpv6StatusCode.Success;
        string message = "";
        var sub = new Dhcpv6Reader(body.Slice(12), option.BodyOffset + 12);
        while (!sub.End)
        {
            if (!sub.TryReadOption(out Dhcpv6Option o, out error))
                return false;
            if (o.Code == Dhcpv6OptionCode.IaPrefix)
            {
                if (!TryReadIaPrefix(o, out DelegatedPrefix? prefix, out error))
                    return false;
                if (prefixes.Count == Dhcpv6Limits.MaxPrefixesPerIa)
                {
                    error = o.Error(0, "more than " + Dhcpv6Limits.MaxPrefixesPerIa + " IAPREFIX options in one IA_PD");
                    return false;
                }
                prefixes.Add(prefix);
            }
            else if (o.Code == Dhcpv6OptionCode.StatusCode)
            {
                if (!TryReadStatusCode(o, out status, out message, out error))
                    return false;
            }
        }
        ia = new IaPd(iaId, t1, t2, prefixes.ToArray(), status, message);
        error = default;
        return true;
    }

    /// <summary>IAPREFIX: preferred(32) valid(32) prefix-length(8) prefix(128) (RFC 8415 section 21.22).</summary>
    public static bool TryReadIaPrefix(Dhcpv6Option option, out DelegatedPrefix prefix, out ParseError error)
    {
        prefix = null!;
        ReadOnlySpan<byte> body = option.Body;
        if (body.Length < 25)
        {
            error = option.Error(0, "IAPREFIX needs 25 bytes, option-len is " + body.Length);
            return false;
        }
        byte length = body[8];
        if (length > 128)
        {
            error = option.Error(8, "prefix-length " + length + " is over 128");
            return false;
        }
        // Sub-options of IAPREFIX (a STATUS_CODE) only qualify the prefix; they must frame correctly.
        var sub = new Dhcpv6Reader(body.Slice(25), option.BodyOffset + 25);
        while (!sub.End)
            if (!sub.TryReadOption(out _, out error))
                return false;
        prefix = new DelegatedPrefix(
            ReadPrefix(body.Slice(9, 16), length),
            length,
            BinaryPrimitives.ReadUInt32BigEndian(body),
            BinaryPrimitives.ReadUInt32BigEndian(body.Slice(4)));
        error = default;
        return true;
    }
}
