using System;
using System.IO;
using Mapt.Dhcpv6.Wire;
using Mapt.Platform;
using Microsoft.Extensions.Logging;

namespace Mapt.Dhcpv6;

/// <summary>
/// The client's DUID, generated once and kept on the flash directory (RFC 8415 section 11:
/// a DUID must not change across reboots), so a reboot asks for the same binding and gets
/// the same prefix, hence the same MAP EA bits. Stored as one line of hex.
/// </summary>
public static class DuidStore
{
    public const string FileName = "dhcpv6.duid";
    /// <summary>ARP hardware type of Ethernet (RFC 826, IANA): the link-layer type in DUID-LL.</summary>
    private const ushort HardwareTypeEthernet = 1;

    /// <summary>
    /// Reads the DUID from <paramref name="directory"/>; when it is missing or corrupt, makes a
    /// DUID-LL from <paramref name="mac"/> (a DUID-UUID when there is none), saves it and logs why.
    /// Saved durably (the file and the directory fsync'ed, <see cref="AtomicFile"/>): a power cut
    /// after the first lease must not bring back another DUID, hence another prefix.
    /// </summary>
    public static byte[] LoadOrCreate(string directory, ReadOnlySpan<byte> mac, ILogger logger, Random random)
    {
        string path = Path.Combine(directory, FileName);
        string? problem = null;
        try
        {
            // A symbolic link there is refused, not followed (mapt is root), and replaced below.
            string? text = AtomicFile.Read(path);
            if (text is not null && TryDecode(text, out byte[] stored, out problem))
                return stored;
        }
        catch (PlatformException e)
        {
            problem = "unreadable: " + e.Message;
        }
        byte[] duid = Create(mac, random);
        string hex = Convert.ToHexString(duid).ToLowerInvariant();
        try
        {
            AtomicFile.EnsureDirectory(directory);
            AtomicFile.Write(path, hex + "\n", AtomicFile.Readable, durable: true);
        }
        catch (PlatformException e)
        {
            Dhcpv6Log.DuidNotSaved(logger, path, e.Message, hex);
            return duid;
        }
        if (problem is null)
            Dhcpv6Log.DuidCreated(logger, hex, path);
        else
            Dhcpv6Log.DuidReplaced(logger, path, problem, hex);
        return duid;
    }

    /// <summary>DUID-LL (RFC 8415 section 11.4) from a MAC; DUID-UUID (RFC 6355) without one.</summary>
    public static byte[] Create(ReadOnlySpan<byte> mac, Random random)
    {
        if (mac.Length == 6 && mac.IndexOfAnyExcept((byte)0) >= 0)
        {
            var duid = new byte[10];
            duid[1] = (byte)DuidType.LinkLayer;
            duid[3] = (byte)HardwareTypeEthernet;
            mac.CopyTo(duid.AsSpan(4));
            return duid;
        }
        var uuid = new byte[18];
        uuid[1] = (byte)DuidType.Uuid;
        random.NextBytes(uuid.AsSpan(2));
        return uuid;
    }

    /// <summary>Hex text to a DUID of a known type and a plausible length.</summary>
    public static bool TryDecode(string text, out byte[] duid, out string problem)
    {
        duid = Array.Empty<byte>();
        string hex = text.Trim();
        if (hex.Length == 0 || hex.Length % 2 != 0 || hex.Length / 2 > Dhcpv6Limits.MaxDuidLength)
        {
            problem = hex.Length + " hex digit(s) do not make a DUID";
            return false;
        }
        foreach (char c in hex)
            if (!char.IsAsciiHexDigit(c))
            {
                problem = "not hexadecimal";
                return false;
            }
        byte[] bytes = Convert.FromHexString(hex);
        ushort type = (ushort)(bytes[0] << 8 | bytes[1]);
        int minimum = type switch
        {
            (ushort)DuidType.LinkLayerPlusTime => 9,
            (ushort)DuidType.EnterpriseNumber => 7,
            (ushort)DuidType.LinkLayer => 5,
            (ushort)DuidType.Uuid => 18,
            _ => int.MaxValue,
        };
        if (bytes.Length < minimum || (type == (ushort)DuidType.Uuid && bytes.Length != 18))
        {
            problem = "DUID type " + type + " with " + bytes.Length + " bytes";
            return false;
        }
        duid = bytes;
        problem = "";
        return true;
    }
}
