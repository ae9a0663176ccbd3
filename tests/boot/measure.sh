#!/bin/sh
# Measurements (`make measure`):
#  1. bytes the integration adds to an initramfs: each flavour built with and
#     without early-bind (same everything else, fixed SOURCE_DATE_EPOCH),
#     compressed image sizes compared; also the uncompressed payload.
#  2. the binder's run time in the guest, from kernel-log timestamps of an
#     initramfs-tools image that carries two test-only init-top marks on either
#     side of init-top/early-bind: "step" = mark before -> mark after (shell,
#     glue, exec of the binary, module loading, binding); "binder" = first ->
#     last "early-bind:" line.  Booted EB_MEASURE_BOOTS times (default 3) with
#     vfio.devices=00:03, without any parameter, and as a baseline an image
#     with the marks but without early-bind.
#  3. side by side with the article's recipe (scenario seed-ids: ids= in
#     /etc/modprobe.d): kernel start to the last function on vfio-pci for
#     each method, from kernel-log timestamps, and the ratio.
#  4. the boot path's goals from those figures, each as the range over the
#     boots: the step beyond the binder's own run, the binder's run, the step
#     without the parameter, and the ratio to ids= since /init.
# The host's load (uptime) is printed before and after the guest runs: the
# guest's clock runs on while the host gives QEMU no CPU, so every guest
# figure grows with it.  EB_MEASURE_ICOUNT=SHIFT runs the guests with
# QEMU's instruction counter as their clock instead (-icount
# shift=SHIFT,sleep=off: 2^SHIFT ns an instruction), which the load cannot
# move: the same image gives the same figures to the microsecond.  It counts
# work, not emulation's cost: a system call, a page fault or new code to
# translate costs TCG far more than its instructions.
# TCG emulates the CPU, so guest times are several times those of real
# hardware; they bound the cost rather than predict it.
set -u

# payload_size IMAGE FLAVOUR: bytes of the uncompressed cpio payload(s).
payload_size() {
	ps_dir=$EB_WORK/measure-unpack
	rm -rf -- "${ps_dir:?}"
	mkdir -p "$ps_dir"
	case $2 in
	itools) unmkinitramfs "$1" "$ps_dir" >/dev/null 2>&1 ;;
	*) (cd "$ps_dir" && lsinitrd --unpack "$1" >/dev/null 2>&1) ;;
	esac
	du -sb --apparent-size "$ps_dir" | cut -f1
}

# size_row FLAVOUR: the flavour built with and without early-bind.
size_row() {
	sr_wo=$EB_WORK/measure-$1-without.img
	sr_wi=$EB_WORK/measure-$1-with.img
	eb_build "$1" "$EB_WORK/stage" "$sr_wo" without ||
		eb_die "$1 build without early-bind failed (see $EB_BUILD_LOG)"
	eb_build "$1" "$EB_WORK/stage" "$sr_wi" with ||
		eb_die "$1 build with early-bind failed (see $EB_BUILD_LOG)"
	wo=$(stat -c %s "$sr_wo")
	wi=$(stat -c %s "$sr_wi")
	uwo=$(payload_size "$sr_wo" "$1")
	uwi=$(payload_size "$sr_wi" "$1")
	printf '%-10s %12d %12d %10d %14d\n' "$1" "$wo" "$wi" $((wi - wo)) $((uwi - uwo))
}

image_sizes() {
	echo "== image size (compressed with zstd, as built)"
	printf '%-10s %12s %12s %10s %14s\n' flavour without with added added-unpacked
	for fl in ${EB_FLAVOURS:-itools dsystemd dclassic}; do
		size_row "$fl"
	done
	bin=$(stat -c %s "$EB_WORK/stage/usr/sbin/early-bind")
	mods=0
	for m in vfio-pci vfio-pci-core vfio vfio_iommu_type1 vfio_virqfd irqbypass; do
		f=$(modinfo -k "$EB_KVER" -n "$m" 2>/dev/null) || continue
		[ -f "$f" ] && mods=$((mods + $(stat -c %s "$f")))
	done
	echo "(installed binary: $bin bytes; vfio modules it pulls in: $mods bytes uncompressed)"
}

