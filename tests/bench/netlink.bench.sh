#!/usr/bin/env bash
# Netlink benchmarks (contract: tests/bench/run.sh). Drivers are [TestCategory("Bench")] tests
# in tests/Netlink/NetlinkBench.cs; each appends its rows to $MAPT_BENCH_ROWS:
#   - a dump of 10,000 IPv4 routes parsed by RtnlClient (median time, routes/s, bytes allocated
#     per route from GC.GetAllocatedBytesForCurrentThread) beside `ip -j route show` of the same
#     table in the same namespace and run;
#   - latency from `ip link set peer0 down` (started as a process, as a script would) to the
#     RtnlMonitor callback, median and worst of 100 flaps, beside `ip monitor link` watching the
#     same namespace and the time `ip link set` itself takes to exit.
set -euo pipefail
root=$1
rows=$(mktemp); trap 'rm -f "$rows"' EXIT
export MAPT_BENCH_ROWS=$rows
# Fully optimised code from the first call, as in the AOT binary (no tier-0 code in the timings).
export DOTNET_TieredCompilation=0
dotnet test "$root/tests/mapt.Tests.csproj" -c Release -nologo -v:q \
  --filter "TestCategory=Bench&FullyQualifiedName~Mapt.Tests.Netlink" >&2
cat "$rows"
