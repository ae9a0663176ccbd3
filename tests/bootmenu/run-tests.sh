#!/bin/sh
# shellcheck disable=SC2317 # most functions run indirectly, through check and inner
# Tests of the per-boot profile menus (hook/bootmenu/), part of `make check`.
#
#   profiles   reading and checking /etc/default/early-bind (profiles.sh)
#   grub-stub  42_early-bind's failure paths, against a stub 10_linux
#   bls        early-bind-bls update/remove on a fake /boot
#   kinst      real kernel-install, two kernels, the plugin, into a fake ESP
#   grub       real grub-install + grub-mkconfig (with Debian's 10_linux) in
#              a chroot on a loop-device disk image, then grub-reboot
#   boot       that disk under QEMU: GRUB's default entry, then the entry
#              grub-reboot scheduled; the fake ESP under OVMF: systemd-boot's
#              default entry, then a profile entry; each time the guest's
#              initramfs reports which driver holds each PCI function
#
# Usage: tests/bootmenu/run-tests.sh [--no-boot]
# Needs root (loop devices, mount namespaces, chroot), build/early-bind
# (`make`) and the packages of tests/setup-debian.sh.  Everything happens in
# build/bootmenu/, in private mount namespaces and in images: the host's
# /boot, /etc/grub.d, /etc/default and boot loader are never used or changed.
# Prints "ok ..." / "FAIL ..." lines, then "N passed, M failed".
set -u

BM_TESTDIR=$(cd "$(dirname "$0")" && pwd)
BM_ROOT=$(cd "$BM_TESTDIR/../.." && pwd)
W=$BM_ROOT/build/bootmenu
LOGS=$W/logs
BIN=$BM_ROOT/build/early-bind
QEMU_TIMEOUT=${BM_QEMU_TIMEOUT:-150}
# A fixed machine id: the BLS entry names must not depend on the host.
MID=0123456789abcdef0123456789abcdef

H=$W/host

# stage DESTROOT SBINDIR PKGLIBDIR SYSCONFDIR KINSTALLDIR: installs
# hook/bootmenu/ as `make install` does (same @...@ substitution), the paths
# being those seen at run time and DESTROOT where they are written.
stage() {
	st_d=$1 st_sbin=$2 st_lib=$3 st_etc=$4 st_ki=$5
	mkdir -p "$st_d$st_sbin" "$st_d$st_lib" "$st_d$st_etc/grub.d" \
		"$st_d$st_etc/default" "$st_d$st_ki"
	st_sed() { # SRC DEST MODE
		sed -e "s|@SBINDIR@|$st_sbin|g" -e "s|@PKGLIBDIR@|$st_lib|g" \
			-e "s|@SYSCONFDIR@|$st_etc|g" "$BM_ROOT/$1" >"$st_d$2" && chmod "$3" "$st_d$2"
	}
	install -m 0755 "$BIN" "$st_d$st_sbin/early-bind"
	st_sed hook/bootmenu/early-bind-bls "$st_sbin/early-bind-bls" 0755
	st_sed hook/bootmenu/profiles.sh "$st_lib/profiles.sh" 0644
	st_sed hook/bootmenu/grub.d/42_early-bind "$st_etc/grub.d/42_early-bind" 0755
	st_sed hook/bootmenu/kernel-install/95-early-bind.install "$st_ki/95-early-bind.install" 0755
	st_sed hook/bootmenu/early-bind.default "$st_etc/default/early-bind" 0644
}

# Populate the image's root: kernels, the test initramfs, Debian's own
# 00_header and 10_linux, our generator and profiles, /etc/default/grub.
inner_populate() {
	LOOP=$1 MNT=$2
	INNER_MNT=$MNT
	trap inner_umount EXIT
	mount "${LOOP}p1" "$MNT" || return 1
	mkdir -p "$MNT/boot" "$MNT/etc/grub.d" "$MNT/etc/default"
	cp "/boot/vmlinuz-$KVER" "/boot/config-$KVER" "$MNT/boot/"
	cp "$W/initrd.img" "$MNT/boot/initrd.img-$KVER"
	ln "$MNT/boot/vmlinuz-$KVER" "$MNT/boot/vmlinuz-$FAKE_KVER"
	ln "$MNT/boot/initrd.img-$KVER" "$MNT/boot/initrd.img-$FAKE_KVER"
	cp /etc/grub.d/00_header /etc/grub.d/10_linux "$MNT/etc/grub.d/"
	stage "$MNT" /opt/early-bind/sbin /opt/early-bind/lib /etc /opt/early-bind/kernel-install
	cp "$H/etc/default/early-bind" "$MNT/etc/default/early-bind"
	cat >"$MNT/etc/default/grub" <<-'EOF'
		GRUB_DEFAULT=saved
		GRUB_TIMEOUT=0
		GRUB_DISTRIBUTOR=Debian
		GRUB_CMDLINE_LINUX_DEFAULT=""
		GRUB_CMDLINE_LINUX="console=ttyS0 panic=-1"
		GRUB_TERMINAL=serial
		GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
		GRUB_DISABLE_OS_PROBER=true
	EOF
}

# --- the parts that run inside a private mount namespace ----------------
# run-tests.sh re-executes itself as `unshare -m sh run-tests.sh --inner
# FUNCTION ARGS...`: mounts made there vanish with the namespace and are
# never seen by the host.

inner_umount() {
	[ -n "${INNER_MNT:-}" ] && umount -R "$INNER_MNT" 2>/dev/null
	:
}

