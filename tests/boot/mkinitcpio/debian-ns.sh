#!/bin/sh
# TEST ONLY (tests/boot), never installed.  Runs Arch's mkinitcpio, from a
# source tree whose placeholders lib.sh filled in, on Debian: run by lib.sh
# under `unshare -m`, so the mounts below exist for this process only and
# vanish with it; nothing of the host changes.
#
# mkinitcpio assumes Arch's paths: its base hook copies busybox from
# /usr/lib/initcpio/busybox, its udev and systemd hooks /usr/lib/libkmod.so.2 and both
# /usr/lib/udev/hwdb.bin and /etc/udev/hwdb.bin, its systemd hook
# sulogin, swapon and swapoff in /usr/bin (Debian: /usr/bin/busybox,
# /usr/lib/x86_64-linux-gnu/libkmod.so.2, the first hwdb only, /usr/sbin).
# Overlays on /usr/lib, /etc/udev and /usr/bin, their upper layers under
# WORK, provide them.
#
# usage: debian-ns.sh WORK MKINITCPIO ARGS...
set -eu

# upper WORK DIR: a fresh upper layer for DIR, printed.
upper() {
	up_d=$1/$(echo "$2" | tr / _)
	rm -rf -- "${up_d:?}"
	mkdir -p "$up_d/upper" "$up_d/work"
	echo "$up_d"
}

# overlay DIR LAYER: DIR shows LAYER/upper over itself, here only.
overlay() {
	mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$1"
}

main() {
	dn_work=$1 dn_tool=$2
	shift 2
	dn_lib=$(upper "$dn_work" /usr/lib)
	mkdir -p "$dn_lib/upper/initcpio"
	cp /usr/bin/busybox "$dn_lib/upper/initcpio/busybox"
	dn_kmod=$(find /usr/lib /lib -name 'libkmod.so.2' 2>/dev/null | head -n 1)
	[ -n "$dn_kmod" ] || {
		echo "debian-ns: no libkmod.so.2 on this host" >&2
		exit 1
	}
	# A copy, not a link: the systemd hook takes /usr/lib/libkmod.so* as a
	# link only (add_symlink, without its target) and systemd dlopen()s
	# libkmod from 257 on (Debian 13), so udevd would load no module.
	cp "$(readlink -f "$dn_kmod")" "$dn_lib/upper/libkmod.so.2"
	dn_udev=$(upper "$dn_work" /etc/udev)
	ln -s /usr/lib/udev/hwdb.bin "$dn_udev/upper/hwdb.bin"
	dn_bin=$(upper "$dn_work" /usr/bin)
	for dn_b in sulogin swapon swapoff; do
		[ -e "/usr/bin/$dn_b" ] || ln -s "/usr/sbin/$dn_b" "$dn_bin/upper/$dn_b"
	done
	# No propagation back to the host's mount table, whatever unshare's
	# default.
	mount --make-rprivate /
	overlay /usr/lib "$dn_lib"
	overlay /etc/udev "$dn_udev"
	overlay /usr/bin "$dn_bin"
	exec bash "$dn_tool" "$@"
}

main "$@"
