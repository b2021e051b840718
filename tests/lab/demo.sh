#!/usr/bin/env bash
# ./build.sh demo: mapt run for real against ISC Kea and radvd in network namespaces.
#
#   isp   Kea (prefix delegation + MAP-T rule RFC 7599 Example 1 + DMR) and radvd, on isp0
#    |    veth
#   gw    `mapt run --wan wan0 --map-dev map0 --translator none`; LAN 198.51.100.129/28 on lan0
#    |    veth map0 <-> map-peer: the stand-in for the nat46 device (the module cannot load
#   inet  here); 198.51.100.10 plays an IPv4 server behind the BR
#   lan   a host 198.51.100.130 behind the gateway
#
# Shows `mapt status`, drives flows from the LAN and shows their translated (SNATed) source
# ports inside the port set, flaps the WAN link, kills mapt with SIGKILL and restarts it (the
# configuration taken over, flows kept), stops it with SIGTERM (everything gone, Release seen by
# Kea). Then MAP-T for real: mapt's own translator (--translator tun) in gw, tayga as the BR in
# isp, an IPv4 server in web (203.0.113.10, behind the BR): an HTTP fetch from the LAN host,
# captured on both sides of the BR (IPv6 source = the CE's MAP address, IPv4 source = 192.0.2.18
# with a port inside the port set), then SIGTERM (the TUN device gone).
#
#   lan -- gw [mapt0: mapt's translator] -- isp [nat64: tayga, the BR] -- web 203.0.113.10 (HTTP)
#
# Last, MAP-T on the real datapath (tests/lab/firmware-demo.sh): the arm64 mapt with the real
# nat46 module in the lab firmware's VM, started by its init script, traffic through nat46
# and tayga, a reboot with the flash log.
#
# Ends with "VERDICT: PASS" or "VERDICT: FAIL: reason".
set -uo pipefail
mapt=${1:?usage: demo.sh PATH-TO-MAPT}
mapt=$(readlink -f "$mapt")
# mapt's vendor parameters carry its default TR-106 prefix (config key tr181-vendor-prefix).
x=X_MAPT-EXAMPLE_
tag="mapt-demo-$$"
isp=$tag-isp gw=$tag-gw lan=$tag-lan inet=$tag-inet web=$tag-web
work=$(mktemp -d /tmp/mapt-demo.XXXXXX)
flash=$work/flash run=$work/run
mapt_pid=""
failures=()

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { echo "FAILED: $*"; failures+=("$*"); }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

cleanup() {
  [ -n "$mapt_pid" ] && kill -9 "$mapt_pid" 2>/dev/null
  for ns in $isp $gw $lan $inet $web; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
  [ "${KEEP:-0}" = 1 ] && echo "work dir kept: $work" || rm -rf "$work"
}
trap cleanup EXIT

# Waits until "mapt status" shows STATE (max $2 s).
wait_state() {
  local want=$1 limit=${2:-20} i
  for ((i = 0; i < limit * 10; i++)); do
    if in_ns $gw "$mapt" status --run-dir "$run" 2>/dev/null | grep -qx "Device.MAP.${x}State $want"; then return 0; fi
    sleep 0.1
  done
  return 1
}

