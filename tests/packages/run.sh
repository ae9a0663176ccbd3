#!/bin/sh
# Package tests (make check-packages): `make dist`, the .deb and the RPM
# built from its tarball with lintian and rpmlint, then the .deb installed,
# removed and purged with apt in a debootstrap chroot (tests/packages/
# debroot.sh), its initramfs checked with lsinitramfs after each step and
# booted in QEMU to bind a card.  Prints ok/FAIL lines and
# "N passed, M failed"; logs and trees are in build/packages/.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PK_WORK=${PK_WORK:-$ROOT/build/packages}
PK_BOOT_TIMEOUT=${PK_BOOT_TIMEOUT:-240}

# shellcheck source=tests/results.sh
. "$ROOT/tests/results.sh"
# shellcheck source=tests/packages/debroot.sh
. "$ROOT/tests/packages/debroot.sh"
# shellcheck source=tests/packages/build.sh
. "$ROOT/tests/packages/build.sh"

# pk_apt LOGNAME ARGS...: apt-get in the chroot, its output in a log.
pk_apt() {
	pk_log_file=$PK_WORK/$1.log
	shift
	pk_chroot "$PK_ROOT" apt-get -y -q "$@" >"$pk_log_file" 2>&1
}

# pk_rebuilt WHAT: the step ran update-initramfs (through the trigger) and
# the image changed.
pk_rebuilt() {
	check "$1: the trigger rebuilt the initramfs" \
		grep -q '^update-initramfs: Generating /boot/initrd.img' "$pk_log_file"
	pk_sum=$(cksum <"$PK_ROOT/boot/initrd.img-$PK_KVER")
	check "$1: the image changed" [ "$pk_sum" != "${PK_LAST_SUM:-}" ]
	PK_LAST_SUM=$pk_sum
	pk_log "$1: image $(stat -c %s "$PK_ROOT/boot/initrd.img-$PK_KVER") bytes"
}

# pk_in_image LIST PATTERN: an lsinitramfs line matches PATTERN (grep -E).
pk_in_image() {
	grep -Eq -- "$2" "$1"
}

pk_install() {
	cp "$PK_DEB" "$PK_ROOT/tmp/"
	PK_LAST_SUM=$(cksum <"$PK_ROOT/boot/initrd.img-$PK_KVER")
	pk_apt apt-install install "./tmp/${PK_DEB##*/}"
	pk_rc=$?
	rm -f "$PK_ROOT/tmp/${PK_DEB##*/}"
	check "apt install ./${PK_DEB##*/} in the chroot (log: $pk_log_file)" [ $pk_rc -eq 0 ] || return 1
	pk_rebuilt install
	pk_initrd_list "$PK_WORK/initrd-installed.list"
	for pk_p in '^usr/sbin/early-bind$' '^usr/lib/early-bind/early-bind-boot.sh$' \
		'^scripts/init-top/early-bind$' '/vfio-pci\.ko' '/vfio_iommu_type1\.ko' '/vfio[-_]pci[-_]core\.ko'; do
		check "installed: the image holds $pk_p" pk_in_image "$PK_WORK/initrd-installed.list" "$pk_p"
	done
	# The packaged binary is dynamic: copy_exec must have brought its libraries.
	for pk_lib in $(pk_chroot "$PK_ROOT" ldd /usr/sbin/early-bind | awk '/=>/ { print $1 }'); do
		check "installed: the image holds the binary's library $pk_lib" \
			pk_in_image "$PK_WORK/initrd-installed.list" "/$pk_lib\$"
	done
}

