using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Mapt.Tests.Support;
using Mapt.Translator;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Translator.TranslatorLab;

namespace Mapt.Tests.Translator;

/// <summary>
/// mapt's translator as the CE, tayga as the BR: real traffic from a LAN host to an IPv4
/// server across an IPv6-only ISP, and the drops the translator owes that nat46 never makes.
/// One lab for the class (building it costs seconds); every test checks the translator is alive.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class TranslatorLabTests
{
    private static TranslatorLab s_lab = null!;
    private static string s_dir = null!;

    [ClassInitialize]
    public static void Init(TestContext _)
    {
        s_dir = Directory.CreateTempSubdirectory("mapt-translator-tests").FullName;
        s_lab = new TranslatorLab();
        foreach (var (name, text) in new[] { ("udp_echo.py", LabScripts.UdpEcho), ("udp_client.py", LabScripts.UdpClient),
            ("tcp_sink.py", LabScripts.TcpSink), ("tcp_upload.py", LabScripts.TcpUpload) })
            LabScripts.Write(s_dir, name, text);
        File.WriteAllBytes(Path.Combine(s_dir, "page.bin"), Data(300_000));
        s_lab.Internet.Start(LabScripts.Python, new[] { "-m", "http.server", "--bind", Inet, "--directory", s_dir, "8080" });
        s_lab.Internet.Start(LabScripts.Python, new[] { Path.Combine(s_dir, "udp_echo.py"), Inet, "7000" });
        s_lab.Internet.Start(LabScripts.Python, new[] { Path.Combine(s_dir, "tcp_sink.py"), Inet, "7001" });
        s_lab.Internet.Start("iperf3", new[] { "-s", "-B", Inet, "-p", "5201" });
        s_lab.V6Host.Start(LabScripts.Python, new[] { Path.Combine(s_dir, "udp_echo.py"), V6HostAddress, "7000" });
        s_lab.V6Host.Start(LabScripts.Python, new[] { Path.Combine(s_dir, "tcp_sink.py"), V6HostAddress, "7001" });
        WaitListening(s_lab.Internet, "8080");
        WaitListening(s_lab.Internet, "5201");
        WaitListening(s_lab.V6Host, "7001");
        WaitListening(s_lab.Internet, "7000", udp: true);
        WaitListening(s_lab.V6Host, "7000", udp: true);
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_lab?.Dispose();
        try { Directory.Delete(s_dir, recursive: true); } catch (IOException) { }
    }

    private static byte[] Data(int n)
    {
        var d = new byte[n];
        new Random(7).NextBytes(d);
        return d;
    }

    private static void WaitListening(Netns ns, string port, bool udp = false)
    {
        // A bound UDP socket shows as UNCONN, a listening TCP one as LISTEN.
        string check = udp ? $"ss -lun '( sport = :{port} )' | grep -q UNCONN" : $"ss -ltn '( sport = :{port} )' | grep -q LISTEN";
        for (int i = 0; i < 100; i++)
        {
            if (ns.Try(check).ExitCode == 0)
                return;
            Thread.Sleep(50);
        }
        throw new TimeoutException($"nothing listens on {port} in {ns.Name}");
    }

    private static string Py(Netns ns, string script, string args) =>
        ns.Sh($"{LabScripts.Python} {Path.Combine(s_dir, script)} {args}", TimeSpan.FromSeconds(30)).Trim();

    [TestMethod]
    public void Ping_LanToInternet_RepliesThroughTaygaBr()
    {
        long before = s_lab.Counters.PacketsSent;
        string r = s_lab.Lan.Sh($"ping -c3 -i0.2 -W2 {Inet}");
        StringAssert.Contains(r, "3 received");
        Assert.IsTrue(s_lab.Counters.PacketsSent - before >= 3, "echo requests went through mapt");
        s_lab.CheckAlive();
    }

    [TestMethod]
    public void HttpFetch_LanFromInternetServer_WholePageArrives()
    {
        string lan = s_lab.Lan.Sh($"curl -s -m 20 -o /dev/stdout http://{Inet}:8080/page.bin | sha256sum").Split(' ')[0];
        string local = Proc.Sh($"sha256sum {Path.Combine(s_dir, "page.bin")}").Split(' ')[0];
        Assert.AreEqual(local, lan, "the page arrived intact");
        s_lab.CheckAlive();
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Iperf3Udp_BothDirections_DatagramsArrive(bool reverse)
    {
        string json = s_lab.Lan.Sh($"iperf3 -c {Inet} -p 5201 -u -b 20M -l 1200 -t 2 -J{(reverse ? " -R" : "")}", TimeSpan.FromSeconds(30));
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement sum = doc.RootElement.GetProperty("end").GetProperty("sum");
        long packets = sum.GetProperty("packets").GetInt64();
        double lost = sum.GetProperty("lost_percent").GetDouble();
        Assert.IsTrue(packets > 1000, $"{packets} packets");
        Assert.IsTrue(lost < 5, $"{lost}% lost");
        s_lab.CheckAlive();
    }

    [TestMethod]
    public void TimeExceeded_FromIpv4RouterBehindBr_ReachesLanHost()
    {
        // Routers behind the BR (the ISP's IPv4 side 203.0.113.1, the router 203.0.113.2): their
        // ICMPv4 became ICMPv6 at tayga and ICMPv4 again at mapt, and conntrack found the LAN host.
        string seen = "";
        for (int ttl = 2; ttl <= 8 && !seen.Contains($"From {RouterIsp} "); ttl++)
            seen += s_lab.Lan.Try($"ping -c1 -W2 -t {ttl} {Inet}").Stdout;
        StringAssert.Contains(seen, $"From {IspV4} icmp_seq=1 Time to live exceeded");
        StringAssert.Contains(seen, $"From {RouterIsp} icmp_seq=1 Time to live exceeded");
        // The IPv6-only hops (the CE's own WAN forward, the ISP's IPv6 forward into tayga)
        // have no IPv4 address: their ICMPv6 errors arrive from the dummy 192.0.0.8.
        StringAssert.Contains(seen, "From 192.0.0.8 icmp_seq=1 Time to live exceeded");
        s_lab.CheckAlive();
    }

    /// <summary>The CE namespace's ICMP "time exceeded" output counters: (IPv4, IPv6) from /proc/net/snmp(6).</summary>
    private static (long V4, long V6) CeTimeExceededSent()
    {
        string snmp = s_lab.Ce.Sh("cat /proc/net/snmp");
        string[] lines = snmp.Split('\n').Where(l => l.StartsWith("Icmp: ", StringComparison.Ordinal)).ToArray();
        string[] names = lines[0].Split(' '), values = lines[1].Split(' ');
        long v4 = long.Parse(values[Array.IndexOf(names, "OutTimeExcds")], System.Globalization.CultureInfo.InvariantCulture);
        string six = s_lab.Ce.Sh("cat /proc/net/snmp6");
        long v6 = long.Parse(six.Split('\n').First(l => l.StartsWith("Icmp6OutTimeExcds", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (v4, v6);
    }

    [TestMethod]
    public void Traceroute_LanToInternet_CeAnswersOnceAsOneHop()
    {
        // A traceroute by hand (ping with TTL 1, 2, ...) from the LAN host: the CE must be one
        // hop (RFC 7915 §4.1). TTL 1 expires in the CE's IPv4 forward (its LAN address answers,
        // once); TTL 2 must leave the CE with hop limit 1 and expire at the ISP, not in the CE's
        // own IPv6 forward (which used to answer a second time, as 192.0.0.8 through mapt).
        (long v4Before, long v6Before) = CeTimeExceededSent();
        string first = s_lab.Lan.Try($"ping -c1 -W2 -t 1 {Inet}").Stdout;
        int reachedAt = 0;
        for (int ttl = 2; ttl <= 10 && reachedAt == 0; ttl++)
            if (s_lab.Lan.Try($"ping -c1 -W2 -t {ttl} {Inet}").Stdout.Contains(" bytes from " + Inet, StringComparison.Ordinal))
                reachedAt = ttl;
        (long v4After, long v6After) = CeTimeExceededSent();

        StringAssert.Contains(first, "From 198.51.100.1 icmp_seq=1 Time to live exceeded", "hop 1 is the CE");
        Assert.AreEqual(1, v4After - v4Before, "the CE answered Time Exceeded once (TTL 1)");
        Assert.AreEqual(0, v6After - v6Before, "never from its IPv6 forward out of the TUN");
        Assert.AreNotEqual(0, reachedAt, "the echo reply came back");
        s_lab.CheckAlive();
    }

    [TestMethod]
    public void Pmtu_SmallerIpv4Link_TcpUploadAdaptsThroughPacketTooBig()
    {
        // Between the BR and the router the IPv4 link has MTU 1400: the LAN host's 1480-byte
        // segments (MSS clamped to the TUN MTU) get Fragmentation Needed from 203.0.113.1,
        // which tayga turns into Packet Too Big (1420) and mapt back into Fragmentation Needed (1400).
        // Forget what earlier tests taught: the server's PMTU towards the CE (a download
        // learned 1400) would shrink the MSS it announces, and nothing would need to adapt.
        foreach (Netns ns in new[] { s_lab.Lan, s_lab.Internet, s_lab.Ce })
            ns.Sh("ip route flush cache");
        Assert.IsFalse(s_lab.Lan.Sh($"ip route get {Inet}").Contains("mtu 1400"), "no PMTU learned yet");
        long ptbBefore = s_lab.Counters.PacketTooBig;
        string counted = Py(s_lab.Lan, "tcp_upload.py", $"{Inet} 7001 2000000");
        Assert.AreEqual("2000000", counted, "every byte arrived");
        Assert.IsTrue(s_lab.Counters.PacketTooBig > ptbBefore,
            $"mapt translated a Packet Too Big; LAN route now: {s_lab.Lan.Sh($"ip route get {Inet}")}; CE: {s_lab.Ce.Sh($"ip route get {Inet}")}");
        StringAssert.Contains(s_lab.Lan.Sh($"ip route get {Inet}"), "mtu 1400", "the LAN host learned the path MTU");
        s_lab.CheckAlive();
    }

    [TestMethod]
    [DataRow(3000)]
    [DataRow(8000)]
    public void FragmentedUdp_BothDirections_EchoArrivesWhole(int size)
    {
        string r = Py(s_lab.Lan, "udp_client.py", $"{Inet} 7000 {size}");
        Assert.AreEqual($"{size} same", r);
        s_lab.CheckAlive();
    }

    [TestMethod]
    public void V6Host_DmrEmbeddedAddress_KernelAcceptsTranslatedUdpAndTcp()
    {
        // No BR on this path: the IPv6 host's own kernel checks mapt's checksums, and its
        // replies are translated back by mapt alone.
        Assert.AreEqual("512 same", Py(s_lab.Lan, "udp_client.py", $"{V6HostAs4} 7000 512"));
        Assert.AreEqual("100000", Py(s_lab.Lan, "tcp_upload.py", $"{V6HostAs4} 7001 100000"));
        StringAssert.Contains(s_lab.Lan.Sh($"ping -c2 -i0.2 -W2 {V6HostAs4}"), "2 received");
        s_lab.CheckAlive();
    }

    [TestMethod]
    public void Drop_SourcePortEscapedSnat_CountedAndNotDelivered()
    {
        // A SNAT rule without ports keeps the LAN port (40000: PSID 0x10, not 0x34).
        s_lab.Ce.Sh($"iptables -t nat -I MAPT 1 -p udp --dport 7009 -j SNAT --to-source {CeIpv4}");
        try
        {
            long before = s_lab.Counters.Dropped(DropReason.SourcePortOutsideSet);
            string r = Py(s_lab.Lan, "udp_client.py", $"{Inet} 7009 100 40000");
            Assert.AreEqual("timeout", r);
            Assert.IsTrue(s_lab.Counters.Dropped(DropReason.SourcePortOutsideSet) >= before + 3, "each of the 3 tries counted");
        }
        finally
        {
            s_lab.Ce.Sh($"iptables -t nat -D MAPT -p udp --dport 7009 -j SNAT --to-source {CeIpv4}");
        }
        s_lab.CheckAlive();
    }

    [TestMethod]
    public void Drop_InboundPortOutsideSet_Counted()
    {
        long before = s_lab.Counters.Dropped(DropReason.DestinationPortOutsideSet);
        // 1300 belongs to PSID 0x35; tayga maps 192.0.2.18 to this CE whatever the port.
        s_lab.Internet.Sh($"{LabScripts.Python} -c \"import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
            + $"[s.sendto(b'x'*20, ('{CeIpv4}', 1300)) for _ in range(3)]\"");
        WaitFor(() => s_lab.Counters.Dropped(DropReason.DestinationPortOutsideSet) >= before + 3);
        s_lab.CheckAlive();
    }

    [TestMethod]
    public void Drop_AnotherCesAddress_Counted()
    {
        long before = s_lab.Counters.Dropped(DropReason.NotMapAddress);
        // The neighbour sharing 192.0.2.18 with PSID 0x35, inside this CE's MAP /64.
        s_lab.Isp.Sh($"{LabScripts.Python} -c \"import socket; s=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); "
            + "[s.sendto(b'x'*20, ('2001:db8:12:3400:0:c000:212:35', 1300)) for _ in range(3)]\"");
        WaitFor(() => s_lab.Counters.Dropped(DropReason.NotMapAddress) >= before + 3);
        s_lab.CheckAlive();
    }

    private static void WaitFor(Func<bool> condition)
    {
        for (int i = 0; i < 100 && !condition(); i++)
            Thread.Sleep(20);
        Assert.IsTrue(condition(), "the translator did not count the drop");
    }
}
