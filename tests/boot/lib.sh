# shellcheck shell=sh
# shellcheck disable=SC2034 # EB_* results are read by the sourcing scripts
# Shared helpers of the boot tests (run-matrix.sh, demo.sh, measure.sh,
# tests/bootmenu): staging an install, building hermetic initramfs images of
# the three flavours and reading the guest's report.  qemu.sh boots them.
#
# Nothing here touches the host's /sys, /etc/initramfs-tools, /etc/dracut*,
# /usr/share/initramfs-tools or /usr/lib/dracut: images are built from a
# private CONFDIR (mkinitramfs -d) or a private dracutbasedir, into explicit
# output paths under build/.

# The caller sets EB_TESTDIR (its own directory, tests/boot) before sourcing.
EB_TESTDIR=${EB_TESTDIR:?set EB_TESTDIR to tests/boot before sourcing lib.sh}
EB_ROOT=$(cd "$EB_TESTDIR/../.." && pwd)
EB_BUILD=${EB_BUILD:-$EB_ROOT/build}
EB_WORK=${EB_WORK:-$EB_BUILD/boot}
EB_LOGS=${EB_LOGS:-$EB_BUILD/boot-logs}
EB_BOOT_TIMEOUT=${EB_BOOT_TIMEOUT:-180}
# Fixed so that image sizes compare between runs (cpio mtimes).
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
export SOURCE_DATE_EPOCH

# Native drivers forced into every test image, so that udev coldplug really
# loads them and races the binder: bochs (VGA), snd_hda_intel (HDA),
# xhci_pci/xhci_hcd (XHCI).  8250_pci ("serial") is built into Debian's
# kernel and binds before the initramfs even starts.
EB_NATIVE_DRIVERS="bochs snd_hda_intel xhci_pci xhci_hcd"
# Runs the operator commands in every test guest (report.sh calls it).
EB_GUEST_CHECKS=$EB_ROOT/tests/commands/guest-checks.sh

eb_log() {
	printf '%s\n' "boot-test: $*" >&2
}

eb_die() {
	eb_log "fatal: $*"
	exit 2
}

# eb_kernel_file VER vmlinuz|config: the kernel image or its config where
# the distribution put it, printed: Debian 12 and 13 have them in /boot
# (vmlinuz-VER, config-VER); sid keeps them in /usr/lib/modules/VER/
# (vmlinuz, config) with /boot hard links; Fedora, Arch and systemd's
# kernel-install layout have only those.  EB_KERNEL_ROOT (default /) is the
# tree to look in (tests/boot/kernel-test.sh points it at fake ones).
eb_kernel_file() {
	for eb_kf in "${EB_KERNEL_ROOT:-}/boot/$2-$1" "${EB_KERNEL_ROOT:-}/usr/lib/modules/$1/$2" \
		"${EB_KERNEL_ROOT:-}/lib/modules/$1/$2"; do
		[ -f "$eb_kf" ] && [ -r "$eb_kf" ] && echo "$eb_kf" && return 0
	done
	return 1
}

# eb_pick_kernel: EB_KVER, else the newest (version order) VER among
# /lib/modules and /usr/lib/modules with a kernel image (eb_kernel_file);
# sets EB_KERNEL and EB_KCONFIG, the files found.
eb_pick_kernel() {
	if [ -z "${EB_KVER:-}" ]; then
		EB_KVER=$(for eb_d in "${EB_KERNEL_ROOT:-}"/lib/modules/* "${EB_KERNEL_ROOT:-}"/usr/lib/modules/*; do
			[ -d "$eb_d" ] || continue
			eb_kernel_file "${eb_d##*/}" vmlinuz >/dev/null && echo "${eb_d##*/}"
		done | sort -uV | tail -n 1)
	fi
	[ -n "${EB_KVER:-}" ] || eb_die "no kernel: no /boot/vmlinuz-VER or /usr/lib/modules/VER/vmlinuz beside a /lib/modules/VER (install linux-image-amd64)"
	EB_KERNEL=$(eb_kernel_file "$EB_KVER" vmlinuz) ||
		eb_die "kernel $EB_KVER: no readable /boot/vmlinuz-$EB_KVER or /usr/lib/modules/$EB_KVER/vmlinuz"
	EB_KCONFIG=$(eb_kernel_file "$EB_KVER" config) ||
		eb_die "kernel $EB_KVER: no /boot/config-$EB_KVER or /usr/lib/modules/$EB_KVER/config (mkinitramfs needs it)"
}

