using System.Collections.Generic;

namespace Mapt.Wan;

/// <summary>
/// Undoes a journal in reverse order, best effort: one failed step must not keep the others
/// in place (a half-torn-down gateway is the field failure this exists for). Conntrack entries
/// go last, whatever their place in the list, so that no packet of an old flow is NATed again
/// by a rule not yet removed.
/// </summary>
public static class JournalReplay
{
    public sealed record Outcome(int Undone, List<string> Failures);

    public static Outcome Run(Journal journal, IUndoer undoer)
    {
        var failures = new List<string>();
        int undone = 0;
        var last = new List<JournalEntry>();
        for (int i = journal.Entries.Count - 1; i >= 0; i--)
        {
            JournalEntry e = journal.Entries[i];
            if (e.Kind == UndoKind.Conntrack)
            {
                last.Add(e);
                continue;
            }
            Step(e);
        }
        foreach (JournalEntry e in last)
            Step(e);
        return new Outcome(undone, failures);

        void Step(JournalEntry e)
        {
            string? error = undoer.Undo(e, journal);
            if (error is null)
                undone++;
            else
                failures.Add(e + ": " + error);
        }
    }

    /// <summary>
    /// For a change of plan: the entries of <paramref name="old"/> the new journal does not
    /// list again. Undoing only those leaves what both share in place (no window without NAT).
    /// </summary>
    public static Journal OnlyIn(Journal old, Journal replacement)
    {
        var kept = new List<JournalEntry>();
        foreach (JournalEntry e in old.Entries)
            if (!replacement.Entries.Contains(e))
                kept.Add(e);
        return new Journal { Pid = old.Pid, Wan = old.Wan, MapDevice = old.MapDevice, Translator = old.Translator, MapContent = old.MapContent, Entries = kept };
    }
}