# ms_between REPORT PATTERN-A PATTERN-B: milliseconds between the first
# kernel-log line matching A and the last matching B.
ms_between() {
	eb_kmsg "$1" | awk -v a="$2" -v b="$3" '
		function ts(line) { sub(/^\[ */, "", line); sub(/\].*/, "", line); return line + 0 }
		$0 ~ a && !seen { first = ts($0); seen = 1 }
		$0 ~ b { last = ts($0) }
		END { if (seen && last) printf "%.1f", (last - first) * 1000; else printf "n/a" }'
}

# time_boots NAME IMAGE PARAM: EB_MEASURE_BOOTS boots, one row each.
time_boots() {
	i=1
	while [ "$i" -le "${EB_MEASURE_BOOTS:-3}" ]; do
		# shellcheck disable=SC2086 # the QEMU device lists and the clock are split on purpose
		eb_boot "$2" "measure-$1-$i" "$(eb_flavour_cmdline itools) $3" $EB_IOMMU $EB_CARDS $EB_MEASURE_CLOCK
		r=$EB_LOGS/measure-$1-$i.report
		if eb_report_complete "$r"; then
			step=$(ms_between "$r" "ebtest: mark ea-ebtest-before" "ebtest: mark early-bind-zz-ebtest-after")
			binder=$(ms_between "$r" "early-bind: " "early-bind: ")
			beyond=$(awk -v s="$step" -v b="$binder" 'BEGIN { if (s == "n/a" || b == "n/a") print "n/a"; else printf "%.1f", s - b }')
			printf '%-22s %5d %14s %14s %14s %14s\n' "$1" "$i" "$step" "$binder" "$beyond" "$EB_BOOT_SECS"
			echo "$1 $step $binder $beyond" >>"$EB_WORK/measure-guest.times"
		else
			printf '%-22s %5d %14s\n' "$1" "$i" "boot failed (see $EB_LOGS/measure-$1-$i.console)"
		fi
		i=$((i + 1))
	done
}

guest_times() {
	echo
	echo "== binder run time in the guest ($EB_MEASURE_WHAT), initramfs-tools, ${EB_MEASURE_BOOTS:-3} boots each"
	t_img=$EB_WORK/measure-itools-marks.img
	EB_ITOOLS_MARKS=1 eb_build itools "$EB_WORK/stage" "$t_img" with marks ||
		eb_die "marked image build failed (see $EB_BUILD_LOG)"
	# Baseline: the same marks with early-bind left out, i.e. the cost of
	# the marks themselves (starting the second mark's shell).
	t_base=$EB_WORK/measure-itools-marks-without.img
	EB_ITOOLS_MARKS=1 eb_build itools "$EB_WORK/stage" "$t_base" without marks-without ||
		eb_die "marked baseline image build failed (see $EB_BUILD_LOG)"
	: >"$EB_WORK/measure-guest.times"
	printf '%-22s %5s %14s %14s %14s %14s\n' case boot "step (ms)" "binder (ms)" "beyond (ms)" "boot (s)"
	time_boots bind-03 "$t_img" vfio.devices=00:03
	time_boots none "$t_img" ""
	time_boots baseline "$t_base" vfio.devices=00:03
	echo "step = kernel-log time from the mark before init-top/early-bind to the mark after it;"
	echo "       baseline = the same two marks in an image without early-bind (their own cost)"
	echo "binder = first to last 'early-bind:' line (n/a: the binder logged at most one line);"
	echo "beyond = step - binder: the script's shell, the glue, the binary's start, its child,"
	echo "         the listing before its first line and the exits after its last"
}

# last_ms REPORT PATTERN: "MS INIT-MS N", the kernel-log time of the last
# of the N lines matching PATTERN, in ms since the kernel started and since
# it ran /init.
last_ms() {
	eb_kmsg "$1" | awk -v p="$2" '
		function ts(line) { sub(/^\[ */, "", line); sub(/\].*/, "", line); return line + 0 }
		/Run \/init as init process/ { init = ts($0) }
		$0 ~ p { last = ts($0); n++ }
		END { if (n) printf "%.1f %.1f %d", last * 1000, (last - init) * 1000, n; else printf "n/a n/a 0" }'
}

