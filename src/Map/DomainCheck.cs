using System;
using Mapt.Net;

namespace Mapt.Map;

/// <summary>
/// The domain check an operator runs before rolling out a rule: every EA-bit value is
/// enumerated (streamed: 2^o CEs, one 8 KB port bitmap reused per IPv4 address), and it is
/// proven that every (IPv4, PSID) pair is owned by exactly one CE (the reverse mapping of
/// each CE's first port gives its own EA bits back), that port sets of one address are
/// disjoint and that together they are exactly the address's usable ports (2^(16-a) and up,
/// or 1 and up when a = 0). Delegated IPv4 prefixes (o + r &lt; 32) are checked to tile the
/// rule prefix.
/// </summary>
public static class DomainCheck
{
    public static DomainCheckReport Run(MapRule rule)
    {
        int o = rule.EaBitsLength;
        int p = rule.Ipv4SuffixLength;
        ulong ces = 1UL << o;
        var report = new DomainCheckReport(rule, ces);
        if (o > p)
            CheckShared(rule, report);
        else
            CheckUnshared(rule, report);
        return report;
    }

    private static void CheckShared(MapRule rule, DomainCheckReport report)
    {
        int q = rule.EaBitsLength - rule.Ipv4SuffixLength;
        ulong perAddress = 1UL << q;
        ulong addresses = report.CeCount >> q;
        var bitmap = new PortBitmap();
        int a = rule.PsidOffset;
        int lowestUsable = a > 0 ? 1 << (16 - a) : 1;
        report.Ipv4AddressCount = addresses;
        report.CesPerIpv4Address = perAddress;
        report.UsablePortsPerIpv4Address = 65536 - lowestUsable;
        report.PortsPerCeMin = int.MaxValue;
        ulong ea = 0;
        for (ulong address = 0; address < addresses; address++)
        {
            bitmap.Clear();
            for (ulong i = 0; i < perAddress; i++, ea++)
            {
                rule.CeFromEaBits(ea, out Ipv4Address ipv4, out ushort psid);
                PortSet set = rule.PortSetOf(psid);
                int count = set.PortCount;
                report.PortsPerCeMin = Math.Min(report.PortsPerCeMin, count);
                report.PortsPerCeMax = Math.Max(report.PortsPerCeMax, count);
                if (count == 0)
                {
                    report.CesWithoutPorts++;
                    continue;
                }
                foreach (PortRange range in set)
                {
                    if (!bitmap.TryMark(range.First, range.Last))
                    {
                        report.Fail(ea, ipv4.ToString() + " port " + range.First.ToString() + ": owned twice");
                        return;
                    }
                }
                // Owned once: the reverse mapping of a port of this CE lands on this CE.
                ushort port = set.GetRange(0).First;
                if (!rule.TryGetEaBits(ipv4, port, out ulong back, out _) || back != ea)
                {
                    report.Fail(ea, ipv4.ToString() + " port " + port.ToString() + ": maps back to another CE");
                    return;
                }
            }
            if (!bitmap.IsExactly(lowestUsable, out int wrongPort))
            {
                rule.CeFromEaBits(ea - 1, out Ipv4Address ipv4, out _);
                report.Fail(ea - 1, ipv4.ToString() + " port " + wrongPort.ToString() + (wrongPort < lowestUsable ? ": owned, must not be" : ": owned by no CE"));
                return;
            }
            report.CheckedCes += perAddress;
        }
    }

    private static void CheckUnshared(MapRule rule, DomainCheckReport report)
    {
        // o + r <= 32: each CE owns an IPv4 prefix of length r + o (32: one address), with the
        // explicit PSID if there is one. They must follow each other with neither gap nor overlap.
        int length = rule.CeIpv4PrefixLength;
        ulong step = 1UL << (32 - length);
        ulong expected = rule.RuleIpv4Prefix.Address.Value;
        PortSet set = rule.PortSetOf(rule.PortParameters.Psid);
        report.Ipv4AddressCount = report.CeCount * step;
        report.CesPerIpv4Address = 1;
        report.PortsPerCeMin = report.PortsPerCeMax = set.PortCount;
        report.UsablePortsPerIpv4Address = set.PortCount;
        if (set.PortCount == 0)
            report.CesWithoutPorts = report.CeCount;
        for (ulong ea = 0; ea < report.CeCount; ea++, expected += step)
        {
            rule.CeFromEaBits(ea, out Ipv4Address ipv4, out _);
            if (ipv4.Value != expected)
            {
                report.Fail(ea, ipv4.ToString() + ": not where the previous CE ended");
                return;
            }
            ushort port = set.IsRestricted ? set.GetRange(0).First : (ushort)1;
            if (set.PortCount > 0 && (!rule.TryGetEaBits(ipv4, port, out ulong back, out _) || back != ea))
            {
                report.Fail(ea, ipv4.ToString() + ": maps back to another CE");
                return;
            }
            report.CheckedCes++;
        }
        if (expected != (ulong)rule.RuleIpv4Prefix.Address.Value + (1UL << rule.Ipv4SuffixLength))
            report.Fail(report.CeCount - 1, "the CEs do not cover the rule IPv4 prefix");
    }
}
