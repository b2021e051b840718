#!/usr/bin/env bash
# Builds the glibc-2.31 arm64 sysroot the cross link uses, from Debian 11 (bullseye) packages,
# so the arm64 binary starts on gateway images of the Yocto "dunfell" generation (glibc 2.31)
# and not only on the build machine's 2.36.
#   toolchain/sysroot.sh [DIR]   (default: toolchain/.sysroot-bullseye-arm64)
# Idempotent: a finished sysroot carries a stamp and is left alone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=${1:-$here/.sysroot-bullseye-arm64}
stamp="$root/.mapt-sysroot-v1"
[ -f "$stamp" ] && { echo "$root"; exit 0; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A separate sources list (the host's Debian mirror, the bullseye suite), lists folder and an
# empty dpkg status: the host's own packages and versions must not influence what is fetched.
. "$here/apt-sources.sh"
apt_private "$work" "$(apt_sources_for bullseye arm64 main-only)" arm64
apt-get "${APT_OPTS[@]}" update -qq
(cd "$work/cache/archives" && apt-get "${APT_OPTS[@]}" download \
  libc6:arm64 libc6-dev:arm64 linux-libc-dev:arm64 libgcc-s1:arm64 libgcc-10-dev:arm64 >/dev/null)

rm -rf "$root.tmp"; mkdir -p "$root.tmp"
for deb in "$work"/cache/archives/*.deb; do dpkg-deb -x "$deb" "$root.tmp"; done

# Absolute links inside the sysroot (libpthread.so -> /lib/...) would send the linker to the
# HOST's libraries; make every one relative to the sysroot.
while IFS= read -r link; do
  target=$(readlink "$link")
  case "$target" in
    /*) rel=$(realpath -m --relative-to="$(dirname "$link")" "$root.tmp$target"); ln -sfn "$rel" "$link" ;;
  esac
done < <(find "$root.tmp" -type l)

# libc.so and friends are linker scripts naming absolute paths; the linker prefixes them with
# the sysroot only when the script itself is inside it, which it is: leave them as they are.
glibc=$(ls "$root.tmp"/lib/aarch64-linux-gnu/libc-*.so 2>/dev/null | sed -n 's/.*libc-\(.*\)\.so/\1/p' | head -1)
[ "$glibc" = "2.31" ] || { echo "sysroot: expected glibc 2.31, found '${glibc:-none}'" >&2; exit 1; }
rm -rf "$root"; mv "$root.tmp" "$root"
touch "$stamp"
echo "$root"
