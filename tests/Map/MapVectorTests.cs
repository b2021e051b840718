using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Mapt.Map;
using Mapt.Net;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Map.MapValues;

namespace Mapt.Tests.Map;

/// <summary>
/// Every row of the shared vector file (tests/Map/map-vectors.json, a copy of
/// shared/vectors/map-vectors.json: RFC 7599 Appendix A, Jool's (a, r, o) table, RFC 6052 section 2.4).
/// </summary>
[TestClass]
public sealed class MapVectorTests
{
    private static JsonElement Root()
    {
        string path = Path.Combine(Repo.Root, "tests", "Map", "map-vectors.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    private static IEnumerable<object[]> Rows(string section)
    {
        foreach (JsonElement row in Root().GetProperty(section).EnumerateArray())
            yield return new object[] { row.TryGetProperty("name", out JsonElement n) ? n.GetString()! : row.GetProperty("prefix").GetString() + " " + row.GetProperty("ipv4").GetString(), row.GetRawText() };
    }

    public static IEnumerable<object[]> CeRows => Rows("ce");
    public static IEnumerable<object[]> FmrRows => Rows("fmr");
    public static IEnumerable<object[]> Rfc6052Rows => Rows("rfc6052");

    [TestMethod]
    public void VectorFile_HasEveryExpectedRow()
    {
        JsonElement root = Root();
        Assert.AreEqual(3, root.GetProperty("ce").GetArrayLength());
        Assert.AreEqual(24, root.GetProperty("fmr").GetArrayLength());
        Assert.AreEqual(7, root.GetProperty("rfc6052").GetArrayLength());
    }

    private static int? OptInt(JsonElement row, string name) => row.TryGetProperty(name, out JsonElement v) ? v.GetInt32() : null;

    private static MapRule RuleOf(JsonElement row)
    {
        PortParameters? pp = null;
        int? offset = OptInt(row, "psid_offset");
        int? k = OptInt(row, "portparams_psid_len");
        if (offset is not null || k is not null)
        {
            int wire = OptInt(row, "portparams_psid_wire") ?? 0;
            Assert.IsTrue(PortParameters.TryFromWire((byte)(offset ?? 6), (byte)(k ?? 0), (ushort)wire, out PortParameters p, out MapError pe), pe.ToString());
            pp = p;
        }
        Assert.IsTrue(MapRule.TryCreate(P6(row.GetProperty("rule_ipv6").GetString()!), P4Masked(row.GetProperty("rule_ipv4").GetString()!),
            row.GetProperty("ea_len").GetInt32(), pp, isFmr: true, out MapRule? rule, out MapError error), error.ToString());
        return rule!;
    }

    [TestMethod]
    [DynamicData(nameof(CeRows))]
    public void CeVector_ComputesEveryListedValue(string name, string json)
    {
        JsonElement row = JsonDocument.Parse(json).RootElement;
        MapRule rule = RuleOf(row);
        Assert.IsTrue(MapResult.TryCompute(rule, P6(row.GetProperty("end_user_prefix").GetString()!), out var r, out MapError error), name + ": " + error);

        Assert.AreEqual(row.GetProperty("ipv4").GetString(), r.Ipv4Address.ToString(), name);
        Assert.AreEqual(32, r.Ipv4PrefixLength, name);
        Assert.AreEqual(row.GetProperty("psid_len").GetInt32(), r.PsidLength, name);
        if (OptInt(row, "psid") is int psid)
            Assert.AreEqual(psid, (int)r.Psid, name);
        if (OptInt(row, "psid_wire") is int wire)
            Assert.AreEqual(wire, (int)r.PsidWire, name);
        Assert.AreEqual(A6(row.GetProperty("map_ipv6").GetString()!), r.MapIpv6Address, name);
        Assert.AreEqual(row.GetProperty("map_ipv6").GetString(), r.MapIpv6Address.ToString(), name);

        int count = row.GetProperty("port_sets_count").GetInt32();
        Assert.AreEqual(count, r.PortSet.RangeCount, name);
        var ranges = new List<PortRange>();
        foreach (PortRange range in r.PortSet)
            ranges.Add(range);
        Assert.AreEqual(count, ranges.Count);
        if (row.TryGetProperty("port_sets_first", out JsonElement first))
            Assert.AreEqual(new PortRange((ushort)first[0].GetInt32(), (ushort)first[1].GetInt32()), ranges[0], name);
        if (row.TryGetProperty("port_sets_last", out JsonElement last))
            Assert.AreEqual(new PortRange((ushort)last[0].GetInt32(), (ushort)last[1].GetInt32()), ranges[^1], name);
        if (row.TryGetProperty("port_sets", out JsonElement all))
        {
            Assert.AreEqual(all.GetArrayLength(), ranges.Count);
            for (int i = 0; i < ranges.Count; i++)
                Assert.AreEqual(new PortRange((ushort)all[i][0].GetInt32(), (ushort)all[i][1].GetInt32()), ranges[i], $"{name} range {i}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(FmrRows))]
    public void FmrVector_MapsIpv4AndPortToTheOwnersAddress_AndBack(string name, string json)
    {
        JsonElement row = JsonDocument.Parse(json).RootElement;
        MapRule rule = RuleOf(row);
        Ipv4Address ipv4 = A4(row.GetProperty("ipv4").GetString()!);
        ushort port = (ushort)row.GetProperty("port").GetInt32();
        Ipv6Address expected = A6(row.GetProperty("map_ipv6").GetString()!);

        Assert.IsTrue(rule.TryMapIpv4ToIpv6(ipv4, port, out Ipv6Address mapped, out MapError error), name + ": " + error);
        Assert.AreEqual(expected, mapped, $"{name}: got {mapped}");

        // And the reverse: the owner's address gives back the IPv4 address and the PSID of the port.
        Assert.IsTrue(rule.TryMapIpv6ToIpv4(mapped, out Ipv4Address back, out ushort psid, out error), name + ": " + error);
        Assert.AreEqual(ipv4, back, name);
        Assert.IsTrue(rule.TryGetPsid(port, out ushort portPsid));
        Assert.AreEqual(portPsid, psid, name);
        Assert.IsTrue(rule.PortSetOf(psid).Contains(port), name);
    }

    [TestMethod]
    [DynamicData(nameof(Rfc6052Rows))]
    public void Rfc6052Vector_EmbedsAndExtracts(string name, string json)
    {
        JsonElement row = JsonDocument.Parse(json).RootElement;
        Assert.IsTrue(Dmr.TryCreate(P6(row.GetProperty("prefix").GetString()!), out Dmr dmr, out MapError error), error.ToString());
        Ipv4Address ipv4 = A4(row.GetProperty("ipv4").GetString()!);
        Ipv6Address expected = A6(row.GetProperty("ipv6").GetString()!);
        Assert.AreEqual(expected, dmr.Embed(ipv4), $"{name}: got {dmr.Embed(ipv4)}");
        Assert.IsTrue(dmr.TryExtract(expected, out Ipv4Address back, out error), error.ToString());
        Assert.AreEqual(ipv4, back, name);
    }
}
