#!/bin/sh
# TEST ONLY (tests/stacks): runs COMMAND chrooted into a stack's root, in a
# private mount namespace of its own.  run.sh starts it as
#   unshare -m --propagation private sh ns.sh ROOT CACHE COMMAND...
# so every mount below exists for this process only and vanishes with it;
# the trap unmounts them all the same.
#
# Mounted: the root on itself (mkinitcpio's debian-ns.sh remounts / private,
# which needs / to be a mount point), /proc, the host's /dev bound (QEMU,
# /dev/null, /dev/urandom), a tmpfs on /dev/shm, and CACHE (the suite's own
# .deb cache under build/stacks) on /var/cache/apt/archives so that a
# re-created stack downloads nothing.  Never /sys: nothing in the stack
# needs the host's devices (the host-only dracut check runs without it).
#
# usage: ns.sh ROOT CACHE COMMAND...
set -eu

ns_root=$1 ns_cache=$2
shift 2
NS_MOUNTED=""

ns_mount() { # MOUNT-ARGS... TARGET (the target last)
	for ns_t in "$@"; do :; done
	mount "$@"
	NS_MOUNTED="$ns_t $NS_MOUNTED"
}

ns_release() {
	for ns_m in $NS_MOUNTED; do
		umount -l "$ns_m" 2>/dev/null || true
	done
	NS_MOUNTED=""
}
trap ns_release EXIT
trap 'exit 130' INT TERM

mount --make-rprivate /
ns_mount --bind "$ns_root" "$ns_root"
ns_mount -t proc proc "$ns_root/proc"
ns_mount --bind /dev "$ns_root/dev"
ns_mount -t tmpfs -o mode=1777,size=256m tmpfs "$ns_root/dev/shm"
mkdir -p "$ns_cache" "$ns_root/var/cache/apt/archives"
ns_mount --bind "$ns_cache" "$ns_root/var/cache/apt/archives"
ns_rc=0
chroot "$ns_root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
	MKINITCPIO_TARBALL=/src/shared/tools/mkinitcpio-41.tar.gz "$@" || ns_rc=$?
ns_release
exit "$ns_rc"