# inner_chroot_setup LOOP MNT: mounts the image's root at MNT and makes it
# a root that grub-mkconfig can probe: the host's /usr read-only, /proc,
# /sys, and a private /dev holding only the nodes it needs, with the
# /dev/disk/by-uuid link that udev would make (10_linux uses it to choose
# root=UUID=...).
inner_chroot_setup() {
	INNER_MNT=$2
	trap inner_umount EXIT
	mkdir -p "$2"
	mount "${1}p1" "$2" || return 1
	mkdir -p "$2/usr" "$2/proc" "$2/sys" "$2/dev" "$2/tmp" "$2/run"
	for l in bin sbin lib lib64; do
		[ -e "$2/$l" ] || [ -L "$2/$l" ] || ln -s "usr/$l" "$2/$l"
	done
	mount --bind /usr "$2/usr" && mount -o remount,bind,ro "$2/usr" || return 1
	mount -t proc proc "$2/proc" || return 1
	mount --rbind /sys "$2/sys" || return 1
	mount -t tmpfs -o mode=755 bmdev "$2/dev" || return 1
	for n in null zero full random urandom tty; do
		cp -a "/dev/$n" "$2/dev/"
	done
	cp -a "$1" "${1}p1" "$2/dev/"
	uuid=$(blkid -s UUID -o value "${1}p1")
	mkdir -p "$2/dev/disk/by-uuid"
	ln -s "../../${1#/dev/}p1" "$2/dev/disk/by-uuid/$uuid"
}

# in_chroot MNT COMMAND...: a clean environment, as a root shell would have.
in_chroot() {
	ic_root=$1
	shift
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb chroot "$ic_root" "$@"
}

# inner_grub_build LOOP MNT: grub-install, then grub-mkconfig twice (the
# normal menu, and one with GRUB_DISABLE_SUBMENU=y), then a copy of what
# the tests look at.
inner_grub_build() {
	inner_chroot_setup "$1" "$2" || return 1
	in_chroot "$2" grub-install --target=i386-pc "$1" >"$LOGS/grub-install.log" 2>&1 ||
		return 1
	in_chroot "$2" grub-mkconfig -o /boot/grub/grub.cfg \
		>"$LOGS/grub-mkconfig.out" 2>"$LOGS/grub-mkconfig.err"
	echo $? >"$W/grub/mkconfig.rc"
	cp "$2/boot/grub/grub.cfg" "$W/grub/grub.cfg" 2>/dev/null
	# Same generator, flat menu: the ids must stay unique without submenus.
	cp "$2/etc/default/grub" "$W/grub/default-grub.saved"
	echo 'GRUB_DISABLE_SUBMENU=y' >>"$2/etc/default/grub"
	in_chroot "$2" grub-mkconfig -o /boot/grub/flat.cfg \
		>"$LOGS/grub-mkconfig-flat.out" 2>&1
	echo $? >"$W/grub/mkconfig-flat.rc"
	cp "$2/boot/grub/flat.cfg" "$W/grub/flat.cfg" 2>/dev/null
	rm -f "$2/boot/grub/flat.cfg"
	cp "$W/grub/default-grub.saved" "$2/etc/default/grub"
	return 0
}

# inner_grub_cmd LOOP MNT COMMAND...: one command in the image's chroot.
inner_grub_cmd() {
	gc_loop=$1 gc_mnt=$2
	shift 2
	inner_chroot_setup "$gc_loop" "$gc_mnt" || return 1
	in_chroot "$gc_mnt" "$@"
}

# inner_kinst ESP OUT: a BLS system's kernel installs with the real
# kernel-install, its 90-loaderentry.install and our plugin, into ESP (a
# tmpfs: kernel-install writes entry paths relative to the mount point of
# the boot root, as on a real ESP).  Logs each step; copies the result to
# OUT/<step>/ so that the tests can look at every stage.
inner_kinst() {
	ki_esp=$1 ki_out=$2
	mkdir -p "$ki_esp"
	mount -t tmpfs -o size=256m bmesp "$ki_esp" || return 1
	INNER_MNT=$ki_esp
	trap inner_umount EXIT
	export KERNEL_INSTALL_CONF_ROOT="$W/bls/conf" MACHINE_ID="$MID" BOOT_ROOT="$ki_esp"
	export KERNEL_INSTALL_PLUGINS="/usr/lib/kernel/install.d/90-loaderentry.install $W/host/kernel-install/95-early-bind.install"
	ki_step() { # NAME COMMAND...
		ki_name=$1
		shift
		"$@" >"$LOGS/kinst-$ki_name.log" 2>&1
		echo $? >"$ki_out/$ki_name.rc"
		mkdir -p "$ki_out/$ki_name"
		cp -a "$ki_esp/loader" "$ki_out/$ki_name/" 2>/dev/null
	}
	ki_step add1 kernel-install add "$KVER" "/boot/vmlinuz-$KVER" "$W/initrd.img"
	ki_step add2 kernel-install add "$FAKE_KVER" "/boot/vmlinuz-$KVER" "$W/initrd.img"
	ki_step remove2 kernel-install remove "$FAKE_KVER"
	# The explicit command after editing the profiles: 'both' dropped...
	grep -v '^both' "$W/host/etc/default/early-bind" >"$W/bls/profiles-edited"
	ki_step edit env EARLY_BIND_PROFILES="$W/bls/profiles-edited" \
		"$W/host/sbin/early-bind-bls" --boot-root "$ki_esp" update
	# ...and back.
	ki_step restore "$W/host/sbin/early-bind-bls" --boot-root "$ki_esp" update
	# What systemd-boot needs besides the entries.
	mkdir -p "$ki_esp/EFI/BOOT"
	cp /usr/lib/systemd/boot/efi/systemd-bootx64.efi "$ki_esp/EFI/BOOT/BOOTX64.EFI"
	printf 'timeout 0\n' >"$ki_esp/loader/loader.conf"
	rm -rf "$ki_out/esp"
	cp -a "$ki_esp" "$ki_out/esp"
}

# inner_initramfs: the test initramfs, built by tests/boot/lib.sh (it
# stages with `make install PREFIX=...`).  /etc is read-only here so that a
# staged install can never write the host's /etc/grub.d or /etc/default.
inner_initramfs() {
	mount --bind /etc /etc && mount -o remount,bind,ro /etc || return 1
	EB_TESTDIR=$BM_ROOT/tests/boot EB_WORK=$W/initramfs EB_LOGS=$LOGS EB_KVER=$KVER
	mkdir -p "$EB_WORK"
	# shellcheck source=tests/boot/lib.sh
	. "$BM_ROOT/tests/boot/lib.sh"
	eb_pick_kernel
	eb_stage "$W/initramfs/stage" || return 1
	eb_build itools "$W/initramfs/stage" "$W/initrd.img" with || return 1
	echo "$EB_BUILD_SECS" >"$W/initramfs/secs"
}

