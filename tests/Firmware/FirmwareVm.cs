using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Mapt.Tests.Support;

namespace Mapt.Tests.Firmware;

/// <summary>
/// The lab firmware booted in qemu-system-aarch64 (TCG: no KVM here) as a gateway board: two
/// virtio NICs on tap devices with the board's MACs (WAN, LAN), a virtio disk as its flash
/// partition (ext4, kept across reboots and power cuts of this VM), the serial console on a
/// socket and qemu's monitor on another (the host side of the WAN cable).
/// qemu creates the taps in the root namespace; <c>attach</c> moves them into the lab's
/// namespaces at every power-on (a new qemu makes new taps: their names carry the test
/// process's pid and a counter, so two test runs can boot VMs side by side). Dispose kills
/// qemu (its taps go with it) and deletes the flash.
/// </summary>
internal sealed class FirmwareVm : IDisposable
{
    private static int s_counter;
    private readonly Action<string, string> _attach;
    private readonly StringBuilder _qemuOutput = new();
    private Process? _qemu;

    public string Work { get; }
    public string Flash => Path.Combine(Work, "flash.img");
    public SerialConsole Console { get; private set; } = null!;
    public string WanTap { get; private set; } = "";
    public string LanTap { get; private set; } = "";
    /// <summary>How long the last power-on took until the console's shell answered.</summary>
    public TimeSpan LastBoot { get; private set; }

    public static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(120);

    private FirmwareVm(Action<string, string> attach)
    {
        _attach = attach;
        Work = System.IO.Directory.CreateTempSubdirectory("mapt-fw-").FullName;
    }

    /// <summary>
    /// A blank flash (ext4, as the factory formats it), then power-on; <paramref name="attach"/>
    /// gets the WAN and LAN tap names to move into the lab.
    /// </summary>
    public static FirmwareVm Start(Action<string, string> attach)
    {
        FirmwareImage.Require();
        var vm = new FirmwareVm(attach);
        try
        {
            Proc.Sh($"truncate -s 32M '{vm.Flash}' && mke2fs -q -t ext4 -L flash -F '{vm.Flash}'");
            vm.PowerOn();
            return vm;
        }
        catch
        {
            vm.Dispose();
            throw;
        }
    }

