namespace Mapt.Apply;

/// <summary>
/// Which programs talk to the kernel's packet filter. A gateway has one backend: whatever
/// `iptables-restore` is (legacy x_tables or nf_tables); tests pin each explicitly.
/// </summary>
public sealed record IptablesTools(string Restore4, string Save4, string Restore6, string Save6)
{
    public static readonly IptablesTools Default = new("iptables-restore", "iptables-save", "ip6tables-restore", "ip6tables-save");
    public static readonly IptablesTools Legacy = new("iptables-legacy-restore", "iptables-legacy-save", "ip6tables-legacy-restore", "ip6tables-legacy-save");
    public static readonly IptablesTools Nft = new("iptables-nft-restore", "iptables-nft-save", "ip6tables-nft-restore", "ip6tables-nft-save");

    /// <summary>The program that reads <paramref name="family"/>'s tables.</summary>
    public string Save(Mapt.Provisioning.IpFamily family) => family == Mapt.Provisioning.IpFamily.Ipv4 ? Save4 : Save6;

    /// <summary>The program that commits a change to <paramref name="family"/>'s tables.</summary>
    public string Restore(Mapt.Provisioning.IpFamily family) => family == Mapt.Provisioning.IpFamily.Ipv4 ? Restore4 : Restore6;

    /// <summary>"legacy", "nft" or "default".</summary>
    public static IptablesTools? ByName(string name) => name switch
    {
        "legacy" => Legacy,
        "nft" => Nft,
        "default" or "" => Default,
        _ => null,
    };
}
