using System;
using System.Text.Json;
using Mapt.Text;
using Mapt.Translator;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Translator.TestPackets;

namespace Mapt.Tests.Translator;

[TestClass]
public sealed class TranslatorCountersTests
{
    [TestMethod]
    public void WriteJson_AfterTrafficAndDrops_Tr181NamesAndEveryReason()
    {
        var t = new PacketTranslator(Rfc7599Addressing());
        Run(t, Ipv4(CeIpv4, Remote4, 17, Udp(PortIn, 80, Data(10), V4(CeIpv4), V4(Remote4))), out byte[] v6);
        Run(t, Ipv4(CeIpv4, Remote4, 17, Udp(PortOut, 80, Data(10), V4(CeIpv4), V4(Remote4))), out _);
        Run(t, Ipv6(Remote6, CeIpv6, 17, Udp(80, PortOut, Data(10), V6(Remote6), V6(CeIpv6))), out _);

        var json = new JsonWriter();
        t.Counters.WriteJson(json);
        using JsonDocument doc = JsonDocument.Parse(json.ToString());
        JsonElement root = doc.RootElement;

        Assert.AreEqual(1, root.GetProperty("PacketsSent").GetInt64());
        Assert.AreEqual(v6.Length, root.GetProperty("BytesSent").GetInt64());
        Assert.AreEqual(1, root.GetProperty("DiscardPacketsSent").GetInt64());
        Assert.AreEqual(1, root.GetProperty("DiscardPacketsReceived").GetInt64());
        JsonElement drops = root.GetProperty("Drops");
        Assert.AreEqual(1, drops.GetProperty("SourcePortOutsideSet").GetInt64());
        Assert.AreEqual(1, drops.GetProperty("DestinationPortOutsideSet").GetInt64());
        int reasons = 0;
        foreach (JsonProperty _ in drops.EnumerateObject())
            reasons++;
        Assert.AreEqual(Enum.GetValues<DropReason>().Length - 1, reasons, "every reason but None, once");
    }
}
