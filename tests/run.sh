#!/usr/bin/env bash
# Runs every test suite against the binaries ./build.sh published, and ends with one line
# "N passed, N failed" for all suites together. Extra arguments go to dotnet test
# (e.g. --filter FullyQualifiedName~Map).
set -uo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
# Benchmarks are tests in category Bench, run by ./build.sh bench only; a --filter given here
# narrows the suite further.
filter="TestCategory!=Bench"
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --filter ] && [ $# -gt 1 ]; then filter="($filter)&($2)"; shift 2; else args+=("$1"); shift; fi
done
dotnet test tests/mapt.Tests.csproj -c Release -nologo -v:q --filter "$filter" \
  --logger "trx;LogFileName=$results/mapt.trx" --logger "console;verbosity=normal" "${args[@]}" 2>&1 | tee "$results/console.txt"
rc=${PIPESTATUS[0]}
counts=$(sed -n 's/.*<Counters total="\([0-9]*\)" executed="[0-9]*" passed="\([0-9]*\)" failed="\([0-9]*\)".*/\2 \3/p' "$results/mapt.trx" 2>/dev/null | head -1)
passed=${counts% *}; failed=${counts#* }
if [ -z "$counts" ]; then passed=0; failed=1; echo "tests/run.sh: no test results were written" >&2; fi
[ "$rc" != 0 ] && [ "$failed" = 0 ] && failed=1
# CI keeps only the tail of the output: repeat every failure, with its message and the first
# lines of its stack and output, just above the count.
if [ "$failed" != 0 ] && [ -f "$results/mapt.trx" ]; then
  python3 tests/trx-failures.py "$results/mapt.trx" || true
fi
# MAPT_TEST_RESULTS=DIR keeps the .trx and the console output (CI artefacts, loops of runs).
if [ -n "${MAPT_TEST_RESULTS:-}" ]; then mkdir -p "$MAPT_TEST_RESULTS" && cp "$results"/* "$MAPT_TEST_RESULTS"/ 2>/dev/null || true; fi
echo "${passed} passed, ${failed} failed"
[ "$rc" = 0 ] && [ "$failed" = 0 ]
