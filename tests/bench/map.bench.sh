#!/usr/bin/env bash
# The MAP domain check (mapt calc --check-domain) for a rule with 16 EA bits (65,536 CEs) and
# one with 24 EA bits (16,777,216 CEs): CEs per second and peak RSS of the published x64
# binary, beside a baseline measured in the same run: a C program (cc -O2) doing the same
# check with the same algorithm (per IPv4 address an 8 KB port bitmap; every CE's GMA port
# ranges marked and checked for overlap; the first port of each CE mapped back to its EA
# bits; the union compared with the address's usable ports). Ratio = mapt / C.
set -euo pipefail
root=$1
mapt=$root/out/linux-x64/mapt
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

cat > "$work/check.c" <<'C'
/* Domain check of a MAP rule (RFC 7597 5.1): usage check R O A (rule IPv4 prefix length,
   EA-bits length, PSID offset); o + r > 32 only. Prints "ok CES" or the first failure. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static uint64_t bits[1024];
static int mark(int first, int last) {
  if ((first >> 6) == (last >> 6)) { /* one word: the usual case */
    int n = last - first + 1;
    uint64_t m = (n == 64 ? ~0ULL : (1ULL << n) - 1) << (first & 63);
    if (bits[first >> 6] & m) return 0;
    bits[first >> 6] |= m;
    return 1;
  }
  for (int p = first; p <= last; ) {
    int w = p >> 6, lo = p & 63, hi = (last >> 6) == w ? (last & 63) : 63;
    uint64_t m = (hi == 63 ? ~0ULL : ((1ULL << (hi + 1)) - 1)) & ~((1ULL << lo) - 1);
    if (bits[w] & m) return 0;
    bits[w] |= m; p = (w << 6) + hi + 1;
  }
  return 1;
}
int main(int argc, char **argv) {
  int r = atoi(argv[1]), o = atoi(argv[2]), a = atoi(argv[3]);
  int p = 32 - r, q = o - p, k = q, m = 16 - a - k;
  uint32_t prefix = 0xc6120000u & (r ? ~0u << (32 - r) : 0);
  uint64_t ea = 0, ces = 1ULL << o, per = 1ULL << q;
  int lowest = a ? 1 << (16 - a) : 1;
  for (uint64_t addr = 0; addr < (ces >> q); addr++) {
    memset(bits, 0, sizeof bits);
    for (uint64_t i = 0; i < per; i++, ea++) {
      uint32_t v4 = prefix | (uint32_t)(ea >> q);
      uint32_t psid = (uint32_t)(ea & (per - 1));
      int first_port = -1;
      int ranges = a ? (1 << a) - 1 : 1;
      for (int A = a ? 1 : 0, n = 0; n < ranges; A++, n++) {
        int first = (a ? A << (16 - a) : 0) | (int)(psid << m), last = first + (1 << m) - 1;
        if (first == 0) first = 1;
        if (first > last) continue;
        if (!mark(first, last)) { printf("overlap at %llu\n", (unsigned long long)ea); return 1; }
        if (first_port < 0) first_port = first;
      }
      if (first_port < 0) continue;
      uint32_t back_psid = ((uint32_t)first_port >> m) & ((1u << k) - 1);
      uint64_t back = ((uint64_t)(v4 & ((p ? (1ULL << p) : 1) - 1)) << q) | back_psid;
      if (back != ea) { printf("reverse mismatch at %llu\n", (unsigned long long)ea); return 1; }
    }
    for (int w = 0; w < 1024; w++) {
      int base = w << 6;
      uint64_t want = lowest <= base ? ~0ULL : lowest > base + 63 ? 0 : ~0ULL << (lowest - base);
      if (bits[w] != want) { printf("hole or extra in word %d\n", w); return 1; }
    }
  }
  printf("ok %llu\n", (unsigned long long)ces);
  return 0;
}
C
cc -O2 -o "$work/check" "$work/check.c"

# run NAME CMD...: wall time (us) of the best of $runs runs, and the peak RSS (KB) of the last.
run() {
  local best=0 start end us
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$@" >"$work/out" 2>&1 || { echo "failed: $* -> $(cat "$work/out")" >&2; exit 1; }
    end=$(date +%s%N)
    us=$(( (end - start) / 1000 ))
    if [ "$best" = 0 ] || [ "$us" -lt "$best" ]; then best=$us; fi
  done
  /usr/bin/time -o "$work/time" -f '%M' "$@" >/dev/null 2>&1
  echo "$best $(tail -1 "$work/time")"
}

bench() { # LABEL RULE R O A CES
  local label=$1 rule=$2 r=$3 o=$4 a=$5 ces=$6
  echo "map.bench: $label: mapt calc --rule $rule --check-domain" >&2
  read -r t_m rss_m < <(run "$mapt" calc --rule "$rule" --check-domain --json)
  grep -q '"ok":true' "$work/out" || { echo "mapt domain check failed: $(cat "$work/out")" >&2; exit 1; }
  read -r t_c rss_c < <(run "$work/check" "$r" "$o" "$a")
  grep -q "^ok $ces" "$work/out" || { echo "C domain check failed: $(cat "$work/out")" >&2; exit 1; }
  local cps_m cps_c
  cps_m=$(echo "$ces * 1000000 / $t_m" | bc)
  cps_c=$(echo "$ces * 1000000 / $t_c" | bc)
  echo "| map | domain check, $label: CEs/s (wall $((t_m / 1000)) ms vs $((t_c / 1000)) ms; higher is better) | $cps_m | $cps_c (C -O2, same algorithm) | $(printf "%.2f" "$(echo "$cps_m / $cps_c" | bc -l)") |"
  echo "| map | domain check, $label: peak RSS KB (lower is better) | $rss_m | $rss_c (C -O2, same algorithm) | $(printf "%.2f" "$(echo "$rss_m / $rss_c" | bc -l)") |"
}

runs=5 bench "16 EA bits (65,536 CEs, /24, a=6)" "2001:db8::/40,192.0.2.0/24,16" 24 16 6 65536
runs=1 bench "24 EA bits (16,777,216 CEs, /16, a=6)" "2001:db8::/40,198.18.0.0/16,24" 16 24 6 16777216
