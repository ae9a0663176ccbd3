# shellcheck shell=sh
# The helpers a case's setup may call. Sourced by run-cases.sh into the
# shell that runs the setup, with the tree as the current directory and
# $ROOT (the tree), $CASE (the case directory), $BINARY, $WORK (the
# runner's scratch directory) and $TESTS (tests/) exported.

# use_pci_ids: the committed pci.ids subset, so names do not depend on the host.
use_pci_ids() {
	mkdir -p "$ROOT/usr/share/misc"
	cp "$TESTS/commands/pci.ids" "$ROOT/usr/share/misc/pci.ids"
}

# use_image NAME DEST: a real initramfs image (built once, see
# commands/images.sh) at ROOT/DEST.
use_image() {
	sh "$TESTS/commands/images.sh" "$WORK/images" "$1" >"$WORK/images-$1.log" 2>&1 || {
		echo "setup: building image $1 failed; see $WORK/images-$1.log" >&2
		return 1
	}
	mkdir -p "$(dirname "$ROOT/$2")"
	cp "$WORK/images/$1.img" "$ROOT/$2"
	# An uncompressed cpio first: initramfs-tools 0.148 (Debian 13) and
	# dracut 112 (unstable) keep compressed modules there, and `check`
	# describes the image so.
	case $(head -c 6 "$ROOT/$2") in
	070701 | 070702) echo early-archive >"$VARIANT_FILE" ;;
	esac
}

# synthetic_image "COMPRESSOR" DEST [no-vfio]: a small image that holds what
# an early-bind image holds (binary, glue, init-top script, vfio-pci.ko unless
# no-vfio), made with cpio and compressed by COMPRESSOR (a filter command).
synthetic_image() {
	tree=$WORK/synthetic
	rm -rf -- "${tree:?}"
	mkdir -p "$tree/usr/sbin" "$tree/usr/lib/early-bind" "$tree/scripts/init-top" \
		"$tree/usr/lib/modules/6.1.0-56-amd64/kernel/drivers/vfio/pci"
	echo binary >"$tree/usr/sbin/early-bind"
	echo glue >"$tree/usr/lib/early-bind/early-bind-boot.sh"
	echo script >"$tree/scripts/init-top/early-bind"
	if [ "${3:-}" != no-vfio ]; then
		echo module >"$tree/usr/lib/modules/6.1.0-56-amd64/kernel/drivers/vfio/pci/vfio-pci.ko"
	fi
	mkdir -p "$(dirname "$ROOT/$2")"
	(cd "$tree" && find . | sort | cpio --quiet -o -H newc) | $1 >"$ROOT/$2"
}

# mkinitcpio_image DEST busybox|systemd [no-hook]: an image laid out as
# mkinitcpio 41 lays out its build root (initialize_buildroot: usr/sbin -> bin,
# sbin and bin -> usr/bin, lib -> usr/lib, etc/initrd-release), holding what
# hook/mkinitcpio/install/early-bind adds (the binary, installed as
# /usr/sbin/early-bind and so stored as usr/bin/early-bind, the glue, and the
# runtime hook hooks/early-bind or, for the systemd init, early-bind.service
# with its sysinit.target.wants link) unless no-hook; zstd, mkinitcpio's
# default compression.
mkinitcpio_image() {
	tree=$WORK/mkinitcpio
	rm -rf -- "${tree:?}"
	mkdir -p "$tree/new_root" "$tree/proc" "$tree/sys" "$tree/dev" "$tree/run" "$tree/tmp" \
		"$tree/var" "$tree/etc" "$tree/usr/local/bin" "$tree/usr/local/sbin" \
		"$tree/usr/local/lib" "$tree/usr/lib" "$tree/usr/bin" \
		"$tree/usr/lib/modules/6.1.0-56-amd64/kernel/drivers/vfio/pci"
	ln -s usr/lib "$tree/lib"
	ln -s bin "$tree/usr/sbin"
	ln -s usr/bin "$tree/bin"
	ln -s usr/bin "$tree/sbin"
	ln -s ../run "$tree/var/run"
	ln -s lib "$tree/usr/lib64"
	ln -s usr/lib "$tree/lib64"
	printf 41 >"$tree/VERSION"
	echo 'NAME="Arch Linux"' >"$tree/usr/lib/os-release"
	ln -s ../usr/lib/os-release "$tree/etc/initrd-release"
	echo module >"$tree/usr/lib/modules/6.1.0-56-amd64/kernel/drivers/vfio/pci/vfio-pci.ko.zst"
	if [ "${3:-}" != no-hook ]; then
		echo binary >"$tree/usr/sbin/early-bind"
		mkdir -p "$tree/usr/lib/early-bind"
		echo glue >"$tree/usr/lib/early-bind/early-bind-boot.sh"
		if [ "$2" = systemd ]; then
			mkdir -p "$tree/usr/lib/systemd/system/sysinit.target.wants"
			echo '[Unit]' >"$tree/usr/lib/systemd/system/early-bind.service"
			ln -s ../early-bind.service \
				"$tree/usr/lib/systemd/system/sysinit.target.wants/early-bind.service"
		else
			mkdir -p "$tree/hooks"
			echo 'run_earlyhook() { :; }' >"$tree/hooks/early-bind"
		fi
	fi
	mkdir -p "$(dirname "$ROOT/$1")"
	(cd "$tree" && find . | sort | cpio --quiet -o -H newc) | zstd -q >"$ROOT/$1"
}

