using System;

namespace Mapt.Wan;

/// <summary>Bad configuration: the file, the line and the reason. mapt exits 2 before touching the system.</summary>
public sealed class ConfigError : Platform.MaptException
{
    public ConfigError(string file, int line, string reason)
        : base(file.Length == 0 ? reason : line > 0 ? $"{file}:{line}: {reason}" : $"{file}: {reason}")
    {
        FileName = file;
        Line = line;
        Reason = reason;
    }

    public string FileName { get; }
    public int Line { get; }
    public string Reason { get; }
}
