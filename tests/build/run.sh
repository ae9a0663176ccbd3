#!/bin/sh
# The build itself (make check-build), on this tree after `make`, changing
# nothing of it but a DESTDIR under build/: make -n, and -W to pretend that a
# file changed.
#   - each header rebuilds the objects whose sources include it, directly or
#     through other headers, and no other (the -MMD .d files);
#   - `make install` with make's paths runs no sed: the scripts are built into
#     build/gen/ by `make`; another PREFIX builds them again;
#   - `make install` strips the binary; STRIP=true keeps its symbols.
# Prints ok/FAIL lines and "N passed, M failed".
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# The make below is the one a user runs by hand, not the flags of a make
# that runs this script (-B, -n, its jobserver).
unset MAKEFLAGS MFLAGS MAKELEVEL
WORK=$ROOT/build/build-test

# shellcheck source=tests/results.sh
. "$ROOT/tests/results.sh"

# includers: the sources and headers that include one of the files read,
# one a line.
includers() {
	local f
	while read -r f; do
		grep -lF "#include \"${f#early-bind/}\"" early-bind/*/*.[ch]
	done | sort -u
}

# expected_objects HEADER: the binary's objects whose source includes HEADER,
# directly or through other headers.
expected_objects() {
	local set="$1" grown
	while :; do
		grown=$({ echo "$set" && echo "$set" | includers | grep '\.h$'; } | sort -u)
		[ "$grown" = "$set" ] && break
		set=$grown
	done
	{ echo "$set" && echo "$set" | includers; } | grep '\.c$' |
		sed 's|^early-bind/\(.*\)\.c$|build/obj/binary/\1.o|' | sort -u
}

rebuilt_objects() {
	make -n -W "$1" build/early-bind | grep -o ' -o build/obj/binary/[^ ]*\.o' |
		sed 's/^ -o //' | sort -u
}

headers() {
	local h expected
	for h in early-bind/*/*.h; do
		expected=$(expected_objects "$h")
		check "$h: rebuilds the $(echo "$expected" | wc -l) objects that include it, no other" \
			[ "$(rebuilt_objects "$h")" = "$expected" ]
	done
}

install_paths() {
	check "make install after make runs no sed" \
		[ -z "$(make -n install DESTDIR="$WORK/dest" | grep -w sed)" ]
	check "make install PREFIX=/elsewhere builds build/gen's scripts again" \
		[ "$(make -n install PREFIX=/elsewhere | grep -c '^sed ')" -gt 10 ]
}

has_symbols() {
	readelf -S "$1" | grep -q ' \.symtab '
}

is_stripped() {
	! has_symbols "$1"
}

strip_variable() {
	rm -rf -- "$WORK"
	make -s install DESTDIR="$WORK/default" >/dev/null &&
		make -s install DESTDIR="$WORK/kept" STRIP=true >/dev/null
	check "make install DESTDIR=... and with STRIP=true" [ $? -eq 0 ] || return
	check "make install strips the binary" is_stripped "$WORK/default/usr/sbin/early-bind"
	check "make install STRIP=true installs the binary as built, symbols kept" \
		cmp -s build/early-bind "$WORK/kept/usr/sbin/early-bind"
	check "build/early-bind has symbols (the check above means something)" \
		has_symbols build/early-bind
	rm -rf -- "$WORK"
}

cd "$ROOT" || exit 1
headers
install_paths
strip_variable
results_summary
