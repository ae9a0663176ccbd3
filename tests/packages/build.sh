# shellcheck shell=sh
# The release tarball and the two packages built from it, and what can be
# checked without installing them.  Sourced by run.sh (ROOT, PK_WORK, the
# result functions of tests/results.sh and pk_log of debroot.sh).

# What every package carries, one path a line (the RPM leaves initramfs-tools
# and the Proxmox kernel hook out: Debian only).
PK_COMMON_FILES="/usr/sbin/early-bind
/usr/sbin/early-bind-bls
/usr/sbin/early-bind-uki
/usr/lib/early-bind/early-bind-boot.sh
/usr/lib/early-bind/profiles.sh
/usr/lib/dracut/modules.d/90early-bind/module-setup.sh
/usr/lib/dracut/modules.d/90early-bind/early-bind-pre-udev.sh
/usr/lib/kernel/install.d/95-early-bind.install
/etc/grub.d/42_early-bind
/etc/default/early-bind"
PK_ITOOLS_FILES="/usr/share/initramfs-tools/hooks/early-bind
/usr/share/initramfs-tools/scripts/init-top/early-bind
/etc/kernel/postinst.d/zzz-early-bind
/etc/kernel/postrm.d/zzz-early-bind"
PK_CONFFILES="/etc/default/early-bind
/etc/grub.d/42_early-bind"
# The .deb's also: Proxmox's kernel hook (a file under /etc).
PK_DEB_CONFFILES="$PK_CONFFILES
/etc/kernel/postinst.d/zzz-early-bind
/etc/kernel/postrm.d/zzz-early-bind"

# pk_versions: the Makefile's VERSION is the one; the changelog, the spec
# and NEWS must name it.  Sets PK_VERSION.
pk_versions() {
	PK_VERSION=$(sed -n 's/^VERSION = //p' "$ROOT/Makefile")
	pk_deb_v=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)
	pk_rpm_v=$(sed -n 's/^Version: *//p' "$ROOT/early-bind.spec")
	check "Makefile VERSION is set ($PK_VERSION)" [ -n "$PK_VERSION" ]
	check "debian/changelog's version ($pk_deb_v) is the Makefile's" [ "$pk_deb_v" = "$PK_VERSION" ]
	check "early-bind.spec's Version ($pk_rpm_v) is the Makefile's" [ "$pk_rpm_v" = "$PK_VERSION" ]
	pk_log_v=$(grep -m 1 '^\* ' "$ROOT/early-bind.spec" | sed 's/.* - //; s/-[^-]*$//')
	check "early-bind.spec's newest %changelog entry ($pk_log_v) is the Makefile's" \
		[ "$pk_log_v" = "$PK_VERSION" ]
	check "NEWS has an entry for $PK_VERSION" grep -q "^$PK_VERSION " "$ROOT/NEWS"
}

# pk_dist: `make dist`, unpacked into PK_WORK/src: the clean tree both
# packages build from.
pk_dist() {
	PK_TARBALL=$ROOT/build/early-bind-$PK_VERSION.tar.gz
	rm -f "$PK_TARBALL"
	check "make dist" make -s -C "$ROOT" dist >/dev/null || return 1
	check "make dist wrote early-bind-$PK_VERSION.tar.gz" [ -s "$PK_TARBALL" ] || return 1
	tar -tzf "$PK_TARBALL" >"$PK_WORK/dist.list"
	check "every path in the tarball is below early-bind-$PK_VERSION/" \
		[ -z "$(grep -v "^early-bind-$PK_VERSION/" "$PK_WORK/dist.list")" ]
	for pk_f in Makefile NEWS early-bind.spec debian/control debian/rules; do
		check "the tarball has $pk_f" grep -qx "early-bind-$PK_VERSION/$pk_f" "$PK_WORK/dist.list"
	done
	rm -rf -- "${PK_WORK:?}/src"
	mkdir -p "$PK_WORK/src"
	tar -C "$PK_WORK/src" -xzf "$PK_TARBALL"
	PK_SRC=$PK_WORK/src/early-bind-$PK_VERSION
}

# pk_build_deb: dpkg-buildpackage in the unpacked tarball.  nocheck: the
# package build runs check-fixtures, which `make check` runs anyway.
pk_build_deb() {
	PK_DEB=$PK_WORK/src/early-bind_${PK_VERSION}_$(dpkg --print-architecture).deb
	(cd "$PK_SRC" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -b -us -uc) \
		>"$PK_WORK/deb-build.log" 2>&1
	check "dpkg-buildpackage -b -us -uc (log: $PK_WORK/deb-build.log)" [ $? -eq 0 ] || return 1
	check "it built ${PK_DEB##*/}" [ -s "$PK_DEB" ]
	check "dh_strip made the -dbgsym package: make install STRIP=true kept the symbols" \
		[ -s "$PK_WORK/src/early-bind-dbgsym_${PK_VERSION}_$(dpkg --print-architecture).deb" ]
}

# pk_has_lines FILE LINES: every line of LINES is a line of FILE.
pk_has_lines() {
	printf '%s\n' "$2" | while read -r pk_l; do
		grep -qxF -- "$pk_l" "$1" || return 1
	done
}

pk_deb_depends_on() {
	dpkg-deb -f "$PK_DEB" Depends | tr ',' '\n' | grep -q "^ *$1\( \|\$\)"
}

