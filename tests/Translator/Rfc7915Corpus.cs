using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Translator;

/// <summary>One case of the corpus as the judge saw it: its name, whether every check held, what differed.</summary>
internal sealed record CorpusCase(string Name, string Section, bool Pass, IReadOnlyList<string> Errors);

/// <summary>
/// The RFC 7915 corpus harness (tests/Translator/corpus/rfc7915_corpus.py) as the tests use it:
/// its path, its score line and its per-case results. The corpus and its judge are the harness's
/// alone; a lab only builds the wires around a translator (corpus/lab.sh for a CE namespace,
/// <see cref="Mapt.Tests.Firmware.Nat46CorpusTests"/> for the firmware VM's nat46).
/// </summary>
internal static class Rfc7915Corpus
{
    public static string Directory => Path.Combine(Repo.Root, "tests", "Translator", "corpus");
    public static string Harness => Path.Combine(Directory, "rfc7915_corpus.py");
    public static string LabScript => Path.Combine(Directory, "lab.sh");

    /// <summary>The score line: groups 1/2 all cases, 3/4 rfc7915, 5/6 map, 7/8 single checks.</summary>
    public static Match Score(string stdout)
    {
        Match m = Regex.Match(stdout, @"score \S+: (\d+)/(\d+) \(rfc7915 (\d+)/(\d+), map (\d+)/(\d+); checks (\d+)/(\d+)\)");
        Assert.IsTrue(m.Success, "no score line:\n" + stdout);
        return m;
    }

    /// <summary>The harness's FAIL lines (case name, section, what differed).</summary>
    public static string[] Failed(string stdout) =>
        stdout.Split('\n').Where(l => l.StartsWith("FAIL ", StringComparison.Ordinal)).ToArray();

    /// <summary>The cases of a run written with <c>--json FILE</c>, in corpus order.</summary>
    public static List<CorpusCase> ReadJson(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        var cases = new List<CorpusCase>();
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
            cases.Add(new CorpusCase(c.GetProperty("name").GetString()!, c.GetProperty("section").GetString()!,
                c.GetProperty("pass").GetBoolean(), c.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList()));
        return cases;
    }
}
