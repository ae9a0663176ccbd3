// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for log.c: a line the kernel log refuses (here a write over
 * the file size limit into the file standing in for /dev/kmsg) does not
 * stop the lines after it from going there, and a kmsg nobody reads (a
 * FIFO) never blocks the logger.
 */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/log.h"

static char dir[PATH_MAX];
static int root_fd = -1;

static int setup(void **state)
{
	char path[PATH_MAX + 16];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/early-bind-log.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dev", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	root_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(root_fd >= 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	log_to_stderr_only();
	close(root_fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void kmsg_path(char *path, size_t size)
{
	snprintf(path, size, "%s/dev/kmsg", dir);
	unlink(path);
}

static void test_failed_line_does_not_stop_the_next(void **state)
{
	struct rlimit saved, limit = { .rlim_cur = 16, .rlim_max = RLIM_INFINITY };
	char path[PATH_MAX + 16], buf[256];
	FILE *f;

	(void)state;
	kmsg_path(path, sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("0123456789abcdef", f);
	fclose(f);
	/* The file is at the size limit: the next write fails with EFBIG. */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	limit.rlim_max = saved.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &limit), 0);
	log_to_kmsg_below(root_fd);
	log_info("refused line");
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
	assert_int_equal(truncate(path, 0), 0);
	log_info("next line");
	log_to_stderr_only();
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "<6>early-bind: next line\n");
}

/* Nobody reads the FIFO: the open fails at once (ENXIO) instead of hanging. */
static void test_unread_kmsg_does_not_block(void **state)
{
	char path[PATH_MAX + 16];

	(void)state;
	kmsg_path(path, sizeof(path));
	assert_int_equal(mkfifo(path, 0600), 0);
	log_to_kmsg_below(root_fd);
	log_info("into the void");
	log_to_stderr_only();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failed_line_does_not_stop_the_next),
		cmocka_unit_test(test_unread_kmsg_does_not_block),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
