using System;
using System.Buffers.Binary;

namespace Mapt.Netlink;

/// <summary>A network interface as RTM_NEWLINK describes it (struct ifinfomsg + IFLA_* attributes).</summary>
public sealed class LinkInfo
{
    internal const int FixedLength = 16; // sizeof(struct ifinfomsg)

    public int Index { get; init; } // ifi_index
    public string Name { get; init; } = "";
    public LinkFlags Flags { get; init; } // ifi_flags
    public ushort Type { get; init; } // ifi_type: ARPHRD_*
    public uint Mtu { get; init; }
    public OperState OperState { get; init; }
    public byte[] HardwareAddress { get; init; } = Array.Empty<byte>();

    public bool IsUp => (Flags & LinkFlags.Up) != 0;

    /// <summary>Carrier: the veth peer, cable or tunnel underneath is there (IFF_LOWER_UP).</summary>
    public bool HasCarrier => (Flags & LinkFlags.LowerUp) != 0;

    public bool IsRunning => (Flags & LinkFlags.Running) != 0;

    /// <summary>Reads RTM_NEWLINK / RTM_DELLINK; false when the fixed header is short or an attribute is malformed.</summary>
    internal static bool TryRead(in NetlinkMessage message, out LinkInfo link)
    {
        link = null!;
        ReadOnlySpan<byte> p = message.Payload;
        if (p.Length < FixedLength)
            return false;
        string name = "";
        uint mtu = 0;
        OperState operState = OperState.Unknown;
        byte[] hardware = Array.Empty<byte>();
        AttributeReader attributes = message.Attributes(FixedLength);
        while (attributes.MoveNext())
        {
            NetlinkAttribute a = attributes.Current;
            switch ((LinkAttr)a.Type)
            {
                case LinkAttr.IfName:
                    name = a.AsString();
                    break;
                case LinkAttr.Mtu:
                    a.TryU32(out mtu);
                    break;
                case LinkAttr.OperState:
                    if (a.TryU8(out byte state))
                        operState = (OperState)state;
                    break;
                case LinkAttr.Address:
                    hardware = a.Value.ToArray();
                    break;
            }
        }
        if (attributes.Malformed)
            return false;
        link = new LinkInfo
        {
            Type = BinaryPrimitives.ReadUInt16LittleEndian(p[2..]),
            Index = BinaryPrimitives.ReadInt32LittleEndian(p[4..]),
            Flags = (LinkFlags)BinaryPrimitives.ReadUInt32LittleEndian(p[8..]),
            Name = name,
            Mtu = mtu,
            OperState = operState,
            HardwareAddress = hardware,
        };
        return true;
    }

    /// <summary>The hardware address as aa:bb:cc:dd:ee:ff.</summary>
    public string HardwareAddressText()
    {
        if (HardwareAddress.Length == 0)
            return "";
        Span<char> text = stackalloc char[HardwareAddress.Length * 3];
        for (int i = 0; i < HardwareAddress.Length; i++)
        {
            text[i * 3] = "0123456789abcdef"[HardwareAddress[i] >> 4];
            text[i * 3 + 1] = "0123456789abcdef"[HardwareAddress[i] & 0xf];
            text[i * 3 + 2] = ':';
        }
        return new string(text[..^1]);
    }

}
