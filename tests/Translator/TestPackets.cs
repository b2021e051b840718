using System;
using System.Collections.Generic;
using System.Net;
using Mapt.Map;
using Mapt.Translator;
using static Mapt.Tests.Map.MapValues;

namespace Mapt.Tests.Translator;

/// <summary>
/// Hand-built packets and an independent checksum (a plain word sum over concatenated bytes,
/// not the product's code) to check the translator's output against.
/// </summary>
internal static class TestPackets
{
    // RFC 7599 Appendix A, Example 1/3: BMR 2001:db8::/40, 192.0.2.0/24, o = 16, a = 6,
    // End-user prefix 2001:db8:12:3400::/56 -> 192.0.2.18, PSID 0x34; DMR 2001:db8:ffff::/64.
    public const string CeIpv4 = "192.0.2.18";
    public const string CeIpv6 = "2001:db8:12:3400:0:c000:212:34";
    public const string Remote4 = "10.2.3.4";
    public const string Remote6 = "2001:db8:ffff:0:a:203:400:0";
    public const int PortIn = 1232, PortOut = 1300; // 1232 is the first port of PSID 0x34; 1300 belongs to PSID 0x35

    public static MapAddressing Rfc7599Addressing(bool bmrIsFmr = false)
    {
        MapRule bmr = Rule("2001:db8::/40", "192.0.2.0/24", 16, fmr: bmrIsFmr);
        if (!Dmr.TryCreate(P6("2001:db8:ffff::/64"), out Dmr dmr, out MapError e))
            throw new InvalidOperationException(e.ToString());
        return new MapAddressing(Compute(bmr, "2001:db8:12:3400::/56"), new MapRuleSet(new[] { bmr }, dmr));
    }

    public static byte[] V4(string a) => IPAddress.Parse(a).GetAddressBytes();
    public static byte[] V6(string a) => IPAddress.Parse(a).GetAddressBytes();

    public static byte[] Concat(params byte[][] parts)
    {
        var l = new List<byte>();
        foreach (byte[] p in parts)
            l.AddRange(p);
        return l.ToArray();
    }

    /// <summary>The one's complement sum of everything, folded: 0xffff over data that includes a valid checksum.</summary>
    public static int Sum(params byte[][] parts)
    {
        byte[] all = Concat(parts);
        long s = 0;
        for (int i = 0; i < all.Length; i += 2)
            s += (all[i] << 8) + (i + 1 < all.Length ? all[i + 1] : 0);
        while (s >> 16 != 0)
            s = (s & 0xffff) + (s >> 16);
        return (int)s;
    }

    public static void SetChecksum(byte[] data, int at, params byte[][] covered)
    {
        data[at] = data[at + 1] = 0;
        int c = ~Sum(covered) & 0xffff;
        data[at] = (byte)(c >> 8);
        data[at + 1] = (byte)c;
    }

    public static byte[] Pseudo4(byte[] src, byte[] dst, int proto, int len) =>
        Concat(src, dst, new byte[] { 0, (byte)proto, (byte)(len >> 8), (byte)len });

    public static byte[] Pseudo6(byte[] src, byte[] dst, int nh, int len) =>
        Concat(src, dst, new byte[] { (byte)(len >> 24), (byte)(len >> 16), (byte)(len >> 8), (byte)len, 0, 0, 0, (byte)nh });

    public static byte[] Ipv4(string src, string dst, int proto, byte[] payload, int ttl = 64, int tos = 0, int id = 0x1234,
        int flags = 0x4000)
    {
        var h = new byte[20];
        h[0] = 0x45; h[1] = (byte)tos;
        int total = 20 + payload.Length;
        h[2] = (byte)(total >> 8); h[3] = (byte)total;
        h[4] = (byte)(id >> 8); h[5] = (byte)id;
        h[6] = (byte)(flags >> 8); h[7] = (byte)flags;
        h[8] = (byte)ttl; h[9] = (byte)proto;
        V4(src).CopyTo(h, 12);
        V4(dst).CopyTo(h, 16);
        SetChecksum(h, 10, h);
        return Concat(h, payload);
    }

