/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * A writer of metrics for Prometheus: its text format 0.0.4 (what
 * node_exporter's textfile collector reads) or OpenMetrics 1.0 (what
 * `status --format openmetrics` prints), which differ only in headers
 * here: OpenMetrics adds UNIT lines, types info families as info, and
 * ends with "# EOF". Every family is a gauge; label values are escaped
 * and made well-formed UTF-8 (hostile driver names).
 */

enum metrics_format {
	METRICS_PROMETHEUS,
	METRICS_OPENMETRICS,
};

struct metrics {
	FILE *f;
	enum metrics_format format;
};

/* One label; VALUE "" is an empty value (Prometheus reads it as no label). */
struct metrics_label {
	const char *name;
	const char *value;
};

void metrics_init(struct metrics *m, FILE *f, enum metrics_format format);

/*
 * The HELP and TYPE lines of the family of samples NAME. NAME ending in
 * "_seconds" gets OpenMetrics' UNIT line; ending in "_info", its samples
 * say what something is (value 1), and OpenMetrics types the family info.
 * HELP is the program's own text: no backslash, no newline.
 */
void metrics_family(struct metrics *m, const char *name, const char *help);

/* One sample of the family last begun: NAME{LABELS} VALUE. */
void metrics_sample(struct metrics *m, const char *name, const struct metrics_label *labels,
		    size_t n_labels, long long value);

/* A sample in seconds, given in microseconds: "0.142311". */
void metrics_sample_seconds(struct metrics *m, const char *name, unsigned long long us);

/* The end of the exposition ("# EOF" in OpenMetrics). */
void metrics_end(struct metrics *m);
