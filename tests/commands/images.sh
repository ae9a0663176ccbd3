#!/bin/sh
# Builds one real initramfs image for the `check` tests, once, into OUTDIR,
# with the boot tests' helpers (tests/boot/lib.sh): a staged
# `make install`, then mkinitramfs from a private CONFDIR or dracut from a
# private dracutbasedir (initramfs-tools: zstd, Debian's initramfs.conf;
# dracut: gzip, named, since dracut 059 takes gzip by default and dracut-ng
# zstd).  Nothing of the host's configuration is used.
#
# usage: images.sh OUTDIR NAME
#   NAME: itools-with, itools-without, itools-with-ucode (an uncompressed
#   early microcode archive in front, as intel-microcode adds),
#   dracut-with, dracut-without
# result: OUTDIR/NAME.img
set -eu

out=$(mkdir -p "$1" && cd "$1" && pwd)
name=$2
[ -s "$out/$name.img" ] && exit 0

EB_TESTDIR=$(cd "$(dirname "$0")/../boot" && pwd)
EB_WORK=$out/work
EB_LOGS=$out/logs
# shellcheck source=tests/boot/lib.sh
. "$EB_TESTDIR/lib.sh"
mkdir -p "$EB_WORK" "$EB_LOGS"
eb_pick_kernel

stage=$EB_WORK/stage
if [ ! -x "$stage/usr/sbin/early-bind" ]; then
	eb_stage "$stage"
fi

build_dracut() { # OUT with|without
	eb_dracut_base "$stage"
	mods="base rootfs-block"
	[ "$2" = with ] && mods="$mods early-bind"
	mkdir -p "$EB_WORK/tmp"
	dracutbasedir=$EB_DRACUT_BASE dracut --conf /dev/null \
		--confdir "$EB_WORK/dracut-confdir" -N --no-hostonly-cmdline \
		--kver "$EB_KVER" --tmpdir "$EB_WORK/tmp" -m "$mods" \
		--compress gzip --reproducible --force "$1"
}

# What intel-microcode's initramfs hook puts in front of the image.
ucode_archive() { # OUT
	rm -rf "$EB_WORK/ucode"
	mkdir -p "$EB_WORK/ucode/kernel/x86/microcode"
	printf 'not really microcode\n' >"$EB_WORK/ucode/kernel/x86/microcode/GenuineIntel.bin"
	(cd "$EB_WORK/ucode" && find . | sort | cpio --quiet -o -H newc) >"$1"
}

case $name in
itools-with | itools-without)
	eb_build_itools "$stage" "$out/$name.tmp" "${name#itools-}"
	;;
itools-with-ucode)
	sh "$0" "$out" itools-with
	ucode_archive "$EB_WORK/ucode.cpio"
	cat "$EB_WORK/ucode.cpio" "$out/itools-with.img" >"$out/$name.tmp"
	;;
dracut-with | dracut-without)
	build_dracut "$out/$name.tmp" "${name#dracut-}"
	;;
*)
	echo "images.sh: unknown image $name" >&2
	exit 2
	;;
esac
mv "$out/$name.tmp" "$out/$name.img"
