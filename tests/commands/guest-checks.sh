#!/bin/sh
# TEST ONLY, never installed.  Runs in the QEMU guest of the boot tests, in
# the initramfs once udev has settled, after the report has recorded the
# boot: checks `early-bind status` and `early-bind list` against sysfs, then
# (when the boot bound something) releases those functions and binds them
# again at runtime, checking the driver links after each step.
#
# Needs only sh, cat and readlink (busybox, or dracut's base module).
# Prints one record a line on stdout, for tests/commands/guest-verify.sh:
#   EBC ok TEXT | EBC FAIL TEXT   one assertion
#   EBC driver ADDR DRIVER STEP   a function's driver after STEP
#   EBC out NAME LINE             a line of a command's output, to check on
#                                 the host (NAME: status-json, list-json...)
#   EBC end PASSED FAILED
# usage: guest-checks.sh [BINARY]   (default /usr/sbin/early-bind)

eb=${1:-/usr/sbin/early-bind}
state=/run/early-bind/state
tmp=/run/ebc.$$
passed=0
failed=0
mkdir -p "$tmp"

ok() {
	passed=$((passed + 1))
	echo "EBC ok $*"
}

nok() {
	failed=$((failed + 1))
	echo "EBC FAIL $*"
}

check() { # CONDITION-STATUS TEXT
	if [ "$1" -eq 0 ]; then
		ok "$2"
	else
		nok "$2"
	fi
}

check_that() { # TEXT COMMAND...: ok when COMMAND succeeds
	ct_text=$1
	shift
	if "$@"; then
		ok "$ct_text"
	else
		nok "$ct_text"
	fi
}

has() { # FILE TEXT: FILE holds TEXT somewhere
	case $(cat "$1") in
	*"$2"*) return 0 ;;
	esac
	return 1
}

dump() { # NAME FILE
	while IFS= read -r line || [ -n "$line" ]; do
		echo "EBC out $1 $line"
	done <"$2"
}

driver() { # ADDR
	link=$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null) || {
		echo none
		return
	}
	echo "${link##*/}"
}

# run NAME ARGS...: the command's stdout in $tmp/NAME, its status in $rc.
run() {
	name=$1
	shift
	"$eb" "$@" >"$tmp/$name" 2>"$tmp/$name.err"
	rc=$?
}

# The functions the boot put on vfio-pci, from the state file: "ADDR OUTCOME"
# lines.
boot_functions() {
	while IFS="	" read -r kind addr _ _ _ _ outcome; do
		[ "$kind" = function ] || continue
		case $outcome in
		bound | already) echo "$addr $outcome" ;;
		esac
	done <"$state"
}

# Their slots, as entries for bind and release ("0000:00:03"); the state
# file lists functions in address order.
boot_slots() {
	boot_functions | {
		prev=
		while read -r addr _; do
			[ "${addr%.*}" = "$prev" ] || echo "${addr%.*}"
			prev=${addr%.*}
		done
	}
}

# What status should exit with: 1 when the boot failed, or was asked and
# left no state file.
status_wanted() {
	if [ -f "$state" ]; then
		has "$state" "result	ok" && echo 0 || echo 1
	else
		case " $(cat /proc/cmdline) " in
		*" vfio.devices="*) echo 1 ;;
		*) echo 0 ;;
		esac
	fi
}

expect_drivers() { # STEP WANT ("vfio-pci" or "!vfio-pci")
	for addr in $(boot_functions | while read -r a _; do echo "$a"; done); do
		got=$(driver "$addr")
		echo "EBC driver $addr $got $1"
		case $2 in
		!*) [ "$got" != "${2#!}" ] ;;
		*) [ "$got" = "$2" ] ;;
		esac
		check $? "$1: $addr on $got (want $2)"
	done
}

