// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The state file: the input as ROOT/run/early-bind/state, read by
 * state_read() through a root fd as `early-bind status` reads it. Whatever
 * it accepts must survive a write-then-read round trip: state_write()
 * writes it, state_read() reads back the same fields, the steps of each
 * function and the ids record included.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "engine/state.h"

static char root[PATH_MAX];
static int root_fd = -1;

/* The temporary root goes when libFuzzer exits; after a crash run.sh removes it. */
static void remove_root(void)
{
	unlinkat(root_fd, STATE_PATH, 0);
	unlinkat(root_fd, STATE_PATH ".tmp", 0);
	unlinkat(root_fd, "run/early-bind", AT_REMOVEDIR);
	unlinkat(root_fd, "run", AT_REMOVEDIR);
	rmdir(root);
}

/* In TMPDIR: run.sh points it at /dev/shm, where each run's create and rename cost far less. */
static void make_root(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(root, sizeof(root), "%s/fuzz-state.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	FUZZ_ASSERT(mkdtemp(root));
	root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	FUZZ_ASSERT(root_fd >= 0);
	FUZZ_ASSERT(mkdirat(root_fd, "run", 0755) == 0);
	FUZZ_ASSERT(mkdirat(root_fd, "run/early-bind", 0755) == 0);
	atexit(remove_root);
}

static void write_input(const uint8_t *data, size_t size)
{
	int fd = openat(root_fd, STATE_PATH, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	FUZZ_ASSERT(fd >= 0);
	FUZZ_ASSERT(write(fd, data, size) == (ssize_t)size);
	FUZZ_ASSERT(close(fd) == 0);
}

static bool same_entry(const struct state_entry *a, const struct state_entry *b)
{
	return strcmp(a->text, b->text) == 0 && strcmp(a->error, b->error) == 0;
}

static bool same_steps(const struct state_function *a, const struct state_function *b)
{
	size_t i;

	if (a->result.n_steps != b->result.n_steps)
		return false;
	for (i = 0; i < a->result.n_steps; i++)
		if (a->result.steps[i].step != b->result.steps[i].step ||
		    strcmp(a->result.steps[i].error, b->result.steps[i].error) != 0)
			return false;
	return true;
}

static bool same_function(const struct state_function *a, const struct state_function *b)
{
	return strcmp(a->name, b->name) == 0 && a->vendor == b->vendor && a->device == b->device &&
	       a->class_id == b->class_id && strcmp(a->result.before, b->result.before) == 0 &&
	       strcmp(a->result.after, b->result.after) == 0 &&
	       a->result.outcome == b->result.outcome && same_steps(a, b);
}

static bool same_ids(const struct state_ids *a, const struct state_ids *b)
{
	size_t i;

	if (strcmp(a->source, b->source) != 0 || strcmp(a->value, b->value) != 0 ||
	    a->n_taken != b->n_taken)
		return false;
	for (i = 0; i < a->n_taken; i++)
		if (strcmp(a->taken[i], b->taken[i]) != 0)
			return false;
	return true;
}

/* What the reader promises whatever the file says: steps within bounds, strings terminated. */
static void check_bounds(const struct boot_state *s)
{
	size_t i, j;

	for (i = 0; i < s->n_functions; i++) {
		FUZZ_ASSERT(s->functions[i].result.n_steps <= FUNCTION_STEPS_MAX);
		for (j = 0; j < s->functions[i].result.n_steps; j++) {
			FUZZ_ASSERT(s->functions[i].result.steps[j].step <= STEP_PROBE);
			FUZZ_ASSERT(strlen(s->functions[i].result.steps[j].error) < STEP_ERROR_MAX);
		}
	}
	for (i = 0; i < s->ids.n_taken; i++)
		FUZZ_ASSERT(strlen(s->ids.taken[i]) < PCI_NAME_MAX);
	FUZZ_ASSERT(!s->ids.n_taken || s->ids.source[0]);
}

static void check_same(const struct boot_state *a, const struct boot_state *b)
{
	size_t i;

	FUZZ_ASSERT(strcmp(a->requested, b->requested) == 0);
	FUZZ_ASSERT(a->iommu == b->iommu);
	FUZZ_ASSERT(a->n_entries == b->n_entries && a->n_functions == b->n_functions);
	for (i = 0; i < a->n_entries; i++)
		FUZZ_ASSERT(same_entry(&a->entries[i], &b->entries[i]));
	for (i = 0; i < a->n_functions; i++)
		FUZZ_ASSERT(same_function(&a->functions[i], &b->functions[i]));
	FUZZ_ASSERT(same_ids(&a->ids, &b->ids));
	FUZZ_ASSERT(strcmp(a->moved_on, b->moved_on) == 0 && a->elapsed_us == b->elapsed_us);
	FUZZ_ASSERT(state_result_ok(a) == state_result_ok(b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boot_state first, back;
	int r;

	if (root_fd < 0)
		make_root();
	write_input(data, size);
	r = state_read(root_fd, &first);
	FUZZ_ASSERT(r == 0 || r == -EBADMSG);
	if (r < 0) {
		FUZZ_ASSERT(!first.entries && !first.functions && !first.ids.taken);
		return 0;
	}
	check_bounds(&first);
	FUZZ_ASSERT(state_write(root_fd, &first) == 0);
	FUZZ_ASSERT(state_read(root_fd, &back) == 0);
	check_same(&first, &back);
	state_free(&first);
	state_free(&back);
	return 0;
}
