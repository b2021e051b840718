#!/usr/bin/env bash
# Binary size (both architectures) and cold start of `mapt --version` (x64): wall time and
# peak RSS beside /bin/true and a C program that prints the same text, compiled here.
set -euo pipefail
root=$1
x64=$root/out/linux-x64/mapt arm=$root/out/linux-arm64/mapt
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

size() { stat -c %s "$1"; }
budget=3670016
printf '| size | arm64 stripped binary (bytes) | %d | %d (budget 3.5 MiB) | %.3f |\n' "$(size "$arm")" $budget "$(echo "$(size "$arm") / $budget" | bc -l)"
printf '| size | x64 stripped binary (bytes) | %d | %d (arm64 budget) | %.3f |\n' "$(size "$x64")" $budget "$(echo "$(size "$x64") / $budget" | bc -l)"

# A C program doing what `mapt --version` does: print three lines.
cat > "$work/version.c" <<'C'
#include <stdio.h>
int main(void) { fputs("mapt 0.0.0\ncommit 000000000000\narch x86_64\n", stdout); return 0; }
C
cc -O2 -o "$work/version-c" "$work/version.c"

# Median wall time (ms) and max peak RSS (KB) over N runs of a command.
measure() { # N cmd...
  local n=$1; shift
  local rss=0
  for _ in $(seq "$n"); do
    /usr/bin/time -o "$work/time" -f '%M' "$@" >/dev/null 2>&1
    local kb; kb=$(tail -1 "$work/time")
    rss=$(( kb > rss ? kb : rss ))
  done
  # /usr/bin/time has 10 ms resolution: time a batch with the shell's clock instead.
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$n"); do "$@" >/dev/null 2>&1; done
  end=$(date +%s%N)
  echo "$(( (end - start) / n / 1000 )) $rss"   # microseconds per run, KB
}
read -r t_true r_true < <(measure 200 /bin/true)
read -r t_c r_c < <(measure 200 "$work/version-c")
read -r t_m r_m < <(measure 200 "$x64" --version)
ratio() { echo "scale=2; $1 / $2" | bc -l; }
echo "| start | x64 \`mapt --version\` wall time (us, mean of 200) | $t_m | $t_c (C program) / $t_true (/bin/true) | $(ratio "$t_m" "$t_c") x C |"
echo "| start | x64 \`mapt --version\` peak RSS (KB) | $r_m | $r_c (C program) / $r_true (/bin/true) | $(ratio "$r_m" "$r_c") x C |"

# `mapt calc` on one rule (RFC 7599 Example 1) beside the same computation in C.
cc -O2 -o "$work/mapcalc" "$root/tests/bench/baseline/mapcalc.c"
calc=("$x64" calc --rule-ipv6 2001:db8::/40 --rule-ipv4 192.0.2.0/24 --ea-len 16 --psid-offset 6 --prefix 2001:db8:12:3400::/56 --json)
ccalc=("$work/mapcalc" 2001:db8::/40 192.0.2.0/24 16 6 2001:db8:12:3400::/56)
# Both must give the same answer, or the comparison means nothing.
for field in '"ipv4":"192.0.2.18"' '"map_ipv6":"2001:db8:12:3400:0:c000:212:34"'; do
  "${calc[@]}" | tr -d ' \n' | grep -q "$field" || { echo "mapt calc does not answer $field" >&2; exit 1; }
  "${ccalc[@]}" | grep -q "$field" || { echo "C baseline does not answer $field" >&2; exit 1; }
done
read -r t_calc r_calc < <(measure 200 "${calc[@]}")
read -r t_cc r_cc < <(measure 200 "${ccalc[@]}")
echo "| start | x64 \`mapt calc --json\` one rule, wall time (us, mean of 200) | $t_calc | $t_cc (C program) | $(ratio "$t_calc" "$t_cc") x C |"
echo "| start | x64 \`mapt calc --json\` one rule, peak RSS (KB) | $r_calc | $r_cc (C program) | $(ratio "$r_calc" "$r_cc") x C |"
