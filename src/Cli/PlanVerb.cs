using System;
using System.Globalization;
using CommandLine;
using Mapt.Map;
using Mapt.Net;
using Mapt.Provisioning;
using Mapt.Text;

namespace Mapt.Cli;

[Verb("plan", HelpText = "Print what bring-up and teardown would apply (nat46, links, routes, sysctls, iptables) without touching the system.")]
internal sealed class PlanOptions : RuleOptions
{
    [Option("wan", MetaValue = "IFNAME", HelpText = "WAN interface (default: wan).")]
    public string? Wan { get; set; }

    [Option("map-dev", MetaValue = "IFNAME", HelpText = "MAP-T translator device (default: map-mapt).")]
    public string? MapDev { get; set; }

    [Option("wan-mtu", MetaValue = "1280..65535", HelpText = "WAN MTU (default 1500).")]
    public string? WanMtu { get; set; }

    [Option("translator", MetaValue = "nat46|none|tun", HelpText = "Who translates (default nat46): what mapt run --translator would apply.")]
    public string? Translator { get; set; }

    [Option("snat", MetaValue = "ranges|remap", HelpText = "SNAT per port range (default) or one rule per protocol into a virtual range remapped by the TUN translator (needs --translator tun).")]
    public string? Snat { get; set; }

    [Option("remap-keep", MetaValue = "tcp:PORT,udp:PORT", HelpText = "With --snat remap: ports of the set left as they are (port forwards).")]
    public string? RemapKeep { get; set; }

    [Option("wan-gateway", MetaValue = "IPV6", HelpText = "The WAN's IPv6 default gateway: the next hop of the route to the DMR (shown only when given).")]
    public string? WanGateway { get; set; }

    [Option("only", MetaValue = "nat46|iptables|ip6tables", HelpText = "Print only this text, exactly as it would be written.")]
    public string? Only { get; set; }

    [Option("phase", MetaValue = "setup|teardown", HelpText = "With --only: which phase (default setup).")]
    public string? Phase { get; set; }
}

/// <summary>
/// <c>mapt plan</c>: the plan for the rules given with calc's flags, printed, nothing touched.
/// --only prints one text exactly as it would be written: nat46 commands one per line (one
/// write each), or the restore text for a fresh system, ready for `iptables-restore --noflush`.
/// </summary>
internal static class PlanVerb
{
    public static int Execute(PlanOptions options)
    {
        RuleArguments arguments = RuleArguments.Parse(options);
        if (arguments.Rules.Count == 0)
            throw new UsageException("no rule given: --rule-ipv6 IPV6/N --rule-ipv4 IPV4/R --ea-len N, or --rule IPV6/N,IPV4/R,EA");
        if (arguments.EndUserPrefix is not Ipv6Prefix endUser)
            throw new UsageException("--prefix is required (expected IPV6/LEN, the End-user prefix)");
        if (arguments.Dmr is not Dmr dmr)
            throw new UsageException("--dmr is required (expected IPV6/LEN, the BR's prefix: 32, 40, 48, 56, 64 or 96)");
        MapResult result = arguments.ComputeForPrefix(endUser, options.Prefix!);
        if (SenseCheck.Check(arguments.Rules, dmr, endUser, System.Array.Empty<Ipv4Prefix>()) is string nonsense)
            throw new UsageException(nonsense + "; nothing would be applied");

        int wanMtu = PlanSettings.DefaultWanMtu;
        if (options.WanMtu is not null && (!int.TryParse(options.WanMtu, NumberStyles.None, CultureInfo.InvariantCulture, out wanMtu) || wanMtu is < 1280 or > 65535))
            throw new UsageException($"--wan-mtu '{options.WanMtu}' is not valid (expected 1280..65535)");
        if (options.Only is not (null or "nat46" or "iptables" or "ip6tables"))
            throw new UsageException($"--only '{options.Only}' is not valid (expected nat46|iptables|ip6tables)");
        if (options.Phase is not (null or "setup" or "teardown"))
            throw new UsageException($"--phase '{options.Phase}' is not valid (expected setup|teardown)");
        if (options.Phase is not null && options.Only is null)
            throw new UsageException("--phase needs --only (expected nat46|iptables|ip6tables)");
        if (options.Only is not null && options.Json)
            throw new UsageException("--only prints the exact text; it cannot be combined with --json");

        TranslatorKind translator = options.Translator switch
        {
            null or "nat46" => TranslatorKind.Nat46,
            "none" => TranslatorKind.None,
            "tun" => TranslatorKind.Tun,
            _ => throw new UsageException($"--translator '{options.Translator}' is not valid (expected nat46|none|tun)"),
        };
        SnatMode snat = options.Snat switch
        {
            null or "ranges" => SnatMode.Ranges,
            "remap" => SnatMode.Remap,
            _ => throw new UsageException($"--snat '{options.Snat}' is not valid (expected ranges|remap)"),
        };
        RemapKeep? keep = null;
        if (options.RemapKeep is not null)
        {
            keep = RemapKeep.TryParse(options.RemapKeep, out string keepError)
                ?? throw new UsageException($"--remap-keep '{options.RemapKeep}' is not valid: {keepError} (expected tcp:PORT,udp:PORT)");
            if (snat != SnatMode.Remap)
                throw new UsageException("--remap-keep needs --snat remap");
        }
        Ipv6Address? gateway = null;
        if (options.WanGateway is not null)
        {
            if (!Ipv6Address.TryParse(options.WanGateway, out Ipv6Address g))
                throw new UsageException($"--wan-gateway '{options.WanGateway}' is not an IPv6 address (expected the WAN's default gateway, e.g. fe80::1)");
            gateway = g;
        }
        var settings = new PlanSettings(
            WanInterface: options.Wan ?? PlanSettings.DefaultWan,
            MapDevice: options.MapDev ?? PlanSettings.DefaultMapDevice,
            WanMtu: wanMtu,
            Translator: translator,
            WanGateway: gateway,
            Snat: snat,
            RemapKeep: keep);
        PlanInput input = PlanInputs.From(result, dmr, arguments.Rules);
        if (!Plan.TryCreate(input, settings, out Plan? plan, out string refusal))
            throw new UsageException(refusal);

        if (options.Only is not null)
        {
            bool teardown = options.Phase == "teardown";
            Console.Out.Write(options.Only switch
            {
                "nat46" => Nat46Text(teardown ? plan!.Nat46Teardown : plan!.Nat46Setup),
                "iptables" => teardown ? plan!.IptablesTeardown : plan!.IptablesSetup,
                _ => teardown ? plan!.Ip6tablesTeardown : plan!.Ip6tablesSetup,
            });
            return ExitCodes.Success;
        }
        if (options.Json)
        {
            var json = new JsonWriter(indented: true);
            plan!.WriteJson(json);
            Console.Out.Write(json.ToString() + "\n");
            return ExitCodes.Success;
        }
        Console.Out.Write(plan!.ToText());
        return ExitCodes.Success;
    }

    private static string Nat46Text(System.Collections.Generic.IReadOnlyList<Nat46Step> steps)
    {
        var text = new System.Text.StringBuilder();
        foreach (Nat46Step step in steps)
            text.Append(step.Command).Append('\n');
        return text.ToString();
    }
}
