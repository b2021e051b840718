using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Mapt.Provisioning;
using Mapt.Tests.Lab;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Firmware;

/// <summary>
/// The firmware VM as the gateway of a namespace lab:
/// <code>
///  lan [br0 198.51.100.130/28] ─tap─ VM lan0 198.51.100.129 │ VM wan0 ─tap─ [isp0 bridge] isp: Kea, radvd, tayga (BR) ─ web 203.0.113.10
/// </code>
/// isp: Kea on the bridge isp0 delegates 2001:db8:12:3400::/56 with MAP-T (RFC 7599 Example 1:
/// 192.0.2.18, PSID 0x34 of 8 bits at offset 6; DMR 2001:db8:ffff::/96), radvd gives the VM its
/// IPv6 default route, tayga is the BR for that DMR (a static map entry for the CE), and the
/// delegated prefix is routed to the VM's link-local address (Kea installs no routes). web
/// serves HTTP on 203.0.113.10:8080 and logs each client's address and port. The bridges keep
/// Kea's and the LAN host's interfaces when a power cut replaces the VM's taps.
/// </summary>
internal sealed class FirmwareLab : IDisposable
{
    public const string CeIpv4 = "192.0.2.18", CeMapIpv6 = "2001:db8:12:3400:0:c000:212:34", Dmr = "2001:db8:ffff::/96",
        DelegatedPrefix = "2001:db8:12:3400::/56", Web = "203.0.113.10", LanHost = "198.51.100.130";
    public const int WebPort = 8080;
    /// <summary>RFC 7599 Example 1, as Kea's CSV: flags, EA length, IPv4 prefix length, IPv4 prefix, IPv6 prefix.</summary>
    public const string Bmr = "0, 16, 24, 192.0.2.0, 2001:db8::/40", PortParams = "6, 52/8";

    private readonly List<string> _webLog = new();
    private Process? _tayga;

    public Netns Isp { get; }
    public Netns Lan { get; }
    public Netns WebHost { get; }
    public string Work { get; }
    public KeaServer Kea { get; private set; } = null!;
    public FirmwareVm Vm { get; private set; } = null!;
    public SerialConsole Console => Vm.Console;
    /// <summary>The DMR tayga translates for (changed by <see cref="MoveBr"/>).</summary>
    public string BrPrefix { get; private set; } = Dmr;
    public string BlobSha256 { get; private set; } = "";
    public string VmWanLinkLocal { get; } = FirmwareImage.LinkLocal(FirmwareImage.Ports()["wan0"]);

    public static KeaConfig KeaExample1(string dmr = Dmr)
    {
        var c = new KeaConfig { Interface = "isp0", Subnet = "2001:db8:1::/64" };
        c.OptionData.AddRange(KeaConfig.Mapt(Bmr, PortParams, dmr));
        return c;
    }

    private FirmwareLab()
    {
        Work = Directory.CreateTempSubdirectory("mapt-fwlab-").FullName;
        Isp = Netns.Create("fw-isp");
        Lan = Netns.Create("fw-lan");
        WebHost = Netns.Create("fw-web");
    }

