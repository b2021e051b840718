using System;
using System.Buffers.Binary;

namespace Mapt.Translator;

/// <summary>
/// The struct virtio_net_hdr (linux/virtio_net.h) a TUN device opened with IFF_VNET_HDR puts
/// in front of every packet, both ways: whether the transport checksum is still to be done
/// (NEEDS_CSUM: the field at <see cref="CsumStart"/> + <see cref="CsumOffset"/> holds only the
/// pseudo-header sum, the kernel or the NIC adds the rest) and whether the packet is a GSO
/// super-packet (up to 64 KB that the kernel cuts into <see cref="GsoSize"/>-byte segments on
/// the way out, or GRO keeps whole for a local socket). 10 bytes, the TUN default size
/// (TUNSETVNETHDRSZ unset); the 16-bit fields are little-endian, the virtio 1.0 order the tun
/// driver uses on a little-endian host (x86-64, arm64) when TUNSETVNETBE is not set.
/// </summary>
public struct VirtioNetHeader
{
    public const int Size = 10;

    // flags
    public const byte NeedsCsum = 1, DataValid = 2;
    // gso_type
    public const byte GsoNone = 0, GsoTcpV4 = 1, GsoUdp = 3, GsoTcpV6 = 4, GsoUdpL4 = 5, GsoEcn = 0x80;

    public byte Flags;
    public byte GsoType;
    /// <summary>Bytes of headers (IP + transport) in front of the payload the segments share.</summary>
    public ushort HdrLen;
    /// <summary>Payload bytes per segment (the MSS for TCP), without any header.</summary>
    public ushort GsoSize;
    /// <summary>Where the checksummed part (the transport header) starts, from the IP header.</summary>
    public ushort CsumStart;
    /// <summary>Where the checksum field is, from <see cref="CsumStart"/>: 16 for TCP, 6 for UDP.</summary>
    public ushort CsumOffset;

    public readonly bool IsGso => (GsoType & ~GsoEcn) != GsoNone;
    public readonly bool IsPartial => (Flags & NeedsCsum) != 0;

    public static VirtioNetHeader Read(ReadOnlySpan<byte> b) => new()
    {
        Flags = b[0],
        GsoType = b[1],
        HdrLen = BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(2)),
        GsoSize = BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(4)),
        CsumStart = BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(6)),
        CsumOffset = BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(8)),
    };

    public readonly void Write(Span<byte> b)
    {
        b[0] = Flags;
        b[1] = GsoType;
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(2), HdrLen);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(4), GsoSize);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(6), CsumStart);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(8), CsumOffset);
    }

    /// <summary>No offload: a complete packet with a complete checksum (what the per-packet path writes).</summary>
    public static void WriteNone(Span<byte> b) => b.Slice(0, Size).Clear();
}
