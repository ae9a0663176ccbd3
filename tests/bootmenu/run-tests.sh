#!/bin/sh
# Tests of the per-boot profile menus (hook/bootmenu/), part of `make check`.
# One file a part, parts/NAME.sh, run in this order:
#
#   stage      hook/bootmenu/ installed as `make install` would, the test profiles
#   profiles   reading and checking /etc/default/early-bind (profiles.sh)
#   grub-stub  42_early-bind's failure paths, against a stub 10_linux
#   bls        early-bind-bls update/remove on a fake /boot
#   proxmox    early-bind-bls --proxmox and the zzz-early-bind kernel hook on
#              staged proxmox-boot-tool ESPs (disk images)
#   kinst      the test initramfs; real kernel-install, two kernels, the
#              plugin, into a fake ESP
#   uki        in a Debian 13 chroot (build/uki/trixie, made once): real
#              kernel-install with layout=uki, the plugin and early-bind-uki
#              build a multi-profile UKI; its sections, list/next, signing
#   grub       real grub-install + grub-mkconfig (with Debian's 10_linux) in
#              a chroot on a loop-device disk image
#   boot       that disk under QEMU: GRUB's default entry, then the entry
#              grub-reboot scheduled; the fake ESP under OVMF: systemd-boot's
#              default entry, then a profile entry; the UKI with Debian 13's
#              systemd-boot: profile @0, a one-shot profile, and signed with
#              Secure Boot on; each time the guest's initramfs reports which
#              driver holds each PCI function
#
# Usage: tests/bootmenu/run-tests.sh [--no-boot]
# Needs root (loop devices, mount namespaces, chroot), build/early-bind
# (`make`) and the packages of tests/setup-debian.sh.  Everything happens in
# build/bootmenu/, in private mount namespaces and in images: the host's
# /boot, /etc/grub.d, /etc/default and boot loader are never used or changed.
# Prints "ok ..." / "FAIL ..." lines, then "N passed, M failed".
set -u

PARTS="stage profiles grub-stub bls proxmox kinst uki grub boot"

# preflight: what the parts need; the run ends at the first thing missing.
preflight() {
	if [ "$(id -u)" -ne 0 ]; then
		fail "preflight: needs root (loop devices, mount namespaces, chroot)"
		finish
	fi
	if [ ! -x "$BIN" ]; then
		fail "preflight: $BIN missing (run make)"
		finish
	fi
	pf_missing=
	for pf_t in grub-mkconfig grub-install grub-script-check grub-editenv grub-reboot \
		kernel-install sfdisk mformat mcopy mkfs.ext4 debugfs losetup partx blkid unshare \
		qemu-system-x86_64 timeout awk debootstrap iconv od; do
		command -v "$pf_t" >/dev/null 2>&1 || pf_missing="$pf_missing $pf_t"
	done
	for pf_f in /etc/grub.d/00_header /etc/grub.d/10_linux /usr/lib/grub/i386-pc/modinfo.sh \
		/usr/lib/systemd/boot/efi/systemd-bootx64.efi /usr/share/OVMF/OVMF_CODE_4M.fd \
		/usr/share/OVMF/OVMF_VARS_4M.fd /usr/share/OVMF/OVMF_CODE_4M.secboot.fd \
		/usr/lib/kernel/install.d/90-loaderentry.install; do
		[ -e "$pf_f" ] || pf_missing="$pf_missing $pf_f"
	done
	if [ -n "$pf_missing" ]; then
		fail "preflight: missing (install with tests/setup-debian.sh):$pf_missing"
		finish
	fi
}

# fresh_workdir: an empty build/bootmenu; a run killed half-way can leave
# its disk image attached.
fresh_workdir() {
	for fw_l in $(losetup -j "$IMG" 2>/dev/null | cut -d: -f1); do
		losetup -d "$fw_l"
	done
	rm -rf -- "${W:?}"
	mkdir -p "$W" "$LOGS"
}

# pick_kernels: the host's kernel, and a second, older "kernel" (the same
# files under another version), so that every generator has more than one
# kernel to handle.
pick_kernels() {
	eb_pick_kernel
	KVER=$EB_KVER
	FAKE_KVER=6.1.0-1-amd64
	[ "$FAKE_KVER" != "$KVER" ] || FAKE_KVER=6.1.0-0-amd64
}

main() {
	m_dir=$(cd "$(dirname "$0")" && pwd)
	# shellcheck source=tests/bootmenu/common.sh
	. "$m_dir/common.sh"
	bm_init "$m_dir"
	for m_part in "$m_dir"/parts/*.sh; do
		# shellcheck source=/dev/null # each part's functions
		. "$m_part"
	done
	if [ "${1:-}" = --inner ]; then
		shift
		# Values the outer run computed.
		KVER=$BM_KVER FAKE_KVER=$BM_FAKE_KVER
		"$@"
		exit $?
	fi
	m_parts=$PARTS
	[ "${1:-}" = --no-boot ] && m_parts=${PARTS% boot}
	preflight
	fresh_workdir
	m_t0=$(date +%s)
	pick_kernels
	for m_part in $m_parts; do
		"part_$(echo "$m_part" | tr - _)"
	done
	if [ "$m_parts" != "$PARTS" ]; then
		echo "# --no-boot: boot tests skipped ($(($(date +%s) - m_t0)) s)"
	else
		echo "# bootmenu tests took $(($(date +%s) - m_t0)) s"
	fi
	finish
}

main "$@"
