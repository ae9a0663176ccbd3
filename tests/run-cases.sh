#!/bin/sh
# Runs the real binary on generated fixture trees (tests/fixtures/machines)
# and compares exactly: its exit status, stdout, stderr and every file it
# changed in the tree.  One runner for every case set: tests/fixtures/cases
# (the boot path) and tests/commands/cases (the operator commands).
#
# A case is a directory NAME with:
#   machine          a tests/fixtures/machines/*.machine name
#   args             the arguments, one per line; "--sysroot ROOT" goes first;
#                    @ROOT@ in a line stands for the tree's path (and in
#                    what the command prints)
#   setup            optional: sh -e run in the tree first, to break it in a
#                    way no machine description can; it gets $ROOT (the
#                    tree), $CASE (the case directory, for files the case
#                    brings), $BINARY, $TESTS (this directory) and the
#                    helpers of case-helpers.sh
#   no-sysroot       optional: run on the real system as user nobody instead
#                    (only for commands that must refuse before any write)
#   expected-status  the exit status (124: killed after 10 s, a hang)
#   expected-stdout  what it prints on stdout (absent: nothing)
#   expected-*.VARIANT  optional: the expectation instead where the setup
#                    says the host's tools made VARIANT (it writes the word
#                    to $VARIANT_FILE): e.g. early-archive, an image that
#                    keeps compressed modules in an uncompressed archive in
#                    front (initramfs-tools 0.148 in Debian 13, dracut 112
#                    in unstable)
#   expected-stderr  what it prints on stderr (absent: nothing)
#   expected-changes optional: every file the run changed, each as a line
#                    "== PATH" (relative to the tree) and then its content,
#                    "-> TARGET" for a link, "(a directory)" or "(removed)";
#                    sorted by PATH (byte order);
#                    without it the run may change nothing.  A state file
#                    it wrote must hold one elapsed record (the binder's
#                    time), which the comparison leaves out
# Every JSON a case's command writes (list, check or status with --json or
# --format json: stdout, or --output's file) must be valid against its
# JSON Schema in schema/ (commands/check-json.py).
#
# usage: run-cases.sh BINARY DIR...
#   DIR: a case, or a folder of cases; for a folder, the checks that are no
#   cases (a set_checks function in the folder's ../checks.sh) run too.
# UPDATE=1 writes what the runs produced as the expectations of the given
# cases instead: review those files before committing them.
# Prints "ok ..."/"FAIL ..." lines and "N passed, M failed"; exits 1 on failure.

# Builds the pristine tree of a machine once a run; cases copy it.
pristine() {
	if [ ! -d "$WORK/pristine/$1" ]; then
		mkdir -p "$WORK/pristine"
		python3 -B "$TESTS/fixtures/mkroot.py" --modules \
			"$TESTS/fixtures/machines/$1.machine" "$WORK/pristine/$1" >/dev/null ||
			return 1
	fi
	echo "$WORK/pristine/$1"
}

# Every file and link of a tree with its content's hash (or link target).
manifest() {
	(cd "$1" && {
		find . -type f -exec sha256sum {} +
		find . -type l -printf '%l  %p\n'
	} | LC_ALL=C sort -k 2)
}

# changes MANIFEST TREE: every path whose manifest line differs, as
# expected-changes holds them.
changes() {
	manifest "$2" >"$out/manifest-after"
	diff "$1" "$out/manifest-after" |
		sed -n 's|^[<>] [^ ]*  \./||p' | LC_ALL=C sort -u | while IFS= read -r path; do
		echo "== $path"
		if [ -L "$2/$path" ]; then
			echo "-> $(readlink "$2/$path")"
		elif [ -f "$2/$path" ]; then
			cat "$2/$path"
		elif [ -d "$2/$path" ]; then
			echo "(a directory)"
		else
			echo "(removed)"
		fi
	done
}

# split_changes FILE DIR: DIR/paths lists the "== PATH" lines of FILE, DIR/N
# holds what follows the N-th.
split_changes() {
	rm -rf -- "${2:?}"
	mkdir -p "$2"
	awk -v dir="$2" '
		BEGIN { paths = dir "/paths"; printf "" >paths; block = dir "/0" }
		/^== / {
			close(block)
			block = dir "/" ++n
			print substr($0, 4) >paths
			printf "" >block
			next
		}
		{ print >block }
	' "$1"
}

# block DIR PATH: the file holding PATH's content in a split_changes DIR.
block() {
	bl_n=$(grep -nxF -- "$2" "$1/paths" | sed -n '1s/:.*//p')
	[ -n "$bl_n" ] && echo "$1/$bl_n"
}

# kernel_neutral FILE: FILE as every kernel since 6.1 would have it: the
# fixtures' modules are the host kernel's, and vfio_virqfd, a module of its
# own in 6.1, is part of vfio since 6.2; so a list of the modules loaded
# names it only on some hosts.  Cases compare module lists without it.
kernel_neutral() {
	sed 's/ vfio_virqfd / /g' "$1"
}

