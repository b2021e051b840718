#!/usr/bin/env bash
# ./build.sh demo, last part: MAP-T on the real datapath. The lab firmware (toolchain/firmware:
# Debian 12's arm64 kernel, the real nat46 module, the arm64 mapt started by its init script)
# boots in qemu-system-aarch64 as the gateway between an ISP (Kea, radvd, tayga as the BR, an
# HTTP server behind it) and a LAN host, and is driven over its serial console.
#
#   lan [br0 198.51.100.130] -tap- VM (lan0 | nat46 map-mapt | wan0) -tap- [isp0] isp: Kea, radvd, tayga -- web 203.0.113.10
#
#   tests/lab/firmware-demo.sh [FIRMWARE-DIR]   (default out/firmware; toolchain/firmware/build.sh makes it)
# Ends with "FIRMWARE: PASS" or "FIRMWARE: FAIL: reason" (exit 0 or 1).
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
fw=$(readlink -f "${1:-$here/out/firmware}")
tag="mfw-demo-$$"
isp=$tag-isp lan=$tag-lan web=$tag-web
work=$(mktemp -d /tmp/mapt-fwdemo.XXXXXX)
qemu_pid="" failures=() n=0
wan_mac=$(awk '$1 == "wan0" {print $2}' "$here/toolchain/firmware/rootfs/etc/iftab")
lan_mac=$(awk '$1 == "lan0" {print $2}' "$here/toolchain/firmware/rootfs/etc/iftab")

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { echo "FAILED: $*"; failures+=("$*"); }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

cleanup() {
  [ -n "$qemu_pid" ] && kill -9 "$qemu_pid" 2>/dev/null
  exec 3>&- 2>/dev/null
  for ns in $isp $lan $web; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
  [ -n "${reader:-}" ] && kill "$reader" 2>/dev/null
  [ "${KEEP:-0}" = 1 ] && echo "work dir kept: $work" || rm -rf "$work"
}
trap cleanup EXIT

# Waits until the console printed TEXT (after what was already seen); max $2 s.
console_wait() {
  local text=$1 limit=${2:-60} i
  for ((i = 0; i < limit * 10; i++)); do
    grep -qF -- "$text" "$work/console" && return 0
    sleep 0.1
  done
  return 1
}

# Types CMD on the console between two markers whose text is split (the tty's echo of the
# typed line cannot match them) and prints what it printed; returns its exit status.
vm() {
  n=$((n + 1))
  printf 'echo @@B""%s@@; %s; echo @@E""%s@@ $?\n' "$n" "$1" "$n" >&3
  console_wait "@@E$n@@ " "${2:-60}" || { echo "(no answer on the console within ${2:-60} s)"; return 1; }
  tr -d '\r' <"$work/console" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' | sed -n "/^@@B$n@@\$/,/@@E$n@@ /p" | sed '1d;$d'
  return "$(tr -d '\r' <"$work/console" | sed -n "s/.*@@E$n@@ \([0-9]*\).*/\1/p" | tail -1)"
}

# vm, with the command shown as typed and its output indented (not in a pipeline: vm counts its markers).
show() {
  local rc
  echo "mapt-gw# $1"
  vm "$1" "${2:-60}" >"$work/out"; rc=$?
  sed 's/^/  /' "$work/out"
  return $rc
}

[ -f "$fw/vmlinuz" ] && [ -f "$fw/initrd.img" ] || { echo "FIRMWARE: FAIL: no image in $fw (toolchain/firmware/build.sh)"; exit 1; }

say "the firmware lab: namespaces isp (Kea, radvd, tayga), lan, web; the VM on two taps"
for ns in $isp $lan $web; do ip netns add "$ns"; in_ns "$ns" ip link set lo up; done
in_ns $isp sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.forwarding=1 \
  net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
in_ns $isp ip link add isp0 type bridge forward_delay 0 mcast_snooping 0
in_ns $isp ip addr add 2001:db8:1::1/64 dev isp0; in_ns $isp ip link set isp0 up
# Kea installs no routes: the delegated prefix goes to the VM's link-local address (its WAN MAC's EUI-64).
IFS=: read -r m1 m2 m3 m4 m5 m6 <<<"$wan_mac"
ll=$(printf 'fe80::%x:%x:%x:%x' $(( (0x$m1 ^ 2) << 8 | 0x$m2 )) $(( 0x$m3 << 8 | 0xff )) $(( 0xfe00 | 0x$m4 )) $(( 0x$m5 << 8 | 0x$m6 )))
in_ns $isp ip -6 route add 2001:db8:12:3400::/56 via "$ll" dev isp0
in_ns $lan ip link add br0 type bridge forward_delay 0
in_ns $lan ip addr add 198.51.100.130/28 dev br0; in_ns $lan ip link set br0 up; in_ns $lan ip route add default via 198.51.100.129
ip link add web0 netns $isp type veth peer name eth0 netns $web
in_ns $isp ip addr add 203.0.113.1/24 dev web0; in_ns $isp ip link set web0 up
in_ns $web ip addr add 203.0.113.10/24 dev eth0; in_ns $web ip link set eth0 up; in_ns $web ip route add default via 203.0.113.1
mkdir -p "$work/tayga" "$work/www"
printf 'tun-device nat64\nipv4-addr 203.0.113.254\nipv6-addr 2001:db8:64::1\nprefix 2001:db8:ffff::/96\nmap 192.0.2.18 2001:db8:12:3400:0:c000:212:34\ndata-dir %s\n' \
  "$work/tayga" >"$work/tayga.conf"
