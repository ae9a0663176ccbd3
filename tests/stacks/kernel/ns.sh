#!/bin/sh
# TEST ONLY: runs COMMAND in the private mount namespace that check.sh makes
# (`unshare -m`), where the Ubuntu-like kernel looks installed to
# mkinitramfs, dracut and the boot tests: a tmpfs over /usr/lib/modules
# holding only the bind-mounted, read-only modules tree, and a tmpfs over
# /boot holding its vmlinuz, config and System.map. Nothing of this is
# visible outside the namespace; the host's /boot and /lib/modules are
# never written.
# usage: unshare -m --propagation private sh ns.sh OUT KVER COMMAND...
set -eu
out=$1 kver=$2
shift 2
[ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] || {
	echo "ns.sh: not in a private mount namespace (run it under unshare -m)" >&2
	exit 2
}
mods=$(readlink -f /lib/modules)
mount -t tmpfs -o mode=0755,size=1m eb-uk-modules "$mods"
mkdir "$mods/$kver"
mount --bind "$out/lib/modules/$kver" "$mods/$kver"
mount -o remount,bind,ro "$mods/$kver"
mount -t tmpfs -o mode=0755,size=64m eb-uk-boot /boot
for f in vmlinuz config System.map; do
	cp "$out/boot/$f-$kver" "/boot/$f-$kver"
done
exec "$@"
