using System;
using System.Collections.Generic;
using System.Text;
using Mapt.Apply;
using Mapt.Net;
using Mapt.Provisioning;

namespace Mapt.Tests.Provisioning;

/// <summary>
/// A model of nat46's control file (upstream cc00074: nat46-module.c nat46_proc_write,
/// nat46-netdev.c, nat46-core.c nat46_set_ipair_config / nat46_get_ipair_config), checked
/// against the real module in the firmware lab (tests/Firmware/Nat46ModelTests) command by
/// command. What it models:
/// - a write is a list of words (split at spaces and newlines); add / del take a device and
///   the loop goes on (several in one write); config / insert / remove take the rest of the
///   write as their arguments and end it; unknown words are skipped; a device name is cut to
///   15 characters;
/// - add: a device with one all-zero pair (NONE, 0.0.0.0/0, ::/0), unless it exists; del;
///   config: the last pair; insert: a new zero pair at the head, then its arguments; remove:
///   the first pair whose printed text equals that of the arguments applied to a zero pair
///   (debug included), possibly leaving a device with no pair;
/// - arguments: "debug N" (the device's level, printed in every pair), "local.X V" and
///   "remote.X V" for X in v4, v6, style, ea-len, psid-offset; any other local./remote. key
///   eats its value; a word that is neither is skipped (its value is then read as a key: so
///   "fmr-flag 1" vanishes); numbers are read like simple_strtol (leading digits, 0 for none);
///   the prefix length of v4/v6 is applied before the address is parsed, and a bad address or
///   style, or a key without a value, stops the parsing of that write (what came before stays);
/// - read-back: per device "add DEV", then "insert DEV CFG" for every pair but the last and
///   "config DEV CFG" for the last, then an empty line; CFG printed in the kernel's order and
///   forms (%pI4, %pI6c: <see cref="Nat46Text"/>) into a 200-byte buffer, so cut at 199 characters.
/// Every write also goes through <see cref="Nat46Grammar"/> unless <see cref="Strict"/> is off:
/// mapt must write only well-formed commands, whatever the module would make of others.
/// Not modelled: "add" without a name (the module names the device nat46.N from a counter of
/// its own). A quirk makes the model answer differently from the module, to prove a mismatch is caught.
/// </summary>
public sealed class FakeNat46 : INat46Control
{
    public enum Quirk { None, IgnoreInsert, DropPsidOffset, DebugLevel7 }

    private static readonly string[] s_styles = { "NONE", "MAP", "MAP0", "RFC6052" };

    private sealed class Side
    {
        public int Style;
        public Ipv4Address V4;
        public int V4Len;
        public Ipv6Address V6;
        public int V6Len;
        public int EaLen, PsidOffset;
    }

    private sealed class Pair
    {
        public Side Local = new(), Remote = new();
    }

    private sealed class Device
    {
        public string Name = "";
        public List<Pair> Pairs = new();
        public int Debug;
    }

    private readonly List<Device> _devices = new();
    private readonly Quirk _quirk;

    internal FakeNat46(Quirk quirk = Quirk.None) => _quirk = quirk;

    public string Path => "fake:/proc/net/nat46/control";
    public List<string> Writes { get; } = new();
    /// <summary>Checks every write against the strict grammar (on by default).</summary>
    public bool Strict { get; init; } = true;

    public void Write(string command)
    {
        Writes.Add(command);
        if (Strict)
            Nat46Grammar.Parse(command);
        var words = new Words(command.EndsWith('\n') ? command.Substring(0, command.Length - 1) : command);
        while (words.Next() is string verb)
        {
            switch (verb)
            {
                case "add":
                    if (DeviceName(words) is string added && Find(added) is null)
                        _devices.Add(new Device { Name = added, Pairs = { new Pair() } });
                    break;
                case "del":
                    if (DeviceName(words) is string deleted && Find(deleted) is Device gone)
                        _devices.Remove(gone);
                    break;
                case "config":
                    if (Find(DeviceName(words)) is Device configured && configured.Pairs.Count > 0)
                        Apply(configured, configured.Pairs[^1], words);
                    return;
                case "insert":
                    if (_quirk != Quirk.IgnoreInsert && Find(DeviceName(words)) is Device target)
                    {
                        target.Pairs.Insert(0, new Pair());
                        Apply(target, target.Pairs[0], words);
                    }
                    return;
                case "remove":
                    if (Find(DeviceName(words)) is Device from)
                        Remove(from, words);
                    return;
            }
        }
    }

    /// <summary>get_devname: the next word, cut to IFNAMSIZ - 1 characters.</summary>
    private static string? DeviceName(Words words)
    {
        string? name = words.Next();
        return name is { Length: > 15 } ? name.Substring(0, 15) : name;
    }

