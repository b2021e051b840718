namespace Mapt.Map;

/// <summary>An inclusive range of ports, First..Last.</summary>
public readonly record struct PortRange(ushort First, ushort Last)
{
    public int Count => Last - First + 1;
}
