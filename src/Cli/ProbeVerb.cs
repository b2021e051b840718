using System;
using System.Text;
using CommandLine;
using Mapt.Dhcpv6;
using Mapt.Dhcpv6.Wire;
using Mapt.Map;
using Mapt.Net;
using Mapt.Platform;
using Mapt.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mapt.Cli;

[Verb("probe", HelpText = "One DHCPv6 exchange on an interface: print the lease, every S46 option and the computed mapping.")]
internal sealed class ProbeOptions : VerbOptions
{
    [Option("iface", Required = true, MetaValue = "IFNAME", HelpText = "Interface to solicit on.")]
    public string? Iface { get; set; }

    [Option("timeout", MetaValue = "SECONDS", HelpText = "Give up after this long (default 10).")]
    public string? Timeout { get; set; }

    [Option("json", HelpText = "Print one JSON object instead of text.")]
    public bool Json { get; set; }

    [Option("keep", HelpText = "Do not send Release afterwards.")]
    public bool Keep { get; set; }

    [Option("flash-dir", MetaValue = "DIR", HelpText = "Where the DUID is kept.")]
    public string? FlashDir { get; set; }
}

/// <summary>
/// `mapt probe`: Solicit/Advertise/Request/Reply on one interface, for the serial console.
/// Prints the server, the lease, every S46 option decoded beside its raw bytes, the chosen
/// BMR and the computed mapping; then releases (unless --keep). Exit codes: 0 MAP-T, 3 a
/// lease without MAP-T, 4 no answer, 5 only malformed answers.
/// </summary>
internal static class ProbeVerb
{
    private const int ReleaseWaitMs = 3000;

    public static int Execute(ProbeOptions options)
    {
        string iface = options.Iface!;
        uint timeoutSeconds = 10;
        if (options.Timeout is not null && (!DecimalText.TryParse(options.Timeout, 3600, out timeoutSeconds) || timeoutSeconds == 0))
            throw new UsageException("--timeout: '" + options.Timeout + "' is not valid (expected SECONDS, 1..3600)");

        using var loop = new EventLoop(NullLogger.Instance);
        long end = loop.NowMs + timeoutSeconds * 1000L;
        Dhcpv6Socket? socket;
        string error;
        // The link-local address may still be in DAD right after the link came up.
        while (!Dhcpv6Socket.TryOpen(iface, out socket, out bool notReady, out error))
        {
            if (!notReady || loop.NowMs >= end)
            {
                Console.Error.WriteLine("mapt probe: " + error);
                return notReady ? ExitCodes.ProbeNoAnswer : ExitCodes.Failure;
            }
            loop.RunOnce(50);
        }
        using Dhcpv6Socket s = socket!;
        var random = new Random();
        byte[] duid = options.FlashDir is { Length: > 0 } dir
            ? DuidStore.LoadOrCreate(dir, s.Mac, NullLogger.Instance, random)
            // Without a flash directory: DUID-LL from the MAC, the same one the daemon creates first.
            : DuidStore.Create(s.Mac, random);
        var client = new Dhcpv6Client(new Dhcpv6ClientSettings(iface, duid) { SkipInitialDelay = true, Random = random }, s, NullLogger.Instance);

        TimerHandle? timer = null;
        void Schedule(long deadline)
        {
            loop.Cancel(timer);
            timer = deadline == long.MaxValue ? null : loop.AddTimer(deadline, () => { timer = null; Schedule(client.Step(loop.NowMs)); });
        }
        loop.AddReader(s.Fd, () => Schedule(s.Drain(client, loop.NowMs)), "dhcpv6");
        Schedule(client.Start(loop.NowMs));
        while (client.Lease is null && loop.NowMs < end)
            loop.RunOnce((int)Math.Max(1, end - loop.NowMs));

        Lease? lease = client.Lease;
        if (lease is null)
        {
            bool malformed = client.MalformedCount > 0;
            string what = malformed
                ? "only malformed replies within " + timeoutSeconds + " s; last: " + client.LastRejection
                : "no answer within " + timeoutSeconds + " s on " + iface;
            if (options.Json)
                Console.Out.WriteLine(new JsonWriter().StartObject().Property("interface", iface).Property("result", malformed ? "malformed" : "no-answer")
                    .Property("detail", what).Property("malformedReplies", client.MalformedCount).EndObject().ToString());
            else
                Console.Error.WriteLine("mapt probe: " + what);
            return malformed ? ExitCodes.ProbeMalformed : ExitCodes.ProbeNoAnswer;
        }

        bool released = false;
        if (!options.Keep)
        {
            Schedule(client.Release(loop.NowMs));
            long releaseEnd = loop.NowMs + ReleaseWaitMs;
            while (client.State == ClientState.Releasing && loop.NowMs < releaseEnd)
                loop.RunOnce((int)Math.Max(1, releaseEnd - loop.NowMs));
            released = client.State == ClientState.Idle;
        }
        Console.Out.Write(options.Json ? Json(iface, lease, client, released, options.Keep) : Text(iface, lease, client, released, options.Keep));
        return lease.Mapt is null ? ExitCodes.ProbeNoMapT : ExitCodes.Success;
    }

