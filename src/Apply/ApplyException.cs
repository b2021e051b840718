using System;

namespace Mapt.Apply;

/// <summary>A change to the system did not take: the message says which step and what was seen.</summary>
public sealed class ApplyException : Platform.MaptException
{
    public ApplyException(string message) : base(message) { }
}
