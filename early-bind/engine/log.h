/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Every line goes to the kernel log (with its syslog level, so the console
 * shows errors even with `quiet`) and to stderr, prefixed "early-bind: ".
 */

enum log_level {
	LOG_LEVEL_ERROR = 3,
	LOG_LEVEL_WARNING = 4,
	LOG_LEVEL_INFO = 6,
};

/*
 * Starts copying lines to ROOT_FD/dev/kmsg (ROOT_FD must stay open until
 * log_to_stderr_only()); without it only stderr is used.
 */
void log_to_kmsg_below(int root_fd);
void log_to_stderr_only(void);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_LEVEL_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