# eb_stage STAGE: installs the project below STAGE with PREFIX=STAGE/usr.
# Uses the top-level Makefile's install target when there is one; otherwise
# stages by hand with the same layout and @SBINDIR@/@PKGLIBDIR@ substitution.
# Returns 1 (after printing why) when staging fails.
eb_stage() {
	eb_stage=$1
	rm -rf -- "${eb_stage:?}"
	mkdir -p "$eb_stage"
	if [ -f "$EB_ROOT/Makefile" ] && grep -q '^install:' "$EB_ROOT/Makefile"; then
		if ! make -s -C "$EB_ROOT" install PREFIX="$eb_stage/usr" >"$EB_WORK/stage.log" 2>&1; then
			tail -n 20 "$EB_WORK/stage.log" >&2
			eb_log "make install PREFIX=$eb_stage/usr failed (log: $EB_WORK/stage.log)"
			return 1
		fi
		EB_STAGED_BY="make install"
	else
		eb_sbin=$eb_stage/usr/sbin
		eb_pkglib=$eb_stage/usr/lib/early-bind
		eb_sed() {
			mkdir -p "$(dirname "$2")"
			sed -e "s|@SBINDIR@|$eb_sbin|g" -e "s|@PKGLIBDIR@|$eb_pkglib|g" "$1" >"$2"
			chmod "$3" "$2"
		}
		mkdir -p "$eb_sbin"
		if [ -x "$EB_ROOT/build/early-bind" ]; then
			install -m 0755 "$EB_ROOT/build/early-bind" "$eb_sbin/early-bind"
		fi
		eb_sed "$EB_ROOT/hook/early-bind-boot.sh" "$eb_pkglib/early-bind-boot.sh" 0644
		eb_sed "$EB_ROOT/initramfs-tools/hooks/early-bind" \
			"$eb_stage/usr/share/initramfs-tools/hooks/early-bind" 0755
		eb_sed "$EB_ROOT/initramfs-tools/scripts/init-top/early-bind" \
			"$eb_stage/usr/share/initramfs-tools/scripts/init-top/early-bind" 0755
		eb_sed "$EB_ROOT/dracut-module/module-setup.sh" \
			"$eb_stage/usr/lib/dracut/modules.d/90early-bind/module-setup.sh" 0755
		eb_sed "$EB_ROOT/dracut-module/early-bind-pre-udev.sh" \
			"$eb_stage/usr/lib/dracut/modules.d/90early-bind/early-bind-pre-udev.sh" 0755
		EB_STAGED_BY="hand (no install target in Makefile)"
	fi
	if [ ! -f "$eb_stage/usr/share/initramfs-tools/hooks/early-bind" ]; then
		eb_log "staging produced no $eb_stage/usr/share/initramfs-tools/hooks/early-bind"
		return 1
	fi
	return 0
}

