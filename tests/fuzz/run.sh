#!/bin/sh
# Runs the libFuzzer harnesses built as build/fuzz/fuzz-NAME.
#
# usage: run.sh check|fuzz SECONDS NAME...
#   check  replays each harness's seeds (tests/fuzz/corpus/NAME), then fuzzes
#          SECONDS from a fresh copy of them with a fixed seed: for `make check`.
#   fuzz   fuzzes SECONDS from build/fuzz/corpus/NAME, which keeps what
#          earlier runs found; the seeds are copied in first.
# The committed seeds are never written to. Crash inputs go to
# build/fuzz/crashes/NAME/, the libFuzzer output to build/fuzz/logs/; the
# harnesses' scratch files to a directory removed at the end.
# Prints "ok ..."/"FAIL ..." lines and "N passed, M failed"; exits 1 on failure.
set -u

MODE=$1
SECONDS_EACH=$2
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT_DIR=$(cd "$HERE/../.." && pwd)
OUT=$ROOT_DIR/build/fuzz
# shellcheck source=tests/results.sh
. "$ROOT_DIR/tests/results.sh"

# libfuzzer BINARY ARG...: -timeout, for one input running that long is a
# hang; the rest are libFuzzer's defaults.
libfuzzer() {
	lf_binary=$1
	shift
	"$lf_binary" -timeout=10 -print_final_stats=1 "$@"
}

# show_failure LOG: the end of libFuzzer's output, where the stack and the crash input are.
show_failure() {
	tail -n 40 "$1" | sed 's/^/    /'
}

# corpus_size DIR: the inputs in DIR.
corpus_size() {
	find "$1" -type f | wc -l | tr -d ' '
}

# fresh_copy SEEDS DIR: DIR holds a copy of the seeds and nothing else.
fresh_copy() {
	rm -rf "$2"
	mkdir -p "$2"
	cp "$1"/* "$2"/
}

check_harness() {
	name=$1 binary=$OUT/fuzz-$1 seeds=$HERE/corpus/$1
	log=$OUT/logs/$name
	if [ -z "$(ls -A "$seeds" 2>/dev/null)" ]; then
		fail "fuzz-$name: no seeds in tests/fuzz/corpus/$name"
		return
	fi
	if libfuzzer "$binary" "$seeds"/* >"$log-seeds.log" 2>&1; then
		ok "fuzz-$name: its $(corpus_size "$seeds") seeds run clean"
	else
		fail "fuzz-$name: a seed fails"
		show_failure "$log-seeds.log"
		return
	fi
	fresh_copy "$seeds" "$OUT/check/$name"
	mkdir -p "$OUT/crashes/$name"
	if libfuzzer "$binary" -seed=1 -max_total_time="$SECONDS_EACH" \
		-artifact_prefix="$OUT/crashes/$name/" "$OUT/check/$name" >"$log-check.log" 2>&1; then
		ok "fuzz-$name: $SECONDS_EACH s of fuzzing find nothing"
	else
		fail "fuzz-$name: fuzzing found a failure (input in build/fuzz/crashes/$name/)"
		show_failure "$log-check.log"
	fi
}

fuzz_harness() {
	name=$1 binary=$OUT/fuzz-$1 corpus=$OUT/corpus/$1
	log=$OUT/logs/$name-fuzz.log
	mkdir -p "$corpus" "$OUT/crashes/$name"
	cp "$HERE/corpus/$name"/* "$corpus"/
	echo "fuzz-$name: $SECONDS_EACH s, log in build/fuzz/logs/$name-fuzz.log"
	if libfuzzer "$binary" -max_total_time="$SECONDS_EACH" \
		-artifact_prefix="$OUT/crashes/$name/" "$corpus" >"$log" 2>&1; then
		ok "fuzz-$name: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" |
			grep -o '[0-9]*$') runs, nothing found, corpus $(corpus_size "$corpus") inputs"
	else
		fail "fuzz-$name: a failure found (input in build/fuzz/crashes/$name/)"
		show_failure "$log"
	fi
}

# Scratch space for the harnesses (TMPDIR), in memory where possible; a
# crashing harness cannot clean up after itself.
for tmp in /dev/shm "${TMPDIR:-/tmp}"; do
	[ -d "$tmp" ] && [ -w "$tmp" ] && break
done
TMPDIR=$(mktemp -d "$tmp/early-bind-fuzz.XXXXXX") || exit 1
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT/logs"
for name in "$@"; do
	case $MODE in
	check) check_harness "$name" ;;
	fuzz) fuzz_harness "$name" ;;
	*)
		echo "usage: run.sh check|fuzz SECONDS NAME..." >&2
		exit 2
		;;
	esac
done
results_summary
