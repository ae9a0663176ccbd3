# shellcheck shell=sh
# early-bind boot-menu profiles: reading and checking @SYSCONFDIR@/default/early-bind.
# Sourced by the GRUB generator (/etc/grub.d/42_early-bind), early-bind-bls
# and the kernel-install plugin, so it only defines functions and keeps its
# names behind an eb_pf_ prefix (it runs inside their shells).
#
# The file holds one profile a line, fields separated by blanks:
#	NAME  VFIO.DEVICES  [KERNEL-OPTION...]
# "#" starts a comment.  VFIO.DEVICES "-" stands for an empty value
# (vfio.devices=, binds nothing: overrides one set for every boot).

# Overridable so that the tests can run the scripts from the source tree.
EB_PF_FILE=${EARLY_BIND_PROFILES:-@SYSCONFDIR@/default/early-bind}
EB_PF_BINARY=${EARLY_BIND_BINARY:-@SBINDIR@/early-bind}

# eb_pf_fail PROG NAME WHERE REASON: one report line for a profile left out.
# On stderr: grub-mkconfig shows it, kernel-install passes it on.
eb_pf_fail() {
	printf "%s: profile '%s' (%s) left out: %s\n" "$1" "$2" "$3" "$4" >&2
}

# eb_pf_option_ok WORD: the word can go on a kernel command line in a GRUB
# script and in a BLS entry without quoting.  Anything else (quotes, "$",
# ";", braces, "#"...) could change the meaning of the generated grub.cfg,
# so such a profile is refused rather than quoted.
eb_pf_option_ok() {
	case $1 in
	'' | *[!A-Za-z0-9._,:=/+@%~-]*) return 1 ;;
	esac
	return 0
}

