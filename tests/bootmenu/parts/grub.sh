# shellcheck shell=sh
# shellcheck disable=SC2034 # INNER_MNT is read by inner_umount (common.sh)
# grub: real grub-install and grub-mkconfig (with Debian's own 00_header and
# 10_linux, our 42_early-bind) in a chroot on a loop-device disk image,
# then the menu they wrote checked entry by entry; the boot part boots
# that disk and schedules entries with grub-reboot and grub-set-default.

# Populate the image's root: kernels, the test initramfs, Debian's own
# 00_header and 10_linux, our generator and profiles, /etc/default/grub.
inner_populate() {
	LOOP=$1 MNT=$2
	INNER_MNT=$MNT
	trap inner_umount EXIT
	mount "${LOOP}p1" "$MNT" || return 1
	mkdir -p "$MNT/boot" "$MNT/etc/grub.d" "$MNT/etc/default"
	cp "/boot/vmlinuz-$KVER" "/boot/config-$KVER" "$MNT/boot/"
	cp "$W/initrd.img" "$MNT/boot/initrd.img-$KVER"
	ln "$MNT/boot/vmlinuz-$KVER" "$MNT/boot/vmlinuz-$FAKE_KVER"
	ln "$MNT/boot/initrd.img-$KVER" "$MNT/boot/initrd.img-$FAKE_KVER"
	cp /etc/grub.d/00_header /etc/grub.d/10_linux "$MNT/etc/grub.d/"
	stage "$MNT" /opt/early-bind/sbin /opt/early-bind/lib /etc /opt/early-bind/kernel-install
	cp "$H/etc/default/early-bind" "$MNT/etc/default/early-bind"
	cat >"$MNT/etc/default/grub" <<-'EOF'
		GRUB_DEFAULT=saved
		GRUB_TIMEOUT=0
		GRUB_DISTRIBUTOR=Debian
		GRUB_CMDLINE_LINUX_DEFAULT=""
		GRUB_CMDLINE_LINUX="console=ttyS0 panic=-1"
		GRUB_TERMINAL=serial
		GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
		GRUB_DISABLE_OS_PROBER=true
	EOF
}

# inner_chroot_setup LOOP MNT: mounts the image's root at MNT and makes it
# a root that grub-mkconfig can probe: the host's /usr read-only, /proc,
# /sys, and a private /dev holding only the nodes it needs, with the
# /dev/disk/by-uuid link that udev would make (10_linux uses it to choose
# root=UUID=...).
inner_chroot_setup() {
	INNER_MNT=$2
	trap inner_umount EXIT
	mkdir -p "$2"
	mount "${1}p1" "$2" || return 1
	mkdir -p "$2/usr" "$2/proc" "$2/sys" "$2/dev" "$2/tmp" "$2/run"
	for l in bin sbin lib lib64; do
		[ -e "$2/$l" ] || [ -L "$2/$l" ] || ln -s "usr/$l" "$2/$l"
	done
	mount --bind /usr "$2/usr" && mount -o remount,bind,ro "$2/usr" || return 1
	mount -t proc proc "$2/proc" || return 1
	mount --rbind /sys "$2/sys" || return 1
	mount -t tmpfs -o mode=755 bmdev "$2/dev" || return 1
	for n in null zero full random urandom tty; do
		cp -a "/dev/$n" "$2/dev/"
	done
	cp -a "$1" "${1}p1" "$2/dev/"
	uuid=$(blkid -s UUID -o value "${1}p1")
	mkdir -p "$2/dev/disk/by-uuid"
	ln -s "../../${1#/dev/}p1" "$2/dev/disk/by-uuid/$uuid"
}

# in_chroot MNT COMMAND...: a clean environment, as a root shell would have.
in_chroot() {
	ic_root=$1
	shift
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb chroot "$ic_root" "$@"
}

