// SPDX-License-Identifier: GPL-2.0-or-later
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_DIR "run/early-bind"
#define STATE_TMP STATE_PATH ".tmp"

const char *outcome_name(enum outcome outcome)
{
	switch (outcome) {
	case OUTCOME_BOUND:
		return "bound";
	case OUTCOME_ALREADY:
		return "already";
	case OUTCOME_FAILED:
		return "failed";
	default:
		return "planned";
	}
}

static const char *or_none(const char *driver)
{
	return driver[0] ? driver : "-";
}

static bool all_bound(const struct boot_state *s)
{
	size_t i;

	for (i = 0; i < s->n_entries; i++)
		if (s->entries[i].error[0])
			return false;
	for (i = 0; i < s->n_functions; i++)
		if (s->functions[i].outcome != OUTCOME_BOUND && s->functions[i].outcome != OUTCOME_ALREADY)
			return false;
	return true;
}

static void print_state(FILE *f, const struct boot_state *s)
{
	size_t i;

	fprintf(f, "early-bind-state\t1\n");
	fprintf(f, "requested\t%s\n", s->requested);
	fprintf(f, "iommu\t%s\n", s->iommu ? "on" : "off");
	for (i = 0; i < s->n_entries; i++) {
		const struct state_entry *e = &s->entries[i];

		if (e->error[0])
			fprintf(f, "entry\t%s\trefused\t%s\n", e->text, e->error);
		else
			fprintf(f, "entry\t%s\taccepted\n", e->text);
	}
	for (i = 0; i < s->n_functions; i++) {
		const struct state_function *fn = &s->functions[i];

		fprintf(f, "function\t%s\t%04x:%04x\t%04x\t%s\t%s\t%s\n", fn->name,
			fn->vendor, fn->device, fn->class_id, or_none(fn->before),
			or_none(fn->after), outcome_name(fn->outcome));
	}
	fprintf(f, "result\t%s\n", all_bound(s) ? "ok" : "failed");
}

int state_write(int root_fd, const struct boot_state *state)
{
	FILE *f;
	int fd, err = 0;

	if (mkdirat(root_fd, STATE_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	fd = openat(root_fd, STATE_TMP, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	print_state(f, state);
	if (fflush(f) != 0 || ferror(f))
		err = -EIO;
	if (fclose(f) != 0 && !err)
		err = -EIO;
	if (!err && renameat(root_fd, STATE_TMP, root_fd, STATE_PATH) < 0)
		err = -errno;
	return err;
}
