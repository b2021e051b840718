using System;
using System.Globalization;
using System.Text;
using Mapt.Net;

namespace Mapt.Provisioning;

/// <summary>
/// IPv6 addresses as nat46 prints them back (the kernel's <c>%pI6c</c>), so that what mapt
/// writes reads back as the same text. That is RFC 5952 (mapt's <see cref="Ipv6Address"/>
/// text: lower case, no leading zeros, the first longest run of two or more zero groups as
/// "::") except for two kinds of address the kernel ends in a dotted quad: IPv4-mapped
/// (::ffff:a.b.c.d) and those with an ISATAP interface identifier (0000:5efe or 0200:5efe in
/// bits 64-95), where only the first six groups are compressed. A DMR like
/// 2001:db8:0:0:0:5efe::/96 reads back as "2001:db8::5efe:0.0.0.0/96" (measured on the real
/// module in the firmware lab).
/// </summary>
public static class Nat46Text
{
    public static string Prefix(Ipv6Prefix prefix) => Ipv6(prefix.Address) + "/" + prefix.Length.ToString(CultureInfo.InvariantCulture);

    public static string Ipv6(Ipv6Address address)
    {
        ulong high = address.High, low = address.Low;
        uint word2 = (uint)(low >> 32);
        bool v4Mapped = high == 0 && word2 == 0x0000ffff;
        bool isatap = (word2 | 0x02000000) == 0x02005efe;
        if (!v4Mapped && !isatap)
            return address.ToString();

        // The kernel's ip6_compressed_string over the first six groups, then the dotted tail.
        Span<ushort> groups = stackalloc ushort[6];
        for (int g = 0; g < 6; g++)
            groups[g] = (ushort)(address.Value >> (112 - 16 * g));
        int colonPos = -1, longest = 1;
        for (int i = 0; i < 6; i++)
        {
            int run = 0;
            for (int j = i; j < 6 && groups[j] == 0; j++)
                run++;
            if (run > longest)
            {
                longest = run;
                colonPos = i;
            }
        }
        var text = new StringBuilder(45);
        bool needColon = false;
        for (int i = 0; i < 6; i++)
        {
            if (i == colonPos)
            {
                if (needColon || i == 0)
                    text.Append(':');
                text.Append(':');
                needColon = false;
                i += longest - 1;
                continue;
            }
            if (needColon)
                text.Append(':');
            text.Append(groups[i].ToString("x", CultureInfo.InvariantCulture));
            needColon = true;
        }
        if (needColon)
            text.Append(':');
        uint v4 = (uint)low;
        text.Append(CultureInfo.InvariantCulture, $"{v4 >> 24}.{(v4 >> 16) & 0xff}.{(v4 >> 8) & 0xff}.{v4 & 0xff}");
        return text.ToString();
    }
}
