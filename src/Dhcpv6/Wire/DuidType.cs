namespace Mapt.Dhcpv6.Wire;

/// <summary>DUID types (RFC 8415 section 11; DUID-UUID from RFC 6355).</summary>
public enum DuidType : ushort
{
    LinkLayerPlusTime = 1,
    EnterpriseNumber = 2,
    LinkLayer = 3,
    Uuid = 4,
}