# timing_neutral FILE: FILE (a run's changes) without the elapsed record of
# each state file the run wrote, the one field no two runs share.  Each such
# file must hold exactly one, well-formed (seconds, six decimals): prints
# "missing" or "malformed" on fd 3 for each that does not.
timing_neutral() {
	awk '
		function done() { if (state && seen != 1) print (seen ? "malformed" : "missing") >"/dev/fd/3" }
		/^== / { done(); state = $0 == "== run/early-bind/state"; seen = 0 }
		state && /^elapsed\t/ {
			seen += $0 ~ /^elapsed\t[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9]$/ ? 1 : 2
			if (seen == 1) next
		}
		{ print }
		END { done() }' "$1"
}

# neutral_copy FILE NAME: prints the path of FILE made kernel_neutral (a
# copy in the case's output directory), or /dev/null without FILE.
neutral_copy() {
	if [ -f "$1" ]; then
		kernel_neutral "$1" >"$out/expected-$2"
		echo "$out/expected-$2"
	else
		echo /dev/null
	fi
}

# expectation NAME: the case's expected-NAME file, or its variant's.
expectation() {
	ex_variant=$(cat "$VARIANT_FILE" 2>/dev/null) || ex_variant=""
	if [ -n "$ex_variant" ] && { [ -f "$CASE/expected-$1.$ex_variant" ] || [ "${UPDATE:-0}" = 1 ]; }; then
		echo "$CASE/expected-$1.$ex_variant"
	else
		echo "$CASE/expected-$1"
	fi
}

# compare WHAT EXPECTED GOT: an exact comparison; a missing EXPECTED file
# means "nothing".
compare() {
	cmp_expected=$(neutral_copy "$2" "$1")
	if diff -u "$cmp_expected" "$3" >"$out/diff"; then
		ok "$name: $1"
	else
		fail "$name: $1 differs:"
		cat "$out/diff"
	fi
}

# The changed paths, then each expected file's content.
compare_changes() {
	cc_expected=$(neutral_copy "$(expectation changes)" changes)
	split_changes "$cc_expected" "$out/expected"
	split_changes "$out/changes" "$out/changed"
	cc_failed=$failed
	if diff -u "$out/expected/paths" "$out/changed/paths" >"$out/diff"; then
		ok "$name: changed exactly the expected files"
	else
		fail "$name: changed files differ (- expected, + changed):"
		cat "$out/diff"
	fi
	while IFS= read -r path; do
		if ! cc_got=$(block "$out/changed" "$path"); then
			fail "$name: $path did not change"
		elif cmp -s "$(block "$out/expected" "$path")" "$cc_got"; then
			ok "$name: $path"
		else
			fail "$name: $path differs:"
			diff -u "$(block "$out/expected" "$path")" "$cc_got"
		fi
	done <"$out/expected/paths"
	# What the parts above cannot see: a missing last newline, text before
	# the first "== " line.
	if [ "$failed" = "$cc_failed" ] && ! cmp -s "$cc_expected" "$out/changes"; then
		fail "$name: changes differ from expected-changes:"
		diff -u "$cc_expected" "$out/changes"
	fi
}

# The tree of the case at ROOT, set up; fails the case when it cannot be.
prepare_tree() {
	pt_machine=$(cat "$CASE/machine")
	pt_src=$(pristine "$pt_machine") || {
		fail "$name: cannot generate machine $pt_machine"
		return 1
	}
	ROOT=$WORK/run/$name
	VARIANT_FILE=$out/variant
	rm -rf -- "${ROOT:?}" "${out:?}"
	mkdir -p "$WORK/run" "$out"
	cp -a "$pt_src" "$ROOT"
	export ROOT CASE VARIANT_FILE
	[ -f "$CASE/setup" ] || return 0
	# A shell of its own, so that -e holds whatever context calls this.
	if ! sh -ec 'cd "$ROOT"; . "$1"; . "$2"' "$CASE/setup" \
		"$TESTS/case-helpers.sh" "$CASE/setup" >"$out/setup" 2>&1; then
		fail "$name: setup failed:"
		cat "$out/setup"
		return 1
	fi
}

# The case's command, its arguments one a line (values may hold spaces and
# quotes). A hang (a write that blocks) fails as status 124 instead of
# hanging the suite.
run_binary() {
	set --
	while IFS= read -r rb_arg; do
		set -- "$@" "$(printf '%s\n' "$rb_arg" | sed "s|@ROOT@|$ROOT|g")"
	done <"$CASE/args"
	if [ -f "$CASE/no-sysroot" ]; then
		timeout 10 setpriv --reuid=65534 --regid=65534 --clear-groups "$BINARY" "$@"
	else
		timeout 10 "$BINARY" --sysroot "$ROOT" "$@"
	fi
}

