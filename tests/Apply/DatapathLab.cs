using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using Mapt.Apply;
using Mapt.Provisioning;
using Mapt.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mapt.Tests.Apply;

/// <summary>
/// The datapath lab: a LAN host, a gateway whose veth "map-mapt" stands in for the nat46 device
/// (the module cannot load here), and a sink behind it, with a production-like ruleset loaded
/// into the gateway first. All on documentation prefixes:
/// LAN 198.51.100.0/28 (gateway .1, host .2), gateway-sink link 198.51.100.16/30 (.17/.18),
/// destination 203.0.113.10 in the sink, MAP IPv4 192.0.2.18 (RFC 7599 A example 1).
/// </summary>
internal sealed class DatapathLab : IDisposable
{
    public const string Destination = "203.0.113.10";
    public const string LanHost = "198.51.100.2";
    public const string MapDevice = "map-mapt";
    public const int ForwardedPort = 1233; // inside the port set (1232-1235)

    /// <summary>What the gateway had before mapt: firewall, port forward, QoS, masquerade.</summary>
    public const string ProductionRules = @"*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i lan0 -p udp -m udp --dport 5060 -j MARK --set-xmark 0x10/0xffffffff
-A POSTROUTING -m mark --mark 0x10 -j DSCP --set-dscp 0x2e
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i map-mapt -p tcp -m tcp --dport 1233 -j DNAT --to-destination 198.51.100.2:8080
-A POSTROUTING -o wan2 -j MASQUERADE
-A POSTROUTING ! -o lan0 -j MASQUERADE
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -m conntrack --ctstate DNAT -j ACCEPT
-A FORWARD -i lan0 -o wan2 -j ACCEPT
COMMIT
";

    public const string ProductionRules6 = @"*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
";

    public Netns Lan { get; }
    public Netns Gateway { get; }
    public Netns Sink { get; }
    public IptablesTools Tools { get; }
    public string Backend { get; }
    public string Work { get; }