# on_vfio REPORT ADDR...: how many of ADDR are on vfio-pci.
on_vfio() {
	ov_r=$1 ov_n=0
	shift
	for ov_a in "$@"; do
		[ "$(eb_driver "$ov_r" "$ov_a")" = vfio-pci ] && ov_n=$((ov_n + 1))
	done
	echo "$ov_n"
}

# method_boots NAME IMAGE CMDLINE PATTERN: EB_MEASURE_BOOTS boots, one row
# each; PATTERN is the kernel-log line each function's binding ends with.
# Appends "NAME MS" to $EB_WORK/measure-sbs.times.
method_boots() {
	i=1
	while [ "$i" -le "${EB_MEASURE_BOOTS:-3}" ]; do
		# shellcheck disable=SC2086 # the QEMU device lists and the clock are split on purpose
		eb_boot "$2" "measure-$1-$i" "$(eb_flavour_cmdline itools) $3" $EB_IOMMU $EB_CARDS $EB_MEASURE_CLOCK
		r=$EB_LOGS/measure-$1-$i.report
		if eb_report_complete "$r"; then
			mb_last=$(last_ms "$r" "$4")
			mb_ms=${mb_last%% *} mb_n=${mb_last##* } mb_init=${mb_last#* }
			printf '%-12s %5d %12s %12s %6s %9s/4 %9s/4 %9s\n' "$1" "$i" "$mb_ms" "${mb_init% *}" "$mb_n" \
				"$(on_vfio "$r" 0000:00:03.0 0000:00:03.1 0000:00:03.2 0000:00:03.3)" \
				"$(on_vfio "$r" 0000:00:04.0 0000:00:04.1 0000:00:04.2 0000:00:04.3)" "$EB_BOOT_SECS"
			echo "$1 $mb_ms ${mb_init% *}" >>"$EB_WORK/measure-sbs.times"
		else
			printf '%-12s %5d %s\n' "$1" "$i" "boot failed (see $EB_LOGS/measure-$1-$i.console)"
		fi
		i=$((i + 1))
	done
}

# The article's recipe (scenario seed-ids, its image built by the scenario's
# own sc_image) next to vfio.devices=00:03, same machine, same run.
side_by_side() {
	echo
	echo "== kernel start to the last function on vfio-pci ($EB_MEASURE_WHAT), initramfs-tools, ${EB_MEASURE_BOOTS:-3} boots each"
	# shellcheck source=tests/boot/scenarios/15-seed-ids/scenario.sh
	. "$EB_TESTDIR/scenarios/15-seed-ids/scenario.sh"
	s_seed=$EB_WORK/measure-itools-seed.img
	sc_image itools "$EB_WORK/stage" "$s_seed" measure-seed ||
		eb_die "seed image build failed (see $EB_BUILD_LOG)"
	s_eb=$EB_WORK/measure-itools-sbs.img
	eb_build itools "$EB_WORK/stage" "$s_eb" with measure-sbs ||
		eb_die "image build failed (see $EB_BUILD_LOG)"
	: >"$EB_WORK/measure-sbs.times"
	printf '%-12s %5s %12s %12s %6s %11s %11s %9s\n' method boot "last (ms)" "since /init" lines "00:03 vfio" "00:04 vfio" "boot (s)"
	method_boots early-bind "$s_eb" vfio.devices=00:03 'early-bind: 0000:00:03\.[0-3] .*-> vfio-pci'
	method_boots ids= "$s_seed" "$SC_CMDLINE" 'vfio_pci: add \['
	awk '$2 != "n/a" { s[$1] += $2; si[$1] += $3; n[$1]++ }
		END {
			if (!n["early-bind"] || !n["ids="]) { print "ratio: n/a"; exit }
			e = s["early-bind"] / n["early-bind"]; d = s["ids="] / n["ids="]
			ei = si["early-bind"] / n["early-bind"]; di = si["ids="] / n["ids="]
			printf "mean since kernel start: early-bind %.1f ms, ids= %.1f ms; ratio ids=/early-bind %.2f\n", e, d, d / e
			printf "mean since /init:        early-bind %.1f ms, ids= %.1f ms; ratio ids=/early-bind %.2f\n", ei, di, di / ei
		}' "$EB_WORK/measure-sbs.times"
	echo "last = kernel-log time of the last binding line: early-bind's '-> vfio-pci' line for"
	echo "       00:03.0-3, vfio_pci's 'add [ID' line for ids= (it logs each ID after binding it);"
	echo "ids= never gets 00:03.3 (the built-in serial driver holds it) and takes 00:04 too"
}

# range CASE FIELD: "min-max (n boots)" of FIELD (2 step, 3 binder, 4
# beyond) over the CASE rows of measure-guest.times.
range() {
	awk -v c="$1" -v f="$2" '$1 == c && $f != "n/a" {
			v = $f + 0; if (!n || v < lo) lo = v; if (!n || v > hi) hi = v; n++ }
		END { if (n) printf "%.1f-%.1f ms (%d boots)", lo, hi, n; else printf "n/a" }' \
		"$EB_WORK/measure-guest.times"
}

