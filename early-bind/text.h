/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

/*
 * Copies at most MAX bytes of S (LEN bytes) into BUF for a message, with
 * non-printable bytes as '?' and "..." when shortened, so that hostile
 * input neither floods the log nor forges log lines. BUF must hold
 * MAX + 4 bytes.
 */
void text_printable(const char *s, size_t len, size_t max, char *buf);