    public DatapathLab(string backend, string area = "prov")
    {
        Backend = backend;
        Tools = IptablesTools.ByName(backend) ?? throw new ArgumentException(backend);
        Work = Directory.CreateTempSubdirectory("mapt-lab-").FullName;
        Lan = Netns.Create(area);
        Gateway = Netns.Create(area);
        Sink = Netns.Create(area);
        try
        {
            Netns.Veth(Lan, "eth0", Gateway, "lan0");
            Netns.Veth(Gateway, MapDevice, Sink, "eth0");
            Lan.Sh("ip addr add 198.51.100.2/28 dev eth0 && ip route add default via 198.51.100.1");
            Gateway.Sh("ip addr add 198.51.100.1/28 dev lan0 && ip addr add 198.51.100.17/30 dev map-mapt" +
                       " && ip route add default via 198.51.100.18 && sysctl -qw net.ipv4.ip_forward=1");
            Sink.Sh("ip addr add 198.51.100.18/30 dev eth0 && ip addr add 203.0.113.10/24 dev eth0" +
                    " && ip route add 192.0.2.0/24 via 198.51.100.17 src 203.0.113.10 && ip route add 198.51.100.0/28 via 198.51.100.17");
            Restore(ProductionRules, IpFamily.Ipv4, noflush: false);
            Restore(ProductionRules6, IpFamily.Ipv6, noflush: false);
            File.WriteAllText(Path.Combine(Work, "sink.py"), SinkServer);
            File.WriteAllText(Path.Combine(Work, "lan.py"), LanDriver);
            File.WriteAllText(Path.Combine(Work, "forward.py"), ForwardServer);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Restore(string text, IpFamily family, bool noflush)
    {
        string program = family == IpFamily.Ipv4 ? Tools.Restore4 : Tools.Restore6;
        ProcResult r = Proc.Run("ip", new[] { "netns", "exec", Gateway.Name, program, noflush ? "--noflush" : "--wait" }, stdin: text);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"{program} in {Gateway.Name}: {r}");
    }

    /// <summary>iptables-save of the gateway with counters zeroed and comments dropped.</summary>
    public string Save(IpFamily family)
    {
        string save = Gateway.Sh(family == IpFamily.Ipv4 ? Tools.Save4 : Tools.Save6);
        var lines = new List<string>();
        foreach (string line in save.Split('\n'))
            if (!line.StartsWith('#') && line.Length > 0)
                lines.Add(Regex.Replace(line, @"\[\d+:\d+\]", "[0:0]"));
        return string.Join("\n", lines) + "\n";
    }

    public IptablesApplier Applier() => new(Tools, NullLogger.Instance);

    /// <summary>Runs mapt's Apply code with this thread inside the gateway namespace.</summary>
    public void InGateway(Action<IptablesApplier> action)
    {
        using (Gateway.Enter())
            action(Applier());
    }

    public void ApplyPlan(Plan plan) => InGateway(a =>
    {
        a.Setup(plan.Ipv4);
        a.Setup(plan.Ipv6);
    });

    public void TeardownAll() => InGateway(a =>
    {
        a.Teardown(IpFamily.Ipv6);
        a.Teardown(IpFamily.Ipv4);
    });

    /// <summary>Starts the sink's echo/accept servers and a tcpdump of what arrives from the gateway.</summary>
    public Capture StartCapture()
    {
        StartReady(Sink, "python3", new[] { Path.Combine(Work, "sink.py") }, "ready", fromStderr: false);
        StartReady(Lan, "python3", new[] { Path.Combine(Work, "forward.py") }, "ready", fromStderr: false);
        string file = Path.Combine(Work, $"sink-{Environment.TickCount64}.pcap");
        Process tcpdump = StartReady(Sink, "tcpdump", new[] { "-i", "eth0", "-n", "-U", "-Q", "in", "-s", "128", "-w", file, "ip" }, "listening on", fromStderr: true);
        return new Capture(file, tcpdump);
    }

    private Process StartReady(Netns ns, string file, string[] args, string marker, bool fromStderr)
    {
        using var ready = new ManualResetEventSlim();
        var seen = new System.Text.StringBuilder();
        Action<string> on = line =>
        {
            lock (seen)
                seen.Append(line).Append('\n');
            if (line.Contains(marker))
                ready.Set();
        };
        Process p = fromStderr ? ns.Start(file, args, onStderr: on) : ns.Start(file, args, onStdout: on, onStderr: l => { lock (seen) seen.Append(l).Append('\n'); });
        if (!ready.Wait(TimeSpan.FromSeconds(15)))
            throw new TimeoutException($"{file} in {ns.Name} not ready: {seen}");
        return p;
    }

    /// <summary>
    /// Drives flows from the LAN host: UDP flows in blocks of 100 per destination port (5001..),
    /// TCP connections in blocks of 200 per port (80..), echo requests with ids 1..pings, and
    /// UDP flows to 5060 (QoS-marked by the gateway). Returns [udp answered, tcp connected, pings answered].
    /// </summary>
    public int[] DriveLan(int udpFlows, int tcpConnections, int pings, int qosFlows)
    {
        // Warm the neighbour caches on the way (LAN host, gateway, sink): a burst into an
        // unresolved neighbour loses what does not fit in its queue, which is not what is measured.
        Lan.Sh($"ping -c 1 -W 2 {Destination} >/dev/null");
        string output = Lan.Sh($"ulimit -n 16384; python3 {Path.Combine(Work, "lan.py")} {Destination} {udpFlows} {tcpConnections} {pings} {qosFlows}", TimeSpan.FromSeconds(120));
        string[] parts = output.Trim().Split(' ');
        return Array.ConvertAll(parts, int.Parse);
    }

    public sealed record Packet(string Source, int Protocol, int SourcePort, int IcmpType, int IcmpId, int Dscp, int DestinationPort);

    public sealed class Capture
    {
        private readonly Process _tcpdump;
        public string File { get; }
        internal Capture(string file, Process tcpdump)
        {
            File = file;
            _tcpdump = tcpdump;
        }

        public List<Packet> Stop()
        {
            Thread.Sleep(300);
            try { _tcpdump.Kill(); } catch (InvalidOperationException) { }
            _tcpdump.WaitForExit(5000);
            string fields = Proc.Sh($"tshark -r '{File}' -T fields -E separator=, -e ip.src -e ip.proto -e udp.srcport -e tcp.srcport -e icmp.type -e icmp.ident -e ip.dsfield.dscp -e udp.dstport 2>/dev/null", TimeSpan.FromSeconds(60));
            var packets = new List<Packet>();
            foreach (string line in fields.Split('\n'))
            {
                if (line.Length == 0)
                    continue;
                string[] f = line.Split(',');
                int N(int i) => f.Length > i && f[i].Length > 0 ? int.Parse(f[i].Split(';')[0], CultureInfo.InvariantCulture) : -1;
                int proto = N(1);
                packets.Add(new Packet(f[0], proto, proto == 17 ? N(2) : proto == 6 ? N(3) : -1, N(4), N(5), N(6), N(7)));
            }
            return packets;
        }
    }

    public void Dispose()
    {
        Sink.Dispose();
        Gateway.Dispose();
        Lan.Dispose();
        try { Directory.Delete(Work, recursive: true); } catch (IOException) { }
    }

    private const string SinkServer = @"
import socket, select, sys
udps = []
for p in list(range(5001, 5031)) + [5060]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('203.0.113.10', p))
    s.setblocking(False)
    udps.append(s)
tcps = []
for p in range(80, 90):
    t = socket.socket()
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(('0.0.0.0', p))
    t.listen(1024)
    tcps.append(t)
print('ready', flush=True)
while True:
    r, _, _ = select.select(udps + tcps, [], [])
    for s in r:
        if s in tcps:
            c, _ = s.accept()
            c.close()
        else:
            try:
                while True:
                    d, a = s.recvfrom(2048)
                    s.sendto(d, a)
            except BlockingIOError:
                pass
";