# eb_pf_list PROG: the usable profiles, one "NAME VALUE [OPTION...]" line
# each on stdout (VALUE "-" = empty), in file order.  Every bad profile is
# reported on stderr by name and left out; the others are unaffected.  A
# missing file means no profiles.  Returns 1 only if profiles exist but the
# binder is missing (nothing can be checked, so nothing is offered).
eb_pf_list() {
	eb_pf_prog=$1
	[ -e "$EB_PF_FILE" ] || return 0
	if [ ! -r "$EB_PF_FILE" ]; then
		printf '%s: cannot read %s, no profile entries\n' "$eb_pf_prog" "$EB_PF_FILE" >&2
		return 1
	fi
	eb_pf_seen=' '
	eb_pf_lineno=0
	# "|| [ -n ]": a last line without newline still counts.
	while IFS= read -r eb_pf_line || [ -n "$eb_pf_line" ]; do
		eb_pf_lineno=$((eb_pf_lineno + 1))
		eb_pf_line=${eb_pf_line%%#*}
		# Split on blanks without pathname expansion (a "*" must stay a
		# "*" so that the option check refuses it).
		set -f
		# shellcheck disable=SC2086 # splitting into fields is the point
		set -- $eb_pf_line
		set +f
		[ $# -gt 0 ] || continue
		eb_pf_raw=$1
		eb_pf_name=$1
		eb_pf_where="$EB_PF_FILE line $eb_pf_lineno"
		shift
		# The name becomes part of GRUB menu ids and BLS file names,
		# whose allowed characters are [A-Za-z0-9+-_.]; "+" would read as
		# a boot counter and "." as a suffix, so they are out too.
		case $eb_pf_name in
		[A-Za-z0-9]*) ;;
		*) eb_pf_name='' ;;
		esac
		case $eb_pf_name in
		'' | *[!A-Za-z0-9_-]*)
			eb_pf_fail "$eb_pf_prog" "$eb_pf_raw" "$eb_pf_where" \
				"a name is letters, digits, '-' and '_', starting with a letter or digit"
			continue
			;;
		esac
		if [ ${#eb_pf_name} -gt 32 ]; then
			eb_pf_fail "$eb_pf_prog" "$eb_pf_name" "$eb_pf_where" "the name is longer than 32 characters"
			continue
		fi
		case $eb_pf_seen in
		*" $eb_pf_name "*)
			eb_pf_fail "$eb_pf_prog" "$eb_pf_name" "$eb_pf_where" "a profile of that name comes earlier in the file"
			continue
			;;
		esac
		eb_pf_seen="$eb_pf_seen$eb_pf_name "
		if [ $# -eq 0 ]; then
			eb_pf_fail "$eb_pf_prog" "$eb_pf_name" "$eb_pf_where" \
				"no vfio.devices value after the name (e.g. '$eb_pf_name 3b:00')"
			continue
		fi
		eb_pf_value=$1
		shift
		if [ ! -x "$EB_PF_BINARY" ]; then
			printf '%s: %s is missing, so profiles cannot be checked; no profile entries\n' \
				"$eb_pf_prog" "$EB_PF_BINARY" >&2
			return 1
		fi
		# "--help" or "--vers" would be an option to validate, which then
		# prints help or the version and succeeds; no entry starts with "-".
		case $eb_pf_value in
		-?*)
			eb_pf_fail "$eb_pf_prog" "$eb_pf_name" "$eb_pf_where" \
				"the vfio.devices value '$eb_pf_value' starts with '-' like an option; it is entries such as 3b:00 ('-' alone: empty)"
			continue
			;;
		esac
		# The binder's own parser decides, so a menu entry never carries
		# a value the initramfs would refuse; "--": never an option.
		eb_pf_check=$eb_pf_value
		[ "$eb_pf_check" = - ] && eb_pf_check=
		if ! eb_pf_errors=$("$EB_PF_BINARY" validate -- "$eb_pf_check" 2>&1 >/dev/null); then
			[ -n "$eb_pf_errors" ] || eb_pf_errors="early-bind validate failed"
			printf '%s\n' "$eb_pf_errors" | while IFS= read -r eb_pf_e; do
				eb_pf_fail "$eb_pf_prog" "$eb_pf_name" "$eb_pf_where" "${eb_pf_e#early-bind: error: }"
			done
			continue
		fi
		eb_pf_bad=
		for eb_pf_o; do
			if ! eb_pf_option_ok "$eb_pf_o"; then
				eb_pf_fail "$eb_pf_prog" "$eb_pf_name" "$eb_pf_where" \
					"kernel option '$eb_pf_o' has a character other than letters, digits and ._,:=/+@%~-"
				eb_pf_bad=1
			fi
			case $eb_pf_o in
			--)
				eb_pf_fail "$eb_pf_prog" "$eb_pf_name" "$eb_pf_where" \
					"kernel option '--' ends the kernel's parameters: what follows it goes to init as arguments"
				eb_pf_bad=1
				;;
			vfio.devices=*)
				eb_pf_fail "$eb_pf_prog" "$eb_pf_name" "$eb_pf_where" \
					"the second field is the vfio.devices value; do not repeat vfio.devices= in the options"
				eb_pf_bad=1
				;;
			esac
		done
		[ -z "$eb_pf_bad" ] || continue
		printf '%s %s%s\n' "$eb_pf_name" "$eb_pf_value" "${*:+ $*}"
	done <"$EB_PF_FILE"
	return 0
}

# eb_pf_cmdline VALUE [OPTION...]: the words a profile adds to the kernel
# command line.  Appended after the distribution's own options (see
# eb_pf_add): the binder takes the last vfio.devices=, so the profile wins
# over a global one.
eb_pf_cmdline() {
	eb_pf_v=$1
	shift
	[ "$eb_pf_v" = - ] && eb_pf_v=
	printf 'vfio.devices=%s%s\n' "$eb_pf_v" "${*:+ $*}"
}

# eb_pf_has_init_args OPTIONS: OPTIONS (a kernel command line, or part of
# one) holds a bare "--", after which the kernel hands every word to init.
eb_pf_has_init_args() {
	case " $1 " in
	*[[:space:]]--[[:space:]]*) return 0 ;;
	esac
	return 1
}

# eb_pf_add OPTIONS EXTRA: OPTIONS with the profile's words EXTRA added
# last among the kernel's parameters: before a bare "--", which would make
# them init's arguments (and the binder would see no vfio.devices=), or at
# the end.  EXTRA holds only eb_pf_option_ok words, none of them "|" or "&".
eb_pf_add() {
	if eb_pf_has_init_args "$1"; then
		printf '%s\n' " $1" | sed -E "s|([[:space:]])--([[:space:]]\|\$)|\1$2 --\2|; s|^ ||"
	else
		printf '%s\n' "$1${1:+ }$2"
	fi
}
