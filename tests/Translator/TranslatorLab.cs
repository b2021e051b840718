using System;
using System.IO;
using System.Threading;
using Mapt.Map;
using Mapt.Platform;
using Mapt.Tests.Support;
using Mapt.Translator;
using Microsoft.Extensions.Logging.Abstractions;
using static Mapt.Tests.Map.MapValues;

namespace Mapt.Tests.Translator;

/// <summary>
/// The MAP-T lab: a LAN host behind the CE, the CE translating on a TUN device (mapt in this
/// process, or tayga for the baseline) with an SNAT into its port set in front, an IPv6-only
/// ISP with tayga as the BR (DMR 2001:db8:ffff::/96, a static map entry for the CE), an IPv4
/// router behind it and an IPv4 "internet" host; plus an IPv6-only host on the ISP side that
/// holds a DMR-embedded address (no BR on that path).
/// <code>
///  lan 198.51.100.2 ─ ce (mapt0) 2001:db8:1::2 ─ isp [tayga nat64] 203.0.113.1 ─(MTU 1400)─ rtr 198.51.100.65 ─ inet 198.51.100.66
///                                                   2001:db8:2::1 ─ v6host 2001:db8:ffff::cb00:7109 (= 203.0.113.9)
/// </code>
/// CE: 192.0.2.18, PSID 0x34 of 8 bits at offset 6 (RFC 7599 Appendix A: ports 1232-1235, 2256-2259, ...),
/// MAP address 2001:db8:12:3400:0:c000:212:34.
/// </summary>
internal sealed class TranslatorLab : IDisposable
{
    public const string LanHost = "198.51.100.2", Inet = "198.51.100.66", Router = "198.51.100.65", RouterIsp = "203.0.113.2",
        IspV4 = "203.0.113.1", V6HostAs4 = "203.0.113.9", V6HostAddress = "2001:db8:ffff::cb00:7109",
        CeIpv4 = "192.0.2.18", CeMapIpv6 = "2001:db8:12:3400:0:c000:212:34", Dmr = "2001:db8:ffff::/96";
    public const string Device = "mapt0";
    public const int WanMtu = 1500, TunMtu = WanMtu - 20;

    private readonly string _dir;
    private Thread? _thread;
    private volatile bool _stop;
    private Exception? _failure;

    public Netns Lan { get; }
    public Netns Ce { get; }
    public Netns Isp { get; }
    public Netns Rtr { get; }
    public Netns Internet { get; }
    public Netns V6Host { get; }
    public TunTranslator? Translator { get; private set; }
    /// <summary>The CE's translating task: the translator thread (/proc/self/task/TID) or tayga's process.</summary>
    public string CeTaskStat { get; private set; } = "";
    public TranslatorCounters Counters => Translator!.Counters;

