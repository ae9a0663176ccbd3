#!/bin/sh
# Tests of the operator commands (list, check, status, bind, release,
# snippet, help): the real binary with --sysroot on the fixture trees of
# tests/fixtures/machines, exact expected output, JSON checked against the
# schema of early-bind(8) with Python's parser, check run against real
# mkinitramfs and dracut images, colour only on a terminal, and the man page.
#
# A case is a directory tests/commands/cases/NAME with:
#   machine          a tests/fixtures/machines/*.machine name
#   args             the arguments, one per line; "--sysroot ROOT" goes first;
#                    @ROOT@ in a line stands for the tree's path (and in
#                    what the command prints)
#   setup            optional: sh run before, with $ROOT (the tree), $BINARY,
#                    $HERE (this directory) and the helpers below
#   no-sysroot       optional: run on the real system as user nobody instead
#                    (only for commands that must refuse before any write)
#   expected-status  the exit status
#   expected-stdout  what it prints on stdout (absent: nothing)
#   expected-stderr  what it prints on stderr (absent: nothing)
#   json             optional: list, check or status; stdout must be valid
#                    JSON of that schema
#   expected-changes optional: every file the run changed ("== PATH" and its
#                    content); without it the run may change nothing
#
# usage: run-tests.sh BINARY [CASE...]
# UPDATE=1 writes what the runs produced as the expectations of the given
# cases instead: review those files before committing them.
# Prints "ok ..."/"FAIL ..." lines and "N passed, M failed"; exits 1 on failure.
set -u

BINARY=$(realpath "$1")
shift
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT_DIR=$(cd "$HERE/../.." && pwd)
WORK=${EB_COMMANDS_WORK:-$ROOT_DIR/build/commands}
export BINARY HERE
# shellcheck source=tests/results.sh
. "$ROOT_DIR/tests/results.sh"

# --- helpers for setup scripts -----------------------------------------------

# use_pci_ids: the committed pci.ids subset, so names do not depend on the host.
use_pci_ids() {
	mkdir -p "$ROOT/usr/share/misc"
	cp "$HERE/pci.ids" "$ROOT/usr/share/misc/pci.ids"
}

# use_image NAME DEST: a real initramfs image (built once, see images.sh) at
# ROOT/DEST.
use_image() {
	sh "$HERE/images.sh" "$WORK/images" "$1" >"$WORK/images-$1.log" 2>&1 || {
		echo "setup: building image $1 failed; see $WORK/images-$1.log" >&2
		return 1
	}
	mkdir -p "$(dirname "$ROOT/$2")"
	cp "$WORK/images/$1.img" "$ROOT/$2"
}

# synthetic_image "COMPRESSOR" DEST [no-vfio]: a small image that holds what
# an early-bind image holds (binary, glue, init-top script, vfio-pci.ko unless
# no-vfio), made with cpio and compressed by COMPRESSOR (a filter command).
synthetic_image() {
	tree=$WORK/synthetic
	rm -rf "$tree"
	mkdir -p "$tree/usr/sbin" "$tree/usr/lib/early-bind" "$tree/scripts/init-top" \
		"$tree/usr/lib/modules/6.1.0-56-amd64/kernel/drivers/vfio/pci"
	echo binary >"$tree/usr/sbin/early-bind"
	echo glue >"$tree/usr/lib/early-bind/early-bind-boot.sh"
	echo script >"$tree/scripts/init-top/early-bind"
	if [ "${3:-}" != no-vfio ]; then
		echo module >"$tree/usr/lib/modules/6.1.0-56-amd64/kernel/drivers/vfio/pci/vfio-pci.ko"
	fi
	mkdir -p "$(dirname "$ROOT/$2")"
	(cd "$tree" && find . | sort | cpio --quiet -o -H newc) | $1 >"$ROOT/$2"
}

# device_dir ADDR: the function's directory in the tree, relative to ROOT/sys.
device_dir() {
	dd_path=$(cd "$ROOT/sys/bus/pci/devices/$1" && pwd -P) || return 1
	echo "${dd_path#"$ROOT"/sys/}"
}

