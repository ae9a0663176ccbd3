#!/bin/sh
# Host-side checks of the boot glue (no QEMU, about 10 seconds): sources
# hook/early-bind-boot.sh and runs the initramfs-tools init-top script and the
# dracut pre-udev hook against fake binaries, with every path redirected into
# a scratch directory (nothing is written to the host's /dev/kmsg or /run),
# then the real binary on a fixture tree.
# Prints "ok ..."/"FAIL ..." lines and "N passed, M failed"; run-matrix.sh
# runs it first.
# EB_GLUE=FILE tests another glue; EB_BIN=FILE another binary (default
# build/early-bind: a binary with no deadline of its own fails the hang
# checks within seconds, it does not hang the test); EB_SH="busybox sh" runs
# the glue under that shell.
set -u

has() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }
lacks_re() { ! grep -qE -- "$2" "$1"; }
not_exists() { [ ! -e "$1" ]; }

# The glue with its kmsg and run directory redirected; the scripts with the
# glue's in-image path redirected to that copy.
# A command line that asks for something, as the glue reads it without an
# argument (the host's own /proc/cmdline asks for nothing).
glue_copies() {
	echo "BOOT_IMAGE=/vmlinuz root=/dev/vda ro vfio.devices=00:03" >"$T/cmdline"
	sed -e "s|^EARLY_BIND_KMSG=.*|EARLY_BIND_KMSG=$T/kmsg|" \
		-e "s|^EARLY_BIND_CMDLINE=.*|EARLY_BIND_CMDLINE=$T/cmdline|" \
		"${EB_GLUE:-$ROOT/hook/early-bind-boot.sh}" >"$T/glue.sh"
	for s in initramfs-tools/scripts/init-top/early-bind dracut-module/early-bind-pre-udev.sh; do
		sed -e "s|/usr/lib/early-bind/early-bind-boot.sh|$T/glue.sh|g" \
			-e "s|/dev/kmsg|$T/kmsg|g" "$ROOT/$s" >"$T/${s##*/}"
	done
}

# fake BIN EXIT: a stand-in binary that records its arguments (a line a run).
fake() {
	cat >"$T/$1" <<-EOF
		#!/bin/sh
		printf '%s|' "\$@" >>"$T/args"
		echo >>"$T/args"
		$2
	EOF
	chmod +x "$T/$1"
}