if [ "${1:-}" = --inner ]; then
	shift
	# Values the outer run computed.
	KVER=$BM_KVER FAKE_KVER=$BM_FAKE_KVER
	"$@"
	exit $?
fi

# --- results --------------------------------------------------------------

# shellcheck source=tests/results.sh
. "$(dirname "$0")/../results.sh"
# empty FILE...: every FILE is empty or absent.
empty() {
	for em_f; do
		[ ! -s "$em_f" ] || return 1
	done
}
# rc_is FILE N: the exit status recorded in FILE is N.
rc_is() {
	[ "$(cat "$1" 2>/dev/null)" = "$2" ]
}
finish() {
	results_summary
	exit $?
}
# show FILE: a file's content, indented, for a failure's context.
show() {
	sed 's/^/    | /' "$1" 2>/dev/null | head -n 40
}
inner() {
	BM_KVER=$KVER BM_FAKE_KVER=$FAKE_KVER \
		unshare --mount --propagation private sh "$BM_TESTDIR/run-tests.sh" --inner "$@"
}

no_boot=
[ "${1:-}" = --no-boot ] && no_boot=1

# --- preflight ------------------------------------------------------------

if [ "$(id -u)" -ne 0 ]; then
	fail "preflight: needs root (loop devices, mount namespaces, chroot)"
	finish
fi
if [ ! -x "$BIN" ]; then
	fail "preflight: $BIN missing (run make)"
	finish
fi
missing=
for t in grub-mkconfig grub-install grub-script-check grub-editenv grub-reboot \
	kernel-install sfdisk mformat mcopy mkfs.ext4 losetup partx blkid unshare \
	qemu-system-x86_64 timeout awk; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
for f in /etc/grub.d/00_header /etc/grub.d/10_linux /usr/lib/grub/i386-pc/modinfo.sh \
	/usr/lib/systemd/boot/efi/systemd-bootx64.efi /usr/share/OVMF/OVMF_CODE_4M.fd \
	/usr/share/OVMF/OVMF_VARS_4M.fd /usr/lib/kernel/install.d/90-loaderentry.install; do
	[ -e "$f" ] || missing="$missing $f"
done
if [ -n "$missing" ]; then
	fail "preflight: missing (install with tests/setup-debian.sh):$missing"
	finish
fi
if [ ! -r "$BM_ROOT/tests/boot/lib.sh" ]; then
	fail "preflight: tests/boot/lib.sh missing (builds the test initramfs)"
	finish
fi

# A run killed half-way can leave its disk image attached.
for l in $(losetup -j "$W/grub/disk.img" 2>/dev/null | cut -d: -f1); do
	losetup -d "$l"
done
rm -rf "$W"
mkdir -p "$W" "$LOGS"
t_start=$(date +%s)

# The boot tests' library: the kernel, the QEMU device sets and the
# reading of the guest's report (inner_initramfs builds the image with it).
EB_TESTDIR=$BM_ROOT/tests/boot
EB_WORK=$W/initramfs
EB_LOGS=$LOGS
# shellcheck source=tests/boot/lib.sh
. "$BM_ROOT/tests/boot/lib.sh"
eb_pick_kernel
KVER=$EB_KVER
# A second, older "kernel" (the same files under another version), so that
# every generator has more than one kernel to handle.
FAKE_KVER=6.1.0-1-amd64
[ "$FAKE_KVER" != "$KVER" ] || FAKE_KVER=6.1.0-0-amd64

# --- staging --------------------------------------------------------------

stage "" "$H/sbin" "$H/lib" "$H/etc" "$H/kernel-install"
check "stage: the shipped example config has no active profile and no error" \
	sh -c ". '$H/lib/profiles.sh'; out=\$(eb_pf_list t 2>&1); [ -z \"\$out\" ]"

