# shellcheck shell=sh
# The result lines every test runner prints: "ok TEXT" and "FAIL TEXT", one
# per assertion, then "N passed, M failed".  Sourced; the runner calls
# results_summary last and exits with its status.
passed=0
failed=0
# The Python of Debian's packages, where tests/setup-debian.sh installs the
# modules the tests import (python3-jsonschema, python3-prometheus-client):
# a python3 earlier in PATH (pyenv's, say) has not got them.
PYTHON3=${PYTHON3:-$(command -v /usr/bin/python3 || command -v python3)}

ok() {
	passed=$((passed + 1))
	echo "ok $*"
}

fail() {
	failed=$((failed + 1))
	echo "FAIL $*"
}

# check TEXT COMMAND...: ok when COMMAND succeeds.
check() {
	local text="$1"
	shift
	if "$@"; then
		ok "$text"
		return 0
	fi
	fail "$text"
	return 1
}

results_summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
