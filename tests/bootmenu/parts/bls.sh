# shellcheck shell=sh
# bls: early-bind-bls update/remove on a fake /boot holding every kind of
# BLS entry: the kernels' own (one with boot counting and two options
# lines), one without title or options, a non-Linux one, and a foreign file
# whose name looks like ours.

bls() { # NAME ARGS...
	b_n=$1
	shift
	"$H/sbin/early-bind-bls" --boot-root "$B" "$@" >"$B/$b_n.out" 2>"$B/$b_n.err"
	echo $? >"$B/$b_n.rc"
}

bls_fixture() {
	mkdir -p "$E"
	cat >"$E/$MID-6.1.0-2-amd64.conf" <<-EOF
		title      Debian GNU/Linux 12 (bookworm)
		version    6.1.0-2-amd64
		machine-id $MID
		sort-key   debian
		options    root=UUID=1234 ro quiet
		linux      /$MID/6.1.0-2-amd64/linux
		initrd     /$MID/6.1.0-2-amd64/initrd.img-6.1.0-2-amd64
	EOF
	# Boot counting in the name, two options lines (BLS joins them).
	cat >"$E/$MID-6.1.0-1-amd64+3-1.conf" <<-EOF
		title      Debian GNU/Linux 12 (bookworm)
		version    6.1.0-1-amd64
		options    root=UUID=1234 ro
		options    quiet
		linux      /$MID/6.1.0-1-amd64/linux
	EOF
	# No title, no options, no version.
	printf 'linux /vmlinuz-5.10\n' >"$E/old-5.10.conf"
	# Not a Linux entry.
	printf 'title Memtest\nefi /memtest.efi\n' >"$E/memtest.conf"
	# Someone else's file that happens to look like ours.
	printf 'title mine\nlinux /x\n' >"$E/foreign-early-bind-vm.conf"
	find "$E" -type f | sort >"$B/before"
}

# bls_update: the first update, and what its entries hold.
bls_update() {
	bls update update
	check "bls: update exits 1 when a profile was left out" [ "$(cat "$B/update.rc")" = 1 ]
	check "bls: update reports the bad profile by name" grep -q "profile 'bad'.*left out" "$B/update.err"
	for want in "$MID-6.1.0-2-amd64-early-bind-vm.conf" "$MID-6.1.0-2-amd64-early-bind-both.conf" \
		"$MID-6.1.0-2-amd64-early-bind-host.conf" "$MID-6.1.0-1-amd64-early-bind-vm.conf" \
		"old-5.10-early-bind-vm.conf"; do
		check "bls: update wrote $want" [ -f "$E/$want" ]
	done
	cat >"$B/expected-vm" <<-EOF
		# early-bind-bls: profile vm of $MID-6.1.0-2-amd64.conf; rewritten by early-bind-bls, do not edit
		title      Debian GNU/Linux 12 (bookworm) (early-bind: vm)
		version    6.1.0-2-amd64
		machine-id $MID
		sort-key   debian
		options    root=UUID=1234 ro quiet vfio.devices=00:03 video=efifb:off
		linux      /$MID/6.1.0-2-amd64/linux
		initrd     /$MID/6.1.0-2-amd64/initrd.img-6.1.0-2-amd64
	EOF
	check "bls: a profile entry is the kernel's entry, titled, options appended" \
		cmp -s "$B/expected-vm" "$E/$MID-6.1.0-2-amd64-early-bind-vm.conf" ||
		diff "$B/expected-vm" "$E/$MID-6.1.0-2-amd64-early-bind-vm.conf" | sed 's/^/    | /'
	check "bls: the last of several options lines gets the profile" \
		sh -c "grep -c '^options' '$E/$MID-6.1.0-1-amd64-early-bind-vm.conf' | grep -qx 2 &&
			grep -qx 'options    quiet vfio.devices=00:03 video=efifb:off' '$E/$MID-6.1.0-1-amd64-early-bind-vm.conf'"
	check "bls: an entry without title and options gets both" \
		sh -c "grep -qx 'title      old-5.10 (early-bind: vm)' '$E/old-5.10-early-bind-vm.conf' &&
			grep -qx 'options    vfio.devices=00:03 video=efifb:off' '$E/old-5.10-early-bind-vm.conf'"
	check "bls: no profile entries for non-Linux entries" sh -c "! ls '$E' | grep -q '^memtest-early-bind'"
	check "bls: the kernels' own entries are untouched" \
		sh -c "grep -qx 'options    root=UUID=1234 ro quiet' '$E/$MID-6.1.0-2-amd64.conf'"
}

