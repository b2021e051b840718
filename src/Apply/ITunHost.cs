using Mapt.Provisioning;

namespace Mapt.Apply;

/// <summary>
/// Whoever runs mapt's own translator (the daemon: its fd belongs to the event loop). The
/// executor asks it to create or take over the persistent TUN device of a plan's
/// <see cref="TunDeviceStep"/>.
/// </summary>
public interface ITunHost
{
    void Ensure(TunDeviceStep step);

    /// <summary>Removes the persistent device (its own translator first, if it runs on it).</summary>
    void Remove(string device);
}