# inner_grub_build LOOP MNT: grub-install, then grub-mkconfig twice (the
# normal menu, and one with GRUB_DISABLE_SUBMENU=y), then a copy of what
# the tests look at.
inner_grub_build() {
	inner_chroot_setup "$1" "$2" || return 1
	in_chroot "$2" grub-install --target=i386-pc "$1" >"$LOGS/grub-install.log" 2>&1 ||
		return 1
	in_chroot "$2" grub-mkconfig -o /boot/grub/grub.cfg \
		>"$LOGS/grub-mkconfig.out" 2>"$LOGS/grub-mkconfig.err"
	echo $? >"$W/grub/mkconfig.rc"
	cp "$2/boot/grub/grub.cfg" "$W/grub/grub.cfg" 2>/dev/null
	# Same generator, flat menu: the ids must stay unique without submenus.
	cp "$2/etc/default/grub" "$W/grub/default-grub.saved"
	echo 'GRUB_DISABLE_SUBMENU=y' >>"$2/etc/default/grub"
	in_chroot "$2" grub-mkconfig -o /boot/grub/flat.cfg \
		>"$LOGS/grub-mkconfig-flat.out" 2>&1
	echo $? >"$W/grub/mkconfig-flat.rc"
	cp "$2/boot/grub/flat.cfg" "$W/grub/flat.cfg" 2>/dev/null
	rm -f "$2/boot/grub/flat.cfg"
	cp "$W/grub/default-grub.saved" "$2/etc/default/grub"
	return 0
}

# inner_grub_cmd LOOP MNT COMMAND...: one command in the image's chroot.
inner_grub_cmd() {
	gc_loop=$1 gc_mnt=$2
	shift 2
	inner_chroot_setup "$gc_loop" "$gc_mnt" || return 1
	in_chroot "$gc_mnt" "$@"
}

# grub_detach: the loop device goes with the run, however it ends.
grub_detach() {
	if [ -n "$LOOP" ]; then
		losetup -d "$LOOP" 2>/dev/null
		LOOP=
	fi
}

# grub_disk: a DOS-labelled disk image with one ext4 partition, on a loop
# device (LOOP); the run ends here without one.
grub_disk() {
	trap grub_detach EXIT
	trap 'exit 1' HUP INT TERM
	truncate -s 96M "$IMG"
	printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$IMG"
	LOOP=$(losetup -P --show -f "$IMG") || fail "grub: losetup"
	# Partition scanning can lag or not happen here; ask once more.
	[ -b "${LOOP}p1" ] || partx -a "$LOOP" 2>/dev/null
	[ -b "${LOOP}p1" ] || { sleep 1; blockdev --rereadpt "$LOOP" 2>/dev/null; }
	if [ -n "$LOOP" ] && [ -b "${LOOP}p1" ] && mkfs.ext4 -q -L bmroot "${LOOP}p1"; then
		ok "grub: disk image on $LOOP, ext4 on ${LOOP}p1"
	else
		fail "grub: could not make the disk image's partition"
		finish
	fi
}

# grub_build: the image populated, grub-install and grub-mkconfig run.
grub_build() {
	mkdir -p "$MNT"
	inner inner_populate "$LOOP" "$MNT" >"$LOGS/grub-populate.log" 2>&1 ||
		fail "grub: populating the image (see $LOGS/grub-populate.log)"
	inner inner_grub_build "$LOOP" "$MNT" >"$LOGS/grub-build.log" 2>&1
	check "grub: grub-install on the image" grep -q "No error reported" "$LOGS/grub-install.log" ||
		show "$LOGS/grub-install.log"
	check "grub: grub-mkconfig succeeds (despite the bad profiles)" [ "$(cat "$R/mkconfig.rc" 2>/dev/null)" = 0 ] ||
		show "$LOGS/grub-mkconfig.err"
	check "grub: grub.cfg passes grub-script-check" grub-script-check "$CFG"
	for p in bad evil glob nodev dup-devices; do
		check "grub: profile '$p' reported on grub-mkconfig's stderr" \
			grep -q "^42_early-bind: profile '$p' .*left out" "$LOGS/grub-mkconfig.err"
	done
	check "grub: no entry for any bad profile" \
		sh -c "! grep -E 'early-bind-(bad|evil|glob|nodev|dup-devices)-' '$CFG'"
}

