using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Mapt.Net;
using Mapt.Text;

namespace Mapt.Provisioning;

/// <summary>
/// Everything a bring-up applies, in order, and everything that undoes it: a pure function of
/// the MAP result, the rules and the gateway's settings. What `mapt plan` prints, what the
/// executor (src/Apply) runs and what the journal lists are these same values: the journal is
/// <see cref="Undo"/> of this plan and of what was observed before applying it.
/// Order of bring-up: the translator first (its device, MTU and state), then the packet
/// filter, then forwarding, and the routes last: no packet is steered into the device before
/// its SNAT is in place. Teardown is the journal undone from its last line to its first.
/// </summary>
public sealed class Plan
{
    /// <summary>The sysctls a plan may write (a journal names no other key): the gateway routes both families.</summary>
    public static readonly string[] SysctlKeys = { "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding" };

    public PlanInput Input { get; }
    public PlanSettings Settings { get; }
    public IReadOnlyList<Nat46Step> Nat46Setup { get; }
    public IReadOnlyList<Nat46Step> Nat46Teardown { get; }
    public IptablesRuleset Ipv4 { get; }
    public IptablesRuleset Ipv6 { get; }
    public IReadOnlyList<PlanStep> Setup { get; }

    /// <summary>
    /// With <c>snat = remap</c>: the port remap the SNAT rule and mapt's translator share (one
    /// value, so the rule's virtual range and the translator's mapping cannot disagree); null
    /// with the per-range rules (<see cref="RemapNote"/> says why, when remap was asked for).
    /// </summary>
    public Mapt.Map.SnatRemap? Remap { get; }

    /// <summary>Why <c>snat = remap</c> fell back to the per-range rules for this set ("" when it did not, or was not asked for).</summary>
    public string RemapNote { get; } = "";

    /// <summary>The restore texts of a fresh bring-up and of the teardown that follows it (`mapt plan --only`).</summary>
    public string IptablesSetup => IptablesScript.Setup(Ipv4, IptablesState.Empty);
    public string IptablesTeardown => IptablesScript.Teardown(IptablesState.After(Ipv4));
    public string Ip6tablesSetup => IptablesScript.Setup(Ipv6, IptablesState.Empty);
    public string Ip6tablesTeardown => IptablesScript.Teardown(IptablesState.After(Ipv6));

    private Plan(PlanInput input, PlanSettings settings)
    {
        Input = input;
        Settings = settings;
        string dev = settings.MapDevice;
        int mtu = settings.MapDeviceMtu;
        Nat46Setup = Nat46Commands.Setup(dev, input);
        Nat46Teardown = Nat46Commands.Teardown(dev);
        if (settings.Snat == SnatMode.Remap && input.IsShared)
        {
            Remap = Mapt.Map.SnatRemap.TryCreate(input.Ports, settings.RemapKeep ?? Mapt.Map.RemapKeep.None, out string? why);
            RemapNote = why ?? (Remap is null ? "the port set is one block (PSID offset 0): one SNAT rule per protocol without a remap" : "");
        }
        Ipv4 = IptablesRules.Ipv4(input, settings, Remap);
        Ipv6 = IptablesRules.Ipv6(input, settings);

        var setup = new List<PlanStep>();
        switch (settings.Translator)
        {
            case TranslatorKind.Nat46:
                setup.Add(new Nat46DeviceStep(dev, Nat46Setup));
                setup.Add(new LinkStep(dev, mtu));
                break;
            case TranslatorKind.Tun:
                setup.Add(new TunDeviceStep(dev, mtu));
                break;
            default:
                setup.Add(new LinkStep(dev, mtu));
                break;
        }
        setup.Add(new FilterStep(Ipv4));
        setup.Add(new FilterStep(Ipv6));
        foreach (string key in SysctlKeys)
            setup.Add(new SysctlStep(key, "1"));
        setup.Add(new RouteStep(new PlannedRoute(Ipv4Prefix.Masked(new Ipv4Address(0), 0), dev, Mtu: mtu), RouteMode.Replace));
        setup.Add(new RouteStep(new PlannedRoute(Ipv6Prefix.Masked(input.MapIpv6Address, 128), dev), RouteMode.Replace));
        // The DMR via the WAN's gateway: MAP-T keeps its path when the IPv6 default route flaps.
        if (settings.WanGateway is Ipv6Address gateway)
            setup.Add(new RouteStep(new PlannedRoute(input.Dmr, settings.WanInterface, gateway), RouteMode.AddIfAbsent));
        Setup = setup;
    }

