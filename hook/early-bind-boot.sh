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
# Where the binary records the step it is in (its "step" file) and the glue
# learns its exit status; a variable only so that tests can point it elsewhere.
EARLY_BIND_RUN=/run/early-bind
# The kernel command line; a variable only so that tests can point it elsewhere.
EARLY_BIND_CMDLINE=/proc/cmdline
# How long the boot waits for the binary, in seconds.  A whole run takes well
# under a second (about 80 ms under QEMU emulation); its slowest step, taking
# a GPU from its driver, takes milliseconds to a few seconds.  A driver whose
# unbind never returns leaves the binary in uninterruptible sleep, which no
# signal ends, and nothing else would bound the wait: initramfs-tools waits
# for each init-top script, and the systemd initrd runs the pre-udev hook in
# a oneshot unit, which has no start timeout.  15 s leaves a slow driver
# several times what it needs and still lets the boot go on.
EARLY_BIND_TIMEOUT=15

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

# early_bind_run [CMDLINE]: runs the binary and returns its status.
early_bind_run() {
	if [ $# -gt 0 ]; then
		"$EARLY_BIND_BIN" boot --cmdline "$1"
	else
		"$EARLY_BIND_BIN" boot
	fi
}

# early_bind_wait PID: waits up to EARLY_BIND_TIMEOUT seconds for the binary
# started as PID to write its status to $EARLY_BIND_RUN/exit-status (a file,
# because a shell cannot wait for a child with a time limit, and `kill -0`
# succeeds on a zombie).  Returns 1 when it has not.  Polls every 50 ms, so
# a normal run costs at most that much more; `sleep` takes whole seconds only
# in some images, and without any sleep the wait has no limit, as before.
early_bind_wait() {
	early_bind_tick=0.05
	early_bind_left=$((EARLY_BIND_TIMEOUT * 20))
	while [ ! -s "$EARLY_BIND_RUN/exit-status" ]; do
		if [ "$early_bind_left" -le 0 ]; then
			return 1
		fi
		if sleep "$early_bind_tick" 2>/dev/null; then
			early_bind_left=$((early_bind_left - 1))
		elif [ "$early_bind_tick" = 0.05 ]; then
			early_bind_tick=1
			early_bind_left=$EARLY_BIND_TIMEOUT
		else
			wait "$1" 2>/dev/null || :
		fi
	done
	return 0
}

# early_bind_timed [CMDLINE]: runs the binary in the background and sets
# early_bind_rc to its status, or to "timeout" when it did not end in time.
# The status file must be creatable, or the wait would always time out: if
# it is not, the binary runs in the foreground, with no limit.  Creating it
# empties a status an earlier run left, so that works without rm.  `true`, not
# `:`: a failed redirection of a special builtin makes dash exit, here init.
early_bind_timed() {
	early_bind_rc=0
	rm -f "$EARLY_BIND_RUN/exit-status" "$EARLY_BIND_RUN/step" 2>/dev/null || :
	if ! { [ -d "$EARLY_BIND_RUN" ] || mkdir "$EARLY_BIND_RUN"; } 2>/dev/null ||
		! true 2>/dev/null >"$EARLY_BIND_RUN/exit-status"; then
		early_bind_log warning "cannot create $EARLY_BIND_RUN/exit-status, so the boot waits for $EARLY_BIND_BIN with no time limit"
		early_bind_run "$@" || early_bind_rc=$?
		return 0
	fi
	# A subshell inherits the caller's `set -e`: "|| rc=$?" keeps it to
	# the echo even when the binary fails.
	(
		early_bind_rc=0
		early_bind_run "$@" || early_bind_rc=$?
		echo "$early_bind_rc" >"$EARLY_BIND_RUN/exit-status"
	) &
	early_bind_pid=$!
	if early_bind_wait "$early_bind_pid"; then
		read -r early_bind_rc <"$EARLY_BIND_RUN/exit-status" || :
		wait "$early_bind_pid" 2>/dev/null || :
		# An image may lack rm (klibc has none): then the empty directory stays.
		rm -f "$EARLY_BIND_RUN/exit-status" 2>/dev/null || :
		# Nothing asked for (no vfio.devices=): leave no directory behind.
		rmdir "$EARLY_BIND_RUN" 2>/dev/null || :
	else
		early_bind_rc=timeout
	fi
	unset early_bind_pid early_bind_tick early_bind_left
}

# early_bind_boot [CMDLINE]: bind what vfio.devices= asks for.  With an
# argument the binary parses that string (dracut passes /etc/cmdline.d plus
# /proc/cmdline); without one it reads /proc/cmdline itself.  Always returns
# 0, within EARLY_BIND_TIMEOUT seconds.
early_bind_boot() {
	if [ ! -e "$EARLY_BIND_BIN" ]; then
		early_bind_log error "$EARLY_BIND_BIN is missing from the initramfs, no device was bound to vfio-pci (rebuild the initramfs with early-bind installed)"
		return 0
	fi
	if [ ! -x "$EARLY_BIND_BIN" ]; then
		early_bind_log error "$EARLY_BIND_BIN is not executable, no device was bound to vfio-pci"
		return 0
	fi

	# Most boots do not ask for anything: skip the background run, its
	# polling and the execs around it (each costs time in an initramfs)
	# when the command line cannot hold the parameter; the binary decides
	# everything else.
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

	# The binary logs its own result; status 1 ("something failed") has
	# already been explained by it.  Anything else non-zero means it could
	# not run or died (usage error, exec failure, signal), which it cannot
	# report itself.  "|| :" keeps a caller's `set -e` from aborting.
	early_bind_timed "$@" || :
	case $early_bind_rc in
	0 | 1) ;;
	timeout)
		early_bind_step=
		if [ -r "$EARLY_BIND_RUN/step" ]; then
			read -r early_bind_step <"$EARLY_BIND_RUN/step" || :
		fi
		early_bind_log error "$EARLY_BIND_BIN boot has not finished after $EARLY_BIND_TIMEOUT s, stuck at: ${early_bind_step:-no step recorded}; the boot goes on without it and devices may be left unbound (it may still finish in the background; its status would then be in $EARLY_BIND_RUN/exit-status)"
		unset early_bind_step
		;;
	*) early_bind_log error "$EARLY_BIND_BIN boot ended with status $early_bind_rc, devices may be left unbound" ;;
	esac
	unset early_bind_rc
	return 0
}
