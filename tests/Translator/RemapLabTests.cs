using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Mapt.Map;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Translator.TranslatorLab;

namespace Mapt.Tests.Translator;

/// <summary>
/// <c>snat = remap</c> on the real datapath (issue 15): the published test build as the CE
/// (<c>mapt run --translator tun --snat remap</c>, one SNAT rule per protocol into 772-1023,
/// tcp/1232 kept for a port forward), tayga as the BR, an IPv4 link of MTU 1400 behind it.
/// One lab for the class.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class RemapLabTests
{
    private static TranslatorLab s_lab = null!;
    private static string s_dir = null!;
    private static readonly PortSet Set = new(6, 8, 0x34);

    // Each flow tries up to 10 times from a fresh socket, as an application retries: the
    // kernel's SNAT probes at most 128 + 64 + 32 + 16 ports of the range from random offsets
    // (nf_nat_l4proto_unique_tuple), so with 1 of 252 ports free one try misses it about 30 %
    // of the time (the floor at 252 live the bench measures); a failed try leaves no entry.
    private const string Flows = """
import select, socket, sys
n, dst = int(sys.argv[1]), (sys.argv[2], int(sys.argv[3]))
socks, answered, tries = [], 0, 0
for i in range(n):
    for _ in range(10):
        tries += 1
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.sendto(b'flow %d' % i, dst)
        r, _, _ = select.select([s], [], [], 0.5)
        if r:
            s.recv(64)
            answered += 1
            socks.append(s)
            break
        s.close()
print(answered, tries)
""";

    private const string Hello = """
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', int(sys.argv[1])))
s.listen()
while True:
    c, a = s.accept()
    c.sendall(b'hello from %d' % c.getsockname()[1])
    c.close()
""";

    private const string Connect = """
import socket, sys
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
    print(s.recv(100).decode())
except OSError as e:
    print('failed', type(e).__name__)
""";

    [ClassInitialize]
    public static void Init(TestContext _)
    {
        s_dir = Directory.CreateTempSubdirectory("mapt-remap-tests").FullName;
        s_lab = new TranslatorLab(CeKind.Daemon, "snat = remap\nremap-keep = tcp:1232\n");
        foreach (var (name, text) in new[] { ("udp_echo.py", LabScripts.UdpEcho), ("tcp_sink.py", LabScripts.TcpSink),
            ("tcp_upload.py", LabScripts.TcpUpload), ("flows.py", Flows), ("hello.py", Hello), ("connect.py", Connect) })
            LabScripts.Write(s_dir, name, text);
        s_lab.Internet.Start(LabScripts.Python, new[] { Path.Combine(s_dir, "udp_echo.py"), Inet, "7000" });
        s_lab.Internet.Start(LabScripts.Python, new[] { Path.Combine(s_dir, "tcp_sink.py"), Inet, "7001" });
        s_lab.Lan.Start(LabScripts.Python, new[] { Path.Combine(s_dir, "hello.py"), "1232" });
        s_lab.Lan.Start(LabScripts.Python, new[] { Path.Combine(s_dir, "hello.py"), "2256" });
        Thread.Sleep(500);
        s_lab.Lan.Sh($"ping -c1 -i0.2 -w5 {Inet}", TimeSpan.FromSeconds(10));
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_lab?.Dispose();
        try { Directory.Delete(s_dir, recursive: true); } catch (IOException) { }
    }

    private static string Py(Netns ns, string script, string args, int seconds = 60) =>
        ns.Sh($"{LabScripts.Python} {Path.Combine(s_dir, script)} {args}", TimeSpan.FromSeconds(seconds)).Trim();

    [TestMethod]
    public void OneRulePerProtocol_IntoTheVirtualRange()
    {
        string nat = s_lab.Ce.Sh("iptables-save -t nat");
        StringAssert.Contains(nat, "-A MAPT_POSTROUTING -p udp -j SNAT --to-source 192.0.2.18:772-1023");
        StringAssert.Contains(nat, "-A MAPT_POSTROUTING -p tcp -j SNAT --to-source 192.0.2.18:773-1023", "tcp/1232 kept out of the range");
        Assert.IsFalse(nat.Contains("MAPT_SNAT_"), "no per-range tree");
    }

    [TestMethod]
    public void Udp_252FlowsToOneDestinationAllAnswered_The253rdRefused_TheBrSeesOnlyPortsOfTheSet()
    {
        s_lab.Ce.Sh("conntrack -F 2>/dev/null || true");
        // The flows' entries must outlive the daemon's next occupancy measure (every 5 s in the lab, MAPT_OCCUPANCY_MS).
        s_lab.Ce.Sh("sysctl -qw net.netfilter.nf_conntrack_udp_timeout=180");
        string pcap = Path.Combine(s_dir, "br.pcap");
        var capture = s_lab.Isp.Start("tcpdump", new[] { "-i", "ce0", "-nn", "-U", "-w", pcap, "ip6 and udp" });
        Thread.Sleep(1000);
        string[] result = Py(s_lab.Lan, "flows.py", $"253 {Inet} 7000", 600).Split(' ');
        Thread.Sleep(500);
        capture.Kill();
        capture.WaitForExit();
        Assert.AreEqual("252", result[0], $"every flow of the set's size answered, the 253rd not ({result[1]} tries)");
        Assert.IsTrue(int.Parse(result[1], System.Globalization.CultureInfo.InvariantCulture) >= 262,
            "the 253rd flow was tried 10 times and refused every time (no port left), never sent un-NATed");
        string fields = s_lab.Isp.Sh($"tshark -r {pcap} -T fields -e ipv6.src -e ipv6.dst -e udp.srcport -e udp.dstport");
        var ours = new HashSet<int>();
        int lines = 0;
        foreach (string line in fields.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split('\t');
            bool outbound = f[1] != CeMapIpv6;
            string ce = outbound ? f[0] : f[1];
            int port = int.Parse(outbound ? f[2] : f[3], System.Globalization.CultureInfo.InvariantCulture);
            Assert.AreEqual(CeMapIpv6, ce, line);
            Assert.IsTrue(Set.Contains((ushort)port), $"port {port} is not in the set: {line}");
            if (outbound)
                ours.Add(port);
            lines++;
        }
        Assert.AreEqual(252, ours.Count, "each flow its own real port");
        Assert.IsTrue(lines >= 504, $"{lines} packets captured");
        // mapt status: the set's occupancy from conntrack, virtual ports counted as real ones.
        string status = "";
        for (int i = 0; i < 80 && !status.Contains("PortsInUseUDP 252"); i++)
        {
            Thread.Sleep(500);
            status = s_lab.DaemonStatus().Stdout;
        }
        StringAssert.Contains(status, "PortsInUseUDP 252", status);
        StringAssert.Matches(status, new System.Text.RegularExpressions.Regex(@"FullestRangeUDP \d+-\d+ 4/4"));
        StringAssert.Contains(status, "SNAT remap tcp 773-1023 udp 772-1023 icmp 772-1023");
        StringAssert.Contains(s_lab.DaemonOutput, " 640 ", "the warning above 90 %");
        s_lab.CheckAlive();
    }

    [TestMethod]
    public void Pmtu_FragmentationNeededFromBehindTheBr_ReachesTheLanHostForARemappedFlow()
    {
        foreach (Netns ns in new[] { s_lab.Lan, s_lab.Internet, s_lab.Ce })
            ns.Sh("ip route flush cache");
        Assert.IsFalse(s_lab.Lan.Sh($"ip route get {Inet}").Contains("mtu 1400"), "no PMTU learned yet");
        string counted = Py(s_lab.Lan, "tcp_upload.py", $"{Inet} 7001 2000000");
        Assert.AreEqual("2000000", counted, "every byte arrived: PMTUD completed");
        StringAssert.Contains(s_lab.Lan.Sh($"ip route get {Inet}"), "mtu 1400",
            "the LAN host learned the path MTU from the Fragmentation Needed quoting its remapped flow");
        // The upload's conntrack entry: a virtual port (772-1023) on the MAP address.
        string ct = s_lab.Ce.Sh("conntrack -L -p tcp --dport 7001 2>/dev/null || true");
        StringAssert.Matches(ct, new System.Text.RegularExpressions.Regex(@"dport=([7-9][0-9]{2}|10[0-2][0-9])\b"), ct);
        s_lab.CheckAlive();
    }

    [TestMethod]
    public void PortForward_KeptPortWithAnOrdinaryDnat_Works_AnUnkeptRealPortNeedsItsVirtualPort()
    {
        // The gateway firewall's usual port forward: DNAT of a real port of the set to a LAN host.
        s_lab.Ce.Sh($"iptables -t nat -A PREROUTING -i {Device} -p tcp --dport 1232 -j DNAT --to-destination {LanHost}:1232");
        s_lab.Ce.Sh($"iptables -t nat -A PREROUTING -i {Device} -p tcp --dport 2256 -j DNAT --to-destination {LanHost}:2256");
        Assert.AreEqual("hello from 1232", Py(s_lab.Internet, "connect.py", $"{CeIpv4} 1232"),
            "remap-keep tcp:1232: the DNAT sees the real port and the reply leaves with it");
        StringAssert.StartsWith(Py(s_lab.Internet, "connect.py", $"{CeIpv4} 2256"), "failed",
            "the documented cost: 2256 is not kept, it reaches the gateway as its virtual port 776, which the DNAT does not match");
        // Written on the virtual port instead, the same forward works.
        int virtualPort = 776;
        s_lab.Ce.Sh($"iptables -t nat -A PREROUTING -i {Device} -p tcp --dport {virtualPort} -j DNAT --to-destination {LanHost}:2256");
        Assert.AreEqual("hello from 2256", Py(s_lab.Internet, "connect.py", $"{CeIpv4} 2256"));
        s_lab.CheckAlive();
    }
}
