namespace Mapt.Dhcpv6.Wire;

/// <summary>Softwire46 options (RFC 7598 section 4 and 5).</summary>
public static class S46OptionCode
{
    public const ushort Rule = 89;
    public const ushort Br = 90;
    public const ushort Dmr = 91;
    public const ushort V4V6Bind = 92;
    public const ushort PortParams = 93;
    public const ushort ContainerMapE = 94;
    public const ushort ContainerMapT = 95;
    public const ushort ContainerLw4o6 = 96;

    /// <summary>The RFC's names, for logs and probe output.</summary>
    public static string Name(ushort code) => code switch
    {
        Rule => "S46_RULE",
        Br => "S46_BR",
        Dmr => "S46_DMR",
        V4V6Bind => "S46_V4V6BIND",
        PortParams => "S46_PORTPARAMS",
        ContainerMapE => "S46_CONT_MAPE",
        ContainerMapT => "S46_CONT_MAPT",
        ContainerLw4o6 => "S46_CONT_LW",
        _ => "option " + code.ToString(),
    };
}
