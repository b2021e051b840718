using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using Mapt.Apply;

namespace Mapt.Tests.Provisioning;

/// <summary>
/// A model of nat46's control file: commands parsed with <see cref="Nat46Grammar"/> and applied
/// as the module does (add: one zeroed pair; config: edits the last pair; insert: a new zeroed
/// pair at the head, then its arguments; del: gone), and read back in the module's format with
/// each pair printed into a 200-byte buffer (cut at 199 characters), addresses re-formatted
/// from their parsed value. A quirk makes it answer differently from what was written.
/// </summary>
public sealed class FakeNat46 : INat46Control
{
    public enum Quirk { None, IgnoreInsert, DropPsidOffset, DebugLevel7 }

    private sealed class Side
    {
        public string Style = "NONE";
        public IPAddress V4 = IPAddress.Any; public int V4Len;
        public IPAddress V6 = IPAddress.IPv6Any; public int V6Len;
        public int EaLen, PsidOffset;
        public Side Clone() => (Side)MemberwiseClone();
    }

    private sealed class Pair { public Side Local = new(), Remote = new(); }

    private readonly Dictionary<string, List<Pair>> _devices = new();
    private readonly List<string> _order = new();
    private readonly Quirk _quirk;

    internal FakeNat46(Quirk quirk = Quirk.None) => _quirk = quirk;

    public string Path => "fake:/proc/net/nat46/control";
    public List<string> Writes { get; } = new();

    public void Write(string command)
    {
        Writes.Add(command);
        Nat46Grammar.Command c = Nat46Grammar.Parse(command);
        switch (c.Verb)
        {
            case "add":
                if (!_devices.ContainsKey(c.Device))
                {
                    _devices[c.Device] = new List<Pair> { new() };
                    _order.Add(c.Device);
                }
                break;
            case "del":
                _devices.Remove(c.Device);
                _order.Remove(c.Device);
                break;
            case "config":
                if (_devices.TryGetValue(c.Device, out var pairs))
                    Apply(pairs[^1], c.Settings);
                break;
            case "insert":
                if (_quirk != Quirk.IgnoreInsert && _devices.TryGetValue(c.Device, out var list))
                {
                    var pair = new Pair();
                    list.Insert(0, pair);
                    Apply(pair, c.Settings);
                }
                break;
        }
    }

    private void Apply(Pair pair, List<Nat46Grammar.Setting> settings)
    {
        foreach (var s in settings)
        {
            if (s.Param == "debug")
                continue;
            Side side = s.Side == "local" ? pair.Local : pair.Remote;
            switch (s.Param)
            {
                case "style": side.Style = s.Value; break;
                case "ea-len": side.EaLen = int.Parse(s.Value); break;
                case "psid-offset": side.PsidOffset = _quirk == Quirk.DropPsidOffset ? 0 : int.Parse(s.Value); break;
                case "v4": (side.V4, side.V4Len) = Split(s.Value); break;
                case "v6": (side.V6, side.V6Len) = Split(s.Value); break;
            }
        }
    }

    private static (IPAddress, int) Split(string value)
    {
        int slash = value.IndexOf('/');
        return (IPAddress.Parse(value.Substring(0, slash)), int.Parse(value.Substring(slash + 1)));
    }

    public string Read()
    {
        var text = new StringBuilder();
        foreach (string dev in _order)
        {
            List<Pair> pairs = _devices[dev];
            text.Append("add ").Append(dev).Append('\n');
            for (int i = 0; i < pairs.Count; i++)
                text.Append(i == pairs.Count - 1 ? "config " : "insert ").Append(dev).Append(' ').Append(Render(pairs[i])).Append('\n');
            text.Append('\n');
        }
        return text.ToString();
    }

    private string Render(Pair p)
    {
        string s = $"local.v4 {p.Local.V4}/{p.Local.V4Len} local.v6 {p.Local.V6}/{p.Local.V6Len} local.style {p.Local.Style} local.ea-len {p.Local.EaLen} local.psid-offset {p.Local.PsidOffset} " +
                   $"remote.v4 {p.Remote.V4}/{p.Remote.V4Len} remote.v6 {p.Remote.V6}/{p.Remote.V6Len} remote.style {p.Remote.Style} remote.ea-len {p.Remote.EaLen} remote.psid-offset {p.Remote.PsidOffset} debug {(_quirk == Quirk.DebugLevel7 ? 7 : 0)}";
        return s.Length > 199 ? s.Substring(0, 199) : s;
    }
}
