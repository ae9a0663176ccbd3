/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/*
 * The moment the boot goes on without the binder. A driver's unbind can
 * block for ever in uninterruptible sleep, which no signal ends, so `boot`
 * waits for its work (done in a child process) until then only; the work
 * itself asks deadline_passed() before each write to the device tree and
 * makes none after it: once the boot has moved on, udev loads the host's
 * drivers, and a function taken then would be taken from them.
 */

/* 15 s: a whole run takes well under a second; a slow GPU unbind a few seconds. */
#define DEADLINE_DEFAULT_S 15u
#define DEADLINE_MAX_S 3600u

/* Sets the deadline SECONDS from now (CLOCK_MONOTONIC); a child inherits it. */
void deadline_start(unsigned seconds);

/* The seconds deadline_start() was given; 0 before it. */
unsigned deadline_seconds(void);

/* Milliseconds left (0 once passed); -1 when no deadline was set. */
long deadline_left_ms(void);

/* Microseconds since deadline_start() (at least 1, so that 0 can mean "not measured"); 0 before it.
 */
unsigned long long deadline_elapsed_us(void);

/* Whether a deadline was set and has passed. */
bool deadline_passed(void);
