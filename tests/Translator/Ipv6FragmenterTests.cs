using System;
using System.Collections.Generic;
using Mapt.Translator;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Translator.TestPackets;

namespace Mapt.Tests.Translator;

[TestClass]
public sealed class Ipv6FragmenterTests
{
    [TestMethod]
    [DataRow(3000, 1500)]
    [DataRow(1480, 1500)]
    [DataRow(5000, 1280)]
    public void Translate4To6_DfClearTooBig_FragmentHeaderThenCutToMtu(int payload, int mtu)
    {
        var t = new PacketTranslator(Rfc7599Addressing()) { Ipv6Mtu = mtu };
        byte[] udp = Udp(PortIn, 7000, Data(payload - 8), V4(CeIpv4), V4(Remote4));
        byte[] v4 = Ipv4(CeIpv4, Remote4, 17, udp, id: 0x5151, flags: 0);
        var buffer = new byte[PacketTranslator.Headroom + v4.Length];
        v4.CopyTo(buffer, PacketTranslator.Headroom);
        int start = PacketTranslator.Headroom, length = v4.Length;

        Assert.AreEqual(DropReason.None, t.Translate(buffer, ref start, ref length));
        Assert.AreEqual(44, buffer[start + 6], "Fragment header added");
        Assert.IsTrue(Ipv6Fragmenter.Needed(buffer.AsSpan(start, length), mtu));

        var pieces = new List<byte[]>();
        var f = new Ipv6Fragmenter(buffer, start, length, mtu);
        while (f.TryNext(out int fs, out int fl))
            pieces.Add(buffer.AsSpan(fs, fl).ToArray()); // what the TUN writer sends, in order

        var whole = new List<byte>();
        for (int i = 0; i < pieces.Count; i++)
        {
            byte[] p = pieces[i];
            Assert.IsTrue(p.Length <= mtu, $"fragment {i} is {p.Length} bytes");
            Assert.AreEqual(p.Length - 40, U16(p, 4));
            Assert.AreEqual(0x5151u, U32(p, 44));
            int word = U16(p, 42);
            Assert.AreEqual(whole.Count, word & ~7, $"fragment {i} offset");
            Assert.AreEqual(i < pieces.Count - 1 ? 1 : 0, word & 1, $"fragment {i} M flag");
            CollectionAssert.AreEqual(V6(CeIpv6), Slice(p, 8, 16));
            whole.AddRange(Slice(p, 48));
        }
        Assert.IsTrue(pieces.Count >= 2);
        byte[] datagram = whole.ToArray();
        Assert.AreEqual(payload, datagram.Length);
        Assert.AreEqual(0xffff, Sum(Pseudo6(V6(CeIpv6), V6(Remote6), 17, datagram.Length), datagram), "reassembled UDP checksum");
    }

    [TestMethod]
    public void Translate4To6_DfSetTooBig_NoFragmentHeader()
    {
        var t = new PacketTranslator(Rfc7599Addressing()) { Ipv6Mtu = 1280 };
        byte[] v4 = Ipv4(CeIpv4, Remote4, 17, Udp(PortIn, 7000, Data(1400), V4(CeIpv4), V4(Remote4)));

        Assert.AreEqual(DropReason.None, Run(t, v4, out byte[] v6));
        Assert.AreEqual(17, v6[6], "DF set: left whole, the path answers with Packet Too Big");
    }

    [TestMethod]
    public void Ipv6Fragmenter_LaterIpv4Fragment_KeepsOffsetAndMoreFlag()
    {
        var t = new PacketTranslator(Rfc7599Addressing()) { Ipv6Mtu = 1280 };
        // A middle fragment at offset 1480 with MF: its pieces must keep MF on all of them.
        byte[] v4 = Ipv4(CeIpv4, Remote4, 17, Data(1480), id: 0x77, flags: 0x2000 | (1480 / 8));
        // The first fragment was seen, so the table knows the datagram's port.
        Assert.AreEqual(DropReason.None, Run(t, Ipv4(CeIpv4, Remote4, 17, Udp(PortIn, 7000, Data(1472), V4(CeIpv4), V4(Remote4)).AsSpan(0, 1480).ToArray(), id: 0x77, flags: 0x2000), out _));
        var buffer = new byte[PacketTranslator.Headroom + v4.Length];
        v4.CopyTo(buffer, PacketTranslator.Headroom);
        int start = PacketTranslator.Headroom, length = v4.Length;
        Assert.AreEqual(DropReason.None, t.Translate(buffer, ref start, ref length));

        var f = new Ipv6Fragmenter(buffer, start, length, 1280);
        int expectedOffset = 1480;
        while (f.TryNext(out int fs, out int fl))
        {
            int word = (buffer[fs + 42] << 8) | buffer[fs + 43];
            Assert.AreEqual(expectedOffset, word & ~7);
            Assert.AreEqual(1, word & 1);
            expectedOffset += fl - 48;
        }
        Assert.AreEqual(1480 + 1480, expectedOffset);
    }
}