in_ns $isp tayga -c "$work/tayga.conf" --mktun >/dev/null
in_ns $isp ip link set nat64 up; in_ns $isp ip route add 192.0.2.18/32 dev nat64; in_ns $isp ip route add 203.0.113.254/32 dev nat64
in_ns $isp ip -6 route add 2001:db8:ffff::/96 dev nat64; in_ns $isp ip -6 route add 2001:db8:64::1/128 dev nat64
in_ns $isp tayga -c "$work/tayga.conf" -d >"$work/tayga.log" 2>&1 &
head -c 200000 /dev/urandom >"$work/www/blob.bin"
cat >"$work/web.py" <<'PY'
import http.server, sys
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        print('client %s %d %s' % (self.client_address[0], self.client_address[1], fmt % args), flush=True)
http.server.ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), lambda *a: H(*a, directory=sys.argv[3])).serve_forever()
PY
in_ns $web python3 "$work/web.py" 203.0.113.10 8080 "$work/www" >"$work/web.log" 2>&1 &

truncate -s 32M "$work/flash.img" && mke2fs -q -t ext4 -F "$work/flash.img"
mkfifo "$work/con.in" "$work/con.out"
: >"$work/console"
cat "$work/con.out" >>"$work/console" & reader=$!
wtap=mfwd$$w ltap=mfwd$$l
t0=$(date +%s%N)
qemu-system-aarch64 -M virt -cpu cortex-a53 -smp 1 -m 256 -nographic -nodefaults -no-user-config \
  -kernel "$fw/vmlinuz" -initrd "$fw/initrd.img" -append "console=ttyAMA0 loglevel=3 panic=-1" \
  -chardev pipe,id=con,path="$work/con" -serial chardev:con \
  -netdev tap,id=wan,ifname=$wtap,script=no,downscript=no -device virtio-net-pci,netdev=wan,mac=$wan_mac,romfile= \
  -netdev tap,id=lan,ifname=$ltap,script=no,downscript=no -device virtio-net-pci,netdev=lan,mac=$lan_mac,romfile= \
  -drive file="$work/flash.img",if=none,format=raw,id=flash -device virtio-blk-pci,drive=flash -device virtio-rng-pci \
  >"$work/qemu.log" 2>&1 &
qemu_pid=$!
exec 3>"$work/con.in"
for i in $(seq 100); do [ -e /sys/class/net/$wtap ] && [ -e /sys/class/net/$ltap ] && break; sleep 0.1; done
ip link set $wtap netns $isp && ip link set $ltap netns $lan || { echo "FIRMWARE: FAIL: qemu made no taps: $(cat "$work/qemu.log")"; exit 1; }
in_ns $isp ip link set $wtap master isp0 up; in_ns $lan ip link set $ltap master br0 up
sed "s|@DIR@|$work|" <<'KEA' >"$work/kea.json"
{"Dhcp6": {
 "interfaces-config": {"interfaces": ["isp0"]},
 "lease-database": {"type": "memfile", "persist": true, "name": "@DIR@/leases6.csv", "lfc-interval": 0},
 "server-id": {"type": "EN", "enterprise-id": 2495, "identifier": "0102030405060708", "persist": false},
 "renew-timer": 1000, "rebind-timer": 2000, "preferred-lifetime": 3000, "valid-lifetime": 4000,
 "option-data": [{"name": "s46-cont-mapt"},
  {"space": "s46-cont-mapt-options", "name": "s46-rule", "data": "0, 16, 24, 192.0.2.0, 2001:db8::/40"},
  {"space": "s46-rule-options", "name": "s46-portparams", "data": "6, 52/8"},
  {"space": "s46-cont-mapt-options", "name": "s46-dmr", "data": "2001:db8:ffff::/96"}],
 "subnet6": [{"subnet": "2001:db8:1::/64", "interface": "isp0", "id": 1,
   "pd-pools": [{"prefix": "2001:db8:12:3400::", "prefix-len": 56, "delegated-len": 56}]}],
 "loggers": [{"name": "kea-dhcp6", "output_options": [{"output": "@DIR@/kea.log"}], "severity": "INFO"}]}}
