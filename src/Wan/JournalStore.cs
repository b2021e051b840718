using Mapt.Platform;

namespace Mapt.Wan;

/// <summary>The journal's file on flash: <c>FLASH/mapt.journal</c>, replaced atomically and durably.</summary>
public sealed class JournalStore
{
    public const string FileName = "mapt.journal";

    public JournalStore(string flashDir) => Path = flashDir.TrimEnd('/') + "/" + FileName;

    public string Path { get; }

    /// <summary>Durable before it returns: the next change may be the one the power cut interrupts.</summary>
    public void Write(Journal journal) => AtomicFile.Write(Path, journal.Format(), AtomicFile.Private);

    /// <summary>The journal left behind, or null when the last run ended cleanly.</summary>
    public Journal? Read(out string? error)
    {
        error = null;
        string? text = AtomicFile.Read(Path);
        return text is null ? null : Journal.Parse(text, out error);
    }

    /// <summary>Called once everything it listed is undone.</summary>
    public void Delete(bool durable = true) => AtomicFile.Delete(Path, durable);
}
