using System;
using System.Collections.Generic;

namespace Mapt.Dhcpv6.Wire;

/// <summary>
/// A server message (Advertise, Reply) decoded and copied out of the receive buffer. A fault
/// in any option the client relies on refuses the whole message; a MAP-T container that
/// breaks RFC 7598 is refused on its own (<see cref="MaptError"/>) so the caller can say so.
/// </summary>
public sealed class Dhcpv6Message
{
    private Dhcpv6Message() { }

    public Dhcpv6MessageType Type { get; private set; }
    public uint TransactionId { get; private set; }
    public byte[]? ClientId { get; private set; }
    public byte[]? ServerId { get; private set; }
    public Dhcpv6StatusCode Status { get; private set; }
    public string StatusMessage { get; private set; } = "";
    public byte Preference { get; private set; }
    public bool RapidCommit { get; private set; }
    public IaPd[] IaPds { get; private set; } = Array.Empty<IaPd>();
    public UInt128[] DnsServers { get; private set; } = Array.Empty<UInt128>();
    public string[] DomainList { get; private set; } = Array.Empty<string>();
    /// <summary>SOL_MAX_RT in seconds, 0 when absent.</summary>
    public uint SolMaxRt { get; private set; }
    /// <summary>INF_MAX_RT in seconds, 0 when absent.</summary>
    public uint InfMaxRt { get; private set; }
    /// <summary>True when an S46_CONT_MAPT was present, valid or not.</summary>
    public bool HasMaptOption { get; private set; }
    public S46MaptContainer? Mapt { get; private set; }
    /// <summary>Why the MAP-T container was refused; IsNone when it was accepted or absent.</summary>
    public ParseError MaptError { get; private set; }
    public S46RawOption[] S46Options { get; private set; } = Array.Empty<S46RawOption>();

    /// <summary>Decodes a whole message (RFC 8415 section 8); relay messages are not expected on a client port.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out Dhcpv6Message message, out ParseError error)
    {
        message = null!;
        var reader = new Dhcpv6Reader(bytes);
        if (!reader.TryReadHeader(out Dhcpv6MessageType type, out uint transactionId, out error))
            return false;
        var m = new Dhcpv6Message { Type = type, TransactionId = transactionId };
        var ias = new List<IaPd>();
        var s46 = new List<S46RawOption>();
        while (!reader.End)
        {
            if (!reader.TryReadOption(out Dhcpv6Option option, out error))
                return false;
            switch (option.Code)
            {
                case Dhcpv6OptionCode.ClientId:
                case Dhcpv6OptionCode.ServerId:
                {
                    if ((option.Code == Dhcpv6OptionCode.ClientId ? m.ClientId : m.ServerId) is not null)
                    {
                        error = option.Error(0, "appears twice");
                        return false;
                    }
                    if (!Dhcpv6Reader.TryReadDuid(option, out byte[] duid, out error))
                        return false;
                    if (option.Code == Dhcpv6OptionCode.ClientId)
                        m.ClientId = duid;
                    else
                        m.ServerId = duid;
                    break;
                }
                case Dhcpv6OptionCode.StatusCode:
                {
                    if (!Dhcpv6Reader.TryReadStatusCode(option, out Dhcpv6StatusCode status, out string text, out error))
                        return false;
                    m.Status = status;
                    m.StatusMessage = text;
                    break;
                }
                case Dhcpv6OptionCode.Preference:
                {
                    if (!Dhcpv6Reader.TryReadPreference(option, out byte preference, out error))
                        return false;
                    m.Preference = preference;
                    break;
                }
                case Dhcpv6OptionCode.RapidCommit:
                    m.RapidCommit = true;
                    break;
                case Dhcpv6OptionCode.IaPd:
                {
                    if (!Dhcpv6Reader.TryReadIaPd(option, out IaPd ia, out error))
                        return false;
                    if (ias.Count == Dhcpv6Limits.MaxIaPerMessage)
                    {
                        error = option.Error(0, "more than " + Dhcpv6Limits.MaxIaPerMessage + " IA_PD options");
                        return false;
                    }
                    ias.Add(ia);
                    break;
                }
                case DnsOptionCode.DnsServers:
                {
                    if (!Dhcpv6Reader.TryReadDnsServers(option, out UInt128[] servers, out error))
                        return false;
                    m.DnsServers = servers;
                    break;
                }
                case DnsOptionCode.DomainList:
                {
                    if (!Dhcpv6Reader.TryReadDomainList(option, out string[] names, out error))
                        return false;
                    m.DomainList = names;
                    break;
                }
                case Dhcpv6OptionCode.SolMaxRt:
                case Dhcpv6OptionCode.InfMaxRt:
                {
                    if (!Dhcpv6Reader.TryReadUInt32(option, out uint seconds, out error))
                        return false;
                    if (option.Code == Dhcpv6OptionCode.SolMaxRt)
                        m.SolMaxRt = seconds;
                    else
                        m.InfMaxRt = seconds;
                    break;
                }
                case S46OptionCode.ContainerMapE:
                case S46OptionCode.ContainerLw4o6:
                    s46.Add(new S46RawOption(option.Code, option.Offset, bytes.Slice(option.Offset, option.Body.Length + Dhcpv6Limits.OptionHeaderLength).ToArray()));
                    break;
                case S46OptionCode.ContainerMapT:
                {
                    s46.Add(new S46RawOption(option.Code, option.Offset, bytes.Slice(option.Offset, option.Body.Length + Dhcpv6Limits.OptionHeaderLength).ToArray()));
                    bool first = !m.HasMaptOption;
                    m.HasMaptOption = true;
                    // The first container decides; a later one is only shown, never merged.
                    if (!first)
                        break;
                    if (Dhcpv6Reader.TryReadMaptContainer(option, out S46MaptContainer container, out ParseError mapError))
                        m.Mapt = container;
                    else
                        m.MaptError = mapError;
                    break;
                }
            }
        }
        m.IaPds = ias.ToArray();
        m.S46Options = s46.ToArray();
        message = m;
        error = default;
        return true;
    }
}
