#!/bin/sh
# The boot matrix on Debian stacks (`make check-boot`, `make check-stacks`):
# for each suite, a debootstrap chroot under build/stacks/SUITE/ in which the
# project runs as a newcomer would: the tracked files of this checkout copied
# to /src/early-bind, README's set-up (tests/setup-debian.sh), `make` (the
# static build, sources from the suite's deb-src), then
# tests/boot/run-matrix.sh with that suite's own kernel, mkinitramfs,
# dracut, systemd and QEMU.  Nothing of this machine's /boot, /etc or /sys
# is used; the chroot runs in a private mount namespace (ns.sh).
#
# A stack is made once (debootstrap + set-up + first make) and kept, its
# done-stamp build/stacks/SUITE/done; `rm -rf build/stacks/SUITE` makes it
# again.  The .debs stay in build/stacks/cache/SUITE, so a re-made stack
# downloads nothing.  The next suite's stack is made while the current one
# boots (network and dpkg beside QEMU).
#
# usage: tests/stacks/run.sh [-S "bookworm trixie sid"] [-M] [run-matrix.sh args]
#   -S, EB_STACKS     the suites (default "bookworm trixie sid")
#   -M                only make the stacks that are not made yet (.ci/run
#                     starts that ahead of `make check`, which waits for it)
#   (-S and -M come before run-matrix.sh's -f, -s)
#   EB_STACKS_MIRROR  Debian's archive (default http://deb.debian.org/debian)
#   MKINITCPIO_TARBALL as for tests/boot (copied into each stack)
# Prints run-matrix.sh's lines with the suite after ok/FAIL/#
# ("ok trixie: itools/bind-03: ..."), and last "N passed, M failed" over all
# suites; exits 1 on any failure.  Logs: build/stacks/SUITE/*.log, the
# boot logs in build/stacks/SUITE/root/src/early-bind/build/boot-logs/.
set -u

ST_DIR=$(cd "$(dirname "$0")" && pwd)
EB_ROOT=$(cd "$ST_DIR/../.." && pwd)
STACKS=$EB_ROOT/build/stacks
MIRROR=${EB_STACKS_MIRROR:-http://deb.debian.org/debian}
SUITES=${EB_STACKS:-bookworm trixie sid}
MAKE_ONLY=""
while [ $# -gt 0 ]; do
	case $1 in
	-S) SUITES=$2 && shift 2 ;;
	-M) MAKE_ONLY=1 && shift ;;
	*) break ;;
	esac
done

# shellcheck source=tests/results.sh
. "$EB_ROOT/tests/results.sh"

note() {
	echo "# $*"
}

now() {
	date +%s
}

# The mkinitcpio release, found as tests/boot finds it, or as .ci/run does.
tarball() {
	local f
	for f in "${MKINITCPIO_TARBALL:-}" "$EB_ROOT/../shared/tools/mkinitcpio-41.tar.gz" \
		/work/shared/tools/mkinitcpio-41.tar.gz; do
		[ -n "$f" ] && [ -r "$f" ] && echo "$f" && return 0
	done
	return 1
}

# in_stack SUITE COMMAND...: COMMAND chrooted into the suite's stack.
in_stack() {
	local suite="$1"
	shift
	unshare -m --propagation private sh "$ST_DIR/ns.sh" "$STACKS/$suite/root" \
		"$STACKS/cache/$suite" "$@"
}

# copy_tree SUITE: the checkout's tracked files (as they are in the work
# tree) to /src/early-bind, the previous copy's build/ kept (static
# libraries, objects); the mkinitcpio release to /src/shared/tools.
copy_tree() {
	local dst="$STACKS/$1/root/src/early-bind" tb
	mkdir -p "$dst" "$STACKS/$1/root/src/shared/tools"
	find "$dst" -mindepth 1 -maxdepth 1 ! -name build -exec rm -rf {} +
	(cd "$EB_ROOT" && git ls-files -z | tar --null -T - --ignore-failed-read -cf - 2>/dev/null) |
		tar -xf - -C "$dst" || return 1
	tb=$(tarball) || return 1
	cp "$tb" "$STACKS/$1/root/src/shared/tools/mkinitcpio-41.tar.gz"
}

# bootstrap SUITE: debootstrap's minbase, then what apt inside needs before
# its first update: Debian's frozen sid mirror here has an expired Release
# (Check-Valid-Until), and no service may start in a chroot (policy-rc.d).
bootstrap() {
	local root="$STACKS/$1/root"
	rm -rf -- "${root:?}"
	mkdir -p "$STACKS/cache/$1"
	debootstrap --variant=minbase --cache-dir="$STACKS/cache/$1" "$1" "$root" "$MIRROR" ||
		return 1
	cat >"$root/etc/apt/apt.conf.d/90early-bind-stacks" <<-EOF
		// tests/stacks: Debian's archive as mirrored here may be frozen
		// (sid's Release expired).
		Acquire::Check-Valid-Until "false";
	EOF
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"
}

# make_stack SUITE: debootstrap, set-up, first make; timings to
# build/stacks/SUITE/create.times.  Output to build/stacks/SUITE/create.log.
make_stack() {
	local d="$STACKS/$1" t0 t1 t2 t3
	rm -f "$d/done" "$d/create.times"
	mkdir -p "$d"
	t0=$(now)
	bootstrap "$1" || return 1
	t1=$(now)
	copy_tree "$1" || return 1
	in_stack "$1" sh /src/early-bind/tests/setup-debian.sh || return 1
	cp "$EB_ROOT/tests/setup-debian.sh" "$d/setup-debian.sh.done"
	t2=$(now)
	in_stack "$1" make -C /src/early-bind || return 1
	t3=$(now)
	echo "debootstrap $((t1 - t0)) setup $((t2 - t1)) make $((t3 - t2)) total $((t3 - t0))" \
		>"$d/create.times"
	touch "$d/done"
}

