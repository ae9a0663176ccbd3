# shellcheck shell=sh
# proxmox: early-bind-bls --proxmox and the zzz-early-bind kernel hook
# against proxmox-boot-tool's documented interface, on a staged tree (no
# Proxmox code here, and no network to fetch it): the ESP list
# /etc/kernel/proxmox-boot-uuids, the ESPs as /dev/disk/by-uuid/UUID (here
# links to disk images), each holding what its zz-proxmox-boot hook writes:
# loader/loader.conf ("default proxmox-*"), the kernel under
# EFI/proxmox/VERSION/ and loader/entries/proxmox-VERSION.conf.

PVE_KVER=6.8.12-4-pve
PVE_CMDLINE="root=ZFS=rpool/ROOT/pve-1 boot=zfs"

# pve_esp IMAGE: an image holding what proxmox-boot-tool leaves on an ESP.
pve_esp() {
	pe_d=$X/tree
	rm -rf "$pe_d" && mkdir -p "$pe_d/loader/entries" "$pe_d/EFI/proxmox/$PVE_KVER"
	printf 'timeout 3\ndefault proxmox-*\n' >"$pe_d/loader/loader.conf"
	: >"$pe_d/EFI/proxmox/$PVE_KVER/vmlinuz-$PVE_KVER"
	: >"$pe_d/EFI/proxmox/$PVE_KVER/initrd.img-$PVE_KVER"
	cat >"$pe_d/loader/entries/proxmox-$PVE_KVER.conf" <<-EOF2
		title    Proxmox Virtual Environment
		version  $PVE_KVER
		options  $PVE_CMDLINE
		linux    /EFI/proxmox/$PVE_KVER/vmlinuz-$PVE_KVER
		initrd   /EFI/proxmox/$PVE_KVER/initrd.img-$PVE_KVER
	EOF2
	rm -f "$1" && mkfs.ext4 -q -d "$pe_d" "$1" 8M >/dev/null
}

pve_ls() { # IMAGE: the names in loader/entries
	debugfs -R 'ls -l /loader/entries' "$1" 2>/dev/null | awk '{ print $NF }'
}

pve_cat() { # IMAGE NAME: an entry's text
	debugfs -R "cat /loader/entries/$2" "$1" 2>/dev/null
}

pve_has() { # IMAGE NAME LINE: the entry holds that line
	pve_cat "$1" "$2" | grep -qxF -- "$3"
}

pve_count() { # IMAGE N: N profile entries in the image
	[ "$(pve_ls "$1" | grep -c 'early-bind-')" = "$2" ]
}

pve_bls() { # NAME ARGS...: early-bind-bls on the staged Proxmox tree
	pb_n=$1
	shift
	EARLY_BIND_PROXMOX_UUIDS=$X/proxmox-boot-uuids EARLY_BIND_DISK_BY_UUID=$X/by-uuid \
		"$@" >"$X/$pb_n.out" 2>&1
	echo $? >"$X/$pb_n.rc"
}

part_proxmox() {
	X=$W/proxmox
	mkdir -p "$X/by-uuid"
	if ! pve_esp "$X/esp1.img" || ! pve_esp "$X/esp2.img"; then
		fail "proxmox: making the ESP images"
		return
	fi
	# A GRUB ESP of proxmox-boot-tool: grub/ and kernels, no loader/.
	rm -rf "$X/grub-tree" && mkdir -p "$X/grub-tree/grub" && : >"$X/grub-tree/vmlinuz-$PVE_KVER"
	rm -f "$X/esp3.img" && mkfs.ext4 -q -d "$X/grub-tree" "$X/esp3.img" 8M >/dev/null
	ln -sf "$X/esp1.img" "$X/by-uuid/1234-ABCD"
	ln -sf "$X/esp2.img" "$X/by-uuid/5678-EF01"
	ln -sf "$X/esp3.img" "$X/by-uuid/0A0B-0C0D"
	printf '1234-ABCD\n5678-EF01\n9999-0000\nnot-a-uuid\n0A0B-0C0D\n' >"$X/proxmox-boot-uuids"
	pve_bls update env TMPDIR="$X" "$H/sbin/early-bind-bls" --proxmox update
	pv_want="options  $PVE_CMDLINE vfio.devices=00:03 video=efifb:off"
	for pv_i in esp1 esp2; do
		check "proxmox: --proxmox update wrote the vm entry on $pv_i, Proxmox's options + the profile's" \
			pve_has "$X/$pv_i.img" "proxmox-$PVE_KVER-early-bind-vm.conf" "$pv_want" ||
			show "$X/update.out"
	done
	check "proxmox: every good profile on each ESP (vm, both, host)" pve_count "$X/esp2.img" 3
	check "proxmox: a listed ESP that does not exist and a line that is no VFAT UUID are reported" \
		sh -c "grep -q '9999-0000 does not exist' '$X/update.out' && grep -q \"'not-a-uuid' .* not a VFAT UUID\" '$X/update.out'"
	check "proxmox: a GRUB ESP is skipped, said, and left unchanged" \
		sh -c "grep -q 'ESP 0A0B-0C0D has no loader/entries' '$X/update.out' && ! grep -q '0A0B-0C0D.*does not exist' '$X/update.out' &&
			! debugfs -R 'ls /' '$X/esp3.img' 2>/dev/null | grep -q loader"
	check "proxmox: no ESP left mounted, no mount point left" \
		sh -c "! grep -q '$X' /proc/self/mounts && ! ls -d '$X'/early-bind-esp.* >/dev/null 2>&1"
	check "proxmox: Proxmox's own entry untouched" \
		pve_has "$X/esp1.img" "proxmox-$PVE_KVER.conf" "options  $PVE_CMDLINE"
	# A kernel removed from the first ESP (what zz-proxmox-boot does), then
	# the kernel hook: its profile entries go with it there only.
	debugfs -w -R "rm /loader/entries/proxmox-$PVE_KVER.conf" "$X/esp1.img" >/dev/null 2>&1
	pve_bls hook env TMPDIR="$X" EARLY_BIND_BLS="$H/sbin/early-bind-bls" "$H/etc/kernel/postinst.d/zzz-early-bind"
	check "proxmox: the kernel hook exits 0 despite the bad profiles" rc_is "$X/hook.rc" 0
	check "proxmox: the kernel hook drops the entries of a kernel Proxmox removed, on that ESP" \
		pve_count "$X/esp1.img" 0 || show "$X/hook.out"
	check "proxmox: ...and keeps the other ESP's" pve_count "$X/esp2.img" 3
	EARLY_BIND_PROXMOX_UUIDS=$X/absent EARLY_BIND_BLS="$H/sbin/early-bind-bls" \
		"$H/etc/kernel/postinst.d/zzz-early-bind" >"$X/none.out" 2>&1
	pv_rc=$?
	check "proxmox: the kernel hook does nothing where proxmox-boot-tool keeps no ESP" \
		sh -c "[ $pv_rc = 0 ] && [ ! -s '$X/none.out' ]"
}
