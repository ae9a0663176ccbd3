#!/bin/sh
# Builds the static libraries the initramfs binary links, from Debian's own
# source packages, against musl: Debian ships no libkmod.a or libpci.a, and
# glibc's static libc alone would make the binary four times larger.
# Nothing from these sources is committed: `apt-get source` fetches them
# into OUTDIR.
#
# usage: build-static-libs.sh OUTDIR
# result: OUTDIR/lib/{libkmod,libpci,libzstd,liblzma,libz}.a, OUTDIR/include,
#         and OUTDIR/cc, the compiler wrapper to build the binary with.
set -eu

mkdir -p "$1"
out=$(cd "$1" && pwd)
src=$out/src
inc=$out/include
jobs=$(nproc 2>/dev/null || echo 1)
cflags="-Os -ffunction-sections -fdata-sections"

# musl-gcc searches only musl's headers: add the kernel's, nothing else.
# The wrapper finds them beside itself, so the tree can move (a worktree's
# build/deps may be a link to another's).
mkdir -p "$src" "$out/lib" "$inc/pci"
ln -sfn /usr/include/linux "$inc/linux"
ln -sfn /usr/include/asm-generic "$inc/asm-generic"
ln -sfn "/usr/include/$(gcc -print-multiarch)/asm" "$inc/asm"
cat >"$out/cc" <<CC
#!/bin/sh
exec musl-gcc -isystem "\$(dirname "\$0")/include" "\$@"
CC
chmod +x "$out/cc"
cc=$out/cc

fetch() {
	# $1 = source package name
	if ! ls "$src/$1"_*.dsc >/dev/null 2>&1; then
		if ! (cd "$src" && apt-get source --download-only -qq "$1" >/dev/null 2>&1); then
			echo "build-static-libs: 'apt-get source $1' failed; add a deb-src entry (tests/setup-debian.sh does) or build with 'make STATIC=0'" >&2
			exit 1
		fi
	fi
	rm -rf "${src:?}/$1"
	dpkg-source --no-check -q -x "$src/$1"_*.dsc "$src/$1" >/dev/null 2>&1
}

# Decompression only: libkmod reads zstd and xz compressed modules.
build_zstd() {
	fetch libzstd
	make -C "$src/libzstd/lib" -s -j"$jobs" libzstd.a CC="$cc" CFLAGS="$cflags" \
		ZSTD_LIB_COMPRESSION=0 ZSTD_LIB_DICTBUILDER=0 \
		ZSTD_LIB_DEPRECATED=0 ZSTD_LEGACY_SUPPORT=0 >/dev/null
	cp "$src/libzstd/lib/libzstd.a" "$out/lib/"
	cp "$src/libzstd/lib/zstd.h" "$src/libzstd/lib/zstd_errors.h" "$inc/"
}

build_xz() {
	fetch xz-utils
	(cd "$src/xz-utils" && ./configure -q --host="$(uname -m)-linux-musl" CC="$cc" \
		CFLAGS="$cflags" --disable-shared --disable-encoders \
		--disable-xz --disable-xzdec --disable-lzmadec --disable-lzmainfo \
		--disable-lzma-links --disable-scripts --disable-doc --disable-nls \
		--disable-threads >/dev/null)
	make -C "$src/xz-utils/src/liblzma" -s -j"$jobs" >/dev/null
	cp "$src/xz-utils/src/liblzma/.libs/liblzma.a" "$out/lib/"
	cp -r "$src/xz-utils/src/liblzma/api/lzma.h" "$src/xz-utils/src/liblzma/api/lzma" "$inc/"
}

# gzip images (dracut's default compression) for `early-bind check`.
build_zlib() {
	fetch zlib
	(cd "$src/zlib" && CC="$cc" CFLAGS="$cflags" ./configure --static >/dev/null)
	make -C "$src/zlib" -s -j"$jobs" libz.a >/dev/null 2>&1
	cp "$src/zlib/libz.a" "$out/lib/"
	cp "$src/zlib/zlib.h" "$src/zlib/zconf.h" "$inc/"
}

build_pciutils() {
	fetch pciutils
	# IDSDIR matches Debian's pci.ids location; DNS/HWDB/zlib lookups are not
	# wanted in an initramfs, and the names database is optional at runtime.
	make -C "$src/pciutils" -s -j"$jobs" lib/libpci.a CC="$cc" \
		OPT="$cflags" PREFIX=/usr IDSDIR=/usr/share/misc \
		ZLIB=no DNS=no HWDB=no LIBKMOD=no SHARED=no >/dev/null 2>&1
	cp "$src/pciutils/lib/libpci.a" "$out/lib/"
	for h in pci.h header.h types.h config.h; do
		cp "$src/pciutils/lib/$h" "$inc/pci/"
	done
}

build_kmod() {
	fetch kmod
	cd "$src/kmod"
	# gtk-doc is not needed and not installed; autoreconf wants the include.
	touch libkmod/docs/gtk-doc.make
	autoreconf -fi >/dev/null 2>&1
	# configure checks xz/zstd with pkg-config (Debian's -dev packages); the
	# objects are compiled against the musl builds' headers in $inc.
	./configure -q CC="$cc" CFLAGS="$cflags" --disable-manpages \
		--without-openssl --with-xz --with-zstd --disable-python \
		--disable-test-modules >/dev/null
	# libtool refuses --enable-static: build the objects, archive them.
	make -s -j"$jobs" libkmod/libkmod.lo libkmod/libkmod-builtin.lo \
		libkmod/libkmod-list.lo libkmod/libkmod-config.lo \
		libkmod/libkmod-index.lo libkmod/libkmod-module.lo \
		libkmod/libkmod-file.lo libkmod/libkmod-elf.lo \
		libkmod/libkmod-signature.lo shared/libshared.la >/dev/null
	rm -f "$out/lib/libkmod.a"
	ar rcs "$out/lib/libkmod.a" libkmod/.libs/libkmod*.o \
		shared/.libs/array.o shared/.libs/hash.o \
		shared/.libs/scratchbuf.o shared/.libs/strbuf.o shared/.libs/util.o
	cp libkmod/libkmod.h "$inc/"
	cd - >/dev/null
}

build_zstd
build_xz
build_zlib
build_pciutils
build_kmod
