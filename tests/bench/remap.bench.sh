#!/usr/bin/env bash
# The port remap (issue 15) beside the per-range SNAT, in the same run and with the same churn
# harness as provisioning.bench.sh (churn-lab.sh, flows.py): UDP flows from a LAN host to ONE destination
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
# The work directory, the cleanup of every "$tag-" namespace on exit, and the churn lab.
. "$(dirname "$0")/churn-lab.sh"
rules=(--rule 2001:db8::/40,192.0.2.0/24,16 --prefix 2001:db8:12:3400::/56 --dmr 2001:db8:ffff::/64)
"$mapt" plan "${rules[@]}" --map-dev map-mapt --translator tun --only iptables > "$work/ranges.txt"
"$mapt" plan "${rules[@]}" --map-dev map-mapt --translator tun --snat remap --only iptables > "$work/remap.txt"
# Each mode's own undo: the teardown text deletes the jumps and rules that mode installed.
"$mapt" plan "${rules[@]}" --map-dev map-mapt --translator tun --only iptables --phase teardown > "$work/ranges-teardown.txt"
"$mapt" plan "${rules[@]}" --map-dev map-mapt --translator tun --snat remap --only iptables --phase teardown > "$work/remap-teardown.txt"

# --- SNAT spread under real flows --------------------------------------------------------
churn_lab_up

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
  ip netns exec "$gw" iptables-restore --noflush --wait < "$work/$mode-teardown.txt"
done
for live in 200 240 252; do
  n=$churn; [ "$live" = 252 ] && n="$churn ($rr252 for ranges)"
  echo "| provisioning | snat remap: new flows lost under churn at $live live of 252 ports, $n closes+opens (%; lower is better) | ${res[remap-$live]} | ${res[ranges-$live]} (snat ranges) | $(ratio "${res[remap-$live]}" "${res[ranges-$live]}") |"
done
