using System;
using System.Collections.Generic;
using System.IO;

namespace Mapt.Tests.Dhcpv6.Wire;

/// <summary>DHCPv6 payloads as a pcap of raw IPv6/UDP packets (server port 547 to client 546), for tshark.</summary>
internal static class PcapWriter
{
    public static void Write(Stream stream, IEnumerable<byte[]> payloads)
    {
        var w = new BinaryWriter(stream);
        w.Write(0xa1b2c3d4u);
        w.Write((ushort)2);
        w.Write((ushort)4);
        w.Write(0);
        w.Write(0u);
        w.Write(65535u);
        w.Write(101u); // LINKTYPE_RAW
        uint second = 0;
        foreach (byte[] payload in payloads)
        {
            int udpLength = 8 + payload.Length;
            var packet = new byte[40 + udpLength];
            packet[0] = 0x60;
            packet[4] = (byte)(udpLength >> 8);
            packet[5] = (byte)udpLength;
            packet[6] = 17;
            packet[7] = 1;
            packet[8] = 0xfe; packet[9] = 0x80; packet[23] = 1;   // fe80::1
            packet[24] = 0xfe; packet[25] = 0x80; packet[39] = 2; // fe80::2
            packet[40] = 547 >> 8; packet[41] = 547 & 0xff;
            packet[42] = 546 >> 8; packet[43] = 546 & 0xff;
            packet[44] = (byte)(udpLength >> 8);
            packet[45] = (byte)udpLength;
            payload.CopyTo(packet, 48);
            w.Write(second++);
            w.Write(0u);
            w.Write((uint)packet.Length);
            w.Write((uint)packet.Length);
            w.Write(packet);
        }
        w.Flush();
    }
}
