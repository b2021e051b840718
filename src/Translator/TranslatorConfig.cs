using System;
using System.Text;

namespace Mapt.Translator;

/// <summary>What the daemon hands the translator: the CE's mapping and the device MTU.</summary>
public sealed class TranslatorConfig
{
    public TranslatorConfig(MapAddressing addressing, int mtu)
    {
        Addressing = addressing;
        Mtu = mtu;
    }

    public MapAddressing Addressing { get; }

    /// <summary>The TUN device MTU: the WAN MTU - 20 (RFC 7599 §10, as for nat46); 0 leaves it.</summary>
    public int Mtu { get; }

    /// <summary>One line for the log: IPv4, port set, MAP address, DMR.</summary>
    public string Describe()
    {
        MapAddressing a = Addressing;
        var sb = new StringBuilder(128);
        AppendIpv4(sb.Append("IPv4 "), a.Ipv4);
        sb.Append(" PSID ").Append(a.Psid).Append('/').Append(a.PsidLength).Append(" offset ").Append(a.PsidOffset);
        AppendIpv6(sb.Append(" MAP address "), a.MapIpv6);
        return sb.ToString();
    }

    internal static void AppendIpv4(StringBuilder sb, uint v) =>
        sb.Append(v >> 24).Append('.').Append((v >> 16) & 0xff).Append('.').Append((v >> 8) & 0xff).Append('.').Append(v & 0xff);

    internal static void AppendIpv6(StringBuilder sb, ReadOnlySpan<byte> a)
    {
        for (int i = 0; i < 16; i += 2)
        {
            if (i > 0)
                sb.Append(':');
            sb.Append(((a[i] << 8) | a[i + 1]).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
