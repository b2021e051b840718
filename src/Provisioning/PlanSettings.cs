using Mapt.Net;

namespace Mapt.Provisioning;

/// <summary>What the gateway decides rather than the lease: names, translator, MTU, clamp, spread, next hop.</summary>
/// <param name="WanInterface">The IPv6 WAN the translated packets leave by.</param>
/// <param name="MapDevice">The MAP device name (at most 15 characters, IFNAMSIZ - 1).</param>
/// <param name="WanMtu">The WAN's MTU; the device gets WanMtu - 20 (IPv6 header is 20 bytes longer).</param>
/// <param name="MssClamp">TCP MSS for SYNs through the device; null: WanMtu - 40 - 20.</param>
/// <param name="Strategy">How SNAT spreads new connections over the ranges.</param>
/// <param name="Translator">Who translates: nat46 (mapt creates its device), mapt's TUN translator, or someone else's device.</param>
/// <param name="Snat">Per-range SNAT rules, or one rule per protocol into a virtual range the TUN translator remaps.</param>
/// <param name="RemapKeep">With the remap: the ports of the set left as they are (port forwards); null: none.</param>
/// <param name="WanGateway">The WAN's IPv6 default gateway: the next hop of the route to the DMR (null: not known, `mapt plan` without --wan-gateway).</param>
public sealed record PlanSettings(
    string WanInterface = PlanSettings.DefaultWan,
    string MapDevice = PlanSettings.DefaultMapDevice,
    int WanMtu = PlanSettings.DefaultWanMtu,
    int? MssClamp = null,
    SnatStrategy Strategy = SnatStrategy.RoundRobin,
    TranslatorKind Translator = TranslatorKind.Nat46,
    Ipv6Address? WanGateway = null,
    SnatMode Snat = SnatMode.Ranges,
    Mapt.Map.RemapKeep? RemapKeep = null)
{
    public const string DefaultWan = "wan";
    public const string DefaultMapDevice = "map-mapt";
    public const int DefaultWanMtu = 1500;

    /// <summary>RFC 7599 section 10 / RFC 6145: an IPv6 header is 20 bytes longer than IPv4's.</summary>
    public int MapDeviceMtu => WanMtu - 20;

    /// <summary>The IPv6 path's MTU less the IPv6 (40) and TCP (20) headers: an MSS that never needs fragmenting.</summary>
    public int EffectiveMss => MssClamp ?? WanMtu - 40 - 20;
}
