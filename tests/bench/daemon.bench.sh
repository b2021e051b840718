#!/usr/bin/env bash
# Daemon benchmarks (contract: tests/bench/run.sh), on the published x64 binary in the lab of
# tests/lab/demo.sh (Kea on the ISP side, --translator none with a veth stand-in):
#   - Reply received -> Up: from mapt's "lease acquired" log line to its "-> Up" line, beside a
#     shell script applying the same state (iptables-restore of the same rules, ip route, sysctl);
#   - link down -> teardown complete: from `ip link set isp0 down` to mapt's "TearingDown ->"
#     line, beside the same teardown done by a shell script;
#   - SIGKILL -> restarted and Up taking the configuration over, beside the same restart without
#     the stored lease (what mapt 0.1 did: journal undone, conntrack flushed, Solicit, Up);
#   - TCP connections through MAP-T alive after 10 SIGKILL restarts, beside the same without the
#     stored lease;
#   - reboot (kernel state gone, run directory empty, flash kept) -> Up, beside a cold start;
#   - steady-state RSS and wake-ups per minute when idle (context switches of all threads over
#     30 s with a 1000 s T1), beside kea-dhcp6 idle in the same run.
set -euo pipefail
root=$1
mapt=$root/out/test/linux-x64/mapt  # the test build: MAPT_DHCP_NO_DELAY below
tag="mapt-bench-$$"
isp=$tag-isp gw=$tag-gw inet=$tag-inet
work=$(mktemp -d /tmp/mapt-bench.XXXXXX)
pid=""
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  for ns in $isp $gw $inet; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
ns() { local n=$1; shift; ip netns exec "$n" "$@"; }
ms() { date -d "$1" +%s%3N; }                 # ISO timestamp of a log line -> epoch ms
now() { date +%s%3N; }
logline() { grep -m1 "$1" "$work/mapt.log" | cut -d' ' -f1; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for n in $isp $gw $inet; do ip netns add $n; ns $n ip link set lo up; ns $n sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0; done
ip link add isp0 netns $isp type veth peer name wan0 netns $gw
ip link add map0 netns $gw type veth peer name map-peer netns $inet
ns $isp sh -c "sysctl -qw net.ipv6.conf.isp0.keep_addr_on_down=1; ip link set isp0 address 02:00:00:00:00:01; ip addr add fe80::1/64 dev isp0; ip addr add 2001:db8:1::1/64 dev isp0; ip link set isp0 up"
ns $gw sh -c "ip link set wan0 up; ip -6 route add default via fe80::1 dev wan0; ip link set map0 arp off"
ns $inet ip link set map-peer up
mkdir -p "$work/kea" "$work/flash" "$work/run"
cat >"$work/kea/kea.json" <<KEA
{"Dhcp6": {
 "interfaces-config": {"interfaces": ["isp0"]},
 "lease-database": {"type": "memfile", "persist": false},
 "server-id": {"type": "EN", "enterprise-id": 2495, "identifier": "0102030405060708", "persist": false},
 "renew-timer": 1000, "rebind-timer": 2000, "preferred-lifetime": 3000, "valid-lifetime": 4000,
 "option-data": [
  {"name": "s46-cont-mapt"},
  {"space": "s46-cont-mapt-options", "name": "s46-rule", "data": "0, 16, 24, 192.0.2.0, 2001:db8::/40"},
  {"space": "s46-rule-options", "name": "s46-portparams", "data": "6, 52/8"},
  {"space": "s46-cont-mapt-options", "name": "s46-dmr", "data": "2001:db8:ffff::/64"}],
 "subnet6": [{"subnet": "2001:db8:1::/64", "interface": "isp0", "id": 1,
   "pd-pools": [{"prefix": "2001:db8:12:3400::", "prefix-len": 56, "delegated-len": 56}]}],
 "loggers": [{"name": "kea-dhcp6", "output_options": [{"output": "$work/kea/kea.log"}], "severity": "WARN"}]
}}
KEA
ip netns exec $isp env KEA_PIDFILE_DIR="$work/kea" KEA_LOCKFILE_DIR="$work/kea" kea-dhcp6 -c "$work/kea/kea.json" >/dev/null 2>&1 &
kea=$!
sleep 0.5

start() { : >"$work/mapt.log"; ip netns exec $gw env MAPT_DHCP_NO_DELAY=1 "$mapt" run --wan wan0 --map-dev map0 --translator none --flash-dir "$work/flash" --run-dir "$work/run" >>"$work/mapt.log" 2>&1 & pid=$!; }
wait_log() { for _ in $(seq 1000); do grep -q "$1" "$work/mapt.log" && return 0; sleep 0.02; done; echo "bench: '$1' not logged" >&2; cat "$work/mapt.log" >&2; return 1; }
stop() { kill -TERM $pid; wait $pid || true; pid=""; }
# When Up was reached: the timestamp of mapt's own "-> Up" line (the state file is written in the
# same turn), not when the 20-ms poll above noticed it.
upline() { ms "$(logline ' -> Up: ')"; }

rounds=5
reply_up=() flap=() flap_event=() recover=() recover_old=() cold=() base_up=() base_down=() reboot=()
for i in $(seq $rounds); do
  t0=$(now); start; wait_log " -> Up: MAP-T configured"; cold+=($(( $(upline) - t0 )))
  reply_up+=($(( $(ms "$(logline 'lease acquired')") - 0 )))
  reply_up[-1]=$(( $(ms "$(logline 'Provisioning -> Up')") - reply_up[-1] ))
  # The same state as a shell script would make it: saved rules back in, routes, sysctls.
  ns $gw iptables-save >"$work/v4"; ns $gw ip6tables-save >"$work/v6"
  # link down -> teardown complete
  : >"$work/mapt.log"; t0=$(now); ns $isp ip link set isp0 down; wait_log "TearingDown -> WaitingForLink"
  flap+=($(( $(ms "$(logline 'TearingDown -> WaitingForLink')") - t0 )))
  flap_event+=($(( $(ms "$(logline 'TearingDown -> WaitingForLink')") - $(ms "$(logline 'Up -> TearingDown')") )))
  ns $isp ip link set isp0 up; wait_log " -> Up: MAP-T configured"
  # SIGKILL -> restarted and Up, taking the configuration over
  kill -9 $pid; wait $pid 2>/dev/null || true
  t0=$(now); start; wait_log " -> Up: "; recover+=($(( $(upline) - t0 )))
  # The same without the stored lease: the journal is undone and the lease solicited (mapt 0.1)
  kill -9 $pid; wait $pid 2>/dev/null || true
  rm -f "$work/flash/dhcpv6.lease"
  t0=$(now); start; wait_log " -> Up: MAP-T configured"; recover_old+=($(( $(upline) - t0 )))
  # A reboot: the kernel state gone (mapt teardown), the run directory empty, the flash kept
  kill -9 $pid; wait $pid 2>/dev/null || true
  ns $gw "$mapt" teardown --flash-dir "$work/flash" --run-dir "$work/run" >/dev/null
  rm -rf "$work/run"; mkdir -p "$work/run"
  t0=$(now); start; wait_log " -> Up: MAP-T configured"; reboot+=($(( $(upline) - t0 )))
  stop
  # Baseline: a shell applying, then removing, the same state.
  t0=$(now)
  ns $gw sh -c "iptables-restore --noflush <'$work/v4'; ip6tables-restore --noflush <'$work/v6'; ip link set map0 mtu 1480 up; sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1; ip route replace default dev map0 mtu 1480; ip -6 route replace 2001:db8:12:3400:0:c000:212:34/128 dev map0; ip -6 route replace 2001:db8:ffff::/64 via fe80::1 dev wan0"
  base_up+=($(( $(now) - t0 )))
  t0=$(now)
  ns $gw sh -c "ip -6 route del 2001:db8:ffff::/64 via fe80::1 dev wan0; ip -6 route del 2001:db8:12:3400:0:c000:212:34/128 dev map0; ip route del default dev map0; sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0; iptables -t nat -F; iptables -t mangle -F; iptables -F; ip6tables -F; for c in \$(iptables-save | sed -n 's/^:\\(MAPT_[A-Z_]*\\).*/\\1/p'); do for t in nat mangle filter; do iptables -t \$t -X \$c 2>/dev/null; done; done; for c in \$(ip6tables-save | sed -n 's/^:\\(MAPT_[A-Z_]*\\).*/\\1/p'); do ip6tables -X \$c 2>/dev/null; done; conntrack -D --reply-dst 192.0.2.18 >/dev/null 2>&1 || true"
  base_down+=($(( $(now) - t0 )))
done
m() { printf '%s\n' "$@" | median; }
ratio() { if [ "$2" = 0 ]; then echo "-"; else echo "scale=2; $1 / $2" | bc -l; fi; }
echo "| daemon | Reply received -> Up (ms, median of $rounds; target < 50) | $(m "${reply_up[@]}") | $(m "${base_up[@]}") (shell script applying the same state) | $(ratio "$(m "${reply_up[@]}")" "$(m "${base_up[@]}")") |"
echo "| daemon | link down -> teardown complete (ms, median of $rounds; target < 100) | $(m "${flap[@]}") | $(m "${base_down[@]}") (shell script removing the same state) | $(ratio "$(m "${flap[@]}")" "$(m "${base_down[@]}")") |"
echo "| daemon | link-down event received -> teardown complete (ms, median of $rounds) | $(m "${flap_event[@]}") | $(m "${base_down[@]}") (shell script removing the same state) | $(ratio "$(m "${flap_event[@]}")" "$(m "${base_down[@]}")") |"
echo "| daemon | SIGKILL -> restarted and Up, configuration taken over (ms, median of $rounds; target < 100) | $(m "${recover[@]}") | $(m "${recover_old[@]}") (the same restart without the stored lease: journal undone, conntrack flushed, Solicit; mapt 0.1) | $(ratio "$(m "${recover[@]}")" "$(m "${recover_old[@]}")") |"
echo "| daemon | reboot (kernel state and run directory gone, flash kept) -> Up (ms, median of $rounds) | $(m "${reboot[@]}") | $(m "${cold[@]}") (cold start to Up) | $(ratio "$(m "${reboot[@]}")" "$(m "${cold[@]}")") |"

# TCP connections through MAP-T across 10 SIGKILL restarts: 10 connections from the gateway's
# own stack to the inet side (SNATed like the LAN's), each sending a line every 100 ms.
cat >"$work/echo.py" <<'PY'
import socket, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('198.51.100.10', 7000)); s.listen(16)
def echo(c):
    while True:
        d = c.recv(256)
        if not d: return
        c.sendall(d)
