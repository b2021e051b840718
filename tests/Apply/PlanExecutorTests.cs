using System.Collections.Generic;
using Mapt.Apply;
using Mapt.Netlink;
using Mapt.Provisioning;
using Mapt.Tests.Provisioning;
using Mapt.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Apply;

/// <summary>
/// The executor on the real kernel, in the datapath lab's gateway namespace, with the lab's veth
/// standing in for the MAP device (--translator none): what it applies, what it reads back as
/// differences from the plan, and that the journal's undo leaves the gateway as it was.
/// </summary>
[TestClass]
public sealed class PlanExecutorTests
{
    private static Plan PlanFor(string backend) =>
        Samples.PlanOf(Samples.Shared(), new PlanSettings(WanInterface: "lan0", MapDevice: DatapathLab.MapDevice, Translator: TranslatorKind.None));

    [TestMethod]
    [DataRow("legacy")]
    [DataRow("nft")]
    public void ApplyThenUndo_GatewayAsBefore_OperatorsDefaultRouteBack(string backend)
    {
        using var lab = new DatapathLab(backend, "exec");
        string save4 = lab.Save(IpFamily.Ipv4), save6 = lab.Save(IpFamily.Ipv6);
        string routes = lab.Gateway.Sh("ip route show; ip -6 route show");
        lab.Gateway.Sh("sysctl -qw net.ipv6.conf.all.forwarding=0");
        Plan plan = PlanFor(backend);
        List<UndoStep> journal = null!;
        List<string> differences = null!, afterEdit = null!;
        lab.InGateway(iptables =>
        {
            using RtnlClient rtnl = RtnlClient.Open();
            var executor = new PlanExecutor(rtnl, iptables, "/nonexistent/nat46", NullLogger.Instance);
            Observation seen = executor.Observe(plan, old: null);
            journal = plan.Undo(seen);
            foreach (PlanStep step in plan.Setup)
                executor.Run(step, seen);
            var j = new Journal { Entries = journal };
            differences = executor.Differences(plan, j);
            // Someone edits mapt's chain behind its back.
            lab.Gateway.Sh(lab.Tools.Restore4 + " --noflush <<'EOF'\n*nat\n-D MAPT_POSTROUTING -j SNAT --to-source 192.0.2.18\nCOMMIT\nEOF");
            afterEdit = executor.Differences(plan, j);
            PlanExecutor.UndoOutcome o = executor.Undo(journal);
            Assert.AreEqual(0, o.Failures.Count, string.Join("\n", o.Failures));
        });
        CollectionAssert.Contains(Samples.Each(journal, e => e.Format()), "route-restore default via 198.51.100.18 dev map-mapt proto 3");
        CollectionAssert.Contains(Samples.Each(journal, e => e.Format()), "sysctl-restore net.ipv6.conf.all.forwarding 0");
        Assert.AreEqual(0, differences.Count, "everything as planned right after the apply: " + string.Join("; ", differences));
        Assert.AreEqual(1, afterEdit.Count, string.Join("; ", afterEdit));
        StringAssert.Contains(afterEdit[0], "nat chain MAPT_POSTROUTING has");
        Assert.AreEqual(save4, lab.Save(IpFamily.Ipv4));
        Assert.AreEqual(save6, lab.Save(IpFamily.Ipv6));
        Assert.AreEqual(routes, lab.Gateway.Sh("ip route show; ip -6 route show"));
        Assert.AreEqual("0", lab.Gateway.Sh("sysctl -n net.ipv6.conf.all.forwarding").Trim());
    }

    [TestMethod]
    [DataRow("legacy")]
    [DataRow("nft")]
    public void Read_GatewayRulesetOver200KB_WholeTablesRead_TeardownLeavesItAsBefore(string backend)
    {
        using var lab = new DatapathLab(backend, "exec");
        // A big gateway: 3,000 filter rules (about 260 KB of iptables-save) besides mapt's.
        var big = new System.Text.StringBuilder("*filter\n:GW_BIG - [0:0]\n");
        for (int i = 0; i < 3000; i++)
            big.Append("-A GW_BIG -s 198.51.100.").Append(i % 250).Append("/32 -p tcp -m tcp --dport ").Append(1000 + i).Append(" -m comment --comment \"customer rule number ").Append(i).Append(" of the gateway\" -j ACCEPT\n");
        big.Append("COMMIT\n");
        lab.Restore(big.ToString(), IpFamily.Ipv4, noflush: true);
        string before = lab.Save(IpFamily.Ipv4);
        Assert.IsTrue(before.Length > 200_000, "the gateway's ruleset is " + before.Length + " bytes");
        Plan plan = PlanFor(backend);
        lab.InGateway(iptables =>
        {
            iptables.Setup(plan.Ipv4);
            iptables.Setup(plan.Ipv4);
            Assert.AreEqual(7, iptables.Read(IpFamily.Ipv4).Jumps.Count, "a second setup replaces, never stacks jumps");
            iptables.Remove(IpFamily.Ipv4, RemoveFilter.Of(plan.Ipv4).Chains);
        });
        Assert.AreEqual(before, lab.Save(IpFamily.Ipv4));
    }
}
