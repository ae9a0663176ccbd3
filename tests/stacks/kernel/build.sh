#!/bin/sh
# Builds the "Ubuntu-like" test kernel: Debian 13's linux source package
# (EB_UK_VERSION, fetched through an apt configuration private to build/)
# with x86_64_defconfig + ubuntu-vfio.config merged over it: vfio, vfio-pci,
# vfio_iommu_type1, iommufd and the VFIO device files built in, as Ubuntu
# has them. Never installs anything on this machine: the output is
#   $EB_UK_DIR/out/boot/{vmlinuz,config,System.map}-KVER
#   $EB_UK_DIR/out/lib/modules/KVER   (modules_install, depmod run)
#   $EB_UK_DIR/out/KVER               (the kernel release, one line)
# cached under a stamp keyed on the source version and the fragment's hash.
# Prints the timings to $EB_UK_DIR/times and the kernel release on stdout.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
: "${EB_UK_VERSION:=6.12.107-1}"
: "${EB_UK_DIR:=$ROOT/build/stacks/kernel-ubuntu}"
: "${EB_UK_JOBS:=2}"
FRAG=$HERE/ubuntu-vfio.config
UPSTREAM=${EB_UK_VERSION%-*}
SRC=$EB_UK_DIR/src/linux-$UPSTREAM
OBJ=$EB_UK_DIR/obj
OUT=$EB_UK_DIR/out
APT=$EB_UK_DIR/apt
KEY=$(printf '%s\n' "$EB_UK_VERSION" | cat - "$FRAG" "$0" | sha256sum | cut -c1-16)
STAMP=$EB_UK_DIR/stamp

log() { echo "ubuntu-kernel: $*" >&2; }

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$KEY" ] && [ -s "$OUT/KVER" ]; then
	log "cached ($EB_UK_VERSION, $KEY)"
	cat "$OUT/KVER"
	exit 0
fi

aptq() {
	apt-get -q -o Dir::Etc::SourceList="$APT/sources.list" \
		-o Dir::Etc::SourceParts=/nonexistent \
		-o Dir::State::Lists="$APT/lists" -o Dir::Cache="$APT/cache" \
		-o Dir::State::status=/dev/null -o Debug::NoLocking=1 "$@"
}

# 1. the source package, through Debian's archive (the host's apt sources
# are not touched: the configuration is private to build/)
if [ ! -f "$SRC/.eb-unpacked" ]; then
	t0=$(date +%s)
	mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$EB_UK_DIR/src"
	cat >"$APT/sources.list" <<SRC
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security trixie-security main
SRC
	aptq update >&2
	(cd "$EB_UK_DIR/src" && aptq source --download-only "linux=$EB_UK_VERSION" >&2)
	t1=$(date +%s)
	rm -rf "$SRC"
	(cd "$EB_UK_DIR/src" && dpkg-source -x "linux_$EB_UK_VERSION.dsc" "linux-$UPSTREAM" >/dev/null)
	touch "$SRC/.eb-unpacked"
	t2=$(date +%s)
	echo "download $((t1 - t0)) s, unpack $((t2 - t1)) s (linux $EB_UK_VERSION)" >"$EB_UK_DIR/times.fetch"
	log "$(cat "$EB_UK_DIR/times.fetch")"
fi

# 2. configuration: defconfig + the fragment, every fragment line checked.
# A previous object tree is kept (kbuild rebuilds what the new .config
# changes); `rm -rf build/stacks/kernel-ubuntu/obj` builds from scratch.
t0=$(date +%s)
fresh=incremental
[ -f "$OBJ/vmlinux" ] || fresh="from scratch"
rm -rf "$OUT"
mkdir -p "$OBJ" "$OUT"
make -s -C "$SRC" O="$OBJ" x86_64_defconfig >&2
"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" "$FRAG" >"$OBJ/merge.log" 2>&1
make -s -C "$SRC" O="$OBJ" olddefconfig >&2
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) want=$line ;;
	"# CONFIG_"*" is not set") want=$line ;;
	*) continue ;;
	esac
	opt=$(printf '%s\n' "$want" | sed -E 's/^# (CONFIG_[A-Za-z0-9_]+) is not set$/\1/; s/=.*//')
	have=$(grep -E "^$opt=|^# $opt is not set" "$OBJ/.config" || echo "# $opt is not set")
	if [ "$have" != "$want" ]; then
		log "fragment: wanted '$want', .config has '$have'"
		bad=1
	fi
done <"$FRAG"
[ "$bad" = 0 ] || exit 1

# 3. build and install into private trees only (the release, with
# CONFIG_LOCALVERSION, is known once the build has prepared the tree)
make -s -C "$SRC" O="$OBJ" -j"$EB_UK_JOBS" bzImage modules >"$EB_UK_DIR/build.log" 2>&1 ||
	{ tail -30 "$EB_UK_DIR/build.log" >&2; exit 1; }
KVER=$(make -s -C "$SRC" O="$OBJ" kernelrelease)
t1=$(date +%s)
mkdir -p "$OUT/boot"
make -s -C "$SRC" O="$OBJ" INSTALL_MOD_PATH="$OUT" INSTALL_MOD_STRIP=1 \
	DEPMOD=/sbin/depmod modules_install >&2
rm -f "$OUT/lib/modules/$KVER/build" "$OUT/lib/modules/$KVER/source"
cp "$OBJ/arch/x86/boot/bzImage" "$OUT/boot/vmlinuz-$KVER"
cp "$OBJ/.config" "$OUT/boot/config-$KVER"
cp "$OBJ/System.map" "$OUT/boot/System.map-$KVER"
/sbin/depmod -b "$OUT" "$KVER"
t2=$(date +%s)
echo "$KVER" >"$OUT/KVER"
echo "config+build $((t1 - t0)) s ($fresh), modules_install+depmod $((t2 - t1)) s, total $((t2 - t0)) s (-j$EB_UK_JOBS, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)" >"$EB_UK_DIR/times"
log "$(cat "$EB_UK_DIR/times")"
echo "$KEY" >"$STAMP"
echo "$KVER"
