# shellcheck shell=sh
# boot: the grub part's disk under QEMU (tests/boot/qemu.sh): GRUB's
# default entry, the entry grub-reboot scheduled, the one grub-set-default
# chose; then the kinst part's ESP under OVMF: systemd-boot's default entry
# and a profile entry.  Each time the guest's initramfs reports which driver
# holds each PCI function.

# qboot NAME DISK [FIRMWARE-ARGS...]: boots DISK on the test machine with
# the IOMMU and the two cards of tests/boot (the one to pass through at
# 00:03, the host's at 00:04).
qboot() {
	qb_name=$1 qb_disk=$2
	shift 2
	# shellcheck disable=SC2086 # device lists are split on purpose
	eb_qemu "$qb_name" "$@" $EB_IOMMU $EB_CARDS -drive "file=$qb_disk,format=raw,if=ide"
}

# drivers_are REPORT DRIVER|not-vfio ADDR...: each function's driver.
drivers_are() {
	da_r=$1 da_want=$2
	shift 2
	for da_a; do
		da_d=$(eb_driver "$da_r" "$da_a")
		case $da_want in
		not-vfio) [ -n "$da_d" ] && [ "$da_d" != vfio-pci ] || return 1 ;;
		*) [ "$da_d" = "$da_want" ] || return 1 ;;
		esac
	done
}

# boot_checks NAME LABEL WANT03 WANT04 CMDLINE-GREP: the usual assertions.
boot_checks() {
	bc_r=$LOGS/$1.report
	if ! eb_report_complete "$bc_r"; then
		fail "$2: the guest's report is incomplete (exit $EB_BOOT_RC after $EB_BOOT_SECS s; see $LOGS/$1.console)"
		tail -n 15 "$LOGS/$1.console" 2>/dev/null | sed 's/^/    | /'
		return
	fi
	ok "$2: booted and reported in $EB_BOOT_SECS s"
	check "$2: card 00:03 -> $3" drivers_are "$bc_r" "$3" \
		0000:00:03.0 0000:00:03.1 0000:00:03.2 0000:00:03.3 ||
		grep '^EBT pci 0000:00:0[34]' "$bc_r" | sed 's/^/    | /'
	check "$2: card 00:04 -> $4" drivers_are "$bc_r" "$4" \
		0000:00:04.0 0000:00:04.1 0000:00:04.2 0000:00:04.3
	check "$2: kernel command line ($5)" sh -c "grep '^EBT cmdline ' '$bc_r' | grep -q -- '$5'"
}

eb_said() { # REPORT PATTERN: early-bind logged a line matching PATTERN
	eb_eb_lines "$1" | grep -q -- "$2"
}

# grub_env NAME: grubenv as grub-editenv lists it, in $R/grubenv.NAME.
grub_env() {
	inner inner_grub_cmd "$LOOP" "$MNT" grub-editenv /boot/grub/grubenv list >"$R/grubenv.$1" 2>&1
}

# GRUB, 1: nothing scheduled; GRUB_DEFAULT=saved with no saved entry boots
# the first entry, the distribution's: every card stays with the host.
boot_grub_default() {
	qboot grub-default "$IMG"
	boot_checks grub-default "boot grub default" not-vfio not-vfio "root=UUID=.* ro console=ttyS0 panic=-1 *\$"
	check "boot grub default: GRUB booted 'Debian GNU/Linux'" grep -q "Booting .Debian GNU/Linux'" "$LOGS/grub-default.console"
}

# GRUB, 2: grub-reboot, as a user schedules "next boot goes to the VM".
boot_grub_reboot() {
	br_title="Debian GNU/Linux (early-bind: vm)"
	inner inner_grub_cmd "$LOOP" "$MNT" grub-reboot "$br_title" >"$LOGS/grub-reboot.log" 2>&1
	grub_env before
	check "grub: grub-reboot '$br_title' sets next_entry" grep -qxF "next_entry=$br_title" "$R/grubenv.before" ||
		show "$LOGS/grub-reboot.log"
	qboot grub-reboot "$IMG"
	boot_checks grub-reboot "boot grub-reboot vm" vfio-pci not-vfio "ro console=ttyS0 panic=-1 vfio.devices=00:03 video=efifb:off\$"
	check "boot grub-reboot vm: GRUB booted '$br_title'" grep -qF "Booting \`$br_title'" "$LOGS/grub-reboot.console"
	check "boot grub-reboot vm: early-bind bound the profile's functions" \
		eb_said "$LOGS/grub-reboot.report" "^early-bind: 0000:00:03.0 .* -> vfio-pci"
	grub_env after
	check "boot grub-reboot vm: one-shot: GRUB cleared next_entry (the next boot is the default again)" \
		grep -qx "next_entry=" "$R/grubenv.after"
}

