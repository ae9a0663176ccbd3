/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A streaming reader of the "newc" cpio archives an initramfs is made of
 * (the kernel's init/initramfs.c format): it is fed bytes as they come out
 * of a decompressor and reports each entry's name, never holding more
 * than one header, one name and one symbolic link's target.
 */

#define CPIO_HEADER_SIZE 110

/* LINK: the target of a symbolic link (its data), NULL for any other entry. */
typedef void (*cpio_entry_fn)(const char *name, const char *link, void *arg);

struct cpio_reader {
	cpio_entry_fn fn;
	void *arg;
	bool stop_at_trailer; /* for uncompressed archives in the image itself */
	int state;
	uint64_t offset; /* stream position: headers sit at multiples of 4 */
	size_t have;	 /* bytes of the header or name collected */
	size_t namesize;
	uint64_t filesize;
	uint64_t skip;	/* padding and data still to pass over */
	bool is_link;	/* the entry's mode says symbolic link */
	bool link_next; /* its target follows the name's padding */
	bool done;	/* stopped after a trailer (stop_at_trailer) */
	bool broken;	/* not a newc archive, or one cut short */
	char header[CPIO_HEADER_SIZE];
	char name[PATH_MAX];
	char link[PATH_MAX];
};

/* OFFSET: the stream position of the first byte fed, for the alignment. */
void cpio_init(struct cpio_reader *r, cpio_entry_fn fn, void *arg, uint64_t offset,
	       bool stop_at_trailer);

/*
 * Feeds LEN bytes. Returns how many it took: all of them, unless it stopped
 * after a trailer (R->done) or found something that is not cpio (R->broken).
 * Between archives of one stream it skips the NUL padding.
 */
size_t cpio_feed(struct cpio_reader *r, const unsigned char *buf, size_t len);

/* Whether the stream may end here: between entries, not inside one. */
bool cpio_at_boundary(const struct cpio_reader *r);
