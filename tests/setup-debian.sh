#!/bin/sh
# Installs everything `make`, `make demo` and `make check` need on Debian 12,
# including the deb-src entry the static build uses to fetch kmod and pciutils.
# The fuzz harnesses (tests/fuzz) need clang, libFuzzer and the sanitizer
# runtimes (libclang-rt-14-dev, only recommended by clang) and, for readable
# stacks, llvm-symbolizer (llvm).
# The boot-menu tests (tests/bootmenu) need GRUB's tools and BIOS modules,
# OVMF and the systemd-boot EFI binary only to build and boot disk images:
# grub-pc (which would install GRUB on this machine's disk) and systemd-boot
# (which hooks kernel installs and runs bootctl) are deliberately not installed.
# The client tests (tests/clients) need libvirt's virsh and virt-xml-validate
# (libvirt-clients: the test driver is built into libvirt0, no daemon), xmllint
# and Vagrant with vagrant-libvirt (Ruby, from Debian's archive).
# The package tests (tests/packages) need debhelper and lintian for the .deb,
# rpm and rpmlint for the RPM, and debootstrap for the chroot they install
# the .deb in.
set -eu

SRC_LIST=/etc/apt/sources.list.d/early-bind-deb-src.sources

if [ "$(id -u)" -ne 0 ]; then
	echo "setup-debian: run as root (it calls apt-get)" >&2
	exit 1
fi

if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ &&
	! grep -qs '^deb-src' /etc/apt/sources.list; then
	cat >"$SRC_LIST" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential musl-tools pkg-config autoconf automake libtool dpkg-dev \
	liblzma-dev libzstd-dev zlib1g-dev libkmod-dev libpci-dev \
	libcmocka-dev shellcheck python3 cpio xz-utils zstd file \
	clang libclang-rt-14-dev llvm \
	qemu-system-x86 qemu-utils seabios ipxe-qemu \
	linux-image-amd64 initramfs-tools busybox dracut-core systemd udev kmod libarchive-tools \
	pciutils pci.ids man-db groff-base \
	grub-common grub2-common grub-pc-bin ovmf systemd-boot-efi mtools \
	fdisk e2fsprogs util-linux \
	libvirt-clients libxml2-utils vagrant vagrant-libvirt \
	debhelper lintian rpm rpmlint debootstrap \
	>/dev/null