    private const string ForwardServer = @"
import socket
t = socket.socket()
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(('0.0.0.0', 8080))
t.listen(16)
print('ready', flush=True)
while True:
    c, _ = t.accept()
    c.sendall(b'forwarded\n')
    c.close()
";

    private const string LanDriver = @"
import socket, select, struct, sys, time
dst = sys.argv[1]; nudp = int(sys.argv[2]); ntcp = int(sys.argv[3]); nping = int(sys.argv[4]); nqos = int(sys.argv[5])
socks = []
for i in range(nudp):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    s.sendto(b'flow%d' % i, (dst, 5001 + i // 100))  # blocks of 100 per port: at most 2 per range
    socks.append(s)
    if i % 50 == 49:
        time.sleep(0.005)  # paced: a burst beyond the veth backlog would measure the backlog
for i in range(nqos):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    s.sendto(b'qos', (dst, 5060))
    socks.append(s)
pending = {s.fileno(): s for s in socks}
poller = select.poll()
for fd in pending:
    poller.register(fd, select.POLLIN)
deadline = time.time() + 3
while pending and time.time() < deadline:
    for fd, _ in poller.poll(200):
        s = pending.get(fd)
        if s is None:
            continue
        try:
            s.recv(2048)
            del pending[fd]
            poller.unregister(fd)
        except BlockingIOError:
            pass
ok_udp = len(socks) - len(pending)
for s in socks:
    s.close()
ok_tcp = 0
for i in range(ntcp):
    c = socket.socket()
    c.settimeout(2)
    try:
        c.connect((dst, 80 + i // 200))  # closed connections keep their tuple (TIME_WAIT): 200 per port
        ok_tcp += 1
    except OSError:
        pass
    c.close()
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
raw.setblocking(False)
for ident in range(1, nping + 1):
    body = struct.pack('!BBHHH', 8, 0, 0, ident, 1) + b'mapt'
    raw.sendto(struct.pack('!BBHHH', 8, 0, csum(body), ident, 1) + b'mapt', (dst, 0))
got = set()
deadline = time.time() + 2
while len(got) < nping and time.time() < deadline:
    r, _, _ = select.select([raw], [], [], 0.2)
    if r:
        pkt = raw.recv(2048)
        ihl = (pkt[0] & 15) * 4
        if pkt[ihl] == 0:
            got.add(struct.unpack('!H', pkt[ihl + 4:ihl + 6])[0])
print(ok_udp, ok_tcp, len(got))
";
}
