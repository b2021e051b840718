using System;

namespace Mapt.Tests.Support;

/// <summary>Reads the "Path value" lines `mapt status` prints.</summary>
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
}