# bls_changes: updates and removals after the first update.
bls_changes() {
	find "$E" -type f -exec md5sum {} + | sort >"$B/sums1"
	bls update2 update
	find "$E" -type f -exec md5sum {} + | sort >"$B/sums2"
	check "bls: update is idempotent" cmp -s "$B/sums1" "$B/sums2"
	bls remove1 remove 6.1.0-1-amd64
	check "bls: remove KVER removes only that kernel's profile entries" \
		sh -c "[ ! -e '$E/$MID-6.1.0-1-amd64-early-bind-vm.conf' ] && [ -e '$E/$MID-6.1.0-2-amd64-early-bind-vm.conf' ] &&
			[ -e '$E/$MID-6.1.0-1-amd64+3-1.conf' ]"
	bls update1 update 6.1.0-1-amd64
	check "bls: update KVER writes only that kernel's" \
		sh -c "[ -e '$E/$MID-6.1.0-1-amd64-early-bind-vm.conf' ] && ! grep -q 6.1.0-2 '$B/update1.out'"
	grep -v '^both' "$H/etc/default/early-bind" >"$B/profiles-noboth"
	EARLY_BIND_PROFILES=$B/profiles-noboth bls noboth update
	check "bls: a profile taken out of the config loses its entries" \
		sh -c "! ls '$E' | grep -q early-bind-both && [ -e '$E/$MID-6.1.0-2-amd64-early-bind-vm.conf' ]"
	rm "$E/old-5.10.conf"
	bls gone update
	check "bls: a kernel entry deleted by hand loses its profile entries" \
		sh -c "! ls '$E' | grep -q '^old-5.10-early-bind'"
}

# bls_remove: remove takes every profile entry and nothing else.
bls_remove() {
	bls removeall remove
	find "$E" -type f | sort >"$B/after"
	grep -v old-5.10 "$B/before" >"$B/before-less-old"
	check "bls: remove deletes every profile entry and nothing else" cmp -s "$B/before-less-old" "$B/after" ||
		diff "$B/before-less-old" "$B/after" | sed 's/^/    | /'
	"$H/sbin/early-bind-bls" --boot-root "$B/nowhere" update >/dev/null 2>"$B/nowhere.err"
	echo $? >"$B/nowhere.rc"
	check "bls: a boot root without loader/entries is an error" \
		sh -c "[ \"\$(cat '$B/nowhere.rc')\" = 1 ] && grep -q 'does not exist' '$B/nowhere.err'"
}

# bls_init_args: an entry whose options end in init's arguments ("--"):
# the profile goes in front of them, in its own boot root.
bls_init_args() {
	mkdir -p "$B/init/loader/entries"
	cat >"$B/init/loader/entries/k.conf" <<-EOF
		title      Debian
		options    root=UUID=1234 ro -- single
		options    quiet
		linux      /vmlinuz
	EOF
	"$H/sbin/early-bind-bls" --boot-root "$B/init" update >"$B/init.out" 2>&1
	check "bls: options with a '--': the profile comes before it, where the kernel reads it" \
		sh -c "grep -qx 'options    root=UUID=1234 ro vfio.devices=00:03 video=efifb:off -- single' '$B/init/loader/entries/k-early-bind-vm.conf' &&
			grep -qx 'options    quiet' '$B/init/loader/entries/k-early-bind-vm.conf'" ||
		show "$B/init/loader/entries/k-early-bind-vm.conf"
}

part_bls() {
	bls_fixture
	bls_update
	bls_changes
	bls_remove
	bls_init_args
}
