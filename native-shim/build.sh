#!/usr/bin/env bash
# Compiles the native shim for one runtime identifier into OUT/libmaptshim.a (linked into the
# AOT binary) and, for the build machine's own architecture, OUT/libmaptshim.so (loaded by
# the JIT-hosted unit tests, which have no native link step).
#   native-shim/build.sh RID OUT [SYSROOT]
set -euo pipefail
rid=$1 out=$2 sysroot=${3:-}
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
cflags=(-O2 -fPIC -Wall -Wextra -Werror -std=c11 -fno-stack-protector -U_FORTIFY_SOURCE)
case "$rid" in
  linux-x64) cc=(cc) ;;
  linux-arm64)
    cc=(clang --target=aarch64-linux-gnu)
    [ -n "$sysroot" ] && cc+=(--sysroot="$sysroot") ;;
  *) echo "native-shim: unsupported RID $rid" >&2; exit 2 ;;
esac
objs=()
for c in "$src"/*.c; do
  o="$out/$(basename "${c%.c}").o"
  "${cc[@]}" "${cflags[@]}" -c "$c" -o "$o"
  objs+=("$o")
done
rm -f "$out/libmaptshim.a"
ar rcs "$out/libmaptshim.a" "${objs[@]}"
# The shared object is built without start.c's constructor (MAPT_SHIM_SHARED): it is loaded
# into the unit tests' host process, whose privileges and descriptors are not mapt's to cut.
if [ "$rid" = linux-x64 ] && [ "$(uname -m)" = x86_64 ]; then
  mkdir -p "$out/shared"
  shared=()
  for c in "$src"/*.c; do
    o="$out/shared/$(basename "${c%.c}").o"
    "${cc[@]}" "${cflags[@]}" -DMAPT_SHIM_SHARED -c "$c" -o "$o"
    shared+=("$o")
  done
  "${cc[@]}" -shared -o "$out/libmaptshim.so" "${shared[@]}"
fi
