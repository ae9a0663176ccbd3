#!/bin/sh
# Installs everything `make`, `make demo` and `make check` need on Debian 12
# (bookworm), 13 (trixie) and unstable (sid), including the deb-src entries the
# static build uses to fetch kmod, pciutils, zstd, xz and zlib: the same
# mirrors and suites as the machine's own deb entries, so the sources match
# the release's compiler and musl.
# The fuzz harnesses (tests/fuzz) need clang, libFuzzer and the sanitizer
# runtimes (libclang-rt-N-dev for the archive's clang N, only recommended by
# clang) and, for readable stacks, llvm-symbolizer (llvm).
# The boot-menu tests (tests/bootmenu) need GRUB's tools and BIOS modules,
# OVMF and the systemd-boot EFI binary only to build and boot disk images:
# grub-pc (which would install GRUB on this machine's disk) and systemd-boot
# (which hooks kernel installs and runs bootctl) are deliberately not installed.
# The client tests (tests/clients) need libvirt's virsh and virt-xml-validate
# (libvirt-clients: the test driver is built into libvirt0, no daemon), xmllint
# and Vagrant with vagrant-libvirt (Ruby, from Debian's archive).
# The boot tests' classic dracut init and mkinitcpio need switch_root
# (util-linux-extra in unstable).
# `make dist` (the release tarball the packages build from) needs git.
# The case runner validates every --json output against schema/ with
# python3-jsonschema; the README's node-feature-discovery command (run by
# tests/commands/checks.sh) needs jq. The metrics test (tests/metrics, make check-metrics)
# needs prometheus-node-exporter, promtool (package prometheus) and
# python3-prometheus-client; on a machine booted with systemd, Debian starts
# both daemons as it installs them (the test runs its own on a free port).
# The Ubuntu-like kernel (tests/stacks/kernel, make check-ubuntu-kernel)
# needs the kernel's build tools: bc, bison, flex, libelf-dev, libssl-dev.
# The package tests (tests/packages) need debhelper and lintian for the .deb,
# rpm and rpmlint for the RPM (and elfutils' eu-strip, which rpm's
# find-debuginfo runs since Debian 13), and debootstrap for the chroot they
# install the .deb in.
# The Ansible role's test (tests/ansible) needs Debian's ansible (ansible-core
# has no chroot connection; community.general in the ansible package has)
# and the SSH client it reaches the booted guest with.
set -eu

SRC_LIST=/etc/apt/sources.list.d/early-bind-deb-src.sources

if [ "$(id -u)" -ne 0 ]; then
	echo "setup-debian: run as root (it calls apt-get)" >&2
	exit 1
fi

# debian_suites: "URI SUITE COMPONENT" for each of the machine's package
# lists that apt says come from Debian's archive (origin Debian), so that a
# third-party repository without sources never breaks apt-get update.
debian_suites() {
	apt-cache policy | awk '
		$1 ~ /^[0-9]+$/ && $NF == "Packages" && $3 ~ /\// { uri = $2; sc = $3; next }
		uri != "" && $1 == "release" && $2 ~ /(^|,)o=Debian(,|$)/ {
			n = split(sc, p, "/")
			comp = p[n]
			suite = substr(sc, 1, length(sc) - length(comp) - 1)
			print uri, suite, comp
		}
		{ uri = "" }' | sort -u
}

# deb_src_stanzas: one deb-src stanza (deb822) per mirror and suite.
deb_src_stanzas() {
	keyring=""
	for k in /usr/share/keyrings/debian-archive-keyring.pgp \
		/usr/share/keyrings/debian-archive-keyring.gpg; do
		[ -r "$k" ] && keyring=$k && break
	done
	debian_suites | awk -v keyring="$keyring" '
		{ key = $1 " " $2; if (!(key in comps)) order[++n] = key; comps[key] = comps[key] " " $3 }
		END {
			for (i = 1; i <= n; i++) {
				split(order[i], k, " ")
				printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents:%s\n", k[1], k[2], comps[order[i]]
				if (keyring != "") printf "Signed-By: %s\n", keyring
				print ""
			}
		}'
}

export DEBIAN_FRONTEND=noninteractive

# Source entries of the machine's own suites, unless it has some already.
# Rewritten on every run, so that an upgraded machine (12 to 13) never
# builds with the older release's sources.
if grep -rqs '^Types:.*deb-src' --exclude="${SRC_LIST##*/}" /etc/apt/sources.list.d/ ||
	grep -qs '^[[:space:]]*deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/*.list; then
	rm -f "$SRC_LIST"
else
	rm -f "$SRC_LIST"
	apt-get update -qq
	deb_src_stanzas >"$SRC_LIST.new"
	if [ ! -s "$SRC_LIST.new" ]; then
		rm -f "$SRC_LIST.new"
		echo "setup-debian: apt lists no package source from Debian's archive: add your Debian mirror to /etc/apt/sources.list.d, then run this again" >&2
		exit 1
	fi
	mv "$SRC_LIST.new" "$SRC_LIST"
fi
apt-get update -qq

# available NAME: the archive has a package NAME.
available() {
	[ -n "$(apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p')" ]
}

# The sanitizer runtimes of the clang the archive installs (clang-N).
clang_rt() {
	n=$(apt-cache depends clang 2>/dev/null | sed -n 's/^ *Depends: clang-\([0-9][0-9]*\)$/\1/p' | head -n 1)
	if [ -n "$n" ] && available "libclang-rt-$n-dev"; then
		echo "libclang-rt-$n-dev"
	fi
}

clang_rt=$(clang_rt)
if [ -z "$clang_rt" ]; then
	echo "setup-debian: no libclang-rt-N-dev for this release's clang: make check-fuzz will fail to link" >&2
fi

# switch_root, which dracut's classic init and mkinitcpio's base hook copy
# into their images: util-linux up to Debian 13, util-linux-extra in unstable.
extra=""
if available util-linux-extra; then
	extra=util-linux-extra
fi

# shellcheck disable=SC2086 # $clang_rt, $extra: a package name or nothing
apt-get install -y -qq --no-install-recommends \
	build-essential git musl-tools pkg-config autoconf automake libtool meson ninja-build dpkg-dev \
	liblzma-dev libzstd-dev zlib1g-dev libkmod-dev libpci-dev \
	libcmocka-dev shellcheck python3 cpio xz-utils zstd file \
	clang llvm clang-format \
	qemu-system-x86 qemu-utils seabios ipxe-qemu \
	linux-image-amd64 initramfs-tools busybox dracut-core systemd udev kmod libarchive-tools \
	pciutils pci.ids man-db groff-base \
	grub-common grub2-common grub-pc-bin ovmf systemd-boot-efi mtools \
	fdisk e2fsprogs util-linux $extra \
	libvirt-clients libxml2-utils vagrant vagrant-libvirt \
	python3-jsonschema jq prometheus prometheus-node-exporter python3-prometheus-client \
	debhelper lintian rpm rpmlint elfutils debootstrap \
	ansible openssh-client \
	bc bison flex libelf-dev libssl-dev \
	$clang_rt >/dev/null