# device_dir ADDR: the function's directory in the tree, relative to ROOT/sys.
device_dir() {
	dd_path=$(cd "$ROOT/sys/bus/pci/devices/$1" && pwd -P) || return 1
	echo "${dd_path#"$ROOT"/sys/}"
}

# host_disk ADDR NAME: the host has disk NAME, with a partition NAMEp1, on
# the NVMe controller ADDR, as sys/class/block shows them.
host_disk() {
	hd_dir=$(device_dir "$1")/nvme/nvme0/$2 || return 1
	mkdir -p "$ROOT/sys/$hd_dir/${2}p1" "$ROOT/sys/class/block"
	: >"$ROOT/sys/$hd_dir/${2}p1/partition"
	ln -s "../../$hd_dir" "$ROOT/sys/class/block/$2"
	ln -s "../../$hd_dir/${2}p1" "$ROOT/sys/class/block/${2}p1"
}

# host_net ADDR NAME FLAGS: network interface NAME on ADDR, with FLAGS as
# sys/class/net/NAME/flags shows them (0x1003: up, 0x1002: down).
host_net() {
	hn_dir=$(device_dir "$1")/net/$2 || return 1
	mkdir -p "$ROOT/sys/$hn_dir" "$ROOT/sys/class/net"
	echo "$3" >"$ROOT/sys/$hn_dir/flags"
	ln -s "../../$hn_dir" "$ROOT/sys/class/net/$2"
}

# meanwhile PATH COUNT CONTENT HOOK: changes the tree while the binary runs
# (a driver that binds, a device replaced, a file that breaks), so that the
# change lands at one exact point of the run instead of a timed guess.
#   Replaces PATH (relative to the tree) by a named pipe. In the background
#   it waits for each of the first COUNT readers of PATH and gives each
#   CONTENT; while the COUNT-th reader waits (opened, not yet answered) it
#   runs the shell command HOOK in the tree. The run is blocked in that
#   read, so HOOK happens exactly between what the run did before it and
#   what it does after. PATH is a regular file holding CONTENT from then on
#   (already while HOOK runs). A run that never gets that far leaves the
#   server to time out after 60 s.
# shellcheck disable=SC2016 # the server script expands its own arguments
meanwhile() {
	rm -f "$1"
	mkfifo "$1"
	timeout 60 sh -c '
		cd "$1" || exit 1
		n=0
		while [ "$n" -lt "$3" ]; do
			n=$((n + 1))
			exec 3>"$2"
			# The reader that opened it now waits for CONTENT. A new pipe
			# (or, after the last, the regular file) takes the name before
			# it gets it, so the next reader cannot open this one.
			rm "$2"
			if [ "$n" = "$3" ]; then
				eval "$5"
				printf "%s" "$4" >"$2"
			else
				mkfifo "$2"
			fi
			printf "%s" "$4" >&3
			exec 3>&-
		done
	' meanwhile "$ROOT" "$1" "$2" "$3" "$4" </dev/null >/dev/null 2>&1 &
}
