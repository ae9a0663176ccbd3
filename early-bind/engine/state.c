// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/rootdir.h"
#include "engine/vfio.h"

#define STATE_DIR "run/early-bind"
/* Inside STATE_DIR, which the root fd resolves; written to a temporary name, then renamed. */
#define STATE_NAME "state"
#define STATE_TMP "state.tmp"
#define FIELDS_MAX 8

const char *outcome_name(enum outcome outcome)
{
	switch (outcome) {
	case OUTCOME_BOUND:
		return "bound";
	case OUTCOME_ALREADY:
		return "already";
	case OUTCOME_FAILED:
		return "failed";
	case OUTCOME_NOT_ATTEMPTED:
		return "not-attempted";
	default:
		return "planned";
	}
}

static const char *const step_names[] = {
	[STEP_IDENTITY] = "identity",	[STEP_OVERRIDE] = "driver_override",
	[STEP_UNBIND] = "unbind",	[STEP_CLEAR] = "clear_override",
	[STEP_PROBE] = "drivers_probe",
};

const char *step_name(enum step step)
{
	return step_names[step];
}

void state_add_step(struct function_result *r, enum step step, const char *error)
{
	struct state_step *st;

	if (r->n_steps == FUNCTION_STEPS_MAX)
		return;
	st = &r->steps[r->n_steps++];
	st->step = step;
	snprintf(st->error, sizeof(st->error), "%s", error);
}

const struct state_step *state_failed_step(const struct state_function *fn)
{
	size_t i;

	for (i = 0; i < fn->result.n_steps; i++)
		if (fn->result.steps[i].error[0])
			return &fn->result.steps[i];
	return NULL;
}

bool state_override_left(const struct state_function *fn)
{
	bool set = false;
	size_t i;

	for (i = 0; i < fn->result.n_steps; i++) {
		const struct state_step *st = &fn->result.steps[i];

		if (st->step == STEP_OVERRIDE && !st->error[0])
			set = true;
		else if (st->step == STEP_CLEAR && !st->error[0])
			set = false;
	}
	return set && strcmp(fn->result.after, VFIO_DRIVER) != 0;
}

static const char *or_none(const char *driver)
{
	return driver[0] ? driver : "-";
}

bool state_result_ok(const struct boot_state *s)
{
	size_t i;

	for (i = 0; i < s->n_entries; i++)
		if (s->entries[i].error[0])
			return false;
	for (i = 0; i < s->n_functions; i++)
		if (s->functions[i].result.outcome != OUTCOME_BOUND &&
		    s->functions[i].result.outcome != OUTCOME_ALREADY)
			return false;
	return true;
}

static void print_ids(FILE *f, const struct state_ids *ids)
{
	size_t i;

	if (!ids->source[0])
		return;
	fprintf(f, "ids\t%s\t%s\t%s", ids->source, ids->value, ids->n_taken ? "" : "-");
	for (i = 0; i < ids->n_taken; i++)
		fprintf(f, "%s%s", i ? " " : "", ids->taken[i]);
	fputc('\n', f);
}

static void print_state(FILE *f, const struct boot_state *s)
{
	size_t i, j;

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

		fprintf(f, "function\t%s\t%04x:%04x\t%04x\t%s\t%s\t%s\n", fn->name, fn->vendor,
			fn->device, fn->class_id, or_none(fn->result.before),
			or_none(fn->result.after), outcome_name(fn->result.outcome));
		for (j = 0; j < fn->result.n_steps; j++)
			fprintf(f, "step\t%s\t%s\t%s\n", fn->name,
				step_name(fn->result.steps[j].step),
				fn->result.steps[j].error[0] ? fn->result.steps[j].error : "ok");
	}
	print_ids(f, &s->ids);
	if (s->moved_on[0])
		fprintf(f, "moved-on\t%s\n", s->moved_on);
	if (s->elapsed_us)
		fprintf(f, "elapsed\t%llu.%06llu\n", s->elapsed_us / 1000000,
			s->elapsed_us % 1000000);
	fprintf(f, "result\t%s\n", state_result_ok(s) ? "ok" : "failed");
}

