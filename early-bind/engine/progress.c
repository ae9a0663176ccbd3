// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/progress.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/log.h"
#include "engine/rootdir.h"

#define PROGRESS_DIR "run/early-bind"
#define PROGRESS_NAME "step"

static int progress_root_fd = -1;
static int progress_dir_fd = -1; /* PROGRESS_DIR, resolved inside the root */
static int progress_fd = -1;
/* The step last recorded, for a run that finds the deadline passed after it. */
static char progress_line[PATH_MAX + 256];

void progress_begin(int root_fd)
{
	progress_root_fd = root_fd;
}

/* Recording is a help for a hang only: when it fails, the boot goes on without it. */
static void give_up(const char *why, int err)
{
	log_warning("cannot record the boot's progress in /" PROGRESS_PATH
		    " (%s: %s); should the boot hang, the glue cannot say where",
		    why, strerror(err));
	progress_end();
}

static int open_file(void)
{
	if (progress_fd >= 0 || progress_root_fd < 0)
		return progress_fd;
	progress_dir_fd = root_make_dir(progress_root_fd, PROGRESS_DIR);
	if (progress_dir_fd < 0) {
		give_up("mkdir", -progress_dir_fd);
		return -1;
	}
	/* O_NONBLOCK and O_NOFOLLOW: whatever sits there, recording never blocks the boot. */
	progress_fd =
	    openat(progress_dir_fd, PROGRESS_NAME,
		   O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0644);
	if (progress_fd < 0)
		give_up("open", errno);
	return progress_fd;
}

void progress_step(const char *fmt, ...)
{
	char line[PATH_MAX + 256];
	va_list ap;
	size_t len;
	ssize_t w;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	snprintf(progress_line, sizeof(progress_line), "%s", line);
	if (open_file() < 0)
		return;
	len = (size_t)n < sizeof(line) - 2 ? (size_t)n : sizeof(line) - 2;
	line[len++] = '\n';
	/* Write first, then cut: a reader sees the new step, never an empty file. */
	w = pwrite(progress_fd, line, len, 0);
	if (w >= 0 && (size_t)w != len) {
		errno = EIO;
		w = -1;
	}
	if (w < 0 || ftruncate(progress_fd, (off_t)len) < 0)
		give_up("write", errno);
}

int progress_read(int root_fd, char *buf, size_t size)
{
	ssize_t n;
	int fd, err = 0;

	if (size == 0)
		return -EINVAL;
	/* O_NONBLOCK: whatever sits there, the boot that reads it after its deadline never waits.
	 */
	fd = root_open(root_fd, PROGRESS_PATH, O_RDONLY | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return fd;
	n = read(fd, buf, size - 1);
	if (n < 0)
		err = -errno;
	close(fd);
	if (err)
		return err;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return (int)strlen(buf);
}

const char *progress_current(void)
{
	return progress_line;
}

void progress_end(void)
{
	if (progress_fd >= 0) {
		close(progress_fd);
		unlinkat(progress_dir_fd, PROGRESS_NAME, 0);
		progress_fd = -1;
	}
	if (progress_dir_fd >= 0)
		close(progress_dir_fd);
	progress_dir_fd = -1;
	progress_root_fd = -1;
}
