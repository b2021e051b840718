using System.Collections.Generic;
using Mapt.Net;

namespace Mapt.Provisioning;

/// <summary>
/// The values a plan is made from: the CE's MAP result (address, port set, MAP IPv6 address),
/// the BMR, the DMR and the FMRs.
/// </summary>
/// <param name="Ipv4Address">The CE's IPv4 address (shared, or its own for 1:1).</param>
/// <param name="PortSet">The CE's port ranges; empty when the address is not shared (k = 0).</param>
/// <param name="MapIpv6Address">The CE's MAP IPv6 address (RFC 7599 section 6).</param>
/// <param name="Bmr">The Basic Mapping Rule, as nat46 is told it.</param>
/// <param name="Dmr">The DMR (RFC 6052: /32, /40, /48, /56, /64 or /96).</param>
/// <param name="Fmrs">Forwarding Mapping Rules (mesh), in the order received.</param>
public sealed record PlanInput(
    Ipv4Address Ipv4Address,
    IReadOnlyList<PortSpan> PortSet,
    Ipv6Address MapIpv6Address,
    Nat46Rule Bmr,
    Ipv6Prefix Dmr,
    IReadOnlyList<Nat46Rule> Fmrs)
{
    /// <summary>1:1: the whole address is the CE's (o + r = 32 and no explicit PSID).</summary>
    public bool IsShared => PortSet.Count > 0;

    public int DmrLength => Dmr.Length;

    /// <summary>
    /// The port set as the MAP engine has it (offset, PSID length, PSID), from the BMR and the
    /// ranges: what the port remap computes with. Unrestricted for 1:1.
    /// </summary>
    public Mapt.Map.PortSet Ports
    {
        get
        {
            if (!IsShared || Bmr.PsidLength == 0)
                return new Mapt.Map.PortSet(Bmr.PsidOffset, 0, 0);
            int m = 16 - Bmr.PsidOffset - Bmr.PsidLength;
            return new Mapt.Map.PortSet(Bmr.PsidOffset, Bmr.PsidLength, (ushort)((PortSet[0].Last >> m) & ((1 << Bmr.PsidLength) - 1)));
        }
    }

    public string DmrText => Dmr.ToString();
}