# start_mapt [ARGS]: the MAP device and the translator (default: the veth stand-in, none).
start_mapt() {
  local dev=(--map-dev map0 --translator none)
  [ $# -gt 0 ] && dev=("$@")
  # Not through in_ns (a function: $! would be a subshell, and kill -9 would miss mapt).
  ip netns exec $gw env MAPT_DHCP_NO_DELAY=1 "$mapt" run --wan wan0 "${dev[@]}" \
    --flash-dir "$flash" --run-dir "$run" >>"$work/mapt.log" 2>&1 &
  mapt_pid=$!
}

# The gateway's full state that mapt may change: what must be equal to a clean gateway.
snapshot() {
  {
    # Rules and user chains only: an empty built-in table that a restore merely loaded is not a change.
    echo "# iptables"; in_ns $gw iptables-save | grep -E '^(-A|:[^ ]+ - )' | sort
    echo "# ip6tables"; in_ns $gw ip6tables-save | grep -E '^(-A|:[^ ]+ - )' | sort
    echo "# routes"; in_ns $gw ip -4 route show table main; in_ns $gw ip -6 route show table main | grep -v -e '^fe80' -e 'proto ra' -e 'proto kernel' | sed 's/expires [0-9]*sec//'
    echo "# sysctl"; in_ns $gw sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding
    echo "# conntrack"; in_ns $gw conntrack -L 2>/dev/null | grep -c 192.0.2.18
  }
}

say "building the lab: namespaces isp, gw, lan, inet"
for ns in $isp $gw $lan $inet; do ip netns add "$ns"; in_ns "$ns" ip link set lo up; done
ip link add isp0 netns $isp type veth peer name wan0 netns $gw
ip link add lan0 netns $gw type veth peer name eth0 netns $lan
ip link add map0 netns $gw type veth peer name map-peer netns $inet
for ns in $isp $gw; do in_ns $ns sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0; done
in_ns $isp sysctl -qw net.ipv6.conf.isp0.accept_dad=0 net.ipv6.conf.all.forwarding=1
in_ns $gw sysctl -qw net.ipv6.conf.wan0.accept_dad=0 net.ipv6.conf.wan0.accept_ra=2
in_ns $isp ip addr add 2001:db8:1::1/64 dev isp0
in_ns $isp ip link set isp0 up
in_ns $gw ip link set wan0 up
in_ns $gw ip addr add 198.51.100.129/28 dev lan0; in_ns $gw ip link set lan0 up
in_ns $lan ip addr add 198.51.100.130/28 dev eth0; in_ns $lan ip link set eth0 up; in_ns $lan ip route add default via 198.51.100.129
# The stand-in translator: a point-to-point-like veth without ARP, as nat46's device is.
# Without ARP the kernel addresses frames to the sender's own MAC: both ends share it.
in_ns $gw ip link set map0 arp off
in_ns $inet ip link set map-peer address "$(in_ns $gw cat /sys/class/net/map0/address)"
in_ns $inet ip link set map-peer arp off; in_ns $inet ip link set map-peer up
in_ns $inet ip addr add 198.51.100.10/25 dev map-peer
in_ns $inet ip route add 192.0.2.0/24 dev map-peer

mkdir -p "$work/kea" "$flash" "$run"
cat >"$work/kea/kea.json" <<KEA
{"Dhcp6": {
 "interfaces-config": {"interfaces": ["isp0"]},
 "lease-database": {"type": "memfile", "persist": true, "name": "$work/kea/leases6.csv", "lfc-interval": 0},
 "server-id": {"type": "EN", "enterprise-id": 2495, "identifier": "0102030405060708", "persist": false},
 "renew-timer": 30, "rebind-timer": 45, "preferred-lifetime": 60, "valid-lifetime": 90,
 "option-data": [
  {"name": "s46-cont-mapt"},
  {"space": "s46-cont-mapt-options", "name": "s46-rule", "data": "0, 16, 24, 192.0.2.0, 2001:db8::/40"},
  {"space": "s46-rule-options", "name": "s46-portparams", "data": "6, 52/8"},
  {"space": "s46-cont-mapt-options", "name": "s46-dmr", "data": "2001:db8:ffff::/96"}],
 "subnet6": [{"subnet": "2001:db8:1::/64", "interface": "isp0", "id": 1,
   "pd-pools": [{"prefix": "2001:db8:12:3400::", "prefix-len": 56, "delegated-len": 56}]}],
 "loggers": [{"name": "kea-dhcp6", "output_options": [{"output": "$work/kea/kea.log"}], "severity": "DEBUG", "debuglevel": 40}]
}}
KEA
in_ns $isp env KEA_PIDFILE_DIR="$work/kea" KEA_LOCKFILE_DIR="$work/kea" kea-dhcp6 -c "$work/kea/kea.json" >"$work/kea/stdout" 2>&1 &
cat >"$work/radvd.conf" <<RADVD
interface isp0 {
  AdvSendAdvert on; MinRtrAdvInterval 3; MaxRtrAdvInterval 4; AdvManagedFlag on; AdvOtherConfigFlag on;
  prefix 2001:db8:1::/64 { AdvOnLink on; AdvAutonomous on; };
};
RADVD
in_ns $isp radvd -C "$work/radvd.conf" -p "$work/radvd.pid" -n -m stderr >"$work/radvd.log" 2>&1 &
echo "Kea serves 2001:db8:12:3400::/56 with MAP-T rule {2001:db8::/40, 192.0.2.0/24, o=16, a=6, k=8, PSID 0x34}, DMR 2001:db8:ffff::/96"

say "a bad configuration exits 2 and touches nothing"
before=$(snapshot)
printf 'wan = wan0\nmtu = 9\n' >"$work/bad.conf"
out=$(in_ns $gw "$mapt" run --config "$work/bad.conf" --flash-dir "$flash" --run-dir "$run" 2>&1); rc=$?
echo "$out"
[ $rc = 2 ] || fail "bad config: exit $rc, expected 2"
echo "$out" | grep -q "bad.conf:2: mtu" || fail "bad config: the message does not name the line"
[ "$before" = "$(snapshot)" ] || fail "bad config changed the system"

say "cold start: mapt run (translator none: map0 is the lab's stand-in)"
t0=$(date +%s%N)
start_mapt
if wait_state Up 30; then echo "Up after $(( ($(date +%s%N) - t0) / 1000000 )) ms"; else fail "cold start: not Up within 30 s"; fi
in_ns $gw "$mapt" status --run-dir "$run"

say "flows from the LAN host: translated source ports must be inside the port set (PSID 0x34: 1232-1235, 2256-2259, ...)"
flows=()
for port in 40001 40002 40003 40004 40005 40006 40007 40008; do
  in_ns $lan sh -c "echo hello | nc -u -w1 -p $port 198.51.100.10 9" >/dev/null 2>&1 &
  flows+=($!)
done
in_ns $lan ping -c1 -W2 198.51.100.10 >/dev/null 2>&1 || fail "ping from the LAN through the MAP device failed"
wait "${flows[@]}"
ports=$(in_ns $gw conntrack -L -p udp 2>/dev/null | grep 'dst=198.51.100.10' | sed -n 's/.*src=198.51.100.10 dst=192.0.2.18 sport=9 dport=\([0-9]*\).*/\1/p' | sort -n)
echo "SNAT source ports seen by conntrack: $(echo $ports)"
[ "$(echo "$ports" | grep -c .)" -ge 8 ] || fail "expected 8 UDP flows SNATed to 192.0.2.18, saw: $(echo $ports)"
for p in $ports; do
  # Port set of PSID 0x34, a=6, k=8: bits 9..2 of the port are the PSID, and A = port >> 10 >= 1.
  if [ $(( (p >> 2) & 0xff )) != 52 ] || [ $(( p >> 10 )) = 0 ]; then fail "port $p is outside the port set"; fi
done

say "link flap: WAN carrier down (MAP-T and the IPv6 routes torn down together), then up (Rebind, Up again)"
in_ns $isp ip link set isp0 down
wait_state WaitingForLink 5 || fail "link down: not WaitingForLink"
in_ns $gw ip route show | grep -q map0 && fail "link down: IPv4 routes via map0 left behind"
in_ns $gw iptables-save | grep -q MAPT && fail "link down: iptables rules left behind"
in_ns $isp ip link set isp0 up
wait_state Up 30 || fail "link up: not Up again within 30 s"
n=$(in_ns $gw ip route show default | grep -c map0)
[ "$n" = 1 ] || fail "after the flap: $n IPv4 default routes via map0 (expected 1)"

say "a route deleted behind mapt's back is restored"
in_ns $gw ip route del default dev map0
sleep 0.5
in_ns $gw ip route show default | grep -q map0 || fail "the IPv4 default route via map0 was not restored"
grep -q "deleted behind mapt's back; restored" "$work/mapt.log" && echo "restored (see log)"

say "SIGKILL during Up, then restart: the configuration is taken over as it is (no teardown, no conntrack flush)"
echo "journal in the run directory:"; cut -c1-150 "$run/mapt.journal" | sed 's/^/  /' | head -20
flows_before=$(in_ns $gw conntrack -L 2>/dev/null | grep -c "dst=192.0.2.18 " || true)
kill -9 $mapt_pid; wait $mapt_pid 2>/dev/null; mapt_pid=""
in_ns $gw "$mapt" status --run-dir "$run"; echo "(exit $?: no daemon)"
start_mapt
wait_state Up 30 || fail "restart after SIGKILL: not Up within 30 s"
grep -q "taken over in" "$work/mapt.log" || fail "restart: the configuration was not taken over"
grep "taken over in" "$work/mapt.log" | cut -c1-160
flows_after=$(in_ns $gw conntrack -L 2>/dev/null | grep -c "dst=192.0.2.18 " || true)
echo "conntrack entries NATed to 192.0.2.18: $flows_before before the kill, $flows_after after the restart"
[ "$flows_after" -ge "$flows_before" ] || fail "restart: flows NATed to the MAP address were lost"
in_ns $gw "$mapt" status --run-dir "$run" | grep -E "${x}State|Domain.1.Status|${x}PortSet|Rule.1.PSID "

say "SIGTERM: orderly stop, everything removed, Release seen by Kea"
kill -TERM $mapt_pid
for i in $(seq 50); do kill -0 $mapt_pid 2>/dev/null || break; sleep 0.1; done
wait $mapt_pid; rc=$?; mapt_pid=""
[ $rc = 0 ] || fail "SIGTERM: exit $rc, expected 0"
after=$(snapshot)
if [ "$before" != "$after" ]; then fail "after SIGTERM the gateway differs from a clean one"; diff <(echo "$before") <(echo "$after"); fi
[ -e "$run/mapt.journal" ] && fail "journal left behind after SIGTERM"
grep -q -i "DHCP6_RELEASE\|Release" "$work/kea/kea.log" && echo "Kea logged the Release" || fail "Kea did not see a Release"
in_ns $gw "$mapt" teardown --flash-dir "$flash" --run-dir "$run"

say "MAP-T for real: --translator tun in gw, tayga as the BR in isp, an HTTP server in web (203.0.113.10)"
ce4=192.0.2.18 ce6=2001:db8:12:3400:0:c000:212:34 dmr=2001:db8:ffff::/96 srv=203.0.113.10
srv6=2001:db8:ffff::cb00:710a # the server as the CE addresses it: 203.0.113.10 in the DMR /96
ip netns add $web; in_ns $web ip link set lo up
ip link add web0 netns $isp type veth peer name eth0 netns $web
in_ns $web ip addr add $srv/24 dev eth0; in_ns $web ip link set eth0 up; in_ns $web ip route add default via 203.0.113.1
in_ns $isp ip addr add 203.0.113.1/24 dev web0; in_ns $isp ip link set web0 up
in_ns $isp sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
# The BR: tayga with the DMR as its /96 prefix and the CE's static map entry (mapt-reference.md 8).
mkdir -p "$work/tayga" "$work/www"
cat >"$work/tayga/tayga.conf" <<TAYGA
tun-device nat64
ipv4-addr 198.51.100.254
ipv6-addr 2001:db8:64::1
prefix $dmr
map $ce4 $ce6
data-dir $work/tayga
TAYGA
in_ns $isp tayga -c "$work/tayga/tayga.conf" --mktun >>"$work/tayga/log" 2>&1 || fail "tayga --mktun failed"
in_ns $isp ip link set nat64 up
in_ns $isp ip route add $ce4/32 dev nat64; in_ns $isp ip route add 198.51.100.254/32 dev nat64
in_ns $isp ip -6 route add $dmr dev nat64; in_ns $isp ip -6 route add 2001:db8:64::1/128 dev nat64
in_ns $isp tayga -c "$work/tayga/tayga.conf" -d >>"$work/tayga/log" 2>&1 &
echo "tayga (BR): prefix $dmr, map $ce4 <-> $ce6, on nat64 in isp"
# The HTTP server and a page with known content.
page="hello from $srv over MAP-T ($tag)"
echo "$page" >"$work/www/hello.txt"
head -c 200000 /dev/urandom >"$work/www/blob.bin"
in_ns $web /usr/bin/python3 -m http.server --bind $srv --directory "$work/www" 8080 >"$work/http.log" 2>&1 &
for i in $(seq 50); do in_ns $web ss -ltn '( sport = :8080 )' | grep -q LISTEN && break; sleep 0.1; done

start_mapt --map-dev mapt0 --translator tun
if wait_state Up 30; then echo "Up"; else fail "tun: not Up within 30 s"; fi
# The ISP routes the delegated prefix to the CE (a PD server's relay would; Kea alone does not).
gwll=$(in_ns $gw ip -6 addr show dev wan0 scope link | sed -n 's/.*inet6 \(fe80[^/]*\).*/\1/p' | head -1)
in_ns $isp ip -6 route add 2001:db8:12:3400::/56 via "$gwll" dev isp0 || fail "tun: no route in isp for the delegated prefix (gw link-local '$gwll')"
echo "isp routes: $(in_ns $isp ip -6 route show | grep -E 'nat64|3400' | grep -v ^fe80 | sed 's/ metric.*//' | paste -sd';' | sed 's/;/; /g')"
for p in $(ip netns pids $isp); do [ "$(cat /proc/$p/comm 2>/dev/null)" = tayga ] && echo "tayga running (pid $p)"; done | grep . || fail "tun: tayga (the BR) is not running"
in_ns $gw "$mapt" status --run-dir "$run" | grep -E "${x}State|${x}Translator|${x}IPv4Address|${x}MAPIPv6Address|BRIPv6Prefix|${x}PortSet|Interface.Name"
echo "gw: $(in_ns $gw ip -d link show mapt0 | head -2 | tr -s ' ' | tr '\n' ' ')"
in_ns $gw ip link show mapt0 >/dev/null 2>&1 || fail "tun: mapt did not create mapt0"
in_ns $gw ip route show default | grep -q "dev mapt0" || fail "tun: no IPv4 default route via mapt0"
stats() { in_ns $gw "$mapt" status --run-dir "$run" | sed -n "s/^Device.MAP.Domain.1.Interface.Stats.$1 //p"; }
sent0=$(stats PacketsSent) recv0=$(stats PacketsReceived)

# Captures on both sides of the BR: IPv6 on the ISP's CE link, IPv4 on the server's link.
ip netns exec $isp tcpdump -i isp0 -n -U --immediate-mode -w "$work/v6.pcap" "ip6 and tcp port 8080" 2>"$work/tcpdump6.log" &
dumps=($!)
ip netns exec $web tcpdump -i eth0 -n -U --immediate-mode -w "$work/v4.pcap" "tcp port 8080" 2>"$work/tcpdump4.log" &
dumps+=($!)
for i in $(seq 50); do grep -q listening "$work/tcpdump6.log" && grep -q listening "$work/tcpdump4.log" && break; sleep 0.1; done

echo "lan\$ curl http://$srv:8080/hello.txt"
got=$(in_ns $lan curl -sS -m 10 "http://$srv:8080/hello.txt" 2>&1); rc=$?
echo "  $got"
[ $rc = 0 ] && [ "$got" = "$page" ] || fail "HTTP fetch through MAP-T: curl exit $rc, got '$got'"
want=$(sha256sum <"$work/www/blob.bin" | cut -d' ' -f1)
have=$(in_ns $lan curl -sS -m 20 "http://$srv:8080/blob.bin" | sha256sum | cut -d' ' -f1)
echo "lan\$ curl http://$srv:8080/blob.bin | sha256sum: ${have:0:16}... ($([ "$have" = "$want" ] && echo "same as the server's" || echo DIFFERENT))"
[ "$have" = "$want" ] || fail "200 KB fetch through MAP-T: content differs"
sleep 0.3
kill -INT "${dumps[@]}" 2>/dev/null; wait "${dumps[@]}" 2>/dev/null
echo "IPv6 between CE and BR (isp0), the first SYN:"
syn6=$(tcpdump -n -r "$work/v6.pcap" 2>/dev/null | grep 'Flags \[S\]' | head -1); echo "  $syn6"
echo "IPv4 as the server sees it (web eth0), the first SYN:"
syn4=$(tcpdump -n -r "$work/v4.pcap" 2>/dev/null | grep 'Flags \[S\]' | head -1); echo "  $syn4"
echo "$syn6" | grep -q "IP6 $ce6\.[0-9]* > $srv6\.8080:" || fail "the IPv6 source is not the CE's MAP address $ce6 (or the destination not $srv6)"
port=$(echo "$syn4" | sed -n "s/.*IP $ce4\.\([0-9]*\) > $srv\.8080:.*/\1/p")
if [ -z "$port" ]; then fail "the server did not see $ce4 as the source"
elif [ $(( (port >> 2) & 0xff )) != 52 ] || [ $(( port >> 10 )) = 0 ]; then fail "source port $port seen by the server is outside the port set"
else echo "the server saw $ce4 port $port: inside the port set (PSID $(( (port >> 2) & 0xff )) = 0x34)"; fi
p6=$(echo "$syn6" | sed -n "s/.*IP6 $ce6\.\([0-9]*\) > .*/\1/p")
[ "$p6" = "$port" ] || fail "the port changed across the BR ($p6 -> $port)"
echo "the server's log:"; sed 's/^/  /' "$work/http.log" | tail -2
echo "mapt status, the translator's device counters (mapt0):"
in_ns $gw "$mapt" status --run-dir "$run" | grep -E 'Interface.Stats.(Packets|Bytes|Errors|Discard)' | sed 's/^/  /'
sent1=$(stats PacketsSent) recv1=$(stats PacketsReceived)
[ "${sent1:-0}" -gt "${sent0:-0}" ] && [ "${recv1:-0}" -gt "${recv0:-0}" ] || fail "tun: the counters did not move (sent $sent0 -> $sent1, received $recv0 -> $recv1)"

say "SIGTERM with --translator tun: the TUN device goes with mapt"
kill -TERM $mapt_pid
for i in $(seq 50); do kill -0 $mapt_pid 2>/dev/null || break; sleep 0.1; done
wait $mapt_pid; rc=$?; mapt_pid=""
[ $rc = 0 ] || fail "tun SIGTERM: exit $rc, expected 0"
if in_ns $gw ip link show mapt0 >/dev/null 2>&1; then fail "mapt0 still exists after SIGTERM"; else echo "mapt0 is gone"; fi
after=$(snapshot)
if [ "$before" != "$after" ]; then fail "after the tun SIGTERM the gateway differs from a clean one"; diff <(echo "$before") <(echo "$after"); fi

say "mapt's log (flash)"
in_ns $gw "$mapt" log --flash-dir "$flash" 2>/dev/null | grep -E "wan:" | tail -40 || tail -40 "$work/mapt.log"

say "MAP-T on the real datapath: the lab firmware (arm64 kernel, nat46, the arm64 mapt) in qemu"
"$(dirname "$0")/firmware-demo.sh" || fail "the firmware part (see FIRMWARE: above)"

if [ ${#failures[@]} = 0 ]; then echo; echo "VERDICT: PASS"; exit 0; fi
echo; echo "VERDICT: FAIL: ${failures[0]}$([ ${#failures[@]} -gt 1 ] && echo " (and $(( ${#failures[@]} - 1 )) more)")"
exit 1
