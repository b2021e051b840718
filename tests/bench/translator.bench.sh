#!/usr/bin/env bash
# Translator throughput: mapt's userspace MAP-T translator as the CE beside tayga (a C
# stateless translator) in the same place of the same lab, in the same run. The driver is a
# [TestCategory("Bench")] test (tests/Translator/TranslatorBench.cs) that builds the
# namespaces, runs iperf3 through each CE and writes the table rows.
set -euo pipefail
root=$1
rows=$(mktemp); trap 'rm -f "$rows"' EXIT
# The product is AOT-compiled (optimised from the first packet); the JIT-hosted driver would
# otherwise spend part of each run in tier-0 code, so it runs fully optimised too.
export DOTNET_TieredCompilation=0
MAPT_BENCH_OUT=$rows dotnet test "$root/tests/mapt.Tests.csproj" -c Release -nologo -v:q \
  --filter "TestCategory=Bench&FullyQualifiedName~Mapt.Tests.Translator.TranslatorBench" >&2
cat "$rows"
