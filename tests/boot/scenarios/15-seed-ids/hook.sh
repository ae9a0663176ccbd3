#!/bin/sh
# TEST ONLY (tests/boot), never installed: the seed-ids scenario's
# initramfs-tools hook.  The article's /etc/modprobe.d/vfio.conf, which
# update-initramfs copies from the host's /etc/modprobe.d (here, from this
# folder, so the host's own is never read).  @TESTDIR@: tests/boot/lib.sh.
PREREQ=""
prereqs() {
	echo "$PREREQ"
}
case $1 in
prereqs)
	prereqs
	exit 0
	;;
esac

mkdir -p "$DESTDIR/etc/modprobe.d"
cp @TESTDIR@/scenarios/15-seed-ids/vfio.conf "$DESTDIR/etc/modprobe.d/vfio.conf"
exit 0
