namespace Mapt.Apply;

/// <summary>How a helper program ended: exit code (or the signal that killed it), and its output.</summary>
public sealed record ChildResult(int ExitCode, int Signal, bool TimedOut, string Stdout, string Stderr)
{
    public bool Succeeded => !TimedOut && Signal == 0 && ExitCode == 0;

    /// <summary>How many bytes the child wrote to stdout, kept or not.</summary>
    public long StdoutLength { get; init; }

    /// <summary>How many of those bytes were kept in <see cref="Stdout"/>.</summary>
    public long StdoutKept { get; init; }

    /// <summary>The child wrote more than was kept: <see cref="Stdout"/> is only its beginning.</summary>
    public bool StdoutTruncated => StdoutLength > StdoutKept;
    /// <summary>From a waitpid status: the low 7 bits the terminating signal, else the exit code in bits 8-15.</summary>
    public static ChildResult FromWaitStatus(int status, bool timedOut, string stdout, string stderr)
    {
        int signal = status & 0x7f;
        return new ChildResult(signal == 0 ? (status >> 8) & 0xff : 0, signal, timedOut, stdout, stderr);
    }

    public string Describe() => TimedOut ? "killed at the timeout"
        : Signal != 0 ? "killed by signal " + Signal.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : "exit status " + ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
