using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Mapt.Status;
using Mapt.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Status;

/// <summary>
/// `mapt status` is read on terminals and serial consoles: values with control characters
/// (C0, DEL, C1) are shown escaped (issue 13 point 9), by the view and by the published binary.
/// </summary>
[TestClass]
public sealed class StatusEscapingTests
{
    private const string ProcNetDev = "Inter-|   Receive\n face |bytes    packets\n";

    [TestMethod]
    public void Text_ControlCharactersInValues_AreEscaped_JsonKeepsThemAsEscapes()
    {
        StatusSnapshot s = Tr181ViewTests.Example1();
        s.LastError = "server said \u009b2J\u0085 and \u0007 \t done";
        List<StatusLine> shown = StatusReport.Build(StateFile.Parse(StateFile.Format(Tr181View.Render(s))), ProcNetDev, 2000);

        string text = StatusReport.Text(shown);
        StringAssert.Contains(text, "Device.MAP.X_MAPT-EXAMPLE_LastError server said \\?2J\\? and \\? \\t done\n");
        Assert.IsFalse(text.Any(c => c is < ' ' and not '\n' || c is >= '\u007f' and <= '\u009f'), "a raw control in the text output");

        string json = StatusReport.Json(shown);
        Assert.IsFalse(json.Any(c => c is >= '\u007f' and <= '\u009f'), "a raw C1 control in the JSON output");
        StringAssert.Contains(json, "server said \\u009b2J\\u0085 and \\u0007 \\t done");
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.AreEqual(s.LastError, doc.RootElement.GetProperty(StatusText.Vendor(Tr181View.Root, "LastError")).GetString(), "JSON escapes lose nothing");
    }

    [TestMethod]
    public void PublishedBinary_StatusOfAStateFileWithC1Controls_PrintsThemEscaped()
    {
        string runDir = Directory.CreateTempSubdirectory("mapt-status-esc-").FullName;
        // A live process whose command line says mapt, as the daemon's would.
        using Process standIn = Process.Start("bash", new[] { "-c", "exec -a mapt-standin sleep 60" })!;
        try
        {
            StatusSnapshot s = Tr181ViewTests.Example1();
            s.Pid = standIn.Id;
            s.Reason = "renewing \u009b2J\u0085 now";
            StateFile.Write(runDir, Tr181View.Render(s));
            ProcResult text = PublishedBinary.X64.Run("status", "--run-dir", runDir);
            Assert.AreEqual(0, text.ExitCode, text.ToString());
            StringAssert.Contains(text.Stdout, "Device.MAP.X_MAPT-EXAMPLE_Reason renewing \\?2J\\? now\n");
            Assert.IsFalse(text.Stdout.Any(c => c is >= '\u007f' and <= '\u009f'), text.Stdout);
            ProcResult json = PublishedBinary.X64.Run("status", "--run-dir", runDir, "--json");
            Assert.AreEqual(0, json.ExitCode, json.ToString());
            StringAssert.Contains(json.Stdout, "renewing \\u009b2J\\u0085 now");
            Assert.IsFalse(json.Stdout.Any(c => c is >= '\u007f' and <= '\u009f'), json.Stdout);
        }
        finally
        {
            standIn.Kill();
            standIn.WaitForExit();
            Directory.Delete(runDir, recursive: true);
        }
    }
}