    /// <summary>Builds the lab and boots the firmware; returns once the console's shell answers.</summary>
    public static FirmwareLab Start(KeaConfig? kea = null)
    {
        var lab = new FirmwareLab();
        try
        {
            lab.Build();
            KeaConfig config = kea ?? KeaExample1();
            lab.Vm = FirmwareVm.Start((wan, lan) => lab.Attach(wan, lan, config));
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    private void Build()
    {
        Isp.Sh("sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.all.forwarding=1"
            + " net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0");
        // The ISP's access switch: the VM's WAN tap joins it at every power-on.
        Isp.Sh("ip link add isp0 type bridge forward_delay 0 mcast_snooping 0 && ip addr add 2001:db8:1::1/64 dev isp0 && ip link set isp0 up"
            + $" && ip -6 route add {DelegatedPrefix} via {VmWanLinkLocal} dev isp0");
        Lan.Sh("sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0");
        Lan.Sh($"ip link add br0 type bridge forward_delay 0 && ip addr add {LanHost}/28 dev br0 && ip link set br0 up"
            + " && ip route add default via 198.51.100.129");
        // The IPv4 side behind the BR.
        Proc.Sh($"ip link add web0 netns {Isp.Name} type veth peer name eth0 netns {WebHost.Name}");
        Isp.Sh("ip addr add 203.0.113.1/24 dev web0 && ip link set web0 up");
        WebHost.Sh($"ip addr add {Web}/24 dev eth0 && ip link set eth0 up && ip route add default via 203.0.113.1");
        StartTayga(Dmr);
        StartWebServer();
    }

    private void Attach(string wanTap, string lanTap, KeaConfig kea)
    {
        Proc.Sh($"ip link set {wanTap} netns {Isp.Name} && ip link set {lanTap} netns {Lan.Name}");
        Isp.Sh($"ip link set {wanTap} master isp0 up");
        Lan.Sh($"ip link set {lanTap} master br0 up");
        if (Kea is not null)
            return;
        // Kea and radvd bind to isp0's link-local address, which the bridge has once it has
        // carrier: after the first tap joined it.
        for (int i = 0; i < 100 && !Isp.Sh("ip -6 addr show dev isp0 scope link").Contains("inet6", StringComparison.Ordinal); i++)
            Thread.Sleep(50);
        Kea = KeaServer.Start(Isp, kea);
        File.WriteAllText(Path.Combine(Work, "radvd.conf"),
            "interface isp0 {\n AdvSendAdvert on; MinRtrAdvInterval 3; MaxRtrAdvInterval 4; AdvManagedFlag on; AdvOtherConfigFlag on;\n"
            + " prefix 2001:db8:1::/64 { AdvOnLink on; AdvAutonomous on; };\n};\n");
        Isp.Start("radvd", new[] { "-C", Path.Combine(Work, "radvd.conf"), "-p", Path.Combine(Work, "radvd.pid"), "-n", "-m", "stderr" });
    }

    /// <summary>
    /// tayga as the BR for <paramref name="dmr"/> (a /96) with the CE's static map entry; a
    /// running one is replaced (the ISP moved its BR).
    /// </summary>
    public void StartTayga(string dmr)
    {
        if (_tayga is not null)
        {
            _tayga.Kill();
            _tayga.WaitForExit(5000);
            Isp.Sh($"ip -6 route del {BrPrefix} dev nat64");
        }
        string dir = Path.Combine(Work, "tayga");
        Directory.CreateDirectory(dir);
        string conf = Path.Combine(Work, "tayga.conf");
        File.WriteAllText(conf, $"tun-device nat64\nipv4-addr 203.0.113.254\nipv6-addr 2001:db8:64::1\nprefix {dmr}\n"
            + $"map {CeIpv4} {CeMapIpv6}\ndata-dir {dir}\n");
        if (_tayga is null)
        {
            Isp.Sh($"tayga -c {conf} --mktun && ip link set nat64 up && ip route add {CeIpv4}/32 dev nat64"
                + " && ip route add 203.0.113.254/32 dev nat64 && ip -6 route add 2001:db8:64::1/128 dev nat64");
        }
        Isp.Sh($"ip -6 route add {dmr} dev nat64");
        _tayga = Isp.Start("tayga", new[] { "-c", conf, "-d" });
        BrPrefix = dmr;
    }

    /// <summary>The ISP moves its BR: Kea announces <paramref name="dmr"/> from now on and tayga serves it.</summary>
    public void MoveBr(string dmr)
    {
        StartTayga(dmr);
        Kea.Reload(KeaExample1(dmr));
    }

    private void StartWebServer()
    {
        string www = Path.Combine(Work, "www");
        Directory.CreateDirectory(www);
        byte[] blob = RandomNumberGenerator.GetBytes(200_000);
        File.WriteAllBytes(Path.Combine(www, "blob.bin"), blob);
        BlobSha256 = Convert.ToHexString(SHA256.HashData(blob)).ToLowerInvariant();
        // http.server, logging each client's address and source port (what the server sees).
        string script = Path.Combine(Work, "web.py");
        File.WriteAllText(script, """
import http.server, sys
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        print('client %s %d %s' % (self.client_address[0], self.client_address[1], fmt % args), flush=True)
http.server.ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), lambda *a: H(*a, directory=sys.argv[3])).serve_forever()
""");
        WebHost.Start("/usr/bin/python3", new[] { script, Web, WebPort.ToString(System.Globalization.CultureInfo.InvariantCulture), www }, null,
            line => { lock (_webLog) _webLog.Add(line); });
        for (int i = 0; i < 100 && WebHost.Try($"ss -ltn '( sport = :{WebPort} )' | grep -q LISTEN").ExitCode != 0; i++)
            Thread.Sleep(50);
    }

    /// <summary>The clients the web server saw: (address, port) per request.</summary>
    public List<(string Address, int Port)> WebClients()
    {
        var clients = new List<(string, int)>();
        lock (_webLog)
            foreach (string line in _webLog)
            {
                string[] f = line.Split(' ');
                if (f.Length > 2 && f[0] == "client")
                    clients.Add((f[1], int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)));
            }
        return clients;
    }

    /// <summary>The client of the request after the first <paramref name="seen"/>: the server logs while it answers, a moment after the fetch.</summary>
    public (string Address, int Port) WebClientAfter(int seen)
    {
        for (int i = 0; i < 50 && WebClients().Count <= seen; i++)
            Thread.Sleep(100);
        List<(string Address, int Port)> clients = WebClients();
        Assert.IsTrue(clients.Count > seen, "the web server logged no request");
        return clients[seen];
    }

    /// <summary>Fetches blob.bin from the LAN host through the VM; its SHA-256, or the failure.</summary>
    public string FetchBlob() =>
        Lan.Sh($"curl -sS -m 60 http://{Web}:{WebPort}/blob.bin | sha256sum", TimeSpan.FromSeconds(90)).Split(' ')[0];

    /// <summary>Typed on the console: <c>mapt status</c> as "Path value" lines.</summary>
    public Dictionary<string, string> Status()
    {
        var values = new Dictionary<string, string>();
        foreach (string line in Console.Sh("mapt status").Split('\n'))
        {
            int space = line.IndexOf(' ');
            if (space > 0)
                values[line.Substring(0, space)] = line.Substring(space + 1);
        }
        return values;
    }

    /// <summary>
    /// Waits on the console (one command: a loop in the VM) until <c>mapt status</c> says
    /// <paramref name="state"/>; fails with mapt's flash log otherwise.
    /// </summary>
    public void WaitState(string state, int seconds = 60) =>
        WaitInVm($"[ \"$(mapt status 2>/dev/null | sed -n 's/^{StatusText.StatePath.Replace(".", "\\.", StringComparison.Ordinal)} //p')\" = {state} ]", $"mapt {state}", seconds);

    /// <summary>Polls a shell condition inside the VM (twice a second, one console command) until it holds.</summary>
    public void WaitInVm(string condition, string what, int seconds = 60)
    {
        ConsoleResult r = Console.Run(
            $"end=$(($(date +%s) + {seconds})); until {condition}; do [ $(date +%s) -ge $end ] && break; sleep 0.5; done; {condition}",
            TimeSpan.FromSeconds(seconds + 60));
        if (r.ExitCode != 0)
            Assert.Fail($"{what}: not within {seconds} s (last: {Console.Run("mapt status | grep -e State -e LastError").Output.Trim()})"
                + $"\n--- mapt log\n{Console.Run("mapt log | tail -30").Output}\n--- Kea\n{Kea.Log}");
    }

    /// <summary>
    /// Issue 12 point 1: the daemon's nat46 device holds what <c>mapt plan</c> (on the VM, for
    /// the same rules) would write: the plan's commands are replayed on a scratch device of the
    /// real module and both devices' pairs compared.
    /// </summary>
    public void AssertNat46IsThePlan(string rules, string dmr)
    {
        string text = Console.Sh($"mapt plan {rules} --prefix {DelegatedPrefix} --dmr {dmr} --map-dev m46plan --only nat46 --phase setup"
            + " | while read -r c; do echo \"$c\" > /proc/net/nat46/control; done; cat /proc/net/nat46/control; echo 'del m46plan' > /proc/net/nat46/control");
        List<string>? planned = Nat46ReadBack.PairsOf(text, "m46plan");
        List<string>? daemon = Nat46ReadBack.PairsOf(text, "map-mapt");
        Assert.IsNotNull(planned, "the plan's commands made no device\n" + text);
        Assert.IsNotNull(daemon, "mapt's device map-mapt is not in the control file\n" + text);
        CollectionAssert.AreEqual(planned, daemon, "the daemon's nat46 pairs are not the plan's\n" + text);
    }

    /// <summary>
    /// What the kernel log says about nat46 that is a complaint (the module only logs: a write
    /// always "succeeds"). Loading it unsigned taints the kernel: expected, not a complaint.
    /// </summary>
    public string Nat46Complaints()
    {
        var complaints = new StringBuilder();
        foreach (string line in Console.Sh("dmesg | grep -i nat46 | grep -v -e 'module verification failed' -e 'taints kernel' || true").Split('\n'))
            if (line.Contains("Could not", StringComparison.Ordinal) || line.Contains("already exists", StringComparison.Ordinal)
                || line.Contains("Can not", StringComparison.Ordinal) || line.Contains("Unable", StringComparison.Ordinal)
                || line.Contains("rror", StringComparison.Ordinal) || line.Contains("fail", StringComparison.OrdinalIgnoreCase))
                complaints.Append(line).Append('\n');
        return complaints.ToString();
    }

    /// <summary>The daemon's pid as the init script's pid file names it.</summary>
    public string MaptPid() => Console.Sh("cat /run/mapt.pid").Trim();

    /// <summary>The nat46 control file as the kernel prints it.</summary>
    public string ControlFile() => Console.Sh("cat /proc/net/nat46/control");

    public void Dispose()
    {
        Vm?.Dispose();
        Kea?.Dispose();
        WebHost.Dispose();
        Lan.Dispose();
        Isp.Dispose();
        try { Directory.Delete(Work, recursive: true); } catch (IOException) { }
    }
}
