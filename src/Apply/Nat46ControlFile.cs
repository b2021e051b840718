using System.IO;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Mapt.Apply;

/// <summary>The real control file (default /proc/net/nat46/control).</summary>
public sealed class Nat46ControlFile : INat46Control
{
    public const string DefaultPath = "/proc/net/nat46/control";

    public Nat46ControlFile(string path = DefaultPath) => Path = path;

    public string Path { get; }

    public void Write(string command)
    {
        // One write per command: the module hands the whole write to one parser, and `config`
        // and `insert` take everything after the device name as their arguments.
        byte[] bytes = Encoding.UTF8.GetBytes(command + "\n");
        using SafeFileHandle handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Write);
        RandomAccess.Write(handle, bytes, 0);
    }

    public string Read() => File.ReadAllText(Path);
}
