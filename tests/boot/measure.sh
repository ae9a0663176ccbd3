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
		# shellcheck disable=SC2086 # the QEMU device lists are split on purpose
		eb_boot "$2" "measure-$1-$i" "$(eb_flavour_cmdline itools) $3" $EB_IOMMU $EB_CARDS
		r=$EB_LOGS/measure-$1-$i.report
		if eb_report_complete "$r"; then
			step=$(ms_between "$r" "ebtest: mark ea-ebtest-before" "ebtest: mark early-bind-zz-ebtest-after")
			binder=$(ms_between "$r" "early-bind: " "early-bind: ")
			printf '%-22s %5d %14s %14s %14s\n' "$1" "$i" "$step" "$binder" "$EB_BOOT_SECS"
		else
			printf '%-22s %5d %14s\n' "$1" "$i" "boot failed (see $EB_LOGS/measure-$1-$i.console)"
		fi
		i=$((i + 1))
	done
}

guest_times() {
	echo
	echo "== binder run time in the guest (TCG), initramfs-tools, ${EB_MEASURE_BOOTS:-3} boots each"
	t_img=$EB_WORK/measure-itools-marks.img
	EB_ITOOLS_MARKS=1 eb_build itools "$EB_WORK/stage" "$t_img" with marks ||
		eb_die "marked image build failed (see $EB_BUILD_LOG)"
	# Baseline: the same marks with early-bind left out, i.e. the cost of
	# the marks themselves (starting the second mark's shell).
	t_base=$EB_WORK/measure-itools-marks-without.img
	EB_ITOOLS_MARKS=1 eb_build itools "$EB_WORK/stage" "$t_base" without marks-without ||
		eb_die "marked baseline image build failed (see $EB_BUILD_LOG)"
	printf '%-22s %5s %14s %14s %14s\n' case boot "step (ms)" "binder (ms)" "boot (s)"
	time_boots bind-03 "$t_img" vfio.devices=00:03
	time_boots none "$t_img" ""
	time_boots baseline "$t_base" vfio.devices=00:03
	echo "step = kernel-log time from the mark before init-top/early-bind to the mark after it;"
	echo "       baseline = the same two marks in an image without early-bind (their own cost)"
	echo "binder = first to last 'early-bind:' line (n/a: the binder logged at most one line)"
}

main() {
	EB_TESTDIR=$(cd "$(dirname "$0")" && pwd)
	# shellcheck source=tests/boot/lib.sh
	. "$EB_TESTDIR/lib.sh"
	# shellcheck source=tests/boot/qemu.sh
	. "$EB_TESTDIR/qemu.sh"
	eb_pick_kernel
	mkdir -p "$EB_LOGS" "$EB_WORK"
	if [ -e /usr/share/initramfs-tools/hooks/early-bind ]; then
		echo "warning: early-bind is installed in /usr/share/initramfs-tools on this host;" \
			"the initramfs-tools 'without' image includes it too" >&2
	fi
	eb_stage "$EB_WORK/stage" || eb_die "staging failed"
	[ -x "$EB_WORK/stage/usr/sbin/early-bind" ] || eb_die "no early-bind binary was staged (run make first)"
	image_sizes
	guest_times
}

main "$@"
