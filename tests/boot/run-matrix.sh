#!/bin/sh
# Boot test matrix (`make check-boot`): builds an initramfs-tools image, a
# dracut systemd-initrd image and a dracut classic-init image from a staged
# `make install PREFIX=STAGE/usr`, checks what each image holds, then boots
# each one in QEMU (qemu.sh) through every scenario and asserts on the
# guest's report (tests/boot/report.sh).
#
# A scenario is a folder tests/boot/scenarios/NN-NAME/ whose scenario.sh
# says what it is (QEMU devices, kernel command line, flavours, its own
# image if any) and what it expects (sc_expect); they run in NN order.
#
# Usage: tests/boot/run-matrix.sh [-f "itools dsystemd dclassic mkcpio mkcpio-systemd"] [-s "NAME..."] [-l]
#   -f, EB_FLAVOURS   the flavours (default all five)
#   EB_FULL_FLAVOURS  those that run every scenario (default all but
#                     mkcpio-systemd, which runs bind-03, none, no-binary)
#   -s, EB_SCENARIOS  the scenarios by NAME, in that order (default all)
#   -l                list the scenarios and what each is, then exit
#   EB_SCENARIO_DIR   where the scenario folders are (default scenarios/)
# Prints one "ok ..."/"FAIL ..." line per assertion, "# ..." notes, and last
# "N passed, M failed"; exits 1 on any failure.  QEMU logs: build/boot-logs/.
set -u

note() {
	echo "# $*"
}

timing() {
	TIMINGS="$TIMINGS$*
"
}

finish() {
	if [ -n "$TIMINGS" ]; then
		note "timings (s):"
		printf '%s' "$TIMINGS" | sed 's/^/#   /'
	fi
	results_summary
	exit $?
}

# --- scenarios ---------------------------------------------------------------

# scenario_files: every scenarios/NN-NAME/scenario.sh, in NN order
# (EB_SCENARIO_DIR: another folder of them, e.g. tests/stacks/kernel's).
scenario_files() {
	for sf_f in "${EB_SCENARIO_DIR:-$EB_TESTDIR/scenarios}"/*/scenario.sh; do
		[ -f "$sf_f" ] && echo "$sf_f"
	done
}

# scenario_name FILE: the NAME of scenarios/NN-NAME/scenario.sh.
scenario_name() {
	sn_d=${1%/scenario.sh}
	sn_d=${sn_d##*/}
	echo "${sn_d#*-}"
}

all_scenarios() {
	for as_f in $(scenario_files); do
		scenario_name "$as_f"
	done
}

# load_scenario NAME: sources the scenario's file over the defaults;
# returns 1 when there is no such scenario.
load_scenario() {
	SC_ABOUT="" SC_FLAVOURS=$FULL_FLAVOURS SC_DEVICES="" SC_CMDLINE="" SC_IMAGE="" SC_MEM=""
	SC_SKIP="not among EB_FULL_FLAVOURS ($FULL_FLAVOURS), the scenario does not add it"
	unset -f sc_image sc_image_expect sc_expect
	for ls_f in $(scenario_files); do
		[ "$(scenario_name "$ls_f")" = "$1" ] || continue
		# shellcheck source=/dev/null # one of the scenario folders
		. "$ls_f"
		return 0
	done
	return 1
}

list_scenarios() {
	for ll_sc in $(all_scenarios); do
		load_scenario "$ll_sc"
		printf '%-12s %s\n' "$ll_sc" "$SC_ABOUT"
	done
}

# scenario_image FLAVOUR NAME IMAGE: the scenario's own image (sc_image),
# with its build checks.
scenario_image() {
	if ! sc_image "$1" "$STAGE" "$3" "$2"; then
		fail "$1/$2: $SC_IMAGE (see $EB_BUILD_LOG)"
		return 1
	fi
	ok "$1/$2: $SC_IMAGE"
	timing "build $1/$2: $EB_BUILD_SECS"
	if command -v sc_image_expect >/dev/null; then
		sc_image_expect "$1/$2"
	fi
}

# run_scenario FLAVOUR NAME IMAGE: boots the scenario's image (IMAGE, the
# flavour's, unless it builds its own), then asserts.
run_scenario() {
	rs_label=$1/$2 rs_img=$3
	if ! load_scenario "$2"; then
		fail "$rs_label: unknown scenario"
		return
	fi
	case " $SC_FLAVOURS " in
	*" $1 "*) ;;
	*)
		note "$rs_label: skipped ($SC_SKIP)"
		return
		;;
	esac
	if [ -n "$SC_IMAGE" ]; then
		rs_img=$EB_WORK/$1-$2.img
		scenario_image "$1" "$2" "$rs_img" || return
	fi
	EB_MEM=$SC_MEM
	# shellcheck disable=SC2086 # SC_DEVICES: QEMU arguments, split on purpose
	eb_boot "$rs_img" "$1-$2" "$(eb_flavour_cmdline "$1")${SC_CMDLINE:+ $SC_CMDLINE}" $SC_DEVICES
	timing "boot $rs_label: $EB_BOOT_SECS"
	expect_boot_reported "$rs_label" "$1-$2" || return
	sc_expect "$rs_label" "$EB_LOGS/$1-$2.report"
}

