using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using Mapt.Map;
using Mapt.Platform;
using Mapt.Tests.Support;
using Mapt.Translator;
using Microsoft.Extensions.Logging.Abstractions;
using static Mapt.Tests.Map.MapValues;

namespace Mapt.Tests.Translator;

/// <summary>What translates in the CE namespace of <see cref="TranslatorLab"/>.</summary>
internal enum CeKind
{
    /// <summary>mapt's TunTranslator on a thread of this (JIT-hosted) test process; the lab adds routes and SNAT.</summary>
    InProcess,
    /// <summary>The published AOT binary, <c>mapt run --translator tun</c> with a static rule: mapt creates the TUN device, its MTU, routes and SNAT.</summary>
    Daemon,
    /// <summary>tayga in mapt's place (the baseline); the lab adds routes and SNAT.</summary>
    Tayga,
    /// <summary>
    /// No translator: the CE routes IPv6 from the LAN host (2001:db8:3::2, <see cref="TranslatorLab.LanHost6"/>)
    /// to the IPv6 host, the kernel's plain forward path on the same links (the ceiling).
    /// </summary>
    Routed,
}

/// <summary>
/// The MAP-T lab: a LAN host behind the CE, the CE translating on a TUN device (mapt in this
/// process, the published mapt binary as the daemon, or tayga for the baseline: <see cref="CeKind"/>)
/// with an SNAT into its port set in front, an IPv6-only ISP with tayga as the BR (DMR
/// 2001:db8:ffff::/96, a static map entry for the CE), an IPv4 router behind it and an IPv4
/// "internet" host; plus an IPv6-only host on the ISP side that holds a DMR-embedded address
/// (no BR on that path).
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
        CeIpv4 = "192.0.2.18", LanHost6 = "2001:db8:3::2", CeMapIpv6 = "2001:db8:12:3400:0:c000:212:34", Dmr = "2001:db8:ffff::/96";
    public const string Device = "mapt0";
    public const int WanMtu = 1500, TunMtu = WanMtu - 20;

    private readonly string _dir;
    private Thread? _thread;
    private volatile bool _stop;
    private Exception? _failure;
    private readonly StringBuilder _daemonOutput = new();

    public CeKind Kind { get; }
    /// <summary>The mapt daemon (<see cref="CeKind.Daemon"/>): <c>ip netns exec</c> execs it, so this is mapt's own pid.</summary>
    public Process? Daemon { get; private set; }
    public string DaemonRunDir => Path.Combine(_dir, "run");

    public Netns Lan { get; }
    public Netns Ce { get; }
    public Netns Isp { get; }
    public Netns Rtr { get; }
    public Netns Internet { get; }
    public Netns V6Host { get; }
    public TunTranslator? Translator { get; private set; }
    /// <summary>
    /// The CE's translating task: the translator thread (/proc/self/task/TID), or the whole
    /// process of the mapt daemon (single-threaded by design) or of tayga.
    /// </summary>
    public string CeTaskStat { get; private set; } = "";
    public TranslatorCounters Counters => Translator!.Counters;

    private readonly string _daemonConfig;

    /// <param name="daemonConfig">With <see cref="CeKind.Daemon"/>: more config lines (<c>snat = remap</c>).</param>
    public TranslatorLab(CeKind kind = CeKind.InProcess, string daemonConfig = "")
    {
        Kind = kind;
        _daemonConfig = daemonConfig;
        _dir = Directory.CreateTempSubdirectory("mapt-translator-lab").FullName;
        Lan = Netns.Create("trl");
        Ce = Netns.Create("trc");
        Isp = Netns.Create("tri");
        Rtr = Netns.Create("trr");
        Internet = Netns.Create("trn");
        V6Host = Netns.Create("tr6");
        try
        {
            Build();
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

    private void Build()
    {
        // No DAD on the CE: the daemon waits for a usable link-local address on the WAN.
        Ce.Sh("sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0");
        Netns.Veth(Lan, "eth0", Ce, "lan0");
        Netns.Veth(Ce, "wan0", Isp, "ce0");
        Netns.Veth(Isp, "rtr0", Rtr, "isp0");
        Netns.Veth(Rtr, "inet0", Internet, "eth0");
        Netns.Veth(Isp, "v6h0", V6Host, "eth0");

        // No ICMP rate limits: the tests count errors and must not depend on earlier tests' budget.
        foreach (Netns ns in new[] { Ce, Isp, Rtr })
            ns.Sh("sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0");
        Lan.Sh("ip addr add 198.51.100.2/29 dev eth0 && ip route add default via 198.51.100.1");

        // The daemon sets the forwarding sysctls itself (and restores them on teardown).
        Ce.Sh("sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0"
            + (Kind == CeKind.Daemon ? "" : " net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1"));
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

        switch (Kind)
        {
            case CeKind.Routed:
                Ce.Sh("sysctl -qw net.ipv6.conf.all.forwarding=1 && ip -6 addr add 2001:db8:3::1/64 dev lan0 nodad");
                Lan.Sh("ip -6 addr add 2001:db8:3::2/64 dev eth0 nodad && ip -6 route add default via 2001:db8:3::1");
                Isp.Sh("ip -6 route add 2001:db8:3::/64 via 2001:db8:1::2");
                return;
            case CeKind.Daemon:
                // mapt creates the TUN device, its MTU, the routes, the SNAT and the MSS clamp.
                StartDaemon();
                return;
            case CeKind.Tayga:
                int pid = StartTayga(Ce, Device, "198.51.100.254", "2001:db8:1::64", "ce");
                CeTaskStat = $"/proc/{pid}/stat";
                Ce.Sh($"ip link set {Device} up mtu {TunMtu}");
                break;
            default:
                StartTranslator();
                break;
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

    /// <summary>
    /// The published AOT binary as the CE's daemon: <c>mapt run --translator tun</c> with the
    /// lab's rule, prefix and DMR as a static configuration (no DHCPv6), waited for until
    /// <c>mapt status</c> says Up.
    /// </summary>
    private void StartDaemon()
    {
        string binary = Repo.Binary("linux-x64");
        if (!File.Exists(binary))
            throw new InvalidOperationException($"{binary} does not exist: ./build.sh x64 publishes it");
        string flash = Path.Combine(_dir, "flash");
        Directory.CreateDirectory(flash);
        Directory.CreateDirectory(DaemonRunDir);
        string conf = Path.Combine(_dir, "static.conf");
        // The rule of Addressing(): 2001:db8::/40 <-> 192.0.2.0/24, 16 EA bits, PSID offset 6.
        File.WriteAllText(conf, "static-rule = 2001:db8::/40,192.0.2.0/24,16,offset=6\n"
            + "static-prefix = 2001:db8:12:3400::/56\nstatic-dmr = " + Dmr + "\n" + _daemonConfig);
        var args = new List<string> { "run", "--wan", "wan0", "--map-dev", Device, "--translator", "tun", "--config", conf,
            "--flash-dir", flash, "--run-dir", DaemonRunDir };
        // The port set's occupancy every 5 s (a test build's hook; the product backs off to 5 minutes when idle).
        var env = new Dictionary<string, string> { [Mapt.Platform.EnvironmentSwitches.OccupancyMsName] = "5000" };
        Daemon = Ce.Start(binary, args, env, AddOutput, AddOutput);
        CeTaskStat = $"/proc/{Daemon.Id}/stat";
        var sw = Stopwatch.StartNew();
        string? state = null;
        while (sw.Elapsed < TimeSpan.FromSeconds(20) && !Daemon.HasExited)
        {
            state = DaemonState();
            if (state == "Up")
                return;
            Thread.Sleep(50);
        }
        throw new InvalidOperationException($"mapt not Up within 20 s (last state {state ?? "none"}"
            + (Daemon.HasExited ? $", exited {Daemon.ExitCode}" : "") + ")\n--- mapt output\n" + DaemonOutput);
    }

    private void AddOutput(string line)
    {
        lock (_daemonOutput)
            _daemonOutput.Append(line).Append('\n');
    }

    /// <summary>What the daemon printed so far (its log lines).</summary>
    public string DaemonOutput
    {
        get { lock (_daemonOutput) return _daemonOutput.ToString(); }
    }

    /// <summary><c>mapt status</c> in the CE namespace, one "Path value" per line.</summary>
    public ProcResult DaemonStatus() => Ce.Try($"'{Repo.Binary("linux-x64")}' status --run-dir '{DaemonRunDir}'");

    /// <summary>The daemon state (Device.MAP.X_..._State) of <c>mapt status</c>, or null when it has none (not written yet).</summary>
    public string? DaemonState()
    {
        ProcResult r = DaemonStatus();
        return r.ExitCode != 0 ? null : StatusText.Value(r.Stdout, StatusText.StatePath);
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

    /// <summary>Throws if the translator thread (or the mapt daemon) died.</summary>
    public void CheckAlive()
    {
        if (Daemon is not null && Daemon.HasExited)
            throw new InvalidOperationException($"mapt exited {Daemon.ExitCode}\n--- mapt output\n{DaemonOutput}");
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

    /// <summary>kill -9 of the daemon, then a new start, waited for until Up: the milliseconds from the kill to Up.</summary>
    public long Kill9AndRestartDaemon()
    {
        var sw = Stopwatch.StartNew();
        Proc.Run("kill", new[] { "-9", Daemon!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Daemon.WaitForExit(5000);
        StartDaemon();
        return sw.ElapsedMilliseconds;
    }

    /// <summary>SIGTERM (an orderly teardown), then SIGKILL after 10 s; the namespace's dispose kills whatever is left.</summary>
    private void StopDaemon()
    {
        if (Daemon is null)
            return;
        try
        {
            if (!Daemon.HasExited)
            {
                Proc.Run("kill", new[] { "-TERM", Daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                if (!Daemon.WaitForExit(10_000))
                    Daemon.Kill();
            }
            Daemon.WaitForExit(5_000);
        }
        catch (InvalidOperationException) { }
    }

    public void Dispose()
    {
        StopDaemon();
        _stop = true;
        _thread?.Join(TimeSpan.FromSeconds(5));
        Translator?.Dispose();
        foreach (Netns ns in new[] { Lan, Ce, Isp, Rtr, Internet, V6Host })
            ns?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
