using System;
using Mapt.Tests.Support;

namespace Mapt.Tests.Lab;

/// <summary>
/// The DHCPv6 lab: Kea in a "server" namespace on veth "vs", the client's side "vc" in a
/// "client" namespace, optionally tshark capturing on "vs". DAD is off in the server
/// namespace (Kea binds at once) and, unless asked for, in the client's.
/// </summary>
internal sealed class KeaLab : IDisposable
{
    public const string ServerInterface = "vs";
    public const string ClientInterface = "vc";

    public Netns Server { get; }
    public Netns Client { get; }
    public KeaServer Kea { get; private set; } = null!;
    public TsharkCapture? Capture { get; private set; }

    private KeaLab(Netns server, Netns client)
    {
        Server = server;
        Client = client;
    }

    public static KeaLab Start(KeaConfig config, bool clientDad = false, bool capture = false)
    {
        Netns server = Netns.Create("dh6s");
        Netns? client = null;
        KeaLab? lab = null;
        try
        {
            client = Netns.Create("dh6c");
            lab = new KeaLab(server, client);
            const string noDad = "sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0";
            server.Sh(noDad);
            if (!clientDad)
                client.Sh(noDad);
            Netns.Veth(server, ServerInterface, client, ClientInterface);
            if (capture)
                lab.Capture = TsharkCapture.Start(server, ServerInterface);
            lab.Kea = KeaServer.Start(server, config);
            return lab;
        }
        catch
        {
            if (lab is not null)
                lab.Dispose();
            else
            {
                client?.Dispose();
                server.Dispose();
            }
            throw;
        }
    }

    public void Dispose()
    {
        Capture?.Dispose();
        Kea?.Dispose();
        Client.Dispose();
        Server.Dispose();
    }
}
