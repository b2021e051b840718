#!/usr/bin/python3
"""RFC 7915 corpus: crafted packets through a MAP-T CE's translator, each output judged field by
field against what RFC 7915 (and, where tagged, RFC 7597/7599 for MAP) requires.

Runs in a "tester" network namespace (or host) that holds the two wires of the CE under test:
--lan-if faces the CE's LAN interface (crafted IPv4 from the CE's MAP IPv4 address, as if the
SNAT had already run: run the CE with conntrack off, e.g. raw NOTRACK, so nothing rewrites
ports), --wan-if faces the CE's WAN interface (crafted IPv6 put directly on the link, so the
hop limit arrives as crafted). Everything the CE sends on either wire is captured and judged;
a capture on the CE's translator device (--tun-pcap, written by tcpdump -U during the run) is
shown beside each case when --verbose is given. Either wire may be in another network namespace
than the harness (--lan-netns, --wan-netns: its sockets are opened there), so a VM's taps in two
namespaces can be held by one run (tests/Firmware/Nat46CorpusTests.cs).

The translator is a black box: mapt (--translator tun), tayga, or the nat46 kernel module all
run the same corpus. tests/Translator/corpus/lab.sh builds the namespaces and starts a CE.

Output: one line per case (PASS/FAIL, RFC section, what differed), then
"score LABEL: N/M (rfc7915 a/b, map c/d; checks x/y)": cases without any difference, by tag
(rfc7915: what RFC 7915 requires of any translator; map: the MAP-T CE's own checks, RFC
7597/7599, which a plain SIIT such as tayga does not make), and single field comparisons.
--json FILE writes the same per case.
Exit status 0 whatever the score (a judge, not a test): 2 on bad arguments.
"""
import argparse
import ctypes
import fcntl
import ipaddress
import json
import os
import socket
import struct
import sys
import time

from scapy.all import (AsyncSniffer, Ether, ICMP, IP, IPOption, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Raw, TCP, UDP, conf, raw, rdpcap, sendp)
from scapy.layers.inet6 import ICMPv6Unknown

conf.verb = 0

# ---------------------------------------------------------------- checksums and parsing


