#!/bin/sh
# eb_pick_kernel (lib.sh) on fake trees (EB_KERNEL_ROOT), no QEMU, under a
# second: the kernel and its config where each distribution installs them.
#   bookworm/trixie: /boot/vmlinuz-VER, /boot/config-VER, /lib/modules/VER
#   sid:             /usr/lib/modules/VER/{vmlinuz,config} with /boot hard links
#   usr-only:        /usr/lib/modules/VER/{vmlinuz,config} only (Fedora, Arch,
#                    kernel-install's layout)
# Prints "ok ..."/"FAIL ..." lines and "N passed, M failed"; run-matrix.sh
# runs it with the glue checks.
set -u

EB_TESTDIR=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
EB_WORK=$T/work
mkdir -p "$EB_WORK"
# shellcheck source=tests/boot/lib.sh
. "$EB_TESTDIR/lib.sh"
# shellcheck source=tests/results.sh
. "$EB_ROOT/tests/results.sh"

# mk TREE KIND VER: one installed kernel of that layout in TREE.
mk() {
	mk_r=$T/$1
	mkdir -p "$mk_r/boot" "$mk_r/usr/lib/modules/$3"
	case $2 in
	boot)
		mkdir -p "$mk_r/lib/modules/$3"
		echo "kernel $3" >"$mk_r/boot/vmlinuz-$3"
		echo "config $3" >"$mk_r/boot/config-$3"
		;;
	sid)
		[ -e "$mk_r/lib" ] || ln -s usr/lib "$mk_r/lib"
		echo "kernel $3" >"$mk_r/usr/lib/modules/$3/vmlinuz"
		echo "config $3" >"$mk_r/usr/lib/modules/$3/config"
		ln "$mk_r/usr/lib/modules/$3/vmlinuz" "$mk_r/boot/vmlinuz-$3"
		ln "$mk_r/usr/lib/modules/$3/config" "$mk_r/boot/config-$3"
		;;
	usr)
		[ -e "$mk_r/lib" ] || ln -s usr/lib "$mk_r/lib"
		echo "kernel $3" >"$mk_r/usr/lib/modules/$3/vmlinuz"
		echo "config $3" >"$mk_r/usr/lib/modules/$3/config"
		;;
	esac
}

# pick TREE [KVER]: eb_pick_kernel in a subshell (it exits on failure);
# prints "VER KERNEL CONFIG" relative to the tree, or "die".
pick() {
	(
		EB_KERNEL_ROOT=$T/$1 EB_KVER=${2:-}
		eb_pick_kernel 2>/dev/null
		echo "$EB_KVER ${EB_KERNEL#"$T/$1"} ${EB_KCONFIG#"$T/$1"}"
	) 2>/dev/null || echo die
}

expect() { # TEXT TREE KVER WANT
	ex_got=$(pick "$2" "$3")
	if [ "$ex_got" = "$4" ]; then
		ok "kernel: $1"
	else
		fail "kernel: $1 (want '$4', got '$ex_got')"
	fi
}

mk bookworm boot 6.1.0-41-amd64
expect "Debian 12 layout: /boot/vmlinuz-VER" bookworm "" \
	"6.1.0-41-amd64 /boot/vmlinuz-6.1.0-41-amd64 /boot/config-6.1.0-41-amd64"

mk sid sid 7.2.13+deb14-amd64
expect "sid layout: /boot hard links to /usr/lib/modules/VER" sid "" \
	"7.2.13+deb14-amd64 /boot/vmlinuz-7.2.13+deb14-amd64 /boot/config-7.2.13+deb14-amd64"

mk usr usr 6.12.57+deb13-amd64
expect "only /usr/lib/modules/VER/vmlinuz and config" usr "" \
	"6.12.57+deb13-amd64 /usr/lib/modules/6.12.57+deb13-amd64/vmlinuz /usr/lib/modules/6.12.57+deb13-amd64/config"

# Version order, not byte order: 6.12 is newer than 6.9.
mk two usr 6.9.0-1-amd64
mk two usr 6.12.0-1-amd64
expect "the newest of two, in version order" two "" \
	"6.12.0-1-amd64 /usr/lib/modules/6.12.0-1-amd64/vmlinuz /usr/lib/modules/6.12.0-1-amd64/config"
expect "EB_KVER names the older one" two 6.9.0-1-amd64 \
	"6.9.0-1-amd64 /usr/lib/modules/6.9.0-1-amd64/vmlinuz /usr/lib/modules/6.9.0-1-amd64/config"

# A module tree without a kernel (headers, a removed kernel's leftovers).
mk leftover usr 6.12.0-1-amd64
mkdir -p "$T/leftover/usr/lib/modules/6.13.0-1-amd64"
expect "a module tree without a kernel is passed over" leftover "" \
	"6.12.0-1-amd64 /usr/lib/modules/6.12.0-1-amd64/vmlinuz /usr/lib/modules/6.12.0-1-amd64/config"

mkdir -p "$T/empty/boot" "$T/empty/usr/lib/modules"
expect "no kernel at all: fails" empty "" die

mk noconfig usr 6.12.0-1-amd64
rm "$T/noconfig/usr/lib/modules/6.12.0-1-amd64/config"
expect "a kernel without its config: fails" noconfig "" die

results_summary
