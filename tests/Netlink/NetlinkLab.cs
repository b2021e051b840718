using System;
using System.Diagnostics;
using System.Text.Json;
using Mapt.Netlink;
using Mapt.Tests.Support;

namespace Mapt.Tests.Netlink;

/// <summary>
/// A namespace "ce" with a veth "wan0" whose peer "peer0" lives in a second namespace, and an
/// RtnlClient opened inside "ce". `ip -j` in the same namespace is the independent oracle.
/// </summary>
internal sealed class NetlinkLab : IDisposable
{
    public Netns Ce { get; }
    public Netns Peer { get; }
    public RtnlClient Client { get; }
    public int WanIndex { get; }

    public NetlinkLab()
    {
        Ce = Netns.Create("nl");
        try
        {
            Peer = Netns.Create("nlpeer");
            Netns.Veth(Ce, "wan0", Peer, "peer0");
            using (Ce.Enter())
                Client = RtnlClient.Open();
            WanIndex = Json("link show dev wan0")[0].GetProperty("ifindex").GetInt32();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>`ip -j ARGS` inside "ce", parsed.</summary>
    public JsonElement Json(string args) => JsonDocument.Parse(Ce.Sh("ip -j " + args)).RootElement;

    /// <summary>Opens a monitor in "ce" (the socket stays there after the thread leaves).</summary>
    public RtnlMonitor OpenMonitor()
    {
        using (Ce.Enter())
            return RtnlMonitor.Open(Client);
    }

    /// <summary>Drains <paramref name="monitor"/> until <paramref name="done"/> or the deadline; false on timeout.</summary>
    public static bool PumpUntil(RtnlMonitor monitor, Func<bool> done, int timeoutMs = 2000)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            long left = timeoutMs - clock.ElapsedMilliseconds;
            if (left <= 0)
                return false;
            if (Poll.Readable(monitor.Fd, (int)Math.Min(left, 100)))
                monitor.Drain();
        }
        return true;
    }

    public void Dispose()
    {
        Client?.Dispose();
        Peer?.Dispose();
        Ce.Dispose();
    }
}
