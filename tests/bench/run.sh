#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench: `early-bind boot --dry-run` on a generated machine of many
# functions with many entries, timed beside a plain walk of the same tree
# (the floor: what reading the devices costs before early-bind does anything).
#
# usage: run.sh BINARY [FUNCTIONS [ENTRIES]]
#
# The tree is generated once into build/bench/ and kept until the
# generator or mkroot.py changes; the best of RUNS runs is reported, since the machine
# is shared and single runs are noisy.

RUNS=3

die() {
	echo "bench: $*" >&2
	exit 1
}

# Generates the machine and its tree into DIR unless it is there already.
make_tree() {
	dir=$1 functions=$2 entries=$3 here=$(dirname "$0")
	made_by=$(cat "$here/genmachine.py" "$here/../fixtures/mkroot.py" | cksum)
	if [ -e "$dir/done" ] && [ "$(cat "$dir/done")" = "$made_by" ]; then
		return 0
	fi
	rm -rf -- "${dir:?}"
	mkdir -p "$dir" || die "cannot create $dir"
	python3 -B "$here/genmachine.py" --functions "$functions" --entries "$entries" \
		"$dir/machine" "$dir/value" || die "genmachine.py failed"
	echo "bench: generating $dir/root (a few minutes)" >&2
	# With modules the dry run goes as far as the writes; without, it stops at loading vfio-pci.
	if ! python3 -B "$here/../fixtures/mkroot.py" --modules "$dir/machine" "$dir/root" >/dev/null; then
		echo "bench: no usable /lib/modules; the tree has no module tree" >&2
		rm -rf -- "${dir:?}/root"
		python3 -B "$here/../fixtures/mkroot.py" "$dir/machine" "$dir/root" >/dev/null ||
			die "mkroot.py failed"
	fi
	echo "$made_by" >"$dir/done"
}

# Runs "$@" under /usr/bin/time -v RUNS times; prints the best "SECONDS KB".
best_of() {
	best=
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		/usr/bin/time -v "$@" >/dev/null 2>"$dir/time" || true
		run=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0
			for (k = 1; k <= n; k++) s = s * 60 + t[k] }
			/Maximum resident set size/ { kb = $2 } END { printf "%.2f %d\n", s, kb }' "$dir/time")
		if [ -z "$best" ] || [ "$(echo "$run $best" | awk '{ print ($1 < $3) }')" = 1 ]; then
			best=$run
		fi
		i=$((i + 1))
	done
	echo "$best"
}

report() {
	label=$1 result=$2
	echo "$result" | awk -v label="$label" '{ printf "%-44s %6.2f s  %6d KB peak\n", label, $1, $2 }'
}

main() {
	binary=${1:?usage: run.sh BINARY [FUNCTIONS [ENTRIES]]}
	functions=${2:-4096} entries=${3:-512}
	[ -x "$binary" ] || die "$binary is not an executable"
	[ -x /usr/bin/time ] || die "needs /usr/bin/time (GNU time)"
	dir=build/bench/$functions-$entries
	make_tree "$dir" "$functions" "$entries"
	value=$(cat "$dir/value")
	echo "bench: $(grep -c '^[0-9a-f]*:[0-9a-f][0-9a-f]:' "$dir/machine") functions," \
		"$entries entries, best of $RUNS runs"
	report "early-bind boot --dry-run" \
		"$(best_of "$binary" boot --dry-run --sysroot "$dir/root" --cmdline "vfio.devices=$value")"
	report "floor: find -L sys/bus/pci/devices -maxdepth 2" \
		"$(best_of find -L "$dir/root/sys/bus/pci/devices/" -maxdepth 2)"
}

main "$@"
