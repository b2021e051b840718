using System.Text;
using Mapt.Net;

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

    /// <summary>The IPv6 MTU towards the BR: the TUN MTU + 20 (the WAN MTU), at least 1280.</summary>
    public int Ipv6Mtu => System.Math.Max(1280, Mtu + 20);

    /// <summary>One line for the log: IPv4, port set, MAP address, DMR.</summary>
    public string Describe()
    {
        MapAddressing a = Addressing;
        var sb = new StringBuilder(128);
        sb.Append("IPv4 ").Append(new Ipv4Address(a.Ipv4).ToString())
          .Append(" PSID ").Append(a.PortSet.Psid).Append('/').Append(a.PortSet.PsidLength)
          .Append(" offset ").Append(a.PortSet.PsidOffset)
          .Append(" MAP address ").Append(a.MapIpv6Address.ToString())
          .Append(" DMR ").Append(a.Dmr is { } d ? d.ToString() : "none");
        return sb.ToString();
    }
}