# start_stack SUITE: makes the stack in the background unless it is done,
# under the suite's lock: another run.sh making it (.ci/run's -M ahead of
# make check) is waited for, not raced.  wait_stack SUITE waits for it and
# reports.
start_stack() {
	mkdir -p "$STACKS/$1"
	rm -f "$STACKS/$1/create.rc.$$"
	(
		flock 9
		rc=0
		if [ ! -e "$STACKS/$1/done" ]; then
			make_stack "$1" >"$STACKS/$1/create.log" 2>&1 || rc=1
			echo made >"$STACKS/$1/create.by.$$"
		fi
		echo "$rc" >"$STACKS/$1/create.rc.$$"
	) 9>"$STACKS/$1/lock" &
}

wait_stack() {
	local rc
	while [ ! -e "$STACKS/$1/create.rc.$$" ]; do
		sleep 2
	done
	rc=$(cat "$STACKS/$1/create.rc.$$")
	rm -f "$STACKS/$1/create.rc.$$"
	if [ "$rc" != 0 ]; then
		tail -n 30 "$STACKS/$1/create.log" | sed 's/^/#   /'
		fail "$1: stack made (see $STACKS/$1/create.log)"
		return 1
	fi
	if [ -e "$STACKS/$1/create.by.$$" ]; then
		rm -f "$STACKS/$1/create.by.$$"
		ok "$1: stack made (s: $(cat "$STACKS/$1/create.times"))"
	else
		note "$1: stack ready (made before, s: $(cat "$STACKS/$1/create.times" 2>/dev/null))"
	fi
}

# run_stack SUITE ARGS...: make and the boot matrix inside, its lines
# prefixed with the suite, its counts added to ours.
run_stack() {
	local suite="$1" t0 pid sum
	shift
	t0=$(now)
	if ! copy_tree "$suite"; then
		fail "$suite: tree copied into the stack"
		return
	fi
	# A set-up that changed since the stack was made runs again (apt
	# installs what it added), as it would on a newcomer's machine.
	if ! cmp -s "$EB_ROOT/tests/setup-debian.sh" "$STACKS/$suite/setup-debian.sh.done"; then
		note "$suite: tests/setup-debian.sh changed, running it again"
		if ! in_stack "$suite" sh /src/early-bind/tests/setup-debian.sh >"$STACKS/$suite/setup.log" 2>&1; then
			fail "$suite: tests/setup-debian.sh runs again (see $STACKS/$suite/setup.log)"
			return
		fi
		cp "$EB_ROOT/tests/setup-debian.sh" "$STACKS/$suite/setup-debian.sh.done"
	fi
	# Emptied first, so that tail never shows the previous run's lines.
	: >"$STACKS/$suite/run.log"
	in_stack "$suite" sh -c 'cd /src/early-bind && make -s >build/make.log 2>&1 || { tail -n 20 build/make.log; echo "FAIL make"; exit 1; }; exec sh tests/boot/run-matrix.sh "$@"' \
		run-matrix "$@" >"$STACKS/$suite/run.log" 2>&1 &
	pid=$!
	tail -f --pid="$pid" -n +1 "$STACKS/$suite/run.log" 2>/dev/null |
		sed -u -e "/^[0-9]* passed, [0-9]* failed\$/d" \
			-e "s/^\(ok\|FAIL\|#\) /\1 $suite: /"
	wait "$pid"
	sum=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$STACKS/$suite/run.log" | tail -n 1)
	if [ -z "$sum" ]; then
		fail "$suite: run-matrix.sh ran to its end (see $STACKS/$suite/run.log)"
		return
	fi
	passed=$((passed + ${sum% *}))
	failed=$((failed + ${sum#* }))
	note "$suite: run ${sum% *} passed, ${sum#* } failed in $(($(now) - t0)) s"
}

# next_suite SUITE: the suite after SUITE in SUITES ("": the first).
next_suite() {
	local prev="" suite
	for suite in $SUITES; do
		[ "$prev" = "$1" ] && echo "$suite" && return 0
		prev=$suite
	done
}

main() {
	local tool t0 suite ready next
	if [ "$(id -u)" -ne 0 ]; then
		echo "stacks: run as root (debootstrap, chroot, mounts)" >&2
		exit 2
	fi
	for tool in debootstrap unshare chroot git; do
		command -v "$tool" >/dev/null 2>&1 || {
			fail "precondition: $tool is installed (run tests/setup-debian.sh)"
			results_summary
			exit 1
		}
	done
	if ! tarball >/dev/null; then
		fail "precondition: mkinitcpio-41.tar.gz (MKINITCPIO_TARBALL) is readable"
	fi
	mkdir -p "$STACKS"
	t0=$(now)
	start_stack "$(next_suite "")"
	for suite in $SUITES; do
		ready=0
		wait_stack "$suite" || ready=1
		# The next suite's stack is made while this one boots.
		next=$(next_suite "$suite")
		[ -z "$next" ] || start_stack "$next"
		[ "$ready" -ne 0 ] || [ -n "$MAKE_ONLY" ] || run_stack "$suite" "$@"
	done
	note "stacks: $SUITES in $(($(now) - t0)) s"
	results_summary
}

main "$@"
