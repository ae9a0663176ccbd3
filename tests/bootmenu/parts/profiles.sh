# shellcheck shell=sh
# profiles: reading and checking /etc/default/early-bind (profiles.sh's
# eb_pf_list and eb_pf_cmdline) with the test profiles of the stage part.

pf() { # OUT ERR [ENV...]: eb_pf_list with the test profiles
	pf_out=$1 pf_err=$2
	shift 2
	env "$@" sh -c ". '$H/lib/profiles.sh'; eb_pf_list t" >"$pf_out" 2>"$pf_err"
}

# profiles_bad: each bad profile is reported by name, line and reason.
profiles_bad() {
	for want in \
		"profile 'bad' (.* line 5) left out: entry 'zz:00': bus 'zz' is not hexadecimal" \
		"profile 'bad' (.* line 5) left out: entry '1:2:3:4': expected" \
		"profile 'evil' (.* line 6) left out: kernel option 'foo=\$(reboot)'" \
		"profile 'glob' (.* line 7) left out: kernel option 'a\\*'" \
		"profile '.dot' (.* line 8) left out: a name is" \
		"profile 'nodev' (.* line 9) left out: no vfio.devices value" \
		"profile 'vm' (.* line 10) left out: a profile of that name comes earlier" \
		"profile 'dup-devices' (.* line 11) left out: .*do not repeat vfio.devices=" \
		"profile 'opt' (.* line 12) left out: the vfio.devices value '--help' starts with '-' like an option" \
		"profile 'vers' (.* line 13) left out: the vfio.devices value '--vers' starts with '-' like an option" \
		"profile 'init-args' (.* line 14) left out: kernel option '--' ends the kernel's parameters"; do
		check "profiles: reported by name: $want" grep -q "^t: $want" "$P/err" || show "$P/err"
	done
	check "profiles: nothing but the bad ones is reported" \
		[ "$(grep -vc 'left out' "$P/err")" = 0 ]
}

part_profiles() {
	mkdir -p "$P"
	# A binder that only notes how it is called.
	printf '#!/bin/sh\necho "$*" >>"%s"\n' "$P/validate-args.log" >"$P/validate-args"
	chmod 755 "$P/validate-args"
	pf "$P/out" "$P/err"
	echo $? >"$P/rc"
	printf '%s\n' "vm 00:03 video=efifb:off" "both 00:03,00:04" "host -" >"$P/expected"
	check "profiles: the good ones, in file order, with their options" cmp -s "$P/out" "$P/expected" ||
		show "$P/out"
	check "profiles: bad ones do not stop the listing (exit 0)" [ "$(cat "$P/rc")" = 0 ]
	profiles_bad
	pf "$P/none.out" "$P/none.err" EARLY_BIND_PROFILES="$P/does-not-exist"
	check "profiles: no config file, no profiles, no message" empty "$P/none.out" "$P/none.err"
	pf "$P/nobin.out" "$P/nobin.err" EARLY_BIND_BINARY="$P/no-early-bind"
	echo $? >"$P/nobin.rc"
	check "profiles: binder missing: nothing offered, said so, exit 1" \
		sh -c "[ ! -s '$P/nobin.out' ] && grep -q 'no-early-bind is missing' '$P/nobin.err' && [ \"\$(cat '$P/nobin.rc')\" = 1 ]"
	check "profiles: the binder checks a value as a value, never as an option" \
		sh -c "EARLY_BIND_BINARY='$P/validate-args' sh -c \". '$H/lib/profiles.sh'; eb_pf_list t\" >/dev/null 2>&1;
			grep -qx 'validate -- 00:03' '$P/validate-args.log'"
	# Paths (00:1c.4/00) are entries like bus addresses: kept, or refused by the binder's reason.
	printf '%s\n' "path 00:1c.4/00@10de:2206 quiet" "badpath 00:1c/00" >"$P/paths"
	pf "$P/paths.out" "$P/paths.err" EARLY_BIND_PROFILES="$P/paths"
	check "profiles: a path value is kept as written" \
		[ "$(cat "$P/paths.out")" = "path 00:1c.4/00@10de:2206 quiet" ]
	check "profiles: a bad path is reported with the binder's reason" \
		grep -q "^t: profile 'badpath' (.* line 2) left out: entry '00:1c/00': a path passes bridges" "$P/paths.err"
	check "profiles: '-' is an empty vfio.devices= (binds nothing)" \
		[ "$(sh -c ". '$H/lib/profiles.sh'; eb_pf_cmdline - quiet")" = "vfio.devices= quiet" ]
}