# GRUB, 3: GRUB_DEFAULT=saved and grub-set-default by id, for an entry in a
# profile's "Advanced options" submenu (the older kernel): ids are what
# stays valid when titles change with translations or GRUB_DISTRIBUTOR.
boot_grub_saved() {
	bs_dev=$(sed -n "s/.*'early-bind-both-gnulinux-simple-\\([^']*\\)'.*/\\1/p" "$CFG" | head -n 1)
	bs_id="early-bind-both-gnulinux-advanced-$bs_dev>early-bind-both-gnulinux-$FAKE_KVER-advanced-$bs_dev"
	inner inner_grub_cmd "$LOOP" "$MNT" grub-set-default "$bs_id" >"$LOGS/grub-set-default.log" 2>&1
	qboot grub-saved "$IMG"
	boot_checks grub-saved "boot grub-set-default both (older kernel)" vfio-pci vfio-pci \
		"BOOT_IMAGE=/boot/vmlinuz-$FAKE_KVER .* vfio.devices=00:03,00:04\$"
	check "boot grub-set-default both: GRUB booted the submenu entry" \
		grep -qF "Booting \`Debian GNU/Linux, with Linux $FAKE_KVER (early-bind: both)'" "$LOGS/grub-saved.console"
	grub_env saved
	check "boot grub-set-default both: the saved entry stays for the boots after" \
		grep -qxF "saved_entry=$bs_id" "$R/grubenv.saved"
}

# build_esp LOADER.CONF-TEXT [DIR]: a GPT disk with one FAT partition holding the
# ESP kernel-install filled (or DIR), made with mtools (no mount needed).
build_esp() {
	rm -f "$K/esp.img" "$K/part.img"
	truncate -s 48M "$K/part.img" &&
		mformat -i "$K/part.img" -H 2048 -v ESP :: &&
		mcopy -s -i "$K/part.img" "${2:-$S/esp}/"* ::/ &&
		printf '%s\n' "$1" >"$K/loader.conf" &&
		mcopy -o -i "$K/part.img" "$K/loader.conf" ::/loader/loader.conf &&
		truncate -s 50M "$K/esp.img" &&
		printf 'label: gpt\nstart=2048, size=98304, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n' |
		sfdisk -q "$K/esp.img" &&
		dd if="$K/part.img" of="$K/esp.img" bs=1M seek=1 conv=notrunc status=none
}

ovmf() { # NAME [VARS]: boot the ESP under OVMF with fresh variables (or VARS')
	cp "${2:-/usr/share/OVMF/OVMF_VARS_4M.fd}" "$K/vars.fd"
	qboot "$1" "$K/esp.img" \
		-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
		-drive "if=pflash,format=raw,file=$K/vars.fd"
}

# systemd-boot, 1: no default configured: its first entry must be the
# kernel's own, not a profile's (the sort order of the entry names).
# systemd-boot, 2: a profile entry picked by loader.conf's default pattern.
boot_sdboot() {
	if build_esp "timeout 0"; then
		ovmf sdboot-default
		boot_checks sdboot-default "boot systemd-boot default" not-vfio not-vfio "systemd.machine_id=$MID\$"
	else
		fail "boot systemd-boot: building the ESP image"
	fi
	if build_esp "timeout 0
default *-early-bind-both.conf"; then
		ovmf sdboot-both
		boot_checks sdboot-both "boot systemd-boot profile both" vfio-pci vfio-pci "systemd.machine_id=$MID vfio.devices=00:03,00:04\$"
	else
		fail "boot systemd-boot: building the ESP image"
	fi
}

part_boot() {
	boot_grub_default
	boot_grub_reboot
	boot_grub_saved
	grub_detach
	boot_sdboot
	boot_uki
}
