# shellcheck shell=sh
# grub-stub: 42_early-bind's failure paths, run as grub-mkconfig would run
# it but against tests/bootmenu/stub-10_linux, which misbehaves on request
# for one profile at a time.

# grub42 NAME [ENV...]: runs the generator as grub-mkconfig would, with the
# stub as the distribution's 10_linux; output in $G/NAME.{out,err,rc}.
grub42() {
	g_n=$1
	shift
	env GRUB_DISTRIBUTOR="Bob's" GRUB_CMDLINE_LINUX="console=ttyS0" GRUB_CMDLINE_LINUX_DEFAULT="quiet" \
		EARLY_BIND_GRUB_LINUX="$BM_TESTDIR/stub-10_linux" "$@" \
		"$H/etc/grub.d/42_early-bind" >"$G/$g_n.out" 2>"$G/$g_n.err"
	echo $? >"$G/$g_n.rc"
}

stub_plain() {
	grub42 plain
	check "grub-stub: exit 0 with bad profiles" [ "$(cat "$G/plain.rc")" = 0 ]
	check "grub-stub: output passes grub-script-check" grub-script-check "$G/plain.out"
	check "grub-stub: a title with a quote keeps its quoting and gets the profile" \
		grep -qF "menuentry 'Bob'\\''s GNU/Linux (early-bind: vm)' --class debian" "$G/plain.out"
	check "grub-stub: profile options come last, after GRUB_CMDLINE_LINUX_DEFAULT" \
		grep -q "ro console=ttyS0 quiet vfio.devices=00:03 video=efifb:off\$" "$G/plain.out"
	check "grub-stub: the '-' profile boots with an empty vfio.devices=" \
		grep -q "ro console=ttyS0 quiet vfio.devices=\$" "$G/plain.out"
	check "grub-stub: no recovery entries in profiles" sh -c "! grep -q recovery '$G/plain.out'"
	check "grub-stub: bad profiles reported on stderr" grep -q "profile 'bad' .*left out" "$G/plain.err"
}

# stub_init_args: a "--" in the distribution's options ends the kernel's
# parameters; the profile's go in front of it, not to init.
stub_init_args() {
	grub42 initdefault GRUB_CMDLINE_LINUX_DEFAULT="quiet -- single"
	check "grub-stub: a '--' in GRUB_CMDLINE_LINUX_DEFAULT: the profile comes before it" \
		grep -q "ro console=ttyS0 quiet vfio.devices=00:03 video=efifb:off -- single\$" "$G/initdefault.out" ||
		show "$G/initdefault.out"
	grub42 initlinux GRUB_CMDLINE_LINUX="console=ttyS0 -- single"
	check "grub-stub: a '--' in GRUB_CMDLINE_LINUX: the profile comes before it" \
		grep -q "ro console=ttyS0 vfio.devices=00:03 video=efifb:off -- single quiet\$" "$G/initlinux.out" ||
		show "$G/initlinux.out"
	check "grub-stub: with a '--', still every profile and valid script" \
		sh -c "grep -q 'early-bind-both-gnulinux-simple' '$G/initlinux.out' && grub-script-check '$G/initlinux.out'"
}

# stub_breaks: 10_linux failing in each way for the profile 'both' only.
stub_breaks() {
	for mode in fail noid dropargs script nokernel; do
		grub42 "$mode" STUB_TRIGGER=vfio.devices=00:03,00:04 STUB_BREAK=$mode
		case $mode in
		fail) why="left out: .*10_linux failed" ;;
		noid) why="left out: could not rename" ;;
		dropargs) why="left out: .*without the profile's options" ;;
		script) why="left out: grub-script-check refused" ;;
		nokernel) why="found no kernel" ;;
		esac
		check "grub-stub: 10_linux misbehaves ($mode) for one profile: reported, only it is left out" \
			sh -c "[ \"\$(cat '$G/$mode.rc')\" = 0 ] &&
			grep -q \"profile 'both'.*$why\" '$G/$mode.err' &&
			! grep -q 'early-bind-both' '$G/$mode.out' &&
			grep -q 'early-bind-vm-gnulinux-simple' '$G/$mode.out' &&
			grep -q 'early-bind-host-gnulinux-simple' '$G/$mode.out' &&
			grub-script-check '$G/$mode.out'" || show "$G/$mode.err"
	done
}

# stub_off: the generator stays out of the way where it has no business.
stub_off() {
	grub42 bls GRUB_ENABLE_BLSCFG=true
	check "grub-stub: GRUB_ENABLE_BLSCFG=true (Fedora): no entries, a note" \
		sh -c "[ ! -s '$G/bls.out' ] && grep -q early-bind-bls '$G/bls.err'"
	cp "$BM_TESTDIR/stub-10_linux" "$G/disabled-10_linux"
	chmod 644 "$G/disabled-10_linux"
	grub42 disabled EARLY_BIND_GRUB_LINUX="$G/disabled-10_linux"
	check "grub-stub: 10_linux disabled (chmod -x): no entries, exit 0" \
		sh -c "[ ! -s '$G/disabled.out' ] && [ \"\$(cat '$G/disabled.rc')\" = 0 ]"
	grub42 nolib EARLY_BIND_LIB="$G/no-such-lib"
	check "grub-stub: early-bind uninstalled, script left in /etc: silent no-op" \
		sh -c "[ ! -s '$G/nolib.out' ] && [ ! -s '$G/nolib.err' ] && [ \"\$(cat '$G/nolib.rc')\" = 0 ]"
}

part_grub_stub() {
	mkdir -p "$G"
	stub_plain
	stub_init_args
	stub_breaks
	stub_off
}
