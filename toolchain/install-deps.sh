#!/usr/bin/env bash
# Installs, from Debian's packages, everything mapt's build and test suite need on a fresh
# Debian 12 machine. Idempotent: a second run installs nothing and takes a second.
set -euo pipefail

packages=(
  # cross link and emulation for linux-arm64
  clang lld llvm binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross
  qemu-user file
  # the glibc-2.31 sysroot is fetched with apt-get too (toolchain/sysroot.sh)
  dpkg-dev
  # the firmware lab (toolchain/firmware/build.sh, tests/Firmware): the arm64 VM, depmod for
  # its modules, its initramfs, its flash disk, the build of nat46.ko (make; the kbuild tools
  # come prebuilt with the kernel packages) and the check of the systemd unit
  qemu-system-arm kmod cpio e2fsprogs make systemd
  # the real peers the tests run against
  iproute2 iptables conntrack kea-dhcp6-server tshark tayga iperf3 procps util-linux
  iputils-ping curl netcat-openbsd tcpdump
  # router advertisements in the lab (tests/lab/demo.sh)
  radvd
  # a misbehaving DHCPv6 server in the probe tests (tests/Dhcpv6/ProbeBinaryTests.cs)
  python3
  # counts the daemon's fdatasync calls under a DHCPv6 flood (tests/Lab/FloodLabTests.cs)
  strace
  # the RFC 7915 corpus (tests/Translator/corpus/rfc7915_corpus.py): crafted packets, wire captures
  python3-scapy
  # least privilege and BusyBox daemon mode (tests/Platform): capsh starts mapt with chosen
  # capabilities; busybox's applets (its setsid has no -f) stand in for a gateway's userland
  libcap2-bin busybox
  # benchmarks
  time bc
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "toolchain: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
