using Mapt.Platform;

namespace Mapt.Dhcpv6;

/// <summary>
/// The lease on flash, <c>FLASH/dhcpv6.lease</c>: replaced atomically and durably when the
/// lease changes (a Reply, which the T1 floor bounds to a few per hour), removed when it ends.
/// A flash that cannot be written costs the next start its shortcut, never MAP-T: every
/// failure is returned, not thrown.
/// </summary>
public sealed class LeaseStore
{
    public const string FileName = "dhcpv6.lease";

    public LeaseStore(string flashDir) => Path = flashDir.TrimEnd('/') + "/" + FileName;

    public string Path { get; }

    /// <summary>Null when stored, else why not.</summary>
    public string? Write(LeaseRecord record)
    {
        try
        {
            AtomicFile.Write(Path, record.Format());
            return null;
        }
        catch (PlatformException e)
        {
            return e.Message;
        }
    }

    /// <summary>The stored lease, or null (none, or unusable: <paramref name="problem"/> says why).</summary>
    public LeaseRecord? Read(out string? problem)
    {
        problem = null;
        string? text;
        try
        {
            text = AtomicFile.Read(Path);
        }
        catch (PlatformException e)
        {
            problem = e.Message;
            return null;
        }
        if (text is null)
            return null;
        LeaseRecord? record = LeaseRecord.Parse(text, out string error);
        if (record is null)
            problem = Path + ": " + error;
        return record;
    }

    /// <summary>Null when removed (or already gone), else why not.</summary>
    public string? Delete()
    {
        try
        {
            AtomicFile.Delete(Path);
            return null;
        }
        catch (PlatformException e)
        {
            return e.Message;
        }
    }
}
