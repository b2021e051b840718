using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace Mapt.Tests.Firmware;

/// <summary>What a command typed on the serial console printed, and its exit status.</summary>
internal sealed record ConsoleResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}";
}

/// <summary>
/// The VM's serial console (qemu's chardev socket), driven as a field engineer would: type a
/// command line, read until it finished. Each command is typed between two echo markers whose
/// text is split by quotes (<c>echo @@B""7@@</c>), so the tty's echo of the typed line never
/// matches the marker the shell prints; what lies between the markers is the command's
/// output, with the shell's terminal queries removed. Kernel messages stay off the console
/// (the firmware boots with loglevel=3 and rcS lowers it further), so no line is dropped:
/// `dmesg` output looks exactly like printk on the console. A wait that fails shows the
/// console's last lines.
/// </summary>
internal sealed class SerialConsole : IDisposable
{
    private readonly Socket _socket;
    private readonly Thread _reader;
    private readonly StringBuilder _text = new();
    private int _consumed;
    private int _serial;
    private volatile bool _closed;

    private SerialConsole(Socket socket)
    {
        _socket = socket;
        _reader = new Thread(Read) { IsBackground = true, Name = "serial-console" };
        _reader.Start();
    }

    /// <summary>Connects to qemu's console socket (qemu waits for this before it starts the guest).</summary>
    public static SerialConsole Connect(string path, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                return new SerialConsole(socket);
            }
            catch (SocketException) when (sw.Elapsed < timeout)
            {
                socket.Dispose();
                Thread.Sleep(50);
            }
        }
    }

    private void Read()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int n = _socket.Receive(buffer);
                if (n <= 0)
                    break;
                lock (_text)
                {
                    _text.Append(Encoding.UTF8.GetString(buffer, 0, n));
                    Monitor.PulseAll(_text);
                }
            }
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        lock (_text)
        {
            _closed = true;
            Monitor.PulseAll(_text);
        }
    }

    /// <summary>Types a line as is (no markers): for <c>reboot</c>, after which no prompt comes back.</summary>
    public void Type(string line) => _socket.Send(Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>
    /// Waits until the console prints <paramref name="text"/> after what earlier waits consumed,
    /// and consumes up to its end; returns what came before it. Fails on a kernel panic.
    /// </summary>
    public string WaitFor(string text, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        lock (_text)
        {
            while (true)
            {
                string all = _text.ToString();
                int at = all.IndexOf(text, _consumed, StringComparison.Ordinal);
                if (at >= 0)
                {
                    string before = all.Substring(_consumed, at - _consumed);
                    _consumed = at + text.Length;
                    return before;
                }
                if (all.IndexOf("Kernel panic", _consumed, StringComparison.Ordinal) >= 0)
                    throw new InvalidOperationException($"the VM's kernel panicked while waiting for '{text}'\n{Tail(all)}");
                TimeSpan left = end - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || _closed)
                    throw new TimeoutException($"the console did not print '{text}' within {timeout.TotalSeconds} s{(_closed ? " (console closed)" : "")}\n--- console\n{Tail(all)}");
                Monitor.Wait(_text, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
            }
        }
    }

    /// <summary>Types <paramref name="command"/> and waits for it to finish; its output and exit status.</summary>
    public ConsoleResult Run(string command, TimeSpan? timeout = null)
    {
        int n = Interlocked.Increment(ref _serial);
        Type($"echo @@B\"\"{n}@@; {command}; echo @@E\"\"{n}@@ $?");
        WaitFor($"@@B{n}@@", timeout ?? TimeSpan.FromSeconds(30));
        string raw = WaitFor($"@@E{n}@@ ", timeout ?? TimeSpan.FromSeconds(30));
        string rc = WaitFor("\n", TimeSpan.FromSeconds(5)).Trim();
        return new ConsoleResult(int.Parse(rc, System.Globalization.CultureInfo.InvariantCulture), Clean(raw));
    }

    /// <summary><see cref="Run"/>, failing with the command's output unless it exited 0.</summary>
    public string Sh(string command, TimeSpan? timeout = null)
    {
        ConsoleResult r = Run(command, timeout);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"console: '{command}' failed: {r}");
        return r.Output;
    }

    /// <summary>
    /// Writes <paramref name="lines"/> to a file in the VM: busybox's line editor takes at most
    /// 1023 characters a line, so a script longer than that is typed in chunks of
    /// <c>printf '%s\n' 'line' ... &gt;&gt; FILE</c> (no line may hold a single quote).
    /// </summary>
    public void WriteFile(string path, IEnumerable<string> lines)
    {
        Sh($": > {path}");
        var chunk = new StringBuilder();
        foreach (string line in lines)
        {
            if (line.Contains('\'', StringComparison.Ordinal) || line.Length > 700)
                throw new ArgumentException("a line to type must be short and hold no single quote: " + line);
            if (chunk.Length + line.Length > 700)
            {
                Sh($"printf '%s\\n'{chunk} >> {path}");
                chunk.Clear();
            }
            chunk.Append(" '").Append(line).Append('\'');
        }
        if (chunk.Length != 0)
            Sh($"printf '%s\\n'{chunk} >> {path}");
    }

    // The shell's cursor-position queries (ESC [ 6 n) and other terminal controls.
    private static readonly Regex s_escape = new(@"\x1b\[[0-9;?]*[A-Za-z]");

    private static string Clean(string raw)
    {
        string text = s_escape.Replace(raw.Replace("\r", ""), "");
        // The rest of the begin marker's line.
        return text.StartsWith('\n') ? text.Substring(1) : text;
    }

    private static string Tail(string all) => all.Length > 6000 ? "..." + all.Substring(all.Length - 6000) : all;

    public void Dispose()
    {
        _closed = true;
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { }
        _socket.Dispose();
        _reader.Join(TimeSpan.FromSeconds(2));
    }
}