int state_write(int root_fd, const struct boot_state *state)
{
	FILE *f;
	int dir, fd, err = 0;

	dir = root_make_dir(root_fd, STATE_DIR);
	if (dir < 0)
		return dir;
	/*
	 * The temporary name is this program's own: whatever sits there is
	 * left from a run that stopped half-way. Removed, not opened: a FIFO
	 * there would block the open, and O_EXCL creates a regular file or
	 * fails, never following or reusing what raced in.
	 */
	if (unlinkat(dir, STATE_TMP, 0) < 0 && errno != ENOENT) {
		err = -errno;
		close(dir);
		return err;
	}
	fd = openat(dir, STATE_TMP,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = -errno;
		close(dir);
		return err;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		close(dir);
		return err;
	}
	print_state(f, state);
	if (fflush(f) != 0 || ferror(f))
		err = -errno;
	if (fclose(f) != 0 && !err)
		err = -errno;
	if (!err && renameat(dir, STATE_TMP, dir, STATE_NAME) < 0)
		err = -errno;
	if (err)
		unlinkat(dir, STATE_TMP, 0); /* a partial record is no record */
	close(dir);
	return err;
}

/* Splits LINE at tabs in place; returns the number of fields. */
static size_t split(char *line, char **fields)
{
	size_t n = 0;

	line[strcspn(line, "\n")] = '\0';
	fields[n++] = line;
	while (n < FIELDS_MAX && (line = strchr(line, '\t'))) {
		*line++ = '\0';
		fields[n++] = line;
	}
	return n;
}

static void copy(char *dst, size_t size, const char *value)
{
	/* "-" is how the writer stores "no driver". */
	snprintf(dst, size, "%s", strcmp(value, "-") == 0 ? "" : value);
}

static int parse_outcome(const char *name, enum outcome *outcome)
{
	enum outcome o;

	for (o = OUTCOME_PLANNED; o <= OUTCOME_NOT_ATTEMPTED; o++) {
		if (strcmp(outcome_name(o), name) == 0) {
			*outcome = o;
			return 0;
		}
	}
	return -EBADMSG;
}

static int set_requested(struct boot_state *s, char **f, size_t n)
{
	snprintf(s->requested, sizeof(s->requested), "%s", n > 1 ? f[1] : "");
	return 0;
}

static int set_iommu(struct boot_state *s, char **f, size_t n)
{
	s->iommu = n > 1 && strcmp(f[1], "on") == 0;
	return 0;
}

static int add_entry(struct boot_state *s, char **f, size_t n)
{
	struct state_entry *items = realloc(s->entries, (s->n_entries + 1) * sizeof(*items));

	if (!items)
		return -ENOMEM;
	s->entries = items;
	memset(&items[s->n_entries], 0, sizeof(*items));
	snprintf(items[s->n_entries].text, sizeof(items->text), "%s", f[1]);
	if (strcmp(f[2], "refused") == 0)
		snprintf(items[s->n_entries].error, sizeof(items->error), "%s",
			 n > 3 && f[3][0] ? f[3] : "refused");
	s->n_entries++;
	return 0;
}

static int add_function(struct boot_state *s, char **f, size_t n)
{
	struct state_function *items = realloc(s->functions, (s->n_functions + 1) * sizeof(*items));
	struct state_function *fn;
	unsigned vendor, device, class_id;

	(void)n;
	if (!items)
		return -ENOMEM;
	s->functions = items;
	fn = &items[s->n_functions];
	memset(fn, 0, sizeof(*fn));
	if (sscanf(f[2], "%4x:%4x", &vendor, &device) != 2 || sscanf(f[3], "%4x", &class_id) != 1 ||
	    parse_outcome(f[6], &fn->result.outcome) < 0)
		return -EBADMSG;
	snprintf(fn->name, sizeof(fn->name), "%s", f[1]);
	fn->vendor = (uint16_t)vendor;
	fn->device = (uint16_t)device;
	fn->class_id = (uint16_t)class_id;
	copy(fn->result.before, sizeof(fn->result.before), f[4]);
	copy(fn->result.after, sizeof(fn->result.after), f[5]);
	s->n_functions++;
	return 0;
}

/* A step belongs to the function record before it with the same address. */
static int add_step(struct boot_state *s, char **f, size_t n)
{
	struct state_function *fn = s->n_functions ? &s->functions[s->n_functions - 1] : NULL;
	enum step step;

	(void)n;
	if (!fn || strcmp(fn->name, f[1]) != 0 || fn->result.n_steps == FUNCTION_STEPS_MAX ||
	    !f[3][0])
		return -EBADMSG;
	for (step = STEP_IDENTITY; step <= STEP_PROBE; step++)
		if (strcmp(step_name(step), f[2]) == 0)
			break;
	if (step > STEP_PROBE)
		return 0; /* a step of a later version */
	state_add_step(&fn->result, step, strcmp(f[3], "ok") == 0 ? "" : f[3]);
	return 0;
}