    private static string Text(string iface, Lease lease, Dhcpv6Client client, bool released, bool keep)
    {
        var t = new StringBuilder();
        t.Append("interface  ").Append(iface).Append('\n');
        t.Append("server     ").Append(lease.ServerAddress.ToString()).Append(" duid ").Append(Hex(lease.ServerId)).Append('\n');
        foreach (DelegatedPrefix p in lease.Prefixes)
            t.Append("prefix     ").Append(Prefix(p)).Append(" preferred ").Append(p.PreferredLifetime).Append(" s valid ").Append(p.ValidLifetime).Append(" s\n");
        t.Append("t1 t2      ").Append(lease.T1).Append(" s ").Append(lease.T2).Append(" s\n");
        foreach (Ipv6Address d in lease.DnsServers)
            t.Append("dns        ").Append(d.ToString()).Append('\n');
        foreach (string d in lease.DomainList)
            t.Append("domain     ").Append(d).Append('\n');
        foreach (S46RawOption raw in lease.S46Options)
            DumpS46(t, raw.Bytes, raw.Offset, 0);
        if (lease.Mapt is null)
            t.Append("map-t      none (the reply carried no option 95)\n");
        else if (lease.TryComputeMapping(out MapResult? r, out MapError e))
        {
            MapResult m = r!;
            t.Append("bmr        ").Append(m.Rule.ToString()).Append('\n');
            t.Append("ipv4       ").Append(m.Ipv4Prefix.ToString()).Append('\n');
            t.Append("psid       ").Append(m.PortSet.Psid).Append(" (offset ").Append(m.PortSet.PsidOffset).Append(", length ").Append(m.PortSet.PsidLength).Append(")\n");
            t.Append("map-ipv6   ").Append(m.MapIpv6Address.ToString()).Append('\n');
            t.Append("ports      ").Append(m.PortSet.PortCount).Append(" in ").Append(m.PortSet.RangeCount).Append(" range(s):");
            int shown = 0;
            foreach (PortRange range in m.PortSet)
            {
                if (shown++ == 8)
                {
                    t.Append(" ...");
                    break;
                }
                t.Append(' ').Append(range.First).Append('-').Append(range.Last);
            }
            t.Append('\n');
            t.Append("dmr        ").Append(lease.Mapt.Dmr.ToString()).Append('\n');
            foreach (MapRule fmr in lease.Mapt.Rules.ForwardingMappingRules)
                t.Append("fmr        ").Append(fmr.ToString()).Append('\n');
        }
        else
            t.Append("map-t      no usable BMR for ").Append(lease.EndUserPrefix.ToString()).Append(": ").Append(MapErrors.Describe(e)).Append('\n');
        if (client.DroppedCount + client.MalformedCount > 0)
            t.Append("ignored    ").Append(client.DroppedCount).Append(" not for this exchange, ").Append(client.MalformedCount)
                .Append(" malformed").Append(client.MalformedCount > 0 ? " (last: " + client.LastRejection + ")" : "").Append('\n');
        t.Append("release    ").Append(keep ? "kept (--keep)" : released ? "released" : "no reply to Release").Append('\n');
        return t.ToString();
    }