while True:
    c, _ = s.accept(); threading.Thread(target=echo, args=(c,), daemon=True).start()
PY
cat >"$work/conns.py" <<'PY'
import socket, sys, time
conns = [socket.create_connection(('198.51.100.10', 7000), timeout=3) for _ in range(10)]
alive = [True] * 10
end = time.time() + float(sys.argv[1])
while time.time() < end:
    for i, c in enumerate(conns):
        if not alive[i]: continue
        try:
            c.sendall(b'x'); alive[i] = c.recv(1) == b'x'
        except Exception:
            alive[i] = False
    time.sleep(0.1)
print(sum(alive), flush=True)
PY
ns $gw ip addr add 198.51.100.129/32 dev lo
# Without ARP the kernel addresses frames to the sender's own MAC: both ends share it.
ns $inet sh -c "ip link set map-peer down; ip link set map-peer address $(ns $gw cat /sys/class/net/map0/address); ip link set map-peer arp off; ip link set map-peer up"
ns $inet ip addr add 198.51.100.10/25 dev map-peer 2>/dev/null || true
ns $inet ip route add 192.0.2.0/24 dev map-peer 2>/dev/null || true
ns $inet python3 "$work/echo.py" & echo_pid=$!
survive() { # $1: keep the stored lease (1) or not (0)
  start; wait_log " -> Up: MAP-T configured"; sleep 0.3
  ns $gw python3 "$work/conns.py" 40 >"$work/alive" & local conns=$!
  sleep 1
  for _ in $(seq 10); do
    kill -9 $pid; wait $pid 2>/dev/null || true
    [ "$1" = 1 ] || rm -f "$work/flash/dhcpv6.lease"
    : >"$work/mapt.log"; start; wait_log " -> Up: "; sleep 0.5
  done
  wait $conns; stop; cat "$work/alive"
}
alive_new=$(survive 1); alive_old=$(survive 0)
kill $echo_pid 2>/dev/null || true
echo "| daemon | TCP connections through MAP-T alive after 10 SIGKILL restarts (of 10; higher is better) | $alive_new | $alive_old (the same restarts without the stored lease: mapt 0.1's undo and conntrack flush) | $(ratio "$alive_new" "$alive_old") |"

