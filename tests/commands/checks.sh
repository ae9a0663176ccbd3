# shellcheck shell=sh
# The command tests that are no cases: colour, the man page, --help.
# Sourced by tests/run-cases.sh when it runs tests/commands/cases, which
# then calls set_checks.

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
	page=$TESTS/../early-bind/man/early-bind.8
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
		# groff indents it by 7 columns; groff 1.24 (Debian unstable) by 5.
		if grep -Eq "^ {5,7}$command( |\$)" "$WORK/man.txt"; then
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

set_checks() {
	test_colour
	test_man
	test_help
}
