using System;

namespace Mapt.Dhcpv6.Wire;

public ref partial struct Dhcpv6Writer
{
    /// <summary>
    /// IA_PD (RFC 8415 section 21.21) with one IAPREFIX per prefix. A client sends T1 = T2 = 0
    /// and lifetimes 0, leaving them to the server (section 18.2).
    /// </summary>
    public void WriteIaPd(uint iaId, uint t1, uint t2, scoped ReadOnlySpan<DelegatedPrefix> prefixes)
    {
        int token = BeginOption(Dhcpv6OptionCode.IaPd);
        WriteUInt32(iaId);
        WriteUInt32(t1);
        WriteUInt32(t2);
        foreach (DelegatedPrefix prefix in prefixes)
            WriteIaPrefix(prefix);
        EndOption(token);
    }

    public void WriteIaPrefix(DelegatedPrefix prefix)
    {
        WriteUInt16(Dhcpv6OptionCode.IaPrefix);
        WriteUInt16(25);
        WriteUInt32(prefix.PreferredLifetime);
        WriteUInt32(prefix.ValidLifetime);
        WriteByte(prefix.Length);
        WriteUInt128(prefix.Prefix);
    }
}
