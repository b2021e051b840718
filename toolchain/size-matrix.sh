#!/usr/bin/env bash
# What each size setting buys: publishes the arm64 binary once as configured and once with
# each setting undone, in a scratch copy of the tree, and prints the stripped sizes.
#   toolchain/size-matrix.sh [RID]   (default linux-arm64; takes a few minutes)
set -euo pipefail
rid=${1:-linux-arm64}
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
git -C "$src" ls-files -z | (cd "$src" && xargs -0 cp --parents -t "$work")
cp -r "$src/.git" "$work/.git"
[ "$rid" = linux-arm64 ] && "$src/toolchain/sysroot.sh" >/dev/null
size_of() { # label, extra msbuild properties...
  local label=$1; shift
  rm -rf "$work/obj" "$work/bin" "$work/out"
  (cd "$work" && dotnet publish mapt.csproj -c Release -r "$rid" -o "$work/out" -nologo -v:q \
     -p:MaptSysroot="$src/toolchain/.sysroot-bullseye-arm64" "$@" >/dev/null 2>&1) || { echo "| $label | build failed |"; return; }
  printf '| %s | %d |\n' "$label" "$(stat -c %s "$work/out/mapt")"
}
echo "| $rid variant | stripped bytes |"
echo "|---|---|"
size_of "as shipped"
size_of "without the Regex/TypeDescriptor substitutions" -p:MaptSubstitutions=false
size_of "OptimizationPreference default (blended)" -p:OptimizationPreference=
size_of "StackTraceSupport=true" -p:StackTraceSupport=true
size_of "UseSystemResourceKeys=false" -p:UseSystemResourceKeys=false
size_of "InvariantTimezone=false" -p:InvariantTimezone=false
size_of "usual settings only (PublishAot, InvariantGlobalization, no substitutions)" -p:MaptSubstitutions=false \
  -p:OptimizationPreference= -p:StackTraceSupport=true -p:UseSystemResourceKeys=false -p:InvariantTimezone=false \
  -p:EventSourceSupport= -p:DebuggerSupport= -p:MetadataUpdaterSupport= -p:NullabilityInfoContextSupport=