# Its examples, uncommented, must be valid profiles (they are what users copy).
sed 's/^#\([a-z]\)/\1/' "$H/etc/default/early-bind" >"$W/examples"
check "stage: the shipped examples, uncommented, are 3 valid profiles" \
	sh -c "out=\$(EARLY_BIND_PROFILES='$W/examples' sh -c \". '$H/lib/profiles.sh'; eb_pf_list t\" 2>&1) &&
		[ \"\$(printf '%s\\n' \"\$out\" | grep -c .)\" = 3 ] && ! printf '%s\\n' \"\$out\" | grep -q 'left out'"

# The profiles of every test: three good ones, and every kind of mistake.
cat >"$H/etc/default/early-bind" <<'EOF'
# test profiles
vm	00:03	video=efifb:off	# the card at 03 to the guests
both 00:03,00:04
host -
bad zz:00,00:03,1:2:3:4
evil 00:03 foo=$(reboot)
glob 00:03 a*
.dot 00:03
nodev
vm 00:04
dup-devices 00:03 vfio.devices=00:04
EOF

# --- profiles -------------------------------------------------------------

pf() { # OUT ERR [ENV...]: eb_pf_list with the test profiles
	pf_out=$1 pf_err=$2
	shift 2
	env "$@" sh -c ". '$H/lib/profiles.sh'; eb_pf_list t" >"$pf_out" 2>"$pf_err"
}
P=$W/profiles
mkdir -p "$P"
pf "$P/out" "$P/err"
echo $? >"$P/rc"
printf '%s\n' "vm 00:03 video=efifb:off" "both 00:03,00:04" "host -" >"$P/expected"
check "profiles: the good ones, in file order, with their options" cmp -s "$P/out" "$P/expected" ||
	show "$P/out"
check "profiles: bad ones do not stop the listing (exit 0)" [ "$(cat "$P/rc")" = 0 ]
for want in \
	"profile 'bad' (.* line 5) left out: entry 'zz:00': bus 'zz' is not hexadecimal" \
	"profile 'bad' (.* line 5) left out: entry '1:2:3:4': expected" \
	"profile 'evil' (.* line 6) left out: kernel option 'foo=\$(reboot)'" \
	"profile 'glob' (.* line 7) left out: kernel option 'a\\*'" \
	"profile '.dot' (.* line 8) left out: a name is" \
	"profile 'nodev' (.* line 9) left out: no vfio.devices value" \
	"profile 'vm' (.* line 10) left out: a profile of that name comes earlier" \
	"profile 'dup-devices' (.* line 11) left out: .*do not repeat vfio.devices="; do
	check "profiles: reported by name: $want" grep -q "^t: $want" "$P/err" || show "$P/err"
done
check "profiles: nothing but the bad ones is reported" \
	[ "$(grep -vc 'left out' "$P/err")" = 0 ]
pf "$P/none.out" "$P/none.err" EARLY_BIND_PROFILES="$P/does-not-exist"
check "profiles: no config file, no profiles, no message" empty "$P/none.out" "$P/none.err"
pf "$P/nobin.out" "$P/nobin.err" EARLY_BIND_BINARY="$P/no-early-bind"
echo $? >"$P/nobin.rc"
check "profiles: binder missing: nothing offered, said so, exit 1" \
	sh -c "[ ! -s '$P/nobin.out' ] && grep -q 'no-early-bind is missing' '$P/nobin.err' && [ \"\$(cat '$P/nobin.rc')\" = 1 ]"
check "profiles: '-' is an empty vfio.devices= (binds nothing)" \
	[ "$(sh -c ". '$H/lib/profiles.sh'; eb_pf_cmdline - quiet")" = "vfio.devices= quiet" ]

# --- 42_early-bind against a stub 10_linux --------------------------------

G=$W/grub-stub
mkdir -p "$G"
# grub42 NAME [ENV...]: runs the generator as grub-mkconfig would, with the
# stub as the distribution's 10_linux; output in $G/NAME.{out,err,rc}.
grub42() {
	g_n=$1
	shift
	env GRUB_DISTRIBUTOR="Bob's" GRUB_CMDLINE_LINUX="console=ttyS0" GRUB_CMDLINE_LINUX_DEFAULT="quiet" \
		EARLY_BIND_GRUB_LINUX="$BM_TESTDIR/stub-10_linux" "$@" \
		"$H/etc/grub.d/42_early-bind" >"$G/$g_n.out" 2>"$G/$g_n.err"
	echo $? >"$G/$g_n.rc"
}
grub42 plain
check "grub-stub: exit 0 with bad profiles" [ "$(cat "$G/plain.rc")" = 0 ]
check "grub-stub: output passes grub-script-check" grub-script-check "$G/plain.out"
check "grub-stub: a title with a quote keeps its quoting and gets the profile" \
	grep -qF "menuentry 'Bob'\\''s GNU/Linux (early-bind: vm)' --class debian" "$G/plain.out"
check "grub-stub: profile options come last, after GRUB_CMDLINE_LINUX_DEFAULT" \
	grep -q "ro console=ttyS0 quiet vfio.devices=00:03 video=efifb:off\$" "$G/plain.out"
check "grub-stub: the '-' profile boots with an empty vfio.devices=" \
	grep -q "ro console=ttyS0 quiet vfio.devices=\$" "$G/plain.out"
check "grub-stub: no recovery entries in profiles" sh -c "! grep -q recovery '$G/plain.out'"
check "grub-stub: bad profiles reported on stderr" grep -q "profile 'bad' .*left out" "$G/plain.err"
for mode in fail noid dropargs script nokernel; do
	grub42 "$mode" STUB_TRIGGER=vfio.devices=00:03,00:04 STUB_BREAK=$mode
	case $mode in
	fail) why="left out: .*10_linux failed" ;;
	noid) why="left out: could not rename" ;;
	dropargs) why="left out: .*without the profile's options" ;;
	script) why="left out: grub-script-check refused" ;;
	nokernel) why="found no kernel" ;;
	esac
	check "grub-stub: 10_linux misbehaves ($mode) for one profile: reported, only it is left out" \
		sh -c "[ \"\$(cat '$G/$mode.rc')\" = 0 ] &&
			grep -q \"profile 'both'.*$why\" '$G/$mode.err' &&
			! grep -q 'early-bind-both' '$G/$mode.out' &&
			grep -q 'early-bind-vm-gnulinux-simple' '$G/$mode.out' &&
			grep -q 'early-bind-host-gnulinux-simple' '$G/$mode.out' &&
			grub-script-check '$G/$mode.out'" || show "$G/$mode.err"
done
grub42 bls GRUB_ENABLE_BLSCFG=true
check "grub-stub: GRUB_ENABLE_BLSCFG=true (Fedora): no entries, a note" \
	sh -c "[ ! -s '$G/bls.out' ] && grep -q early-bind-bls '$G/bls.err'"
cp "$BM_TESTDIR/stub-10_linux" "$G/disabled-10_linux"
chmod 644 "$G/disabled-10_linux"
grub42 disabled EARLY_BIND_GRUB_LINUX="$G/disabled-10_linux"
check "grub-stub: 10_linux disabled (chmod -x): no entries, exit 0" \
	sh -c "[ ! -s '$G/disabled.out' ] && [ \"\$(cat '$G/disabled.rc')\" = 0 ]"
grub42 nolib EARLY_BIND_LIB="$G/no-such-lib"
check "grub-stub: early-bind uninstalled, script left in /etc: silent no-op" \
	sh -c "[ ! -s '$G/nolib.out' ] && [ ! -s '$G/nolib.err' ] && [ \"\$(cat '$G/nolib.rc')\" = 0 ]"

# --- early-bind-bls on a fake /boot ---------------------------------------

