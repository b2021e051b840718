#!/usr/bin/env bash
# The SNAT rule set (contract: tests/bench/run.sh), issue 13 point 2: rule counts and the most
# rules a new connection walks, the round-robin tree mapt installs beside mapt 0.1's flat list,
# one iptables-restore of each (legacy and nft), and the PSID-offset-15 lease 0.1 applied beside
# the cap that refuses it now. The driver is tests/Provisioning/RulesetBench.cs.
set -euo pipefail
root=$1
rows=$(mktemp); trap 'rm -f "$rows"' EXIT
export MAPT_BENCH_ROWS=$rows
dotnet test "$root/tests/mapt.Tests.csproj" -c Release -nologo -v:q \
  --filter "TestCategory=Bench&FullyQualifiedName~Mapt.Tests.Provisioning.RulesetBench" >&2
cat "$rows"
