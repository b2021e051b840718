using System;
using System.Text.Json;
using Mapt.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.TextWriting; // not Mapt.Tests.Text: that would shadow helpers named Text in other test classes

[TestClass]
public sealed class JsonWriterTests
{
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Document_IsValidJsonWithTheValuesWritten(bool indented)
    {
        var w = new JsonWriter(indented);
        w.StartObject()
            .Property("ipv4", "192.0.2.18")
            .Property("psid", 0x34L)
            .Property("quote", "a\"b\\c\n\u0001")
            .Property("ok", true)
            .StartArray("port_sets");
        w.StartArray().Number(1232).Number(1235).EndArray();
        w.StartArray().Number(2256).Number(2259).EndArray();
        w.EndArray().StartObject("empty").EndObject().StartArray("none").EndArray().Name("nothing").Null().EndObject();

        using JsonDocument doc = JsonDocument.Parse(w.ToString());
        JsonElement root = doc.RootElement;
        Assert.AreEqual("192.0.2.18", root.GetProperty("ipv4").GetString());
        Assert.AreEqual(0x34, root.GetProperty("psid").GetInt32());
        Assert.AreEqual("a\"b\\c\n\u0001", root.GetProperty("quote").GetString());
        Assert.IsTrue(root.GetProperty("ok").GetBoolean());
        Assert.AreEqual(2259, root.GetProperty("port_sets")[1][1].GetInt32());
        Assert.AreEqual(0, root.GetProperty("none").GetArrayLength());
        Assert.AreEqual(JsonValueKind.Null, root.GetProperty("nothing").ValueKind);
    }

    [TestMethod]
    public void UnclosedOrUnbalanced_IsACallerError()
    {
        Assert.ThrowsExactly<InvalidOperationException>(() => new JsonWriter().StartObject().ToString());
        Assert.ThrowsExactly<InvalidOperationException>(() => new JsonWriter().StartObject().Name("a").EndObject());
        Assert.ThrowsExactly<InvalidOperationException>(() => new JsonWriter().Number(1).Number(2));
    }
}