# --- flavours ----------------------------------------------------------------

# run_flavour FLAVOUR: its image, what the image holds, every scenario.
run_flavour() {
	rf_img=$EB_WORK/$1.img
	if ! eb_build "$1" "$STAGE" "$rf_img"; then
		fail "$1: image built (see $EB_BUILD_LOG)"
		return
	fi
	ok "$1: image built ($(stat -c %s "$rf_img") bytes, ${EB_BUILD_SECS}s)"
	timing "build $1: $EB_BUILD_SECS"
	inspect_image "$1" "$rf_img" "$STAGE"
	[ "$1" = dclassic ] && inspect_hostonly "$1" "$STAGE"
	for rf_sc in $SCENARIOS; do
		run_scenario "$1" "$rf_sc" "$rf_img"
	done
}

# --- setup -------------------------------------------------------------------

preconditions() {
	for pc_tool in qemu-system-x86_64 mkinitramfs unmkinitramfs dracut lsinitrd cpio zstd timeout; do
		if ! command -v "$pc_tool" >/dev/null 2>&1; then
			fail "precondition: $pc_tool is installed (run tests/setup-debian.sh)"
		fi
	done
	[ "$failed" -eq 0 ]
}

# The glue and the kernel lookup on the host first: seconds, and they
# explain boot failures.
glue_checks() {
	gc_rc=0
	sh "$EB_TESTDIR/glue-test.sh" >"$EB_WORK/glue-test.out" 2>&1 || gc_rc=$?
	if [ "$gc_rc" -ne 0 ] && ! grep -q '^FAIL ' "$EB_WORK/glue-test.out"; then
		fail "glue: glue-test.sh ran to its end (status $gc_rc, see $EB_WORK/glue-test.out)"
	fi
	relay "$EB_WORK/glue-test.out"
	# Where the distribution put the kernel (eb_pick_kernel, fake trees).
	sh "$EB_TESTDIR/kernel-test.sh" >"$EB_WORK/kernel-test.out" 2>&1
	relay "$EB_WORK/kernel-test.out"
}

stage() {
	# A copy installed on the host itself would be picked up by every
	# mkinitramfs run (/usr/share/initramfs-tools/hooks is always used)
	# and would shadow the staged binary; inspect_image would catch it.
	if [ -e /usr/share/initramfs-tools/hooks/early-bind ]; then
		note "warning: /usr/share/initramfs-tools/hooks/early-bind exists on this host; initramfs-tools images will also run it"
	fi
	STAGE=$EB_WORK/stage
	if ! eb_stage "$STAGE"; then
		fail "stage: make install PREFIX=$STAGE/usr"
		return 1
	fi
	note "staged with $EB_STAGED_BY in $STAGE"
	if [ -x "$STAGE/usr/sbin/early-bind" ]; then
		ok "stage: $STAGE/usr/sbin/early-bind installed"
	else
		fail "stage: $STAGE/usr/sbin/early-bind installed (is build/early-bind built?)"
	fi
}

main() {
	EB_TESTDIR=$(cd "$(dirname "$0")" && pwd)
	# shellcheck source=tests/boot/lib.sh
	. "$EB_TESTDIR/lib.sh"
	# shellcheck source=tests/boot/qemu.sh
	. "$EB_TESTDIR/qemu.sh"
	# shellcheck source=tests/results.sh
	. "$EB_ROOT/tests/results.sh"
	# shellcheck source=tests/boot/expect.sh
	. "$EB_TESTDIR/expect.sh"
	# shellcheck source=tests/boot/inspect.sh
	. "$EB_TESTDIR/inspect.sh"
	TIMINGS=""
	FLAVOURS=${EB_FLAVOURS:-itools dsystemd dclassic mkcpio mkcpio-systemd}
	# The flavours every scenario runs on unless it says otherwise.
	# mkcpio-systemd runs only those that add it (bind-03, none,
	# no-binary): all of them would add about 5 minutes of boots.
	FULL_FLAVOURS=${EB_FULL_FLAVOURS:-itools dsystemd dclassic mkcpio}
	SCENARIOS=${EB_SCENARIOS:-$(all_scenarios)}
	while getopts f:s:l opt; do
		case $opt in
		f) FLAVOURS=$OPTARG ;;
		s) SCENARIOS=$OPTARG ;;
		l) list_scenarios && exit 0 ;;
		*) echo "usage: $0 [-f FLAVOURS] [-s SCENARIOS] [-l]" >&2 && exit 2 ;;
		esac
	done
	preconditions || finish
	mkdir -p "$EB_LOGS" "$EB_WORK"
	glue_checks
	eb_pick_kernel
	note "kernel $EB_KVER, logs in $EB_LOGS"
	stage || finish
	for fl in $FLAVOURS; do
		run_flavour "$fl"
	done
	finish
}

main "$@"
