# shellcheck shell=sh
# A throwaway Debian root for the package proofs: debootstrap's minbase of
# this machine's own suite (PK_SUITE) plus linux-image-amd64,
# initramfs-tools and the package's shared libraries, built once under
# build/ and never changed after that.  Each run
# gets a fresh writable copy of it as an overlay (PK_ROOT) and works only
# chrooted into that: the build machine's own /boot and /etc are never
# written.  Sourced by run.sh, which sets PK_WORK.

# pk_host_suite: the Debian suite this machine runs (the .deb built here
# depends on its libraries' versions): the first of apt's Debian lists
# that is no -updates or -security suite.
pk_host_suite() {
	apt-cache policy | sed -n 's/.*o=Debian,.*n=\([a-z]*\),.*/\1/p' | head -n 1
}

PK_SUITE=${PK_SUITE:-$(pk_host_suite)}
PK_SUITE=${PK_SUITE:-bookworm}
PK_MIRROR=${PK_MIRROR:-http://deb.debian.org/debian}
PK_BASE=$PK_WORK/base-$PK_SUITE
PK_ROOT=$PK_WORK/root
PK_UPPER=$PK_WORK/overlay
# libpci3: the .deb's dependency that minbase lacks, so that reruns need no
# network.  busybox and zstd: what initramfs-tools recommends, so what a
# default install has (without busybox the image has klibc's few tools).
PK_BASE_PACKAGES="linux-image-amd64 initramfs-tools busybox zstd libpci3"

pk_log() {
	printf '%s\n' "packages: $*" >&2
}

# pk_chroot DIR CMD...: runs CMD in DIR, non-interactive.
pk_chroot() {
	pk_dir=$1
	shift
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 chroot "$pk_dir" "$@"
}

pk_umount() {
	if mountpoint -q "$1"; then
		umount "$1"
	fi
}

# pk_make_base: debootstrap and the base packages into PK_BASE, /proc
# mounted only while apt runs.  policy-rc.d keeps package scripts from
# starting services.  The .done stamp marks a complete tree.
pk_make_base() {
	pk_log "debootstrap $PK_SUITE into $PK_BASE (once)"
	rm -rf -- "${PK_BASE:?}" "$PK_BASE.done"
	debootstrap --variant=minbase "$PK_SUITE" "$PK_BASE" "$PK_MIRROR" \
		>"$PK_WORK/debootstrap.log" 2>&1 || return 1
	printf '#!/bin/sh\nexit 101\n' >"$PK_BASE/usr/sbin/policy-rc.d"
	chmod 755 "$PK_BASE/usr/sbin/policy-rc.d"
	mount -t proc proc "$PK_BASE/proc" || return 1
	# shellcheck disable=SC2086 # a list of package names
	pk_chroot "$PK_BASE" apt-get install -y -q --no-install-recommends $PK_BASE_PACKAGES \
		>"$PK_WORK/base-apt.log" 2>&1
	pk_rc=$?
	pk_chroot "$PK_BASE" apt-get clean
	umount "$PK_BASE/proc"
	[ "$pk_rc" -eq 0 ] && touch "$PK_BASE.done"
}

# pk_fresh_root: PK_ROOT, an empty overlay on the base tree, /proc mounted.
pk_fresh_root() {
	pk_release_root
	if [ ! -e "$PK_BASE.done" ]; then
		pk_make_base || return 1
	fi
	rm -rf -- "${PK_UPPER:?}"
	mkdir -p "$PK_UPPER/upper" "$PK_UPPER/work" "$PK_ROOT"
	mount -t overlay overlay \
		-o "lowerdir=$PK_BASE,upperdir=$PK_UPPER/upper,workdir=$PK_UPPER/work" "$PK_ROOT" ||
		return 1
	mount -t proc proc "$PK_ROOT/proc"
}

# Unmounts what pk_fresh_root mounted (the trap of run.sh calls it too).
pk_release_root() {
	pk_umount "$PK_ROOT/proc"
	pk_umount "$PK_ROOT"
}

# pk_kver: the kernel version installed in the base tree.
pk_kver() {
	for pk_k in "$PK_BASE"/boot/vmlinuz-*; do
		pk_kv=${pk_k##*/vmlinuz-}
	done
	echo "${pk_kv:-}"
}

# pk_initrd_list OUT: the chroot's initramfs contents (its own lsinitramfs).
pk_initrd_list() {
	pk_chroot "$PK_ROOT" lsinitramfs "/boot/initrd.img-$PK_KVER" >"$1" 2>/dev/null
}

# pk_early_bind_files: files of the chroot with early-bind in their name,
# one a line, as paths inside the root.
pk_early_bind_files() {
	(cd "$PK_ROOT" && find . -path ./proc -prune -o -name '*early-bind*' -print) |
		sed 's|^\.||' | sort
}
