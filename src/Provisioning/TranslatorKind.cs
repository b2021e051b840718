namespace Mapt.Provisioning;

/// <summary>Who translates between IPv4 and IPv6 on the MAP device.</summary>
public enum TranslatorKind
{
    /// <summary>The nat46 kernel module, driven through its control file; mapt creates and deletes the device.</summary>
    Nat46,
    /// <summary>Someone else's device (offload engine, another translator, the lab's stand-in): mapt waits for it and leaves it alone on teardown.</summary>
    None,
    /// <summary>mapt's own translator on a TUN device.</summary>
    Tun,
}
