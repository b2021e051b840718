using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Lab;

/// <summary>
/// A gateway under test, the published mapt binary running in it: an ISP namespace with Kea on
/// isp0 (fe80::1, the gateway's configured IPv6 default route), the gateway namespace with
/// wan0, lan0 and map0 (the stand-in for the nat46 device: a veth without ARP whose peer is
/// an "inet" namespace holding 198.51.100.10), and a LAN host 198.51.100.130 (198.51.100.128/28).
/// </summary>
internal sealed class GatewayLab : IDisposable
{
    public Netns Isp { get; }
    public Netns Gw { get; }
    public Netns Lan { get; }
    public Netns Inet { get; }
    public KeaServer Kea { get; private set; } = null!;
    public string Work { get; }
    public string Flash => Path.Combine(Work, "flash");
    public string Run => Path.Combine(Work, "run");
    public Process? Mapt { get; private set; }
    private readonly StringBuilder _output = new();

    public static string Binary => PublishedBinary.X64.Path;

    private GatewayLab()
    {
        Isp = Netns.Create("lab-isp");
        Gw = Netns.Create("lab-gw");
        Lan = Netns.Create("lab-lan");
        Inet = Netns.Create("lab-inet");
        Work = Directory.CreateTempSubdirectory("mapt-lab-").FullName;
        Directory.CreateDirectory(Flash);
        Directory.CreateDirectory(Run);
    }

    /// <summary>Kea serving RFC 7599 Example 1 (192.0.2.18, PSID 0x34) with the given timers.</summary>
    public static KeaConfig Example1(int t1 = 1000, int t2 = 2000, int preferred = 3000, int valid = 4000, string rule = "0, 16, 24, 192.0.2.0, 2001:db8::/40")
    {
        var c = new KeaConfig
        {
            Interface = "isp0",
            Subnet = "2001:db8:1::/64",
            RenewTimer = t1,
            RebindTimer = t2,
            PreferredLifetime = preferred,
            ValidLifetime = valid,
        };
        c.OptionData.AddRange(KeaConfig.Mapt(rule, "6, 52/8", "2001:db8:ffff::/64"));
        return c;
    }

