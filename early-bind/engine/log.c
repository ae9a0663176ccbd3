// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/rootdir.h"

/* The kernel truncates longer /dev/kmsg records anyway (LOG_LINE_MAX). */
#define LINE_MAX_BYTES 960

static int kmsg_root_fd = -1;

void log_to_kmsg_below(int root_fd)
{
	kmsg_root_fd = root_fd;
}

void log_to_stderr_only(void)
{
	kmsg_root_fd = -1;
}

/*
 * The kernel rate-limits each open /dev/kmsg to 10 lines per 5 seconds and
 * drops the rest, so every line gets an open of its own. A failed line
 * (rate limit, ENOSPC) says nothing of the next, so each is tried; the
 * open does not block, so a FIFO standing in for kmsg cannot hang the boot.
 */
static void write_kmsg(const char *line, size_t len)
{
	ssize_t n;
	int fd;

	if (kmsg_root_fd < 0)
		return;
	fd = root_open(kmsg_root_fd, "dev/kmsg", O_WRONLY | O_APPEND | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return;
	/* One write() per record: /dev/kmsg takes each write as one line. stderr has it too. */
	n = write(fd, line, len);
	(void)n;
	close(fd);
}

static const char *const level_words[] = {
	[LOG_LEVEL_ERROR] = "error: ",
	[LOG_LEVEL_WARNING] = "warning: ",
	[LOG_LEVEL_INFO] = "",
};

void log_msg(enum log_level level, const char *fmt, ...)
{
	char text[LINE_MAX_BYTES], line[LINE_MAX_BYTES + 32];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);

	n = snprintf(line, sizeof(line), "<%d>early-bind: %s%s\n", level, level_words[level], text);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	write_kmsg(line, (size_t)n);
	/* stderr gets the same line without the "<N>" priority. */
	fputs(strchr(line, '>') + 1, stderr);
}
