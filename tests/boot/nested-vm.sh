#!/bin/sh
# TEST ONLY, never installed (only the nested-vm scenario's image holds it,
# with QEMU).  Runs in the boot test guest, from report.sh, once udev has
# settled: for every entry of ebtest.nested=ENTRY,... on the kernel command
# line, starts a real QEMU (TCG, paused with -S, no display, HMP on stdio)
# with exactly the -device arguments `early-bind snippet --format qemu ENTRY`
# printed here, and records what the nested machine holds (HMP info qtree:
# with -S no root port has a bus number yet, so info pci would not show
# what sits behind it).  Also records `early-bind check --json`, whose
# group verdicts the host compares with QEMU's outcome.
#
# Records, one a line (read by the nested-vm scenario on the host):
#   EBN snippet ENTRY LINE        snippet's stdout; snippet-err: its stderr
#   EBN rc ENTRY STATUS           the nested QEMU's exit status
#   EBN err ENTRY LINE            the nested QEMU's stderr
#   EBN port ENTRY id=ID bus=BUS  a pcie-root-port of the nested machine
#   EBN dev ENTRY host=ADDR bus=BUS addr=DD.F multifunction=BOOL id=VVVV:DDDD
#                                 a vfio-pci device, IDs as read through VFIO
#   EBN check-json LINE           early-bind check --json

eb=/usr/sbin/early-bind
tmp=/run/ebn
mkdir -p "$tmp"

prefix() { # TAG FILE
	while IFS= read -r pf_line || [ -n "$pf_line" ]; do
		echo "EBN $1 $pf_line"
	done <"$2"
}

# qtree FILE ENTRY: the root ports and vfio-pci devices of an info qtree
# dump.  A device's bus is the "bus:" line one indentation step above it.
qtree() {
	awk -v e="$2" '
		function flush() {
			if (kind == "vfio-pci")
				printf "EBN dev %s host=%s bus=%s addr=%s multifunction=%s id=%s\n", e, host, parent, addr, mf, id
			else if (kind == "pcie-root-port")
				printf "EBN port %s id=%s bus=%s\n", e, devid, parent
			kind = ""
		}
		{ match($0, /^ */); ind = RLENGTH }
		$1 == "bus:" { bus[ind] = $2; next }
		$1 == "dev:" {
			flush()
			kind = $2; sub(/,$/, "", kind)
			devid = $0; sub(/.*id "/, "", devid); sub(/".*/, "", devid)
			parent = bus[ind - 2]; host = addr = mf = id = "?"
			next
		}
		$1 == "host" && $2 == "=" { host = $3; gsub(/"/, "", host) }
		$1 == "addr" && $2 == "=" { addr = $3 }
		$1 == "multifunction" && $2 == "=" { mf = $3 }
		/^ *class .*pci id / { id = $0; sub(/.*pci id /, "", id); sub(/ .*/, "", id) }
		END { flush() }
	' "$1"
}

# nested ENTRY: the snippet for ENTRY, then QEMU with exactly its arguments.
nested() {
	"$eb" snippet --format qemu "$1" >"$tmp/snippet" 2>"$tmp/snippet-err"
	prefix "snippet $1" "$tmp/snippet"
	prefix "snippet-err $1" "$tmp/snippet-err"
	# The snippet's lines end in " \" for a shell: one argument list.
	args=$(sed 's/ \\$//' "$tmp/snippet" | tr '\n' ' ')
	# shellcheck disable=SC2086 # the snippet's words, split on purpose
	printf 'info qtree\nquit\n' | timeout 300 qemu-system-x86_64 -accel tcg -M q35 -m 64 \
		-nodefaults -display none -S -monitor stdio $args >"$tmp/out" 2>"$tmp/err"
	echo "EBN rc $1 $?"
	prefix "err $1" "$tmp/err"
	qtree "$tmp/out" "$1"
}

main() {
	read -r cmdline </proc/cmdline
	for word in $cmdline; do
		case $word in
		ebtest.nested=*) entries=${word#ebtest.nested=} ;;
		esac
	done
	[ -n "${entries:-}" ] || return 0
	"$eb" check --json >"$tmp/check.json" 2>/dev/null
	prefix check-json "$tmp/check.json"
	for entry in $(echo "$entries" | tr ',' ' '); do
		nested "$entry"
	done
}

main "$@"
