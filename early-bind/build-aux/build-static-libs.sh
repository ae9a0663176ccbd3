#!/bin/sh
# Builds the static libraries the initramfs binary links, from the
# distribution's own source packages, against musl: Debian ships no
# libkmod.a or libpci.a, and glibc's static libc alone would make the binary
# four times larger. Each library is built with its own build system: kmod 34
# and later with meson (its static kmod-internal archive), older kmod with
# autotools, pciutils, zstd and zlib with their makefiles, xz with configure.
# Nothing from these sources is committed: `apt-get source` fetches them
# into OUTDIR.
#
# usage: build-static-libs.sh OUTDIR
# result: OUTDIR/lib/{libkmod,libpci,libzstd,liblzma,libz}.a, OUTDIR/include,
#         and OUTDIR/cc, the compiler wrapper to build the binary with.
# Each step's output goes to OUTDIR/log/NAME.log; a failing step prints the
# end of its log and names the file.
set -eu

mkdir -p "$1"
out=$(cd "$1" && pwd)
src=$out/src
inc=$out/include
logs=$out/log
jobs=$(nproc 2>/dev/null || echo 1)
# Size first: the binary sits in every initramfs. No unwind tables: nothing
# in it unwinds the stack (C only, no threads to cancel).
cflags="-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables"

# musl-gcc searches only musl's headers: add the kernel's, nothing else.
# The wrapper finds them beside itself, so the tree can move (a worktree's
# build/deps may be a link to another's).
mkdir -p "$src" "$out/lib" "$inc/pci" "$logs"
ln -sfn /usr/include/linux "$inc/linux"
ln -sfn /usr/include/asm-generic "$inc/asm-generic"
ln -sfn "/usr/include/$(gcc -print-multiarch)/asm" "$inc/asm"
cat >"$out/cc" <<CC
#!/bin/sh
exec musl-gcc -isystem "\$(dirname "\$0")/include" "\$@"
CC
chmod +x "$out/cc"
cc=$out/cc

die() {
	echo "build-static-libs: $*" >&2
	exit 1
}

# step NAME CMD...: runs CMD with its output in NAME's log; on failure shows
# the log's end and stops.
step() {
	step_log=$logs/$1.log
	shift
	if ! "$@" >>"$step_log" 2>&1; then
		tail -n 25 "$step_log" >&2
		die "failed: $*
  (the whole output: $step_log)"
	fi
}

# download PKG[=VERSION]: the source package's files into $src, each checked
# against the signed Sources index (apt-helper verifies the hash apt
# printed). A file the mirror lacks is skipped; returns 0 when every file
# came, 2 when an upstream tarball did (the .dsc of an incomplete set is
# removed: dpkg-source could not use it), 1 when none.
download() {
	uris=$(cd "$src" && apt-get source --print-uris -qq "$1" 2>>"$logs/${1%%=*}.log") ||
		die "'apt-get source ${1%%=*}' failed: add a deb-src entry for this release (tests/setup-debian.sh does) or build with 'make STATIC=0'
  ($(tail -n 1 "$logs/${1%%=*}.log"))"
	got=1 missing=0 dsc=""
	for line in $(echo "$uris" | awk '{ gsub("\047", "", $1); print $1 "|" $2 "|" $4 }'); do
		file=${line#*|} hash=${file#*|} file=${file%|*}
		if [ -s "$src/$file" ] || /usr/lib/apt/apt-helper download-file "${line%%|*}" \
			"$src/$file" "$hash" >>"$logs/${1%%=*}.log" 2>&1; then
			case $file in
			*.dsc) dsc=$src/$file ;;
			*.orig.tar.gz | *.orig.tar.xz | *.orig.tar.bz2) got=2 ;;
			esac
		else
			rm -f "$src/$file"
			missing=1
		fi
	done
	if [ -n "$dsc" ] && [ $missing -eq 0 ]; then
		return 0
	fi
	rm -f "$dsc"
	return $got
}

# fetch_source PKG: the newest version of PKG whose files the mirror has
# (partial mirrors lack some): whole if any version is, else the newest
# upstream tarball; says which when it is not the newest.
fetch_source() {
	newest="" partial=""
	for version in $(apt-cache showsrc "$1" 2>/dev/null | sed -n 's/^Version: //p' | sort -r -V -u); do
		: "${newest:=$version}"
		rc=0
		download "$1=$version" || rc=$?
		if [ $rc -eq 0 ]; then
			partial=""
			break
		fi
		[ $rc -eq 2 ] && : "${partial:=$version}"
	done
	[ -n "$newest" ] || download "$1" || :
	version=${partial:-$version}
	[ -n "$(last "$src/$1"_*.dsc "$src/$1"_*.orig.tar.*)" ] ||
		die "the mirror has no source files of $1 (see $logs/$1.log)"
	[ "$version" = "$newest" ] ||
		echo "build-static-libs: the mirror lacks $1 $newest: building $version" >&2
}

