using System;
using System.Collections.Generic;
using Mapt.Translator;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Mapt.Tests.Translator.TestPackets;

namespace Mapt.Tests.Translator;

/// <summary>Bytes from the network never throw: every byte of valid packets changed, and cuts.</summary>
[TestClass]
public sealed class PacketTranslatorFuzzTests
{
    private static IEnumerable<byte[]> Samples()
    {
        yield return Ipv4(CeIpv4, Remote4, 17, Udp(PortIn, 80, Data(20), V4(CeIpv4), V4(Remote4)));
        yield return Ipv4(CeIpv4, Remote4, 6, Tcp(PortIn, 80, Data(20), V4(CeIpv4), V4(Remote4)));
        yield return Ipv4(CeIpv4, Remote4, 1, Icmp(8, 0, (uint)PortIn << 16, Data(16)));
        yield return Ipv4(CeIpv4, Remote4, 1, Icmp(3, 4, 1400, Ipv4(Remote4, CeIpv4, 17, Udp(53, PortIn, Data(8), V4(Remote4), V4(CeIpv4)))));
        yield return Ipv6(Remote6, CeIpv6, 17, Udp(80, PortIn, Data(20), V6(Remote6), V6(CeIpv6)));
        yield return Ipv6(Remote6, CeIpv6, 58, Icmp(129, 0, (uint)PortIn << 16, Data(16), V6(Remote6), V6(CeIpv6)));
        yield return Ipv6(Remote6, CeIpv6, 58, Icmp(2, 0, 1400,
            Ipv6(CeIpv6, Remote6, 44, Concat(new byte[] { 6, 0, 0, 1, 0, 0, 0, 1 }, Tcp(PortIn, 80, Data(8), V6(CeIpv6), V6(Remote6)))),
            V6(Remote6), V6(CeIpv6)));
        yield return Ipv6(Remote6, CeIpv6, 0, Concat(new byte[] { 60, 0, 1, 4, 0, 0, 0, 0 }, new byte[] { 17, 0, 0, 0, 0, 0, 0, 0 },
            Udp(80, PortIn, Data(4), V6(Remote6), V6(CeIpv6))));
    }

    [TestMethod]
    public void Translate_EveryByteChangedOrCut_NeverThrows()
    {
        var t = new PacketTranslator(Rfc7599Addressing(bmrIsFmr: true)) { Ipv6Mtu = 1280 };
        int translated = 0, dropped = 0;
        foreach (byte[] sample in Samples())
        {
            for (int i = 0; i < sample.Length; i++)
                foreach (byte v in new byte[] { 0, 1, 0x7f, 0x80, 0xff, (byte)(sample[i] ^ 0x40) })
                {
                    byte[] p = (byte[])sample.Clone();
                    p[i] = v;
                    if (Run(t, p, out _) == DropReason.None) translated++; else dropped++;
                }
            for (int n = 0; n <= sample.Length; n++)
                if (Run(t, sample.AsSpan(0, n).ToArray(), out _) == DropReason.None) translated++; else dropped++;
        }
        Assert.IsTrue(translated > 0 && dropped > 0, $"{translated} translated, {dropped} dropped");
    }
}