# host_disk ADDR NAME: the host has disk NAME, with a partition NAMEp1, on
# the NVMe controller ADDR, as sys/class/block shows them.
host_disk() {
	hd_dir=$(device_dir "$1")/nvme/nvme0/$2 || return 1
	mkdir -p "$ROOT/sys/$hd_dir/${2}p1" "$ROOT/sys/class/block"
	: >"$ROOT/sys/$hd_dir/${2}p1/partition"
	ln -s "../../$hd_dir" "$ROOT/sys/class/block/$2"
	ln -s "../../$hd_dir/${2}p1" "$ROOT/sys/class/block/${2}p1"
}

# host_net ADDR NAME FLAGS: network interface NAME on ADDR, with FLAGS as
# sys/class/net/NAME/flags shows them (0x1003: up, 0x1002: down).
host_net() {
	hn_dir=$(device_dir "$1")/net/$2 || return 1
	mkdir -p "$ROOT/sys/$hn_dir" "$ROOT/sys/class/net"
	echo "$3" >"$ROOT/sys/$hn_dir/flags"
	ln -s "../../$hn_dir" "$ROOT/sys/class/net/$2"
}

# --- the run -------------------------------------------------------------------

# Builds the pristine tree of a machine once; cases copy it.
pristine() {
	if [ ! -d "$WORK/pristine/$1" ]; then
		mkdir -p "$WORK/pristine"
		python3 -B "$ROOT_DIR/tests/fixtures/mkroot.py" --modules \
			"$ROOT_DIR/tests/fixtures/machines/$1.machine" "$WORK/pristine/$1" >/dev/null ||
			return 1
	fi
	echo "$WORK/pristine/$1"
}

# Every file and link of a tree with its content's hash (or link target).
manifest() {
	(cd "$1" && {
		find . -type f -exec sha256sum {} +
		find . -type l -printf '%l  %p\n'
	} | sort -k 2)
}

# Prints every file that differs between two trees: "== PATH" and its content.
changes() {
	manifest "$1" >"$WORK/manifest-before"
	manifest "$2" >"$WORK/manifest-after"
	diff "$WORK/manifest-before" "$WORK/manifest-after" |
		sed -n 's|^[<>] [^ ]*  \./||p' | sort -u | while IFS= read -r path; do
		echo "== $path"
		if [ -f "$2/$path" ]; then
			cat "$2/$path"
		else
			echo "(removed)"
		fi
	done
}

# compare NAME WHAT EXPECTED GOT: an exact comparison; a missing EXPECTED
# file means "nothing".
compare() {
	if [ -f "$3" ]; then
		expected=$3
	else
		expected=/dev/null
	fi
	if diff -u "$expected" "$4" >"$WORK/diff"; then
		ok "$1: $2"
	else
		fail "$1: $2 differs:"
		cat "$WORK/diff"
	fi
}

record() {
	echo "$3" >"$1/expected-status"
	for stream in stdout stderr changes; do
		if [ -s "$2/$stream" ]; then
			cp "$2/$stream" "$1/expected-$stream"
		else
			rm -f "$1/expected-$stream"
		fi
	done
	echo "recorded $(basename "$1")"
}

