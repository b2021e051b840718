using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace Mapt.Dhcpv6.Wire;

public ref partial struct Dhcpv6Reader
{
    /// <summary>CLIENTID / SERVERID: a DUID of 2..130 bytes (RFC 8415 section 11 and 21.2).</summary>
    public static bool TryReadDuid(Dhcpv6Option option, out byte[] duid, out ParseError error)
    {
        duid = Array.Empty<byte>();
        if (option.Body.Length < 3 || option.Body.Length > Dhcpv6Limits.MaxDuidLength)
        {
            error = option.Error(0, "DUID of " + option.Body.Length + " byte(s); RFC 8415 section 11 allows 3.." + Dhcpv6Limits.MaxDuidLength);
            return false;
        }
        duid = option.Body.ToArray();
        error = default;
        return true;
    }

    /// <summary>STATUS_CODE: code(16) and a UTF-8 message (RFC 8415 section 21.13).</summary>
    public static bool TryReadStatusCode(Dhcpv6Option option, out Dhcpv6StatusCode status, out string message, out ParseError error)
    {
        status = Dhcpv6StatusCode.Success;
        message = "";
        if (option.Body.Length < 2)
        {
            error = option.Error(0, "status-code needs 2 bytes, option-len is " + option.Body.Length);
            return false;
        }
        status = (Dhcpv6StatusCode)BinaryPrimitives.ReadUInt16BigEndian(option.Body);
        message = Printable(option.Body.Slice(2));
        error = default;
        return true;
    }

    /// <summary>PREFERENCE: one byte (RFC 8415 section 21.8).</summary>
    public static bool TryReadPreference(Dhcpv6Option option, out byte preference, out ParseError error)
    {
        preference = 0;
        if (option.Body.Length != 1)
        {
            error = option.Error(0, "pref-value needs option-len 1, got " + option.Body.Length);
            return false;
        }
        preference = option.Body[0];
        error = default;
        return true;
    }

    /// <summary>A 32-bit value option: SOL_MAX_RT, INF_MAX_RT (RFC 8415 section 21.24, 21.25).</summary>
    public static bool TryReadUInt32(Dhcpv6Option option, out uint value, out ParseError error)
    {
        value = 0;
        if (option.Body.Length != 4)
        {
            error = option.Error(0, "needs option-len 4, got " + option.Body.Length);
            return false;
        }
        value = BinaryPrimitives.ReadUInt32BigEndian(option.Body);
        error = default;
        return true;
    }

    /// <summary>DNS_SERVERS: a list of 16-byte addresses (RFC 3646 section 3).</summary>
    public static bool TryReadDnsServers(Dhcpv6Option option, out UInt128[] servers, out ParseError error)
    {
        servers = Array.Empty<UInt128>();
        if (option.Body.Length % 16 != 0 || option.Body.Length / 16 > Dhcpv6Limits.MaxDnsServers)
        {
            error = option.Error(0, "option-len " + option.Body.Length + " is not a multiple of 16 (at most " + Dhcpv6Limits.MaxDnsServers + " addresses)");
            return false;
        }
        servers = new UInt128[option.Body.Length / 16];
        for (int i = 0; i < servers.Length; i++)
            servers[i] = BinaryPrimitives.ReadUInt128BigEndian(option.Body.Slice(i * 16));
        error = default;
        return true;
    }

    /// <summary>DOMAIN_LIST: uncompressed DNS names (RFC 3646 section 4, RFC 8415 section 10).</summary>
    public static bool TryReadDomainList(Dhcpv6Option option, out string[] names, out ParseError error)
    {
        names = Array.Empty<string>();
        var list = new List<string>();
        ReadOnlySpan<byte> body = option.Body;
        int i = 0;
        var name = new StringBuilder();
        while (i < body.Length)
        {
            int start = i;
            name.Clear();
            while (true)
            {
                if (i >= body.Length)
                {
                    error = option.Error(start, "domain name not terminated by a zero label");
                    return false;
                }
                int label = body[i];
                if (label == 0)
                {
                    i++;
                    break;
                }
                if (label > 63 || i + 1 + label > body.Length || name.Length + label > 253)
                {
                    error = option.Error(i, "label length " + label + " is invalid (compression is not allowed, labels are at most 63)");
                    return false;
                }
                if (name.Length > 0)
                    name.Append('.');
                name.Append(Printable(body.Slice(i + 1, label)));
                i += 1 + label;
            }
            if (list.Count == Dhcpv6Limits.MaxDomainNames)
            {
                error = option.Error(start, "more than " + Dhcpv6Limits.MaxDomainNames + " domain names");
                return false;
            }
            list.Add(name.ToString());
        }
        names = list.ToArray();
        error = default;
        return true;
    }

    /// <summary>Server-supplied text as printable ASCII, so a log line cannot be forged through it.</summary>
    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
            text.Append(b >= 0x20 && b < 0x7f ? (char)b : '?');
        return text.ToString();
    }
}