KEA
for i in $(seq 50); do in_ns $isp ip -6 addr show dev isp0 scope link | grep -q inet6 && break; sleep 0.1; done
in_ns $isp env KEA_PIDFILE_DIR="$work" KEA_LOCKFILE_DIR="$work" kea-dhcp6 -c "$work/kea.json" >/dev/null 2>&1 &
printf 'interface isp0 {\n AdvSendAdvert on; MinRtrAdvInterval 3; MaxRtrAdvInterval 4; AdvManagedFlag on;\n prefix 2001:db8:1::/64 { AdvOnLink on; AdvAutonomous on; };\n};\n' >"$work/radvd.conf"
in_ns $isp radvd -C "$work/radvd.conf" -p "$work/radvd.pid" -n -m stderr >/dev/null 2>&1 &

say "power-on: Debian 12 arm64 kernel under qemu-system-aarch64 (TCG), busybox init, rcS"
if console_wait "rcS: boot complete" 120 && console_wait "mapt-gw# " 30; then
  echo "the console's shell answered $(( ($(date +%s%N) - t0) / 1000000 )) ms after power-on"
else
  echo "FIRMWARE: FAIL: no boot"; tail -20 "$work/console"; exit 1
fi
show "uname -sr; head -4 /etc/firmware-release; lsmod | grep -e nat46 -e nf_nat"

say "the init script started mapt run --translator nat46; Kea's lease arrives"
show 'end=$(($(date +%s) + 60)); until /etc/init.d/mapt status | grep -q "MAP-T Up"; do [ $(date +%s) -ge $end ] && break; sleep 0.5; done; /etc/init.d/mapt status' 90
grep -q "MAP-T Up" "$work/out" || fail "mapt is not Up on the firmware"
show "mapt status | grep -E '_(State|Translator|IPv4Address|MAPIPv6Address|PortSet) |BRIPv6Prefix'"
show "cat /proc/net/nat46/control; dmesg | grep nat46 | grep -v -e make_nat46 -e release_nat46 | tail -4"
vm "grep -q '^config map-mapt local.v4 192.0.2.0/24 local.v6 2001:db8::/40 local.style MAP' /proc/net/nat46/control" >/dev/null \
  || fail "the nat46 device does not hold the BMR"

say "traffic from the LAN host through nat46 (in the VM) and tayga (the BR): ping, then 200 KB over HTTP"
in_ns $lan ping -c3 -i0.5 -W5 203.0.113.10 | sed 's/^/  /'; [ "${PIPESTATUS[0]}" = 0 ] || fail "ping through nat46 failed"
want=$(sha256sum <"$work/www/blob.bin" | cut -d' ' -f1)
have=$(in_ns $lan curl -sS -m 60 http://203.0.113.10:8080/blob.bin | sha256sum | cut -d' ' -f1)
echo "lan\$ curl http://203.0.113.10:8080/blob.bin | sha256sum: ${have:0:16}... ($([ "$have" = "$want" ] && echo "same as the server's" || echo DIFFERENT))"
[ "$have" = "$want" ] || fail "the download through nat46 differs"
sleep 0.5
client=$(grep '^client ' "$work/web.log" | tail -1)
echo "the server saw: ${client#client }"
port=$(echo "$client" | awk '{print $3}')
if [ "$(echo "$client" | awk '{print $2}')" != 192.0.2.18 ]; then fail "the server did not see the MAP address 192.0.2.18"
elif [ $(( (port >> 2) & 0xff )) != 52 ] || [ $(( port >> 10 )) = 0 ]; then fail "source port $port outside the port set"
else echo "  192.0.2.18 port $port: inside the port set of PSID 0x34"; fi
show "mapt status | grep -E 'Stats.(Bytes|Packets)(Sent|Received)'"

say "reboot: init runs rcK, /etc/init.d/mapt stop tears MAP-T down and releases the lease; the flash keeps the log"
boots=$(grep -c "rcS: boot complete" "$work/console")
echo "mapt-gw# reboot"; printf 'reboot\n' >&3
for i in $(seq 1200); do [ "$(grep -c "rcS: boot complete" "$work/console")" -gt "$boots" ] && break; sleep 0.1; done
tr -d '\r' <"$work/console" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' | sed -n '/# reboot$/,/rcS: boot complete/p' | grep -o -E 'mapt: stopped.*|rcK: .*|The system is going down.*|mapt: started.*' | sed 's/^/  /'
console_wait "mapt-gw# " 30
grep -q DHCP6_RELEASE "$work/kea.log" && echo "Kea logged the Release" || fail "Kea saw no Release"
show "mapt log --boot -1 | tail -3 | cut -c1-160"
show "mapt log --boot 0 | head -1 | cut -c1-200"
vm "mapt log --boot 0 | head -1 | grep -q 'previous run clean'" >/dev/null || fail "the boot after the reboot does not say the previous run ended cleanly"

if [ ${#failures[@]} = 0 ]; then echo; echo "FIRMWARE: PASS"; exit 0; fi
echo; echo "FIRMWARE: FAIL: ${failures[0]}$([ ${#failures[@]} -gt 1 ] && echo " (and $(( ${#failures[@]} - 1 )) more)")"
exit 1