    public static byte[] Ipv6(string src, string dst, int nh, byte[] payload, int hop = 64, int tc = 0)
    {
        var h = new byte[40];
        h[0] = (byte)(0x60 | tc >> 4); h[1] = (byte)(tc << 4);
        h[4] = (byte)(payload.Length >> 8); h[5] = (byte)payload.Length;
        h[6] = (byte)nh; h[7] = (byte)hop;
        V6(src).CopyTo(h, 8);
        V6(dst).CopyTo(h, 24);
        return Concat(h, payload);
    }

    public static byte[] Data(int n)
    {
        var d = new byte[n];
        for (int i = 0; i < n; i++)
            d[i] = (byte)(i * 7 + 3);
        return d;
    }

    /// <summary>A UDP datagram with its checksum for the given pseudo-header (none when zero is asked for).</summary>
    public static byte[] Udp(int sport, int dport, byte[] data, byte[] pseudoSrc, byte[] pseudoDst, bool zeroChecksum = false)
    {
        var u = new byte[8];
        u[0] = (byte)(sport >> 8); u[1] = (byte)sport; u[2] = (byte)(dport >> 8); u[3] = (byte)dport;
        int len = 8 + data.Length;
        u[4] = (byte)(len >> 8); u[5] = (byte)len;
        byte[] d = Concat(u, data);
        if (!zeroChecksum)
        {
            byte[] pseudo = pseudoSrc.Length == 4 ? Pseudo4(pseudoSrc, pseudoDst, 17, len) : Pseudo6(pseudoSrc, pseudoDst, 17, len);
            SetChecksum(d, 6, pseudo, d);
            if (d[6] == 0 && d[7] == 0)
                d[6] = d[7] = 0xff;
        }
        return d;
    }

    public static byte[] Tcp(int sport, int dport, byte[] data, byte[] pseudoSrc, byte[] pseudoDst)
    {
        var t = new byte[20];
        t[0] = (byte)(sport >> 8); t[1] = (byte)sport; t[2] = (byte)(dport >> 8); t[3] = (byte)dport;
        t[7] = 1; t[12] = 0x50; t[13] = 0x18; t[14] = 0xff; t[15] = 0xff;
        byte[] d = Concat(t, data);
        byte[] pseudo = pseudoSrc.Length == 4 ? Pseudo4(pseudoSrc, pseudoDst, 6, d.Length) : Pseudo6(pseudoSrc, pseudoDst, 6, d.Length);
        SetChecksum(d, 16, pseudo, d);
        return d;
    }

    /// <summary>An ICMP message: type, code, the 4-byte rest, body; checksum with or without a pseudo-header.</summary>
    public static byte[] Icmp(int type, int code, uint rest, byte[] body, byte[]? pseudo6Src = null, byte[]? pseudo6Dst = null)
    {
        var h = new byte[8];
        h[0] = (byte)type; h[1] = (byte)code;
        h[4] = (byte)(rest >> 24); h[5] = (byte)(rest >> 16); h[6] = (byte)(rest >> 8); h[7] = (byte)rest;
        byte[] m = Concat(h, body);
        if (pseudo6Src is null)
            SetChecksum(m, 2, m);
        else
            SetChecksum(m, 2, Pseudo6(pseudo6Src, pseudo6Dst!, 58, m.Length), m);
        return m;
    }

    /// <summary>Runs the translator on a copy of <paramref name="packet"/> placed after the headroom.</summary>
    public static DropReason Run(PacketTranslator t, byte[] packet, out byte[] output)
    {
        var buffer = new byte[PacketTranslator.Headroom + packet.Length + 64];
        packet.CopyTo(buffer, PacketTranslator.Headroom);
        int start = PacketTranslator.Headroom, length = packet.Length;
        DropReason r = t.Translate(buffer, ref start, ref length);
        output = r == DropReason.None ? buffer.AsSpan(start, length).ToArray() : Array.Empty<byte>();
        return r;
    }

    public static byte[] Slice(byte[] b, int start, int length = -1) => b.AsSpan(start, length < 0 ? b.Length - start : length).ToArray();
    public static int U16(byte[] b, int at) => (b[at] << 8) | b[at + 1];
    public static uint U32(byte[] b, int at) => (uint)((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
}
