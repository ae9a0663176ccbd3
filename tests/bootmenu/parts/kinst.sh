# shellcheck shell=sh
# shellcheck disable=SC2034 # INNER_MNT is read by inner_umount, EB_KVER by lib.sh
# kinst: the test initramfs (tests/boot/lib.sh, also what the grub and boot
# parts boot), then a BLS system's kernel installs with the real
# kernel-install, two kernels and our plugin, into a fake ESP that the
# boot part then boots under OVMF.

# inner_initramfs: the test initramfs, built by tests/boot/lib.sh (it
# stages with `make install PREFIX=...`).  /etc is read-only here so that a
# staged install can never write the host's /etc/grub.d or /etc/default.
inner_initramfs() {
	mount --bind /etc /etc && mount -o remount,bind,ro /etc || return 1
	EB_KVER=$KVER
	mkdir -p "$EB_WORK"
	eb_pick_kernel
	eb_stage "$W/initramfs/stage" || return 1
	eb_build itools "$W/initramfs/stage" "$W/initrd.img" with || return 1
	echo "$EB_BUILD_SECS" >"$W/initramfs/secs"
}

# ki_step NAME COMMAND...: one step of inner_kinst, logged, its exit status
# and the ESP's loader/ kept in $ki_out/NAME.
ki_step() {
	ki_name=$1
	shift
	"$@" >"$LOGS/kinst-$ki_name.log" 2>&1
	echo $? >"$ki_out/$ki_name.rc"
	mkdir -p "$ki_out/$ki_name"
	cp -a "$ki_esp/loader" "$ki_out/$ki_name/" 2>/dev/null
}

# inner_kinst ESP OUT: a BLS system's kernel installs with the real
# kernel-install, its 90-loaderentry.install and our plugin, into ESP (a
# tmpfs: kernel-install writes entry paths relative to the mount point of
# the boot root, as on a real ESP).  Logs each step; copies the result to
# OUT/<step>/ so that the tests can look at every stage.
inner_kinst() {
	ki_esp=$1 ki_out=$2
	mkdir -p "$ki_esp"
	mount -t tmpfs -o size=256m bmesp "$ki_esp" || return 1
	INNER_MNT=$ki_esp
	trap inner_umount EXIT
	export KERNEL_INSTALL_CONF_ROOT="$W/bls/conf" MACHINE_ID="$MID" BOOT_ROOT="$ki_esp"
	export KERNEL_INSTALL_PLUGINS="/usr/lib/kernel/install.d/90-loaderentry.install $W/host/kernel-install/95-early-bind.install"
	ki_step add1 kernel-install add "$KVER" "/boot/vmlinuz-$KVER" "$W/initrd.img"
	ki_step add2 kernel-install add "$FAKE_KVER" "/boot/vmlinuz-$KVER" "$W/initrd.img"
	ki_step remove2 kernel-install remove "$FAKE_KVER"
	# The explicit command after editing the profiles: 'both' dropped...
	grep -v '^both' "$W/host/etc/default/early-bind" >"$W/bls/profiles-edited"
	ki_step edit env EARLY_BIND_PROFILES="$W/bls/profiles-edited" \
		"$W/host/sbin/early-bind-bls" --boot-root "$ki_esp" update
	# ...and back.
	ki_step restore "$W/host/sbin/early-bind-bls" --boot-root "$ki_esp" update
	# What systemd-boot needs besides the entries.
	mkdir -p "$ki_esp/EFI/BOOT"
	cp /usr/lib/systemd/boot/efi/systemd-bootx64.efi "$ki_esp/EFI/BOOT/BOOTX64.EFI"
	printf 'timeout 0\n' >"$ki_esp/loader/loader.conf"
	rm -rf -- "${ki_out:?}/esp"
	cp -a "$ki_esp" "$ki_out/esp"
}

# kinst_initramfs: builds the test initramfs; without it no later part
# can run, so the run ends here.
kinst_initramfs() {
	inner inner_initramfs >"$LOGS/initramfs.log" 2>&1
	if [ -s "$W/initrd.img" ]; then
		ok "initramfs: built ($(cat "$W/initramfs/secs") s)"
	else
		fail "initramfs: build (see $LOGS/initramfs.log and $LOGS/build-itools-with.log)"
		show "$LOGS/initramfs.log"
		finish
	fi
}

ent() { # STEP KVER [PROFILE]: an entry file of that step
	printf '%s/%s/loader/entries/%s-%s%s.conf\n' "$S" "$1" "$MID" "$2" "${3:+-early-bind-$3}"
}

# kinst_entries: what kernel-install add wrote.
kinst_entries() {
	check "kinst: kernel-install add succeeds despite a bad profile" \
		sh -c "[ \"\$(cat '$S/add1.rc')\" = 0 ] && [ \"\$(cat '$S/add2.rc')\" = 0 ]"
	check "kinst: the plugin reports the bad profile by name" grep -q "profile 'bad'.*left out" "$LOGS/kinst-add1.log"
	for k in "$KVER" "$FAKE_KVER"; do
		for p in vm both host; do
			check "kinst: entry for profile $p beside kernel $k" [ -f "$(ent add2 "$k" "$p")" ]
		done
	done
	check "kinst: no entry for the bad profile" sh -c "! ls '$S/add2/loader/entries' | grep -q early-bind-bad"
	# The profile entry is the kernel's entry with two lines changed.
	sed -e '/^# early-bind-bls:/d' -e 's/ (early-bind: vm)$//' -e 's/ vfio.devices=00:03 video=efifb:off$//' \
		"$(ent add2 "$KVER" vm)" >"$K/vm-undone"
	check "kinst: profile entry = kernel entry + title + options (same linux, initrd, root)" \
		cmp -s "$K/vm-undone" "$(ent add2 "$KVER")" || diff "$(ent add2 "$KVER")" "$K/vm-undone" | sed 's/^/    | /'
	check "kinst: entry paths are relative to the ESP" grep -q "^linux *//*$MID/$KVER/linux$" "$(ent add2 "$KVER" vm)"
}

part_kinst() {
	mkdir -p "$K/conf" "$S"
	echo layout=bls >"$K/conf/install.conf"
	echo "console=ttyS0 panic=-1" >"$K/conf/cmdline"
	kinst_initramfs
	inner inner_kinst "$K/esp" "$S" >"$LOGS/kinst.log" 2>&1
	kinst_entries
	check "kinst: kernel-install remove takes the profile entries with it" \
		sh -c "[ \"\$(cat '$S/remove2.rc')\" = 0 ] && ! ls '$S/remove2/loader/entries' | grep -q -- '-$FAKE_KVER' &&
			[ -f '$(ent remove2 "$KVER" vm)' ]"
	check "kinst: early-bind-bls update after an edit drops the removed profile" \
		sh -c "[ ! -e '$(ent edit "$KVER" both)' ] && [ -f '$(ent edit "$KVER" vm)' ]"
	check "kinst: ...and brings it back" [ -f "$(ent restore "$KVER" both)" ]
}
