#!/bin/sh
# `make check-ubuntu-kernel`: the boot tests on an Ubuntu-like kernel, vfio,
# vfio-pci, vfio_iommu_type1 and iommufd built in (build.sh builds it from
# Debian 13's linux source package, cached in build/stacks/kernel-ubuntu).
# The boot matrix (tests/boot/run-matrix.sh) runs in a private mount
# namespace where that kernel looks installed (ns.sh), with this folder's
# scenarios; its dracut images take an Ubuntu-like late drop-in
# (dracut.conf.d/90-ubuntu.conf: host-only, sloppy) and no -N/-H, so the
# configuration decides as on Ubuntu.
# usage: check.sh [-f FLAVOURS] [-s SCENARIOS]   (run-matrix.sh's options;
# default flavours: itools dsystemd dclassic)
# Prints run-matrix.sh's ok/FAIL lines; exits 1 on any failure.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
: "${EB_UK_DIR:=$root/build/stacks/kernel-ubuntu}"
export EB_UK_DIR

if [ "$(id -u)" -ne 0 ]; then
	echo "check-ubuntu-kernel: needs root (unshare -m, mount)" >&2
	exit 2
fi
kver=$(sh "$here/build.sh") || {
	echo "FAIL ubuntu-kernel: kernel builds (see $EB_UK_DIR/build.log)"
	echo "0 passed, 1 failed"
	exit 1
}
echo "ok ubuntu-kernel: kernel $kver built ($(cat "$EB_UK_DIR/times" 2>/dev/null || echo cached))"

EB_KVER=$kver \
	EB_WORK=$EB_UK_DIR/boot EB_LOGS=$EB_UK_DIR/boot-logs \
	EB_SCENARIO_DIR=$here/scenarios \
	EB_FLAVOURS=${EB_FLAVOURS:-itools dsystemd dclassic} \
	EB_FULL_FLAVOURS="itools dsystemd dclassic" \
	EB_DRACUT_CONF_D=$here/dracut.conf.d EB_DRACUT_HOSTONLY=conf \
	exec unshare -m --propagation private \
	sh "$here/ns.sh" "$EB_UK_DIR/out" "$kver" \
	sh "$root/tests/boot/run-matrix.sh" "$@"
