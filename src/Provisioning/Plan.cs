using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Mapt.Text;

namespace Mapt.Provisioning;

/// <summary>
/// Everything a bring-up applies, in order, and everything that undoes it, in order: a pure
/// function of the MAP result, the rules and the gateway's settings. What `mapt plan` prints
/// and what Apply executes are the same values.
/// Order of bring-up: the translator first (nat46, then its link), then the packet filter,
/// then forwarding, and the routes last: no packet is steered into the device before its SNAT
/// is in place. Teardown is the reverse.
/// </summary>
public sealed class Plan
{
    public PlanInput Input { get; }
    public PlanSettings Settings { get; }
    public IReadOnlyList<Nat46Step> Nat46Setup { get; }
    public IReadOnlyList<Nat46Step> Nat46Teardown { get; }
    public IptablesRuleset Ipv4 { get; }
    public IptablesRuleset Ipv6 { get; }
    public IReadOnlyList<PlanStep> Setup { get; }
    public IReadOnlyList<PlanStep> Teardown { get; }

    /// <summary>The restore texts of a fresh bring-up and of the teardown that follows it.</summary>
    public string IptablesSetup => IptablesScript.Setup(Ipv4, IptablesState.Empty);
    public string IptablesTeardown => IptablesScript.Teardown(IptablesState.After(Ipv4));
    public string Ip6tablesSetup => IptablesScript.Setup(Ipv6, IptablesState.Empty);
    public string Ip6tablesTeardown => IptablesScript.Teardown(IptablesState.After(Ipv6));

    private Plan(PlanInput input, PlanSettings settings)
    {
        Input = input;
        Settings = settings;
        string dev = settings.MapDevice;
        Nat46Setup = Nat46Commands.Setup(dev, input);
        Nat46Teardown = Nat46Commands.Teardown(dev);
        Ipv4 = IptablesRules.Ipv4(input, settings);
        Ipv6 = IptablesRules.Ipv6(input, settings);

        var setup = new List<PlanStep>();
        foreach (Nat46Step step in Nat46Setup)
            setup.Add(new PlanStep(PlanStepKind.Nat46, step.Command) { Nat46 = step });
        setup.Add(new PlanStep(PlanStepKind.Link, $"ip link set dev {dev} mtu {settings.MapDeviceMtu} up")
            { Device = dev, Mtu = settings.MapDeviceMtu, Up = true });
        setup.Add(new PlanStep(PlanStepKind.Iptables, IptablesSetup));
        setup.Add(new PlanStep(PlanStepKind.Ip6tables, Ip6tablesSetup));
        foreach (string key in ForwardingKeys)
            setup.Add(new PlanStep(PlanStepKind.Sysctl, "sysctl -w " + key + "=1") { Key = key, Value = "1" });
        setup.Add(new PlanStep(PlanStepKind.Route, $"ip route replace default dev {dev} mtu {settings.MapDeviceMtu}")
            { Device = dev, Destination = "0.0.0.0/0", Up = true, Mtu = settings.MapDeviceMtu });
        setup.Add(new PlanStep(PlanStepKind.Route, $"ip -6 route replace {input.MapIpv6Address}/128 dev {dev}")
            { Device = dev, Destination = input.MapIpv6Address + "/128", Up = true });
        Setup = setup;

        var teardown = new List<PlanStep>
        {
            new(PlanStepKind.Route, $"ip -6 route del {input.MapIpv6Address}/128 dev {dev}") { Device = dev, Destination = input.MapIpv6Address + "/128" },
            new(PlanStepKind.Route, $"ip route del default dev {dev}") { Device = dev, Destination = "0.0.0.0/0" },
        };
        for (int i = ForwardingKeys.Length - 1; i >= 0; i--)
            teardown.Add(new PlanStep(PlanStepKind.Sysctl, "sysctl -w " + ForwardingKeys[i] + "=<value before setup>") { Key = ForwardingKeys[i] });
        teardown.Add(new PlanStep(PlanStepKind.Ip6tables, Ip6tablesTeardown));
        teardown.Add(new PlanStep(PlanStepKind.Iptables, IptablesTeardown));
        teardown.Add(new PlanStep(PlanStepKind.Link, $"ip link set dev {dev} down") { Device = dev });
        foreach (Nat46Step step in Nat46Teardown)
            teardown.Add(new PlanStep(PlanStepKind.Nat46, step.Command) { Nat46 = step });
        Teardown = teardown;
    }

