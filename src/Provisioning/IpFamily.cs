namespace Mapt.Provisioning;

public enum IpFamily
{
    Ipv4,
    Ipv6,
}
