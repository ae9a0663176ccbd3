# shellcheck shell=sh
# A throwaway Debian root for the package proofs: debootstrap's minbase
# bookworm plus linux-image-amd64 and initramfs-tools, kept as a tarball
# under build/ so that reruns only unpack it.  Everything runs chrooted into
# that tree: the build machine's own /boot and /etc are never written.
# Sourced by run.sh, which sets PK_WORK.

PK_SUITE=${PK_SUITE:-bookworm}
PK_MIRROR=${PK_MIRROR:-http://deb.debian.org/debian}
PK_BASE=$PK_WORK/root-$PK_SUITE.tar
PK_ROOT=$PK_WORK/root

pk_log() {
	printf '%s\n' "packages: $*" >&2
}

# pk_chroot CMD...: runs CMD in the tree, non-interactive, no services.
pk_chroot() {
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 chroot "$PK_ROOT" "$@"
}

pk_mount_proc() {
	mountpoint -q "$PK_ROOT/proc" || mount -t proc proc "$PK_ROOT/proc"
}

pk_umount_proc() {
	if mountpoint -q "$PK_ROOT/proc"; then
		umount "$PK_ROOT/proc"
	fi
}

# Builds the base tree and its tarball.  policy-rc.d keeps package scripts
# from starting services inside the chroot.
pk_make_base() {
	pk_log "debootstrap $PK_SUITE (once; cached in $PK_BASE)"
	rm -rf -- "${PK_ROOT:?}"
	mkdir -p "$PK_WORK/debootstrap-cache"
	debootstrap --variant=minbase --cache-dir="$PK_WORK/debootstrap-cache" \
		"$PK_SUITE" "$PK_ROOT" "$PK_MIRROR" >"$PK_WORK/debootstrap.log" 2>&1 || return 1
	printf '#!/bin/sh\nexit 101\n' >"$PK_ROOT/usr/sbin/policy-rc.d"
	chmod 755 "$PK_ROOT/usr/sbin/policy-rc.d"
	pk_mount_proc
	pk_chroot apt-get install -y -q --no-install-recommends linux-image-amd64 initramfs-tools \
		>"$PK_WORK/base-apt.log" 2>&1
	pk_rc=$?
	pk_chroot apt-get clean
	pk_umount_proc
	[ "$pk_rc" -eq 0 ] || return 1
	tar -C "$PK_ROOT" -cf "$PK_BASE.tmp" . && mv "$PK_BASE.tmp" "$PK_BASE"
}

# pk_fresh_root: a fresh copy of the base tree in PK_ROOT, /proc mounted.
pk_fresh_root() {
	pk_umount_proc
	if [ ! -s "$PK_BASE" ]; then
		pk_make_base || return 1
	fi
	rm -rf -- "${PK_ROOT:?}"
	mkdir -p "$PK_ROOT"
	tar -C "$PK_ROOT" -xf "$PK_BASE" || return 1
	pk_mount_proc
}
