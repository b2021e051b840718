#!/usr/bin/env bash
# The flash log: lines per second into the ring at Information level, and its write(2) and
# fdatasync(2) calls per 1000 lines (flash wear), beside a plain StreamWriter writing the same
# lines in the same run; a flood of 6,000 network warnings (issue 13) under today's policy
# beside the policy before it, replayed in the same run. The driver is
# tests/Logging/LoggingBench.cs (category Bench).
set -euo pipefail
root=$1
out=$(mktemp); trap 'rm -f "$out"' EXIT
MAPT_BENCH_OUT=$out dotnet test "$root/tests/mapt.Tests.csproj" -c Release -nologo -v:q \
  --filter "TestCategory=Bench&FullyQualifiedName~Mapt.Tests.Logging.LoggingBench" >&2
fs=$(stat -f -c %T "${TMPDIR:-/tmp}")
get() { sed -n "s/^$1 //p" "$out"; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }
# The flood's ratios are far below 0.01: four decimals.
ratio4() { echo "scale=4; $1 / $2" | bc -l; }
[ -s "$out" ] || { echo "logging.bench.sh: the driver wrote no results" >&2; exit 1; }
echo "| logging | lines/s into the flash ring, Information (JIT driver, ring 4 x 64 KiB on $fs) | $(get ring_lines_per_s) | $(get plain_lines_per_s) (StreamWriter, same lines) | $(ratio "$(get ring_lines_per_s)" "$(get plain_lines_per_s)") (higher is better) |"
echo "| logging | fdatasync per 1000 lines, Information, timer flush every 5 s | $(get ring_syncs_per_1000) | 0 (StreamWriter never syncs) | - |"
echo "| logging | write(2) per 1000 lines, Information | $(get ring_writes_per_1000) | $(get plain_writes_per_1000) (StreamWriter, 4 KiB buffer, computed) | $(ratio "$(get ring_writes_per_1000)" "$(get plain_writes_per_1000)") |"
echo "| logging | fdatasync per 1000 lines, 1 warning in 100 | $(get warn_syncs_per_1000) | 0 (StreamWriter never syncs) | - |"
echo "| logging | lines/s, 1 warning in 100 (each synced at once, $fs) | $(get warn_lines_per_s) | $(get plain_lines_per_s) (StreamWriter, no sync) | $(ratio "$(get warn_lines_per_s)" "$(get plain_lines_per_s)") |"
echo "| logging | flood of 6,000 network warnings (event 304, one sender): fdatasync calls | $(get flood_syncs_now) | $(get flood_syncs_before) (before issue 13: one per warning) | $(ratio4 "$(get flood_syncs_now)" "$(get flood_syncs_before)") (lower is better) |"
echo "| logging | flood: its lines on flash (then one 'suppressed' line) | $(get flood_lines_now) | $(get flood_lines_before) (as many as the 256 KiB ring holds) | $(ratio4 "$(get flood_lines_now)" "$(get flood_lines_before)") |"
echo "| logging | flood: start lines (800, 601, 300) still on flash, of 3 | $(get flood_start_lines_now) | $(get flood_start_lines_before) | - |"
echo "| logging | flood: ms to log the 6,000 lines ($fs) | $(get flood_ms_now) | $(get flood_ms_before) | $(ratio4 "$(get flood_ms_now)" "$(get flood_ms_before)") (lower is better) |"