make_fakes() {
	fake ok 'exit 0'
	fake fails 'exit 1'
	fake usage 'exit 2'
	fake crashes 'kill -9 $$'
	# Still running when the glue goes on would be a background run: it
	# records whether its parent still waits for it after a moment.
	fake slow 'sleep 0.3; echo done >"'"$T"'/slow.done"'
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# The glue's caller: sources the glue under `set -e` (the strictest caller),
# overrides the binary, calls it; "alive" proves it neither
# exited nor failed.  $T/pre, if there, is sourced first (stand-ins for
# commands an image may lack), $T/post after the glue (other paths).
write_caller() {
	cat >"$T/caller" <<-CALLER_END
		set -e
		[ ! -f "$T/pre" ] || . "$T/pre"
		. "$T/glue.sh"
		EARLY_BIND_BIN=\$1
		shift
		[ ! -f "$T/post" ] || . "$T/post"
		early_bind_boot "\$@"
		echo "alive rc=\$?"
	CALLER_END
}

# run_glue BIN [ARG]: runs the caller, under `timeout` so that a glue that
# waits for ever fails the checks instead of hanging the test; sets ms to
# how long it took.
run_glue() {
	rm -rf "$T/kmsg" "$T/args" "$T/out" "$T/slow.done"
	: >"$T/kmsg"
	rg_start=$(now_ms)
	# shellcheck disable=SC2086 # EB_SH may be "busybox sh"
	timeout 10 ${EB_SH:-sh} "$T/caller" "$@" >"$T/out" 2>&1
	ms=$(($(now_ms) - rg_start))
}

# checks_missing: a binary that is not there or cannot run.
checks_missing() {
	run_glue "$T/missing"
	check "glue: missing binary: caller goes on" has "$T/out" "alive rc=0"
	check "glue: missing binary: error on stderr" has "$T/out" "early-bind: error: $T/missing is missing"
	check "glue: missing binary: error in kmsg at level 3" has "$T/kmsg" "<3>early-bind: error: $T/missing is missing"

	: >"$T/noexec"
	run_glue "$T/noexec"
	check "glue: non-executable binary: caller goes on" has "$T/out" "alive rc=0"
	check "glue: non-executable binary: error logged" has "$T/kmsg" "<3>early-bind: error: $T/noexec is not executable"
}

# checks_args: what the glue passes, and when it does not run the binary at all.
checks_args() {
	run_glue "$T/ok"
	check "glue: no argument: runs BIN boot, once" test "$(cat "$T/args")" = "boot|"
	check "glue: no argument: no --cmdline" lacks "$T/args" "--cmdline"
	check "glue: success: nothing logged by the glue" lacks "$T/kmsg" "early-bind"

	run_glue "$T/ok" "root=/dev/sda vfio.devices=00:03 quiet"
	check "glue: argument: runs BIN boot --cmdline STRING" has "$T/args" "boot|--cmdline|root=/dev/sda vfio.devices=00:03 quiet|"

	# Most boots ask for nothing: then the binary is not even started.
	run_glue "$T/ok" "root=/dev/sda quiet"
	check "glue: no parameter in the argument: binary not run" not_exists "$T/args"
	check "glue: no parameter in the argument: caller goes on" has "$T/out" "alive rc=0"
	echo "root=/dev/sda quiet" >"$T/cmdline"
	run_glue "$T/ok"
	check "glue: no parameter in /proc/cmdline: binary not run" not_exists "$T/args"
	echo "BOOT_IMAGE=/vmlinuz root=/dev/vda ro vfio.devices=00:03" >"$T/cmdline"
}

# checks_status: how the binary ended, and what the glue says of it.
checks_status() {
	run_glue "$T/fails"
	check "glue: status 1: caller goes on under set -e" has "$T/out" "alive rc=0"
	check "glue: status 1: glue adds nothing (the binary explained it)" lacks "$T/kmsg" "early-bind"

	run_glue "$T/usage"
	check "glue: status 2: caller goes on" has "$T/out" "alive rc=0"
	check "glue: status 2: glue logs it" has "$T/kmsg" "<3>early-bind: error: $T/usage boot ended with status 2"

	run_glue "$T/crashes"
	check "glue: killed binary: caller goes on" has "$T/out" "alive rc=0"
	check "glue: killed binary: glue logs status 137" has "$T/kmsg" "ended with status 137"
}

# The binary runs once, in the foreground: the glue returns when it does
# (the binary owns the time limit), and keeps no files of its own.
checks_fast() {
	run_glue "$T/ok"
	check "glue: fast binary: returns at once (${ms} ms < 500)" test "$ms" -lt 500
	check "glue: fast binary: leaves no file behind" test ! -e "$T/run"
	run_glue "$T/slow"
	check "glue: the binary runs in the foreground (done before the glue returns)" test -s "$T/slow.done"
	grep -v '^[[:space:]]*#' "$T/glue.sh" >"$T/glue-code"
	check "glue: no background run (no '&' in the glue)" lacks_re "$T/glue-code" '(^|[^&>])&([^&>]|$)'
	check "glue: no polling (no sleep in the glue)" lacks "$T/glue-code" sleep
}

# The glue defines functions and a few variables, nothing else.
checks_leak() {
	(
		# shellcheck source=hook/early-bind-boot.sh
		. "$T/glue.sh"
		# shellcheck disable=SC2034 # read by early_bind_boot
		EARLY_BIND_BIN=$T/ok
		early_bind_boot
		set | grep -E '^early_bind_[a-z_]*=' >"$T/leak" || :
	) >/dev/null 2>&1
	check "glue: glue leaves no temporary variables" test ! -s "$T/leak"
}

# The real binary on a fixture tree, through the glue: the step file it
# keeps for a hang is gone after the run; and when it is held past its
# deadline before the unbind (a read it waits on, as tests/case-helpers.sh's
# meanwhile holds one), the glue goes on at the deadline, the binary names
# the step it was in, and changes nothing more.
checks_real() {
	EB_BIN=${EB_BIN:-$ROOT/build/early-bind}
	if [ -x "$EB_BIN" ] && python3 -B "$ROOT/tests/fixtures/mkroot.py" --modules \
		"$ROOT/tests/fixtures/machines/shared-group.machine" "$T/fixture" >/dev/null 2>&1; then
		cat >"$T/real" <<-REAL_END
			#!/bin/sh
			exec "$EB_BIN" --sysroot "$T/fixture" --deadline 2 "\$@"
		REAL_END
		chmod +x "$T/real"
		cp -a "$T/fixture" "$T/fixture.pristine"
		run_glue "$T/real" "vfio.devices=07:00"
		check "glue + binary: run ends (${ms} ms)" has "$T/out" "alive rc=0"
		check "glue + binary: state file written" test -f "$T/fixture/run/early-bind/state"
		check "glue + binary: no step file left" test ! -e "$T/fixture/run/early-bind/step"
		check "glue + binary: the glue adds nothing to the log" lacks "$T/kmsg" "early-bind"

		# A caller that ignores SIGCHLD (inherited across exec; env sets it,
		# dash's trap does not) must not make the binary lose its work's
		# status (0: nothing asked) nor wait out its deadline for it.
		rc_plain=$("$EB_BIN" --sysroot "$T/fixture" --deadline 2 boot --cmdline quiet >/dev/null 2>&1; echo $?)
		rm -rf "$T/fixture"
		cp -a "$T/fixture.pristine" "$T/fixture"
		rc_ign=$(env --ignore-signal=CHLD "$EB_BIN" --sysroot "$T/fixture" --deadline 2 boot --cmdline quiet >/dev/null 2>&1; echo $?)
		check "binary under an ignored SIGCHLD: its work's status ($rc_ign, $rc_plain without)" \
			test "$rc_ign" = "$rc_plain"
		rm -rf "$T/fixture"
		cp -a "$T/fixture.pristine" "$T/fixture"
		unbind=sys/bus/pci/devices/0000:07:00.0/driver/unbind
		# The third read of its vendor ID is the one before the unbind.
		# shellcheck disable=SC2016 # expanded by the inner shell
		sh -c 'ROOT=$2; cd "$ROOT" && . "$1" && meanwhile "$3" 3 "0x144d
" "sleep 4"' _ "$EB_TESTDIR/../case-helpers.sh" "$T/fixture" \
			sys/bus/pci/devices/0000:07:00.0/vendor
		run_glue "$T/real" "vfio.devices=07:00"
		check "glue + binary held past its deadline: caller goes on at the deadline (${ms} ms)" \
			test "$ms" -ge 2000 -a "$ms" -lt 3500
		check "glue + binary held past its deadline: error names the step" has "$T/out" \
			"early-bind: error: boot has not finished after 2 s, stuck at: taking 0000:07:00.0 from nvme; the boot goes on"
		check "glue + binary held past its deadline: the glue adds nothing" lacks "$T/out" "ended with status"
		check "glue + binary held past its deadline: the step file stays while it is held" \
			test -s "$T/fixture/run/early-bind/step"
		wf_n=0
		while [ ! -e "$T/fixture/run/early-bind/state" ] && [ $wf_n -lt 100 ]; do
			sleep 0.1
			wf_n=$((wf_n + 1))
		done
		check "glue + binary held past its deadline: it records the functions as not attempted" \
			grep -q "function	0000:07:00.0	.*	not-attempted" "$T/fixture/run/early-bind/state"
		check "glue + binary held past its deadline: nothing unbound after it" \
			test ! -s "$T/fixture/$unbind"
	else
		echo "skip glue + binary: no $EB_BIN (run make) or no fixture tree (mkroot.py --modules)"
	fi
}

# initramfs-tools init-top script: empty prereqs; runs and exits 0.
checks_init_top() {
	out=$(sh "$T/early-bind" prereqs)
	check "glue: init-top: prereqs is empty" test -z "$(printf '%s' "$out" | tr -d ' \n')"
	sed -e "s|^EARLY_BIND_BIN=.*|EARLY_BIND_BIN=$T/ok|" "$T/glue.sh" >"$T/glue-ok.sh"
	sed -e "s|$T/glue.sh|$T/glue-ok.sh|g" "$T/early-bind" >"$T/init-top-ok"
	rm -f "$T/args"
	sh "$T/init-top-ok" >"$T/out" 2>&1
	check "glue: init-top: exits 0" test $? -eq 0
	check "glue: init-top: runs BIN boot (binary reads /proc/cmdline)" test "$(cat "$T/args" 2>/dev/null)" = "boot|"
	sed -e "s|$T/glue.sh|$T/nonexistent.sh|g" "$T/early-bind" >"$T/init-top-noglue"
	: >"$T/kmsg"
	sh "$T/init-top-noglue" >/dev/null 2>&1
	check "glue: init-top without glue: exits 0" test $? -eq 0
	check "glue: init-top without glue: logs it" has "$T/kmsg" "early-bind: error:"
}

# dracut pre-udev hook: SOURCED with dracut-lib's getcmdline; must pass that
# string and return to the caller.
checks_pre_udev() {
	sed -e "s|$T/glue.sh|$T/glue-ok.sh|g" "$T/early-bind-pre-udev.sh" >"$T/hook-ok"
	rm -f "$T/args"
	(
		# shellcheck disable=SC2317 # called by the sourced hook
		getcmdline() { printf '%s' " rd.x=1 vfio.devices=00:03  console=ttyS0"; }
		# shellcheck source=dracut-module/early-bind-pre-udev.sh
		. "$T/hook-ok"
		echo "alive"
	) >"$T/out" 2>&1
	check "glue: pre-udev hook: returns to its caller" has "$T/out" "alive"
	check "glue: pre-udev hook: passes getcmdline as --cmdline" has "$T/args" "boot|--cmdline| rd.x=1 vfio.devices=00:03  console=ttyS0|"
	rm -f "$T/args"
	(
		# shellcheck source=dracut-module/early-bind-pre-udev.sh
		. "$T/hook-ok"
		echo "alive"
	) >"$T/out" 2>&1
	check "glue: pre-udev hook without getcmdline: falls back to /proc/cmdline" test "$(cat "$T/args" 2>/dev/null)" = "boot|"
}

# dracut module-setup.sh (bash, as dracut sources it) with dracut's helpers
# replaced by stand-ins that print their arguments.
dracut_fn() { # what to run after sourcing module-setup.sh
	bash -c '
		hostonly=yes moddir=/MOD
		instmods() { echo "instmods hostonly=[$hostonly] $*"; }
		inst_binary() { echo "inst_binary $*"; }
		inst_simple() { echo "inst_simple $*"; }
		inst_hook() { echo "inst_hook $*"; }
		dwarn() { echo "dwarn $*"; }
		. "$1"
		shift
		"$@"
		echo "rc=$?"
	' _ "$T/module-setup.sh" "$@" >"$T/out" 2>&1
}

checks_dracut() {
	sed -e "s|@SBINDIR@|$T/sbin|g" -e "s|@PKGLIBDIR@|$T/pkglib|g" \
		"$ROOT/dracut-module/module-setup.sh" >"$T/module-setup.sh"
	mkdir -p "$T/sbin"
	dracut_fn check
	check "glue: dracut check() without the binary: 255 (only when asked for)" has "$T/out" "rc=255"
	dracut_fn install
	check "glue: dracut install() without the binary: warns" has "$T/out" "dwarn early-bind: $T/sbin/early-bind not found"
	check "glue: dracut install() without the binary: still installs the glue" has "$T/out" "inst_simple $T/pkglib/early-bind-boot.sh /usr/lib/early-bind/early-bind-boot.sh"
	cp "$T/ok" "$T/sbin/early-bind"
	dracut_fn check
	check "glue: dracut check() with the binary: 0 (included by default)" has "$T/out" "rc=0"
	dracut_fn depends
	check "glue: dracut depends(): nothing" test "$(cat "$T/out")" = "rc=0"
	dracut_fn installkernel
	check "glue: dracut installkernel(): instmods vfio-pci with hostonly=''" has "$T/out" "instmods hostonly=[] vfio-pci"
	check "glue: dracut installkernel(): vfio_iommu_type1 named" has "$T/out" "vfio_iommu_type1"
	dracut_fn install
	check "glue: dracut install(): binary to /usr/sbin/early-bind" has "$T/out" "inst_binary $T/sbin/early-bind /usr/sbin/early-bind"
	check "glue: dracut install(): glue to /usr/lib/early-bind/" has "$T/out" "inst_simple $T/pkglib/early-bind-boot.sh /usr/lib/early-bind/early-bind-boot.sh"
	check "glue: dracut install(): pre-udev hook" has "$T/out" "inst_hook pre-udev 20 /MOD/early-bind-pre-udev.sh"
}

# mkinitcpio install hook (bash, as mkinitcpio sources it) with its add_*
# helpers replaced by stand-ins: the systemd unit runs the binary itself, as
# an image of the systemd hook without 'base' has no /bin/sh.
checks_mkcpio() {
	sed -e "s|@SBINDIR@|$T/sbin|g" -e "s|@PKGLIBDIR@|$T/pkglib|g" \
		"$ROOT/hook/mkinitcpio/install/early-bind" >"$T/mkcpio-install"
	bash -c '
		dir=$2
		add_binary() { :; }
		add_module() { :; }
		add_runscript() { :; }
		add_symlink() { echo "add_symlink $*"; }
		warning() { echo "warning $*"; }
		add_file() { if [ "$1" = - ]; then cat >"$dir/unit.${2##*/}"; fi; }
		. "$1"
		build
	' _ "$T/mkcpio-install" "$T" >"$T/out" 2>&1
	unit=$T/unit.early-bind.service
	check "glue: mkinitcpio unit: runs the binary itself" has "$unit" "ExecStart=/usr/sbin/early-bind boot"
	check "glue: mkinitcpio unit: needs no shell" lacks "$unit" "/bin/sh"
	check "glue: mkinitcpio unit: not started without vfio.devices=" has "$unit" \
		"ConditionKernelCommandLine=vfio.devices"
	check "glue: mkinitcpio unit: wanted by sysinit.target" has "$T/out" \
		"add_symlink /usr/lib/systemd/system/sysinit.target.wants/early-bind.service"
}

main() {
	EB_TESTDIR=$(cd "$(dirname "$0")" && pwd)
	ROOT=$(cd "$EB_TESTDIR/../.." && pwd)
	T=${TMPDIR:-/tmp}/early-bind-glue-test.$$
	trap 'rm -rf -- "${T:?}"' EXIT
	mkdir -p "$T"
	# shellcheck source=tests/results.sh
	. "$ROOT/tests/results.sh"
	glue_copies
	make_fakes
	write_caller
	checks_missing
	checks_args
	checks_status
	checks_fast
	checks_leak
	checks_real
	checks_init_top
	checks_pre_udev
	checks_dracut
	checks_mkcpio
	results_summary
}

main "$@"
