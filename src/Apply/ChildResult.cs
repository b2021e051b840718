namespace Mapt.Apply;

/// <summary>How a helper program ended: exit code (or the signal that killed it), and its output.</summary>
public sealed record ChildResult(int ExitCode, int Signal, bool TimedOut, string Stdout, string Stderr)
{
    public bool Succeeded => !TimedOut && Signal == 0 && ExitCode == 0;

    public string Describe() => TimedOut ? "killed at the timeout"
        : Signal != 0 ? "killed by signal " + Signal.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : "exit status " + ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