pk_check_deb() {
	rm -rf -- "${PK_WORK:?}/deb-control"
	dpkg-deb -e "$PK_DEB" "$PK_WORK/deb-control"
	dpkg-deb -c "$PK_DEB" | awk '{ sub(/^\./, "", $6); print $6 }' >"$PK_WORK/deb.list"
	check ".deb holds the binary, the glue, both initramfs integrations, the boot-menu files" \
		pk_has_lines "$PK_WORK/deb.list" "$PK_COMMON_FILES
$PK_ITOOLS_FILES
/usr/share/man/man8/early-bind.8.gz"
	check ".deb leaves Arch's mkinitcpio files out" [ -z "$(grep initcpio "$PK_WORK/deb.list")" ]
	check ".deb conffiles: /etc/default/early-bind, /etc/grub.d/42_early-bind, the Proxmox kernel hook" \
		pk_has_lines "$PK_WORK/deb-control/conffiles" "$PK_DEB_CONFFILES"
	check ".deb activates the update-initramfs trigger" \
		grep -qx 'activate-noawait update-initramfs' "$PK_WORK/deb-control/triggers"
	check "no maintainer script calls update-initramfs" \
		[ -z "$(cd "$PK_WORK/deb-control" &&
			grep -l '^[^#]*update-initramfs' preinst postinst prerm postrm 2>/dev/null)" ]
	for pk_lib in libkmod2 libpci3; do
		check ".deb depends on $pk_lib, which the binary links" pk_deb_depends_on "$pk_lib"
	done
}

# pk_lintian: no error; each warning is printed (README.Debian explains them).
pk_lintian() {
	lintian -I "$PK_WORK"/src/early-bind_"$PK_VERSION"_*.changes >"$PK_WORK/lintian.log" 2>&1
	grep -E '^[WI]: ' "$PK_WORK/lintian.log" | sed 's/^/packages: lintian: /' >&2
	check "lintian reports no error (log: $PK_WORK/lintian.log)" \
		[ -z "$(grep '^E: ' "$PK_WORK/lintian.log")" ]
}

# pk_build_rpm: rpmbuild -bb with the tarball as Source0.  --nodeps: the
# BuildRequires name Fedora's packages, which Debian's rpm database lacks;
# the libraries themselves are there (setup-debian.sh).
pk_build_rpm() {
	rm -rf -- "${PK_WORK:?}/rpm"
	mkdir -p "$PK_WORK/rpm/SOURCES"
	cp "$PK_TARBALL" "$PK_WORK/rpm/SOURCES/"
	rpmbuild -bb --nodeps --define "_topdir $PK_WORK/rpm" "$PK_SRC/early-bind.spec" \
		>"$PK_WORK/rpm-build.log" 2>&1
	check "rpmbuild -bb early-bind.spec (log: $PK_WORK/rpm-build.log)" [ $? -eq 0 ] || return 1
	PK_RPM=$(find "$PK_WORK/rpm/RPMS" -name "early-bind-$PK_VERSION-1*.rpm" | head -n 1)
	check "it built early-bind-$PK_VERSION-1.ARCH.rpm" [ -s "$PK_RPM" ]
}

# pk_scriptlet_has NAME TEXT: the RPM's NAME scriptlet contains TEXT.
pk_scriptlet_has() {
	awk -v s="$1 scriptlet" 'index($0, " scriptlet") { on = (index($0, s) == 1) } on' \
		"$PK_WORK/rpm.scripts" | grep -qF -- "$2"
}

# pk_rpmlintrc: the filters for this rpmlint; those for checks that
# rpmlint 2.4 (Debian 12) lacks only for a newer one, since rpmlint counts
# a filter that no message used as an error.
pk_rpmlintrc() {
	cat "$ROOT/tests/packages/rpmlintrc"
	case $(rpmlint --version 2>/dev/null) in
	1.* | 2.[0-4] | 2.[0-4].*) ;;
	*) cat "$ROOT/tests/packages/rpmlintrc-newer" ;;
	esac
}

pk_check_rpm() {
	rpm -qlp "$PK_RPM" >"$PK_WORK/rpm.list" 2>/dev/null
	check ".rpm holds the binary, the glue, the dracut module, the boot-menu files" \
		pk_has_lines "$PK_WORK/rpm.list" "$PK_COMMON_FILES"
	check ".rpm leaves Debian's initramfs-tools and Arch's mkinitcpio files out" \
		[ -z "$(grep -e initramfs-tools -e initcpio "$PK_WORK/rpm.list")" ]
	rpm -qcp "$PK_RPM" >"$PK_WORK/rpm.conffiles" 2>/dev/null
	check ".rpm config files: /etc/default/early-bind, /etc/grub.d/42_early-bind" \
		pk_has_lines "$PK_WORK/rpm.conffiles" "$PK_CONFFILES"
	rpm -qp --scripts "$PK_RPM" >"$PK_WORK/rpm.scripts" 2>/dev/null
	for pk_s in posttrans postuninstall; do
		check ".rpm's $pk_s regenerates the images (dracut -f --regenerate-all)" \
			pk_scriptlet_has "$pk_s" 'dracut -f --regenerate-all'
	done
	pk_rpmlintrc >"$PK_WORK/rpmlintrc"
	rpmlint -r "$PK_WORK/rpmlintrc" "$PK_RPM" "$PK_SRC/early-bind.spec" \
		>"$PK_WORK/rpmlint.log" 2>&1
	grep -E ': [WE]: ' "$PK_WORK/rpmlint.log" | sed 's/^/packages: rpmlint: /' >&2
	check "rpmlint reports no error (log: $PK_WORK/rpmlint.log)" \
		[ -z "$(grep ': E: ' "$PK_WORK/rpmlint.log")" ]
}
