#!/bin/sh
# shellcheck shell=sh
# dracut pre-udev hook of the early-bind module.  dracut SOURCES hooks into
# its init (classic) or into dracut-pre-udev (systemd initrd), so this file
# must never `exit` and must leave no state behind but functions.

if [ -r /usr/lib/early-bind/early-bind-boot.sh ]; then
	# shellcheck source=/dev/null # image path; the file is hook/early-bind-boot.sh
	. /usr/lib/early-bind/early-bind-boot.sh
	# Pass dracut's whole command line: getcmdline (dracut-lib.sh, already
	# loaded by the caller) adds /etc/cmdline.d/*.conf and /etc/cmdline to
	# /proc/cmdline, which the binary alone would not see.
	if command -v getcmdline >/dev/null 2>&1; then
		early_bind_boot "$(getcmdline)"
	else
		early_bind_boot
	fi
else
	echo "<3>early-bind: error: /usr/lib/early-bind/early-bind-boot.sh is missing from the initramfs, no device was bound to vfio-pci" >/dev/kmsg 2>/dev/null
fi
