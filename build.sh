#!/usr/bin/env bash
# mapt's one entry point:
#   ./build.sh            build the x64 binary          -> out/linux-x64/mapt
#   ./build.sh aarch64    cross-build the arm64 binary   -> out/linux-arm64/mapt
#   ./build.sh test       both binaries, then every test suite; ends with "N passed, N failed"
#   ./build.sh bench      both binaries, then the benchmarks; prints a table
#   ./build.sh demo       the lab: mapt against Kea in network namespaces, ends with a verdict
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need_tools() {
  local missing=0
  for t in clang aarch64-linux-gnu-gcc qemu-aarch64 qemu-system-aarch64 depmod cpio mke2fs systemd-analyze file kea-dhcp6 tshark tayga iptables conntrack iperf3 capsh busybox; do
    command -v "$t" >/dev/null 2>&1 || missing=1
  done
  if [ $missing = 1 ]; then
    if [ "$(id -u)" = 0 ]; then ./toolchain/install-deps.sh
    else echo "build.sh: tools missing; run 'sudo toolchain/install-deps.sh'" >&2; exit 1; fi
  fi
}

# publish RID [test]: the release binary in out/RID/mapt; with "test", the build that honours
# the test-only MAPT_* switches (src/Platform/EnvironmentSwitches.cs) in out/test/RID/mapt, with
# its own obj/ and bin/ so that building one does not make the other stale.
publish() {
  local rid=$1 variant=${2:-release} out="$root/out/$1" extra=()
  if [ "$variant" = test ]; then
    out="$root/out/test/$rid"
    extra=(-p:MaptTestHooks=true -p:BaseIntermediateOutputPath="$root/obj/testhooks/" -p:BaseOutputPath="$root/bin/testhooks/")
  fi
  [ "$rid" = linux-arm64 ] && ./toolchain/sysroot.sh >/dev/null
  dotnet publish mapt.csproj -c Release -r "$rid" -o "$out" -nologo -v:q -clp:NoSummary \
    -p:MaptSysroot="$root/toolchain/.sysroot-bullseye-arm64" "${extra[@]}"
  rm -f "$out"/*.dbg
  echo "built $out/mapt"
}

# The tests and benchmarks run the release binaries and the test builds beside them.
publish_all() {
  publish linux-x64; publish linux-arm64
  publish linux-x64 test; publish linux-arm64 test
}

case "${1:-x64}" in
  x64|build) need_tools; publish linux-x64 ;;
  aarch64|arm64) need_tools; publish linux-arm64 ;;
  test)
    need_tools
    publish_all
    # The lab firmware carries the test build: its tests use the test-only switches (a crash on demand).
    ./toolchain/firmware/build.sh "$root/out/test/linux-arm64/mapt" >/dev/null
    shift || true
    exec ./tests/run.sh "$@"
    ;;
  bench)
    need_tools
    publish_all
    exec ./tests/bench/run.sh
    ;;
  demo)
    need_tools
    publish linux-x64
    publish linux-arm64
    ./toolchain/firmware/build.sh "$root/out/linux-arm64/mapt" >/dev/null
    exec ./tests/lab/demo.sh "$root/out/linux-x64/mapt"
    ;;
  *) echo "usage: ./build.sh [x64|aarch64|test|bench|demo]" >&2; exit 2 ;;
esac
