# shellcheck shell=sh
# What each flavour's image holds, checked before any boot: the staged
# binary and glue, the vfio and native driver modules, the init system the
# flavour stands for, and that the binary runs in the image's own root.
# Sourced by run-matrix.sh (after lib.sh and tests/results.sh).

# unpack_image FLAVOUR IMAGE: unpacks IMAGE, prints the directory of its
# main (last) archive (with the early one's files for dracut and mkinitcpio).
unpack_image() {
	ui_dir=$EB_WORK/unpacked-$1
	rm -rf -- "${ui_dir:?}"
	mkdir -p "$ui_dir"
	case $1 in
	itools)
		unmkinitramfs "$2" "$ui_dir" >/dev/null 2>&1
		[ -d "$ui_dir/main" ] && ui_dir=$ui_dir/main
		;;
	*)
		# The early archive too, into the same tree, as the kernel
		# unpacks them: mkinitcpio moves files that are compressed
		# already (.ko.xz modules, Debian 13 on) into it.
		(cd "$ui_dir" && lsinitrd --unpack "$2" && lsinitrd --unpackearly "$2") >/dev/null 2>&1
		;;
	esac
	echo "$ui_dir"
}

# has_file NAME DIR...: a file named NAME (glob) somewhere below a DIR.
has_file() {
	hf_name=$1
	shift
	[ -n "$(find "$@" -name "$hf_name" 2>/dev/null | head -n 1)" ]
}

is_exec_file() {
	[ -f "$1" ] && [ -x "$1" ]
}

# systemd_init DIR: the image's systemd binary, if it has one.
systemd_init() {
	find "$1" -path '*/lib/systemd/systemd' | head -n 1
}

is_systemd_initrd() { # DIR
	[ -n "$(systemd_init "$1")" ] && has_file dracut-pre-udev.service "$1"
}

# inspect_payload FLAVOUR DIR STAGE: the binary, the glue and the modules.
inspect_payload() {
	check "$1 image: /usr/sbin/early-bind present" \
		is_exec_file "$2/usr/sbin/early-bind"
	check "$1 image: /usr/sbin/early-bind is the staged binary" \
		cmp -s "$2/usr/sbin/early-bind" "$3/usr/sbin/early-bind"
	check "$1 image: /usr/lib/early-bind/early-bind-boot.sh present" \
		test -f "$2/usr/lib/early-bind/early-bind-boot.sh"
	for ip_mod in vfio-pci vfio vfio-pci-core vfio_iommu_type1 irqbypass \
		bochs snd-hda-intel xhci-pci; do
		if builtin_module "$ip_mod"; then
			check "$1 image: $ip_mod built into the kernel, modules.builtin present" \
				has_file modules.builtin.bin "$2"
		else
			check "$1 image: $ip_mod.ko present" has_file "$ip_mod.ko*" "$2"
		fi
	done
	# Run it inside the image's own root: proves it needs nothing the
	# image lacks (static, no loader, no libraries).
	if ip_out=$(chroot "$2" /usr/sbin/early-bind --help 2>&1) &&
		printf '%s\n' "$ip_out" | grep -q 'vfio.devices='; then
		ok "$1 image: chroot IMAGE /usr/sbin/early-bind --help runs"
	else
		fail "$1 image: chroot IMAGE /usr/sbin/early-bind --help runs ($(printf '%s' "$ip_out" | head -n 2))"
	fi
}

# builtin_module NAME: the kernel (EB_KVER) has NAME built in, as Ubuntu's
# has vfio, vfio-pci and vfio_iommu_type1 (tests/stacks/kernel).
builtin_module() {
	grep -qE "/$1\.ko\$" "/lib/modules/$EB_KVER/modules.builtin" 2>/dev/null
}

# order_line ORDER SCRIPT: the line of init-top/ORDER that runs SCRIPT.
order_line() {
	grep -n "/scripts/init-top/$2" "$1" 2>/dev/null | head -n 1 | cut -d: -f1
}

