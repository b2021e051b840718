#!/usr/bin/env bash
# Provisioning benchmarks, each beside its baseline in the same run:
#  1. time to apply mapt's full IPv4 plan (RFC 7599 A ex. 1: 63 ranges x tcp/udp/icmp SNAT,
#     MSS clamp, filter) with ONE `iptables-restore --noflush`, beside the same rules applied
#     one `iptables` command at a time; legacy and nft backends, each in its own namespace;
#  2. the SNAT spread: round-robin (`statistic --mode nth`, what mapt ships) beside uniform
#     random (`statistic --mode random`): UDP flows from a LAN host to ONE destination through
#     a gateway namespace, (a) opened in sequence until the first one fails, (b) churn: with
#     200 / 240 flows live, close a random one (its conntrack entry deleted) and open a new one,
#     CHURN times; a new flow is lost when its first packet gets no echo;
#  3. the datapath lab at thousands of flows (tests/Apply/DatapathLabBench.cs, both backends):
#     packets seen in the sink outside the MAP source and port set, and answers counted.
# Usage: provisioning.bench.sh ROOT   (env: CHURN=2000, RUNS=5)
set -euo pipefail
root=$1
mapt=$root/out/linux-x64/mapt
churn=${CHURN:-2000}
runs=${RUNS:-5}
tag="mapt-bprov-$$"
# The work directory, the cleanup of every "$tag-" namespace on exit, and the churn lab.
. "$(dirname "$0")/churn-lab.sh"
rules=(--rule 2001:db8::/40,192.0.2.0/24,16 --prefix 2001:db8:12:3400::/56 --dmr 2001:db8:ffff::/64)
"$mapt" plan "${rules[@]}" --map-dev map-mapt --only iptables > "$work/setup.txt"
"$mapt" plan "${rules[@]}" --map-dev map-mapt --only iptables --phase teardown > "$work/teardown.txt"

# The restore text as one iptables command per line (what a shell script without restore does).
awk '/^\*/ {t=substr($0,2); next} /^COMMIT/ {next} /^:/ {split(substr($0,2),a," "); print "-t " t " -N " a[1]; next} {print "-t " t " " $0}' \
  "$work/setup.txt" > "$work/commands.txt"
ncmd=$(wc -l < "$work/commands.txt")
nrules=$(grep -c '^-[AI] ' "$work/setup.txt")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now_us() { echo $(( $(date +%s%N) / 1000 )); }

prep_tables() { # NS BACKEND: the gateway's tables and built-in chains
  printf '*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n' \
    | ip netns exec "$1" "iptables-$2-restore"
}

for backend in legacy nft; do
  ns="$tag-apply-$backend"
  ip netns add "$ns"
  prep_tables "$ns" "$backend"
  restore_t=() commands_t=()
  for _ in $(seq "$runs"); do
    t0=$(now_us); ip netns exec "$ns" "iptables-$backend-restore" --noflush --wait < "$work/setup.txt"; t1=$(now_us)
    restore_t+=($(( t1 - t0 )))
    ip netns exec "$ns" "iptables-$backend-restore" --noflush --wait < "$work/teardown.txt"
    t0=$(now_us)
    ip netns exec "$ns" sh -c "while read -r line; do iptables-$backend -w \$line || exit 1; done" < "$work/commands.txt"
    t1=$(now_us)
    commands_t+=($(( t1 - t0 )))
    ip netns exec "$ns" "iptables-$backend-restore" --noflush --wait < "$work/teardown.txt"
  done
  r=$(printf '%s\n' "${restore_t[@]}" | median); c=$(printf '%s\n' "${commands_t[@]}" | median)
  printf '| provisioning | apply full IPv4 plan (%d rules), %s backend: ONE iptables-restore --noflush (ms, median of %d; lower is better) | %.1f | %.1f (%d iptables commands) | %.3f |\n' \
    "$nrules" "$backend" "$runs" "$(echo "$r / 1000" | bc -l)" "$(echo "$c / 1000" | bc -l)" "$ncmd" "$(echo "$r / $c" | bc -l)"
  ip netns del "$ns"
done

# --- SNAT spread under real flows --------------------------------------------------------
churn_lab_up
apply_strategy() { # rr|random
  local text="$work/setup.txt"
  if [ "$1" = random ]; then
    # The same rules with statistic random, probability 1/K where rr has --every K: uniform over the ranges.
    awk '{ if (match($0, /--mode nth --every [0-9]+ --packet 0/)) { split(substr($0, RSTART, RLENGTH), w, " "); k = w[4];
           $0 = substr($0, 1, RSTART - 1) sprintf("--mode random --probability %.10f", 1 / k) substr($0, RSTART + RLENGTH) } print }' \
      "$work/setup.txt" > "$work/random.txt"
    text="$work/random.txt"
  fi
  ip netns exec "$gw" iptables-restore --noflush --wait < "$text"
}

declare -A seq_r churn200 churn240
for s in rr random; do
  apply_strategy "$s"
  ip netns exec "$lan" ping -c 1 -W 2 203.0.113.10 >/dev/null   # neighbour caches warm
  # A live flow must stay live for the whole run (the default 30 s UDP timeout would retire
  # old flows mid-run and lower the live count); closing is explicit (conntrack -D).
  ip netns exec "$gw" sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3600 net.netfilter.nf_conntrack_udp_timeout_stream=3600
  flush_state; seq_r[$s]=$(ip netns exec "$lan" python3 "$work/flows.py" "$gw" seq 0 0)
  flush_state; churn200[$s]=$(ip netns exec "$lan" python3 "$work/flows.py" "$gw" churn 200 "$churn")
  flush_state; churn240[$s]=$(ip netns exec "$lan" python3 "$work/flows.py" "$gw" churn 240 "$churn")
  echo "strategy $s: sequential ${seq_r[$s]}, churn 200 ${churn200[$s]}%, churn 240 ${churn240[$s]}%" >&2
done
echo "| provisioning | SNAT round-robin (shipped): UDP flows to one destination opened in sequence before the first drop (max 300; the set holds 252; higher is better) | ${seq_r[rr]} | ${seq_r[random]} (statistic random) | $(ratio "${seq_r[rr]}" "${seq_r[random]}") |"
echo "| provisioning | SNAT round-robin: new flows lost under churn at 200 live, $churn closes+opens (%; lower is better) | ${churn200[rr]} | ${churn200[random]} (statistic random) | $(ratio "${churn200[rr]}" "${churn200[random]}") |"
echo "| provisioning | SNAT round-robin: new flows lost under churn at 240 live, $churn closes+opens (%; lower is better) | ${churn240[rr]} | ${churn240[random]} (statistic random) | $(ratio "${churn240[rr]}" "${churn240[random]}") |"

# --- the lab at thousands of flows (a .NET driver: the same lab the tests use) ------------
rows="$work/lab-rows"
: > "$rows"
MAPT_BENCH_ROWS="$rows" dotnet test "$root/tests/mapt.Tests.csproj" -c Release -nologo -v:q \
  --filter "TestCategory=Bench&FullyQualifiedName~DatapathLabBench" >&2 || echo "lab bench failed (see stderr)" >&2
cat "$rows"