# eb_build_itools STAGE OUT with|without: an initramfs-tools image from a
# private CONFDIR.  "without" leaves the early-bind hook and script out (same
# everything else) so measure.sh can compare sizes.
eb_build_itools() {
	eb_stage=$1 eb_out=$2 eb_with=$3
	eb_conf=$EB_WORK/itools-conf-$eb_with
	rm -rf -- "${eb_conf:?}"
	mkdir -p "$eb_conf/hooks" "$eb_conf/scripts/init-top" "$eb_conf/scripts/init-premount" \
		"$eb_conf/conf.d" "$EB_WORK/tmp"
	# MODULES=list keeps the image small and the build fast: only what the
	# hooks ask for.  RESUME=none stops the resume hook probing host swap.
	cat >"$eb_conf/initramfs.conf" <<-EOF
		MODULES=list
		BUSYBOX=y
		KEYMAP=n
		COMPRESS=zstd
		DEVICE=
		NFSROOT=auto
		RUNSIZE=10%
		FSTYPE=auto
		RESUME=none
	EOF
	: >"$eb_conf/modules"
	if [ "$eb_with" = with ]; then
		cp "$eb_stage/usr/share/initramfs-tools/hooks/early-bind" "$eb_conf/hooks/early-bind"
		cp "$eb_stage/usr/share/initramfs-tools/scripts/init-top/early-bind" \
			"$eb_conf/scripts/init-top/early-bind"
	fi
	# Test-only pieces: native drivers (loaded by udev from their modalias,
	# not from /conf/modules) and the report, run in init-premount, i.e.
	# after init-top/udev has triggered coldplug and settled.
	sed -e "s|@DRIVERS@|$EB_NATIVE_DRIVERS|" -e "s|@REPORT@|$EB_TESTDIR/report.sh|" \
		-e "s|@GUEST_CHECKS@|$EB_GUEST_CHECKS|" \
		"$EB_TESTDIR/initramfs-tools/hooks/zz-ebtest" >"$eb_conf/hooks/zz-ebtest"
	cp "$EB_TESTDIR/initramfs-tools/scripts/init-premount/zz-ebtest-report" \
		"$eb_conf/scripts/init-premount/zz-ebtest-report"
	# measure.sh: kernel-log marks right before and right after the
	# early-bind init-top script (tsort's byte order: "ea-..." <
	# "early-bind" < "early-bind-zz..." < "keymap" < "udev").
	if [ -n "${EB_ITOOLS_MARKS:-}" ]; then
		for eb_m in ea-ebtest-before early-bind-zz-ebtest-after; do
			sed -e "s|@MARK@|$eb_m|" "$EB_TESTDIR/initramfs-tools/mark.in" \
				>"$eb_conf/scripts/init-top/$eb_m"
		done
	fi
	# A scenario's own pieces (EB_ITOOLS_ADD="SRC=CONFDIR-PATH ..."), with
	# @TESTDIR@ filled in.
	for eb_a in ${EB_ITOOLS_ADD:-}; do
		mkdir -p "$(dirname "$eb_conf/${eb_a#*=}")"
		sed -e "s|@TESTDIR@|$EB_TESTDIR|g" "${eb_a%%=*}" >"$eb_conf/${eb_a#*=}"
	done
	chmod 0755 "$eb_conf/hooks/"* "$eb_conf/scripts/"*/*
	rm -f "$eb_out"
	TMPDIR=$EB_WORK/tmp mkinitramfs -d "$eb_conf" -o "$eb_out" "$EB_KVER"
}

# eb_dracut_base STAGE: a private dracutbasedir, symlinks to /usr/lib/dracut
# plus the staged 90early-bind and the test modules (99ebtest in every image,
# the others only where EB_DRACUT_MODULES names them).
eb_dracut_base() {
	eb_stage=$1
	EB_DRACUT_BASE=$EB_WORK/dracutbase
	rm -rf -- "${EB_DRACUT_BASE:?}"
	mkdir -p "$EB_DRACUT_BASE/modules.d" "$EB_WORK/dracut-confdir"
	for eb_f in /usr/lib/dracut/*; do
		[ "${eb_f##*/}" = modules.d ] && continue
		ln -s "$eb_f" "$EB_DRACUT_BASE/${eb_f##*/}"
	done
	for eb_f in /usr/lib/dracut/modules.d/*; do
		ln -s "$eb_f" "$EB_DRACUT_BASE/modules.d/${eb_f##*/}"
	done
	# EB_DRACUT_CONF_D: a distribution's own drop-ins, where its dracut
	# package puts them (/usr/lib/dracut/dracut.conf.d); dracut sorts them
	# by name with the confdir's (/etc/dracut.conf.d).
	if [ -n "${EB_DRACUT_CONF_D:-}" ]; then
		rm -f "$EB_DRACUT_BASE/dracut.conf.d"
		mkdir -p "$EB_DRACUT_BASE/dracut.conf.d"
		for eb_f in /usr/lib/dracut/dracut.conf.d/*.conf "$EB_DRACUT_CONF_D"/*.conf; do
			[ -f "$eb_f" ] && cp "$eb_f" "$EB_DRACUT_BASE/dracut.conf.d/"
		done
	fi
	cp -r "$eb_stage/usr/lib/dracut/modules.d/90early-bind" "$EB_DRACUT_BASE/modules.d/"
	cp -r "$EB_TESTDIR/dracut/"* "$EB_DRACUT_BASE/modules.d/"
	cp "$EB_TESTDIR/nested-vm.sh" "$EB_DRACUT_BASE/modules.d/98ebqemu/nested-vm.sh"
	cp "$EB_TESTDIR/report.sh" "$EB_DRACUT_BASE/modules.d/99ebtest/report.sh"
	cp "$EB_GUEST_CHECKS" "$EB_DRACUT_BASE/modules.d/99ebtest/guest-checks.sh"
}

# eb_build_dracut STAGE OUT systemd|classic [with|without]
eb_build_dracut() {
	eb_stage=$1 eb_out=$2 eb_init=$3 eb_with=${4:-with}
	eb_dracut_base "$eb_stage"
	case $eb_init in
	systemd) eb_mods="systemd-initrd dracut-systemd base rootfs-block" ;;
	classic) eb_mods="base rootfs-block" ;;
	*) eb_die "unknown dracut init $eb_init" ;;
	esac
	[ "$eb_with" = with ] && eb_mods="$eb_mods early-bind"
	eb_mods="$eb_mods ebtest${EB_DRACUT_MODULES:+ $EB_DRACUT_MODULES}"
	mkdir -p "$EB_WORK/tmp"
	rm -f "$eb_out"
	# -N/--no-hostonly-cmdline: nothing of this host leaks into the image
	# (EB_DRACUT_HOSTONLY=1 builds host-only instead, reading this host's
	# /sys, to check that the vfio modules survive host-only filtering;
	# EB_DRACUT_HOSTONLY=conf passes neither, the configuration decides);
	# --add-drivers installs the native drivers with hostonly=''.
	eb_hostonly=-N
	case ${EB_DRACUT_HOSTONLY:-} in
	'') ;;
	conf) eb_hostonly= ;;
	*) eb_hostonly=-H ;;
	esac
	# shellcheck disable=SC2086 # EB_DRACUT_ARGS: extra words, split on purpose
	dracutbasedir=$EB_DRACUT_BASE dracut --conf /dev/null --confdir "$EB_WORK/dracut-confdir" \
		${eb_hostonly:+"$eb_hostonly"} --no-hostonly-cmdline --kver "$EB_KVER" --tmpdir "$EB_WORK/tmp" \
		-m "$eb_mods" --add-drivers "$EB_NATIVE_DRIVERS" \
		--no-early-microcode --compress zstd --reproducible --force \
		${EB_DRACUT_ARGS:-} "$eb_out"
}

# eb_mkcpio_tool: sets EB_MKCPIO to the mkinitcpio to run and
# EB_MKCPIO_LIB to its library (functions, init, install/, hooks/): an
# installed one (Arch), else the release in MKINITCPIO_TARBALL unpacked
# into build/ and its install-time placeholders filled in (meson's job),
# with Debian's values: udevd and systemd-tmpfiles where Debian has them,
# and both bin directories on mkinitcpio's PATH (Arch has no /usr/sbin, and
# its base hook finds blkid and switch_root by PATH).
eb_mkcpio_tool() {
	EB_MKCPIO_NS=
	if command -v mkinitcpio >/dev/null 2>&1; then
		EB_MKCPIO=$(command -v mkinitcpio)
		EB_MKCPIO_LIB=/usr/lib/initcpio
		return 0
	fi
	eb_tarball=${MKINITCPIO_TARBALL:-$EB_ROOT/../shared/tools/mkinitcpio-41.tar.gz}
	if [ ! -r "$eb_tarball" ] || ! command -v bsdtar >/dev/null 2>&1; then
		eb_log "mkinitcpio: none installed; it needs $eb_tarball (MKINITCPIO_TARBALL) and bsdtar (libarchive-tools, tests/setup-debian.sh)"
		return 1
	fi
	eb_src=$EB_BUILD/mkinitcpio-src
	EB_MKCPIO_LIB=$EB_WORK/mkinitcpio-lib
	rm -rf -- "${eb_src:?}" "${EB_MKCPIO_LIB:?}"
	mkdir -p "$eb_src"
	tar -xzf "$eb_tarball" -C "$eb_src" --strip-components=1 || return 1
	# The release's version is in its name (meson asks git for it).
	eb_ver=${eb_tarball##*/mkinitcpio-}
	cp -r "$eb_src" "$EB_MKCPIO_LIB"
	grep -rlZ '@[A-Z_]*@' "$EB_MKCPIO_LIB" | xargs -0 sed -i \
		-e "s|@VERSION@|${eb_ver%.tar.gz}|g" \
		-e "s|@INITCPIO_LIBDIR@|$EB_MKCPIO_LIB|g" \
		-e "s|@INITCPIO_SYSCONFDIR@|$EB_WORK/mkinitcpio-etc|g" \
		-e "s|@SYSCONFDIR@|$EB_WORK/mkinitcpio-etc|g" \
		-e "s|@BINDIR@|/usr/bin:/usr/sbin|g" \
		-e "s|@UDEVD_PATH@|/usr/lib/systemd/systemd-udevd|g" \
		-e "s|@TMPFILES_PATH@|/usr/bin/systemd-tmpfiles|g" \
		-e "s|@VCONSOLE_CONF@|/etc/vconsole.conf|g"
	EB_MKCPIO=$EB_MKCPIO_LIB/mkinitcpio
	EB_MKCPIO_NS="unshare -m sh $EB_TESTDIR/mkinitcpio/debian-ns.sh $EB_WORK/mkinitcpio-ns"
}

