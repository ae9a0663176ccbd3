// SPDX-License-Identifier: GPL-2.0-or-later
/* `early-bind boot`: what the initramfs runs before udev loads drivers. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "engine/bind.h"
#include "engine/deadline.h"
#include "engine/host.h"
#include "engine/log.h"
#include "engine/progress.h"
#include "engine/rootfs.h"

/*
 * A --sysroot tree is held to the same rule as this machine, so that the
 * fixture cases exercise the decision the boot makes.
 */
static int boot_check_usage(const struct options *o)
{
	if (o->ctx.dry_run || o->ctx.force || rootfs_is_initramfs(o->ctx.root_fd))
		return 0;
	log_error("'boot' runs from the initramfs; %s is a running system "
		  "(its root is not the kernel's rootfs holding etc/initrd-release, "
		  "usr/lib/initrd-release or initramfs-tools' conf/initramfs.conf and "
		  "scripts/init-top), so nothing was changed. "
		  "Use --dry-run to see the plan, or --force if you really mean to rebind now",
		  context_real_system(&o->ctx) ? "this" : "the --sysroot tree");
	return -EINVAL;
}

static int bind_requested(const struct options *o)
{
	char value[CMDLINE_MAX];
	int err;

	err = host_read_parameter(&o->ctx, value, sizeof(value), "nothing was bound");
	if (err < 0)
		return bind_record_unreadable(&o->ctx, err);
	if (err == 0)
		return 0; /* absent: nothing to do, and nothing logged */
	return bind_value(&o->ctx, value, BIND_AT_BOOT);
}

static int work(const struct options *o)
{
	int err;

	if (!o->ctx.dry_run)
		progress_begin(o->ctx.root_fd);
	err = bind_requested(o);
	progress_end();
	return err;
}

/*
 * The parent's side once the deadline passed: the child may sit in an
 * unbind no signal ends, so it is left to finish on its own (it changes
 * nothing from now on) and the boot goes on.
 */
static int report_timeout(const struct options *o)
{
	char step[512];

	if (progress_read(o->ctx.root_fd, step, sizeof(step)) <= 0)
		snprintf(step, sizeof(step), "no step recorded");
	log_error(
	    "boot has not finished after %u s, stuck at: %s; the boot goes on without it, and it takes no function from its driver from now on: those not taken yet stay as they are ('early-bind status' lists them once the system is up, 'early-bind bind' takes them then)",
	    deadline_seconds(), step);
	return -ETIMEDOUT;
}

/*
 * Waits for the child PID until the deadline, without polling: SIGCHLD is
 * blocked (by the caller, before the fork), so sigtimedwait() sleeps until
 * the child ends or the time is up. The child's status 0 is success, any
 * other a failure it explained itself, or a death that is said here.
 */
static int wait_for_work(const struct options *o, pid_t pid, const sigset_t *chld)
{
	struct timespec left;
	long ms;
	int status;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return -errno;
		ms = deadline_left_ms();
		if (ms == 0)
			return report_timeout(o);
		left.tv_sec = ms / 1000;
		left.tv_nsec = (ms % 1000) * 1000000L;
		sigtimedwait(chld, NULL, &left);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 0 ? 0 : -EIO;
	log_error(
	    "its work ended by signal %d (%s); devices may be left unbound: 'early-bind status' says how far it got",
	    WTERMSIG(status), strsignal(WTERMSIG(status)));
	return -EIO;
}

/*
 * The work runs in a child so that the boot waits for it with a limit (a
 * stuck unbind blocks the child, not this process); one program owns the
 * deadline, so the child knows it too and stops changing drivers there.
 */
static int cmd_boot(const struct options *o, char **args, int n)
{
	sigset_t chld, old;
	pid_t pid;
	int err;

	(void)args;
	(void)n;
	if (!o->ctx.dry_run)
		log_to_kmsg_below(o->ctx.root_fd);
	deadline_start(o->deadline ? o->deadline : DEADLINE_DEFAULT_S);
	/* An inherited SIG_IGN would reap the child unseen: waitpid() needs the default. */
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, &old) < 0)
		return work(o);
	fflush(NULL); /* nothing buffered gets written twice */
	pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return work(o);
	}
	if (pid < 0) {
		/* Without a child the run has no time limit, but it still binds. */
		log_warning(
		    "cannot start the work in a child process (%s), so the boot waits for it with no time limit",
		    strerror(errno));
		sigprocmask(SIG_SETMASK, &old, NULL);
		return work(o);
	}
	err = wait_for_work(o, pid, &chld);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return err;
}

const struct command command_boot = {
	.name = "boot",
	.run = cmd_boot,
	.check_usage = boot_check_usage,
	.takes = TAKES_SYSROOT | TAKES_CMDLINE | TAKES_DRY_RUN | TAKES_FORCE | TAKES_DEADLINE,
	.min_args = 0,
	.max_args = 0,
	.synopsis = "boot [--cmdline STRING] [--dry-run] [--force] [--deadline SECONDS]",
	.summary = "bind what vfio.devices= asks for (run by the initramfs)",
	.help = "Binds what vfio.devices= on the kernel command line asks for and records\n"
		"it in /run/early-bind/state. The initramfs runs it before udev; on a\n"
		"running system it refuses unless --dry-run or --force. It returns after\n"
		"--deadline seconds (15) at the latest and changes no driver after that.\n",
};
