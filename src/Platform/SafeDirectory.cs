using System;
using System.Globalization;
using System.Text;

namespace Mapt.Platform;

/// <summary>
/// The flash and run directories hold what mapt trusts as root: the journal it undoes on the
/// next start, the DUID, the log, the state file. Someone else who can write there (or rename
/// the directory away) could plant a journal or swap a file, so mapt refuses such a directory
/// before it touches anything (native-shim/dirs.c makes the check on the real path).
/// </summary>
internal static class SafeDirectory
{
    /// <summary>
    /// Creates <paramref name="path"/> (0755, parents too) if missing, then checks it. Null when it
    /// is root's and writable by root alone, with every directory above it root's and not writable
    /// by others unless sticky; else the refusal in words, naming <paramref name="role"/> ("flash directory").
    /// </summary>
    public static string? Prepare(string path, string role)
    {
        try
        {
            AtomicFile.EnsureDirectory(path);
        }
        catch (PlatformException e)
        {
            return $"{role} {path}: {e.Message}";
        }
        return Problem(path, role);
    }

    /// <summary>The check alone, for a directory that exists: null when safe, else why not.</summary>
    public static unsafe string? Problem(string path, string role)
    {
        byte* culprit = stackalloc byte[4096];
        uint uid, mode;
        int rc = NativeShim.DirectoryCheck(path, culprit, 4096, &uid, &mode);
        if (rc == 0)
            return null;
        if (rc < 0)
            return $"{role} {path} cannot be examined: {Errno.Name(Errno.Last)}";
        string at = Encoding.UTF8.GetString(new ReadOnlySpan<byte>(culprit, new ReadOnlySpan<byte>(culprit, 4096).IndexOf((byte)0)));
        string octal = Convert.ToString(mode, 8).PadLeft(4, '0');
        string owner = uid.ToString(CultureInfo.InvariantCulture);
        string fix = $"mapt keeps files there that it trusts as root; make it root's and writable by root alone (chown root {at}; chmod go-w {at})";
        return rc switch
        {
            1 => $"{role} {path} is not a directory",
            2 => $"{role} {path} belongs to uid {owner}, not root; {fix}",
            3 => $"{role} {path} is writable by group or others (mode {octal}); {fix}",
            4 => $"{role} {path}: {at} above it is writable by group or others and not sticky (mode {octal}): anyone could rename {path} away; {fix}",
            _ => $"{role} {path}: {at} above it belongs to uid {owner}, not root: that user could rename {path} away; {fix}",
        };
    }
}