# last FILE...: the last of the glob's matches that exists (the newest
# version of a file name), or nothing.
last() {
	last_f=""
	for f in "$@"; do
		[ -e "$f" ] && last_f=$f
	done
	echo "$last_f"
}

# unpack PKG: the source tree in $src/PKG, as dpkg-source makes it; without
# a .dsc on the mirror, the upstream tarball with Debian's patches applied
# when the Debian tarball is there.
unpack() {
	rm -rf "${src:?}/$1"
	dsc=$(last "$src/$1"_*.dsc)
	if [ -n "$dsc" ]; then
		step "$1" dpkg-source --no-check -x "$dsc" "$src/$1"
		return
	fi
	orig=$(last "$src/$1"_*.orig.tar.gz "$src/$1"_*.orig.tar.xz "$src/$1"_*.orig.tar.bz2)
	[ -n "$orig" ] ||
		die "the mirror has neither a .dsc nor an upstream tarball of $1 (see $logs/$1.log)"
	echo "build-static-libs: the mirror has no .dsc of $1: building ${orig##*/}" >&2
	mkdir -p "$src/$1"
	step "$1" tar -xf "$orig" -C "$src/$1" --strip-components=1
	debian=$(last "$src/$1"_*.debian.tar.*)
	[ -n "$debian" ] || return 0
	step "$1" tar -xf "$debian" -C "$src/$1"
	[ -f "$src/$1/debian/patches/series" ] || return 0
	echo "build-static-libs: with Debian's patches from ${debian##*/}" >&2
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$src/$1/debian/patches/series" |
		while read -r patch level; do
			step "$1" patch -d "$src/$1" -s -f "${level:--p1}" -i "debian/patches/$patch"
		done
}

fetch() {
	if [ -z "$(last "$src/$1"_*.dsc "$src/$1"_*.orig.tar.*)" ]; then
		fetch_source "$1"
	fi
	unpack "$1"
}

# Decompression only: libkmod reads zstd and xz compressed modules. zstd's
# own size-first build (ZSTD_LIB_MINIFY: one Huffman decoder, no inlining,
# no error strings) halves it; a module of a few hundred KB still takes
# milliseconds. CFLAGS from the environment, so that the minify flags add
# to ours.
build_zstd() {
	fetch libzstd
	CFLAGS="$cflags" step libzstd make -C "$src/libzstd/lib" -j"$jobs" libzstd.a CC="$cc" \
		ZSTD_LIB_COMPRESSION=0 ZSTD_LIB_DICTBUILDER=0 \
		ZSTD_LIB_DEPRECATED=0 ZSTD_LEGACY_SUPPORT=0 ZSTD_LIB_MINIFY=1
	cp "$src/libzstd/lib/libzstd.a" "$out/lib/"
	cp "$src/libzstd/lib/zstd.h" "$src/libzstd/lib/zstd_errors.h" "$inc/"
}

# Decoders only, and only LZMA1/LZMA2: kernel modules and initramfs images are
# compressed without BCJ or delta filters (Kbuild's and the builders' xz
# options). --enable-small computes the CRC tables at run time instead of
# carrying 16 KB of them; every check (CRC32, CRC64, SHA-256) stays.
build_xz() {
	fetch xz-utils
	(cd "$src/xz-utils" && step xz-utils ./configure --host="$(uname -m)-linux-musl" CC="$cc" \
		CFLAGS="$cflags" --disable-shared --disable-encoders \
		--enable-decoders=lzma1,lzma2 --enable-small \
		--disable-xz --disable-xzdec --disable-lzmadec --disable-lzmainfo \
		--disable-lzma-links --disable-scripts --disable-doc --disable-nls \
		--disable-threads)
	step xz-utils make -C "$src/xz-utils/src/liblzma" -j"$jobs"
	cp "$src/xz-utils/src/liblzma/.libs/liblzma.a" "$out/lib/"
	cp -r "$src/xz-utils/src/liblzma/api/lzma.h" "$src/xz-utils/src/liblzma/api/lzma" "$inc/"
}

