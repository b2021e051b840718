namespace Mapt.Dhcpv6;

/// <summary>What a reply or a timer did to the lease, as the WAN logic needs to know it.</summary>
public enum LeaseChange
{
    /// <summary>A first lease (or one after expiry).</summary>
    Acquired,
    /// <summary>Renew/Rebind reply with the same prefixes and MAP content: only lifetimes moved.</summary>
    Renewed,
    /// <summary>Renew/Rebind reply whose prefixes or MAP content differ from the lease in force.</summary>
    Changed,
    /// <summary>Renew/Rebind reply without option 95 while the lease in force had MAP-T: MAP-T is gone.</summary>
    MaptWithdrawn,
    /// <summary>Valid lifetimes ran out without a reply: the lease is gone.</summary>
    Expired,
    /// <summary>Released on request.</summary>
    Released,
}
