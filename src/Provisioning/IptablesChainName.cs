namespace Mapt.Provisioning;

/// <summary>A chain by table and name: what a journal keeps of mapt's rules.</summary>
public readonly record struct IptablesChainName(string Table, string Chain);
