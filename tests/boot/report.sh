#!/bin/sh
# TEST ONLY, never installed.  Runs in the guest's initramfs once udev has
# coldplugged: writes what the boot tests assert on to the second serial port
# (ttyS1, a port of its own so nothing interleaves with it), then powers the
# VM off.  Usage: report.sh TAG
#
# Format, one record a line:
#   EBT begin TAG
#   EBT pci ADDR VENDOR:DEVICE CLASS DRIVER GROUP OVERRIDE
#   EBT vfio-module yes|no
#   EBT module NAME STATE     (vfio, vfio_pci, vfio_iommu_type1, iommufd:
#                              builtin: /sys/module/NAME without initstate,
#                              live/coming/going: a loaded module's
#                              initstate, absent: no /sys/module/NAME)
#   EBT vfio-cdev ADDR vfioN yes|no  (the function's vfio-dev/vfioN in
#                             sysfs; yes: /dev/vfio/devices/vfioN is a
#                             character device, CONFIG_VFIO_DEVICE_CDEV)
#   EBT iommu-groups N
#   EBT cmdline ...
#   EBT state LINE            (/run/early-bind/state, if the binder wrote it)
#   EBT kmsg LINE             (the whole dmesg)
#   EBN ...                   (tests/boot/nested-vm.sh, if in the image)
#   EBC ...                   (tests/commands/guest-checks.sh, if in the image)
#   EBT end

tag=${1:-unknown}
out=/run/ebtest-report
port=/dev/ttyS1

# Once only (dracut's systemd unit and initqueue hook could both fire).
mkdir /run/ebtest-done 2>/dev/null || exit 0

# Coldplug must be over: every native driver that udev loads is bound.
udevadm settle --timeout=60 >/dev/null 2>&1

base() {
	v=$(readlink "$1" 2>/dev/null) || { echo none; return; }
	echo "${v##*/}"
}

{
	echo "EBT begin $tag"
	for d in /sys/bus/pci/devices/*; do
		[ -e "$d/vendor" ] || continue
		ven=$(cat "$d/vendor")
		dev=$(cat "$d/device")
		cls=$(cat "$d/class")
		ovr=$(cat "$d/driver_override" 2>/dev/null)
		echo "EBT pci ${d##*/} ${ven#0x}:${dev#0x} ${cls#0x} $(base "$d/driver") $(base "$d/iommu_group") ${ovr:-(null)}"
	done
	if [ -e /sys/module/vfio ]; then
		echo "EBT vfio-module yes"
	else
		echo "EBT vfio-module no"
	fi
	for m in vfio vfio_pci vfio_iommu_type1 iommufd; do
		if [ -r "/sys/module/$m/initstate" ]; then
			echo "EBT module $m $(cat "/sys/module/$m/initstate")"
		elif [ -d "/sys/module/$m" ]; then
			echo "EBT module $m builtin"
		else
			echo "EBT module $m absent"
		fi
	done
	for c in /sys/bus/pci/devices/*/vfio-dev/vfio*; do
		[ -e "$c" ] || continue
		a=${c%/vfio-dev/*}
		f=no
		[ -c "/dev/vfio/devices/${c##*/}" ] && f=yes
		echo "EBT vfio-cdev ${a##*/} ${c##*/} $f"
	done
	n=0
	for g in /sys/kernel/iommu_groups/*; do
		[ -e "$g" ] && n=$((n + 1))
	done
	echo "EBT iommu-groups $n"
	echo "EBT cmdline $(cat /proc/cmdline)"
	if [ -r /run/early-bind/state ]; then
		sed 's/^/EBT state /' /run/early-bind/state
	fi
	dmesg | sed 's/^/EBT kmsg /'
	# The nested VM (nested-vm scenario only), before the operator commands
	# so that it sees the functions as the boot left them.
	if [ -r /usr/lib/ebtest/nested-vm.sh ]; then
		/bin/sh /usr/lib/ebtest/nested-vm.sh
	fi
	# The operator commands in the booted guest, after the snapshot above so
	# that their runtime release and bind change none of it.
	if [ -r /usr/lib/ebtest/guest-checks.sh ]; then
		/bin/sh /usr/lib/ebtest/guest-checks.sh
	fi
	echo "EBT end"
} >"$out" 2>&1

# close() on a tty waits until the output has drained, so once cat returns
# the host has the whole report.
cat "$out" >"$port"
echo "ebtest: report for $tag written to ttyS1, powering off" >/dev/console
sync
echo o >/proc/sysrq-trigger
sleep 20
poweroff -f