    /// <summary>Every S46 option with its RFC name, decoded fields and raw bytes, nested by depth.</summary>
    private static void DumpS46(StringBuilder t, byte[] bytes, int baseOffset, int depth)
    {
        var reader = new Dhcpv6Reader(bytes, baseOffset);
        while (!reader.End)
        {
            if (!reader.TryReadOption(out Dhcpv6Option o, out ParseError error))
            {
                t.Append(' ', 2 * depth).Append("s46        malformed: ").Append(error.ToString()).Append('\n');
                return;
            }
            int headerIndex = o.Offset - baseOffset;
            byte[] raw = bytes.AsSpan(headerIndex, o.Body.Length + Dhcpv6Limits.OptionHeaderLength).ToArray();
            t.Append(' ', 2 * depth).Append("s46        ").Append(S46OptionCode.Name(o.Code)).Append(" (").Append(o.Code).Append(") ");
            switch (o.Code)
            {
                case S46OptionCode.Rule when Dhcpv6Reader.TryReadRule(o, out S46Rule rule, out _):
                    t.Append("flags 0x").Append(rule.Flags.ToString("x2")).Append(rule.IsForwardingMappingRule ? " (F)" : "")
                        .Append(" ea-len ").Append(rule.EaLength)
                        .Append(" ipv4 ").Append(Ipv4Prefix.Masked(new Ipv4Address(rule.Ipv4Prefix), rule.Prefix4Length).ToString())
                        .Append(" ipv6 ").Append(Ipv6Prefix.Masked(new Ipv6Address(rule.Ipv6Prefix), rule.Prefix6Length).ToString());
                    break;
                case S46OptionCode.PortParams when Dhcpv6Reader.TryReadPortParameters(o, out S46PortParameters p, out _):
                    t.Append("offset ").Append(p.PsidOffset).Append(" psid-len ").Append(p.PsidLength)
                        .Append(" psid ").Append(p.Psid).Append(" (wire 0x").Append(p.PsidLeftAligned.ToString("x4")).Append(')');
                    break;
                case S46OptionCode.Dmr when Dhcpv6Reader.TryReadDmr(o, out S46Dmr dmr, out _):
                    t.Append(Ipv6Prefix.Masked(new Ipv6Address(dmr.Prefix), dmr.PrefixLength).ToString());
                    break;
            }
            t.Append(" [").Append(Hex(raw)).Append("]\n");
            int skip = o.Code switch
            {
                S46OptionCode.ContainerMapE or S46OptionCode.ContainerMapT or S46OptionCode.ContainerLw4o6 => 0,
                S46OptionCode.Rule when o.Body.Length >= 8 => 8 + (o.Body[7] + 7) / 8,
                _ => -1,
            };
            if (skip >= 0 && skip <= o.Body.Length)
                DumpS46(t, o.Body.Slice(skip).ToArray(), o.BodyOffset + skip, depth + 1);
        }
    }

    private static string Json(string iface, Lease lease, Dhcpv6Client client, bool released, bool keep)
    {
        var j = new JsonWriter().StartObject();
        j.Property("interface", iface).Property("result", lease.Mapt is null ? "no-mapt" : "mapt");
        j.Property("server", lease.ServerAddress.ToString()).Property("serverDuid", Hex(lease.ServerId));
        j.StartArray("prefixes");
        foreach (DelegatedPrefix p in lease.Prefixes)
            j.StartObject().Property("prefix", Prefix(p)).Property("preferred", (long)p.PreferredLifetime).Property("valid", (long)p.ValidLifetime).EndObject();
        j.EndArray();
        j.Property("t1", (long)lease.T1).Property("t2", (long)lease.T2);
        j.StartArray("dns");
        foreach (Ipv6Address d in lease.DnsServers)
            j.String(d.ToString());
        j.EndArray();
        j.StartArray("domains");
        foreach (string d in lease.DomainList)
            j.String(d);
        j.EndArray();
        j.StartArray("s46");
        foreach (S46RawOption raw in lease.S46Options)
            j.StartObject().Property("code", (long)raw.Code).Property("name", S46OptionCode.Name(raw.Code)).Property("offset", (long)raw.Offset).Property("hex", Hex(raw.Bytes)).EndObject();
        j.EndArray();
        if (lease.Mapt is not null)
        {
            j.StartArray("rules");
            foreach (MapRule rule in lease.Mapt.Rules.Rules)
                j.StartObject().Property("ipv6Prefix", rule.RuleIpv6Prefix.ToString()).Property("ipv4Prefix", rule.RuleIpv4Prefix.ToString())
                    .Property("eaBitsLength", (long)rule.EaBitsLength).Property("fmr", rule.IsFmr)
                    .Property("psidOffset", (long)rule.PsidOffset).Property("psidLength", (long)rule.PsidLength).EndObject();
            j.EndArray();
            j.Property("dmr", lease.Mapt.Dmr.ToString());
            if (lease.TryComputeMapping(out MapResult? r, out MapError e))
            {
                MapResult m = r!;
                j.Property("bmr", m.Rule.ToString()).Property("ipv4", m.Ipv4Prefix.ToString()).Property("psid", (long)m.PortSet.Psid)
                    .Property("psidOffset", (long)m.PortSet.PsidOffset).Property("psidLength", (long)m.PortSet.PsidLength)
                    .Property("mapIpv6", m.MapIpv6Address.ToString()).Property("portCount", (long)m.PortSet.PortCount);
                j.StartArray("portRanges");
                foreach (PortRange range in m.PortSet)
                    j.StartArray().Number((long)range.First).Number((long)range.Last).EndArray();
                j.EndArray();
            }
            else
                j.Property("mappingError", MapErrors.Describe(e));
        }
        j.Property("droppedReplies", (long)client.DroppedCount).Property("malformedReplies", (long)client.MalformedCount);
        j.Property("released", released).Property("kept", keep);
        return j.EndObject().ToString() + "\n";
    }

    private static string Prefix(DelegatedPrefix p) => Ipv6Prefix.Masked(new Ipv6Address(p.Prefix), p.Length).ToString();

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
