using System;
using Mapt.Platform;
using Mapt.Tests.Support;
using Mapt.Translator;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Translator;

[TestClass]
public sealed class TunDeviceTests
{
    [TestMethod]
    public void Open_InNamespace_DeviceUpWithMtuAndGoneAfterDispose()
    {
        using var ns = Netns.Create("tun");
        TunDevice tun;
        using (ns.Enter())
        {
            tun = TunDevice.Open("mapt9");
            tun.SetMtuAndUp(1432);
        }
        try
        {
            string link = ns.Sh("ip -o link show mapt9");
            StringAssert.Contains(link, "mtu 1432");
            StringAssert.Contains(link, "UP");
            StringAssert.Contains(link, "POINTOPOINT");
            // The kernel may already have sent its own IPv6 multicast (MLD, RS) into the device.
            int n = -1;
            for (int i = 0; i < 20 && n != 0; i++)
                n = tun.Read(new byte[2048]);
            Assert.AreEqual(0, n, "non-blocking: nothing waiting reads as 0 (EAGAIN)");
        }
        finally
        {
            tun.Dispose();
        }
        Assert.AreNotEqual(0, ns.Try("ip link show mapt9").ExitCode, "the device goes with its fd");
    }

    [TestMethod]
    public void Offloads_EnabledAndSeenByTheKernel_AnOldDeviceWithoutVnetHdrIsADifference()
    {
        using var ns = Netns.Create("tun");
        TunTranslator t;
        using (ns.Enter())
            t = TunTranslator.Open("mapt0", new TranslatorConfig(TranslatorLab.Addressing(), 1480), NullLogger.Instance);
        try
        {
            Assert.AreEqual(TunDevice.TUN_F_CSUM | TunDevice.TUN_F_TSO4 | TunDevice.TUN_F_TSO6,
                t.Offloads & (TunDevice.TUN_F_CSUM | TunDevice.TUN_F_TSO4 | TunDevice.TUN_F_TSO6));
            string k = ns.Sh("ethtool -k mapt0");
            StringAssert.Contains(k, "tx-tcp-segmentation: on");
            StringAssert.Contains(k, "tx-tcp6-segmentation: on");
            StringAssert.Contains(k, "tx-checksumming: on");
            // ip netns exec mounts the namespace's own /sys, as the daemon's namespace has it.
            string? Flags(string dev) => TunDevice.FlagsDifference(dev, ns.Sh($"cat /sys/class/net/{dev}/tun_flags"));
            Assert.IsNull(Flags("mapt0"), "mapt's own device");
            // A persistent device as an older mapt (or ip tuntap) left it: IFF_TUN | IFF_NO_PI, no IFF_VNET_HDR.
            ns.Sh("ip tuntap add dev mapt8 mode tun && ip tuntap add dev mapt7 mode tun vnet_hdr");
            string? old = Flags("mapt8"), vnet = Flags("mapt7");
            Assert.IsNotNull(old);
            StringAssert.Contains(old, "no IFF_VNET_HDR");
            Assert.IsNull(vnet, "created with vnet_hdr: what mapt wants");
            // The repair of that difference: attaching with mapt's flags gives the device those flags.
            TunTranslator again;
            using (ns.Enter())
                again = TunTranslator.Open("mapt8", new TranslatorConfig(TranslatorLab.Addressing(), 1480), NullLogger.Instance);
            using (again)
                Assert.IsNull(Flags("mapt8"), "the old device reattached with IFF_VNET_HDR: " + ns.Sh("cat /sys/class/net/mapt8/tun_flags"));
        }
        finally
        {
            t.Dispose();
        }
    }

    [TestMethod]
    public void Open_NameTooLong_Throws() =>
        Assert.ThrowsExactly<ArgumentException>(() => TunDevice.Open("a-name-of-16-chr"));

    [TestMethod]
    public void OnReadable_PacketWrittenByKernel_TranslatedAndCounted()
    {
        // The kernel routes an IPv4 datagram from the CE's address into the device; the
        // translator reads it, and its IPv6 form leaves by the IPv6 route (counted by ip -s).
        using var ns = Netns.Create("tun");
        TunTranslator t;
        using (ns.Enter())
            t = TunTranslator.Open("mapt0", new TranslatorConfig(TranslatorLab.Addressing(), 1480), NullLogger.Instance);
        try
        {
            ns.Sh("ip addr add 192.0.2.18/32 dev lo && ip route add default dev mapt0"
                + " && sysctl -qw net.ipv6.conf.all.forwarding=1 && ip -6 route add 2001:db8:ffff::/96 dev mapt0");
            // A UDP datagram from 192.0.2.18:1232 (in the set) and one from port 40000 (not).
            ns.Sh("/usr/bin/python3 -c \"import socket\nfor p in (1232, 40000):\n s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + " s.bind(('192.0.2.18', p)); s.sendto(b'x'*32, ('198.51.100.66', 9))\"");
            for (int i = 0; i < 50 && t.Counters.PacketsSent + t.Counters.DiscardPacketsSent < 2; i++)
            {
                t.OnReadable();
                System.Threading.Thread.Sleep(10);
            }
            Assert.AreEqual(1, t.Counters.PacketsSent);
            Assert.AreEqual(1, t.Counters.Dropped(DropReason.SourcePortOutsideSet));
            Assert.AreEqual("mapt0", t.DeviceName);
        }
        finally
        {
            t.Dispose();
        }
    }

    [TestMethod]
    public void OnReadable_MorePacketsQueuedThanTheBudget_ReturnsAfterBudgetAndTheLoopComesBack()
    {
        // 300 datagrams wait in the device's queue (its txqueuelen is 500): one loop turn
        // translates BudgetPerCall of them and returns, the next turn finds the fd readable
        // again (level-triggered poll) and goes on, so timers and signals get their turns.
        using var ns = Netns.Create("tun");
        // No IPv6 on the device: the kernel sends nothing of its own into it (MLD, router
        // solicitations), and drops the translated IPv6 written back (only the count matters).
        ns.Sh("sysctl -qw net.ipv6.conf.default.disable_ipv6=1");
        TunTranslator t;
        using (ns.Enter())
            t = TunTranslator.Open("mapt0", new TranslatorConfig(TranslatorLab.Addressing(), 1480), NullLogger.Instance);
        try
        {
            ns.Sh("ip addr add 192.0.2.18/32 dev lo && ip route add default dev mapt0");
            ns.Sh("/usr/bin/python3 -c \"import socket\ns=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + "s.bind(('192.0.2.18', 1232))\nfor i in range(300): s.sendto(b'x'*32, ('198.51.100.66', 9))\"");
            using var loop = new EventLoop(NullLogger.Instance);
            int calls = 0;
            loop.AddReader(t.Fd, () => { calls++; t.OnReadable(); }, "tun");

            loop.RunOnce(1000);
            Assert.AreEqual(1, calls);
            Assert.AreEqual(TunTranslator.BudgetPerCall, t.Counters.PacketsSent, "one call: the budget, no more");
            loop.RunOnce(0);
            Assert.AreEqual(2, calls, "the fd is still readable: the loop calls again at once");
            Assert.AreEqual(2 * TunTranslator.BudgetPerCall, t.Counters.PacketsSent);
            loop.RunOnce(0);
            Assert.AreEqual(300, t.Counters.PacketsSent, "the rest on the third turn");
            Assert.AreEqual(0, t.Counters.DiscardPacketsSent + t.Counters.DiscardPacketsReceived);
        }
        finally
        {
            t.Dispose();
        }
    }
}
