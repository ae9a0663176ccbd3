# shellcheck shell=sh
# early-bind boot glue, shared by the initramfs-tools init-top script and the
# dracut pre-udev hook.  Both source this file, so it only defines functions:
# it must never `exit` (in dracut that would kill init and panic the kernel),
# never fail (a boot must go on even when binding does not) and it keeps its
# variables behind an early_bind_ prefix because it runs in the caller's shell.

# Fixed path inside every image; the build hooks copy the binary there.
EARLY_BIND_BIN=/usr/sbin/early-bind
# The kernel log; a variable only so that tests can point it elsewhere.
EARLY_BIND_KMSG=/dev/kmsg
# The kernel command line; a variable only so that tests can point it elsewhere.
EARLY_BIND_CMDLINE=/proc/cmdline
# The wait has a limit, but it is the binary's (boot --deadline, 15 s): a
# driver whose unbind never returns leaves a process in uninterruptible
# sleep, which no signal ends, and nothing else would bound the wait
# (initramfs-tools waits for each init-top script, and the systemd initrd
# runs the pre-udev hook in a oneshot unit, which has no start timeout).
# The binary does its work in a child, returns when that ends or at the
# deadline, and then changes no driver: one program knows the time.

# early_bind_log LEVEL MESSAGE: one "early-bind: LEVEL: MESSAGE" line (the
# binary's format; LEVEL is error or warning) on stderr and in the kernel
# log.  /dev/kmsg is used because udev is not running yet, the console may
# be quiet and, in the systemd initrd, stdout only reaches the journal.
# The <N> prefix sets the kernel log level (3 = error, 4 = warning).
early_bind_log() {
	case $1 in
	error) early_bind_prio=3 ;;
	*) early_bind_prio=4 ;;
	esac
	early_bind_msg="early-bind: $1: $2"
	printf '%s\n' "$early_bind_msg" >&2
	if [ -w "$EARLY_BIND_KMSG" ]; then
		printf '<%s>%s\n' "$early_bind_prio" "$early_bind_msg" >>"$EARLY_BIND_KMSG" 2>/dev/null || :
	fi
	unset early_bind_prio early_bind_msg
}

# early_bind_boot [CMDLINE]: bind what vfio.devices= asks for.  With an
# argument the binary parses that string (dracut passes /etc/cmdline.d plus
# /proc/cmdline); without one it reads /proc/cmdline itself.  Always returns
# 0, within the binary's deadline.
early_bind_boot() {
	if [ ! -e "$EARLY_BIND_BIN" ]; then
		early_bind_log error "$EARLY_BIND_BIN is missing from the initramfs, no device was bound to vfio-pci (rebuild the initramfs with early-bind installed)"
		return 0
	fi
	if [ ! -x "$EARLY_BIND_BIN" ]; then
		early_bind_log error "$EARLY_BIND_BIN is not executable, no device was bound to vfio-pci"
		return 0
	fi

	# Most boots do not ask for anything: skip the exec (it costs time in
	# an initramfs) when the command line cannot hold the parameter; the
	# binary decides everything else.
	if [ $# -gt 0 ]; then
		early_bind_cmdline=$1
	else
		early_bind_cmdline=
		read -r early_bind_cmdline <"$EARLY_BIND_CMDLINE" 2>/dev/null || :
	fi
	case $early_bind_cmdline in
	*vfio.devices=*) unset early_bind_cmdline ;;
	*)
		unset early_bind_cmdline
		return 0
		;;
	esac

	# The binary logs its own result, a deadline it hit included; status 1
	# ("something failed") has already been explained by it.  Anything else
	# means it could not run or died (usage error, exec failure, signal),
	# which it cannot report itself.  "|| rc=$?" keeps a caller's `set -e`
	# from aborting.
	early_bind_rc=0
	if [ $# -gt 0 ]; then
		"$EARLY_BIND_BIN" boot --cmdline "$1" || early_bind_rc=$?
	else
		"$EARLY_BIND_BIN" boot || early_bind_rc=$?
	fi
	case $early_bind_rc in
	0 | 1) ;;
	*) early_bind_log error "$EARLY_BIND_BIN boot ended with status $early_bind_rc, devices may be left unbound" ;;
	esac
	unset early_bind_rc
	return 0
}
