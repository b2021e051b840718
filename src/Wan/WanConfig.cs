using System.Collections.Generic;

using Mapt.Provisioning;

namespace Mapt.Wan;

/// <summary>
/// The daemon's settings: defaults, then the config file, then the command line. Documented
/// in docs/notes/daemon.md (keys) and checked whole before anything touches the system.
/// </summary>
public sealed class WanConfig
{
    public string Wan { get; set; } = "";
    public string MapDevice { get; set; } = "map-mapt";
    public string FlashDir { get; set; } = Mapt.Logging.LoggingOptions.DefaultFlashDir;
    public string RunDir { get; set; } = "/run/mapt";
    public TranslatorKind Translator { get; set; } = TranslatorKind.Nat46;
    public string Nat46Control { get; set; } = "/proc/net/nat46/control";
    /// <summary>SNAT per port range, or into one virtual range remapped by the TUN translator (issue 15).</summary>
    public SnatMode Snat { get; set; } = SnatMode.Ranges;
    /// <summary>With the remap: ports of the set left as they are (port forwards).</summary>
    public Mapt.Map.RemapKeep RemapKeep { get; set; } = Mapt.Map.RemapKeep.None;
    /// <summary>MAP device MTU; 0: WAN MTU - 20 (RFC 7599 section 5 adds 20 bytes per packet).</summary>
    public int Mtu { get; set; }
    /// <summary>TCP MSS clamp; 0: MTU - 40.</summary>
    public int Mss { get; set; }
    /// <summary>Which iptables programs: "default" (iptables-restore ...), "legacy" or "nft".</summary>
    public string Iptables { get; set; } = "default";
    /// <summary>Ask for S46_CONT_MAPE (94) / S46_CONT_LW (96) too. Off: request only what mapt configures (95).</summary>
    public bool RequestMapE { get; set; }
    public bool RequestLw4o6 { get; set; }
    /// <summary>Only this server's Advertise and Reply are accepted (config key server-duid); null: any server.</summary>
    public byte[]? ServerDuid { get; set; }
    /// <summary>Static MAP-T (TR-181 Origin = Static): no DHCPv6 for MAP; rules as <c>--rule</c> texts.</summary>
    public List<ConfigValue> StaticRules { get; } = new();
    public ConfigValue? StaticPrefix { get; set; }
    public ConfigValue? StaticDmr { get; set; }
    public string LogLevel { get; set; } = "info";
    /// <summary>The TR-106 prefix of mapt's vendor parameters in the TR-181 view (X_&lt;OUI&gt;_ or X_&lt;DOMAIN&gt;_).</summary>
    public string VendorPrefix { get; set; } = Mapt.Status.VendorPrefix.Default;
    /// <summary>
    /// The firmware's Device.IP.Interface.{i} row of the WAN and its Device.IP.Interface.{i}.IPv6Prefix.{i}
    /// row of the End-user prefix: what TR-181 Domain.WANInterface and Domain.IPv6Prefix reference.
    /// mapt does not own Device.IP.; unset, the references are empty.
    /// </summary>
    public ConfigValue? Tr181WanInterface { get; set; }
    public ConfigValue? Tr181Ipv6Prefix { get; set; }
    /// <summary>Where the settings came from, for messages ("" when no file).</summary>
    public string File { get; set; } = "";

    public bool IsStatic => StaticRules.Count != 0;

    public static string TranslatorName(TranslatorKind kind) => kind switch
    {
        TranslatorKind.None => "none",
        TranslatorKind.Tun => "tun",
        _ => "nat46",
    };
}

/// <summary>A value with the line it came from, for errors found after parsing (a static rule the MAP code rejects).</summary>
public sealed record ConfigValue(string Text, int Line);
