using System;
using System.Collections.Generic;
using System.IO;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Firmware;

/// <summary>
/// The lab firmware toolchain/firmware/build.sh made (./build.sh test builds it once per run,
/// after the arm64 binary): kernel, initramfs (kernel modules, nat46, the bullseye userland,
/// mapt and rootfs/), and what it was built from.
/// </summary>
internal static class FirmwareImage
{
    public static string Directory => Path.Combine(Repo.Root, "out", "firmware");
    public static string Kernel => Path.Combine(Directory, "vmlinuz");
    public static string Initrd => Path.Combine(Directory, "initrd.img");
    public static string Source => Path.Combine(Repo.Root, "toolchain", "firmware");

    /// <summary>Fails the test unless the image exists.</summary>
    public static void Require()
    {
        foreach (string file in new[] { Kernel, Initrd })
            if (!File.Exists(file))
                Assert.Fail($"{file} does not exist: ./build.sh test builds the firmware (toolchain/firmware/build.sh) before the tests run");
    }

    /// <summary>The board's ports as the firmware names them (rootfs/etc/iftab): name -> MAC.</summary>
    public static Dictionary<string, string> Ports()
    {
        var ports = new Dictionary<string, string>();
        foreach (string line in File.ReadAllLines(Path.Combine(Source, "rootfs", "etc", "iftab")))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 2 && !f[0].StartsWith('#'))
                ports[f[0]] = f[1];
        }
        return ports;
    }

    /// <summary>The IPv6 link-local address the kernel derives from a MAC (modified EUI-64).</summary>
    public static string LinkLocal(string mac)
    {
        string[] b = mac.Split(':');
        int first = Convert.ToInt32(b[0], 16) ^ 0x02;
        return System.Net.IPAddress.Parse($"fe80::{first:x2}{b[1]}:{b[2]}ff:fe{b[3]}:{b[4]}{b[5]}").ToString();
    }
}
