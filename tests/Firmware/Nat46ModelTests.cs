using System;
using System.Collections.Generic;
using Mapt.Provisioning;
using Mapt.Tests.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Firmware;

/// <summary>
/// Issue 12 point 7: the nat46 model the other tests use (<see cref="FakeNat46"/>) against the
/// real module on the firmware's arm64 kernel. Every command is written to both, and the
/// whole control file is compared after each: mapt's own plans (set-up, the in-place edit,
/// teardown, with the product's expected pairs checked against the real read-back too) and
/// the quirks the module has (fmr-flag ignored, a bad address half applied, a bad style
/// stopping the parse, remove matching the printed text, names cut to 15 characters, ...).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class Nat46ModelTests
{
    private const string Control = "/proc/net/nat46/control";
    private const string Separator = "=====";

    [TestMethod]
    public void Model_ReadsBackExactlyLikeTheRealModule_CommandByCommand()
    {
        using FirmwareLab lab = FirmwareLab.Start();
        // The daemon's own device would be in the file too: the module is the test's alone.
        lab.Console.Sh("/etc/init.d/mapt stop");
        Assert.AreEqual("", lab.ControlFile(), "the control file is empty once mapt stopped");

        var model = new FakeNat46 { Strict = false };
        var differences = new List<string>();
        int commands = 0;
        foreach ((string name, List<Nat46Step> steps) in Scenarios())
        {
            List<string> real = WriteAndReadBack(lab.Console, steps);
            for (int i = 0; i < steps.Count; i++)
            {
                commands++;
                model.Write(steps[i].Command);
                string expected = model.Read();
                if (real[i] != expected)
                    differences.Add($"{name}: after '{steps[i].Command}'\n--- module\n{real[i]}--- model\n{expected}");
                // mapt's own steps carry what the product expects the module to hold.
                if (steps[i].Device.Length != 0 && Nat46ReadBack.Compare(real[i], steps[i].Device, steps[i].ExpectedPairs) is string wrong)
                    differences.Add($"{name}: after '{steps[i].Command}' mapt's expectation does not hold on the module: {wrong}\n{real[i]}");
            }
        }
        Assert.AreEqual(0, differences.Count, $"{differences.Count} difference(s) in {commands} commands:\n\n" + string.Join("\n", differences));
        Console.WriteLine($"{commands} commands, model and module agree after each");
        StringAssert.Contains(lab.Console.Sh("dmesg | grep nat46 | tail -5"), "nat46:", "the commands reached the module");
    }

    /// <summary>Writes each command (one echo, one write) and reads the whole file after it, as one script run on the VM.</summary>
    private static List<string> WriteAndReadBack(SerialConsole console, List<Nat46Step> steps)
    {
        var script = new List<string>();
        foreach (Nat46Step step in steps)
            script.Add($"echo \"{step.Command}\" > {Control}; echo {Separator}; cat {Control}");
        console.WriteFile("/tmp/nat46-model.sh", script);
        string output = console.Sh("sh /tmp/nat46-model.sh", TimeSpan.FromSeconds(60));
        string[] parts = output.Split(Separator + "\n");
        Assert.AreEqual(steps.Count + 1, parts.Length, output);
        return new List<string>(parts[1..]);
    }

    private static Nat46Step Raw(string command) => new(command, "", null);

    private static IEnumerable<(string, List<Nat46Step>)> Scenarios()
    {
        var settings = new PlanSettings(MapDevice: "m46plan");
        // mapt's plans: shared, with FMRs (inserted at the head), 1:1, and a DMR the kernel
        // prints with a dotted tail (an ISATAP-like interface identifier in a /96).
        PlanInput isatapDmr = Samples.Shared() with { Dmr = Samples.Prefix6("2001:db8::5efe:0:0/96") };
        foreach ((string name, PlanInput input) in new[]
        {
            ("shared", Samples.Shared()), ("shared+2 FMRs", Samples.Shared(Samples.Fmr2, Samples.Fmr1)),
            ("1:1", Samples.OneToOne()), ("DMR with a dotted tail", isatapDmr),
        })
        {
            Plan plan = Samples.PlanOf(input, settings);
            var steps = new List<Nat46Step>(plan.Nat46Setup);
            steps.AddRange(plan.Nat46Teardown);
            yield return (name, steps);
        }

        // The daemon's in-place edit (event 508): the BMR/DMR pair behind two FMRs, one config.
        Plan before = Samples.PlanOf(Samples.Shared(Samples.Fmr1, Samples.Fmr2), settings);
        Plan moved = Samples.PlanOf(Samples.Shared(Samples.Fmr1, Samples.Fmr2) with
        {
            Bmr = new Nat46Rule("192.0.2.0", 24, "2001:db8:40::", 42, 14, 6, 6),
            Dmr = Samples.Prefix6("2001:db8:fffe::/64"),
        }, settings);
        var edit = new List<Nat46Step>(before.Nat46Setup) { new(moved.Nat46Setup[1].Command, "m46plan", moved.Nat46Setup[^1].ExpectedPairs) };
        edit.AddRange(moved.Nat46Teardown);
        yield return ("in-place edit", edit);

        // What the module does with what mapt never writes.
        yield return ("quirks", new List<Nat46Step>
        {
            Raw("add m46q"),
            Raw("add m46q"),
            Raw("del m46none"),
            Raw("config m46q local.style MAP fmr-flag 1 local.ea-len 16"),
            Raw("config m46q local.style MAPT local.ea-len 12"),
            Raw("config m46q local.v6 2001:db8::zz/48 local.ea-len 9"),
            Raw("config m46q local.v4 192.0.2.300/24 local.psid-offset 4"),
            Raw("config m46q foo local.v4 198.51.100.0/25"),
            Raw("config m46q local.bogus 5 remote.ea-len 7"),
            Raw("config m46q local.v4 192.0.2.1"),
            Raw("config m46q local.ea-len 16x local.psid-offset -2"),
            Raw("config m46q local.ea-len"),
            Raw("config m46q debug 3"),
            Raw("insert m46q remote.style MAP remote.v4 203.0.113.0/24"),
            Raw("remove m46q remote.style MAP remote.v4 203.0.113.0/24"),
            Raw("remove m46q remote.style MAP remote.v4 203.0.113.0/24 debug 3"),
            Raw("config m46q remote.v6 ::ffff:192.0.2.0/120 local.v6 2001:db8::5efe:c000:201/128"),
            Raw("config m46q remote.v6 ::c000:212/128"),
            Raw("config m46q local.v6 2001:db8:0:1:200:5efe:c000:201/128 remote.v6 0:1::5efe:0:0/96"),
            Raw("config m46q local.v6 2001:db8:1234:5678:9abc:def0:1234:5678/128 remote.v6 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/128"),
            Raw("remove m46q local.v6 2001:db8:1234:5678:9abc:def0:1234:5678/128 remote.v6 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/128"),
            Raw("config m46q local.ea-len 5"),
            Raw("add m46a add m46b del m46q"),
            Raw("add m46-name-longer-than-15"),
            Raw("del m46-name-longer-than-15"),
            Raw("del m46a del m46b"),
        });
    }
}