# eb_build_mkcpio STAGE OUT busybox|systemd with|without: a mkinitcpio
# image from a private config and hook directories: the staged early-bind
# hooks and the test hook ebtest, after udev (or systemd) so that its report
# follows coldplug.  "without" leaves early-bind out of HOOKS.
eb_build_mkcpio() {
	eb_stage=$1 eb_out=$2 eb_init=$3 eb_with=$4
	[ -n "${EB_MKCPIO:-}" ] || eb_mkcpio_tool || return 1
	eb_conf=$EB_WORK/mkcpio-$eb_init-conf-$eb_with
	rm -rf -- "${eb_conf:?}"
	mkdir -p "$eb_conf/install" "$eb_conf/hooks" "$EB_WORK/tmp"
	case $eb_init in
	busybox) eb_hooks="base @EB@ udev ebtest" ;;
	systemd) eb_hooks="base systemd @EB@ ebtest" ;;
	*) eb_die "unknown mkinitcpio init $eb_init" ;;
	esac
	if [ "$eb_with" = with ]; then
		eb_hooks=$(echo "$eb_hooks" | sed 's/@EB@/early-bind/')
		cp "$eb_stage/usr/lib/initcpio/install/early-bind" "$eb_conf/install/"
		cp "$eb_stage/usr/lib/initcpio/hooks/early-bind" "$eb_conf/hooks/"
	else
		eb_hooks=$(echo "$eb_hooks" | sed 's/@EB@ //')
	fi
	sed -e "s|@DRIVERS@|$EB_NATIVE_DRIVERS|" -e "s|@REPORT@|$EB_TESTDIR/report.sh|" \
		-e "s|@GUEST_CHECKS@|$EB_GUEST_CHECKS|" \
		-e "s|@REPORT_UNIT@|$EB_TESTDIR/dracut/99ebtest/ebtest-report.service|" \
		"$EB_TESTDIR/mkinitcpio/install/ebtest" >"$eb_conf/install/ebtest"
	cp "$EB_TESTDIR/mkinitcpio/hooks/ebtest" "$eb_conf/hooks/ebtest"
	printf 'MODULES=()\nBINARIES=()\nFILES=()\nHOOKS=(%s)\nCOMPRESSION="zstd"\n' \
		"$eb_hooks" >"$eb_conf/mkinitcpio.conf"
	rm -f "$eb_out"
	eb_rc=0
	# shellcheck disable=SC2086 # EB_MKCPIO_NS: a command and its words
	TMPDIR=$EB_WORK/tmp MKINITCPIO_CONF=$eb_conf/mkinitcpio.conf \
		MKINITCPIO_HOOKS="$eb_conf/hooks:$EB_MKCPIO_LIB/hooks" \
		MKINITCPIO_INSTALL="$eb_conf/install:$EB_MKCPIO_LIB/install" \
		$EB_MKCPIO_NS "$EB_MKCPIO" -k "$EB_KVER" -g "$eb_out" >"$eb_conf/out" 2>&1 || eb_rc=$?
	cat "$eb_conf/out"
	[ "$eb_rc" -eq 0 ] || eb_mkcpio_newer_only "$eb_conf/out"
}

