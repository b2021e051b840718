# Sourced by provisioning.bench.sh and remap.bench.sh (not a bench itself): the SNAT churn lab.
# churn_lab_up: a LAN host, a gateway (iptables SNAT out of map-mapt, what the bench applies) and a
# sink standing where the translator and the internet are (198.51.100.18, 203.0.113.10 with
# a UDP echo on 5001), namespaces "$tag-lan", "$tag-gw", "$tag-sink" (the caller's cleanup
# removes them); "$work/flows.py GW_NS seq|churn LIVE CHURN" prints the flows opened in
# sequence before the first drop, or the % of new flows lost under churn (two decimals).
# Needs: $tag (the prefix of every namespace the bench makes). Sourcing makes $work (a temporary
# directory) and a trap on EXIT that kills what runs in the "$tag-" namespaces, removes them and
# $work. churn_lab_up sets: $lan, $gw, $sink.
work=$(mktemp -d)
cleanup() {
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$tag-" || true); do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
churn_lab_up() {
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
}
flush_state() { ip netns exec "$gw" conntrack -F >/dev/null 2>&1 || true; }
ratio() { if [ "$(echo "$2 == 0" | bc -l)" = 1 ]; then echo "-"; else printf '%.3f' "$(echo "$1 / $2" | bc -l)"; fi; }
