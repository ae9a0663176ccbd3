// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/deadline.h"

#include <time.h>

static struct timespec start, deadline;
static unsigned deadline_s;

static struct timespec now(void)
{
	struct timespec ts = { 0, 0 };

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

void deadline_start(unsigned seconds)
{
	start = now();
	deadline = start;
	deadline.tv_sec += (time_t)seconds;
	deadline_s = seconds;
}

unsigned deadline_seconds(void)
{
	return deadline_s;
}

long deadline_left_ms(void)
{
	struct timespec t;
	long long ms;

	if (deadline_s == 0)
		return -1;
	t = now();
	ms = (long long)(deadline.tv_sec - t.tv_sec) * 1000 +
	     (deadline.tv_nsec - t.tv_nsec) / 1000000;
	return ms > 0 ? (long)ms : 0;
}

unsigned long long deadline_elapsed_us(void)
{
	struct timespec t;
	long long us;

	if (deadline_s == 0)
		return 0;
	t = now();
	us = (long long)(t.tv_sec - start.tv_sec) * 1000000 + (t.tv_nsec - start.tv_nsec) / 1000;
	return us > 0 ? (unsigned long long)us : 1;
}

bool deadline_passed(void)
{
	return deadline_left_ms() == 0;
}
