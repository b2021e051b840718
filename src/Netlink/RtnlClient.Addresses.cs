using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Mapt.Netlink;

public sealed partial class RtnlClient
{
    /// <summary>
    /// Addresses of <paramref name="family"/> (Unspec: both), on one interface when
    /// <paramref name="index"/> is not 0 (filtered by the kernel under strict checking).
    /// </summary>
    public List<AddressInfo> DumpAddresses(AddressFamily family = AddressFamily.Unspec, int index = 0)
    {
        var addresses = new List<AddressInfo>();
        Span<byte> buffer = stackalloc byte[RequestBufferLength];
        var w = new NetlinkWriter(buffer, (ushort)NlMsgType.GetAddr, NlMsgFlags.Request | NlMsgFlags.Dump, _socket.NextSequence(), 0);
        WriteIfAddr(ref w, family, 0, 0, index);
        w.Finish();
        DumpConsistent(buffer[..w.Length], "dump addresses", (in NetlinkMessage m) =>
        {
            if (m.Type == (ushort)NlMsgType.NewAddr && AddressInfo.TryRead(m, out AddressInfo a) && (index == 0 || a.Index == index))
                addresses.Add(a);
        }, addresses.Clear);
        return addresses;
    }

    /// <summary>
    /// Adds an address (EEXIST if it is there). Lifetimes in seconds; <see cref="AddressInfo.Forever"/> for a
    /// permanent one. <see cref="AddressFlags.NoDad"/> and <see cref="AddressFlags.NoPrefixRoute"/> are honoured.
    /// </summary>
    public void AddAddress(int index, InetAddress address, byte prefixLength, AddressFlags flags = AddressFlags.None,
        uint validLifetime = AddressInfo.Forever, uint preferredLifetime = AddressInfo.Forever)
    {
        Span<byte> buffer = stackalloc byte[RequestBufferLength];
        var w = new NetlinkWriter(buffer, (ushort)NlMsgType.NewAddr,
            NlMsgFlags.Request | NlMsgFlags.Ack | NlMsgFlags.Create | NlMsgFlags.Excl, _socket.NextSequence(), 0);
        WriteIfAddr(ref w, address.Family, prefixLength, (byte)flags, index);
        w.Address((ushort)AddrAttr.Local, address);
        w.Address((ushort)AddrAttr.Address, address);
        w.U32((ushort)AddrAttr.Flags, (uint)flags);
        if (validLifetime != AddressInfo.Forever || preferredLifetime != AddressInfo.Forever)
        {
            Span<byte> cache = w.Attribute((ushort)AddrAttr.CacheInfo, 16); // struct ifa_cacheinfo
            BinaryPrimitives.WriteUInt32LittleEndian(cache, preferredLifetime); // ifa_prefered
            BinaryPrimitives.WriteUInt32LittleEndian(cache[4..], validLifetime); // ifa_valid
            cache[8..].Clear(); // cstamp, tstamp: output only
        }
        _socket.Request(w.Finish(), string.Concat("add address ", address.ToString(), "/", prefixLength.ToString(), " dev " + index.ToString()));
    }

    /// <summary>Removes an address; EADDRNOTAVAIL when it is not there.</summary>
    public void RemoveAddress(int index, InetAddress address, byte prefixLength)
    {
        Span<byte> buffer = stackalloc byte[RequestBufferLength];
        var w = new NetlinkWriter(buffer, (ushort)NlMsgType.DelAddr, NlMsgFlags.Request | NlMsgFlags.Ack, _socket.NextSequence(), 0);
        WriteIfAddr(ref w, address.Family, prefixLength, 0, index);
        w.Address((ushort)AddrAttr.Local, address);
        _socket.Request(w.Finish(), string.Concat("remove address ", address.ToString(), "/", prefixLength.ToString(), " dev " + index.ToString()));
    }

    private static void WriteIfAddr(ref NetlinkWriter w, AddressFamily family, byte prefixLength, byte flags, int index)
    {
        Span<byte> ifa = w.Reserve(AddressInfo.FixedLength); // struct ifaddrmsg
        ifa[0] = (byte)family; // ifa_family
        ifa[1] = prefixLength; // ifa_prefixlen
        ifa[2] = flags; // ifa_flags (the low 8 bits; IFA_FLAGS carries all)
        BinaryPrimitives.WriteInt32LittleEndian(ifa[4..], index); // ifa_index
    }
}