B=$W/bls-fake
E=$B/loader/entries
mkdir -p "$E"
cat >"$E/$MID-6.1.0-2-amd64.conf" <<EOF
title      Debian GNU/Linux 12 (bookworm)
version    6.1.0-2-amd64
machine-id $MID
sort-key   debian
options    root=UUID=1234 ro quiet
linux      /$MID/6.1.0-2-amd64/linux
initrd     /$MID/6.1.0-2-amd64/initrd.img-6.1.0-2-amd64
EOF
# Boot counting in the name, two options lines (BLS joins them).
cat >"$E/$MID-6.1.0-1-amd64+3-1.conf" <<EOF
title      Debian GNU/Linux 12 (bookworm)
version    6.1.0-1-amd64
options    root=UUID=1234 ro
options    quiet
linux      /$MID/6.1.0-1-amd64/linux
EOF
# No title, no options, no version.
printf 'linux /vmlinuz-5.10\n' >"$E/old-5.10.conf"
# Not a Linux entry.
printf 'title Memtest\nefi /memtest.efi\n' >"$E/memtest.conf"
# Someone else's file that happens to look like ours.
printf 'title mine\nlinux /x\n' >"$E/foreign-early-bind-vm.conf"
find "$E" -type f | sort >"$B/before"
bls() { # NAME ARGS...
	b_n=$1
	shift
	"$H/sbin/early-bind-bls" --boot-root "$B" "$@" >"$B/$b_n.out" 2>"$B/$b_n.err"
	echo $? >"$B/$b_n.rc"
}
bls update update
check "bls: update exits 1 when a profile was left out" [ "$(cat "$B/update.rc")" = 1 ]
check "bls: update reports the bad profile by name" grep -q "profile 'bad'.*left out" "$B/update.err"
for want in "$MID-6.1.0-2-amd64-early-bind-vm.conf" "$MID-6.1.0-2-amd64-early-bind-both.conf" \
	"$MID-6.1.0-2-amd64-early-bind-host.conf" "$MID-6.1.0-1-amd64-early-bind-vm.conf" \
	"old-5.10-early-bind-vm.conf"; do
	check "bls: update wrote $want" [ -f "$E/$want" ]
done
cat >"$B/expected-vm" <<EOF
# early-bind-bls: profile vm of $MID-6.1.0-2-amd64.conf; rewritten by early-bind-bls, do not edit
title      Debian GNU/Linux 12 (bookworm) (early-bind: vm)
version    6.1.0-2-amd64
machine-id $MID
sort-key   debian
options    root=UUID=1234 ro quiet vfio.devices=00:03 video=efifb:off
linux      /$MID/6.1.0-2-amd64/linux
initrd     /$MID/6.1.0-2-amd64/initrd.img-6.1.0-2-amd64
EOF
check "bls: a profile entry is the kernel's entry, titled, options appended" \
	cmp -s "$B/expected-vm" "$E/$MID-6.1.0-2-amd64-early-bind-vm.conf" ||
	diff "$B/expected-vm" "$E/$MID-6.1.0-2-amd64-early-bind-vm.conf" | sed 's/^/    | /'
check "bls: the last of several options lines gets the profile" \
	sh -c "grep -c '^options' '$E/$MID-6.1.0-1-amd64-early-bind-vm.conf' | grep -qx 2 &&
		grep -qx 'options    quiet vfio.devices=00:03 video=efifb:off' '$E/$MID-6.1.0-1-amd64-early-bind-vm.conf'"
check "bls: an entry without title and options gets both" \
	sh -c "grep -qx 'title      old-5.10 (early-bind: vm)' '$E/old-5.10-early-bind-vm.conf' &&
		grep -qx 'options    vfio.devices=00:03 video=efifb:off' '$E/old-5.10-early-bind-vm.conf'"
check "bls: no profile entries for non-Linux entries" sh -c "! ls '$E' | grep -q '^memtest-early-bind'"
check "bls: the kernels' own entries are untouched" \
	sh -c "grep -qx 'options    root=UUID=1234 ro quiet' '$E/$MID-6.1.0-2-amd64.conf'"
find "$E" -type f -exec md5sum {} + | sort >"$B/sums1"
bls update2 update
find "$E" -type f -exec md5sum {} + | sort >"$B/sums2"
check "bls: update is idempotent" cmp -s "$B/sums1" "$B/sums2"
bls remove1 remove 6.1.0-1-amd64
check "bls: remove KVER removes only that kernel's profile entries" \
	sh -c "[ ! -e '$E/$MID-6.1.0-1-amd64-early-bind-vm.conf' ] && [ -e '$E/$MID-6.1.0-2-amd64-early-bind-vm.conf' ] &&
		[ -e '$E/$MID-6.1.0-1-amd64+3-1.conf' ]"
bls update1 update 6.1.0-1-amd64
check "bls: update KVER writes only that kernel's" \
	sh -c "[ -e '$E/$MID-6.1.0-1-amd64-early-bind-vm.conf' ] && ! grep -q 6.1.0-2 '$B/update1.out'"
grep -v '^both' "$H/etc/default/early-bind" >"$B/profiles-noboth"
EARLY_BIND_PROFILES=$B/profiles-noboth bls noboth update
check "bls: a profile taken out of the config loses its entries" \
	sh -c "! ls '$E' | grep -q early-bind-both && [ -e '$E/$MID-6.1.0-2-amd64-early-bind-vm.conf' ]"
rm "$E/old-5.10.conf"
bls gone update
check "bls: a kernel entry deleted by hand loses its profile entries" \
	sh -c "! ls '$E' | grep -q '^old-5.10-early-bind'"
bls removeall remove
find "$E" -type f | sort >"$B/after"
grep -v old-5.10 "$B/before" >"$B/before-less-old"
check "bls: remove deletes every profile entry and nothing else" cmp -s "$B/before-less-old" "$B/after" ||
	diff "$B/before-less-old" "$B/after" | sed 's/^/    | /'
"$H/sbin/early-bind-bls" --boot-root "$B/nowhere" update >/dev/null 2>"$B/nowhere.err"
echo $? >"$B/nowhere.rc"
check "bls: a boot root without loader/entries is an error" \
	sh -c "[ \"\$(cat '$B/nowhere.rc')\" = 1 ] && grep -q 'does not exist' '$B/nowhere.err'"

