using System;

namespace Mapt.Cli;

/// <summary>
/// A value given on the command line or in a config file is not acceptable. The message names
/// the flag (or file line) and the accepted form; the process exits with <see cref="ExitCodes.Usage"/>
/// before touching the system.
/// </summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}
