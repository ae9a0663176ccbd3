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
	for section in "THE PARAMETER" COMMANDS OPTIONS "JSON OUTPUT" METRICS "EXIT STATUS" FILES EXAMPLES; do
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

# What snippet --format libvirt printed from a hostile pci.ids is XML a
# parser takes (the case compares the bytes; this says they are well-formed).
test_libvirt_xml() {
	tx_out=$WORK/out/snippet-libvirt-hostile-name/stdout
	{
		echo '<devices>'
		cat "$tx_out"
		echo '</devices>'
	} >"$WORK/snippet.xml"
	if [ -s "$tx_out" ] && xmllint --noout "$WORK/snippet.xml" >"$WORK/xmllint" 2>&1; then
		ok "snippet: libvirt output from a hostile pci.ids is well-formed XML (xmllint)"
	else
		fail "snippet: libvirt output from a hostile pci.ids is well-formed XML (xmllint):"
		cat "$WORK/xmllint"
	fi
}

# Readers stay linear in their input: check on a /proc/iomem of 64,000
# lines (half of them ranges of the card, half framebuffers elsewhere) and
# status's table of 40,000 records each finish in a few hundredths of a
# second of CPU; quadratic ones took minutes. 10 s leaves room for a
# loaded machine. Only status's text table is timed: --json never was slow.
test_linear() {
	src=$(pristine dual-2080ti) || return
	tl_root=$WORK/linear
	rm -rf -- "${tl_root:?}"
	cp -a "$src" "$tl_root"
	awk 'BEGIN {
		for (i = 0; i < 32000; i++) {
			printf "    %x-%x : 0000:3b:00.0\n", 268435456 + i * 8192, 268435456 + i * 8192 + 4095
			printf "      %x-%x : efifb\n", 1073741824 + i * 8192, 1073741824 + i * 8192 + 4095
		}
	}' >>"$tl_root/proc/iomem"
	timeout 10 "$BINARY" --sysroot "$tl_root" check 3b:00 >"$WORK/linear.out" 2>&1
	tl_status=$?
	if [ "$tl_status" != 124 ] && grep -q "no firmware framebuffer in the card's memory" "$WORK/linear.out"; then
		ok "linear: check reads a /proc/iomem of 64,000 lines in under 10 s"
	else
		fail "linear: check reads a /proc/iomem of 64,000 lines in under 10 s (exit status $tl_status)"
	fi
	mkdir -p "$tl_root/run/early-bind"
	awk 'BEGIN {
		print "early-bind-state\t1\nrequested\t3b:00\niommu\ton\nentry\t3b:00\taccepted"
		for (i = 0; i < 40000; i++)
			printf "function\t%04x:%02x:%02x.0\t10de:1e07\t0300\t-\tvfio-pci\tbound\n", i / 8192, i / 32 % 256, i % 32
		print "result\tok"
	}' >"$tl_root/run/early-bind/state"
	timeout 10 "$BINARY" --sysroot "$tl_root" status >"$WORK/linear.out" 2>&1
	tl_status=$?
	if [ "$tl_status" != 124 ] && [ "$(grep -c ' bound ' "$WORK/linear.out")" = 40000 ]; then
		ok "linear: status prints a table of 40,000 functions in under 10 s"
	else
		fail "linear: status prints a table of 40,000 functions in under 10 s (exit status $tl_status)"
	fi
}

# status --output: the file replaced is readable by all (node_exporter's
# textfile collector runs as its own user) whatever the umask, and no
# temporary file stays beside it (case status-output-prometheus compares
# the content).
test_output_file() {
	src=$(pristine already-bound) || return
	rm -rf "$WORK/output"
	mkdir -p "$WORK/output"
	(umask 077 && "$BINARY" --sysroot "$src" status --format prometheus \
		--output "$WORK/output/early-bind.prom") 2>/dev/null
	to_files=$(cd "$WORK/output" && ls -A)
	to_mode=$(stat -c %a "$WORK/output/early-bind.prom" 2>/dev/null)
	if [ "$to_files" = early-bind.prom ] && [ "$to_mode" = 644 ]; then
		ok "output: status --output leaves the file alone, mode 644 under umask 077"
	else
		fail "output: status --output leaves the file alone, mode 644 under umask 077 (files: $to_files; mode: $to_mode)"
	fi
}