ids() { # CFG: every menu entry id
	sed -n "s/.*\\\$menuentry_id_option '\\([^']*\\)'.*/\\1/p" "$1"
}

unique() { # FILE: non-empty, no line twice
	[ -s "$1" ] && [ -z "$(sort "$1" | uniq -d)" ]
}

# grub_ids: the ids stay unique, with submenus and without.
grub_ids() {
	ids "$CFG" >"$R/ids"
	ids "$R/flat.cfg" >"$R/ids-flat"
	check "grub: menu entry ids are unique ($(wc -l <"$R/ids") ids)" unique "$R/ids"
	check "grub: GRUB_DISABLE_SUBMENU=y: grub-mkconfig succeeds" rc_is "$R/mkconfig-flat.rc" 0
	check "grub: GRUB_DISABLE_SUBMENU=y: ids unique ($(wc -l <"$R/ids-flat") ids)" unique "$R/ids-flat"
	check "grub: GRUB_DISABLE_SUBMENU=y: grub-script-check" grub-script-check "$R/flat.cfg"
}

# grub_profile NAME: the profile's part of grub.cfg is 10_linux's entries,
# renamed and with the profile's options, and nothing else.
grub_profile() {
	p=$1
	sed -n "/^### early-bind profile '$p':/,/^### /{/^### /!p}" "$CFG" >"$R/$p.part"
	case $p in
	vm) extra="vfio.devices=00:03 video=efifb:off" ;;
	both) extra="vfio.devices=00:03,00:04" ;;
	host) extra="vfio.devices=" ;;
	esac
	n_entries=$(grep -cE "^[[:space:]]*(menuentry|submenu) " "$R/$p.part")
	n_titled=$(grep -cE "^[[:space:]]*(menuentry|submenu) '[^']* \\(early-bind: $p\\)' .*'early-bind-$p-" "$R/$p.part")
	check "grub: profile $p: $n_entries entries, every title names the profile and every id carries it" \
		[ "$n_entries" -gt 2 -a "$n_entries" = "$n_titled" ]
	check "grub: profile $p: every kernel line ends with '$extra'" \
		sh -c "[ \"\$(grep -c '^[[:space:]]*linux[[:space:]]' '$R/$p.part')\" = \"\$(grep -c '^[[:space:]]*linux[[:space:]].* $extra\$' '$R/$p.part')\" ]"
	# Undo the renaming: what is left must be exactly 10_linux's entries
	# (root=, search, initrd, GRUB_CMDLINE_LINUX...) less recovery mode.
	sed -e "s/ (early-bind: $p)'/'/" -e "s/'early-bind-$p-/'/" -e "s/ $extra\$/ /" "$R/$p.part" >"$R/$p.undone"
	awk '/^\t*menuentry .*recovery mode/ { skip = 1 } !skip { print } skip && /^\t*}$/ { skip = 0 }' \
		"$R/10_linux.part" | sed '/^###/d' >"$R/10_linux.norecovery"
	check "grub: profile $p: entries are 10_linux's own, only renamed and extended" \
		cmp -s "$R/10_linux.norecovery" "$R/$p.undone" ||
		diff "$R/10_linux.norecovery" "$R/$p.undone" | head -n 20 | sed 's/^/    | /'
}

part_grub() {
	mkdir -p "$R"
	grub_disk
	grub_build
	grub_ids
	# The distribution's entries (10_linux's part) and each profile's part.
	sed -n '/^### BEGIN \/etc\/grub.d\/10_linux ###$/,/^### END /p' "$CFG" >"$R/10_linux.part"
	for bm_p in vm both host; do
		grub_profile "$bm_p"
	done
	check "grub: the distribution's own entries carry no profile" sh -c "! grep -q vfio.devices '$R/10_linux.part'"
	check "grub: the default entry (first) is the distribution's" \
		sh -c "grep -m1 '^menuentry ' '$CFG' | grep -q \"^menuentry 'Debian GNU/Linux' \""
}
