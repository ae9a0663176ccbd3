#!/bin/sh
# The layering rule (README's Layout), checked by `make lint`: engine/ uses
# only engine/, doctor/ uses engine/ and itself, cli/ uses both; an include
# that climbs fails with the file, the line and the rule.
# usage: tests/lint-layers.sh [SOURCE-DIR]   (default early-bind/)
set -u

src=${1:-early-bind}
status=0

# allowed LAYER: the layers a file of LAYER may include.
allowed() {
	case $1 in
	engine) echo "engine" ;;
	doctor) echo "engine doctor" ;;
	cli) echo "engine doctor cli" ;;
	esac
}

for layer in engine doctor cli; do
	ok=$(allowed "$layer")
	for f in "$src/$layer"/*.c "$src/$layer"/*.h; do
		[ -f "$f" ] || continue
		# Lines such as: 12:#include "doctor/check.h"
		grep -n '^#include "[a-z]*/' "$f" | while IFS= read -r hit; do
			line=${hit%%:*}
			target=${hit#*\"}
			target=${target%%/*}
			case " $ok " in
			*" $target "*) ;;
			*)
				echo "$f:$line: $layer/ includes $target/: $layer/ may use only: $ok (README, Layout)"
				echo x
				;;
			esac
		done
	done
done | {
	while IFS= read -r out; do
		if [ "$out" = x ]; then
			status=1
		else
			echo "$out" >&2
		fi
	done
	exit $status
}