def csum(data: bytes) -> int:
    """One's complement sum folded to 16 bits (0xffff over data that includes a valid checksum)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def pseudo4(src: bytes, dst: bytes, proto: int, length: int) -> bytes:
    return src + dst + struct.pack("!BBH", 0, proto, length)


def pseudo6(src: bytes, dst: bytes, nh: int, length: int) -> bytes:
    return src + dst + struct.pack("!I3xB", length, nh)


class V4:
    def __init__(self, b: bytes):
        self.raw = b
        self.ihl = (b[0] & 0xf) * 4
        self.version = b[0] >> 4
        self.tos = b[1]
        self.total = struct.unpack("!H", b[2:4])[0]
        self.id = struct.unpack("!H", b[4:6])[0]
        fo = struct.unpack("!H", b[6:8])[0]
        self.df = bool(fo & 0x4000)
        self.mf = bool(fo & 0x2000)
        self.offset = fo & 0x1fff
        self.ttl = b[8]
        self.proto = b[9]
        self.src = b[12:16]
        self.dst = b[16:20]
        self.header_ok = csum(b[:self.ihl]) == 0xffff
        self.payload = b[self.ihl:self.total]

    def l4_ok(self):
        """Whether the TCP/UDP/ICMP checksum holds over the whole payload (an unfragmented packet)."""
        p = self.payload
        if self.proto == 1:
            return csum(p) == 0xffff
        if self.proto == 17 and len(p) >= 8 and p[6:8] == b"\0\0":
            return False
        return csum(pseudo4(self.src, self.dst, self.proto, len(p)) + p) == 0xffff


class V6:
    def __init__(self, b: bytes):
        self.raw = b
        w = struct.unpack("!I", b[0:4])[0]
        self.version = w >> 28
        self.tc = (w >> 20) & 0xff
        self.flow = w & 0xfffff
        self.plen = struct.unpack("!H", b[4:6])[0]
        self.nh = b[6]
        self.hop = b[7]
        self.src = b[8:24]
        self.dst = b[24:40]
        self.frag = None  # (offset units, m, id)
        nh, off = self.nh, 40
        end = 40 + self.plen
        while nh in (0, 43, 60, 44) and off + 8 <= end:
            if nh == 44:
                fo = struct.unpack("!H", b[off + 2:off + 4])[0]
                self.frag = (fo >> 3, fo & 1, struct.unpack("!I", b[off + 4:off + 8])[0])
                nh, off = b[off], off + 8
            else:
                nh, off = b[off], off + (b[off + 1] + 1) * 8
        self.upper = nh
        self.payload = b[off:end]

    def l4_ok(self):
        p = self.payload
        return csum(pseudo6(self.src, self.dst, self.upper, len(p)) + p) == 0xffff


def as_forwarded(b: bytes) -> bytes:
    """A packet with its TTL or hop limit (and the IPv4 header checksum) blanked: a router
    quotes what it received, after its own decrement, so the quote is compared without them."""
    b = bytearray(b)
    if b and b[0] >> 4 == 4 and len(b) >= 12:
        b[8] = 0
        b[10:12] = b"\0\0"
    elif b and b[0] >> 4 == 6 and len(b) >= 8:
        b[7] = 0
    return bytes(b)


def a4(s):
    return socket.inet_pton(socket.AF_INET, s)


def a6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def n4(b):
    return socket.inet_ntop(socket.AF_INET, b)


def n6(b):
    return socket.inet_ntop(socket.AF_INET6, b)


def rfc6052(prefix: ipaddress.IPv6Network, v4: str) -> str:
    """The IPv4-embedded IPv6 address (RFC 6052 §2.2) for the DMR."""
    p = bytearray(prefix.network_address.packed)
    v = a4(v4)
    n = prefix.prefixlen // 8
    bits = list(v)
    out = p[:n]
    for x in bits:
        if len(out) == 8:
            out.append(0)  # the u octet
        out.append(x)
    out += bytes(16 - len(out))
    return n6(bytes(out))


# ---------------------------------------------------------------- the judge's vocabulary


class Judge:
    """Collects what differs from what the RFC requires; each comparison is one check, so a
    systematic deviation (one field wrong everywhere) shows in the checks score too."""

    def __init__(self):
        self.errors = []
        self.checks = 0

    def eq(self, field, expected, got):
        self.checks += 1
        if expected != got:
            self.errors.append(f"{field}: expected {expected}, got {got}")

    def true(self, field, cond, detail=""):
        self.checks += 1
        if not cond:
            self.errors.append(f"{field}: {detail or 'not as required'}")


def icmp_message(j, e, section, type_, code, rest=None, src=None, dst=None):
    """The checks every ICMP or ICMPv6 message `e` (a V4 or V6) gets: protocol, addresses,
    type and code, the word after the checksum (MTU or pointer), checksum, size."""
    v6 = isinstance(e, V6)
    ntop = n6 if v6 else n4
    j.eq(f"{'ICMPv6' if v6 else 'ICMPv4'} ({section})", 58 if v6 else 1, e.upper if v6 else e.proto)
    if src is not None:
        j.eq("source", src, ntop(e.src))
    if dst is not None:
        j.eq("destination", dst, ntop(e.dst))
    p = e.payload
    j.eq(f"type/code ({section})", (type_, code), (p[0], p[1]) if len(p) >= 2 else None)
    if rest is not None:
        j.eq(f"MTU/pointer word ({section})", rest, struct.unpack("!I", p[4:8])[0] if len(p) >= 8 else None)
    j.true(f"checksum ({section})", e.l4_ok())
    if v6:
        j.true("at most 1280 bytes (RFC 4443 §2.4)", len(e.raw) <= 1280)


class Case:
    def __init__(self, name, section, tag, send, judge, settle=0.25):
        self.name, self.section, self.tag, self.send, self.judge, self.settle = name, section, tag, send, judge, settle


# ---------------------------------------------------------------- the corpus


def build(args):
    C4, R4 = args.ce_ipv4, args.remote4
    M6 = str(ipaddress.IPv6Address(args.map_ipv6))
    dmr = ipaddress.IPv6Network(args.dmr)
    R6 = rfc6052(dmr, R4)
    P, Q = args.port_in, args.port_out
    WAN = args.wan_mtu
    cases = []

    def lan(l3):
        return [("lan", Ether(src=args.lan_mac, dst=args.ce_lan_mac) / l3)]

    def wan(l3):
        return [("wan", Ether(src=args.wan_mac, dst=args.ce_wan_mac) / l3)]

    def only(j, out, side, n):
        other = "wan" if side == "lan" else "lan"
        j.eq(f"packets on {side}", n, len(out[side]))
        j.eq(f"packets on {other}", 0, len(out[other]))
        return out[side] if len(out[side]) == n and not out[other] else None

    def nothing(j, out):
        j.eq("packets on wan", 0, len(out["wan"]))
        j.eq("packets on lan", 0, len(out["lan"]))

    # ---- IPv4 -> IPv6: common judgement of one translated packet
    def judge46(sent: bytes, hop_in=64, tos=0, proto=None, check_l4=True):
        s4 = V4(sent)

        def f(j, out):
            got = only(j, out, "wan", 1)
            if not got:
                return
            v6 = got[0]
            j.eq("version", 6, v6.version)
            j.eq("source (MAP address, RFC 7599 §5.2)", M6, n6(v6.src))
            j.eq("destination (DMR, RFC 6052)", R6, n6(v6.dst))
            j.eq("traffic class = TOS (§4.1)", s4.tos, v6.tc)
            j.eq("flow label 0 (§4.1)", 0, v6.flow)
            j.eq("hop limit = TTL - 1: the CE is one hop (§4.1)", hop_in - 1, v6.hop)
            j.eq("no Fragment header (§4.1)", None, v6.frag)
            j.eq("next header = protocol (§4.1)", proto if proto is not None else s4.proto, v6.upper)
            j.eq("payload length (§4.1)", s4.total - s4.ihl, v6.plen)
            if check_l4:
                j.true("upper-layer checksum over the IPv6 pseudo-header (§4.5)", v6.l4_ok())
        return f

    # ---- IPv6 -> IPv4: common judgement
    def judge64(sent: bytes, proto=None, check_l4=True, src=R4):
        s6 = V6(sent)

        def f(j, out):
            got = only(j, out, "lan", 1)
            if not got:
                return
            v4 = got[0]
            j.eq("version/IHL (§5.1: no options)", (4, 20), (v4.version, v4.ihl))
            j.eq("source (DMR, RFC 6052)", src, n4(v4.src))
            j.eq("destination (CE's IPv4)", C4, n4(v4.dst))
            j.eq("TOS = traffic class (§5.1)", s6.tc, v4.tos)
            j.eq("TTL = hop limit - 1: the CE is one hop (§5.1)", s6.hop - 1, v4.ttl)
            j.eq("total length (§5.1)", 20 + len(s6.payload), v4.total)
            j.eq("DF: set only above 1260 bytes (§5.1)", v4.total > 1260, v4.df)
            j.eq("MF and offset 0 (§5.1)", (False, 0), (v4.mf, v4.offset))
            j.eq("protocol (§5.1)", proto if proto is not None else s6.upper, v4.proto)
            j.true("header checksum (§5.1)", v4.header_ok)
            if check_l4:
                j.true("upper-layer checksum (§5.5)", v4.l4_ok())
        return f

    def error_to_sender(type_, code, sent: bytes, rest=None):
        """An ICMP error from the CE back to the sender of `sent` (ICMPv4 on the LAN for an IPv4
        packet, ICMPv6 on the WAN for an IPv6 one), quoting its header (IPv4: and 8 bytes)."""
        v4 = sent[0] >> 4 == 4
        s = V4(sent) if v4 else V6(sent)
        quote = 28 if v4 else 40

        def f(j, out):
            got = only(j, out, "lan" if v4 else "wan", 1)
            if not got:
                return
            e = got[0]
            icmp_message(j, e, "to the sender", type_, code, rest=rest, dst=(n4 if v4 else n6)(s.src))
            j.true("quotes the packet", as_forwarded(e.payload[8:8 + quote]) == as_forwarded(sent[:quote]))
        return f

    def add(name, section, tag, send, judge, settle=0.25):
        cases.append(Case(name, section, tag, send, judge, settle))

    def data(n, seed=1):
        return bytes((i * 7 + seed) & 0xff for i in range(n))

    # ================================================================ IPv4 -> IPv6 (§4)
    p = IP(src=C4, dst=R4, ttl=64, flags="DF", id=0x100) / UDP(sport=P, dport=7000) / Raw(data(64))
    add("o-udp", "4.1", "rfc7915", lan(p), judge46(raw(p)))
    p = IP(src=C4, dst=R4, ttl=64, tos=0xb8, id=0x101) / UDP(sport=P, dport=7000) / Raw(data(20))
    add("o-udp-tos", "4.1", "rfc7915", lan(p), judge46(raw(p)))
    p = IP(src=C4, dst=R4, ttl=64, flags="DF", id=0x102) / TCP(sport=P + 1, dport=443, flags="A", seq=1, ack=1) / Raw(data(100))
    add("o-tcp", "4.1 4.5", "rfc7915", lan(p), judge46(raw(p)))
    p = IP(src=C4, dst=R4, ttl=64, id=0x103) / UDP(sport=P, dport=53, chksum=0) / Raw(data(40))
    add("o-udp-zero-checksum", "4.5", "rfc7915", lan(p), judge46(raw(p)))
    p = IP(src=C4, dst=R4, ttl=64, id=0x104) / UDP(sport=P, dport=7000) / Raw(data(100))
    add("o-df-clear-small-no-fragment-header", "4.1", "rfc7915", lan(p), judge46(raw(p)))

    p = IP(src=C4, dst=R4, ttl=64, id=0x105) / UDP(sport=P, dport=7000) / Raw(data(1452))  # 1480 bytes, DF clear

    def big_df_clear(sent):
        s4 = V4(sent)

        def f(j, out):
            j.eq("packets on lan", 0, len(out["lan"]))
            pk = out["wan"]
            j.true("something on the WAN", pk)
            if not pk:
                return
            j.true("every packet within the IPv6 MTU (§4.1: fragment to fit)", all(len(x.raw) <= WAN for x in pk),
                   str([len(x.raw) for x in pk]))
            if len(pk) == 1 and pk[0].frag is None:
                j.true("whole datagram, valid checksum", pk[0].l4_ok())
                return
            whole = b"".join(x.payload for x in sorted(pk, key=lambda x: x.frag[0] if x.frag else 0))
            j.eq("reassembled length", s4.total - 20, len(whole))
            j.true("fragments share one id", len({x.frag[2] for x in pk if x.frag}) == 1)
            j.true("reassembled checksum", csum(pseudo6(pk[0].src, pk[0].dst, 17, len(whole)) + whole) == 0xffff)
        return f
    add("o-df-clear-1480", "4.1", "rfc7915", lan(p), big_df_clear(raw(p)))

    # fragments of a UDP datagram with a checksum
    whole = IP(src=C4, dst=R4) / UDP(sport=P, dport=7000) / Raw(data(40))
    u = raw(whole)[20:]
    f1 = IP(src=C4, dst=R4, ttl=64, id=0x2345, flags="MF", proto=17) / Raw(u[:24])
    f2 = IP(src=C4, dst=R4, ttl=64, id=0x2345, frag=3, proto=17) / Raw(u[24:])

    def frags46(j, out):
        got = only(j, out, "wan", 2)
        if not got:
            return
        a, b = sorted(got, key=lambda x: x.frag[0] if x.frag else -1)
        j.eq("Fragment header on both (§4.1)", True, a.frag is not None and b.frag is not None)
        if a.frag and b.frag:
            j.eq("identification (§4.1)", (0x2345, 0x2345), (a.frag[2], b.frag[2]))
            j.eq("offsets and M (§4.1)", ((0, 1), (3, 0)), ((a.frag[0], a.frag[1]), (b.frag[0], b.frag[1])))
        j.eq("source of both: the MAP address (one datagram, one source)", (M6, M6), (n6(a.src), n6(b.src)))
        j.eq("next header in the Fragment header", (17, 17), (a.upper, b.upper))
        j.eq("hop limit = TTL - 1", (63, 63), (a.hop, b.hop))
        j.eq("payload lengths", (8 + 24, 8 + 24), (a.plen, b.plen))
        w = a.payload + b.payload
        j.true("reassembled UDP checksum", csum(pseudo6(a.src, a.dst, 17, len(w)) + w) == 0xffff)
    add("o-fragments", "4.1", "rfc7915", lan(f1) + lan(f2), frags46)
    g2 = IP(src=C4, dst=R4, ttl=64, id=0x2346, frag=3, proto=17) / Raw(u[24:])
    add("o-later-fragment-without-first", "RFC 7597 8.3.3", "map", lan(g2), nothing)

    zu = bytearray(raw(IP(src=C4, dst=R4) / UDP(sport=P, dport=7000) / Raw(data(40)))[20:])
    zu[6:8] = b"\0\0"
    z1 = IP(src=C4, dst=R4, ttl=64, id=0x3456, flags="MF", proto=17) / Raw(bytes(zu[:24]))
    z2 = IP(src=C4, dst=R4, ttl=64, id=0x3456, frag=3, proto=17) / Raw(bytes(zu[24:]))
    # Both fragments in one case: a CE with conntrack loaded (nf_defrag) holds the first until
    # the last arrives, then forwards both.
    add("o-zero-checksum-fragments-dropped-whole", "4.5 4.4", "rfc7915", lan(z1) + lan(z2),
        error_to_sender(3, 13, raw(z1)))

    p = IP(src=C4, dst=R4, ttl=2, id=0x106) / UDP(sport=P, dport=33434) / Raw(data(12))
    add("o-ttl-2-leaves-with-hop-limit-1", "4.1", "rfc7915", lan(p), judge46(raw(p), hop_in=2))
    p = IP(src=C4, dst=R4, ttl=1, id=0x107) / UDP(sport=P, dport=33435) / Raw(data(12))
    add("o-ttl-1-time-exceeded-from-the-ce", "4.1", "rfc7915", lan(p), error_to_sender(11, 0, raw(p)))
    p = IP(src=C4, dst=R4, ttl=255, id=0x108) / UDP(sport=P, dport=7000) / Raw(data(12))
    add("o-ttl-255", "4.1", "rfc7915", lan(p), judge46(raw(p), hop_in=255))
    p = IP(src=C4, dst=R4, ttl=64, flags="DF", id=0x109) / UDP(sport=P, dport=7000) / Raw(data(1472))  # 1500 bytes
    add("o-df-too-big-fragmentation-needed", "4 (router)", "rfc7915", lan(p), error_to_sender(3, 4, raw(p), rest=WAN - 20))
    p = IP(src=C4, dst=R4, ttl=64, id=0x10a, options=[IPOption(b"\x07\x07\x04\x00\x00\x00\x00\x01")]) / UDP(sport=P, dport=7000) / Raw(data(20))
    add("o-ipv4-options-ignored", "4.1", "rfc7915", lan(p), judge46(raw(p)))
    p = IP(src=C4, dst=R4, ttl=64, id=0x10b, options=[IPOption(b"\x83\x07\x04\xc6\x33\x64\x09\x01")]) / UDP(sport=P, dport=7000) / Raw(data(20))

    def source_route(sent):
        error = error_to_sender(3, 5, sent)

        def f(j, out):
            # MUST: not translated. The SHOULD (Source Route Failed) is judged when the CE's
            # kernel lets the packet reach the translator at all: Linux drops source-routed
            # packets itself unless accept_source_route is set.
            j.eq("packets on wan (§4.1: MUST be discarded)", 0, len(out["wan"]))
            if out["lan"]:
                error(j, out)
        return f
    add("o-source-route-refused", "4.1", "rfc7915", lan(p), source_route(raw(p)))

    p = IP(src=C4, dst=R4, ttl=64, id=0x10c) / ICMP(type=8, id=P, seq=5) / Raw(data(56))

    def echo(type_out, sent, section):
        """An echo message translated: type mapped, id, sequence and data kept, checksum
        recomputed (with the pseudo-header for ICMPv6, without for ICMPv4), one hop."""
        to6 = sent[0] >> 4 == 4
        s = V4(sent) if to6 else V6(sent)

        def f(j, out):
            got = only(j, out, "wan" if to6 else "lan", 1)
            if not got:
                return
            e = got[0]
            icmp_message(j, e, section, type_out, 0, rest=struct.unpack("!I", s.payload[4:8])[0])
            j.eq("data kept", s.payload[8:], e.payload[8:])
            if to6:
                j.eq("hop limit = TTL - 1", s.ttl - 1, e.hop)
            else:
                j.eq("TTL = hop limit - 1", s.hop - 1, e.ttl)
                j.eq("DF by size (§5.1)", e.total > 1260, e.df)
        return f
    add("o-echo-request", "4.2", "rfc7915", lan(p), echo(128, raw(p), "§4.2"))
    p = IP(src=C4, dst=R4, ttl=64, id=0x10d) / ICMP(type=0, id=7777, seq=5) / Raw(data(56))
    add("o-echo-reply", "4.2", "rfc7915", lan(p), echo(129, raw(p), "§4.2"))
    for t, c, nm in ((13, 0, "timestamp"), (4, 0, "source-quench"), (5, 1, "redirect"), (9, 0, "router-advertisement"),
                     (10, 0, "router-solicitation")):
        body = raw(IP(src=R4, dst=C4, ttl=30) / UDP(sport=53, dport=P) / Raw(data(8))) if t in (4, 5) else data(12)
        p = IP(src=C4, dst=R4, ttl=64) / ICMP(type=t, code=c) / Raw(body)
        add(f"o-icmp-{nm}-dropped", "4.2", "rfc7915", lan(p), nothing)

    # ICMPv4 errors from the LAN about a packet the CE received (remote -> CE:P)
    def inner4(total=None):
        i = IP(src=R4, dst=C4, ttl=30, id=0x4444, flags="DF") / UDP(sport=53, dport=P) / Raw(data(24))
        if total is not None:
            b = bytearray(raw(i))
            b[2:4] = struct.pack("!H", total)
            b[10:12] = b"\0\0"
            b[10:12] = struct.pack("!H", 0xffff ^ csum(bytes(b[:20])))
            return bytes(b)
        return raw(i)

    def err46(type6, code6, rest6, inner=None):
        inner = inner or inner4()
        i4 = V4(inner)

        def f(j, out):
            got = only(j, out, "wan", 1)
            if not got:
                return
            v6 = got[0]
            e = v6.payload
            icmp_message(j, v6, "§4.2", type6, code6, rest=rest6, src=M6, dst=R6)
            j.eq("hop limit = TTL - 1", 63, v6.hop)
            if len(e) >= 48:
                iv6 = V6(e[8:] + bytes(max(0, 48 - len(e[8:]))))
                j.eq("inner source (§4.3)", R6, n6(iv6.src))
                j.eq("inner destination (§4.3)", M6, n6(iv6.dst))
                j.eq("inner next header", 17, iv6.upper)
                j.eq("inner payload length (§4.3)", i4.total - 20, iv6.plen)
                j.eq("inner hop limit = inner TTL", 30, iv6.hop)
                if i4.total == len(inner):
                    q = e[48:]
                    j.true("inner UDP checksum for IPv6 (§4.3)", csum(pseudo6(iv6.src, iv6.dst, 17, len(q)) + q) == 0xffff)
            else:
                j.true("inner packet quoted", False)
        return f

    for c4, t6, c6, rest, nm in ((0, 1, 0, 0, "net-unreachable"), (1, 1, 0, 0, "host-unreachable"),
                                  (2, 4, 1, 6, "protocol-unreachable"), (3, 1, 4, 0, "port-unreachable"),
                                  (5, 1, 0, 0, "source-route-failed"), (9, 1, 1, 0, "net-prohibited"),
                                  (10, 1, 1, 0, "host-prohibited"), (13, 1, 1, 0, "admin-prohibited"),
                                  (15, 1, 1, 0, "precedence-cutoff")):
        p = IP(src=C4, dst=R4, ttl=64) / ICMP(type=3, code=c4) / Raw(inner4())
        add(f"o-error-{nm}", "4.2", "rfc7915", lan(p), err46(t6, c6, rest))
    p = IP(src=C4, dst=R4, ttl=64) / ICMP(type=3, code=14) / Raw(inner4())
    add("o-error-host-precedence-dropped", "4.2", "rfc7915", lan(p), nothing)
    for mtu4, total, exp, nm in ((1400, None, 1420, "1400"), (1000, None, 1280, "1000-raised-to-1280"),
                                 (0, 1400, 1280, "0-plateau"), (1500, None, WAN, "1500-bounded-by-next-hop")):
        p = IP(src=C4, dst=R4, ttl=64) / ICMP(type=3, code=4, nexthopmtu=mtu4) / Raw(inner4(total))
        add(f"o-fragmentation-needed-{nm}", "4.2 6", "rfc7915", lan(p), err46(2, 0, exp, inner4(total)))
    p = IP(src=C4, dst=R4, ttl=64) / ICMP(type=11, code=0) / Raw(inner4())
    add("o-error-time-exceeded", "4.2", "rfc7915", lan(p), err46(3, 0, 0))
    p = IP(src=C4, dst=R4, ttl=64) / ICMP(type=11, code=1) / Raw(inner4())
    add("o-error-reassembly-time-exceeded", "4.2", "rfc7915", lan(p), err46(3, 1, 0))
    for ptr4, ptr6 in ((8, 7), (12, 8), (9, 6)):
        p = IP(src=C4, dst=R4, ttl=64) / ICMP(type=12, code=0, ptr=ptr4) / Raw(inner4())
        add(f"o-parameter-problem-pointer-{ptr4}", "4.2 fig. 3", "rfc7915", lan(p), err46(4, 0, ptr6))
    p = IP(src=C4, dst=R4, ttl=64) / ICMP(type=12, code=0, ptr=4) / Raw(inner4())
    add("o-parameter-problem-pointer-4-dropped", "4.2 fig. 3", "rfc7915", lan(p), nothing)
    p = IP(src=C4, dst=R4, ttl=64) / ICMP(type=12, code=1) / Raw(inner4())
    add("o-parameter-problem-missing-option-dropped", "4.2", "rfc7915", lan(p), nothing)

    # MAP checks (RFC 7597/7599), with the RFC 7915 §4.4 error for the discarded packet
    p = IP(src=C4, dst=R4, ttl=64, id=0x10e) / Raw(b"\x00\x00\x08\x00" + data(20))
    p[IP].proto = 47
    add("o-gre-on-shared-address", "RFC 7597 5.1, 4.4", "map", lan(p), error_to_sender(3, 13, raw(p)))
    p = IP(src=C4, dst=R4, ttl=64, id=0x10f) / UDP(sport=Q, dport=7000) / Raw(data(20))
    add("o-source-port-outside-set", "RFC 7597 5.1, 4.4", "map", lan(p), error_to_sender(3, 13, raw(p)))
    p = IP(src=C4, dst=R4, ttl=64, id=0x110) / ICMP(type=8, id=Q, seq=1) / Raw(data(16))
    add("o-echo-id-outside-set", "RFC 7597 5.1, 4.4", "map", lan(p), error_to_sender(3, 13, raw(p)))
    p = IP(src=C4, dst=R4, ttl=64) / ICMP(type=3, code=3) / Raw(raw(IP(src=R4, dst="198.51.100.99", ttl=30) / UDP(sport=53, dport=P) / Raw(data(8))))
    add("o-error-about-another-host-dropped", "4.3", "map", lan(p), nothing)
    ic = raw(ICMP(type=8, id=P, seq=9) / Raw(data(40)))
    p1 = IP(src=C4, dst=R4, ttl=64, id=0x5555, flags="MF", proto=1) / Raw(ic[:24])
    p2 = IP(src=C4, dst=R4, ttl=64, id=0x5555, frag=3, proto=1) / Raw(ic[24:])
    add("o-fragmented-echo", "1.2 4.4", "rfc7915", lan(p1) + lan(p2), error_to_sender(3, 13, raw(p1)))

    # ================================================================ IPv6 -> IPv4 (§5)
    def v6udp(dport=P, n=64, hop=64, tc=0, fl=0, chk=None, src=R6):
        u = UDP(sport=53, dport=dport)
        if chk is not None:
            u.chksum = chk
        return IPv6(src=src, dst=M6, hlim=hop, tc=tc, fl=fl) / u / Raw(data(n))

    p = v6udp()
    add("i-udp", "5.1", "rfc7915", wan(p), judge64(raw(p)))
    p = v6udp(tc=0xb8, fl=0x12345)
    add("i-udp-traffic-class-flow-label", "5.1", "rfc7915", wan(p), judge64(raw(p)))
    p = IPv6(src=R6, dst=M6, hlim=64) / TCP(sport=443, dport=P + 1, flags="A", seq=1, ack=1) / Raw(data(200))
    add("i-tcp", "5.1 5.5", "rfc7915", wan(p), judge64(raw(p)))
    p = v6udp(n=1232)
    add("i-1260-bytes-df-clear", "5.1", "rfc7915", wan(p), judge64(raw(p)))
    p = v6udp(n=1233)
    add("i-1261-bytes-df-set", "5.1", "rfc7915", wan(p), judge64(raw(p)))
    pa, pb = v6udp(n=30), v6udp(n=31)

    def ids(j, out):
        j.eq("packets on lan", 2, len(out["lan"]))
        if len(out["lan"]) == 2:
            a, b = out["lan"]
            j.true("Identification from a generator: two packets, two values (§5.1)", a.id != b.id, f"{a.id:#x} {b.id:#x}")
    add("i-identification-generated", "5.1", "rfc7915", wan(pa) + wan(pb), ids)
    p = v6udp(hop=2)
    add("i-hop-limit-2-leaves-with-ttl-1", "5.1", "rfc7915", wan(p), judge64(raw(p)))
    p = v6udp(hop=1)

    def hop_expired(j, out):
        got = only(j, out, "wan", 1)
        if not got:
            return
        icmp_message(j, got[0], "§5.1: Time Exceeded from the CE, a router", 3, 0, dst=R6)
    add("i-hop-limit-1-time-exceeded-from-the-ce", "5.1", "rfc7915", wan(p), hop_expired)

    w = raw(IPv6(src=R6, dst=M6) / UDP(sport=53, dport=P) / Raw(data(40)))[40:]
    q1 = IPv6(src=R6, dst=M6, hlim=64) / IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0xabcd1234) / Raw(w[:24])
    q2 = IPv6(src=R6, dst=M6, hlim=64) / IPv6ExtHdrFragment(nh=17, offset=3, m=0, id=0xabcd1234) / Raw(w[24:])

    def frags64(j, out):
        got = only(j, out, "lan", 2)
        if not got:
            return
        a, b = sorted(got, key=lambda x: x.offset)
        j.eq("identification = low 16 bits (§5.1.1)", (0x1234, 0x1234), (a.id, b.id))
        j.eq("MF and offsets (§5.1.1)", ((True, 0), (False, 3)), ((a.mf, a.offset), (b.mf, b.offset)))
        j.eq("DF clear (§5.1.1)", (False, False), (a.df, b.df))
        j.eq("total length without the Fragment header (§5.1.1)", (44, 44), (a.total, b.total))
        j.eq("protocol from the Fragment header", (17, 17), (a.proto, b.proto))
        j.true("header checksums", a.header_ok and b.header_ok)
        pl = a.payload + b.payload
        j.true("reassembled UDP checksum", csum(pseudo4(a.src, a.dst, 17, len(pl)) + pl) == 0xffff)
    add("i-fragments", "5.1.1", "rfc7915", wan(q1) + wan(q2), frags64)
    q2b = IPv6(src=R6, dst=M6, hlim=64) / IPv6ExtHdrFragment(nh=17, offset=3, m=0, id=0xabcd1299) / Raw(w[24:])
    q1b = IPv6(src=R6, dst=M6, hlim=64) / IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0xabcd1299) / Raw(w[:24])

    def last_first(j, out):
        j.eq("both fragments translated, in the order sent (no reassembly in a stateless translator)", 2, len(out["lan"]))
    add("i-fragments-last-first", "5.1.1", "rfc7915", wan(q2b) + wan(q1b), last_first)
    p = IPv6(src=R6, dst=M6, hlim=64) / IPv6ExtHdrFragment(nh=17, offset=0, m=0, id=0x5678) / UDP(sport=53, dport=P) / Raw(data(20))

    def atomic(j, out):
        got = only(j, out, "lan", 1)
        if got:
            v4 = got[0]
            j.eq("id, DF, MF, offset (§5.1.1)", (0x5678, False, False, 0), (v4.id, v4.df, v4.mf, v4.offset))
            j.eq("total length", 20 + 8 + 20, v4.total)
            j.true("UDP checksum", v4.l4_ok())
    add("i-atomic-fragment", "5.1.1", "rfc7915", wan(p), atomic)
    p = IPv6(src=R6, dst=M6, hlim=64) / IPv6ExtHdrHopByHop() / UDP(sport=53, dport=P) / Raw(data(20))
    add("i-hop-by-hop-ignored", "5.1", "rfc7915", wan(p), judge64(raw(p), proto=17))
    p = IPv6(src=R6, dst=M6, hlim=64) / IPv6ExtHdrDestOpt() / UDP(sport=53, dport=P) / Raw(data(20))
    add("i-destination-options-ignored", "5.1", "rfc7915", wan(p), judge64(raw(p), proto=17))
    p = IPv6(src=R6, dst=M6, hlim=64) / IPv6ExtHdrRouting(type=0, segleft=0, addresses=[R6]) / UDP(sport=53, dport=P) / Raw(data(20))
    add("i-routing-header-segments-left-0", "5.1", "rfc7915", wan(p), judge64(raw(p), proto=17))
    p = IPv6(src=R6, dst=M6, hlim=64) / IPv6ExtHdrRouting(type=0, segleft=1, addresses=[R6]) / UDP(sport=53, dport=P, chksum=0x1234) / Raw(data(20))
    add("i-routing-header-segments-left-1", "5.1", "rfc7915", wan(p), error_to_sender(4, 0, raw(p), rest=43))
    p = v6udp(chk=0)

    def no_lan(j, out):
        j.eq("packets on lan", 0, len(out["lan"]))
    add("i-udp-zero-checksum-dropped", "5.1 (RFC 8200 8.1)", "rfc7915", wan(p), no_lan)
    p = IPv6(src=R6, dst=M6, hlim=64) / ICMPv6Unknown(type=128, code=0) / Raw(struct.pack("!HH", 7777, 3) + data(40))

    add("i-echo-request", "5.2", "rfc7915", wan(p), echo(8, raw(p), "§5.2"))
    p = IPv6(src=R6, dst=M6, hlim=64) / ICMPv6Unknown(type=129, code=0) / Raw(struct.pack("!HH", P, 3) + data(40))
    add("i-echo-reply", "5.2", "rfc7915", wan(p), echo(0, raw(p), "§5.2"))
    for t, nm in ((200, "unknown-informational"), (130, "mld-query"), (135, "neighbor-solicitation"), (137, "redirect")):
        p = IPv6(src=R6, dst=M6, hlim=255 if t in (135, 137) else 64) / ICMPv6Unknown(type=t, code=0) / Raw(data(20))
        add(f"i-icmpv6-{nm}-dropped", "5.2", "rfc7915", wan(p), no_lan)

    def inner6(fragment=False):
        i = IPv6(src=M6, dst=R6, hlim=30)
        if fragment:
            i = i / IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x11112222)
        return raw(i / UDP(sport=P, dport=53) / Raw(data(24)))

    def err64(type4, code4, rest4, inner=None, src=R4):
        inner = inner or inner6()
        fragment = V6(inner).frag is not None

        def f(j, out):
            got = only(j, out, "lan", 1)
            if not got:
                return
            v4 = got[0]
            e = v4.payload
            icmp_message(j, v4, "§5.2", type4, code4, rest=rest4, src=src, dst=C4)
            j.true("outer header checksum", v4.header_ok)
            j.eq("TTL = hop limit - 1", 63, v4.ttl)
            iv = V4(e[8:] + bytes(max(0, 28 - len(e[8:]))))
            j.eq("inner source (§5.3)", C4, n4(iv.src))
            j.eq("inner destination (§5.3)", R4, n4(iv.dst))
            j.eq("inner protocol", 17, iv.proto)
            j.eq("inner TTL = inner hop limit", 30, iv.ttl)
            j.true("inner header checksum (§5.3)", iv.header_ok)
            if fragment:
                j.eq("inner id = low 16 bits, MF (§5.3)", (0x2222, True), (iv.id, iv.mf))
            q = e[28:]
            j.eq("inner total length", 20 + len(q), iv.total)
            j.true("inner UDP checksum for IPv4 (§5.3)", csum(pseudo4(iv.src, iv.dst, 17, len(q)) + q) == 0xffff)
        return f

    def v6err(t, c, rest=0, inner=None, src=R6):
        return IPv6(src=src, dst=M6, hlim=64) / ICMPv6Unknown(type=t, code=c) / Raw(struct.pack("!I", rest) + (inner or inner6()))

    for c6, t4, c4, nm in ((0, 3, 1, "no-route"), (1, 3, 10, "prohibited"), (2, 3, 1, "beyond-scope"),
                           (3, 3, 1, "address-unreachable"), (4, 3, 3, "port-unreachable")):
        add(f"i-error-unreachable-{nm}", "5.2", "rfc7915", wan(v6err(1, c6)), err64(t4, c4, 0))
    add("i-error-unreachable-code-5-dropped", "5.2", "rfc7915", wan(v6err(1, 5)), no_lan)
    for mtu6, frag, exp, nm in ((1400, False, 1380, "1400"), (2000, False, WAN - 20, "2000-bounded-by-next-hop"),
                                (1400, True, 1372, "1400-fragment-header")):
        add(f"i-packet-too-big-{nm}", "5.2", "rfc7915", wan(v6err(2, 0, mtu6, inner6(frag))), err64(3, 4, exp, inner6(frag)))
    add("i-error-time-exceeded", "5.2", "rfc7915", wan(v6err(3, 0)), err64(11, 0, 0))
    add("i-error-reassembly-time-exceeded", "5.2", "rfc7915", wan(v6err(3, 1)), err64(11, 1, 0))
    for ptr6, ptr4 in ((7, 8), (24, 16), (6, 9)):
        add(f"i-parameter-problem-pointer-{ptr6}", "5.2 fig. 6", "rfc7915", wan(v6err(4, 0, ptr6)), err64(12, 0, ptr4 << 24))
    add("i-parameter-problem-pointer-2-dropped", "5.2 fig. 6", "rfc7915", wan(v6err(4, 0, 2)), no_lan)
    add("i-parameter-problem-next-header", "5.2", "rfc7915", wan(v6err(4, 1, 40)), err64(3, 2, 0))
    add("i-parameter-problem-option-dropped", "5.2", "rfc7915", wan(v6err(4, 2, 40)), no_lan)
    add("i-error-from-ipv6-only-router", "5.2 (RFC 6791, RFC 7600 4.8)", "rfc7915",
        wan(v6err(3, 0, src=args.wan_ip6)), err64(11, 0, 0, src="192.0.0.8"))
    other = IPv6(src="2001:db8:12:3400:0:c000:212:35", dst=R6, hlim=30) / UDP(sport=1300, dport=53) / Raw(data(8))
    add("i-error-about-another-ce-dropped", "5.3", "map", wan(v6err(1, 4, inner=raw(other))), no_lan)

    # MAP checks with the RFC 7915 §5.4 error
    p = v6udp(dport=Q)
    add("i-destination-port-outside-set", "RFC 7597 8.2, 5.4", "map", wan(p), error_to_sender(1, 1, raw(p)))
    p = v6udp(src="2001:db8:eeee::1")
    add("i-source-not-mappable", "RFC 7599 5.1, 5.4", "map", wan(p), error_to_sender(1, 1, raw(p)))
    p = IPv6(src=R6, dst=M6, hlim=64, nh=47) / Raw(b"\x00\x00\x08\x00" + data(20))
    add("i-gre-on-shared-address", "RFC 7597 5.1, 5.4", "map", wan(p), error_to_sender(1, 1, raw(p)))
    body = bytearray(struct.pack("!BBHHH", 128, 0, 0, 1, 1) + data(40))
    body[2:4] = struct.pack("!H", 0xffff ^ csum(pseudo6(a6(R6), a6(M6), 58, len(body)) + bytes(body)))
    r1 = IPv6(src=R6, dst=M6, hlim=64) / IPv6ExtHdrFragment(nh=58, offset=0, m=1, id=0x7777) / Raw(bytes(body[:24]))
    r2 = IPv6(src=R6, dst=M6, hlim=64) / IPv6ExtHdrFragment(nh=58, offset=3, m=0, id=0x7777) / Raw(bytes(body[24:]))
    add("i-fragmented-echo", "1.2 5.4", "rfc7915", wan(r1) + wan(r2), error_to_sender(1, 1, raw(r1)))
    wq = raw(IPv6(src=R6, dst=M6) / UDP(sport=53, dport=Q) / Raw(data(40)))[40:]
    s1 = IPv6(src=R6, dst=M6, hlim=64) / IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x8888) / Raw(wq[:24])
    s2 = IPv6(src=R6, dst=M6, hlim=64) / IPv6ExtHdrFragment(nh=17, offset=3, m=0, id=0x8888) / Raw(wq[24:])
    add("i-fragments-port-outside-set", "RFC 7597 8.3.3", "map", wan(s1) + wan(s2), no_lan)
    return cases


# ---------------------------------------------------------------- running


class Wire:
    """One wire of the CE as the harness holds it: a socket to send on, one to sniff, and the
    interface's MAC, all opened in the wire's network namespace (the harness's own if none):
    a packet socket stays bound to the namespace it was made in."""

    def __init__(self, iface, netns):
        def open_():
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                info = fcntl.ioctl(s.fileno(), 0x8927, struct.pack("256s", iface.encode()))  # SIOCGIFHWADDR
            self.mac = ":".join(f"{b:02x}" for b in info[18:24])
            self.send = conf.L2socket(iface=iface)
            self.listen = conf.L2socket(iface=iface)
        if netns:
            libc = ctypes.CDLL(None, use_errno=True)
            here = os.open("/proc/self/ns/net", os.O_RDONLY)
            there = os.open(f"/run/netns/{netns}", os.O_RDONLY)
            if libc.setns(there, 0x40000000) != 0:  # CLONE_NEWNET
                raise OSError(ctypes.get_errno(), f"setns {netns}")
            try:
                open_()
            finally:
                libc.setns(here, 0x40000000)
                os.close(here)
                os.close(there)
        else:
            open_()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lan-if", required=True, help="the tester's interface on the CE's LAN link")
    ap.add_argument("--wan-if", required=True, help="the tester's interface on the CE's WAN link")
    ap.add_argument("--lan-netns", help="the namespace --lan-if is in, if not the harness's")
    ap.add_argument("--wan-netns", help="the namespace --wan-if is in, if not the harness's")
    ap.add_argument("--ce-lan-mac", required=True)
    ap.add_argument("--ce-wan-mac", required=True)
    ap.add_argument("--ce-ipv4", default="192.0.2.18", help="the CE's MAP IPv4 address")
    ap.add_argument("--map-ipv6", default="2001:db8:12:3400:0:c000:212:34", help="the CE's MAP IPv6 address")
    ap.add_argument("--dmr", default="2001:db8:ffff::/96")
    ap.add_argument("--remote4", default="198.51.100.66", help="an IPv4 host beyond the BR")
    ap.add_argument("--port-in", type=int, default=1232, help="a port (and echo id) of the CE's port set; +1 too")
    ap.add_argument("--port-out", type=int, default=1300, help="a port outside it")
    ap.add_argument("--wan-ip6", default="2001:db8:1::1", help="the tester's address on the WAN (an IPv6-only router)")
    ap.add_argument("--wan-mtu", type=int, default=1500)
    ap.add_argument("--tun-pcap", help="a capture of the CE's translator device written during the run (tcpdump -U -w)")
    ap.add_argument("--only", help="run the cases whose name starts with this")
    ap.add_argument("--settle", type=float, default=0.0,
                    help="wait at least this long (s) after each case's last packet (an emulated CE answers later)")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--label", default="translator", help="the name in the score line")
    ap.add_argument("--verbose", action="store_true", help="print what each case got")
    args = ap.parse_args()

    wires = {"lan": Wire(args.lan_if, args.lan_netns), "wan": Wire(args.wan_if, args.wan_netns)}
    args.lan_mac, args.wan_mac = wires["lan"].mac, wires["wan"].mac
    cases = build(args)
    if args.only:
        cases = [c for c in cases if c.name.startswith(args.only)]

    def from_ce(mac):
        return lambda p: Ether in p and p[Ether].src.lower() == mac.lower() and p[Ether].type in (0x0800, 0x86dd)
    sniff_lan = AsyncSniffer(opened_socket=wires["lan"].listen, lfilter=from_ce(args.ce_lan_mac), store=True)
    sniff_wan = AsyncSniffer(opened_socket=wires["wan"].listen, lfilter=from_ce(args.ce_wan_mac), store=True)
    sniff_lan.start()
    sniff_wan.start()
    time.sleep(0.5)

    windows = []
    for c in cases:
        t0 = time.time()
        for side, frame in c.send:
            sendp(frame, socket=wires[side].send)
            time.sleep(0.01)
        time.sleep(max(c.settle, args.settle))
        windows.append((t0, time.time()))
    time.sleep(0.3)
    lan_pk = sniff_lan.stop() or []
    wan_pk = sniff_wan.stop() or []
    tun_pk = []
    if args.tun_pcap:
        try:
            tun_pk = rdpcap(args.tun_pcap)
        except Exception as e:  # a missing capture only costs the diagnostics
            print(f"tun capture unreadable: {e}", file=sys.stderr)

    def noise6(b):
        # the CE's own neighbour discovery, MLD and router solicitations are not outputs
        v = V6(b)
        return v.dst[0] == 0xff or (v.upper == 58 and v.payload and v.payload[0] in (133, 134, 135, 136, 143))

    results = []
    score = {"rfc7915": [0, 0], "map": [0, 0]}
    checks = [0, 0]
    for c, (t0, t1) in zip(cases, windows):
        out = {"lan": [], "wan": []}
        for side, pks in (("lan", lan_pk), ("wan", wan_pk)):
            for p in pks:
                if not (t0 <= float(p.time) <= t1):
                    continue
                b = raw(p[Ether].payload)
                if p[Ether].type == 0x0800 and side == "lan":
                    out[side].append(V4(b))
                elif p[Ether].type == 0x86dd and side == "wan" and not noise6(b):
                    out[side].append(V6(b))
        j = Judge()
        try:
            c.judge(j, out)
        except Exception as e:  # a judge tripping over an odd output is a failed case, not a crash
            j.errors.append(f"judge: {type(e).__name__}: {e}")
        ok = not j.errors
        checks[0] += j.checks - len(j.errors)
        checks[1] += j.checks
        tag = "rfc7915" if c.tag == "rfc7915" else "map"
        score[tag][1] += 1
        score[tag][0] += ok
        tun = [p.summary() for p in tun_pk if t0 <= float(p.time) <= t1]
        results.append({"name": c.name, "section": c.section, "tag": c.tag, "pass": ok, "errors": j.errors,
                        "lan": len(out["lan"]), "wan": len(out["wan"]), "tun": tun})
        print(f"{'PASS' if ok else 'FAIL'} {c.name} [{c.section}]" + ("" if ok else ": " + "; ".join(j.errors)))
        if args.verbose:
            for p in out["lan"]:
                print(f"    lan: {n4(p.src)} > {n4(p.dst)} proto {p.proto} ttl {p.ttl} len {p.total} id {p.id:#x} df {int(p.df)}")
            for p in out["wan"]:
                print(f"    wan: {n6(p.src)} > {n6(p.dst)} nh {p.upper} hop {p.hop} plen {p.plen} frag {p.frag}")
            for s in tun:
                print(f"    tun: {s}")
    total = sum(v[0] for v in score.values()), sum(v[1] for v in score.values())
    line = (f"score {args.label}: {total[0]}/{total[1]} (rfc7915 {score['rfc7915'][0]}/{score['rfc7915'][1]}, "
            f"map {score['map'][0]}/{score['map'][1]}; checks {checks[0]}/{checks[1]})")
    print(line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"label": args.label, "score": line, "cases": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
