// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for state.c's reader of the ids record, on a temporary tree
 * through a root fd as `early-bind status` reads it: what it reads must
 * be what the writer writes back (fuzz-state checks that on any input).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/state.h"

#define HEADER "early-bind-state\t1\nrequested\t3b:00\niommu\ton\n"

static char root[] = "/tmp/test-state.XXXXXX";
static int root_fd = -1;

static int make_tree(void **state)
{
	(void)state;
	if (!mkdtemp(root))
		return -1;
	root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0 || mkdirat(root_fd, "run", 0755) < 0 ||
	    mkdirat(root_fd, "run/early-bind", 0755) < 0)
		return -1;
	return 0;
}

static int remove_tree(void **state)
{
	(void)state;
	unlinkat(root_fd, STATE_PATH, 0);
	unlinkat(root_fd, "run/early-bind", AT_REMOVEDIR);
	unlinkat(root_fd, "run", AT_REMOVEDIR);
	close(root_fd);
	return rmdir(root);
}

static int read_text(const char *text, struct boot_state *s)
{
	int fd = openat(root_fd, STATE_PATH, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return state_read(root_fd, s);
}

static void test_ids_taken(void **state)
{
	struct boot_state s;

	(void)state;
	assert_int_equal(
	    read_text(HEADER "ids\tcmdline\t10de:1e07\t0000:af:00.0 0000:af:00.1\n", &s), 0);
	assert_string_equal(s.ids.source, "cmdline");
	assert_string_equal(s.ids.value, "10de:1e07");
	assert_int_equal(s.ids.n_taken, 2);
	assert_string_equal(s.ids.taken[1], "0000:af:00.1");
	state_free(&s);
	assert_int_equal(read_text(HEADER "ids\tcmdline\t10de\t-\n", &s), 0);
	assert_int_equal(s.ids.n_taken, 0);
	state_free(&s);
}

/*
 * "-" means none only as the whole field: as one of the names it would be a
 * function the writer writes back as "-", none (found by fuzz-state).
 */
/* A boot that went on at its deadline: the step it was in, the functions it left. */
static void test_moved_on(void **state)
{
	struct boot_state s, again;

	(void)state;
	assert_int_equal(
	    read_text(HEADER
		      "entry\t3b:00\taccepted\n"
		      "function\t0000:3b:00.2\t10de:1ad6\t0c03\txhci_hcd\txhci_hcd\tnot-attempted\n"
		      "step\t0000:3b:00.2\tdriver_override\tok\n"
		      "moved-on\ttaking 0000:3b:00.2 from xhci_hcd\n"
		      "result\tfailed\n",
		      &s),
	    0);
	assert_string_equal(s.moved_on, "taking 0000:3b:00.2 from xhci_hcd");
	assert_int_equal(s.functions[0].result.outcome, OUTCOME_NOT_ATTEMPTED);
	assert_false(state_result_ok(&s));
	assert_true(state_override_left(&s.functions[0]));
	/* What it reads, it writes back. */
	assert_int_equal(state_write(root_fd, &s), 0);
	assert_int_equal(state_read(root_fd, &again), 0);
	assert_string_equal(again.moved_on, s.moved_on);
	assert_int_equal(again.functions[0].result.outcome, OUTCOME_NOT_ATTEMPTED);
	state_free(&again);
	state_free(&s);
	assert_int_equal(read_text(HEADER "result\tok\n", &s), 0);
	assert_string_equal(s.moved_on, "");
	state_free(&s);
}

static void test_ids_dash_among_names_refused(void **state)
{
	struct boot_state s;

	(void)state;
	assert_int_equal(read_text(HEADER "ids\tcmdline\tv\t- \n", &s), -EBADMSG);
	assert_int_equal(read_text(HEADER "ids\tcmdline\tv\t0000:af:00.0 -\n", &s), -EBADMSG);
}

/* The binder's time: seconds with six decimals, read back as written; absent is 0. */
static void test_elapsed(void **state)
{
	static const char *const malformed[] = {
		"1.25",	     "1",	  ".250000",  "x.250000",
		"1.2500000", "1.250000 ", "0.000000", "-1.250000"
	};
	struct boot_state s, again;
	char text[128];
	size_t i;

	(void)state;
	assert_int_equal(read_text(HEADER "elapsed\t12.000250\nresult\tok\n", &s), 0);
	assert_int_equal(s.elapsed_us, 12000250);
	assert_int_equal(state_write(root_fd, &s), 0);
	assert_int_equal(state_read(root_fd, &again), 0);
	assert_int_equal(again.elapsed_us, 12000250);
	state_free(&again);
	state_free(&s);
	assert_int_equal(read_text(HEADER "result\tok\n", &s), 0);
	assert_int_equal(s.elapsed_us, 0);
	state_free(&s);
	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		snprintf(text, sizeof(text), HEADER "elapsed\t%s\n", malformed[i]);
		assert_int_equal(read_text(text, &s), -EBADMSG);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_taken),
		cmocka_unit_test(test_ids_dash_among_names_refused),
		cmocka_unit_test(test_moved_on),
		cmocka_unit_test(test_elapsed),
	};

	return cmocka_run_group_tests(tests, make_tree, remove_tree);
}
