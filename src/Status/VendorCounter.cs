namespace Mapt.Status;

/// <summary>
/// One vendor counter of the view: the standard object it extends (a full path ending in '.',
/// e.g. <see cref="Tr181View.InterfaceStats"/>), its name under the vendor prefix, CamelCase
/// (a dot makes a vendor object: "Dropped.SourcePortOutsideSet" is shown as
/// <c>Stats.X_&lt;VENDOR&gt;_Dropped.SourcePortOutsideSet</c>), and its value (an unsignedLong).
/// </summary>
public readonly record struct VendorCounter(string Object, string Name, ulong Value);