# --- BLS: kernel-install with the plugin ----------------------------------

K=$W/bls
mkdir -p "$K/conf" "$K/steps"
echo layout=bls >"$K/conf/install.conf"
echo "console=ttyS0 panic=-1" >"$K/conf/cmdline"
inner inner_initramfs >"$LOGS/initramfs.log" 2>&1
if [ -s "$W/initrd.img" ]; then
	ok "initramfs: built ($(cat "$W/initramfs/secs") s)"
else
	fail "initramfs: build (see $LOGS/initramfs.log and $LOGS/build-itools-with.log)"
	show "$LOGS/initramfs.log"
	finish
fi
inner inner_kinst "$K/esp" "$K/steps" >"$LOGS/kinst.log" 2>&1
S=$K/steps
ent() { # STEP KVER [PROFILE]: an entry file of that step
	printf '%s/%s/loader/entries/%s-%s%s.conf\n' "$S" "$1" "$MID" "$2" "${3:+-early-bind-$3}"
}
check "kinst: kernel-install add succeeds despite a bad profile" \
	sh -c "[ \"\$(cat '$S/add1.rc')\" = 0 ] && [ \"\$(cat '$S/add2.rc')\" = 0 ]"
check "kinst: the plugin reports the bad profile by name" grep -q "profile 'bad'.*left out" "$LOGS/kinst-add1.log"
for k in "$KVER" "$FAKE_KVER"; do
	for p in vm both host; do
		check "kinst: entry for profile $p beside kernel $k" [ -f "$(ent add2 "$k" "$p")" ]
	done
done
check "kinst: no entry for the bad profile" sh -c "! ls '$S/add2/loader/entries' | grep -q early-bind-bad"
# The profile entry is the kernel's entry with two lines changed.
sed -e '/^# early-bind-bls:/d' -e 's/ (early-bind: vm)$//' -e 's/ vfio.devices=00:03 video=efifb:off$//' \
	"$(ent add2 "$KVER" vm)" >"$K/vm-undone"
check "kinst: profile entry = kernel entry + title + options (same linux, initrd, root)" \
	cmp -s "$K/vm-undone" "$(ent add2 "$KVER")" || diff "$(ent add2 "$KVER")" "$K/vm-undone" | sed 's/^/    | /'
check "kinst: entry paths are relative to the ESP" grep -q "^linux *//*$MID/$KVER/linux$" "$(ent add2 "$KVER" vm)"
check "kinst: kernel-install remove takes the profile entries with it" \
	sh -c "[ \"\$(cat '$S/remove2.rc')\" = 0 ] && ! ls '$S/remove2/loader/entries' | grep -q -- '-$FAKE_KVER' &&
		[ -f '$(ent remove2 "$KVER" vm)' ]"
check "kinst: early-bind-bls update after an edit drops the removed profile" \
	sh -c "[ ! -e '$(ent edit "$KVER" both)' ] && [ -f '$(ent edit "$KVER" vm)' ]"
check "kinst: ...and brings it back" [ -f "$(ent restore "$KVER" both)" ]

# --- GRUB: grub-install and grub-mkconfig in a chroot on a loop device ----

R=$W/grub
mkdir -p "$R"
IMG=$R/disk.img
LOOP=
cleanup() {
	if [ -n "$LOOP" ]; then
		losetup -d "$LOOP" 2>/dev/null
		LOOP=
	fi
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
truncate -s 96M "$IMG"
printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$IMG"
LOOP=$(losetup -P --show -f "$IMG") || fail "grub: losetup"
# Partition scanning can lag or not happen here; ask once more.
[ -b "${LOOP}p1" ] || partx -a "$LOOP" 2>/dev/null
[ -b "${LOOP}p1" ] || { sleep 1; blockdev --rereadpt "$LOOP" 2>/dev/null; }
if [ -n "$LOOP" ] && [ -b "${LOOP}p1" ] && mkfs.ext4 -q -L bmroot "${LOOP}p1"; then
	ok "grub: disk image on $LOOP, ext4 on ${LOOP}p1"
else
	fail "grub: could not make the disk image's partition"
	finish
fi
MNT=$R/mnt
mkdir -p "$MNT"
inner inner_populate "$LOOP" "$MNT" >"$LOGS/grub-populate.log" 2>&1 ||
	fail "grub: populating the image (see $LOGS/grub-populate.log)"
inner inner_grub_build "$LOOP" "$MNT" >"$LOGS/grub-build.log" 2>&1
check "grub: grub-install on the image" grep -q "No error reported" "$LOGS/grub-install.log" ||
	show "$LOGS/grub-install.log"
check "grub: grub-mkconfig succeeds (despite the bad profiles)" [ "$(cat "$R/mkconfig.rc" 2>/dev/null)" = 0 ] ||
	show "$LOGS/grub-mkconfig.err"
CFG=$R/grub.cfg
check "grub: grub.cfg passes grub-script-check" grub-script-check "$CFG"
for p in bad evil glob nodev dup-devices; do
	check "grub: profile '$p' reported on grub-mkconfig's stderr" \
		grep -q "^42_early-bind: profile '$p' .*left out" "$LOGS/grub-mkconfig.err"
done
check "grub: no entry for any bad profile" \
	sh -c "! grep -E 'early-bind-(bad|evil|glob|nodev|dup-devices)-' '$CFG'"
ids() { # CFG: every menu entry id
	sed -n "s/.*\\\$menuentry_id_option '\\([^']*\\)'.*/\\1/p" "$1"
}
ids "$CFG" >"$R/ids"
ids "$R/flat.cfg" >"$R/ids-flat"
unique() { # FILE: non-empty, no line twice
	[ -s "$1" ] && [ -z "$(sort "$1" | uniq -d)" ]
}
check "grub: menu entry ids are unique ($(wc -l <"$R/ids") ids)" unique "$R/ids"
check "grub: GRUB_DISABLE_SUBMENU=y: grub-mkconfig succeeds" rc_is "$R/mkconfig-flat.rc" 0
check "grub: GRUB_DISABLE_SUBMENU=y: ids unique ($(wc -l <"$R/ids-flat") ids)" unique "$R/ids-flat"
check "grub: GRUB_DISABLE_SUBMENU=y: grub-script-check" grub-script-check "$R/flat.cfg"
# The distribution's entries (10_linux's part) and each profile's part.
sed -n '/^### BEGIN \/etc\/grub.d\/10_linux ###$/,/^### END /p' "$CFG" >"$R/10_linux.part"
for p in vm both host; do
	sed -n "/^### early-bind profile '$p':/,/^### /{/^### /!p}" "$CFG" >"$R/$p.part"
	case $p in
	vm) extra="vfio.devices=00:03 video=efifb:off" ;;
	both) extra="vfio.devices=00:03,00:04" ;;
	host) extra="vfio.devices=" ;;
	esac
	n_entries=$(grep -cE "^[[:space:]]*(menuentry|submenu) " "$R/$p.part")
	n_titled=$(grep -cE "^[[:space:]]*(menuentry|submenu) '[^']* \\(early-bind: $p\\)' .*'early-bind-$p-" "$R/$p.part")
	check "grub: profile $p: $n_entries entries, every title names the profile and every id carries it" \
		[ "$n_entries" -gt 2 -a "$n_entries" = "$n_titled" ]
	check "grub: profile $p: every kernel line ends with '$extra'" \
		sh -c "[ \"\$(grep -c '^[[:space:]]*linux[[:space:]]' '$R/$p.part')\" = \"\$(grep -c '^[[:space:]]*linux[[:space:]].* $extra\$' '$R/$p.part')\" ]"
	# Undo the renaming: what is left must be exactly 10_linux's entries
	# (root=, search, initrd, GRUB_CMDLINE_LINUX...) less recovery mode.
	sed -e "s/ (early-bind: $p)'/'/" -e "s/'early-bind-$p-/'/" -e "s/ $extra\$/ /" "$R/$p.part" >"$R/$p.undone"
	awk '/^\t*menuentry .*recovery mode/ { skip = 1 } !skip { print } skip && /^\t*}$/ { skip = 0 }' \
		"$R/10_linux.part" | sed '/^###/d' >"$R/10_linux.norecovery"
	check "grub: profile $p: entries are 10_linux's own, only renamed and extended" \
		cmp -s "$R/10_linux.norecovery" "$R/$p.undone" ||
		diff "$R/10_linux.norecovery" "$R/$p.undone" | head -n 20 | sed 's/^/    | /'
