/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * Kernel command line handling, following the kernel's own quoting rules
 * (lib/cmdline.c next_arg()): a parameter may be wrapped in double quotes
 * ("key=a b") or have a quoted value (key="a b"); quotes are not part of
 * the value. Spaces are the kernel's isspace(): byte 0xA0 is one too.
 * As in the kernel (parameq()), '-' and '_' are alike in names:
 * vfio-pci.ids= is vfio_pci.ids=.
 */

/* Whether NAME (LEN bytes) is KEY, with '-' and '_' alike. */
bool cmdline_names_equal(const char *name, size_t len, const char *key);

/*
 * Finds the last occurrence of KEY=VALUE in CMDLINE (the last one wins, as
 * for root= in initramfs-tools and getarg in dracut). On success copies the
 * unquoted value into VALUE (at most SIZE bytes including the terminator)
 * and returns 1; returns 0 when KEY= does not appear, -E2BIG when the value
 * does not fit. A bare KEY without '=' does not count, nor does anything
 * after a bare "--" (the kernel hands that to init).
 */
int cmdline_get_last(const char *cmdline, const char *key, char *value, size_t size);

/*
 * Copies the parameters of PARAMS (same quoting rules; module options use
 * them too) to OUT, leaving out every KEY=VALUE and bare KEY. Returns 0 or
 * -E2BIG when OUT is too small.
 */
int cmdline_remove(const char *params, const char *key, char *out, size_t size);
