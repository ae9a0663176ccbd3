# shellcheck shell=sh
# shellcheck disable=SC2034 # the paths are read by the parts
# What every part of the boot-menu tests shares: the paths below
# build/bootmenu/, the staging of hook/bootmenu/, the helpers of the
# checks, and the way into a private mount namespace.  Sourced by
# run-tests.sh, which sources the parts (parts/*.sh) after it.

# bm_init TESTDIR: the paths, and the boot tests' library (tests/boot/lib.sh: the
# kernel, building the test initramfs, reading the guest's report;
# tests/boot/qemu.sh: the VM and its device sets).
bm_init() {
	BM_TESTDIR=$1
	BM_ROOT=$(cd "$BM_TESTDIR/../.." && pwd)
	W=$BM_ROOT/build/bootmenu
	LOGS=$W/logs
	BIN=$BM_ROOT/build/early-bind
	# A fixed machine id: the BLS entry names must not depend on the host.
	MID=0123456789abcdef0123456789abcdef
	# The staged install the host-side parts run (profiles to kinst).
	H=$W/host
	# Each part's own folder; kinst and grub leave what boot uses.
	P=$W/profiles G=$W/grub-stub B=$W/bls-fake E=$W/bls-fake/loader/entries
	K=$W/bls S=$W/bls/steps R=$W/grub
	IMG=$R/disk.img MNT=$R/mnt CFG=$R/grub.cfg
	LOOP=
	EB_TESTDIR=$BM_ROOT/tests/boot
	EB_WORK=$W/initramfs
	EB_LOGS=$LOGS
	EB_BOOT_TIMEOUT=${BM_QEMU_TIMEOUT:-150}
	# shellcheck source=tests/results.sh
	. "$BM_ROOT/tests/results.sh"
	if [ ! -r "$EB_TESTDIR/lib.sh" ]; then
		fail "preflight: tests/boot/lib.sh missing (builds the test initramfs)"
		finish
	fi
	# shellcheck source=tests/boot/lib.sh
	. "$EB_TESTDIR/lib.sh"
	# shellcheck source=tests/boot/qemu.sh
	. "$EB_TESTDIR/qemu.sh"
}

# stage DESTROOT SBINDIR PKGLIBDIR SYSCONFDIR KINSTALLDIR: installs
# hook/bootmenu/ as `make install` does (same @...@ substitution), the paths
# being those seen at run time and DESTROOT where they are written.
stage() {
	st_d=$1 st_sbin=$2 st_lib=$3 st_etc=$4 st_ki=$5
	mkdir -p "$st_d$st_sbin" "$st_d$st_lib" "$st_d$st_etc/grub.d" \
		"$st_d$st_etc/default" "$st_d$st_ki"
	install -m 0755 "$BIN" "$st_d$st_sbin/early-bind"
	st_sed hook/bootmenu/early-bind-bls "$st_sbin/early-bind-bls" 0755
	st_sed hook/bootmenu/early-bind-uki "$st_sbin/early-bind-uki" 0755
	st_sed hook/bootmenu/profiles.sh "$st_lib/profiles.sh" 0644
	st_sed hook/bootmenu/grub.d/42_early-bind "$st_etc/grub.d/42_early-bind" 0755
	st_sed hook/bootmenu/kernel-install/95-early-bind.install "$st_ki/95-early-bind.install" 0755
	mkdir -p "$st_d$st_etc/kernel/postinst.d"
	st_sed hook/bootmenu/proxmox/zzz-early-bind "$st_etc/kernel/postinst.d/zzz-early-bind" 0755
	st_sed hook/bootmenu/early-bind.default "$st_etc/default/early-bind" 0644
}

st_sed() { # SRC DEST MODE, with stage's paths
	sed -e "s|@SBINDIR@|$st_sbin|g" -e "s|@PKGLIBDIR@|$st_lib|g" \
		-e "s|@SYSCONFDIR@|$st_etc|g" "$BM_ROOT/$1" >"$st_d$2" && chmod "$3" "$st_d$2"
}

# empty FILE...: every FILE is empty or absent.
empty() {
	for em_f; do
		[ ! -s "$em_f" ] || return 1
	done
}

# rc_is FILE N: the exit status recorded in FILE is N.
rc_is() {
	[ "$(cat "$1" 2>/dev/null)" = "$2" ]
}

finish() {
	results_summary
	exit $?
}

# show FILE: a file's content, indented, for a failure's context.
show() {
	sed 's/^/    | /' "$1" 2>/dev/null | head -n 40
}

# inner FUNCTION ARGS...: runs FUNCTION (of a part) as `unshare -m sh
# run-tests.sh --inner FUNCTION ARGS...`: mounts made there vanish with the
# namespace and are never seen by the host.
inner() {
	BM_KVER=$KVER BM_FAKE_KVER=$FAKE_KVER \
		unshare --mount --propagation private sh "$BM_TESTDIR/run-tests.sh" --inner "$@"
}

inner_umount() {
	[ -n "${INNER_MNT:-}" ] && umount -R "$INNER_MNT" 2>/dev/null
	:
}
