using System.Collections.Generic;

namespace Mapt.Status;

/// <summary>
/// The daemon's part of the view, as the state file holds it: the lines (everything but the
/// kernel's counters and the running LastChange, which <c>mapt status</c> adds), the vendor prefix
/// they were named with, and when the MAP interface's status last changed.
/// </summary>
public sealed class DaemonView
{
    public DaemonView(string vendorPrefix, long interfaceChangedMs, List<StatusLine> lines)
    {
        VendorPrefix = vendorPrefix;
        InterfaceChangedMs = interfaceChangedMs;
        Lines = lines;
    }

    public string VendorPrefix { get; }
    /// <summary>CLOCK_MONOTONIC milliseconds (system-wide, so another process can count from it).</summary>
    public long InterfaceChangedMs { get; }
    public List<StatusLine> Lines { get; }

    /// <summary>The full path of one of mapt's vendor parameters.</summary>
    public string Vendor(string objectPath, string name) => Status.VendorPrefix.Path(VendorPrefix, objectPath, name);

    public string? Value(string path)
    {
        foreach (StatusLine l in Lines)
            if (l.Path == path)
                return l.Value;
        return null;
    }
}
