using System.Collections.Generic;
using System.Globalization;
using Mapt.Net;

namespace Mapt.Provisioning;

/// <summary>
/// Reads the entries of a version-1 journal (mapt 0.1) into today's undo steps, so that a
/// gateway updated while MAP-T was up still undoes what the old binary applied. Version 1
/// kept iptables undo as free restore text; only the chain names are taken from it (the
/// "-X NAME" lines of each table), never the text itself.
/// </summary>
internal sealed class JournalV1Reader
{
    private IpFamily? _family;
    private string _table = "";
    private List<IptablesChainName> _chains = new();

    public string? Entry(string word, string rest, List<UndoStep> entries, int line)
    {
        Finish(entries);
        string[] a = rest.Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
        string Arg(int i) => i < a.Length ? a[i] : "";
        switch (word)
        {
            case "Iptables":
            case "Ip6tables":
                _family = word == "Iptables" ? IpFamily.Ipv4 : IpFamily.Ipv6;
                return null;
            case "Sysctl":
                string key = Arg(0).StartsWith("/proc/sys/", System.StringComparison.Ordinal) ? Arg(0).Substring(10).Replace('/', '.') : Arg(0);
                if (!Plan.IsSysctlKey(key) || Arg(1).Length == 0)
                    return $"line {line}: sysctl '{Arg(0)}' is not one mapt writes";
                entries.Add(new RestoreSysctl(key, Arg(1)));
                return null;
            case "Route4":
            case "Route6":
            {
                var f = new List<string> { "route-delete", Arg(0), "dev", Arg(1) };
                if (Arg(2).Length != 0)
                    f.AddRange(new[] { "via", Arg(2) });
                if (!UndoStep.TryReadRoute(f.ToArray(), out PlannedRoute? route, out string why))
                    return $"line {line}: {why}";
                entries.Add(new DeleteRoute(route!));
                return null;
            }
            case "RouteRestore":
            {
                var f = new List<string> { "route-restore", Arg(0) };
                if (Arg(1) != "-")
                    f.AddRange(new[] { "dev", Arg(1) });
                if (Arg(2) != "-")
                    f.AddRange(new[] { "via", Arg(2) });
                f.AddRange(new[] { "metric", Arg(3), "type", Arg(4) });
                if (!UndoStep.TryReadRoute(f.ToArray(), out PlannedRoute? route, out string why))
                    return $"line {line}: {why}";
                entries.Add(new RestoreRoute(route!));
                return null;
            }
            case "Nat46Device":
                if (!Plan.IsInterfaceName(Arg(0)))
                    return $"line {line}: bad device '{Arg(0)}'";
                entries.Add(new DeleteNat46Device(Arg(0)));
                return null;
            case "Conntrack":
                if (!Ipv4Address.TryParse(Arg(0), out Ipv4Address address))
                    return $"line {line}: bad address '{Arg(0)}'";
                entries.Add(new FlushConntrack(address));
                return null;
        }
        return $"line {line}: unknown entry '{word}'";
    }

    public string? Body(string text, int line)
    {
        if (_family is null)
            return $"line {line}: body text before any entry";
        if (text.StartsWith('*'))
            _table = text.Substring(1).Trim();
        else if (text.StartsWith("-X ", System.StringComparison.Ordinal))
        {
            string chain = text.Substring(3).Trim();
            if (System.Array.IndexOf(IptablesRuleset.TableOrder, _table) < 0 || !IptablesRuleset.IsMaptChain(chain))
                return $"line {line}: '{_table}:{chain}' is not one of mapt's chains";
            _chains.Add(new IptablesChainName(_table, chain));
        }
        return null;
    }

    public void Finish(List<UndoStep> entries)
    {
        if (_family is IpFamily family)
            entries.Add(new RemoveFilter(family, _chains));
        _family = null;
        _table = "";
        _chains = new List<IptablesChainName>();
    }
}