    /// <summary>Starts qemu and waits for the console's shell after rcS ("rcS: boot complete").</summary>
    public void PowerOn()
    {
        var sw = Stopwatch.StartNew();
        int n = Interlocked.Increment(ref s_counter);
        WanTap = $"mfw{Environment.ProcessId}-{n}w";
        LanTap = $"mfw{Environment.ProcessId}-{n}l";
        Dictionary<string, string> ports = FirmwareImage.Ports();
        string con = Path.Combine(Work, "con.sock"), mon = Path.Combine(Work, "mon.sock");
        File.Delete(con);
        File.Delete(mon);
        var args = new List<string>
        {
            "-M", "virt", "-cpu", "cortex-a53", "-smp", "1", "-m", "256",
            "-nographic", "-nodefaults", "-no-user-config",
            "-kernel", FirmwareImage.Kernel, "-initrd", FirmwareImage.Initrd,
            // The board's boot loader: console on the PL011, kernel messages below error level
            // off the console, reboot at once on a panic.
            "-append", "console=ttyAMA0 loglevel=3 panic=-1",
            // qemu waits for the console's client before it starts the guest: nothing is lost.
            "-chardev", $"socket,id=con,path={con},server=on,wait=on", "-serial", "chardev:con",
            "-monitor", $"unix:{mon},server=on,wait=off",
            "-netdev", $"tap,id=wan,ifname={WanTap},script=no,downscript=no",
            "-device", $"virtio-net-pci,netdev=wan,id=wan-nic,mac={ports["wan0"]},romfile=",
            "-netdev", $"tap,id=lan,ifname={LanTap},script=no,downscript=no",
            "-device", $"virtio-net-pci,netdev=lan,id=lan-nic,mac={ports["lan0"]},romfile=",
            "-drive", $"file={Flash},if=none,format=raw,id=flash",
            "-device", "virtio-blk-pci,drive=flash",
            "-device", "virtio-rng-pci",
        };
        var psi = new ProcessStartInfo("qemu-system-aarch64")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        _qemu = new Process { StartInfo = psi };
        _qemu.OutputDataReceived += (_, e) => AddOutput(e.Data);
        _qemu.ErrorDataReceived += (_, e) => AddOutput(e.Data);
        _qemu.Start();
        _qemu.BeginOutputReadLine();
        _qemu.BeginErrorReadLine();
        try
        {
            Console = SerialConsole.Connect(con, TimeSpan.FromSeconds(20));
            // qemu opens the taps after the console connected; the guest's kernel needs seconds
            // before its NICs exist, so they are in the lab long before the first packet.
            WaitFor(() => File.Exists($"/sys/class/net/{WanTap}/address") && File.Exists($"/sys/class/net/{LanTap}/address"),
                TimeSpan.FromSeconds(20), "qemu's tap devices");
            _attach(WanTap, LanTap);
            Console.WaitFor("rcS: boot complete", BootTimeout);
            Console.WaitFor("mapt-gw# ", TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new InvalidOperationException($"power-on failed: {e.Message}\n--- qemu\n{QemuOutput}", e);
        }
        LastBoot = sw.Elapsed;
    }

    /// <summary><c>reboot</c> on the console: busybox init runs rcK (mapt's stop), the board resets and boots again.</summary>
    public string Reboot()
    {
        var sw = Stopwatch.StartNew();
        Console.Type("reboot");
        string shutdown = Console.WaitFor("rcS: boot complete", BootTimeout);
        Console.WaitFor("mapt-gw# ", TimeSpan.FromSeconds(30));
        LastBoot = sw.Elapsed;
        return shutdown;
    }

    /// <summary>The power cut: qemu killed (what the guest had not written to its disk is lost), then powered on again.</summary>
    public void PowerCut()
    {
        Kill();
        PowerOn();
    }

    /// <summary>A command on qemu's monitor (HMP), e.g. "set_link wan-nic off": the host side of the cable.</summary>
    public string Monitor(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(Path.Combine(Work, "mon.sock")));
        socket.ReceiveTimeout = 10_000;
        var text = new StringBuilder();
        var buffer = new byte[4096];
        string ReadPrompt()
        {
            int start = text.Length;
            while (!text.ToString(start, text.Length - start).Contains("(qemu) ", StringComparison.Ordinal))
            {
                int n = socket.Receive(buffer);
                if (n <= 0)
                    break;
                text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
            return text.ToString(start, text.Length - start);
        }
        ReadPrompt();
        socket.Send(Encoding.UTF8.GetBytes(command + "\n"));
        return ReadPrompt();
    }

    private void AddOutput(string? line)
    {
        if (line is null)
            return;
        lock (_qemuOutput)
            _qemuOutput.Append(line).Append('\n');
    }

    /// <summary>What qemu itself printed (its errors), for failure messages.</summary>
    public string QemuOutput
    {
        get { lock (_qemuOutput) return _qemuOutput.ToString(); }
    }

    private static void WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout)
                throw new TimeoutException($"{what}: not there within {timeout.TotalSeconds} s");
            Thread.Sleep(20);
        }
    }

    private void Kill()
    {
        Console?.Dispose();
        if (_qemu is null)
            return;
        try
        {
            if (!_qemu.HasExited)
                _qemu.Kill();
            _qemu.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { }
        _qemu.Dispose();
        _qemu = null;
    }

    public void Dispose()
    {
        Kill();
        try { System.IO.Directory.Delete(Work, recursive: true); } catch (IOException) { }
        // The taps went with qemu; a tap left behind by a qemu that could not be killed is removed here.
        foreach (string tap in new[] { WanTap, LanTap })
            if (tap.Length != 0)
                Proc.Run("/bin/sh", new[] { "-c", $"ip link del '{tap}' 2>/dev/null; true" });
    }
}