/* "ids SOURCE VALUE NAME NAME..." ("-": none); a later record replaces an earlier one. */
static int set_ids(struct boot_state *s, char **f, size_t n)
{
	struct state_ids *ids = &s->ids;
	char *name, *save = NULL;
	size_t max = 1;
	const char *p;

	(void)n;
	if (!f[1][0])
		return -EBADMSG;
	for (p = f[3]; *p; p++)
		max += *p == ' ';
	free(ids->taken);
	ids->n_taken = 0;
	ids->taken = calloc(max, sizeof(*ids->taken));
	if (!ids->taken)
		return -ENOMEM;
	snprintf(ids->source, sizeof(ids->source), "%s", f[1]);
	snprintf(ids->value, sizeof(ids->value), "%s", f[2]);
	if (strcmp(f[3], "-") == 0)
		return 0;
	for (name = strtok_r(f[3], " ", &save); name; name = strtok_r(NULL, " ", &save)) {
		/* "-" is no name: "- " would read as a function the writer writes back as none. */
		if (strlen(name) >= PCI_NAME_MAX || strcmp(name, "-") == 0)
			return -EBADMSG;
		strcpy(ids->taken[ids->n_taken++], name);
	}
	return 0;
}

static int set_moved_on(struct boot_state *s, char **f, size_t n)
{
	(void)n;
	snprintf(s->moved_on, sizeof(s->moved_on), "%s", f[1][0] ? f[1] : "an unknown step");
	return 0;
}

/* "SECONDS.MICROSECONDS", exactly as the writer puts it; 0.000000 is no measure. */
static int set_elapsed(struct boot_state *s, char **f, size_t n)
{
	unsigned long long seconds = 0, micro = 0;
	const char *p = f[1];
	size_t digits;

	(void)n;
	for (digits = 0; *p >= '0' && *p <= '9' && digits < 12; p++, digits++)
		seconds = seconds * 10 + (unsigned long long)(*p - '0');
	if (digits == 0 || *p++ != '.')
		return -EBADMSG;
	for (digits = 0; *p >= '0' && *p <= '9' && digits < 6; p++, digits++)
		micro = micro * 10 + (unsigned long long)(*p - '0');
	if (digits != 6 || *p || (seconds == 0 && micro == 0))
		return -EBADMSG;
	s->elapsed_us = seconds * 1000000 + micro;
	return 0;
}

/* Every record this version reads; FIELDS counts the type's own field too. */
static const struct record {
	const char *type;
	size_t fields;
	int (*parse)(struct boot_state *s, char **f, size_t n);
} records[] = {
	{ "requested", 1, set_requested }, { "iommu", 1, set_iommu },	  { "entry", 3, add_entry },
	{ "function", 7, add_function },   { "step", 4, add_step },	  { "ids", 4, set_ids },
	{ "moved-on", 2, set_moved_on },   { "elapsed", 2, set_elapsed },
};

/* Applies one record; unknown record types are skipped for later versions. */
static int parse_line(struct boot_state *s, char *line, bool *versioned)
{
	char *f[FIELDS_MAX];
	size_t n = split(line, f), i;

	if (strcmp(f[0], "early-bind-state") == 0) {
		*versioned = n == 2 && strcmp(f[1], "1") == 0;
		return *versioned ? 0 : -EBADMSG;
	}
	if (!*versioned)
		return -EBADMSG;
	for (i = 0; i < sizeof(records) / sizeof(records[0]); i++)
		if (strcmp(f[0], records[i].type) == 0)
			return n >= records[i].fields ? records[i].parse(s, f, n) : -EBADMSG;
	return 0;
}

int state_read(int root_fd, struct boot_state *state)
{
	bool versioned = false;
	char *line = NULL;
	size_t size = 0;
	FILE *f;
	int fd, err = 0;

	memset(state, 0, sizeof(*state));
	fd = root_open_file(root_fd, STATE_PATH, O_RDONLY);
	if (fd < 0)
		return fd;
	f = fdopen(fd, "r");
	if (!f) {
		err = -errno;
		close(fd);
		return err;
	}
	while (err == 0 && getline(&line, &size, f) >= 0)
		err = parse_line(state, line, &versioned);
	if (err == 0 && ferror(f))
		err = -EIO; /* a partly read file is not the boot's record */
	if (err == 0 && !versioned)
		err = -EBADMSG;
	free(line);
	fclose(f);
	if (err < 0)
		state_free(state);
	return err;
}

void state_free(struct boot_state *state)
{
	free(state->entries);
	free(state->functions);
	free(state->ids.taken);
	memset(state, 0, sizeof(*state));
}
