#!/usr/bin/env bash
# DHCPv6 client: parser fuzz speed (1,000,000 mutated Kea Replies, beside tshark's dissection
# rate of the same messages) and 1,000 Renew exchanges with Kea in one process (exchange time
# beside the link's ping round trip; RSS after a warm-up and at the end).
set -euo pipefail
root=$1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$root"

bench() { # FILTER -> the BENCH lines
  MAPT_BENCH_PCAP="$work/fuzz.pcap" dotnet test tests/mapt.Tests.csproj -c Release -nologo -v:q \
    --filter "TestCategory=Bench&$1" --logger "console;verbosity=detailed" 2>&1 | tee "$work/log" >&2
  grep -o 'BENCH .*' "$work/log" || { echo "dhcpv6.bench.sh: no BENCH line for $1" >&2; exit 1; }
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }

fuzz=$(bench "FullyQualifiedName~Parse_1MMutatedKeaReplies" | grep 'BENCH fuzz')
rate=$(field "$fuzz" rate)
bench "FullyQualifiedName~Fuzz_WritePcapForTsharkBaseline" >/dev/null
start=$(date +%s.%N)
n=$(tshark -r "$work/fuzz.pcap" -n -T fields -e frame.number 2>/dev/null | wc -l)
end=$(date +%s.%N)
tshark_rate=$(echo "$n / ($end - $start)" | bc -l)
printf '| dhcpv6 | parse mutated Kea Replies (msgs/s, higher is better; %s msgs, 0 exceptions, 0 RFC-breaking accepted) | %.0f | %.0f (tshark dissecting %s of them) | %.1f |\n' \
  "$(field "$fuzz" messages)" "$rate" "$tshark_rate" "$n" "$(echo "$rate / $tshark_rate" | bc -l)"

renew=$(bench "FullyQualifiedName~Renew_1000ExchangesWithKea" | grep 'BENCH renew')
ms=$(field "$renew" ms_per_exchange); rtt=$(field "$renew" ping_rtt_ms)
rs=$(field "$renew" rss_start_kb); re=$(field "$renew" rss_end_kb)
printf '| dhcpv6 | Renew/Reply exchange with Kea (ms, lower is better; 1000 in one process) | %s | %s (ping RTT on the same veth) | %.1f |\n' "$ms" "$rtt" "$(echo "$ms / $rtt" | bc -l)"
printf '| dhcpv6 | RSS after 1000 Renew exchanges (KB; test host process) | %s | %s (after the warm-up renewals) | %.3f |\n' "$re" "$rs" "$(echo "$re / $rs" | bc -l)"
