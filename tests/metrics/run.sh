#!/bin/sh
# The metrics in the real consumers: Debian's prometheus-node-exporter
# serves the textfile `status --format prometheus --output` writes (its
# textfile collector alone, on a loopback port), promtool check metrics
# accepts it, and python3-prometheus-client's OpenMetrics parser takes
# `status --format openmetrics`; the series served are checked against
# `status --json` of the same tree (check-scrape.py). Each tree holds the
# state file of a fixture `boot --sysroot` run: one that bound everything,
# one that refused an entry and left a function on a driver whose name is
# hostile to the format (quote, backslash, line feed, bytes not UTF-8).
#
# usage: run.sh BINARY
# Installs nothing: tests/setup-debian.sh does. A missing tool fails the
# test, naming it.
set -u

TESTS=$(cd "$(dirname "$0")/.." && pwd)
BINARY=$(realpath "$1")
WORK=$TESTS/../build/metrics
# shellcheck source=tests/results.sh
. "$TESTS/results.sh"

EXPORTER=prometheus-node-exporter

# The tools, or a failure that says what to install.
require() {
	rq_missing=""
	for rq_tool in "$EXPORTER:prometheus-node-exporter" "promtool:prometheus"; do
		command -v "${rq_tool%%:*}" >/dev/null 2>&1 || rq_missing="$rq_missing ${rq_tool#*:}"
	done
	"$PYTHON3" -c 'import prometheus_client' 2>/dev/null || rq_missing="$rq_missing python3-prometheus-client"
	if [ -n "$rq_missing" ]; then
		fail "metrics: missing packages:$rq_missing; run tests/setup-debian.sh (as root) first"
		results_summary
		exit 1
	fi
}

# A free loopback port: the kernel picks one, released just before use.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# tree NAME MACHINE VALUE: a fixture tree after `boot` with vfio.devices=VALUE.
tree() {
	rm -rf -- "${WORK:?}/$1"
	mkdir -p "$WORK/$1/textfiles"
	python3 -B "$TESTS/fixtures/mkroot.py" --modules "$TESTS/fixtures/machines/$2.machine" \
		"$WORK/$1/root" >/dev/null || return 1
	"$BINARY" --sysroot "$WORK/$1/root" --cmdline "vfio.devices=$3" boot >"$WORK/$1/boot.log" 2>&1
	[ -f "$WORK/$1/root/run/early-bind/state" ]
}

# serve NAME: node_exporter with only the textfile collector on NAME's
# textfiles; sets PID and URL once it answers (10 s at most).
serve() {
	port=$(free_port)
	URL=http://127.0.0.1:$port/metrics
	"$EXPORTER" --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory="$WORK/$1/textfiles" \
		>"$WORK/$1/exporter.log" 2>&1 &
	PID=$!
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
			"$URL" 2>/dev/null && return 0
		sleep 0.5
	done
	return 1
}

# scenario NAME MACHINE VALUE SUCCESS [SETUP]: boot, the function SETUP run in the tree,
# the textfile written, checked by promtool and served by node_exporter.
scenario() {
	sc_dir=$WORK/$1
	sc_value=$3
	if ! tree "$1" "$2" "$3"; then
		fail "$1: the fixture boot left no state file:"
		cat "$sc_dir/boot.log"
		return
	fi
	[ -z "${5:-}" ] || (cd "$sc_dir/root" && "$5")
	status --format prometheus --output "$sc_dir/textfiles/early-bind.prom" 2>"$sc_dir/status.err"
	st=$?
	if [ "$st" != "$((1 - $4))" ] || [ ! -s "$sc_dir/textfiles/early-bind.prom" ]; then
		fail "$1: status --output wrote the textfile and exited $((1 - $4)) (it exited $st):"
		cat "$sc_dir/status.err"
		return
	fi
	ok "$1: status --format prometheus --output wrote the textfile"
	status --format openmetrics >"$sc_dir/openmetrics" 2>/dev/null
	status --json >"$sc_dir/status.json" 2>/dev/null
	if promtool check metrics <"$sc_dir/textfiles/early-bind.prom" >"$sc_dir/promtool" 2>&1; then
		ok "$1: promtool check metrics accepts the textfile"
	else
		fail "$1: promtool check metrics accepts the textfile:"
		cat "$sc_dir/promtool"
	fi
	if ! serve "$1"; then
		fail "$1: node_exporter answers on $URL:"
		cat "$sc_dir/exporter.log"
		kill "$PID" 2>/dev/null
		return
	fi
	if "$PYTHON3" "$TESTS/metrics/check-scrape.py" "$URL" "$sc_dir/openmetrics" \
		"$sc_dir/status.json" "$4" >"$sc_dir/check" 2>&1; then
		ok "$1: node_exporter serves $(cat "$sc_dir/check"); the OpenMetrics too"
	else
		fail "$1: what node_exporter serves and the OpenMetrics:"
		cat "$sc_dir/check"
	fi
	kill "$PID"
	wait "$PID" 2>/dev/null
}

# status ARGS...: status of the scenario's tree.
status() {
	"$BINARY" --sysroot "$sc_dir/root" --cmdline "vfio.devices=$sc_value" status "$@"
}

# In a tree: the driver of 0000:3b:00.2 renamed to a name a label must escape.
hostile_driver() {
	hd_name=$(printf 'xh"ci\\hc\nd\001\377')
	hd_link=sys/bus/pci/devices/0000:3b:00.2/driver
	mkdir "sys/bus/pci/drivers/$hd_name" &&
		ln -sfn "$(dirname "$(readlink "$hd_link")")/$hd_name" "$hd_link"
}

main() {
	require
	mkdir -p "$WORK"
	scenario bound already-bound af:00 1
	scenario failed dual-2080ti 3b:00,zz:00 0 hostile_driver
	results_summary
}

main
