#!/usr/bin/env bash
# Translator throughput: the published AOT binary (out/linux-x64/mapt, `mapt run --translator
# tun` with a static rule) as the CE beside tayga (a C stateless translator) in the same place
# of the same lab, in the same run. The driver is a [TestCategory("Bench")] test
# (tests/Translator/TranslatorBench.cs) that builds the namespaces, starts each CE, runs
# iperf3 through it and writes the table rows; the test host only drives (nothing measured
# runs JIT-hosted). `./build.sh bench` publishes the binary first.
set -euo pipefail
root=$1
[ -x "$root/out/linux-x64/mapt" ] || { echo "translator.bench.sh: $root/out/linux-x64/mapt missing: ./build.sh x64" >&2; exit 1; }
rows=$(mktemp); trap 'rm -f "$rows"' EXIT
MAPT_BENCH_OUT=$rows dotnet test "$root/tests/mapt.Tests.csproj" -c Release -nologo -v:q \
  --filter "TestCategory=Bench&FullyQualifiedName~Mapt.Tests.Translator.TranslatorBench" >&2
cat "$rows"
