namespace Mapt.Status;

/// <summary>
/// The prefix of mapt's vendor extensions (TR-106 section 3.3): <c>X_&lt;VENDOR&gt;_</c>, where
/// VENDOR is the OUI of the organisation that defines the parameters (six upper-case hexadecimal
/// digits) or its domain name in upper case with each dot replaced by a hyphen. The Broadband
/// Forum's checker (bbfreport) takes the same two forms; a domain with underscores for dots
/// (X_ACME_COM_) is ambiguous there and refused here. Below a vendor object the names carry no
/// prefix again; every name segment is CamelCase (TR-106 C.3.1: an upper-case first letter,
/// no hyphen or underscore).
/// </summary>
public static class VendorPrefix
{
    /// <summary>
    /// The default names a domain reserved for examples (RFC 2606, mapt.example): valid, and
    /// nobody's, so it never collides with a real vendor's extensions. A firmware sets its own
    /// OUI or domain with the tr181-vendor-prefix key.
    /// </summary>
    public const string Default = "X_MAPT-EXAMPLE_";

    /// <summary>Long enough for any OUI or reasonable domain; keeps paths far below TR-069's 256 characters.</summary>
    public const int MaxLength = 64;

    /// <summary>The full path of a vendor parameter: <paramref name="objectPath"/> + prefix + <paramref name="name"/>.</summary>
    public static string Path(string prefix, string objectPath, string name) => objectPath + prefix + name;

    /// <summary>Null when <paramref name="prefix"/> is a valid vendor prefix, else why not.</summary>
    public static string? Problem(string prefix)
    {
        if (prefix.Length > MaxLength)
            return $"longer than {MaxLength} characters";
        if (prefix.Length < 4 || !prefix.StartsWith("X_", System.StringComparison.Ordinal) || prefix[^1] != '_')
            return "does not start with X_ and end with _";
        string vendor = prefix.Substring(2, prefix.Length - 3);
        if (vendor.Length == 6 && IsOui(vendor))
            return null;
        if (vendor.Contains('_') || vendor.Contains('.'))
            return "the dots of a domain name are written as hyphens";
        string[] labels = vendor.Split('-');
        if (labels.Length < 2)
            return "'" + vendor + "' is neither an OUI (six upper-case hexadecimal digits) nor a domain name with its dots as hyphens";
        foreach (string label in labels)
        {
            if (label.Length == 0)
                return "a domain name has no empty label";
            foreach (char c in label)
                if (c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9')))
                    return "a domain name is written in upper-case letters and digits";
        }
        return null;
    }

    /// <summary>TR-106 C.3.1 for one name segment: an upper-case first letter, then letters and digits only.</summary>
    public static bool IsCamelCase(string segment)
    {
        if (segment.Length == 0 || segment[0] is not (>= 'A' and <= 'Z'))
            return false;
        foreach (char c in segment)
            if (c is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9')))
                return false;
        return true;
    }

    private static bool IsOui(string text)
    {
        foreach (char c in text)
            if (c is not ((>= '0' and <= '9') or (>= 'A' and <= 'F')))
                return false;
        return true;
    }
}
