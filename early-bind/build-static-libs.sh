#!/bin/sh
# Builds libkmod.a and libpci.a from Debian's own source packages of kmod and
# pciutils, because Debian ships only the shared libraries. Nothing from those
# sources is committed: they are fetched with `apt-get source` into OUTDIR.
#
# usage: build-static-libs.sh OUTDIR CC
# result: OUTDIR/lib/{libkmod.a,libpci.a}, OUTDIR/include/{libkmod.h,pci/*.h}
set -eu

out=$1
cc=${2:-cc}
src=$out/src
jobs=$(nproc 2>/dev/null || echo 1)
cflags="-Os -ffunction-sections -fdata-sections"

mkdir -p "$src" "$out/lib" "$out/include/pci"
out=$(cd "$out" && pwd)
src=$out/src

fetch() {
	# $1 = source package name
	if ! ls "$src/$1"_*.dsc >/dev/null 2>&1; then
		if ! (cd "$src" && apt-get source --download-only -qq "$1" >/dev/null); then
			echo "build-static-libs: 'apt-get source $1' failed; add a deb-src entry (tests/setup-debian.sh does) or build with 'make STATIC=0'" >&2
			exit 1
		fi
	fi
	rm -rf "${src:?}/$1"
	dpkg-source --no-check -q -x "$src/$1"_*.dsc "$src/$1" >/dev/null
}

build_pciutils() {
	fetch pciutils
	# IDSDIR matches Debian's pci.ids location; DNS/HWDB/zlib lookups are not
	# wanted in an initramfs, and the names database is optional at runtime.
	make -C "$src/pciutils" -s -j"$jobs" lib/libpci.a CC="$cc" \
		OPT="$cflags" PREFIX=/usr IDSDIR=/usr/share/misc \
		ZLIB=no DNS=no HWDB=no LIBKMOD=no SHARED=no >/dev/null
	cp "$src/pciutils/lib/libpci.a" "$out/lib/"
	for h in pci.h header.h types.h config.h; do
		cp "$src/pciutils/lib/$h" "$out/include/pci/"
	done
}

build_kmod() {
	fetch kmod
	cd "$src/kmod"
	# gtk-doc is not needed and not installed; autoreconf wants the include.
	touch libkmod/docs/gtk-doc.make
	autoreconf -fi >/dev/null 2>&1
	./configure -q CC="$cc" CFLAGS="$cflags" --disable-manpages \
		--without-openssl --with-xz --with-zstd --disable-python \
		--disable-test-modules >/dev/null
	make -s -j"$jobs" libkmod/libkmod.la >/dev/null 2>&1
	# libtool refuses --enable-static; archive the PIC objects ourselves.
	rm -f "$out/lib/libkmod.a"
	ar rcs "$out/lib/libkmod.a" libkmod/.libs/libkmod*.o \
		shared/.libs/array.o shared/.libs/hash.o \
		shared/.libs/scratchbuf.o shared/.libs/strbuf.o shared/.libs/util.o
	cp libkmod/libkmod.h "$out/include/"
	cd - >/dev/null
}

build_pciutils
build_kmod
