# shellcheck shell=sh
# stage: hook/bootmenu/ installed into $H as `make install` would, its
# shipped example config checked, then the test profiles every later part
# reads: three good ones, and every kind of mistake.

part_stage() {
	stage "" "$H/sbin" "$H/lib" "$H/etc" "$H/kernel-install"
	check "stage: the shipped example config has no active profile and no error" \
		sh -c ". '$H/lib/profiles.sh'; out=\$(eb_pf_list t 2>&1); [ -z \"\$out\" ]"
	# Its examples, uncommented, must be valid profiles (they are what
	# users copy).
	sed 's/^#\([a-z]\)/\1/' "$H/etc/default/early-bind" >"$W/examples"
	check "stage: the shipped examples, uncommented, are 3 valid profiles" \
		sh -c "out=\$(EARLY_BIND_PROFILES='$W/examples' sh -c \". '$H/lib/profiles.sh'; eb_pf_list t\" 2>&1) &&
		[ \"\$(printf '%s\\n' \"\$out\" | grep -c .)\" = 3 ] && ! printf '%s\\n' \"\$out\" | grep -q 'left out'"
	cat >"$H/etc/default/early-bind" <<-'EOF'
		# test profiles
		vm	00:03	video=efifb:off	# the card at 03 to the guests
		both 00:03,00:04
		host -
		bad zz:00,00:03,1:2:3:4
		evil 00:03 foo=$(reboot)
		glob 00:03 a*
		.dot 00:03
		nodev
		vm 00:04
		dup-devices 00:03 vfio.devices=00:04
		opt --help
		vers --vers video=efifb:off
		init-args 00:03 -- single
	EOF
}