    public static GatewayLab Start(KeaConfig? kea = null)
    {
        if (!File.Exists(Binary))
            Assert.Fail($"{Binary} does not exist: ./build.sh test publishes it before the tests run");
        var lab = new GatewayLab();
        try
        {
            lab.Build(kea ?? Example1());
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    private void Build(KeaConfig kea)
    {
        const string noDad = "sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0";
        Isp.Sh(noDad);
        Gw.Sh(noDad);
        Proc.Sh($"ip link add isp0 netns {Isp.Name} type veth peer name wan0 netns {Gw.Name}");
        Proc.Sh($"ip link add lan0 netns {Gw.Name} type veth peer name eth0 netns {Lan.Name}");
        Proc.Sh($"ip link add map0 netns {Gw.Name} type veth peer name map-peer netns {Inet.Name}");
        Isp.Sh("ip link set isp0 address 02:00:00:00:00:01 && ip addr add fe80::1/64 dev isp0 && ip addr add 2001:db8:1::1/64 dev isp0 && ip link set isp0 up");
        Gw.Sh("ip link set wan0 up && ip -6 route add default via fe80::1 dev wan0");
        Gw.Sh("ip addr add 198.51.100.129/28 dev lan0 && ip link set lan0 up && ip link set map0 arp off");
        Lan.Sh("ip addr add 198.51.100.130/28 dev eth0 && ip link set eth0 up && ip route add default via 198.51.100.129");
        // Without ARP the kernel addresses frames to the sender's own MAC: both ends share it.
        string mac = Gw.Sh("cat /sys/class/net/map0/address").Trim();
        Inet.Sh($"ip link set map-peer address {mac} && ip link set map-peer arp off && ip link set map-peer up && ip addr add 198.51.100.10/25 dev map-peer && ip route add 192.0.2.0/24 dev map-peer");
        Kea = KeaServer.Start(Isp, kea);
    }

    public void StartMapt(IDictionary<string, string>? env = null, params string[] extra) => StartMapt("linux-x64", env, extra);

    /// <summary>The arguments of `mapt run` in this lab, then <paramref name="extra"/>.</summary>
    public List<string> RunArgs(params string[] extra)
    {
        var args = new List<string> { "run", "--wan", "wan0", "--map-dev", "map0", "--translator", "none", "--flash-dir", Flash, "--run-dir", Run };
        args.AddRange(extra);
        return args;
    }

    /// <summary>Starts <paramref name="file"/> with <paramref name="args"/> in the gateway as "the mapt process" (a wrapper such as capsh or sh that execs mapt, or the release binary).</summary>
    public void StartMaptCommand(string file, IEnumerable<string> args, IDictionary<string, string>? env = null) =>
        Mapt = Gw.Start(file, args, env, Add, Add);

    /// <summary>Starts mapt run; the arm64 binary runs under qemu-aarch64 with the glibc 2.31 sysroot, as on a gateway.</summary>
    public void StartMapt(string rid, IDictionary<string, string>? env, params string[] extra)
    {
        List<string> args = RunArgs(extra);
        var e = new Dictionary<string, string> { ["MAPT_DHCP_NO_DELAY"] = "1" };
        if (env is not null)
            foreach (var (k, v) in env)
                e[k] = v;
        if (rid == "linux-x64")
        {
            Mapt = Gw.Start(Binary, args, e, Add, Add);
            return;
        }
        string sysroot = Repo.Arm64Sysroot;
        var qemu = new List<string> { "-L", sysroot, "-E", $"LD_LIBRARY_PATH={sysroot}/lib/aarch64-linux-gnu:{sysroot}/usr/lib/aarch64-linux-gnu" };
        foreach (var (k, v) in e)
            qemu.AddRange(new[] { "-E", k + "=" + v });
        qemu.Add(PublishedBinary.Arm64.Path);
        qemu.AddRange(args);
        Mapt = Gw.Start("qemu-aarch64", qemu, null, Add, Add);
    }

    private void Add(string line)
    {
        lock (_output)
            _output.Append(line).Append('\n');
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public ProcResult Status(params string[] extra) =>
        Gw.Try($"'{Binary}' status --run-dir '{Run}' {string.Join(' ', extra)}");

    /// <summary>The tr181-vendor-prefix mapt runs with (its state is Device.MAP.&lt;prefix&gt;State).</summary>
    public string VendorPrefix { get; set; } = global::Mapt.Status.VendorPrefix.Default;

    public string? State()
    {
        ProcResult r = Status();
        return r.ExitCode != 0 ? null : StatusText.Value(r.Stdout, global::Mapt.Status.VendorPrefix.Path(VendorPrefix, global::Mapt.Status.Tr181View.Root, "State"));
    }

    public string StatusValue(string path) => StatusText.Value(Status().Stdout, path) ?? "";

    /// <summary>
    /// Polls mapt status until <paramref name="state"/>; gives up early when the started process
    /// exited, unless <paramref name="detached"/> (--daemon: the started process exits at once).
    /// </summary>
    public void WaitState(string state, int seconds = 20, bool detached = false)
    {
        var sw = Stopwatch.StartNew();
        string? last = null;
        while (sw.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            last = State();
            if (last == state)
                return;
            if (!detached && Mapt is not null && Mapt.HasExited)
                break;
            Thread.Sleep(50);
        }
        Assert.Fail($"mapt not {state} within {seconds} s (last state {last ?? "none"})\n--- mapt output\n{Output}");
    }

    /// <summary>What mapt may change in the gateway, normalised so a clean gateway compares equal to itself.</summary>
    public string Snapshot()
    {
        // Rules and user chains only: an empty built-in table that a restore merely loaded is not a change.
        string Rules(string save) => string.Join("\n", Gw.Sh(save).Split('\n').Where(l => l.StartsWith("-A ") || (l.StartsWith(':') && l.Contains(" - "))).OrderBy(l => l, StringComparer.Ordinal));
        var s = new StringBuilder();
        s.Append("# iptables\n").Append(Rules("iptables-save")).Append('\n');
        s.Append("# ip6tables\n").Append(Rules("ip6tables-save")).Append('\n');
        s.Append("# routes\n").Append(Gw.Sh("ip -4 route show table main; ip -6 route show table main | grep -v -e '^fe80' -e 'proto kernel'"));
        s.Append("# sysctl\n").Append(Gw.Sh("sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding"));
        s.Append("# conntrack NATed to the MAP address\n").Append(ConntrackNatTo("192.0.2.18")).Append('\n');
        // Not map0's MTU: with --translator none the device is someone else's and mapt leaves it as it set it.
        return s.ToString();
    }

    /// <summary>Entries whose reply direction goes to <paramref name="address"/>: flows SNATed to it.</summary>
    public int ConntrackNatTo(string address) =>
        Gw.Try("conntrack -L 2>/dev/null").Stdout.Split('\n').Count(l => ReplyTuple(l).Contains(" dst=" + address + " ", StringComparison.Ordinal));

    // conntrack -L prints the original tuple, then the reply tuple, each starting with "src=".
    private static string ReplyTuple(string line)
    {
        int first = line.IndexOf("src=", StringComparison.Ordinal);
        int second = first < 0 ? -1 : line.IndexOf("src=", first + 4, StringComparison.Ordinal);
        return second < 0 ? "" : " " + line.Substring(second);
    }

    /// <summary>UDP flows from the LAN host to 198.51.100.10 from the given source ports (conntrack entries in the gateway).</summary>
    public void UdpFlows(params int[] ports)
    {
        foreach (int p in ports)
            Lan.Try($"echo x | nc -u -w1 -p {p} 198.51.100.10 9 >/dev/null 2>&1 &");
        // Until conntrack holds a flow from every port (a loaded machine starts nc late), at
        // most 5 s: the callers assert on what is there.
        var sw = Stopwatch.StartNew();
        do
        {
            Thread.Sleep(50);
            string flows = Gw.Try("conntrack -L -p udp 2>/dev/null").Stdout;
            if (ports.All(p => flows.Contains(" sport=" + p.ToString(CultureInfo.InvariantCulture) + " ", StringComparison.Ordinal)))
                return;
        }
        while (sw.Elapsed < TimeSpan.FromSeconds(5));
    }

    /// <summary>The NAT ports (reply destination ports) of UDP flows SNATed to <paramref name="address"/>.</summary>
    public List<int> NatPorts(string address)
    {
        var ports = new List<int>();
        foreach (string line in Gw.Try("conntrack -L -p udp 2>/dev/null").Stdout.Split('\n'))
        {
            int reply = line.IndexOf("src=198.51.100.10 dst=" + address + " ", StringComparison.Ordinal);
            if (reply < 0)
                continue;
            int dport = line.IndexOf("dport=", reply, StringComparison.Ordinal);
            int end = line.IndexOf(' ', dport);
            ports.Add(int.Parse(line.Substring(dport + 6, end - dport - 6)));
        }
        return ports;
    }

    public void Signal(string signal)
    {
        Assert.IsNotNull(Mapt);
        Proc.Sh($"kill -{signal} {Mapt.Id}");
    }

    /// <summary>kill -9 of mapt and of any child it has running (an iptables-restore under way).</summary>
    public void Kill9()
    {
        Assert.IsNotNull(Mapt);
        var children = new List<int>();
        foreach (string task in Directory.GetDirectories($"/proc/{Mapt.Id}/task"))
        {
            string file = Path.Combine(task, "children");
            if (File.Exists(file))
                foreach (string pid in File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    children.Add(int.Parse(pid));
        }
        Proc.Sh($"kill -9 {Mapt.Id}");
        foreach (int child in children)
            Proc.Run("/bin/sh", new[] { "-c", $"kill -9 {child}" });
        Mapt.WaitForExit(5000);
    }

    public int WaitExit(int seconds = 10)
    {
        Assert.IsNotNull(Mapt);
        Assert.IsTrue(Mapt.WaitForExit(seconds * 1000), "mapt did not exit\n" + Output);
        Mapt.WaitForExit();
        return Mapt.ExitCode;
    }

    public bool JournalExists => File.Exists(Path.Combine(Run, "mapt.journal"));

    public void Dispose()
    {
        try
        {
            if (Mapt is not null && !Mapt.HasExited)
                Mapt.Kill();
        }
        catch (InvalidOperationException) { }
        Kea?.Dispose();
        Lan.Dispose();
        Inet.Dispose();
        Gw.Dispose();
        Isp.Dispose();
        try { Directory.Delete(Work, recursive: true); } catch (IOException) { }
    }
}
