using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mapt.Tests.Lab;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Dhcpv6;

/// <summary>`mapt probe` as shipped: the published binary in the client namespace against Kea.</summary>
[TestClass]
public sealed class ProbeBinaryTests
{
    /// <summary>Runs the published binary inside a namespace (arm64 under qemu with its 2.31 sysroot).</summary>
    internal static ProcResult Probe(Netns ns, string rid, params string[] args)
    {
        string path = PublishedBinary.Of(rid).Path;
        if (!File.Exists(path))
            Assert.Fail($"{path} does not exist: ./build.sh test publishes it before the tests run");
        var command = new List<string> { "netns", "exec", ns.Name };
        if (rid == "linux-arm64")
        {
            string sysroot = Repo.Arm64Sysroot;
            command.AddRange(new[] { "qemu-aarch64", "-L", sysroot, "-E", $"LD_LIBRARY_PATH={sysroot}/lib/aarch64-linux-gnu:{sysroot}/usr/lib/aarch64-linux-gnu" });
        }
        command.Add(path);
        command.Add("probe");
        command.AddRange(args);
        return Proc.Run("ip", command, timeout: TimeSpan.FromSeconds(60));
    }

    [TestMethod]
    [DataRow("linux-x64")]
    [DataRow("linux-arm64")]
    public void Probe_MaptLease_Exit0PrintsEveryS46OptionAndMappingThenReleases(string rid)
    {
        using var lab = KeaLab.Start(KeaConfig.RfcExample1());
        ProcResult r = Probe(lab.Client, rid, "--iface", KeaLab.ClientInterface, "--timeout", "10");

        Assert.AreEqual(0, r.ExitCode, r.ToString());
        StringAssert.Contains(r.Stdout, "prefix     2001:db8:12:3400::/56 preferred 3000 s valid 4000 s");
        StringAssert.Contains(r.Stdout, "S46_CONT_MAPT (95)");
        StringAssert.Contains(r.Stdout, "S46_RULE (89) flags 0x00 ea-len 16 ipv4 192.0.2.0/24 ipv6 2001:db8::/40 [00590015");
        StringAssert.Contains(r.Stdout, "S46_PORTPARAMS (93) offset 6 psid-len 8 psid 52 (wire 0x3400) [005d000406083400]");
        StringAssert.Contains(r.Stdout, "S46_DMR (91) 2001:db8:ffff::/64 [005b0009402001");
        StringAssert.Contains(r.Stdout, "ipv4       192.0.2.18/32");
        StringAssert.Contains(r.Stdout, "psid       52 (offset 6, length 8)");
        StringAssert.Contains(r.Stdout, "map-ipv6   2001:db8:12:3400:0:c000:212:34");
        StringAssert.Contains(r.Stdout, "ports      252 in 63 range(s): 1232-1235 2256-2259");
        StringAssert.Contains(r.Stdout, "release    released");
        Assert.AreEqual(0, lab.Kea.ReadPrefixLeases().Last().ValidLifetime, "Kea's lease file shows the release");
    }

    [TestMethod]
    public void Probe_KeepAndJson_LeaseStaysInKea()
    {
        using var lab = KeaLab.Start(KeaConfig.RfcExample1());
        string flash = Directory.CreateTempSubdirectory("mapt-probe-").FullName;
        try
        {
            ProcResult r = Probe(lab.Client, "linux-x64", "--iface", KeaLab.ClientInterface, "--json", "--keep", "--flash-dir", flash);

            Assert.AreEqual(0, r.ExitCode, r.ToString());
            using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
            var root = doc.RootElement;
            Assert.AreEqual("mapt", root.GetProperty("result").GetString());
            Assert.AreEqual("192.0.2.18/32", root.GetProperty("ipv4").GetString());
            Assert.AreEqual(52, root.GetProperty("psid").GetInt32());
            Assert.AreEqual(6, root.GetProperty("psidOffset").GetInt32());
            Assert.AreEqual(63, root.GetProperty("portRanges").GetArrayLength());
            Assert.AreEqual("2001:db8:ffff::/64", root.GetProperty("dmr").GetString());
            Assert.AreEqual(1, root.GetProperty("s46").GetArrayLength());
            Assert.IsFalse(root.GetProperty("released").GetBoolean());
            Assert.AreEqual(0, root.GetProperty("malformedReplies").GetInt32());
            Assert.AreEqual(0, root.GetProperty("droppedReplies").GetInt32());
            var row = lab.Kea.ReadPrefixLeases().Last();
            Assert.AreEqual(4000, row.ValidLifetime, "--keep sends no Release");
            // The DUID was saved on the flash directory, and it is the one Kea holds the lease for.
            string duid = File.ReadAllText(Path.Combine(flash, "dhcpv6.duid")).Trim();
            Assert.AreEqual(duid, row.Duid.Replace(":", ""));
        }
        finally
        {
            Directory.Delete(flash, true);
        }
    }