    public TranslatorLab(bool taygaAsCe = false)
    {
        _dir = Directory.CreateTempSubdirectory("mapt-translator-lab").FullName;
        Lan = Netns.Create("trl");
        Ce = Netns.Create("trc");
        Isp = Netns.Create("tri");
        Rtr = Netns.Create("trr");
        Internet = Netns.Create("trn");
        V6Host = Netns.Create("tr6");
        try
        {
            Build(taygaAsCe);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public static MapAddressing Addressing()
    {
        MapRule bmr = Rule("2001:db8::/40", "192.0.2.0/24", 16);
        if (!Mapt.Map.Dmr.TryCreate(P6(Dmr), out Mapt.Map.Dmr dmr, out MapError e))
            throw new InvalidOperationException(e.ToString());
        return new MapAddressing(Compute(bmr, "2001:db8:12:3400::/56"), new MapRuleSet(new[] { bmr }, dmr));
    }

    private void Build(bool taygaAsCe)
    {
        Netns.Veth(Lan, "eth0", Ce, "lan0");
        Netns.Veth(Ce, "wan0", Isp, "ce0");
        Netns.Veth(Isp, "rtr0", Rtr, "isp0");
        Netns.Veth(Rtr, "inet0", Internet, "eth0");
        Netns.Veth(Isp, "v6h0", V6Host, "eth0");

        // No ICMP rate limits: the tests count errors and must not depend on earlier tests' budget.
        foreach (Netns ns in new[] { Ce, Isp, Rtr })
            ns.Sh("sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0");
        Lan.Sh("ip addr add 198.51.100.2/29 dev eth0 && ip route add default via 198.51.100.1");

        Ce.Sh("sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0");
        Ce.Sh("ip addr add 198.51.100.1/29 dev lan0 && ip -6 addr add 2001:db8:1::2/64 dev wan0 nodad"
            + " && ip -6 route add default via 2001:db8:1::1");

        Isp.Sh("sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0");
        Isp.Sh("ip -6 addr add 2001:db8:1::1/64 dev ce0 nodad && ip -6 route add 2001:db8:12:3400::/56 via 2001:db8:1::2"
            + " && ip addr add 203.0.113.1/30 dev rtr0 && ip link set rtr0 mtu 1400 && ip route add default via 203.0.113.2"
            + " && ip -6 addr add 2001:db8:2::1/64 dev v6h0 nodad && ip -6 route add " + V6HostAddress + "/128 via 2001:db8:2::2");
        Rtr.Sh("sysctl -qw net.ipv4.ip_forward=1 && ip addr add 203.0.113.2/30 dev isp0 && ip link set isp0 mtu 1400"
            + " && ip addr add 198.51.100.65/30 dev inet0 && ip route add 192.0.2.0/24 via 203.0.113.1");
        Internet.Sh("ip addr add 198.51.100.66/30 dev eth0 && ip route add default via 198.51.100.65");
        V6Host.Sh("ip -6 addr add 2001:db8:2::2/64 dev eth0 nodad && ip -6 addr add " + V6HostAddress + "/128 dev lo"
            + " && ip -6 route add default via 2001:db8:2::1");

        // The BR: tayga with the DMR as its /96 prefix and the CE's static map entry.
        StartTayga(Isp, "nat64", "203.0.113.254", "2001:db8:64::1", "br");
        Isp.Sh("ip link set nat64 up && ip route add 192.0.2.18/32 dev nat64 && ip route add 203.0.113.254/32 dev nat64"
            + " && ip -6 route add " + Dmr + " dev nat64 && ip -6 route add 2001:db8:64::1/128 dev nat64");

        if (taygaAsCe)
        {
            int pid = StartTayga(Ce, Device, "198.51.100.254", "2001:db8:1::64", "ce");
            CeTaskStat = $"/proc/{pid}/stat";
            Ce.Sh($"ip link set {Device} up mtu {TunMtu}");
        }
        else
        {
            StartTranslator();
        }
        // As nat46 would have it: IPv4 default into the MAP device, the MAP /128 (here its /64,
        // so packets for other addresses of the CE's MAP subnet reach the translator's check).
        Ce.Sh($"ip route add default dev {Device} && ip -6 route add 2001:db8:12:3400::/64 dev {Device}");
        // SNAT into the port set (round robin over four of its 63 ranges), MSS clamp on the device.
        string snat = "";
        foreach (string proto in new[] { "tcp", "udp", "icmp" })
            for (int i = 0; i < 4; i++)
            {
                int lo = ((i + 1) << 10) | (0x34 << 2);
                string nth = i < 3 ? $"-m statistic --mode nth --every {4 - i} --packet 0 " : "";
                snat += $"-A MAPT -p {proto} {nth}-j SNAT --to-source {CeIpv4}:{lo}-{lo + 3}\n";
            }
        string rules = "*nat\n:MAPT - [0:0]\n-A POSTROUTING -o " + Device + " -j MAPT\n" + snat + "COMMIT\n"
            + "*mangle\n-A FORWARD -o " + Device + " -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu\nCOMMIT\n";
        File.WriteAllText(Path.Combine(_dir, "rules"), rules);
        Ce.Sh($"iptables-restore --noflush < {_dir}/rules");
    }

    private int StartTayga(Netns ns, string tun, string ipv4, string ipv6, string name)
    {
        string dataDir = Path.Combine(_dir, "tayga-" + name);
        Directory.CreateDirectory(dataDir);
        string conf = Path.Combine(_dir, "tayga-" + name + ".conf");
        File.WriteAllText(conf, $"tun-device {tun}\nipv4-addr {ipv4}\nipv6-addr {ipv6}\nprefix {Dmr}\n"
            + $"map {CeIpv4} {CeMapIpv6}\ndata-dir {dataDir}\n");
        ns.Sh($"tayga -c {conf} --mktun");
        return ns.Start("tayga", new[] { "-c", conf, "-d" }).Id; // ip netns exec execs tayga: same pid
    }

    private void StartTranslator()
    {
        using var ready = new ManualResetEventSlim();
        _thread = new Thread(() =>
        {
            try
            {
                CeTaskStat = $"/proc/self/task/{gettid()}/stat";
                using (Ce.Enter())
                    Translator = TunTranslator.Open(Device, new TranslatorConfig(Addressing(), TunMtu), NullLogger.Instance);
                var loop = new EventLoop(NullLogger.Instance);
                loop.AddReader(Translator.Fd, Translator.OnReadable, "tun");
                ready.Set();
                while (!_stop)
                    loop.RunOnce(50);
            }
            catch (Exception e)
            {
                _failure = e;
                ready.Set();
            }
        })
        { IsBackground = true, Name = "translator" };
        _thread.Start();
        if (!ready.Wait(TimeSpan.FromSeconds(10)) || _failure is not null)
            throw new InvalidOperationException("translator did not start: " + _failure);
    }

    /// <summary>Throws if the translator thread died.</summary>
    public void CheckAlive()
    {
        if (_failure is not null || (_thread is not null && !_thread.IsAlive))
            throw new InvalidOperationException("translator thread died: " + _failure);
    }

    /// <summary>CPU seconds (user + system) the CE's translator has used so far.</summary>
    public double CeCpuSeconds()
    {
        // /proc/PID/stat: fields 14 and 15 (utime, stime) in clock ticks (100 Hz), after the ")" of the name.
        string stat = File.ReadAllText(CeTaskStat);
        string[] f = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
        return (long.Parse(f[11]) + long.Parse(f[12])) / 100.0;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int gettid();

    public void Dispose()
    {
        _stop = true;
        _thread?.Join(TimeSpan.FromSeconds(5));
        Translator?.Dispose();
        foreach (Netns ns in new[] { Lan, Ce, Isp, Rtr, Internet, V6Host })
            ns?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