done
check "grub: the distribution's own entries carry no profile" sh -c "! grep -q vfio.devices '$R/10_linux.part'"
check "grub: the default entry (first) is the distribution's" \
	sh -c "grep -m1 '^menuentry ' '$CFG' | grep -q \"^menuentry 'Debian GNU/Linux' \""

if [ -n "$no_boot" ]; then
	echo "# --no-boot: boot tests skipped ($(($(date +%s) - t_start)) s)"
	finish
fi

# --- boots ----------------------------------------------------------------

# qboot NAME DISK [FIRMWARE-ARGS...]: boots DISK on a q35 with the IOMMU and
# the two cards of tests/boot (the one to pass through at 00:03, the host's
# at 00:04); GRUB/systemd-boot and kernel console on ttyS0 ->
# $LOGS/NAME.console, the initramfs's report on ttyS1 -> $LOGS/NAME.report.
qboot() {
	qb_name=$1 qb_disk=$2
	shift 2
	rm -f "$LOGS/$qb_name.console" "$LOGS/$qb_name.report"
	qb_t0=$(date +%s)
	# shellcheck disable=SC2086 # device lists are split on purpose
	timeout --kill-after=10 "$QEMU_TIMEOUT" qemu-system-x86_64 \
		-accel tcg -M q35,kernel-irqchip=split -m 512 \
		-nodefaults -display none -no-reboot "$@" \
		$EB_IOMMU $EB_CARDS \
		-drive "file=$qb_disk,format=raw,if=ide" \
		-serial "file:$LOGS/$qb_name.console" \
		-serial "file:$LOGS/$qb_name.report" \
		</dev/null >"$LOGS/$qb_name.qemu" 2>&1
	QB_RC=$?
	QB_SECS=$(($(date +%s) - qb_t0))
	for qb_f in "$LOGS/$qb_name.report" "$LOGS/$qb_name.console"; do
		[ -f "$qb_f" ] || continue
		tr -d '\r' <"$qb_f" | sed 's/\x1b\[[0-9;?=]*[A-Za-z]//g' >"$qb_f.tmp" && mv "$qb_f.tmp" "$qb_f"
	done
}

# drivers_are REPORT DRIVER|not-vfio ADDR...: each function's driver.
drivers_are() {
	da_r=$1 da_want=$2
	shift 2
	for da_a; do
		da_d=$(eb_driver "$da_r" "$da_a")
		case $da_want in
		not-vfio) [ -n "$da_d" ] && [ "$da_d" != vfio-pci ] || return 1 ;;
		*) [ "$da_d" = "$da_want" ] || return 1 ;;
		esac
	done
}
CARD03="0000:00:03.0 0000:00:03.1 0000:00:03.2 0000:00:03.3"
CARD04="0000:00:04.0 0000:00:04.1 0000:00:04.2 0000:00:04.3"
# boot_checks NAME LABEL WANT03 WANT04 CMDLINE-GREP: the usual assertions.
boot_checks() {
	bc_r=$LOGS/$1.report
	if ! eb_report_complete "$bc_r"; then
		fail "$2: the guest's report is incomplete (exit $QB_RC after $QB_SECS s; see $LOGS/$1.console)"
		tail -n 15 "$LOGS/$1.console" 2>/dev/null | sed 's/^/    | /'
		return
	fi
	ok "$2: booted and reported in $QB_SECS s"
	# shellcheck disable=SC2086 # address lists
	check "$2: card 00:03 -> $3" drivers_are "$bc_r" "$3" $CARD03 ||
		grep '^EBT pci 0000:00:0[34]' "$bc_r" | sed 's/^/    | /'
	# shellcheck disable=SC2086
	check "$2: card 00:04 -> $4" drivers_are "$bc_r" "$4" $CARD04
	check "$2: kernel command line ($5)" sh -c "grep '^EBT cmdline ' '$bc_r' | grep -q -- '$5'"
}