# eb_mkcpio_newer_only LOG: the build's only errors are files that
# mkinitcpio 41's systemd hook wants from a newer systemd than the one
# installed, each accepted only below the systemd version that brought it:
# the executor (255: Debian 12's 252 lacks it), validatefs and the stub's
# tmpfiles (258: Debian 12's 252 and 13's 257 lack them).  On a systemd
# that has them all (sid's 262) no error is accepted.
eb_mkcpio_newer_only() {
	[ "${EB_MKCPIO_NS:+debian}" = debian ] && grep -q 'ERROR' "$1" || return 1
	eb_sdv=$(systemctl --version 2>/dev/null | sed -n '1s/^systemd \([0-9][0-9]*\).*/\1/p')
	[ -n "$eb_sdv" ] || return 1
	eb_ok=""
	[ "$eb_sdv" -ge 255 ] || eb_ok="not found: '/usr/lib/systemd/systemd-executor'"
	[ "$eb_sdv" -ge 258 ] || eb_ok="${eb_ok:+$eb_ok
}not found: '/usr/lib/systemd/systemd-validatefs'
not found: '/usr/lib/tmpfiles.d/20-systemd-stub.conf'"
	[ -n "$eb_ok" ] && ! grep 'ERROR' "$1" | grep -qvF "$eb_ok" &&
		echo "boot-test: the errors above are files of a newer systemd than this one ($eb_sdv), expected"
}

