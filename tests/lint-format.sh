#!/bin/sh
# The C sources as .clang-format writes them, checked by `make lint`. The
# style is what Debian 12's clang-format 14 makes of .clang-format, and
# clang-format 19 (Debian 13) and 21 (unstable) make the same of it: the
# few macros they lay out differently (braced initialisers, a _Generic)
# are kept between "clang-format off/on" comments. Older versions are not
# asked.
# usage: tests/lint-format.sh [FILE...]   (default: every tracked .c and .h)
set -u

CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
if ! command -v "$CLANG_FORMAT" >/dev/null 2>&1; then
	echo "lint-format: $CLANG_FORMAT is not installed (tests/setup-debian.sh installs it)" >&2
	exit 1
fi
major=$("$CLANG_FORMAT" --version | sed -n 's/.*version \([0-9][0-9]*\)\..*/\1/p')
if [ "${major:-0}" -lt 14 ]; then
	echo "lint-format: $("$CLANG_FORMAT" --version) is older than 14; not checked" >&2
	exit 0
fi
if [ $# -eq 0 ]; then
	# A tree copied without .git (tests/stacks) has no index: every source then.
	files=$(git ls-files '*.c' '*.h' 2>/dev/null) || files=$(find early-bind tests -name '*.[ch]' | sort)
	# shellcheck disable=SC2086 # one path a word: the sources have no spaces
	set -- $files
fi
status=0
for f in "$@"; do
	if ! "$CLANG_FORMAT" --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "lint-format: $f is not as .clang-format writes it: clang-format -i $f" >&2
		status=1
	fi
done
exit "$status"
