using System.Text;
using Mapt.Map;

namespace Mapt.Cli;

/// <summary>
/// The text forms: a label column and values, every line within 80 columns so that it reads on
/// a serial console; port sets folded into lines of ranges.
/// </summary>
internal static partial class CalcVerb
{
    private const int LabelWidth = 18;
    private const int Columns = 80;

    internal static string ResultText(MapResult r, RuleArguments arguments)
    {
        var text = new StringBuilder();
        Line(text, "rule (BMR)", r.Rule.ToString());
        if (arguments.Rules.Count > 1)
            Line(text, "", "longest match among " + arguments.Rules.Count + " rules");
        Line(text, "end-user prefix", r.EndUserPrefix.ToString());
        Line(text, "ea bits", r.EaBitsLength == 0 ? "none (o = 0)" : Hex(r.EaBits) + " (" + r.EaBitsLength + " bits)");
        if (r.Rule.DelegatesIpv4Prefix)
            Line(text, "ipv4 prefix", r.Ipv4Prefix + " (delegated: o + r < 32)");
        else
            Line(text, "ipv4", r.Ipv4Address.ToString());
        if (r.PsidLength > 0)
            Line(text, "psid", Hex(r.Psid) + " = " + r.Psid + ", length " + r.PsidLength + ", offset " + r.PsidOffset
                + " (wire " + Hex(r.PsidWire) + ")");
        else
            Line(text, "psid", "none (not shared), offset " + r.PsidOffset);
        Line(text, "map ipv6", r.MapIpv6Address.ToString());
        Line(text, "sharing ratio", "1:" + r.SharingRatio);
        AppendPorts(text, r.PortSet);
        if (arguments.Dmr is Dmr dmr)
            Line(text, "dmr", dmr.ToString());
        foreach (MapRule rule in arguments.Rules)
            if (rule.IsFmr)
                Line(text, "fmr", rule.ToString());
        return text.ToString();
    }

    private static void AppendPorts(StringBuilder text, PortSet set)
    {
        if (!set.IsRestricted)
        {
            Line(text, "ports", set.PortCount + " (1-65535: the whole address)");
            return;
        }
        int count = set.RangeCount;
        int size = 1 << set.ContiguousBits;
        Line(text, "ports", set.PortCount + " in " + count + (count == 1 ? " range" : " ranges")
            + (count > 1 ? " of " + size : ""));
        // Fixed-width cells: ranges line up in columns and never pass column 80.
        const int Cell = 12, Indent = 2;
        int perLine = (Columns - Indent) / Cell;
        int inLine = 0;
        foreach (PortRange range in set)
        {
            if (inLine == 0)
                text.Append(' ', Indent);
            string cell = range.First == range.Last ? range.First.ToString() : range.First + "-" + range.Last;
            text.Append(cell);
            if (++inLine == perLine)
            {
                text.Append('\n');
                inLine = 0;
            }
            else
                text.Append(' ', Cell - cell.Length);
        }
        if (inLine != 0)
        {
            while (text[^1] == ' ')
                text.Length--;
            text.Append('\n');
        }
    }

    internal static string LookupText(ReverseLookup l)
    {
        var text = new StringBuilder();
        Line(text, "ipv4:port", l.Ipv4Address + ":" + l.Port);
        Line(text, "rule", l.Rule.ToString());
        Line(text, "psid", l.Rule.PsidLength > 0 ? Hex(l.Psid) + " = " + l.Psid + ", length " + l.Rule.PsidLength : "none (not shared)");
        Line(text, "ea bits", l.Rule.EaBitsLength == 0 ? "none (o = 0)" : Hex(l.EaBits) + " (" + l.Rule.EaBitsLength + " bits)");
        Line(text, "end-user prefix", l.EndUserPrefix.ToString());
        Line(text, "map ipv6", l.MapIpv6Address.ToString());
        return text.ToString();
    }

    internal static string DomainText(DomainCheckReport[] reports)
    {
        var text = new StringBuilder();
        foreach (DomainCheckReport r in reports)
        {
            if (text.Length > 0)
                text.Append('\n');
            Line(text, "rule", r.Rule.ToString());
            Line(text, "CEs", r.CeCount + " (" + r.Ipv4AddressCount + " IPv4 addresses, " + r.CesPerIpv4Address + " per address)");
            Line(text, "ports per CE", r.PortsPerCeMin == r.PortsPerCeMax ? r.PortsPerCeMin.ToString() : r.PortsPerCeMin + ".." + r.PortsPerCeMax);
            Line(text, "usable per IPv4", r.UsablePortsPerIpv4Address.ToString());
            if (r.CesWithoutPorts > 0)
                Line(text, "CEs without ports", r.CesWithoutPorts + " (PSID 0 with a = 0 owns only port 0)");
            if (r.Ok)
                Line(text, "result", "OK: each (IPv4, PSID) owned once; port sets disjoint, complete");
            else
                Line(text, "result", "FAILED at EA bits " + Hex(r.ViolationEaBits) + ": " + r.Violation);
        }
        return text.ToString();
    }

    private static void Line(StringBuilder text, string label, string value)
    {
        text.Append(label);
        text.Append(' ', LabelWidth - label.Length);
        // A value too long for the line continues under itself, cut after a comma or a space.
        while (LabelWidth + value.Length > Columns)
        {
            int room = Columns - LabelWidth;
            int cut = value.LastIndexOfAny(Breaks, room - 1) + 1;
            if (cut <= 0)
                cut = room;
            int end = cut;
            while (end > 0 && value[end - 1] == ' ')
                end--;
            text.Append(value, 0, end).Append('\n').Append(' ', LabelWidth);
            value = value.Substring(cut);
        }
        text.Append(value);
        text.Append('\n');
    }

    private static readonly char[] Breaks = { ',', ' ' };

    private static string Hex(ulong value)
    {
        var digits = new StringBuilder("0x");
        int shift = 60;
        while (shift > 0 && (value >> shift) == 0)
            shift -= 4;
        for (; shift >= 0; shift -= 4)
        {
            int d = (int)((value >> shift) & 0xf);
            digits.Append((char)(d < 10 ? '0' + d : 'a' + d - 10));
        }
        return digits.ToString();
    }
}
