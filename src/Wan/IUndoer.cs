namespace Mapt.Wan;

/// <summary>
/// Undoes one journal entry on the real system (Apply/Netlink in the daemon; a recorder in
/// tests). Returns null when done or when the thing was already gone (ENOENT, ESRCH, no such
/// chain), else the error text; undo goes on with the next entry either way.
/// </summary>
public interface IUndoer
{
    string? Undo(JournalEntry entry, Journal journal);
}
