using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Support;

/// <summary>
/// The published mapt binary of one architecture, run natively (x64) or under qemu-aarch64
/// (arm64) against the glibc-2.31 sysroot it was linked for: what a gateway image would run.
/// </summary>
internal sealed class PublishedBinary
{
    /// <summary>The test builds (out/test/RID/mapt), which honour the test-only MAPT_* switches.</summary>
    public static readonly PublishedBinary X64 = new("linux-x64", Repo.Binary("linux-x64"));
    public static readonly PublishedBinary Arm64 = new("linux-arm64", Repo.Binary("linux-arm64"));
    /// <summary>The release builds (out/RID/mapt), what a gateway runs.</summary>
    public static readonly PublishedBinary X64Release = new("linux-x64", Repo.ReleaseBinary("linux-x64"));
    public static readonly PublishedBinary Arm64Release = new("linux-arm64", Repo.ReleaseBinary("linux-arm64"));
    public static IEnumerable<object[]> Both => new[] { new object[] { "linux-x64" }, new object[] { "linux-arm64" } };
    public static PublishedBinary Of(string rid) => rid == "linux-arm64" ? Arm64 : X64;
    public static PublishedBinary ReleaseOf(string rid) => rid == "linux-arm64" ? Arm64Release : X64Release;

    public string Rid { get; }
    public string Path { get; }

    private PublishedBinary(string rid, string path)
    {
        Rid = rid;
        Path = path;
    }

    public ProcResult Run(IEnumerable<string> args, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        if (!File.Exists(Path))
            Assert.Fail($"{Path} does not exist: ./build.sh test publishes it before the tests run");
        if (Rid == "linux-x64")
            return Proc.Run(Path, args, env, timeout);
        string sysroot = Repo.Arm64Sysroot;
        var qemuArgs = new List<string>
        {
            "-L", sysroot,
            "-E", $"LD_LIBRARY_PATH={sysroot}/lib/aarch64-linux-gnu:{sysroot}/usr/lib/aarch64-linux-gnu",
        };
        if (env is not null)
            foreach (var (k, v) in env)
                qemuArgs.AddRange(new[] { "-E", $"{k}={v}" });
        qemuArgs.Add(Path);
        qemuArgs.AddRange(args);
        // qemu starts slowly (~0.5 s) and has hung before when its libraries mismatched.
        return Proc.Run("qemu-aarch64", qemuArgs, env: null, timeout ?? TimeSpan.FromSeconds(60));
    }

    public ProcResult Run(params string[] args) => Run((IEnumerable<string>)args);
}