# gzip images (dracut's default compression) for `early-bind check`.
build_zlib() {
	fetch zlib
	(cd "$src/zlib" && CC="$cc" CFLAGS="$cflags" step zlib ./configure --static)
	step zlib make -C "$src/zlib" -j"$jobs" libz.a
	cp "$src/zlib/libz.a" "$out/lib/"
	cp "$src/zlib/zlib.h" "$src/zlib/zconf.h" "$inc/"
}

# musl 1.2.5 declares only POSIX basename(), in <libgen.h>; pciutils calls
# it on a buffer of its own, where both versions give the last component.
basename_flags() {
	printf '#include <string.h>\nvoid *p = (void *)basename;\n' |
		"$cc" -D_GNU_SOURCE -x c -c -o /dev/null - 2>/dev/null || echo "-include libgen.h"
}

build_pciutils() {
	fetch pciutils
	# IDSDIR matches Debian's pci.ids location; DNS/HWDB/zlib lookups are not
	# wanted in an initramfs, and the names database is optional at runtime.
	step pciutils make -C "$src/pciutils" -j"$jobs" lib/libpci.a CC="$cc" \
		OPT="$cflags $(basename_flags)" PREFIX=/usr IDSDIR=/usr/share/misc \
		ZLIB=no DNS=no HWDB=no LIBKMOD=no SHARED=no
	cp "$src/pciutils/lib/libpci.a" "$out/lib/"
	for h in pci.h header.h types.h config.h; do
		cp "$src/pciutils/lib/$h" "$inc/pci/"
	done
}

# kmod 34 and later: meson's kmod-internal and shared archives (libkmod and
# its helpers, what kmod's own tools link), compression libraries linked, not
# opened at run time (a static binary cannot dlopen).
build_kmod_meson() {
	step kmod env CC="$cc" CFLAGS="$cflags" meson setup --wipe "$src/kmod/build" "$src/kmod" \
		-Dtools=false -Dmanpages=false -Ddocs=false -Dbuild-tests=false \
		-Dlogging=true -Ddlopen= -Dzstd=enabled -Dxz=enabled -Dzlib=disabled \
		-Dopenssl=disabled -Dbashcompletiondir=no -Dfishcompletiondir=no \
		-Dzshcompletiondir=no
	step kmod ninja -C "$src/kmod/build" -j"$jobs" libkmod-internal.a libshared.a
	# meson's archives are thin (they name the objects): make a whole one.
	rm -f "$out/lib/libkmod.a"
	# shellcheck disable=SC2046 # a list of file names
	(cd "$src/kmod/build" &&
		ar rcs "$out/lib/libkmod.a" $(ar t libkmod-internal.a) $(ar t libshared.a))
}

# Older kmod: autotools. Its configure refuses --enable-static, and the
# shared library would link the glibc system's xz and zstd: the objects of
# libkmod and of its convenience library, as its Makefile lists them, are
# compiled and archived.
build_kmod_autotools() {
	# gtk-doc is not needed and not installed; autoreconf wants the include.
	touch "$src/kmod/libkmod/docs/gtk-doc.make"
	(cd "$src/kmod" && step kmod autoreconf -fi &&
		step kmod ./configure CC="$cc" CFLAGS="$cflags" --disable-manpages \
			--without-openssl --with-xz --with-zstd --disable-python \
			--disable-test-modules)
	# shellcheck disable=SC2016 # make expands them
	objects=$(printf 'eb-objects:\n\t@echo $(libkmod_libkmod_la_OBJECTS) $(shared_libshared_la_OBJECTS)\n' |
		make -s --no-print-directory -C "$src/kmod" -f Makefile -f - eb-objects)
	# shellcheck disable=SC2086 # a list of file names
	step kmod make -C "$src/kmod" -j"$jobs" $objects
	rm -f "$out/lib/libkmod.a"
	# libtool keeps each LIB.lo's object as .libs/LIB.o beside it.
	# shellcheck disable=SC2046,SC2086 # a list of file names
	(cd "$src/kmod" && ar rcs "$out/lib/libkmod.a" \
		$(echo "$objects" | sed 's|\([^ ]*/\)\{0,1\}\([^ /]*\)\.lo|\1.libs/\2.o|g'))
}

build_kmod() {
	fetch kmod
	# configure and meson check xz/zstd with pkg-config (Debian's -dev
	# packages); the objects are compiled against the musl builds' headers
	# in $inc.
	if [ -f "$src/kmod/meson.build" ]; then
		build_kmod_meson
	else
		build_kmod_autotools
	fi
	cp "$src/kmod/libkmod/libkmod.h" "$inc/"
}

rm -f "$logs"/*.log
build_zstd
build_xz
build_zlib
build_pciutils
build_kmod
