using System;
using System.Collections.Generic;
using Mapt.Status;

namespace Mapt.Tests.Support;

/// <summary>Reads the "Path value" lines `mapt status` prints, and names mapt's vendor parameters.</summary>
internal static class StatusText
{
    /// <summary>The value of <paramref name="path"/>, or null when no line names it.</summary>
    public static string? Value(string statusOutput, string path)
    {
        foreach (string line in statusOutput.Split('\n'))
            if (line.StartsWith(path + " ", StringComparison.Ordinal))
                return line.Substring(path.Length + 1);
        return null;
    }

    /// <summary>Every line as path and value, in order.</summary>
    public static List<KeyValuePair<string, string>> Lines(string statusOutput)
    {
        var lines = new List<KeyValuePair<string, string>>();
        foreach (string line in statusOutput.Split('\n'))
        {
            if (line.Length == 0)
                continue;
            int space = line.IndexOf(' ');
            lines.Add(space < 0 ? new(line, "") : new(line.Substring(0, space), line.Substring(space + 1)));
        }
        return lines;
    }

    /// <summary>One of mapt's vendor parameters as a run without tr181-vendor-prefix names it.</summary>
    public static string Vendor(string objectPath, string name) => VendorPrefix.Path(VendorPrefix.Default, objectPath, name);

    /// <summary>Device.MAP.X_..._State: the daemon's state.</summary>
    public static string StatePath => Vendor(Tr181View.Root, "State");
}
