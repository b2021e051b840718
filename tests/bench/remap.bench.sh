#!/usr/bin/env bash
# The port remap (issue 15) beside the per-range SNAT, in the same run and with the same churn
# harness as provisioning.bench.sh (flows.py): UDP flows from a LAN host to ONE destination
# through a gateway namespace whose SNAT is mapt's plan, (a) `snat = ranges` (the round-robin
# tree over 63 ranges of 4 ports) and (b) `snat = remap` (one rule per protocol into the
# contiguous virtual range 772-1023); with 200 / 240 / 252 flows live, close a random one
# (its conntrack entry deleted) and open a new one, CHURN times; a new flow is lost when its
# first packet gets no echo. The sink stands where the translator is: the remap itself is
# stateless and 1:1 (tests/Translator/PortRemapTranslatorTests.cs), so what loses flows is
# the kernel's SNAT port choice, measured here. The ranges tree at 252 live loses nearly
# every new flow; it runs RR252_CHURN (default 20) closes with a budget, so the row ends.
# Usage: remap.bench.sh ROOT   (env: CHURN=2000, RR252_CHURN=200)
set -euo pipefail
root=$1
mapt=$root/out/linux-x64/mapt
churn=${CHURN:-2000}
rr252=${RR252_CHURN:-20}
tag="mapt-bremap-$$"
work=$(mktemp -d)
cleanup() {
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$tag-" || true); do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
rules=(--rule 2001:db8::/40,192.0.2.0/24,16 --prefix 2001:db8:12:3400::/56 --dmr 2001:db8:ffff::/64)
"$mapt" plan "${rules[@]}" --map-dev map-mapt --translator tun --only iptables > "$work/ranges.txt"
"$mapt" plan "${rules[@]}" --map-dev map-mapt --translator tun --snat remap --only iptables > "$work/remap.txt"
"$mapt" plan "${rules[@]}" --map-dev map-mapt --translator tun --only iptables --phase teardown > "$work/teardown.txt"

# --- SNAT spread under real flows --------------------------------------------------------
lan="$tag-lan" gw="$tag-gw" sink="$tag-sink"
for ns in "$lan" "$gw" "$sink"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip link add eth0 netns "$lan" type veth peer name lan0 netns "$gw"
ip link add map-mapt netns "$gw" type veth peer name eth0 netns "$sink"
ip -n "$lan" link set eth0 up; ip -n "$gw" link set lan0 up; ip -n "$gw" link set map-mapt up; ip -n "$sink" link set eth0 up
ip -n "$lan" addr add 198.51.100.2/28 dev eth0; ip -n "$lan" route add default via 198.51.100.1
ip -n "$gw" addr add 198.51.100.1/28 dev lan0; ip -n "$gw" addr add 198.51.100.17/30 dev map-mapt
ip -n "$gw" route add default via 198.51.100.18
ip netns exec "$gw" sysctl -qw net.ipv4.ip_forward=1
ip -n "$sink" addr add 198.51.100.18/30 dev eth0; ip -n "$sink" addr add 203.0.113.10/24 dev eth0
ip -n "$sink" route add 192.0.2.0/24 via 198.51.100.17 src 203.0.113.10

cat > "$work/echo.py" <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('203.0.113.10', 5001))
print('ready', flush=True)
while True:
    d, a = s.recvfrom(2048)
    s.sendto(d, a)
PY
cat > "$work/flows.py" <<'PY'
# flows.py GW_NS MODE(seq|churn) LIVE CHURN: UDP flows to ONE destination; prints one number.
import random, select, socket, subprocess, sys
gw, mode = sys.argv[1], sys.argv[2]
live_target, churn = int(sys.argv[3]), int(sys.argv[4])
dst = ('203.0.113.10', 5001)
random.seed(7)
def open_flow():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b'x', dst)
    r, _, _ = select.select([s], [], [], 0.1)
    if r:
        s.recv(64)
        return s
    s.close()
    return None
def close_flow(s):
    port = s.getsockname()[1]
    s.close()
    subprocess.run(['ip', 'netns', 'exec', gw, 'conntrack', '-D', '-p', 'udp', '--orig-port-src', str(port)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
flows = []
if mode == 'seq':
    while len(flows) < 300:
        s = open_flow()
        if s is None:
            break
        flows.append(s)
    print(len(flows))
    sys.exit(0)
attempts = 0
while len(flows) < live_target and attempts < 20 * live_target:
    attempts += 1
    s = open_flow()
    if s is not None:
        flows.append(s)
lost = opened = 0
for _ in range(churn):
    close_flow(flows.pop(random.randrange(len(flows))))
    while True:
        opened += 1
        s = open_flow()
        if s is not None:
            flows.append(s)
            break
        lost += 1
        if lost > 50 * churn:
            break
print('%.2f' % (100.0 * lost / opened))
PY
ip netns exec "$sink" python3 "$work/echo.py" > "$work/echo.out" 2>&1 &
disown
for _ in $(seq 50); do grep -q ready "$work/echo.out" 2>/dev/null && break; sleep 0.1; done
flush_state() { ip netns exec "$gw" conntrack -F >/dev/null 2>&1 || true; }

declare -A res
for mode in ranges remap; do
  ip netns exec "$gw" iptables-restore --noflush --wait < "$work/$mode.txt"
  ip netns exec "$lan" ping -c 1 -W 2 203.0.113.10 >/dev/null
  ip netns exec "$gw" sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3600 net.netfilter.nf_conntrack_udp_timeout_stream=3600
  for live in 200 240 252; do
    n=$churn
    [ "$mode" = ranges ] && [ "$live" = 252 ] && n=$rr252
    flush_state; res[$mode-$live]=$(ip netns exec "$lan" python3 "$work/flows.py" "$gw" churn "$live" "$n")
    echo "snat $mode: churn $live live, $n closes+opens: ${res[$mode-$live]}% lost" >&2
  done
  ip netns exec "$gw" iptables-restore --noflush --wait < "$work/teardown.txt"
done
ratio() { if [ "$(echo "$2 == 0" | bc -l)" = 1 ]; then echo "-"; else printf '%.3f' "$(echo "$1 / $2" | bc -l)"; fi; }
for live in 200 240 252; do
  n=$churn; [ "$live" = 252 ] && n="$churn ($rr252 for ranges)"
  echo "| provisioning | snat remap: new flows lost under churn at $live live of 252 ports, $n closes+opens (%; lower is better) | ${res[remap-$live]} | ${res[ranges-$live]} (snat ranges) | $(ratio "${res[remap-$live]}" "${res[ranges-$live]}") |"
done
