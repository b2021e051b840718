using System;

namespace Mapt.Dhcpv6.Wire;

public ref partial struct Dhcpv6Writer
{
    public void WriteClientId(scoped ReadOnlySpan<byte> duid) => WriteOption(Dhcpv6OptionCode.ClientId, duid);

    public void WriteServerId(scoped ReadOnlySpan<byte> duid) => WriteOption(Dhcpv6OptionCode.ServerId, duid);

    /// <summary>ELAPSED_TIME in hundredths of a second, saturating at 0xffff (RFC 8415 section 21.9).</summary>
    public void WriteElapsedTime(long elapsedMs)
    {
        long centiseconds = elapsedMs / 10;
        WriteUInt16(Dhcpv6OptionCode.ElapsedTime);
        WriteUInt16(2);
        WriteUInt16(centiseconds > 0xffff ? (ushort)0xffff : centiseconds < 0 ? (ushort)0 : (ushort)centiseconds);
    }

    /// <summary>ORO: the options the client asks for (RFC 8415 section 21.7).</summary>
    public void WriteOro(scoped ReadOnlySpan<ushort> codes)
    {
        WriteUInt16(Dhcpv6OptionCode.Oro);
        WriteUInt16((ushort)(codes.Length * 2));
        foreach (ushort code in codes)
            WriteUInt16(code);
    }

    public void WriteStatusCode(Dhcpv6StatusCode status, string message)
    {
        int token = BeginOption(Dhcpv6OptionCode.StatusCode);
        WriteUInt16((ushort)status);
        foreach (char c in message)
            WriteByte(c < 0x80 ? (byte)c : (byte)'?');
        EndOption(token);
    }

    public void WritePreference(byte preference)
    {
        WriteUInt16(Dhcpv6OptionCode.Preference);
        WriteUInt16(1);
        WriteByte(preference);
    }
}