    /// <summary>
    /// The journal's entries, in apply order, for this plan applied over what
    /// <paramref name="seen"/> says was there: undone from the last to the first, conntrack last.
    /// </summary>
    public List<UndoStep> Undo(Observation seen)
    {
        var undo = new List<UndoStep>();
        foreach (PlanStep step in Setup)
        {
            switch (step)
            {
                case Nat46DeviceStep n:
                    undo.Add(new DeleteNat46Device(n.Device));
                    break;
                case TunDeviceStep t:
                    undo.Add(new DeleteTunDevice(t.Device));
                    break;
                case LinkStep:
                    // nat46's device is deleted, someone else's (--translator none) left as it is.
                    break;
                case FilterStep f:
                    undo.Add(RemoveFilter.Of(f.Ruleset));
                    break;
                case SysctlStep s:
                    string? before = seen.SysctlsBefore.TryGetValue(s.Key, out string? v) ? v : null;
                    if (before != s.Value)
                        undo.Add(new RestoreSysctl(s.Key, before));
                    break;
                case RouteStep r:
                    RouteFinding found = seen.RouteAt(r.Route.Destination);
                    if (Skips(r, found))
                        break;
                    if (found.Theirs is PlannedRoute theirs && found.Kind is RouteFindingKind.Replaced or RouteFindingKind.Ours)
                        undo.Add(new RestoreRoute(theirs));
                    undo.Add(new DeleteRoute(r.Route));
                    break;
            }
        }
        undo.Add(new FlushConntrack(Input.Ipv4Address));
        return undo;
    }

    /// <summary>A route step is not run when its route is already there exactly, or another owner's holds an AddIfAbsent slot.</summary>
    public static bool Skips(RouteStep step, RouteFinding found) =>
        found.Kind == RouteFindingKind.Identical || (found.Kind is RouteFindingKind.Foreign or RouteFindingKind.Replaced && step.Mode == RouteMode.AddIfAbsent);

    /// <summary>
    /// Builds the plan, or refuses with a message saying what cannot be done and that nothing
    /// was applied: what nat46 cannot translate is refused here, not discovered on the wire.
    /// </summary>
    public static bool TryCreate(PlanInput input, PlanSettings settings, out Plan? plan, out string error)
    {
        plan = null;
        error = Check(input, settings) ?? "";
        if (error.Length > 0)
            return false;
        plan = new Plan(input, settings);
        return true;
    }

    private static string? Check(PlanInput input, PlanSettings settings)
    {
        string dev = settings.MapDevice;
        if (!IsInterfaceName(dev))
            return $"device name '{dev}' is not a Linux interface name (1-15 characters, no space, '/' or ':')";
        if (!IsInterfaceName(settings.WanInterface))
            return $"WAN name '{settings.WanInterface}' is not a Linux interface name (1-15 characters, no space, '/' or ':')";
        if (settings.WanMtu is < 1280 or > 65535)
            return $"WAN MTU {settings.WanMtu} is outside 1280..65535 (RFC 8200 minimum)";
        if (settings.EffectiveMss is < 536 or > 65495)
            return $"TCP MSS {settings.EffectiveMss} is outside 536..65495";
        if (input.DmrLength is not (32 or 40 or 48 or 56 or 64 or 96))
            return $"DMR /{input.DmrLength} is not an RFC 6052 length (32, 40, 48, 56, 64 or 96)";
        if (settings.Snat == SnatMode.Remap && settings.Translator != TranslatorKind.Tun)
            return "snat remap needs mapt's own translator (--translator tun): nat46 and someone else's device cannot map the virtual ports onto the set; use snat = ranges";
        if (settings.Translator == TranslatorKind.Nat46)
        {
            string? bmr = CheckNat46Rule("BMR", input.Bmr);
            if (bmr is not null)
                return bmr;
            foreach (Nat46Rule fmr in input.Fmrs)
            {
                string? problem = CheckNat46Rule("FMR", fmr);
                if (problem is not null)
                    return problem;
            }
        }
        if (input.Bmr.PsidLength > 0 && !input.IsShared)
            return $"BMR shares the address (PSID length {input.Bmr.PsidLength}) but the port set is empty";
        foreach (PortSpan span in input.PortSet)
            if (span.First < 1 || span.Last > 65535 || span.First > span.Last)
                return $"port range {span} is not within 1-65535";
        return IptablesRules.CheckSize(input);
    }

