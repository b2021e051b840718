#!/usr/bin/env bash
# The RFC 7915 corpus lab: a CE namespace with a LAN and a WAN link, both wires held by one
# tester namespace that runs tests/Translator/corpus/rfc7915_corpus.py (scapy). Conntrack is
# off in the CE (raw NOTRACK), so the SNAT rewrites no crafted port and the MAP checks see the
# ports as sent; the tester puts IPv6 directly on the WAN link, so hop limits arrive as crafted.
#
#   lab.sh mapt=/path/to/mapt [harness args]   mapt run --translator tun with a static rule
#   lab.sh tayga [harness args]                tayga as the CE's translator (same device, routes)
#
# The CE: 192.0.2.18, PSID 0x34/8 at offset 6 (RFC 7599 Appendix A), MAP address
# 2001:db8:12:3400:0:c000:212:34, DMR 2001:db8:ffff::/96, WAN MTU 1500, translator device mapt0
# (MTU 1480). The harness output ends with "score LABEL: N/M (...)". Namespaces, processes and
# files are removed on exit, whatever happened.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 mapt=BINARY|tayga [harness args]" >&2; exit 2; }
kind=$1; shift
ce=corpus-ce-$$
tester=corpus-t-$$
dir=$(mktemp -d /tmp/mapt-corpus.XXXXXX)
pids=()
map6=2001:db8:12:3400:0:c000:212:34

cleanup() {
  set +e
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
  done
  for ns in "$ce" "$tester"; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
  rm -rf "$dir"
}
trap cleanup EXIT

ip netns add "$ce"
ip netns add "$tester"
inc() { ip netns exec "$ce" "$@"; }
int() { ip netns exec "$tester" "$@"; }
inc ip link set lo up
int ip link set lo up
inc sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
int sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
ip link add lan0 netns "$ce" type veth peer name lan netns "$tester"
ip link add wan0 netns "$ce" type veth peer name wan netns "$tester"

# The tester is a plain host on both links: it forwards nothing and answers nothing it is not
# addressed by, so every packet judged comes from the CE.
int ip addr add 198.51.100.2/29 dev lan
int ip -6 addr add 2001:db8:1::1/64 dev wan nodad
int ip link set lan up
int ip link set wan up
int sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0

inc ip addr add 198.51.100.1/29 dev lan0
inc ip -6 addr add 2001:db8:1::2/64 dev wan0 nodad
inc ip link set lan0 up
inc ip link set wan0 up
inc ip -6 route add default via 2001:db8:1::1
# Translated packets for the CE's IPv4 address go to the tester (no conntrack to undo a SNAT).
inc ip route add 192.0.2.18/32 via 198.51.100.2
# No ICMP rate limit in the kernel: each case's error must come, whatever came before.
inc sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
for t in iptables ip6tables; do
  inc "$t" -t raw -A PREROUTING -j NOTRACK
  inc "$t" -t raw -A OUTPUT -j NOTRACK
done

case "$kind" in
  mapt=*)
    bin=${kind#mapt=}
    label=${LABEL:-mapt}
    mkdir -p "$dir/flash" "$dir/run"
    printf 'static-rule = 2001:db8::/40,192.0.2.0/24,16,offset=6\nstatic-prefix = 2001:db8:12:3400::/56\nstatic-dmr = 2001:db8:ffff::/96\n' > "$dir/static.conf"
    inc "$bin" run --wan wan0 --map-dev mapt0 --translator tun --config "$dir/static.conf" \
      --flash-dir "$dir/flash" --run-dir "$dir/run" > "$dir/mapt.log" 2>&1 &
    pids+=($!)
    up=0
    for _ in $(seq 200); do
      if inc "$bin" status --run-dir "$dir/run" 2>/dev/null | grep -q "_State Up"; then up=1; break; fi
      sleep 0.1
    done
    [ $up = 1 ] || { echo "mapt did not come Up:" >&2; cat "$dir/mapt.log" >&2; exit 1; }
    ;;
  tayga)
    label=${LABEL:-tayga}
    inc sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
    printf 'tun-device mapt0\nipv4-addr 198.51.100.254\nipv6-addr 2001:db8:1:64::1\nprefix 2001:db8:ffff::/96\nmap 192.0.2.18 %s\ndata-dir %s\n' "$map6" "$dir" > "$dir/tayga.conf"
    inc tayga -c "$dir/tayga.conf" --mktun >/dev/null
    inc tayga -c "$dir/tayga.conf" -d > "$dir/tayga.log" 2>&1 &
    pids+=($!)
    inc ip link set mapt0 up mtu 1480
    inc ip route add default dev mapt0
    inc ip -6 route add "$map6/128" dev mapt0
    ;;
  *) echo "unknown CE $kind" >&2; exit 2 ;;
esac

inc ping -c1 -W1 198.51.100.2 >/dev/null || true
inc ping -6 -c1 -W1 2001:db8:1::1 >/dev/null || true
inc tcpdump -i mapt0 -n -U -w "$dir/tun.pcap" >/dev/null 2>&1 &
pids+=($!)
sleep 0.5
int /usr/bin/python3 "$here/rfc7915_corpus.py" --lan-if lan --wan-if wan \
  --ce-lan-mac "$(inc cat /sys/class/net/lan0/address)" --ce-wan-mac "$(inc cat /sys/class/net/wan0/address)" \
  --tun-pcap "$dir/tun.pcap" --label "$label" "$@"