    [TestMethod]
    public void Probe_NoOption95_Exit3_AfterWaitingForDad()
    {
        // DAD on: the probe starts while vc's link-local address is still tentative.
        using var lab = KeaLab.Start(new KeaConfig(), clientDad: true);
        StringAssert.Contains(lab.Client.Sh("ip -6 addr show dev vc"), "tentative");
        ProcResult r = Probe(lab.Client, "linux-x64", "--iface", KeaLab.ClientInterface);
        Assert.AreEqual(3, r.ExitCode, r.ToString());
        StringAssert.Contains(r.Stdout, "map-t      none");
        StringAssert.Contains(r.Stdout, "release    released");
    }

    [TestMethod]
    public void Probe_NoServer_Exit4WithinTheTimeout()
    {
        using var lab = KeaLab.Start(KeaConfig.RfcExample1());
        lab.Kea.Kill();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ProcResult r = Probe(lab.Client, "linux-x64", "--iface", KeaLab.ClientInterface, "--timeout", "2");
        Assert.AreEqual(4, r.ExitCode, r.ToString());
        StringAssert.Contains(r.Stderr, "no answer within 2 s on vc");
        Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
    }

    [TestMethod]
    public void Probe_OnlyMalformedAdvertises_Exit5NamingTheFault()
    {
        using var lab = KeaLab.Start(KeaConfig.RfcExample1());
        lab.Kea.Kill();
        // A server that answers every Solicit with an Advertise whose S46_RULE has ea-len 49.
        string script = Path.Combine(lab.Kea.Directory, "bad-server.py");
        File.WriteAllText(script, BadServer);
        // Probing only once it listens: a python3 started late on a loaded machine missed the
        // Solicits of a short probe, which then said "no answer" (exit 4).
        using var listening = new System.Threading.ManualResetEventSlim();
        var serverErrors = new System.Text.StringBuilder();
        lab.Server.Start("python3", new[] { script, KeaLab.ServerInterface }, null,
            line => { if (line == "listening") listening.Set(); },
            line => { lock (serverErrors) serverErrors.AppendLine(line); });
        Assert.IsTrue(listening.Wait(System.TimeSpan.FromSeconds(20)), "the bad server did not start: " + serverErrors);
        ProcResult r = Probe(lab.Client, "linux-x64", "--iface", KeaLab.ClientInterface, "--timeout", "5");
        Assert.AreEqual(5, r.ExitCode, r.ToString());
        StringAssert.Contains(r.Stderr, "ea-len 49 is over 48");
    }

    private const string BadServer = """
import socket, struct, sys
iface = sys.argv[1]
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, 25, iface.encode())
s.bind(('::', 547))
idx = socket.if_nametoindex(iface)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(socket.AF_INET6, 'ff02::1:2') + struct.pack('@I', idx))
def opt(code, body): return struct.pack('!HH', code, len(body)) + body
print('listening', flush=True)
while True:
    data, addr = s.recvfrom(2048)
    if data[0] != 1: continue
    i, client = 4, None
    while i + 4 <= len(data):
        code, length = struct.unpack('!HH', data[i:i+4])
        if code == 1: client = data[i+4:i+4+length]
        i += 4 + length
    prefix = socket.inet_pton(socket.AF_INET6, '2001:db8:12:3400::')
    ia = opt(25, struct.pack('!III', 1, 1000, 2000) + opt(26, struct.pack('!IIB', 3000, 4000, 56) + prefix))
    rule = opt(89, bytes([0, 49, 24, 192, 0, 2, 0, 40, 0x20, 1, 0x0d, 0xb8, 0]))
    dmr = opt(91, bytes([64, 0x20, 1, 0x0d, 0xb8, 0xff, 0xff, 0, 0]))
    reply = bytes([2]) + data[1:4] + opt(1, client) + opt(2, bytes([0, 2, 0, 0, 9, 0xbf, 7, 7])) + ia + opt(95, rule + dmr)
    s.sendto(reply, addr)
""";
}
