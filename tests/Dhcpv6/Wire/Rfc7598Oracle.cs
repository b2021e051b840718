using System;
using Mapt.Dhcpv6.Wire;

namespace Mapt.Tests.Dhcpv6.Wire;

/// <summary>
/// An independent reading of RFC 7598 sections 4.1, 4.3, 4.5 and 5.2, written from the RFC
/// and not from the product's reader: given the raw option 95 the product accepted, says
/// what (if anything) breaks the RFC, and whether the product decoded the same values.
/// </summary>
internal static class Rfc7598Oracle
{
    public static string? Check(byte[] option, S46MaptContainer accepted)
    {
        int length = option[2] << 8 | option[3];
        if (option[0] != 0 || option[1] != 95 || length != option.Length - 4)
            return "not one option 95";
        int rules = 0, dmrs = 0;
        int i = 4;
        while (i < option.Length)
        {
            if (i + 4 > option.Length)
                return "trailing bytes in the container";
            int code = option[i] << 8 | option[i + 1];
            int len = option[i + 2] << 8 | option[i + 3];
            int body = i + 4;
            if (body + len > option.Length)
                return "sub-option past the container";
            if (code == 89)
            {
                if (len < 8)
                    return "S46_RULE shorter than 8";
                int ea = option[body + 1], p4 = option[body + 2], p6 = option[body + 7];
                if (ea > 48) return "ea-len > 48";
                if (p4 > 32) return "prefix4-len > 32";
                if (p6 > 128) return "prefix6-len > 128";
                int prefixBytes = (p6 + 7) / 8;
                if (8 + prefixBytes > len) return "ipv6-prefix truncated";
                if (rules >= accepted.Rules.Length) return "more rules than the product kept";
                S46Rule r = accepted.Rules[rules];
                if (r.EaLength != ea || r.Prefix4Length != p4 || r.Prefix6Length != p6 || r.Flags != option[body])
                    return "rule " + rules + " decoded differently";
                int portParams = 0;
                int j = body + 8 + prefixBytes;
                while (j < body + len)
                {
                    if (j + 4 > body + len) return "trailing bytes in S46_RULE";
                    int sc = option[j] << 8 | option[j + 1];
                    int sl = option[j + 2] << 8 | option[j + 3];
                    if (j + 4 + sl > body + len) return "rule sub-option past the rule";
                    if (sc == 93)
                    {
                        if (sl != 4) return "S46_PORTPARAMS length " + sl;
                        int a = option[j + 4], k = option[j + 5];
                        if (a > 15) return "offset > 15";
                        if (k > 16 || a + k > 16) return "a + k > 16";
                        portParams++;
                        if (r.PortParameters is not S46PortParameters pp || pp.PsidOffset != a || pp.PsidLength != k)
                            return "portparams decoded differently";
                        ushort wire = (ushort)(option[j + 6] << 8 | option[j + 7]);
                        ushort mask = k == 0 ? (ushort)0 : (ushort)(0xffff << (16 - k));
                        if (pp.PsidLeftAligned != (wire & mask)) return "PSID not masked to k bits";
                    }
                    j += 4 + sl;
                }
                if (portParams > 1) return "two S46_PORTPARAMS";
                if (portParams == 0 && r.PortParameters is not null) return "portparams invented";
                rules++;
            }
            else if (code == 91)
            {
                if (len < 1) return "empty S46_DMR";
                int p = option[body];
                if (p > 96) return "DMR longer than RFC 6052 allows";
                if (len != 1 + (p + 7) / 8) return "S46_DMR length does not match its prefix";
                if (accepted.Dmr.PrefixLength != p) return "DMR decoded differently";
                dmrs++;
            }
            i = body + len;
        }
        if (rules == 0) return "no S46_RULE";
        if (rules != accepted.Rules.Length) return "rule count differs";
        if (dmrs != 1) return dmrs + " S46_DMR";
        return null;
    }
}
