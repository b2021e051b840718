using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Mapt.Dhcpv6.Wire;

public ref partial struct Dhcpv6Reader
{
    /// <summary>
    /// S46_CONT_MAPT (RFC 7598 section 5.2): one or more S46_RULE and exactly one S46_DMR.
    /// Any fault in any sub-option rejects the whole container: a partial MAP domain would
    /// map traffic the BR does not expect. Unknown sub-options are skipped.
    /// </summary>
    public static bool TryReadMaptContainer(Dhcpv6Option option, out S46MaptContainer container, out ParseError error)
    {
        container = null!;
        var rules = new List<S46Rule>();
        S46Dmr? dmr = null;
        int dmrCount = 0;
        var sub = new Dhcpv6Reader(option.Body, option.BodyOffset);
        while (!sub.End)
        {
            if (!sub.TryReadOption(out Dhcpv6Option o, out error))
                return false;
            if (o.Code == S46OptionCode.Rule)
            {
                if (!TryReadRule(o, out S46Rule rule, out error))
                    return false;
                if (rules.Count == Dhcpv6Limits.MaxRulesPerContainer)
                {
                    error = o.Error(0, "more than " + Dhcpv6Limits.MaxRulesPerContainer + " S46_RULE options");
                    return false;
                }
                rules.Add(rule);
            }
            else if (o.Code == S46OptionCode.Dmr)
            {
                if (!TryReadDmr(o, out dmr, out error))
                    return false;
                dmrCount++;
            }
        }
        if (rules.Count == 0)
        {
            error = option.Error(0, "no S46_RULE; RFC 7598 section 5.2 requires at least one");
            return false;
        }
        if (dmrCount != 1)
        {
            error = option.Error(0, dmrCount + " S46_DMR options; RFC 7598 section 5.2 requires exactly one");
            return false;
        }
        container = new S46MaptContainer(rules.ToArray(), dmr!);
        error = default;
        return true;
    }

    /// <summary>
    /// S46_RULE: flags(8) ea-len(8) prefix4-len(8) ipv4-prefix(32) prefix6-len(8)
    /// ipv6-prefix(ceil(prefix6-len/8) bytes) sub-options (RFC 7598 section 4.1).
    /// </summary>
    public static bool TryReadRule(Dhcpv6Option option, out S46Rule rule, out ParseError error)
    {
        rule = null!;
        ReadOnlySpan<byte> body = option.Body;
        if (body.Length < 8)
        {
            error = option.Error(0, "S46_RULE needs at least 8 bytes, option-len is " + body.Length);
            return false;
        }
        byte eaLength = body[1], prefix4Length = body[2], prefix6Length = body[7];
        if (eaLength > Dhcpv6Limits.MaxEaLength)
        {
            error = option.Error(1, "ea-len " + eaLength + " is over 48");
            return false;
        }
        if (prefix4Length > 32)
        {
            error = option.Error(2, "prefix4-len " + prefix4Length + " is over 32");
            return false;
        }
        if (prefix6Length > 128)
        {
            error = option.Error(7, "prefix6-len " + prefix6Length + " is over 128");
            return false;
        }
        int prefixBytes = PrefixBytes(prefix6Length);
        if (body.Length < 8 + prefixBytes)
        {
            error = option.Error(7, "prefix6-len " + prefix6Length + " needs " + prefixBytes + " prefix byte(s), only " + (body.Length - 8) + " present");
            return false;
        }
        S46PortParameters? portParameters = null;
        var sub = new Dhcpv6Reader(body.Slice(8 + prefixBytes), option.BodyOffset + 8 + prefixBytes);
        while (!sub.End)
        {
            if (!sub.TryReadOption(out Dhcpv6Option o, out error))
                return false;
            if (o.Code != S46OptionCode.PortParams)
                continue;
            if (portParameters.HasValue)
            {
                error = o.Error(0, "a second S46_PORTPARAMS in one S46_RULE");
                return false;
            }
            if (!TryReadPortParameters(o, out S46PortParameters p, out error))
                return false;
            portParameters = p;
        }
        rule = new S46Rule(body[0], eaLength, prefix4Length, BinaryPrimitives.ReadUInt32BigEndian(body.Slice(3)),
            prefix6Length, ReadPrefix(body.Slice(8), prefix6Length), portParameters);
        error = default;
        return true;
    }

    /// <summary>S46_PORTPARAMS: offset(8) PSID-len(8) PSID(16, left-aligned) (RFC 7598 section 4.5, RFC 7597 section 5.1).</summary>
    public static bool TryReadPortParameters(Dhcpv6Option option, out S46PortParameters parameters, out ParseError error)
    {
        parameters = default;
        ReadOnlySpan<byte> body = option.Body;
        if (body.Length != 4)
        {
            error = option.Error(0, "S46_PORTPARAMS needs option-len 4, got " + body.Length);
            return false;
        }
        byte offset = body[0], psidLength = body[1];
        if (offset > Map.PortParameters.MaxPsidOffsetOnTheWire)
        {
            error = option.Error(0, "offset " + offset + " is over " + Map.PortParameters.MaxPsidOffsetOnTheWire);
            return false;
        }
        if (psidLength > 16 || offset + psidLength > 16)
        {
            error = option.Error(1, "offset " + offset + " + PSID-len " + psidLength + " is over 16 (RFC 7597 section 5.1)");
            return false;
        }
        parameters = new S46PortParameters(offset, psidLength, BinaryPrimitives.ReadUInt16BigEndian(body.Slice(2)));
        error = default;
        return true;
    }

    /// <summary>S46_DMR: dmr-prefix6-len(8) and its prefix bytes (RFC 7598 section 4.3; length capped at 96 by RFC 6052 section 2.2 and erratum 4865).</summary>
    public static bool TryReadDmr(Dhcpv6Option option, out S46Dmr dmr, out ParseError error)
    {
        dmr = null!;
        ReadOnlySpan<byte> body = option.Body;
        if (body.Length < 1)
        {
            error = option.Error(0, "S46_DMR is empty");
            return false;
        }
        byte length = body[0];
        if (length > 96)
        {
            error = option.Error(0, "dmr-prefix6-len " + length + " is over 96 (RFC 6052 section 2.2, RFC 7598 erratum 4865)");
            return false;
        }
        int prefixBytes = PrefixBytes(length);
        if (body.Length != 1 + prefixBytes)
        {
            error = option.Error(0, "dmr-prefix6-len " + length + " needs option-len " + (1 + prefixBytes) + ", got " + body.Length);
            return false;
        }
        dmr = new S46Dmr(length, ReadPrefix(body.Slice(1), length));
        error = default;
        return true;
    }
}
