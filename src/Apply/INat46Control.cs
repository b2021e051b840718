namespace Mapt.Apply;

/// <summary>
/// The nat46 control file: one command per write, and the whole configuration on read. An
/// interface because the module cannot be loaded on a build machine: tests put a model of its
/// read-back behind it (and one that answers differently, to prove a mismatch is caught).
/// </summary>
public interface INat46Control
{
    string Path { get; }

    /// <summary>Writes one command in one write(2).</summary>
    void Write(string command);

    /// <summary>Reads the whole file.</summary>
    string Read();
}
