using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Mapt.Dhcpv6;
using Mapt.Map;
using Mapt.Net;
using Mapt.Provisioning;
using Mapt.Status;

namespace Mapt.Wan;

/// <summary>
/// The MAP content the WAN side configures, whatever its origin: a DHCPv6 lease (option 95)
/// or the static rule of the config file (TR-181 Origin = Static). <see cref="Key"/> is its
/// canonical text: the state machine compares keys to tell a renewal from a change.
/// </summary>
public sealed class MapContent
{
    public MapContent(Ipv6Prefix endUserPrefix, IReadOnlyList<MapRule> rules, Dmr dmr, string origin)
    {
        EndUserPrefix = endUserPrefix;
        Rules = rules;
        Dmr = dmr;
        Origin = origin;
        var key = new StringBuilder();
        key.Append(endUserPrefix.ToString());
        foreach (MapRule r in rules)
            key.Append(' ').Append(r.ToString());
        key.Append(" dmr ").Append(dmr.ToString());
        Key = key.ToString();
        _error = Compute(out _result);
    }

    private readonly MapResult? _result;
    private readonly string _error;

    public Ipv6Prefix EndUserPrefix { get; }
    public IReadOnlyList<MapRule> Rules { get; }
    public Dmr Dmr { get; }
    public string Origin { get; }
    public string Key { get; }

    /// <summary>The lease's MAP-T content, or null when the reply carried no option 95.</summary>
    public static MapContent? FromLease(Lease lease)
    {
        if (lease.Mapt is null || lease.Prefixes.Length == 0)
            return null;
        return new MapContent(lease.EndUserPrefix, lease.Mapt.Rules.Rules, lease.Mapt.Dmr, "DHCPv6");
    }

    /// <summary>The CE's address, PSID and port set for this content, computed once when it arrived.</summary>
    public bool TryCompute([MaybeNullWhen(false)] out MapResult result, out string error)
    {
        result = _result;
        error = _error;
        return result is not null;
    }

    /// <summary>BMR by longest match (RFC 7597 section 5.1), then the CE's address, PSID and port set.</summary>
    private string Compute(out MapResult? result)
    {
        result = null;
        var set = new MapRuleSet(Rules, Dmr);
        if (!set.TrySelectBasicMappingRule(EndUserPrefix, out MapRule? bmr, out MapError e))
            return "no Basic Mapping Rule for " + EndUserPrefix + ": " + MapErrors.Describe(e);
        if (!MapResult.TryCompute(bmr!, EndUserPrefix, out result, out e))
            return "BMR " + bmr + " with " + EndUserPrefix + ": " + MapErrors.Describe(e);
        return "";
    }

    /// <summary>What Provisioning builds its plan from.</summary>
    public PlanInput ToPlanInput(MapResult r) => PlanInputs.From(r, Dmr, Rules);

    /// <summary>
    /// The Rule.{i}. rows of the TR-181 view. PSIDOffset, PSIDLength and PSID are S46_PORTPARAMS as
    /// received; a rule without it shows the model's defaults (offset 6, length 0, PSID 0), which
    /// are <see cref="PortParameters.Default"/>: what a controller writing the row back would
    /// configure is what the server sent. IncludeSystemPorts says whether the rule's port sets hold
    /// 1-1023: with offset 0 (one block from port 1 for PSID 0; the model's N = 0) or without sharing.
    /// With <paramref name="applied"/> (this content's BMR result, once applied) also what the CE uses.
    /// </summary>
    public void FillStatus(StatusSnapshot s, MapResult? applied)
    {
        MapRule? bmr = applied?.Rule;
        s.EndUserPrefix = EndUserPrefix.ToString();
        s.Dmr = Dmr.ToString();
        s.Rules.Clear();
        foreach (MapRule r in Rules)
        {
            PortParameters received = r.PortParameters;
            s.Rules.Add(new StatusRule(Origin, r.RuleIpv6Prefix.ToString(), r.RuleIpv4Prefix.ToString(), r.EaBitsLength, r.IsFmr,
                received.PsidOffset, received.PsidLength, received.PsidWire,
                IncludeSystemPorts: r.PsidOffset == 0 || r.PsidLength == 0,
                PsidLengthInUse: r.PsidLength,
                IsBmr: ReferenceEquals(r, bmr)));
        }
        if (applied is null)
            return;
        s.Ipv4Address = applied.Ipv4Address.ToString();
        s.MapIpv6Address = applied.MapIpv6Address.ToString();
        s.PsidInUse = applied.Psid;
        s.PsidLengthInUse = applied.PsidLength;
        s.PsidOffsetInUse = applied.PsidOffset;
        s.PortSet = PortSetText(applied);
    }

    private static string PortSetText(MapResult r)
    {
        if (!r.PortSet.IsRestricted)
            return "all ports (1:1)";
        var text = new StringBuilder();
        int n = 0;
        foreach (PortRange range in r.PortSet)
        {
            if (n < 2 || n == r.PortSet.RangeCount - 1)
                text.Append(n == 0 ? "" : " ").Append(range.First.ToString(CultureInfo.InvariantCulture)).Append('-').Append(range.Last.ToString(CultureInfo.InvariantCulture));
            else if (n == 2)
                text.Append(" ...");
            n++;
        }
        text.Append(" (").Append(r.PortSet.RangeCount.ToString(CultureInfo.InvariantCulture)).Append(" ranges, ")
            .Append(r.PortSet.PortCount.ToString(CultureInfo.InvariantCulture)).Append(" ports)");
        return text.ToString();
    }
}
