using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Support;

[TestClass]
public sealed class NetnsTests
{
    [TestMethod]
    public void Netns_VethCarriesTraffic_AndDisposeRemovesEverything()
    {
        string name;
        using (var a = Netns.Create("self"))
        using (var b = Netns.Create("self"))
        {
            name = a.Name;
            Netns.Veth(a, "va", b, "vb");
            a.Sh("ip addr add 192.0.2.1/24 dev va");
            b.Sh("ip addr add 192.0.2.2/24 dev vb");
            StringAssert.Contains(a.Sh("ping -c1 -W2 192.0.2.2"), "1 received");
            a.Start("sleep", new[] { "600" });
        }
        Assert.IsFalse(File.Exists("/run/netns/" + name), "namespace left behind");
        Assert.AreEqual("", Proc.Run("/bin/sh", new[] { "-c", $"ip netns list | grep -w {name}; true" }).Stdout);
    }

    [TestMethod]
    public void Enter_MovesOnlyThisThreadAndComesBack()
    {
        using var ns = Netns.Create("self");
        string home = File.ReadAllText("/proc/net/dev");
        using (ns.Enter())
        {
            string inside = File.ReadAllText("/proc/thread-self/net/dev");
            Assert.IsFalse(inside.Contains("eth0"), "still in the host namespace");
            StringAssert.Contains(inside, "lo:");
        }
        Assert.AreEqual(home.Contains("eth0"), File.ReadAllText("/proc/thread-self/net/dev").Contains("eth0"));
    }
}
