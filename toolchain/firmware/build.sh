#!/usr/bin/env bash
# Builds the lab firmware: Debian 12's arm64 kernel, the modules mapt needs (modules.list),
# nat46.ko built from third-party/ for exactly that kernel, a Debian 11 (glibc 2.31) arm64
# userland (packages.list) with busybox as init, and mapt installed as a firmware build would
# (rootfs/: /usr/sbin/mapt, /etc/mapt.conf, /etc/init.d/mapt).
#
#   toolchain/firmware/build.sh [MAPT-ARM64-BINARY]      (default out/linux-arm64/mapt)
#     -> out/firmware/vmlinuz, out/firmware/initrd.img, out/firmware/release (what is inside)
#
# Packages come through the host's apt configuration (toolchain/apt-sources.sh). Everything
# is cached in toolchain/.firmware-cache (MAPT_FIRMWARE_CACHE), keyed on the resolved package
# versions: the package indexes are refreshed once a day (MAPT_FIRMWARE_REFRESH=1: now), a
# new kernel or package version builds a new base, and otherwise only the small layer with
# mapt and rootfs/ is rebuilt (about a second). See docs/notes/firmware.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/toolchain/apt-sources.sh"
cache=${MAPT_FIRMWARE_CACHE:-$root/toolchain/.firmware-cache}
out=$root/out/firmware
mapt=$(readlink -f "${1:-$root/out/linux-arm64/mapt}")
nat46_tar=$root/third-party/nat46-cc00074.tar.gz
nat46_sha=0d6819c0ff3eb68c2e1c0eaac1981978532c7ef5289c6892549fad0b918d0992
nat46_commit=cc00074

say() { echo "firmware: $*" >&2; }
[ -f "$mapt" ] || { say "no arm64 mapt at $mapt (./build.sh aarch64 builds it)"; exit 1; }
for tool in dpkg-deb apt-get depmod modprobe cpio qemu-aarch64 aarch64-linux-gnu-gcc aarch64-linux-gnu-readelf make; do
  command -v "$tool" >/dev/null || { say "$tool is missing (toolchain/install-deps.sh installs it)"; exit 1; }
done
echo "$nat46_sha  $nat46_tar" | sha256sum -c --quiet - || { say "$nat46_tar is not the reviewed nat46 source"; exit 1; }

mkdir -p "$cache/debs" "$cache/apt"
exec 9>"$cache/.lock"
flock 9 # one build per cache at a time (two test runs of one worktree)