# Idle: Up with T1 = 1000 s; count context switches of every thread over 30 s.
# Steady state: after the start-up timers (the first occupancy measure 5 s after start) have run.
start; wait_log " -> Up: MAP-T configured"; sleep 8
switches() { local total=0 f; for f in /proc/$1/task/*/status; do total=$(( total + $(awk '/^(voluntary|nonvoluntary)_ctxt_switches/ {s+=$2} END {print s}' "$f") )); done; echo $total; }
a=$(switches $pid); k=$(switches $kea); sleep 30; b=$(switches $pid); l=$(switches $kea)
rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status); krss=$(awk '/^VmRSS/ {print $2}' /proc/$kea/status)
echo "| daemon | load average while measuring (2 cores, shared with other test runs) | $(cut -d' ' -f1 /proc/loadavg) | | |"
echo "| daemon | steady-state RSS when Up (KB; target < 16384) | $rss | $krss (kea-dhcp6, idle) | $(ratio "$rss" "$krss") |"
echo "| daemon | wake-ups per minute when idle (context switches, all threads; target < 2) | $(( (b - a) * 2 )) | $(( (l - k) * 2 )) (kea-dhcp6, idle) | $(ratio $(( (b - a) * 2 )) $(( (l - k) * 2 ))) |"
stop