# GRUB, 1: nothing scheduled; GRUB_DEFAULT=saved with no saved entry boots
# the first entry, the distribution's: every card stays with the host.
qboot grub-default "$IMG"
boot_checks grub-default "boot grub default" not-vfio not-vfio "root=UUID=.* ro console=ttyS0 panic=-1 *\$"
check "boot grub default: GRUB booted 'Debian GNU/Linux'" grep -q "Booting .Debian GNU/Linux'" "$LOGS/grub-default.console"

# GRUB, 2: grub-reboot, as a user schedules "next boot goes to the VM".
GR_TITLE="Debian GNU/Linux (early-bind: vm)"
inner inner_grub_cmd "$LOOP" "$MNT" grub-reboot "$GR_TITLE" >"$LOGS/grub-reboot.log" 2>&1
inner inner_grub_cmd "$LOOP" "$MNT" grub-editenv /boot/grub/grubenv list >"$R/grubenv.before" 2>&1
check "grub: grub-reboot '$GR_TITLE' sets next_entry" grep -qxF "next_entry=$GR_TITLE" "$R/grubenv.before" ||
	show "$LOGS/grub-reboot.log"
qboot grub-reboot "$IMG"
boot_checks grub-reboot "boot grub-reboot vm" vfio-pci not-vfio "ro console=ttyS0 panic=-1 vfio.devices=00:03 video=efifb:off\$"
check "boot grub-reboot vm: GRUB booted '$GR_TITLE'" grep -qF "Booting \`$GR_TITLE'" "$LOGS/grub-reboot.console"
eb_said() { # REPORT PATTERN: early-bind logged a line matching PATTERN
	eb_eb_lines "$1" | grep -q -- "$2"
}
check "boot grub-reboot vm: early-bind bound the profile's functions" \
	eb_said "$LOGS/grub-reboot.report" "^early-bind: 0000:00:03.0 .* -> vfio-pci"
inner inner_grub_cmd "$LOOP" "$MNT" grub-editenv /boot/grub/grubenv list >"$R/grubenv.after" 2>&1
check "boot grub-reboot vm: one-shot: GRUB cleared next_entry (the next boot is the default again)" \
	grep -qx "next_entry=" "$R/grubenv.after"

# GRUB, 3: GRUB_DEFAULT=saved and grub-set-default by id, for an entry in a
# profile's "Advanced options" submenu (the older kernel): ids are what
# stays valid when titles change with translations or GRUB_DISTRIBUTOR.
DEV_ID=$(sed -n "s/.*'early-bind-both-gnulinux-simple-\\([^']*\\)'.*/\\1/p" "$CFG" | head -n 1)
SD_ID="early-bind-both-gnulinux-advanced-$DEV_ID>early-bind-both-gnulinux-$FAKE_KVER-advanced-$DEV_ID"
inner inner_grub_cmd "$LOOP" "$MNT" grub-set-default "$SD_ID" >"$LOGS/grub-set-default.log" 2>&1
qboot grub-saved "$IMG"
boot_checks grub-saved "boot grub-set-default both (older kernel)" vfio-pci vfio-pci \
	"BOOT_IMAGE=/boot/vmlinuz-$FAKE_KVER .* vfio.devices=00:03,00:04\$"
check "boot grub-set-default both: GRUB booted the submenu entry" \
	grep -qF "Booting \`Debian GNU/Linux, with Linux $FAKE_KVER (early-bind: both)'" "$LOGS/grub-saved.console"
inner inner_grub_cmd "$LOOP" "$MNT" grub-editenv /boot/grub/grubenv list >"$R/grubenv.saved" 2>&1
check "boot grub-set-default both: the saved entry stays for the boots after" \
	grep -qxF "saved_entry=$SD_ID" "$R/grubenv.saved"
cleanup

# systemd-boot, from the ESP kernel-install filled: a GPT disk with one
# FAT partition, made with mtools (no mount needed).
ESP=$K/esp.img
PART=$K/part.img
build_esp() { # LOADER.CONF-TEXT
	rm -f "$ESP" "$PART"
	truncate -s 48M "$PART" &&
		mformat -i "$PART" -H 2048 -v ESP :: &&
		mcopy -s -i "$PART" "$S/esp/"* ::/ &&
		printf '%s\n' "$1" >"$K/loader.conf" &&
		mcopy -o -i "$PART" "$K/loader.conf" ::/loader/loader.conf &&
		truncate -s 50M "$ESP" &&
		printf 'label: gpt\nstart=2048, size=98304, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n' |
		sfdisk -q "$ESP" &&
		dd if="$PART" of="$ESP" bs=1M seek=1 conv=notrunc status=none
}
ovmf() { # NAME: boot the ESP under OVMF with fresh variables
	cp /usr/share/OVMF/OVMF_VARS_4M.fd "$K/vars.fd"
	qboot "$1" "$ESP" \
		-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
		-drive "if=pflash,format=raw,file=$K/vars.fd"
}
# systemd-boot, 1: no default configured: its first entry must be the
# kernel's own, not a profile's (the sort order of the entry names).
if build_esp "timeout 0"; then
	ovmf sdboot-default
	boot_checks sdboot-default "boot systemd-boot default" not-vfio not-vfio "systemd.machine_id=$MID\$"
else
	fail "boot systemd-boot: building the ESP image"
fi
# systemd-boot, 2: a profile entry picked by loader.conf's default pattern.
if build_esp "timeout 0
default *-early-bind-both.conf"; then
	ovmf sdboot-both
	boot_checks sdboot-both "boot systemd-boot profile both" vfio-pci vfio-pci "systemd.machine_id=$MID vfio.devices=00:03,00:04\$"
else
	fail "boot systemd-boot: building the ESP image"
fi

echo "# bootmenu tests took $(($(date +%s) - t_start)) s"
finish
