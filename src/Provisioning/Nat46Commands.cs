using System.Collections.Generic;
using System.Globalization;

namespace Mapt.Provisioning;

/// <summary>
/// The nat46 control-file commands for a CE (mapt-reference section 4): <c>add</c>, one
/// <c>config</c> for the BMR + DMR pair (it edits the last pair), one <c>insert</c> per FMR (each
/// new pair goes to the head), and <c>del</c>. One command per write: <c>config</c> and
/// <c>insert</c> take the rest of the write as their arguments.
/// </summary>
public static class Nat46Commands
{
    public static string Add(string device) => "add " + device;

    public static string Del(string device) => "del " + device;

    /// <summary>The usual MAP-T CE line (OpenWrt, RDK-B): BMR as local side, DMR as remote side.</summary>
    public static string Config(string device, Nat46Rule bmr, string dmrText) =>
        "config " + device + " local.style MAP local.v4 " + bmr.Ipv4Text + " local.v6 " + bmr.Ipv6Text +
        " local.ea-len " + Number(bmr.EaBitsLength) + " local.psid-offset " + Number(bmr.PsidOffset) +
        " remote.v4 0.0.0.0/0 remote.v6 " + dmrText + " remote.style RFC6052 remote.ea-len 0 remote.psid-offset 0";

    /// <summary>
    /// An FMR (RFC 7597 section 5.3): a remote MAP side only. The local side stays NONE, so the
    /// pair does not end a rule group and the BMR's local side applies.
    /// </summary>
    public static string Insert(string device, Nat46Rule fmr) =>
        "insert " + device + " remote.style MAP remote.v4 " + fmr.Ipv4Text + " remote.v6 " + fmr.Ipv6Text +
        " remote.ea-len " + Number(fmr.EaBitsLength) + " remote.psid-offset " + Number(fmr.PsidOffset);

    /// <summary>
    /// The order FMRs are inserted in: nat46 takes the first pair whose remote side matches and
    /// every insert goes to the head, so the least specific IPv4 prefix goes in first and the
    /// most specific ends at the head. Stable for equal lengths (the order received).
    /// </summary>
    public static List<Nat46Rule> InsertOrder(IReadOnlyList<Nat46Rule> fmrs)
    {
        var ordered = new List<Nat46Rule>(fmrs.Count);
        foreach (Nat46Rule fmr in fmrs)
        {
            int at = ordered.Count;
            while (at > 0 && ordered[at - 1].Ipv4PrefixLength > fmr.Ipv4PrefixLength)
                at--;
            ordered.Insert(at, fmr);
        }
        return ordered;
    }

    /// <summary>Every write of a bring-up, each with the device's expected pairs after it.</summary>
    public static List<Nat46Step> Setup(string device, PlanInput input)
    {
        var steps = new List<Nat46Step>();
        var pairs = new List<Nat46Pair> { Nat46Pair.Empty };
        steps.Add(new Nat46Step(Add(device), device, pairs.ToArray()));
        string dmr = Nat46Text.Prefix(input.Dmr);
        pairs[0] = new Nat46Pair(Nat46Side.Map(input.Bmr), Nat46Side.Rfc6052(dmr));
        steps.Add(new Nat46Step(Config(device, input.Bmr, dmr), device, pairs.ToArray()));
        foreach (Nat46Rule fmr in InsertOrder(input.Fmrs))
        {
            pairs.Insert(0, new Nat46Pair(Nat46Side.None, Nat46Side.Map(fmr)));
            steps.Add(new Nat46Step(Insert(device, fmr), device, pairs.ToArray()));
        }
        return steps;
    }

    public static List<Nat46Step> Teardown(string device) => new() { new Nat46Step(Del(device), device, null) };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
