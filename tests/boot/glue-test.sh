#!/bin/sh
# Host-side checks of the boot glue (no QEMU, a few seconds): sources
# hook/early-bind-boot.sh and runs the initramfs-tools init-top script and the
# dracut pre-udev hook against fake binaries, with every path redirected into
# a scratch directory (nothing is written to the host's /dev/kmsg).
# Prints "ok ..."/"FAIL ..." lines and "N passed, M failed"; run-matrix.sh
# runs it first.
set -u

EB_TESTDIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$EB_TESTDIR/../.." && pwd)
T=${TMPDIR:-/tmp}/early-bind-glue-test.$$
trap 'rm -rf "$T"' EXIT
mkdir -p "$T"

# shellcheck source=tests/results.sh
. "$ROOT/tests/results.sh"
has() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }

# The glue with its kmsg redirected; the scripts with the glue's in-image
# path redirected to that copy.
sed -e "s|^EARLY_BIND_KMSG=.*|EARLY_BIND_KMSG=$T/kmsg|" \
	"$ROOT/hook/early-bind-boot.sh" >"$T/glue.sh"
for s in initramfs-tools/scripts/init-top/early-bind dracut-module/early-bind-pre-udev.sh; do
	sed -e "s|/usr/lib/early-bind/early-bind-boot.sh|$T/glue.sh|g" \
		-e "s|/dev/kmsg|$T/kmsg|g" "$ROOT/$s" >"$T/${s##*/}"
done

# fake BIN EXIT: a stand-in binary that records its arguments.
fake() {
	cat >"$T/$1" <<-EOF
		#!/bin/sh
		printf '%s|' "\$@" >"$T/args"
		$2
	EOF
	chmod +x "$T/$1"
}
fake ok 'exit 0'
fake fails 'exit 1'
fake usage 'exit 2'
fake crashes 'kill -9 $$'

# run_glue BIN [ARG]: source the glue under `set -e` (the strictest caller),
# override the binary, call it; "alive" proves it neither exited nor failed.
run_glue() {
	rm -f "$T/kmsg" "$T/args" "$T/out"
	: >"$T/kmsg"
	(
		set -e
		# shellcheck source=hook/early-bind-boot.sh
		. "$T/glue.sh"
		# shellcheck disable=SC2034 # read by early_bind_boot
		EARLY_BIND_BIN=$1
		shift
		early_bind_boot "$@"
		echo "alive rc=$?"
	) >"$T/out" 2>&1
}

run_glue "$T/missing"
check "glue: missing binary: caller goes on" has "$T/out" "alive rc=0"
check "glue: missing binary: error on stderr" has "$T/out" "early-bind: error: $T/missing is missing"
check "glue: missing binary: error in kmsg at level 3" has "$T/kmsg" "<3>early-bind: error: $T/missing is missing"

: >"$T/noexec"
run_glue "$T/noexec"
check "glue: non-executable binary: caller goes on" has "$T/out" "alive rc=0"
check "glue: non-executable binary: error logged" has "$T/kmsg" "<3>early-bind: error: $T/noexec is not executable"

run_glue "$T/ok"
check "glue: no argument: runs BIN boot" has "$T/args" "boot|"
check "glue: no argument: no --cmdline" lacks "$T/args" "--cmdline"
check "glue: success: nothing logged by the glue" lacks "$T/kmsg" "early-bind"

run_glue "$T/ok" "root=/dev/sda vfio.devices=00:03 quiet"
check "glue: argument: runs BIN boot --cmdline STRING" has "$T/args" "boot|--cmdline|root=/dev/sda vfio.devices=00:03 quiet|"

run_glue "$T/fails"
check "glue: status 1: caller goes on under set -e" has "$T/out" "alive rc=0"
check "glue: status 1: glue adds nothing (the binary explained it)" lacks "$T/kmsg" "early-bind"

run_glue "$T/usage"
check "glue: status 2: caller goes on" has "$T/out" "alive rc=0"
check "glue: status 2: glue logs it" has "$T/kmsg" "<3>early-bind: error: $T/usage boot ended with status 2"

run_glue "$T/crashes"
check "glue: killed binary: caller goes on" has "$T/out" "alive rc=0"
check "glue: killed binary: glue logs status 137" has "$T/kmsg" "ended with status 137"

# The glue defines functions and two variables, nothing else.
(
	# shellcheck source=hook/early-bind-boot.sh
	. "$T/glue.sh"
	set | grep -E '^early_bind_(rc|prio|msg)=' >"$T/leak" || :
)
check "glue: glue leaves no temporary variables" test ! -s "$T/leak"

# initramfs-tools init-top script: empty prereqs; runs and exits 0.
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

# dracut pre-udev hook: SOURCED with dracut-lib's getcmdline; must pass that
# string and return to the caller.
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

# dracut module-setup.sh (bash, as dracut sources it) with dracut's helpers
# replaced by stand-ins that print their arguments.
sed -e "s|@SBINDIR@|$T/sbin|g" -e "s|@PKGLIBDIR@|$T/pkglib|g" \
	"$ROOT/dracut-module/module-setup.sh" >"$T/module-setup.sh"
mkdir -p "$T/sbin"
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

results_summary