    /// <summary>The gateway must route both families: translated IPv6 is forwarded out of the WAN.</summary>
    private static readonly string[] ForwardingKeys = { "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding" };

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
        string? bmr = CheckRule("BMR", input.Bmr);
        if (bmr is not null)
            return bmr;
        foreach (Nat46Rule fmr in input.Fmrs)
        {
            string? problem = CheckRule("FMR", fmr);
            if (problem is not null)
                return problem;
        }
        if (input.Bmr.PsidLength > 0 && !input.IsShared)
            return $"BMR shares the address (PSID length {input.Bmr.PsidLength}) but the port set is empty";
        foreach (PortSpan span in input.PortSet)
            if (span.First < 1 || span.Last > 65535 || span.First > span.Last)
                return $"port range {span} is not within 1-65535";
        return null;
    }

    /// <summary>What nat46 would translate wrongly or not at all (its xlate_map_v4_to_v6).</summary>
    private static string? CheckRule(string role, Nat46Rule rule)
    {
        string name = $"{role} {rule.Ipv6Text} {rule.Ipv4Text} ea-len {rule.EaBitsLength}";
        if (rule.EaBitsLength + rule.Ipv4PrefixLength < 32)
            return $"{name}: o + r = {rule.EaBitsLength + rule.Ipv4PrefixLength} < 32 delegates an IPv4 prefix (RFC 7597 5.2), which nat46 cannot translate (it drops every packet of such a rule); nothing applied";
        if (rule.EaBitsLength == 0 && rule.PsidLength > 0)
            return $"{name}: EA-bits length 0 with an explicit PSID (k={rule.PsidLength}, RFC 7599 Appendix A example 5): nat46 derives the PSID length as o - (32 - r) = 0 and would encode no PSID into the IPv6 addresses; nothing applied";
        if (rule.PsidOffset is < 0 or > 15)
            return $"{name}: PSID offset {rule.PsidOffset} is outside 0..15";
        return null;
    }

    private static bool IsInterfaceName(string name)
    {
        if (name.Length is 0 or > 15 || name == "." || name == "..")
            return false;
        foreach (char c in name)
            if (c <= ' ' || c == '/' || c == ':' || c > '~')
                return false;
        return true;
    }

    /// <summary>What a field engineer reads on the console: the summary, then setup and teardown step by step.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append("# mapt plan: ").Append(Summary()).Append('\n');
        AppendSteps(text, "setup", Setup);
        AppendSteps(text, "teardown", Teardown);
        return text.ToString();
    }

    public string Summary()
    {
        var text = new StringBuilder();
        text.Append("IPv4 ").Append(Input.Ipv4Address);
        if (Input.IsShared)
        {
            int ports = 0;
            foreach (PortSpan span in Input.PortSet)
                ports += span.Count;
            text.Append(" shared, ").Append(Input.PortSet.Count.ToString(CultureInfo.InvariantCulture)).Append(" port ranges (")
                .Append(ports.ToString(CultureInfo.InvariantCulture)).Append(" ports) ").Append(Input.PortSet[0].ToString());
            if (Input.PortSet.Count > 1)
                text.Append(" .. ").Append(Input.PortSet[Input.PortSet.Count - 1].ToString());
        }
        else
        {
            text.Append(" (1:1, all ports)");
        }
        text.Append("; MAP IPv6 ").Append(Input.MapIpv6Address).Append("; DMR ").Append(Input.DmrText)
            .Append("; ").Append(Input.Fmrs.Count.ToString(CultureInfo.InvariantCulture)).Append(" FMR(s); device ")
            .Append(Settings.MapDevice).Append(" MTU ").Append(Settings.MapDeviceMtu.ToString(CultureInfo.InvariantCulture))
            .Append(", WAN ").Append(Settings.WanInterface).Append(" MTU ").Append(Settings.WanMtu.ToString(CultureInfo.InvariantCulture))
            .Append(", TCP MSS ").Append(Settings.EffectiveMss.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private void AppendSteps(StringBuilder text, string phase, IReadOnlyList<PlanStep> steps)
    {
        text.Append("\n== ").Append(phase).Append('\n');
        int n = 0;
        foreach (PlanStep step in steps)
        {
            n++;
            text.Append(n.ToString(CultureInfo.InvariantCulture)).Append(". ").Append(KindName(step.Kind)).Append(": ");
            switch (step.Kind)
            {
                case PlanStepKind.Iptables:
                case PlanStepKind.Ip6tables:
                    text.Append(step.Kind == PlanStepKind.Iptables ? "iptables-restore" : "ip6tables-restore")
                        .Append(" --noflush --wait <<EOF");
                    text.Append(phase == "setup" ? JumpNote(step.Kind == PlanStepKind.Iptables ? Ipv4 : Ipv6) : "").Append('\n');
                    text.Append(step.Text).Append("EOF\n");
                    break;
                case PlanStepKind.Nat46:
                    text.Append("echo '").Append(step.Text).Append("' > /proc/net/nat46/control; read back and compare\n");
                    break;
                default:
                    text.Append(step.Text).Append('\n');
                    break;
            }
        }
    }

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

    public static string KindName(PlanStepKind kind) => kind switch
    {
        PlanStepKind.Nat46 => "nat46",
        PlanStepKind.Link => "link",
        PlanStepKind.Iptables => "iptables",
        PlanStepKind.Ip6tables => "ip6tables",
        PlanStepKind.Sysctl => "sysctl",
        _ => "route",
    };

    /// <summary>The same plan as one JSON object (for tools on the gateway).</summary>
    public void WriteJson(JsonWriter json)
    {
        json.StartObject();
        json.Property("ipv4Address", Input.Ipv4Address);
        json.Property("shared", Input.IsShared);
        json.StartArray("portRanges");
        foreach (PortSpan span in Input.PortSet)
            json.StartObject().Property("first", span.First).Property("last", span.Last).EndObject();
        json.EndArray();
        json.Property("mapIpv6Address", Input.MapIpv6Address);
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
        WriteSteps(json, "setup", Setup);
        WriteSteps(json, "teardown", Teardown);
        json.EndObject();
    }

    private static void WriteSteps(JsonWriter json, string name, IReadOnlyList<PlanStep> steps)
    {
        json.StartArray(name);
        foreach (PlanStep step in steps)
        {
            json.StartObject().Property("kind", KindName(step.Kind)).Property("text", step.Text);
            if (step.Device is not null)
                json.Property("device", step.Device);
            if (step.Mtu != 0)
                json.Property("mtu", step.Mtu);
            if (step.Destination is not null)
                json.Property("destination", step.Destination);
            if (step.Key is not null)
                json.Property("key", step.Key).Property("value", step.Value);
            json.EndObject();
        }
        json.EndArray();
    }
}
