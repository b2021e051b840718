using Mapt.Platform;
using Mapt.Provisioning;

namespace Mapt.Apply;

/// <summary>
/// The journal's file, <c>RUN/mapt.journal</c>: in the run directory (tmpfs), since it
/// describes the running kernel and must not outlive it; replaced atomically. Read only when
/// it is a regular file of this user's that nobody else can write: its lines are acted on as root.
/// </summary>
public sealed class JournalStore
{
    public const string FileName = "mapt.journal";

    public JournalStore(string runDir) => Path = runDir.TrimEnd('/') + "/" + FileName;

    public string Path { get; }

    /// <summary>Before the first change it lists: the next change may be the one a crash interrupts.</summary>
    public void Write(Journal journal) => AtomicFile.Write(Path, journal.Format(), AtomicFile.Private);

    /// <summary>
    /// The journal left behind, or null when there is none; <paramref name="error"/> says why a
    /// file that is there was not read whole (damaged, distrusted, another format).
    /// </summary>
    public Journal? Read(out string? error)
    {
        string? text = OwnedFile.Read(Path, out string? refusal);
        if (refusal is not null)
        {
            error = Path + " not read: " + refusal;
            return null;
        }
        error = null;
        return text is null ? null : Journal.Parse(text, out error);
    }

    /// <summary>Called once everything it listed is undone (tmpfs: no fsync to wait for).</summary>
    public void Delete() => AtomicFile.Delete(Path, durable: false);
}
