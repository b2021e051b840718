using System;
using System.IO;

namespace Mapt.Tests.Support;

/// <summary>Paths of the checkout and of the binaries ./build.sh publishes.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The test build of the published binary (out/test/RID/mapt, made with -p:MaptTestHooks=true):
    /// the release code plus the test-only MAPT_* switches (src/Platform/EnvironmentSwitches.cs).
    /// </summary>
    public static string Binary(string rid) => Path.Combine(Root, "out", "test", rid, "mapt");

    /// <summary>The release binary (out/RID/mapt), what a gateway runs: it ignores every test-only switch.</summary>
    public static string ReleaseBinary(string rid) => Path.Combine(Root, "out", rid, "mapt");

    public static string Arm64Sysroot =>
        Environment.GetEnvironmentVariable("MAPT_SYSROOT") is { Length: > 0 } s
            ? s
            : Path.Combine(Root, "toolchain", ".sysroot-bullseye-arm64");

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir, "mapt.csproj")) && File.Exists(Path.Combine(dir, "build.sh")))
                return dir;
            dir = Path.GetDirectoryName(dir);
        }
        throw new InvalidOperationException("mapt.csproj not found above " + AppContext.BaseDirectory);
    }
}
