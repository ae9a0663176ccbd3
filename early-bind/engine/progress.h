/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

/*
 * The step the boot is in: a kernel write can block for ever (a GPU
 * driver's unbind in uninterruptible sleep), and when `boot` stops waiting
 * for its work at the deadline it names the step it finds in PROGRESS_PATH;
 * `status` does too when the work never finished. The file
 * holds one line, the step about to run, and is gone after the run.
 */
#define PROGRESS_PATH "run/early-bind/step"

/*
 * Starts recording in ROOT_FD/PROGRESS_PATH (ROOT_FD must stay open until
 * progress_end()). The file is created at the first step, so a run that
 * writes nothing leaves nothing behind. Without it, steps are not recorded.
 */
void progress_begin(int root_fd);

/* Replaces the recorded step with this one ("writing '1' to /sys/..."). */
void progress_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Reads the step a run recorded in ROOT_FD/PROGRESS_PATH into BUF (one
 * line), never blocking. Returns its length, or -errno (-ENOENT: none).
 */
int progress_read(int root_fd, char *buf, size_t size);

/* The step last given to progress_step() (recorded or not); "" before any. */
const char *progress_current(void);

/* Removes the file and stops recording. */
void progress_end(void);