    private Device? Find(string? name) => name is null ? null : _devices.Find(d => d.Name == name);

    /// <summary>nat46_set_ipair_config: applies arguments to one pair until one of them fails.</summary>
    private void Apply(Device device, Pair pair, Words words)
    {
        while (words.Next() is string name)
        {
            if (name == "debug")
            {
                if (words.Next() is string level)
                    device.Debug = Strtol(level);
                continue;
            }
            Side? side = name.StartsWith("local.", StringComparison.Ordinal) ? pair.Local
                : name.StartsWith("remote.", StringComparison.Ordinal) ? pair.Remote : null;
            if (side is null)
                continue;
            string key = name.Substring(name.IndexOf('.') + 1);
            if (words.Next() is not string value || !ApplyArgument(side, key, value))
                return;
        }
    }

    /// <summary>try_parse_rule_arg: false stops the parsing (a bad address or style).</summary>
    private bool ApplyArgument(Side side, string key, string value)
    {
        switch (key)
        {
            case "v4":
            case "v6":
                int slash = value.IndexOf('/');
                string address = slash < 0 ? value : value.Substring(0, slash);
                if (slash >= 0)
                {
                    // The length is taken before the address is parsed: a bad address leaves it.
                    if (key == "v4")
                        side.V4Len = Strtol(value.Substring(slash + 1));
                    else
                        side.V6Len = Strtol(value.Substring(slash + 1));
                }
                if (key == "v4")
                {
                    if (!Ipv4Address.TryParse(address, out Ipv4Address v4))
                        return false;
                    side.V4 = v4;
                }
                else
                {
                    if (!Ipv6Address.TryParse(address, out Ipv6Address v6))
                        return false;
                    side.V6 = v6;
                }
                return true;
            case "ea-len":
                side.EaLen = Strtol(value);
                return true;
            case "psid-offset":
                side.PsidOffset = _quirk == Quirk.DropPsidOffset ? 0 : Strtol(value);
                return true;
            case "style":
                int style = Array.IndexOf(s_styles, value);
                if (style < 0)
                    return false;
                side.Style = style;
                return true;
            default:
                return true; // an unknown key eats its value
        }
    }

    /// <summary>nat46_remove: the arguments applied to a zero pair, printed, compared with each pair's print.</summary>
    private void Remove(Device device, Words words)
    {
        var probe = new Device { Pairs = { new Pair() } };
        Apply(probe, probe.Pairs[0], words);
        string wanted = Render(probe.Pairs[0], probe.Debug);
        int at = device.Pairs.FindIndex(p => Render(p, device.Debug) == wanted);
        if (at >= 0)
            device.Pairs.RemoveAt(at);
    }

    public string Read()
    {
        var text = new StringBuilder();
        foreach (Device dev in _devices)
        {
            text.Append("add ").Append(dev.Name).Append('\n');
            for (int i = 0; i < dev.Pairs.Count; i++)
                text.Append(i == dev.Pairs.Count - 1 ? "config " : "insert ").Append(dev.Name).Append(' ')
                    .Append(Render(dev.Pairs[i], _quirk == Quirk.DebugLevel7 ? 7 : dev.Debug)).Append('\n');
            text.Append('\n');
        }
        return text.ToString();
    }

    private static string Render(Pair p, int debug)
    {
        string s = Print(p.Local, "local") + " " + Print(p.Remote, "remote") + " debug " + debug.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return s.Length > Nat46ReadBack.MaxPairText ? s.Substring(0, Nat46ReadBack.MaxPairText) : s;
    }

    private static string Print(Side s, string name) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{name}.v4 {s.V4}/{s.V4Len} {name}.v6 {Nat46Text.Ipv6(s.V6)}/{s.V6Len} {name}.style {s_styles[s.Style]} {name}.ea-len {s.EaLen} {name}.psid-offset {s.PsidOffset}");

    /// <summary>simple_strtol(s, NULL, 10): an optional minus, then the leading digits; 0 without any.</summary>
    private static int Strtol(string s)
    {
        int i = 0;
        bool negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
            i++;
        long n = 0;
        for (; i < s.Length && s[i] is >= '0' and <= '9'; i++)
            n = n * 10 + (s[i] - '0');
        return unchecked((int)(negative ? -n : n));
    }

    /// <summary>get_next_arg: the words of a write, split at spaces and newlines.</summary>
    private sealed class Words
    {
        private readonly string[] _words;
        private int _next;

        public Words(string text) => _words = text.Split(new[] { ' ', '\n' }, StringSplitOptions.RemoveEmptyEntries);

        public string? Next() => _next < _words.Length ? _words[_next++] : null;
    }
}