    /// <summary>What nat46 would translate wrongly or not at all (its xlate_map_v4_to_v6).</summary>
    private static string? CheckNat46Rule(string role, Nat46Rule rule)
    {
        string name = $"{role} {rule.Ipv6Text} {rule.Ipv4Text} ea-len {rule.EaBitsLength}";
        if (rule.EaBitsLength + rule.Ipv4PrefixLength < 32)
            return $"{name}: o + r = {rule.EaBitsLength + rule.Ipv4PrefixLength} < 32 delegates an IPv4 prefix (RFC 7597 5.2), which nat46 cannot translate (it drops every packet of such a rule); nothing applied";
        if (rule.EaBitsLength == 0 && rule.PsidLength > 0)
            return $"{name}: EA-bits length 0 with an explicit PSID (k={rule.PsidLength}, RFC 7599 Appendix A example 5): nat46 derives the PSID length as o - (32 - r) = 0 and would encode no PSID into the IPv6 addresses; nothing applied";
        return null;
    }

    public static bool IsInterfaceName(string name)
    {
        if (name.Length is 0 or > 15 || name == "." || name == "..")
            return false;
        foreach (char c in name)
            if (c <= ' ' || c == '/' || c == ':' || c > '~')
                return false;
        return true;
    }

    public static bool IsSysctlKey(string key) => System.Array.IndexOf(SysctlKeys, key) >= 0;