# pk_boot: the chroot's kernel and image in QEMU with a 4-function card at
# 00:03 (vfio.devices=00:03) and the host's VGA at 00:04.  No root= is
# given: initramfs-tools panics after init-top, and panic=-1 ends the VM.
pk_boot() {
	pk_console=$PK_WORK/boot.console
	rm -f "$pk_console"
	timeout --kill-after=10 "$PK_BOOT_TIMEOUT" qemu-system-x86_64 \
		-accel tcg -M q35,kernel-irqchip=split -m 512 -nodefaults -display none -no-reboot \
		-kernel "$PK_ROOT/boot/vmlinuz-$PK_KVER" -initrd "$PK_ROOT/boot/initrd.img-$PK_KVER" \
		-append "console=ttyS0 panic=-1 vfio.devices=00:03" -serial "file:$pk_console" \
		-device intel-iommu,intremap=on \
		-device VGA,addr=03.0,multifunction=on -device ich9-intel-hda,addr=03.1 \
		-device qemu-xhci,addr=03.2 -device pci-serial,addr=03.3 -device VGA,addr=04.0 \
		</dev/null >"$PK_WORK/boot.qemu" 2>&1
	check "boot: QEMU ended within ${PK_BOOT_TIMEOUT}s (console: $pk_console)" [ $? -ne 124 ]
	for pk_fn in 0 1 2 3; do
		check "boot: early-bind bound 0000:00:03.$pk_fn to vfio-pci" \
			grep -Eq "early-bind: 0000:00:03\\.$pk_fn .* -> vfio-pci" "$pk_console"
	done
	check "boot: the host's card at 00:04 was left alone" \
		[ -z "$(grep 'early-bind: 0000:00:04' "$pk_console")" ]
	check "boot: early-bind logged no error" [ -z "$(grep 'early-bind: error' "$pk_console")" ]
	check "boot: the init-top script found every command it runs" \
		[ -z "$(grep 'init-top/early-bind:.*not found' "$pk_console")" ]
}

# pk_remove: the image is rebuilt without early-bind; only the conffiles
# (and dpkg's record of them) stay, and the GRUB script does nothing.
pk_remove() {
	pk_apt apt-remove remove early-bind
	check "apt remove early-bind (log: $pk_log_file)" [ $? -eq 0 ] || return 1
	pk_rebuilt remove
	pk_initrd_list "$PK_WORK/initrd-removed.list"
	check "removed: the image has no early-bind file" \
		[ -z "$(grep early-bind "$PK_WORK/initrd-removed.list")" ]
	check "removed: only the conffiles are left" \
		[ "$(pk_early_bind_files | grep -v '^/var/lib/dpkg/info/')" = \
			"$(echo "$PK_DEB_CONFFILES" | sort)" ]
	check "removed: the kept /etc/grub.d/42_early-bind prints nothing and succeeds" \
		[ -z "$(pk_chroot "$PK_ROOT" sh /etc/grub.d/42_early-bind 2>&1 || echo failed)" ]
}

pk_purge() {
	pk_apt apt-purge purge early-bind
	check "apt purge early-bind (log: $pk_log_file)" [ $? -eq 0 ] || return 1
	check "purged: no early-bind file anywhere in the chroot" [ -z "$(pk_early_bind_files)" ]
	pk_initrd_list "$PK_WORK/initrd-purged.list"
	check "purged: the image has no early-bind file" \
		[ -z "$(grep early-bind "$PK_WORK/initrd-purged.list")" ]
}

# pk_timed NAME FUNCTION: runs FUNCTION, logging how long it took.
pk_timed() {
	pk_t0=$(date +%s)
	"$2"
	pk_rc=$?
	pk_log "$1: $(($(date +%s) - pk_t0)) s"
	return $pk_rc
}

pk_packages() {
	pk_versions
	pk_timed dist pk_dist || return 1
	pk_timed deb pk_build_deb && pk_check_deb && pk_timed lintian pk_lintian
	pk_timed rpm pk_build_rpm && pk_check_rpm
}

pk_chroot_proofs() {
	[ -s "${PK_DEB:-}" ] || return 1
	check "chroot: a fresh root on the cached base" pk_timed root pk_fresh_root || return 1
	PK_KVER=$(pk_kver)
	pk_timed install pk_install || return 1
	pk_timed boot pk_boot
	pk_timed remove pk_remove && pk_timed purge pk_purge
}

main() {
	mkdir -p "$PK_WORK"
	[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ] ||
		pk_log "note: make dist packs HEAD; uncommitted changes are not tested"
	trap pk_release_root EXIT
	trap 'exit 1' HUP INT TERM
	pk_t_all=$(date +%s)
	pk_packages
	pk_chroot_proofs
	pk_release_root
	pk_log "all: $(($(date +%s) - pk_t_all)) s"
	results_summary
}

main "$@"
