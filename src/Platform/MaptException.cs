using System;

namespace Mapt.Platform;

/// <summary>
/// What the system or its input can refuse: a failed OS call, a netlink request the kernel
/// refused, a change that did not take, a bad configuration. The one base a handler catches
/// (with IOException for the framework's own file calls); anything else is a bug and is not
/// caught where it happens.
/// </summary>
public abstract class MaptException : Exception
{
    protected MaptException(string message) : base(message) { }
}