# eb_build FLAVOUR STAGE OUT [with|without [LOGTAG]]; FLAVOUR is itools,
# dsystemd, dclassic, mkcpio or mkcpio-systemd.  Logs to $EB_LOGS/build-FLAVOUR-LOGTAG.log (LOGTAG
# defaults to with/without); sets EB_BUILD_SECS and EB_BUILD_LOG.
eb_build() {
	eb_fl=$1
	eb_w=${4:-with}
	EB_BUILD_LOG=$EB_LOGS/build-$eb_fl-${5:-$eb_w}.log
	eb_t0=$(date +%s)
	case $eb_fl in
	itools) eb_build_itools "$2" "$3" "$eb_w" ;;
	dsystemd) eb_build_dracut "$2" "$3" systemd "$eb_w" ;;
	dclassic) eb_build_dracut "$2" "$3" classic "$eb_w" ;;
	mkcpio) eb_build_mkcpio "$2" "$3" busybox "$eb_w" ;;
	mkcpio-systemd) eb_build_mkcpio "$2" "$3" systemd "$eb_w" ;;
	*) eb_die "unknown flavour $eb_fl" ;;
	esac >"$EB_BUILD_LOG" 2>&1
	eb_rc=$?
	EB_BUILD_SECS=$(($(date +%s) - eb_t0))
	if [ $eb_rc -ne 0 ] || [ ! -s "$3" ]; then
		tail -n 30 "$EB_BUILD_LOG" >&2
		return 1
	fi
	return 0
}

# Kernel command line pieces every flavour needs.  dracut needs a root= to
# get past its cmdline hook (classic init dies without one); /dev/vdz never
# appears, and the report powers the VM off long before rd.retry runs out.
# no_timer_check: under TCG on a loaded machine the kernel's check that the
# timer interrupt arrives through the remapped IO-APIC can time out ("Kernel
# panic - not syncing: timer doesn't work through Interrupt-remapped
# IO-APIC", seen with a load of 10 on 2 cores); the check proves nothing
# about the binder.
eb_flavour_cmdline() {
	case $1 in
	itools | mkcpio) echo "console=ttyS0 panic=-1 no_timer_check" ;;
	dsystemd | dclassic) echo "console=ttyS0 panic=-1 no_timer_check root=/dev/vdz rd.shell=0 rd.retry=60" ;;
	mkcpio-systemd) echo "console=ttyS0 panic=-1 no_timer_check root=/dev/vdz" ;;
	esac
}

# Report queries (report format: see report.sh).
# eb_report_complete REPORT: the report ran to its end.
eb_report_complete() {
	grep -q '^EBT end$' "$1" 2>/dev/null
}

# eb_driver REPORT ADDR: the driver bound to ADDR, "none", or "" if absent.
eb_driver() {
	awk -v a="$2" '$1 == "EBT" && $2 == "pci" && $3 == a { print $6; exit }' "$1" 2>/dev/null
}

eb_pci_field() { # REPORT ADDR FIELD(4=id 5=class 6=driver 7=group)
	awk -v a="$2" -v f="$3" '$1 == "EBT" && $2 == "pci" && $3 == a { print $f; exit }' "$1" 2>/dev/null
}

# eb_kmsg REPORT: the guest's kernel log (dmesg), one message a line.
eb_kmsg() {
	sed -n 's/^EBT kmsg //p' "$1" 2>/dev/null
}

# eb_eb_lines REPORT: the "early-bind: ..." messages from the kernel log,
# without the timestamp.
eb_eb_lines() {
	eb_kmsg "$1" | sed -n 's/^\[ *[0-9.]*\] //; /^early-bind: /p'
}
