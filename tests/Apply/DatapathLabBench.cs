using System;
using System.Collections.Generic;
using System.IO;
using Mapt.Provisioning;
using Mapt.Tests.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Apply;

/// <summary>
/// The lab at field-like flow counts (thousands of flows), run by tests/bench/provisioning.bench.sh:
/// appends table rows to the file named by MAPT_BENCH_ROWS.
/// </summary>
[TestClass]
public sealed class DatapathLabBench
{
    [TestMethod]
    [TestCategory("Bench")]
    [DataRow("legacy")]
    [DataRow("nft")]
    public void Lab_ThousandsOfFlows_PacketsOutsideThePortSet(string backend)
    {
        const int Udp = 3000, Tcp = 1000, Pings = 250, Qos = 50;
        using var lab = new DatapathLab(backend, "bprovlab");
        Plan plan = Samples.PlanOf(Samples.Shared(), new PlanSettings(WanInterface: "wan0", MapDevice: DatapathLab.MapDevice));
        lab.ApplyPlan(plan);
        var ports = new HashSet<int>();
        foreach (PortSpan span in plan.Input.PortSet)
            for (int p = span.First; p <= span.Last; p++)
                ports.Add(p);
        DatapathLab.Capture capture = lab.StartCapture();
        int[] ok = lab.DriveLan(Udp, Tcp, Pings, Qos);
        List<DatapathLab.Packet> packets = capture.Stop();
        int outside = 0;
        foreach (DatapathLab.Packet p in packets)
            if (p.Source != "192.0.2.18" || (p.Protocol is 6 or 17 && !ports.Contains(p.SourcePort))
                || (p.Protocol == 1 && p.IcmpType == 8 && !ports.Contains(p.IcmpId)))
                outside++;
        string row = $"| provisioning | lab ({backend}): {Udp} UDP flows, {Tcp} TCP connections, {Pings} pings, {Qos} QoS flows from the LAN through mapt's rules: packets in the sink outside the MAP source/port set (answered: udp {ok[0]}/{Udp + Qos}, tcp {ok[1]}/{Tcp}, ping {ok[2]}/{Pings}) | {outside} | {packets.Count} (packets captured) | {(double)outside / Math.Max(1, packets.Count):0.000} |";
        string? file = Environment.GetEnvironmentVariable("MAPT_BENCH_ROWS");
        if (file is not null)
            File.AppendAllText(file, row + "\n");
        Console.WriteLine(row);
        Assert.AreEqual(0, outside, row);
    }
}