# The goals of the boot path (README, "binder run time in the guest").
goals() {
	echo
	echo "== the boot path's figures ($EB_MEASURE_WHAT, ranges over the boots above)"
	echo "step with vfio.devices=00:03:        $(range bind-03 2)"
	echo "binder's own run (goal <= 100 ms):   $(range bind-03 3)"
	echo "step beyond the binder (goal <= 50): $(range bind-03 4)"
	echo "step without the parameter:          $(range none 2)"
	echo "the marks alone (baseline):          $(range baseline 2)"
	awk '$2 != "n/a" { si[$1] += $3; n[$1]++ }
		END {
			if (!n["early-bind"] || !n["ids="]) { print "ratio ids=/early-bind since /init (goal >= 1.0): n/a"; exit }
			printf "ratio ids=/early-bind since /init (goal >= 1.0): %.2f\n", (si["ids="] / n["ids="]) / (si["early-bind"] / n["early-bind"])
		}' "$EB_WORK/measure-sbs.times"
}

main() {
	EB_TESTDIR=$(cd "$(dirname "$0")" && pwd)
	# shellcheck source=tests/boot/lib.sh
	. "$EB_TESTDIR/lib.sh"
	# shellcheck source=tests/boot/qemu.sh
	. "$EB_TESTDIR/qemu.sh"
	eb_pick_kernel
	EB_MEASURE_CLOCK=
	EB_MEASURE_WHAT=TCG
	if [ -n "${EB_MEASURE_ICOUNT:-}" ]; then
		case $EB_MEASURE_ICOUNT in
		[0-9] | 10)
			EB_MEASURE_CLOCK="-icount shift=$EB_MEASURE_ICOUNT,sleep=off"
			EB_MEASURE_WHAT="TCG, instruction clock shift=$EB_MEASURE_ICOUNT"
			;;
		*) eb_die "EB_MEASURE_ICOUNT is a shift from 0 to 10 (2^SHIFT ns an instruction), not '$EB_MEASURE_ICOUNT'" ;;
		esac
		echo "guest clock: QEMU's instruction counter, $EB_MEASURE_CLOCK"
	fi
	mkdir -p "$EB_LOGS" "$EB_WORK"
	if [ -e /usr/share/initramfs-tools/hooks/early-bind ]; then
		echo "warning: early-bind is installed in /usr/share/initramfs-tools on this host;" \
			"the initramfs-tools 'without' image includes it too" >&2
	fi
	eb_stage "$EB_WORK/stage" || eb_die "staging failed"
	[ -x "$EB_WORK/stage/usr/sbin/early-bind" ] || eb_die "no early-bind binary was staged (run make first)"
	image_sizes
	echo
	echo "host load before the guests: $(uptime)"
	guest_times
	side_by_side
	echo
	echo "host load after the guests:  $(uptime)"
	goals
}

main "$@"
