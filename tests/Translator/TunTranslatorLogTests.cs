using System;
using System.Collections.Generic;
using Mapt.Tests.Support;
using Mapt.Translator;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Translator;

[TestClass]
public sealed class TunTranslatorLogTests
{
    private sealed class ListLogger : ILogger
    {
        public readonly List<(int Id, LogLevel Level, string Text)> Lines = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((eventId.Id, logLevel, formatter(state, exception)));
    }

    [TestMethod]
    public void ReportDrops_AfterEscapedPorts_OneLinePerReasonThenQuiet()
    {
        using var ns = Netns.Create("tunlog");
        var log = new ListLogger();
        TunTranslator t;
        using (ns.Enter())
            t = TunTranslator.Open("mapt0", new TranslatorConfig(TranslatorLab.Addressing(), 1480), log);
        try
        {
            Assert.AreEqual(900, log.Lines[0].Id);
            StringAssert.Contains(log.Lines[0].Text, "192.0.2.18");
            ns.Sh("ip addr add 192.0.2.18/32 dev lo && ip route add default dev mapt0");
            ns.Sh("/usr/bin/python3 -c \"import socket\nfor p in (40000, 40001):\n s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + " s.bind(('192.0.2.18', p)); s.sendto(b'x', ('198.51.100.66', 9))\"");
            for (int i = 0; i < 50 && t.Counters.Dropped(DropReason.SourcePortOutsideSet) < 2; i++)
            {
                t.OnReadable();
                System.Threading.Thread.Sleep(10);
            }
            int before = log.Lines.Count;
            t.ReportDrops();
            var line = log.Lines.Find(l => l.Id == 903 && l.Text.Contains("SourcePortOutsideSet"));
            Assert.AreEqual(LogLevel.Warning, line.Level);
            StringAssert.Contains(line.Text, "dropped 2 packets");
            StringAssert.Contains(line.Text, "check the SNAT rules");
            int after = log.Lines.Count;
            t.ReportDrops();
            Assert.AreEqual(after, log.Lines.Count, "nothing new, nothing logged");
            Assert.IsTrue(after > before);
        }
        finally
        {
            t.Dispose();
        }
    }

    [TestMethod]
    public void ReportDrops_FloodOfRefusedPackets_ErrorsRateLimitedAndOneLine()
    {
        // 200 datagrams from ports outside the set: each is refused and owed an ICMP error
        // (RFC 7915 §4.4), but only the limiter's burst (and refill) is answered.
        using var ns = Netns.Create("tunlog");
        ns.Sh("sysctl -qw net.ipv6.conf.default.disable_ipv6=1");
        var log = new ListLogger();
        TunTranslator t;
        using (ns.Enter())
            t = TunTranslator.Open("mapt0", new TranslatorConfig(TranslatorLab.Addressing(), 1480), log);
        try
        {
            ns.Sh("ip addr add 192.0.2.18/32 dev lo && ip route add default dev mapt0");
            ns.Sh("/usr/bin/python3 -c \"import socket\ns=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + "s.bind(('192.0.2.18', 40000))\nfor i in range(200): s.sendto(b'x', ('198.51.100.66', 9))\"");
            for (int i = 0; i < 50 && t.Counters.Dropped(DropReason.SourcePortOutsideSet) < 200; i++)
                t.OnReadable();
            Assert.AreEqual(200, t.Counters.Dropped(DropReason.SourcePortOutsideSet));
            Assert.IsTrue(t.Counters.IcmpErrorsSent >= IcmpErrorLimiter.Burst && t.Counters.IcmpErrorsSent < 60,
                $"{t.Counters.IcmpErrorsSent} errors sent for 200 refused packets");
            Assert.AreEqual(200, t.Counters.IcmpErrorsSent + t.Counters.IcmpErrorsRateLimited);

            t.ReportDrops();
            var line = log.Lines.Find(l => l.Id == 930);
            Assert.AreEqual(LogLevel.Warning, line.Level);
            StringAssert.Contains(line.Text, $"held back {t.Counters.IcmpErrorsRateLimited} ICMP errors");
            int after = log.Lines.Count;
            t.ReportDrops();
            Assert.AreEqual(after, log.Lines.Count, "nothing new, nothing logged");
        }
        finally
        {
            t.Dispose();
        }
    }
}