check_status() { # STEP
	run "status-$1" status
	check_that "status after $1: exit status $rc" [ "$rc" = "$(status_wanted)" ]
	if [ -f "$state" ]; then
		has "$tmp/status-$1" "Last boot: vfio.devices="
		check $? "status after $1: shows the last boot"
	fi
	for addr in $(boot_functions | while read -r a _; do echo "$a"; done); do
		has "$tmp/status-$1" "  $addr "
		check $? "status after $1: a row for $addr"
	done
	dump "status-$1" "$tmp/status-$1"
}

# Every display function's card appears, each of its functions with the
# driver sysfs shows.
check_list() {
	run list list
	check $rc "list: exit status $rc"
	for dev in /sys/bus/pci/devices/*; do
		addr=${dev##*/}
		case $(cat "$dev/class") in
		0x03*) ;;
		*) continue ;;
		esac
		has "$tmp/list" "Card ${addr%.*}"
		check $? "list: card ${addr%.*}"
		for fn in "/sys/bus/pci/devices/${addr%.*}".*; do
			d=$(driver "${fn##*/}")
			[ "$d" = none ] && d=-
			found=1
			while IFS= read -r line; do
				case $line in
				"  ${fn##*/}  "*"  $d  "*) found=0 ;;
				esac
			done <"$tmp/list"
			check $found "list: ${fn##*/} listed with driver $d"
		done
	done
	dump list "$tmp/list"
	run list-json list --json
	check $rc "list --json: exit status $rc"
	dump list-json "$tmp/list-json"
}

# check cannot pass in a TCG guest (no vmx/svm): it must run and say so.
check_check() {
	run check check
	[ $rc -le 1 ] && has "$tmp/check" " cpu "
	check $? "check: runs (exit status $rc) and reports on the CPU"
	dump check "$tmp/check"
	run check-json check --json
	dump check-json "$tmp/check-json"
}

runtime() {
	# shellcheck disable=SC2046 # one argument per slot
	set -- $(boot_slots)
	boot_state=$(cat "$state")
	run release release "$@"
	check $rc "release $*: exit status $rc"
	dump release-log "$tmp/release.err"
	expect_drivers release "!vfio-pci"
	for addr in $(boot_functions | while read -r a _; do echo "$a"; done); do
		override=$(cat "/sys/bus/pci/devices/$addr/driver_override")
		check_that "release: $addr driver_override cleared ($override)" [ "$override" = "(null)" ]
	done
	check_status release
	has "$tmp/status-release" "changed driver since the boot"
	check $? "status after release: marks the functions that changed"

	# A display that release gave back to bochs-drm carries the framebuffer
	# console: bind refuses it without --force and names the console.
	drawn=""
	for addr in $(boot_functions | while read -r a _; do echo "$a"; done); do
		[ "$(driver "$addr")" = bochs-drm ] && drawn="$drawn $addr"
	done
	run bind bind "$@"
	dump bind-log "$tmp/bind.err"
	if [ -n "$drawn" ]; then
		has "$tmp/bind.err" "the host is drawing on it (framebuffer"
		check $? "bind $*: refuses$drawn, the display the host draws on"
		check_that "bind $*: exit status $rc without --force (want 1)" [ "$rc" -eq 1 ]
		run bind bind --force "$@"
		dump bind-force-log "$tmp/bind.err"
	fi
	check $rc "bind $*: exit status $rc"
	expect_drivers bind vfio-pci
	check_that "bind and release left the boot's state file alone" [ "$boot_state" = "$(cat "$state")" ]
	check_status bind
	has "$tmp/status-bind" "Every function is where the boot left it."
	check $? "status after bind: nothing changed since the boot"
}

if [ ! -x "$eb" ]; then
	nok "$eb is in the image"
	echo "EBC end $passed $failed"
	exit 0
fi
check_status boot
run status-json status --json
dump status-json "$tmp/status-json"
check_list
check_check
if [ -f "$state" ] && [ -n "$(boot_functions)" ]; then
	runtime
else
	echo "EBC note the boot put nothing on vfio-pci: release and bind not tried"
fi
rm -rf "$tmp"
echo "EBC end $passed $failed"
