/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* What `early-bind check` found: one line each, with the fix. */

enum severity {
	SEVERITY_OK,
	SEVERITY_WARN,
	SEVERITY_ERROR,
};

#define FINDING_CHECK_MAX 16
#define FINDING_SUBJECT_MAX 24
#define FINDING_TEXT_MAX 1024

struct finding {
	enum severity severity;
	char check[FINDING_CHECK_MAX];	   /* "cpu", "iommu", "group"... */
	char subject[FINDING_SUBJECT_MAX]; /* "0000:3b:00", or "" */
	char message[FINDING_TEXT_MAX];
	char fix[FINDING_TEXT_MAX]; /* "" when there is nothing to do */
};

struct findings {
	struct finding *items;
	size_t count;
	bool failed;	  /* an add ran out of memory */
	bool last_failed; /* the latest add did: its fix has no finding to go to */
};

/* Adds a finding; SUBJECT may be NULL. */
void finding_add(struct findings *f, enum severity severity, const char *check, const char *subject,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Sets the fix of the finding added last. */
void finding_fix(struct findings *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "ok", "warn" or "error", as the text and JSON outputs name it. */
const char *severity_name(enum severity s);
size_t findings_count(const struct findings *f, enum severity severity);

void findings_free(struct findings *f);
