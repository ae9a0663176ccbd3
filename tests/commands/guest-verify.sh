#!/bin/sh
# Host side of tests/commands/guest-checks.sh: reads a boot test report that
# holds its "EBC ..." lines, repeats the guest's assertions, validates the
# JSON the guest printed with tests/commands/check-json.py, and compares the
# drivers after the runtime release with the expected ones.
#
# usage: guest-verify.sh REPORT [ADDR=DRIVER...]
#   ADDR=DRIVER: the host driver ADDR must have after `early-bind release`,
#   e.g. 0000:00:03.1=snd_hda_intel
# Prints "ok ..."/"FAIL ..." lines and "N passed, M failed"; exits 1 on failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
report=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# shellcheck source=tests/results.sh
. "$here/../results.sh"

# The guest's records, whatever the harness put in front of them.
sed -n 's/^.*\(EBC .*\)$/\1/p' "$report" >"$tmp/ebc"

if grep -q '^EBC end ' "$tmp/ebc"; then
	ok "guest: guest-checks.sh ran to its end"
else
	fail "guest: guest-checks.sh ran to its end (no 'EBC end' in $report)"
fi
while IFS= read -r line; do
	case $line in
	"EBC ok "*) ok "guest: ${line#EBC ok }" ;;
	"EBC FAIL "*) fail "guest: ${line#EBC FAIL }" ;;
	esac
done <"$tmp/ebc"

for pair in status-json:status list-json:list check-json:check; do
	name=${pair%%:*}
	sed -n "s/^EBC out $name //p" "$tmp/ebc" >"$tmp/$name"
	if [ ! -s "$tmp/$name" ]; then
		fail "guest: $name was printed"
	elif "$PYTHON3" "$here/check-json.py" "${pair#*:}" "$tmp/$name" >"$tmp/why"; then
		ok "guest: $name is valid ${pair#*:} JSON"
	else
		fail "guest: $name is valid ${pair#*:} JSON: $(cat "$tmp/why")"
	fi
done

for want in "$@"; do
	addr=${want%%=*}
	got=$(awk -v a="$addr" '$1 == "EBC" && $2 == "driver" && $3 == a && $5 == "release" { print $4 }' "$tmp/ebc")
	if [ "$got" = "${want#*=}" ]; then
		ok "guest: after release $addr is on ${want#*=}"
	else
		fail "guest: after release $addr is on ${want#*=} (found '${got:-nothing}')"
	fi
done

results_summary