# readme_block MARKER N: the N-th fenced block after README.md's line MARKER.
readme_block() {
	awk -v marker="$1" -v n="$2" '
		index($0, marker) == 1 { found = 1; next }
		found && /^```/ { if (inside) { if (++seen == n) exit; inside = 0 } else inside = 1; next }
		found && inside && seen == n - 1 { print }' "$TESTS/../README.md"
}

# README's node-feature-discovery command, run as written (early-bind and
# the features.d directory replaced) on a tree whose boot bound 0000:af:00,
# writes the file README shows, and nothing else.
test_nfd_readme() {
	src=$(pristine already-bound) || return
	nr_root=$WORK/nfd-root
	rm -rf "$nr_root" "$WORK/features.d"
	cp -a "$src" "$nr_root"
	mkdir -p "$nr_root/run/early-bind" "$WORK/features.d"
	cp "$TESTS/commands/cases/status-json-bound/state" "$nr_root/run/early-bind/state"
	readme_block "<!-- nfd-features:" 1 |
		sed -e "s|^early-bind status|'$BINARY' --sysroot '$nr_root' status|" \
			-e "s|/etc/kubernetes/node-feature-discovery/features.d|$WORK/features.d|g" \
			>"$WORK/nfd.sh"
	readme_block "<!-- nfd-features:" 2 >"$WORK/nfd.expected"
	if [ -s "$WORK/nfd.expected" ] && grep -q "$BINARY" "$WORK/nfd.sh" &&
		sh -e "$WORK/nfd.sh" 2>"$WORK/nfd.err" &&
		[ "$(ls -A "$WORK/features.d")" = early-bind ] &&
		diff -u "$WORK/nfd.expected" "$WORK/features.d/early-bind" >"$WORK/nfd.diff"; then
		ok "README: the node-feature-discovery command writes the file it shows"
	else
		fail "README: the node-feature-discovery command writes the file it shows:"
		cat "$WORK/nfd.err" "$WORK/nfd.diff" 2>/dev/null
	fi
}

# The layering rule's check (make lint) passes on the tree and fails, naming
# the file, on an include that climbs.
test_layers() {
	tl_src=$WORK/layers
	rm -rf "$tl_src"
	mkdir -p "$tl_src/engine" "$tl_src/doctor" "$tl_src/cli"
	printf '#include "engine/log.h"\n' >"$tl_src/engine/ok.c"
	printf '#include "engine/log.h"\n#include "cli/json.h"\n' >"$tl_src/doctor/up.c"
	printf '#include "doctor/check.h"\n' >"$tl_src/cli/ok.c"
	check "layers: the tree keeps the rule" sh "$TESTS/lint-layers.sh" "$TESTS/../early-bind"
	if sh "$TESTS/lint-layers.sh" "$tl_src" 2>"$WORK/layers.err"; then
		fail "layers: an include that climbs fails"
	else
		check "layers: an include that climbs fails, naming it" \
			grep -q "doctor/up.c:2: doctor/ includes cli/" "$WORK/layers.err"
	fi
}

# tests/lint-format.sh passes on the tree and fails, naming it, on a file
# laid out otherwise.
test_format() {
	tf_bad=$WORK/format/bad.c
	rm -rf "$WORK/format"
	mkdir -p "$WORK/format"
	cp "$TESTS/../.clang-format" "$WORK/format/"
	printf 'int f(void) { return 0; }\n' >"$tf_bad"
	# shellcheck disable=SC2016 # $1 is the inner shell's
	check "format: the tree is as .clang-format writes it" sh -c 'cd "$1" && sh tests/lint-format.sh' sh "$TESTS/.."
	if sh "$TESTS/lint-format.sh" "$tf_bad" 2>"$WORK/format.err"; then
		fail "format: a file laid out otherwise fails"
	else
		check "format: a file laid out otherwise fails, naming it" grep -q "$tf_bad is not as" "$WORK/format.err"
	fi
}

set_checks() {
	test_layers
	test_format
	test_colour
	test_man
	test_help
	test_libvirt_xml
	test_linear
	test_output_file
	test_nfd_readme
}
