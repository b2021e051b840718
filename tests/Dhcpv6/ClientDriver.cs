using System;
using System.Collections.Generic;
using System.Threading;
using Mapt.Dhcpv6;
using Mapt.Tests.Support;
using Tmds.Linux;

namespace Mapt.Tests.Dhcpv6;

/// <summary>
/// The in-process client on a real socket in a namespace, driven by a small poll loop the
/// way the daemon's event loop drives it: poll the fd until the client's next deadline,
/// drain on readable, step on timeout.
/// </summary>
internal sealed unsafe class ClientDriver : IDisposable
{
    private long _deadline = long.MaxValue;

    public Dhcpv6Socket Socket { get; }
    public Dhcpv6Client Client { get; }
    public ListLogger Logger { get; } = new();
    public List<(LeaseChange Change, Lease? Lease)> Events { get; } = new();
    public byte[] Duid { get; }

    private ClientDriver(Dhcpv6Socket socket, Func<Dhcpv6ClientSettings>? unused, byte[] duid, bool requestMapE)
    {
        Socket = socket;
        Duid = duid;
        var settings = new Dhcpv6ClientSettings(socket.InterfaceName, duid)
        {
            SkipInitialDelay = true,
            Random = new Random(42),
            RequestMapE = requestMapE,
            // Kea scenarios run T1/T2 of a second or two; the floors are proven in Dhcpv6ClientTests.
            MinT1Seconds = 1,
            MinT2Seconds = 1,
        };
        Client = new Dhcpv6Client(settings, socket, Logger) { LeaseChanged = (c, l) => Events.Add((c, l)) };
    }

    public static long Now => Environment.TickCount64;

    /// <summary>Opens the socket inside <paramref name="ns"/>, waiting for DAD if needed.</summary>
    public static ClientDriver Open(Netns ns, string iface, byte[]? duid = null, bool requestMapE = false)
    {
        Dhcpv6Socket? socket;
        string error;
        DateTime end = DateTime.UtcNow.AddSeconds(10);
        using (ns.Enter())
        {
            while (!Dhcpv6Socket.TryOpen(iface, out socket, out bool notReady, out error))
            {
                if (!notReady || DateTime.UtcNow > end)
                    throw new InvalidOperationException("socket: " + error);
                Thread.Sleep(50);
            }
        }
        return new ClientDriver(socket!, null, duid ?? DuidStore.Create(socket!.Mac, new Random()), requestMapE);
    }

    public void Start() => _deadline = Client.Start(Now);

    /// <summary>Runs a client entry point (Release, LinkUp, RenewNow...) and keeps its deadline.</summary>
    public void Do(Func<long, long> action) => _deadline = action(Now);

    /// <summary>Drives the loop until <paramref name="done"/> holds; false on timeout.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan timeout)
    {
        long end = Now + (long)timeout.TotalMilliseconds;
        while (true)
        {
            if (done())
                return true;
            long now = Now;
            if (now >= end)
                return false;
            long wait = Math.Clamp(Math.Min(_deadline, end) - now, 0, 1000);
            pollfd p = new() { fd = Socket.Fd, events = LibC.POLLIN };
            int n = LibC.poll(&p, 1, (int)wait);
            if (n > 0 && (p.revents & LibC.POLLIN) != 0)
                _deadline = Socket.Drain(Client, Now);
            else
                _deadline = Client.Step(Now);
        }
    }

    /// <summary>Drives the loop for a fixed time (to prove that nothing happens).</summary>
    public void RunFor(TimeSpan time) => RunUntil(() => false, time);

    public void Dispose() => Socket.Dispose();
}