    /// <summary>What a field engineer reads on the console: the summary, setup step by step, then the journal's undo in the order it runs.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append("# mapt plan: ").Append(Summary()).Append('\n');
        text.Append("\n== setup\n");
        int n = 0;
        foreach (PlanStep step in Setup)
        {
            n++;
            text.Append(n.ToString(CultureInfo.InvariantCulture)).Append(". ").Append(step.Kind).Append(": ");
            switch (step)
            {
                case FilterStep f:
                    text.Append(f.Ruleset.RestoreCommand).Append(" --noflush --wait <<EOF").Append(JumpNote(f.Ruleset)).Append('\n')
                        .Append(f.Text).Append("EOF\n");
                    break;
                case Nat46DeviceStep nat:
                    text.Append("device ").Append(nat.Device).Append(", each write read back and compared\n");
                    foreach (Nat46Step w in nat.Writes)
                        text.Append("   echo '").Append(w.Command).Append("' > /proc/net/nat46/control\n");
                    break;
                default:
                    text.Append(step.Text).Append('\n');
                    break;
            }
        }
        if (Settings.WanGateway is null)
            text.Append("   (and the route to the DMR ").Append(Input.DmrText).Append(" via the WAN's IPv6 default gateway: give --wan-gateway to see it)\n");
        text.Append("\n== teardown: the journal, undone from its last line to its first (conntrack last)\n");
        n = 0;
        foreach (UndoStep u in Journal.UndoOrder(Undo(Observation.Unobserved)))
        {
            n++;
            text.Append(n.ToString(CultureInfo.InvariantCulture)).Append(". ").Append(u.Format()).Append('\n');
            if (u is RemoveFilter rf)
                text.Append("   ").Append(rf.Family == IpFamily.Ipv4 ? "iptables-restore" : "ip6tables-restore")
                    .Append(" --noflush --wait of the jumps into these chains, then -F and -X of each, as iptables-save shows them installed\n");
        }
        return text.ToString();
    }

    public string Summary()
    {
        var text = new StringBuilder();
        text.Append("IPv4 ").Append(Input.Ipv4Address.ToString());
        if (Input.IsShared)
        {
            int ports = 0;
            foreach (PortSpan span in Input.PortSet)
                ports += span.Count;
            text.Append(" shared, ").Append(Input.PortSet.Count.ToString(CultureInfo.InvariantCulture)).Append(" port ranges (")
                .Append(ports.ToString(CultureInfo.InvariantCulture)).Append(" ports) ").Append(Input.PortSet[0].ToString());
            if (Input.PortSet.Count > 1)
                text.Append(" .. ").Append(Input.PortSet[Input.PortSet.Count - 1].ToString());
            if (Remap is not null)
            {
                text.Append(", SNAT remap: tcp ").Append(Span(Remap.Tcp)).Append(" udp ").Append(Span(Remap.Udp))
                    .Append(" icmp ").Append(Span(Remap.Icmp)).Append(" onto the set");
                if (Settings.RemapKeep is { IsEmpty: false } keep)
                    text.Append(", kept ").Append(keep.ToString());
            }
            else if (RemapNote.Length > 0)
            {
                text.Append(", SNAT per range (remap: ").Append(RemapNote).Append(')');
            }
        }
        else
        {
            text.Append(" (1:1, all ports)");
        }
        text.Append("; MAP IPv6 ").Append(Input.MapIpv6Address.ToString()).Append("; DMR ").Append(Input.DmrText)
            .Append("; ").Append(Input.Fmrs.Count.ToString(CultureInfo.InvariantCulture)).Append(" FMR(s); device ")
            .Append(Settings.MapDevice).Append(" MTU ").Append(Settings.MapDeviceMtu.ToString(CultureInfo.InvariantCulture))
            .Append(", WAN ").Append(Settings.WanInterface).Append(" MTU ").Append(Settings.WanMtu.ToString(CultureInfo.InvariantCulture))
            .Append(", TCP MSS ").Append(Settings.EffectiveMss.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static string Span(Mapt.Map.PortRemap r) =>
        r.VirtualFirst.ToString(CultureInfo.InvariantCulture) + "-" + r.VirtualLast.ToString(CultureInfo.InvariantCulture);

    private static string JumpNote(IptablesRuleset ruleset)
    {
        var text = new StringBuilder("  (jumps: ");
        for (int i = 0; i < ruleset.Jumps.Count; i++)
        {
            IptablesJump jump = ruleset.Jumps[i];
            if (i > 0)
                text.Append("; ");
            int scope = jump.RuleSpec.IndexOf(" -j ", System.StringComparison.Ordinal);
            text.Append(jump.Table).Append(' ').Append(jump.Chain).Append(' ')
                .Append(scope > 0 ? jump.RuleSpec.Substring(0, scope) : jump.RuleSpec).Append(' ').Append(jump.PositionText);
        }
        return text.Append(')').ToString();
    }

    /// <summary>The same plan as one JSON object (for tools on the gateway).</summary>
    public void WriteJson(JsonWriter json)
    {
        json.StartObject();
        json.Property("ipv4Address", Input.Ipv4Address.ToString());
        json.Property("shared", Input.IsShared);
        json.StartArray("portRanges");
        foreach (PortSpan span in Input.PortSet)
            json.StartObject().Property("first", span.First).Property("last", span.Last).EndObject();
        json.EndArray();
        json.Property("mapIpv6Address", Input.MapIpv6Address.ToString());
        json.Property("dmr", Input.DmrText);
        json.Property("mapDevice", Settings.MapDevice);
        json.Property("mapDeviceMtu", Settings.MapDeviceMtu);
        json.Property("wan", Settings.WanInterface);
        json.Property("wanMtu", Settings.WanMtu);
        json.Property("tcpMss", Settings.EffectiveMss);
        json.StartArray("jumps");
        foreach (IptablesRuleset ruleset in new[] { Ipv4, Ipv6 })
            foreach (IptablesJump jump in ruleset.Jumps)
                json.StartObject().Property("family", ruleset.Family == IpFamily.Ipv4 ? "ipv4" : "ipv6")
                    .Property("table", jump.Table).Property("chain", jump.Chain).Property("position", jump.Position)
                    .Property("rule", jump.RuleSpec).EndObject();
        json.EndArray();
        json.StartArray("setup");
        foreach (PlanStep step in Setup)
        {
            json.StartObject().Property("kind", step.Kind).Property("text", step.Text);
            switch (step)
            {
                case LinkStep l:
                    json.Property("device", l.Device).Property("mtu", l.Mtu);
                    break;
                case TunDeviceStep t:
                    json.Property("device", t.Device).Property("mtu", t.Mtu);
                    break;
                case Nat46DeviceStep nat:
                    json.Property("device", nat.Device);
                    break;
                case SysctlStep s:
                    json.Property("key", s.Key).Property("value", s.Value);
                    break;
                case RouteStep r:
                    json.Property("destination", r.Route.Destination.ToString());
                    if (r.Route.Device is not null)
                        json.Property("device", r.Route.Device);
                    if (r.Route.Gateway is IpAddress gw)
                        json.Property("via", gw.ToString());
                    if (r.Route.Mtu != 0)
                        json.Property("mtu", r.Route.Mtu);
                    json.Property("mode", r.Mode == RouteMode.Replace ? "replace" : "add-if-absent");
                    break;
            }
            json.EndObject();
        }
        json.EndArray();
        json.StartArray("teardown");
        foreach (UndoStep u in Journal.UndoOrder(Undo(Observation.Unobserved)))
            json.String(u.Format());
        json.EndArray();
        json.EndObject();
    }
}