run_case() {
	case_dir=$1
	name=$(basename "$case_dir")
	out=$WORK/out/$name
	src=$(pristine "$(cat "$case_dir/machine")") || {
		fail "$name: cannot generate machine $(cat "$case_dir/machine")"
		return
	}
	ROOT=$WORK/run/$name
	rm -rf "$ROOT" "$out"
	mkdir -p "$WORK/run" "$out"
	cp -a "$src" "$ROOT"
	export ROOT
	# shellcheck source=/dev/null # each case's own
	if [ -f "$case_dir/setup" ] && ! (cd "$case_dir" && . ./setup) >"$out/setup" 2>&1; then
		fail "$name: setup failed:"
		cat "$out/setup"
		return
	fi
	# The tree as the command finds it, to see what the command changes.
	rm -rf "$WORK/before"
	cp -a "$ROOT" "$WORK/before"

	set --
	while IFS= read -r arg; do
		set -- "$@" "$(printf '%s\n' "$arg" | sed "s|@ROOT@|$ROOT|g")"
	done <"$case_dir/args"
	if [ -f "$case_dir/no-sysroot" ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$BINARY" "$@" >"$out/stdout" 2>"$out/stderr"
	else
		"$BINARY" --sysroot "$ROOT" "$@" >"$out/stdout" 2>"$out/stderr"
	fi
	status=$?
	# Messages that quote the tree's path compare as @ROOT@, wherever it is.
	for stream in stdout stderr; do
		sed "s|$ROOT|@ROOT@|g" "$out/$stream" >"$out/$stream.tmp" &&
			mv "$out/$stream.tmp" "$out/$stream"
	done
	changes "$WORK/before" "$ROOT" >"$out/changes"

	if [ "${UPDATE:-0}" = 1 ]; then
		record "$case_dir" "$out" "$status"
	fi
	if [ "$status" = "$(cat "$case_dir/expected-status")" ]; then
		ok "$name: exit status $status"
	else
		fail "$name: exit status $status, expected $(cat "$case_dir/expected-status")"
	fi
	compare "$name" stdout "$case_dir/expected-stdout" "$out/stdout"
	compare "$name" stderr "$case_dir/expected-stderr" "$out/stderr"
	compare "$name" "changed files" "$case_dir/expected-changes" "$out/changes"
	if [ -f "$case_dir/json" ]; then
		if python3 "$HERE/check-json.py" "$(cat "$case_dir/json")" "$out/stdout" >"$WORK/json"; then
			ok "$name: stdout is valid $(cat "$case_dir/json") JSON"
		else
			fail "$name: stdout is valid $(cat "$case_dir/json") JSON:"
			cat "$WORK/json"
		fi
	fi
}

# --- tests that are not cases --------------------------------------------------

# Colour on a terminal (script(1) gives the command one), none in a pipe or
# with NO_COLOR.
test_colour() {
	src=$(pristine threadripper) || return
	cmd="'$BINARY' --sysroot '$src' check 0a:00"
	script -qec "$cmd" /dev/null >"$WORK/tty" 2>&1
	if grep -q "$(printf '\033')\[" "$WORK/tty"; then
		ok "colour: check on a terminal is coloured"
	else
		fail "colour: check on a terminal is coloured"
	fi
	NO_COLOR=1 script -qec "$cmd" /dev/null >"$WORK/tty" 2>&1
	if grep -q "$(printf '\033')" "$WORK/tty"; then
		fail "colour: NO_COLOR=1 turns it off"
	else
		ok "colour: NO_COLOR=1 turns it off"
	fi
	"$BINARY" --sysroot "$src" check 0a:00 >"$WORK/pipe" 2>&1
	if grep -q "$(printf '\033')" "$WORK/pipe"; then
		fail "colour: none in a pipe"
	else
		ok "colour: none in a pipe"
	fi
}

# The man page renders without a warning and lists every command.
test_man() {
	page=$ROOT_DIR/early-bind/man/early-bind.8
	if ! LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" >"$WORK/man.txt" 2>"$WORK/man.err" ||
		[ -s "$WORK/man.err" ]; then
		fail "man: early-bind.8 renders without warnings:"
		cat "$WORK/man.err"
		return
	fi
	ok "man: early-bind.8 renders without warnings (man -l)"
	for section in "THE PARAMETER" COMMANDS OPTIONS "JSON OUTPUT" "EXIT STATUS" FILES EXAMPLES; do
		if grep -q "^$section\$" "$WORK/man.txt"; then
			ok "man: section $section"
		else
			fail "man: section $section"
		fi
	done
	for command in list check status bind release snippet boot validate; do
		if grep -Eq "^       $command( |\$)" "$WORK/man.txt"; then
			ok "man: command $command described"
		else
			fail "man: command $command described"
		fi
	done
}

# Every command has its --help, and the binary's help names the man page.
test_help() {
	for command in list check status bind release snippet boot validate; do
		if "$BINARY" "$command" --help >"$WORK/help" 2>&1 &&
			grep -q "^Usage: early-bind $command" "$WORK/help"; then
			ok "help: early-bind $command --help"
		else
			fail "help: early-bind $command --help"
			cat "$WORK/help"
		fi
	done
}

mkdir -p "$WORK"
if [ $# -eq 0 ]; then
	set -- "$HERE"/cases/*/
	test_colour
	test_man
	test_help
fi
for case_dir in "$@"; do
	run_case "${case_dir%/}"
done
results_summary