# inspect_init FLAVOUR DIR: the binder runs before udev, in the init
# system the flavour stands for.
inspect_init() {
	case $1 in
	itools)
		in_order=$2/scripts/init-top/ORDER
		in_eb=$(order_line "$in_order" early-bind)
		in_udev=$(order_line "$in_order" udev)
		if [ -n "$in_eb" ] && [ -n "$in_udev" ] && [ "$in_eb" -lt "$in_udev" ]; then
			ok "$1 image: scripts/init-top/ORDER runs early-bind before udev"
		else
			fail "$1 image: scripts/init-top/ORDER runs early-bind before udev ($(tr '\n' ' ' <"$in_order" 2>/dev/null))"
		fi
		return
		;;
	mkcpio | mkcpio-systemd)
		inspect_mkcpio "$1" "$2"
		return
		;;
	esac
	check "$1 image: pre-udev hook installed" \
		has_file '*early-bind*' "$2/lib/dracut/hooks/pre-udev/" "$2/var/lib/dracut/hooks/pre-udev/"
	case $1 in
	dsystemd)
		check "$1 image: systemd initrd with dracut-pre-udev.service" is_systemd_initrd "$2"
		;;
	dclassic)
		check "$1 image: classic init (no systemd)" test -z "$(systemd_init "$2")"
		;;
	esac
}

# inspect_mkcpio FLAVOUR DIR: the runtime hook and the unit are in; the
# busybox init runs early-bind's early hook before udev's, which starts
# udevd, and the systemd one is systemd.
inspect_mkcpio() {
	check "$1 image: hooks/early-bind installed" is_exec_file "$2/hooks/early-bind"
	check "$1 image: early-bind.service wanted by sysinit.target" \
		test -f "$2/usr/lib/systemd/system/sysinit.target.wants/early-bind.service"
	# An image of the systemd hook without 'base' has no shell for the glue.
	check "$1 image: early-bind.service runs the binary itself, no shell" \
		grep -qx 'ExecStart=/usr/sbin/early-bind boot' "$2/usr/lib/systemd/system/early-bind.service"
	if [ "$1" = mkcpio-systemd ]; then
		check "$1 image: /init is systemd" \
			test "$(readlink "$2/init")" = usr/lib/systemd/systemd
		return
	fi
	im_early=$(sed -n 's/^EARLYHOOKS="\(.*\)"$/ \1 /p' "$2/config" 2>/dev/null)
	case $im_early in
	*" early-bind udev "* | *" early-bind "*" udev "*) ok "$1 image: config runs early-bind's early hook before udev's" ;;
	*) fail "$1 image: config runs early-bind's early hook before udev's (EARLYHOOKS=$im_early)" ;;
	esac
}

# inspect_image FLAVOUR IMAGE STAGE: what the image holds.
inspect_image() {
	ii_dir=$(unpack_image "$1" "$2")
	inspect_payload "$1" "$ii_dir" "$3"
	inspect_init "$1" "$ii_dir"
}

# inspect_hostonly FLAVOUR STAGE: host-only mode drops modules that match
# no device of the build host; installkernel() must keep vfio-pci and its
# softdeps.
inspect_hostonly() {
	ih_img=$EB_WORK/$1-hostonly.img
	if ! EB_DRACUT_HOSTONLY=1 eb_build "$1" "$2" "$ih_img" with hostonly; then
		fail "$1/hostonly: host-only image builds (see $EB_BUILD_LOG)"
		return
	fi
	timing "build $1 (host-only): $EB_BUILD_SECS"
	lsinitrd "$ih_img" >"$EB_WORK/$1-hostonly.list" 2>/dev/null
	for ih_m in vfio-pci vfio_iommu_type1 early-bind; do
		if builtin_module "$ih_m"; then
			ok "$1/hostonly: $ih_m is built into the kernel"
			continue
		fi
		check "$1/hostonly: host-only image keeps $ih_m" \
			grep -qE "/$ih_m(\.ko.*)?\$" "$EB_WORK/$1-hostonly.list"
	done
}
