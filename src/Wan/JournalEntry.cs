using System;

namespace Mapt.Wan;

/// <summary>One change mapt is about to make, recorded as its undo. <see cref="Body"/> holds multi-line text (iptables-restore input).</summary>
public sealed record JournalEntry(UndoKind Kind, string[] Args, string Body = "")
{
    public static JournalEntry Of(UndoKind kind, params string[] args) => new(kind, args);

    public string Arg(int i) => i < Args.Length ? Args[i] : "";

    public override string ToString() => Journal.KindNames[(int)Kind] + (Args.Length == 0 ? "" : " " + string.Join(' ', Args));

    public bool Equals(JournalEntry? other) =>
        other is not null && Kind == other.Kind && Body == other.Body && Args.AsSpan().SequenceEqual(other.Args);

    public override int GetHashCode() => HashCode.Combine(Kind, Args.Length, Body);
}
