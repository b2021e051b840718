using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Logging;

/// <summary>
/// Field engineers grep serial-console logs for event ids: each id must mean one thing, sit in
/// its area's range, and be listed in README.md.
/// </summary>
[TestClass]
public sealed class EventIdCatalogTests
{
    private static readonly (string Folder, int First, int Last)[] Ranges =
    {
        ("Cli", 1, 99), ("Platform", 100, 199), ("Netlink", 200, 299), ("Dhcpv6", 300, 399),
        ("Map", 400, 499), ("Provisioning", 500, 599), ("Apply", 500, 599), ("Wan", 600, 699),
        ("Status", 700, 799), ("Logging", 800, 899), ("Translator", 900, 999),
    };

    internal sealed record Event(int Id, string Level, string File, string Message);

    internal static List<Event> Catalog()
    {
        string src = Path.Combine(Repo.Root, "src");
        var files = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories);
        var constants = new Dictionary<string, int>();
        foreach (string file in files)
            foreach (Match m in Regex.Matches(File.ReadAllText(file), @"const int (\w+) = (\d+)\s*[;,]"))
                constants[m.Groups[1].Value] = int.Parse(m.Groups[2].Value);
        var events = new List<Event>();
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            foreach (Match m in Regex.Matches(text, @"\[LoggerMessage\(\s*EventId\s*=\s*([\w.]+)\s*,\s*Level\s*=\s*LogLevel\.(\w+)\s*,\s*Message\s*=\s*""((?:[^""\\]|\\.)*)"""))
            {
                string token = m.Groups[1].Value;
                int id = int.TryParse(token, out int literal) ? literal
                    : constants.TryGetValue(token.Split('.').Last(), out int named) ? named
                    : throw new AssertFailedException($"{file}: event id {token} is neither a number nor a known constant");
                events.Add(new Event(id, m.Groups[2].Value, Path.GetRelativePath(Repo.Root, file), m.Groups[3].Value));
            }
        }
        return events;
    }

    [TestMethod]
    public void EveryEventId_IsUnique_AndInItsAreasRange()
    {
        List<Event> events = Catalog();
        Assert.IsTrue(events.Count >= 20, $"only {events.Count} [LoggerMessage] events found: is the scan broken?");
        foreach (var group in events.GroupBy(e => e.Id).Where(g => g.Count() > 1))
            Assert.Fail($"event id {group.Key} is used {group.Count()} times: {string.Join(", ", group.Select(e => e.File))}");
        foreach (Event e in events)
        {
            string folder = e.File.Split('/', '\\')[1];
            var range = Ranges.FirstOrDefault(r => r.Folder == folder);
            Assert.IsNotNull(range.Folder, $"{e.File}: no event-id range for folder {folder}");
            Assert.IsTrue(e.Id >= range.First && e.Id <= range.Last, $"{e.File}: event id {e.Id} outside {folder}'s range {range.First}-{range.Last}");
        }
    }

    [TestMethod]
    public void EveryEventId_IsListedInTheReadme()
    {
        string readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var missing = Catalog().Where(e => !Regex.IsMatch(readme, $@"^\| {e.Id} \|", RegexOptions.Multiline)).ToList();
        Assert.AreEqual(0, missing.Count, "README.md's event table lacks: " + string.Join(", ", missing.Select(e => $"{e.Id} ({e.File})")));
        StringAssert.Contains(readme, "| 9000 |", "the native shim's crash line (9000) is not listed");
    }
}