# --- package indexes: bookworm arm64 (kernel), bookworm amd64 (kbuild tools), bullseye arm64 ---
use_index() { # NAME CODENAME ARCH [main-only]: APT_OPTS for that index, refreshed once a day
  local dir=$cache/apt/$1 sources
  sources=$(apt_sources_for "$2" "$3" "${4:-}")
  apt_private "$dir" "$sources" "$3"
  if [ "${MAPT_FIRMWARE_REFRESH:-0}" = 1 ] || ! cmp -s "$dir/sources.list" "$dir/updated" 2>/dev/null \
     || [ -n "$(find "$dir/updated" -mmin +1440 2>/dev/null)" ]; then
    say "apt-get update ($2 $3)"
    apt-get "${APT_OPTS[@]}" update -qq
    cp "$dir/sources.list" "$dir/updated"
    rm -f "$cache/resolved"
  fi
}
# What the indexes resolved to, kept until one of them is refreshed: apt-cache takes seconds
# per call on a loaded machine, and a cached build needs none.
declare -A VER ARCH DEP
[ -f "$cache/resolved" ] && . "$cache/resolved"
resolve() { # PACKAGE...: the candidates' Version, Architecture and Depends (one apt-cache call)
  local pkg="" line p todo=()
  for p in "$@"; do [ -n "${VER[$p]:-}" ] || todo+=("$p"); done
  [ ${#todo[@]} = 0 ] && return 0
  while IFS= read -r line; do
    case "$line" in
      "Package: "*) pkg=${line#Package: } ;;
      "Version: "*) VER[$pkg]=${line#Version: } ;;
      "Architecture: "*) ARCH[$pkg]=${line#Architecture: } ;;
      "Depends: "*) DEP[$pkg]=${line#Depends: } ;;
    esac
  done < <(apt-cache "${APT_OPTS[@]}" show --no-all-versions "${todo[@]}" 2>/dev/null || true)
  for p in "${todo[@]}"; do [ -n "${VER[$p]:-}" ] || { say "package $p is not in the index"; exit 1; }; done
  declare -p VER ARCH DEP >"$cache/resolved"
}
deb() { # PACKAGE: where its resolved version is cached (apt-get download's file name)
  echo "$cache/debs/${1}_${VER[$1]//:/%3a}_${ARCH[$1]}.deb"
}
fetch() { # PACKAGE...: resolve them and download those not cached yet (one apt-get call)
  local p todo=()
  resolve "$@"
  for p in "$@"; do
    [ -f "$(deb "$p")" ] || todo+=("$p=${VER[$p]}")
    echo "$p ${VER[$p]}" >>"$manifest"
  done
  [ ${#todo[@]} = 0 ] || (cd "$cache/debs" && apt-get "${APT_OPTS[@]}" download -qq "${todo[@]}" >&2)
  for p in "$@"; do [ -f "$(deb "$p")" ] || { say "apt-get download $p=${VER[$p]} left no $(deb "$p")"; exit 1; }; done
}

manifest=$(mktemp)
work=$(mktemp -d "${TMPDIR:-/tmp}/mapt-firmware.XXXXXX")
trap 'rm -rf "$work" "$manifest"' EXIT

use_index bookworm-arm64 bookworm arm64
resolve linux-image-arm64
kpkg=$(echo "${DEP[linux-image-arm64]:-}" | grep -o 'linux-image-[0-9][^ ,]*-arm64' | head -1)
abi=${kpkg#linux-image-}
[ -n "$abi" ] || { say "linux-image-arm64 names no kernel package"; exit 1; }
fetch "$kpkg" "linux-headers-$abi" "linux-headers-${abi%-arm64}-common"
kver=${VER[$kpkg]}
kdeb=$(deb "$kpkg") hdeb=$(deb "linux-headers-$abi") cdeb=$(deb "linux-headers-${abi%-arm64}-common")
use_index bookworm-amd64 bookworm amd64
kbuild=linux-kbuild-$(echo "$abi" | cut -d. -f1,2)
resolve "$kbuild"
[ "${VER[$kbuild]}" = "$kver" ] || { say "$kbuild ${VER[$kbuild]} does not match the kernel $kver"; exit 1; }
fetch "$kbuild"
bdeb=$(deb "$kbuild")
use_index bullseye-arm64 bullseye arm64 main-only
mapfile -t packages < <(sed 's/#.*//; /^[[:space:]]*$/d' "$here/packages.list")
fetch "${packages[@]}"
userland=()
for p in "${packages[@]}"; do userland+=("$(deb "$p")"); done

# --- nat46.ko for exactly this kernel (its headers and the amd64 kbuild tools of its version) ---
ko=$cache/nat46/$abi-$kver-$nat46_commit/nat46.ko
if [ ! -f "$ko" ]; then
  say "building nat46 $nat46_commit for $abi ($kver)"
  k=$work/kbuild
  for pkg in "$hdeb" "$cdeb" "$bdeb"; do dpkg-deb -x "$pkg" "$k"; done
  # The headers' Makefile includes the -common tree by its absolute installed path.
  sed -i "s|^include /usr/src/|include $k/usr/src/|" "$k/usr/src/linux-headers-$abi/Makefile"
  # The kernel's build variables name the compiler $(CROSS_COMPILE)gcc-12.
  mkdir -p "$work/bin"
  gccv=$(sed -n 's/^CC = .*gcc-\([0-9]*\).*/\1/p' "$k/usr/src/linux-headers-$abi/.kernelvariables")
  ln -s "$(command -v aarch64-linux-gnu-gcc)" "$work/bin/aarch64-linux-gnu-gcc-${gccv:-12}"
  tar xzf "$nat46_tar" -C "$work"
  PATH=$work/bin:$PATH make -s -C "$k/usr/src/linux-headers-$abi" M="$work/nat46-$nat46_commit/nat46/modules" \
    ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- KCPPFLAGS="-DNAT46_VERSION=\\\"$nat46_commit\\\"" modules 2>&1 \
    | grep -v -e 'Skipping BTF generation' >&2 || true
  built=$work/nat46-$nat46_commit/nat46/modules/nat46.ko
  [ -f "$built" ] || { say "the nat46 build left no nat46.ko"; exit 1; }
  aarch64-linux-gnu-strip --strip-debug "$built"
  mkdir -p "$(dirname "$ko")"; cp "$built" "$ko.tmp"; mv "$ko.tmp" "$ko"
fi
echo "nat46 $nat46_commit" >>"$manifest"

# --- the base: kernel, modules and userland, rebuilt only when a version or a list changed ---
key=$( { cat "$manifest" "$here/modules.list" "$here/packages.list" "$0"; } | sha256sum | cut -c1-16)
base=$cache/base/$key
if [ ! -f "$base/base.cpio" ]; then
  say "building the base image $key (kernel $abi $kver)"
  k=$work/kernel r=$work/root
  mkdir -p "$k" "$r"
  dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$k" ./boot ./lib/modules
  mkdir -p "$k/lib/modules/$abi/extra"
  cp "$ko" "$k/lib/modules/$abi/extra/nat46.ko"
  depmod -b "$k" "$abi"
  for pkg in "${userland[@]}"; do dpkg-deb -x "$pkg" "$r"; done
  # Documentation, charset converters (gconv) and tc's plugins: nothing on this image uses them.
  rm -rf "$r"/usr/share/{doc,man,info,locale,lintian,bug,bash-completion} "$r"/etc/{init.d,cron.daily,logrotate.d} \
    "$r"/usr/lib/aarch64-linux-gnu/gconv "$r"/usr/lib/tc
  # Each listed module with everything it needs, as paths in the kernel's tree.
  modules=$(sed 's/#.*//; /^[[:space:]]*$/d' "$here/modules.list")
  for m in $modules; do
    deps=$(modprobe -d "$k" -S "$abi" --show-depends "$m") || { say "module $m is not in $kpkg"; exit 1; }
    echo "$deps" | sed -n 's/^insmod \([^ ]*\).*/\1/p'
  done | sort -u | while read -r path; do
    mkdir -p "$r$(dirname "${path#"$k"}")"; cp "$path" "$r${path#"$k"}"
  done
  cp "$k/lib/modules/$abi"/modules.{builtin,builtin.modinfo,order} "$r/lib/modules/$abi/"
  depmod -b "$r" "$abi"
  # busybox applets, where no real program of that name is installed
  qemu-aarch64 "$r/bin/busybox" --list-full | while read -r applet; do
    name=${applet##*/}
    [ -e "$r/bin/$name" ] || [ -e "$r/sbin/$name" ] || [ -e "$r/usr/bin/$name" ] || [ -e "$r/usr/sbin/$name" ] || [ "$applet" = linuxrc ] \
      || { mkdir -p "$r/$(dirname "$applet")"; ln -s /bin/busybox "$r/$applet"; }
  done
  # No maintainer scripts ran: the alternatives Debian would set up. iptables is the legacy
  # backend; iptables-nft-* select nf_tables (mapt.conf "iptables = nft").
  for t in iptables iptables-restore iptables-save ip6tables ip6tables-restore ip6tables-save; do
    ln -sf xtables-legacy-multi "$r/usr/sbin/$t"
  done
  # Every shared library an executable needs must be in the image: a missing one is found
  # here, not as "not found" on the console.
  missing=$(find "$r" -type f \( -perm -u+x -o -name '*.so*' \) -print0 | { xargs -0 aarch64-linux-gnu-readelf -d 2>/dev/null || true; } \
    | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u | while read -r lib; do
        [ -e "$r/lib/aarch64-linux-gnu/$lib" ] || [ -e "$r/usr/lib/aarch64-linux-gnu/$lib" ] || [ -e "$r/lib/$lib" ] || echo "$lib"
      done)
  [ -z "$missing" ] || { say "libraries needed but not in the image: $missing (add their packages to packages.list)"; exit 1; }
  mkdir -p "$base.tmp"
  cp "$k/boot/vmlinuz-$abi" "$base.tmp/vmlinuz"
  (cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$base.tmp/base.cpio"
  cp "$manifest" "$base.tmp/versions"
  echo "$abi" >"$base.tmp/abi"
  rm -rf "$base"; mkdir -p "$(dirname "$base")"; mv "$base.tmp" "$base"
fi

# --- the firmware layer: mapt and rootfs/ (cheap, every time) ---
l=$work/layer
mkdir -p "$l/usr/sbin" "$l/etc" "$l"/{proc,sys,dev,run,tmp,root,var/lib/mapt}
cp -a "$here/rootfs/." "$l/"
cp "$mapt" "$l/usr/sbin/mapt"
sed 's/#.*//; /^[[:space:]]*$/d' "$here/modules.list" >"$l/etc/modules"
{
  echo "mapt $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown) $(sha256sum "$mapt" | cut -c1-16)"
  echo "kernel $(cat "$base/abi")"
  cat "$base/versions"
} >"$l/etc/firmware-release"
ln -sf bin/busybox "$l/init"
mknod -m 600 "$l/dev/console" c 5 1
rm -rf "$out.tmp"; mkdir -p "$out.tmp"
cp "$base/vmlinuz" "$out.tmp/vmlinuz"
{ cat "$base/base.cpio"; (cd "$l" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet); } >"$out.tmp/initrd.img"
cp "$l/etc/firmware-release" "$out.tmp/release"
rm -rf "$out"; mv "$out.tmp" "$out"
say "$out: kernel $(cat "$base/abi"), initrd $(( $(stat -c %s "$out/initrd.img") / 1024 )) KiB"
echo "$out"
