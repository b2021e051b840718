using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Mapt.Platform;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Platform;

/// <summary>
/// Every environment variable mapt reads is listed in src/Platform/EnvironmentSwitches.cs and
/// read nowhere else; the test-only ones are dead in a build without test hooks. The unit tests
/// build src/ without MAPT_TEST_HOOKS, exactly as a release build does, so what the accessors
/// return here is what a release binary sees.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class EnvironmentSwitchesTests
{
    [TestMethod]
    public void NoEnvironmentReadOutsideTheOneList()
    {
        string src = Path.Combine(Repo.Root, "src");
        var readers = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"GetEnvironmentVariables?\s*\(|\benviron\b"))
            .Select(f => Path.GetRelativePath(Repo.Root, f))
            .ToArray();
        CollectionAssert.AreEqual(new[] { "src/Platform/EnvironmentSwitches.cs" }, readers);
    }

    [TestMethod]
    public void EveryNameListedOnce_EveryOneTestOnly()
    {
        string[] declared = typeof(EnvironmentSwitches).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .OrderBy(n => n, StringComparer.Ordinal).ToArray();
        string[] listed = EnvironmentSwitches.All().Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(declared, listed);
        Assert.IsTrue(EnvironmentSwitches.All().All(s => s.TestOnly && s.Name.StartsWith("MAPT_", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void WithoutTestHooks_EverySwitchSetIsIgnored()
    {
        var values = new (string Name, string Value)[]
        {
            (EnvironmentSwitches.DhcpNoDelayName, "1"), (EnvironmentSwitches.RetryMsName, "5"), (EnvironmentSwitches.OccupancyMsName, "5"), (EnvironmentSwitches.CliEchoName, "1"),
            (EnvironmentSwitches.TestCrashName, "segv"), (EnvironmentSwitches.TestLogName, "/tmp"), (EnvironmentSwitches.TestLogLinesName, "9"),
            (EnvironmentSwitches.TestLogTextName, "x"), (EnvironmentSwitches.TestLogWaitName, "1"), (EnvironmentSwitches.TestChildPathName, "/tmp"),
        };
        CollectionAssert.AreEquivalent(EnvironmentSwitches.All().Select(s => s.Name).ToArray(), values.Select(v => v.Name).ToArray());
        try
        {
            foreach (var (name, value) in values)
                Environment.SetEnvironmentVariable(name, value);
            Assert.IsFalse(EnvironmentSwitches.DhcpNoDelay);
            Assert.IsNull(EnvironmentSwitches.RetryMs);
            Assert.IsNull(EnvironmentSwitches.OccupancyMs);
            Assert.IsFalse(EnvironmentSwitches.CliEcho);
            Assert.IsNull(EnvironmentSwitches.TestCrash);
            Assert.IsNull(EnvironmentSwitches.TestLog);
            Assert.AreEqual(0, EnvironmentSwitches.TestLogLines);
            Assert.IsNull(EnvironmentSwitches.TestLogText);
            Assert.IsFalse(EnvironmentSwitches.TestLogWait);
            Assert.IsNull(EnvironmentSwitches.TestChildPath);
        }
        finally
        {
            foreach (var (name, _) in values)
                Environment.SetEnvironmentVariable(name, null);
        }
    }
}