record() {
	echo "$status" >"$CASE/expected-status"
	for stream in stdout stderr changes; do
		if [ -s "$out/$stream" ]; then
			cp "$out/$stream" "$(expectation "$stream")"
		else
			rm -f "$(expectation "$stream")"
		fi
	done
	echo "recorded $name"
}

# json_of_case: "COMMAND FILE" when the case's command writes JSON (FILE:
# where, stdout or --output's), or nothing.
json_of_case() {
	sed "s|@ROOT@|$ROOT|g" "$CASE/args" | awk -v stdout="$out/stdout" '
		command == "" && /^(list|check|status)$/ { command = $0 }
		$0 == "--json" || (previous == "--format" && $0 == "json") { json = 1 }
		previous == "--output" { file = $0 }
		{ previous = $0 }
		END { if (json && command != "") print command, (file != "" ? file : stdout) }'
}

check_json() {
	cj_what=$(json_of_case)
	[ -n "$cj_what" ] || return 0
	cj_schema=${cj_what%% *}
	cj_file=${cj_what#* }
	# Nothing written (a usage error, a state file it cannot read) is no JSON to check.
	[ -s "$cj_file" ] || return 0
	if "$PYTHON3" "$TESTS/commands/check-json.py" "$cj_schema" "$cj_file" >"$out/json"; then
		ok "$name: its JSON is valid against schema/$cj_schema.schema.json"
	else
		fail "$name: its JSON is valid against schema/$cj_schema.schema.json:"
		cat "$out/json"
	fi
}

run_case() {
	CASE=$(cd "$1" && pwd)
	name=$(basename "$CASE")
	out=$WORK/out/$name
	if [ -d "$CASE/expected-files" ]; then
		fail "$name: expected-files/ is the old format; convert it to expected-changes"
		return
	fi
	prepare_tree || return
	manifest "$ROOT" >"$out/manifest-before"
	# A run may leave a process behind that still writes (boot's work after
	# its deadline): fd 9 holds a lock every process of the run inherits,
	# so taking it again waits for the last of them (10 s at most).
	{ flock -x 9 && run_binary >"$out/stdout" 2>"$out/stderr"; } 9>"$out/lingers"
	status=$?
	if ! flock -w 10 "$out/lingers" true; then
		fail "$name: a process of the run still runs 10 s after it returned"
	fi
	# Messages that quote the tree's path compare as @ROOT@, wherever it is.
	for stream in stdout stderr; do
		sed "s|$ROOT|@ROOT@|g" "$out/$stream" | kernel_neutral /dev/stdin >"$out/$stream.tmp" &&
			mv "$out/$stream.tmp" "$out/$stream"
	done
	changes "$out/manifest-before" "$ROOT" | kernel_neutral /dev/stdin >"$out/changes.raw"
	timing_neutral "$out/changes.raw" >"$out/changes" 3>"$out/timing"
	if [ "${UPDATE:-0}" = 1 ]; then
		record
	fi
	if [ "$status" = "$(cat "$CASE/expected-status")" ]; then
		ok "$name: exit status $status"
	else
		fail "$name: exit status $status, expected $(cat "$CASE/expected-status")"
	fi
	compare stdout "$(expectation stdout)" "$out/stdout"
	compare stderr "$(expectation stderr)" "$out/stderr"
	compare_changes
	if [ -s "$out/timing" ]; then
		fail "$name: the state file's elapsed record is $(head -n 1 "$out/timing"):"
		grep '^elapsed' "$out/changes.raw"
	fi
	check_json
}

# run_set DIR: every case in DIR, and the set's checks that are no cases.
run_set() {
	for rs_case in "$1"/*/; do
		run_case "${rs_case%/}"
	done
	if [ -f "$1/../checks.sh" ]; then
		# shellcheck source=tests/commands/checks.sh
		. "$1/../checks.sh"
		set_checks
	fi
}

# The scratch directory of a case set: build/SET for tests/SET/cases.
work_dir() {
	if [ -f "$1/args" ]; then
		wd_set=$(dirname "$(dirname "$(realpath "$1")")")
	else
		wd_set=$(dirname "$(realpath "$1")")
	fi
	echo "$(dirname "$TESTS")/build/$(basename "$wd_set")"
}

main() {
	set -u
	if [ $# -lt 2 ]; then
		echo "usage: run-cases.sh BINARY DIR..." >&2
		exit 2
	fi
	BINARY=$(realpath "$1")
	shift
	TESTS=$(cd "$(dirname "$0")" && pwd)
	WORK=${EB_CASES_WORK:-$(work_dir "$1")}
	export BINARY TESTS WORK
	# shellcheck source=tests/results.sh
	. "$TESTS/results.sh"
	# Trees from the machines as they are now; images.sh keeps its images.
	rm -rf -- "${WORK:?}/pristine" "$WORK/run" "$WORK/out"
	mkdir -p "$WORK"
	for arg in "$@"; do
		if [ -f "$arg/args" ]; then
			run_case "${arg%/}"
		else
			run_set "${arg%/}"
		fi
	done
	results_summary
}

main "$@"
