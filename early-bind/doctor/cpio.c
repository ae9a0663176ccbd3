// SPDX-License-Identifier: GPL-2.0-or-later
#include "doctor/cpio.h"

#include <string.h>

enum { S_HEADER, S_NAME, S_SKIP, S_PADDING, S_LINK };

/* The file type bits of c_mode, as in <sys/stat.h>. */
#define MODE_TYPE 0170000
#define MODE_LINK 0120000

#define TRAILER "TRAILER!!!"

void cpio_init(struct cpio_reader *r, cpio_entry_fn fn, void *arg, uint64_t offset,
	       bool stop_at_trailer)
{
	memset(r, 0, offsetof(struct cpio_reader, header));
	r->fn = fn;
	r->arg = arg;
	r->offset = offset;
	r->stop_at_trailer = stop_at_trailer;
	r->state = S_HEADER;
}

static uint64_t pad4(uint64_t offset)
{
	return (4 - (offset & 3)) & 3;
}

static bool hex_field(const char *s, uint64_t *value)
{
	size_t i;

	*value = 0;
	for (i = 0; i < 8; i++) {
		char c = s[i];
		unsigned digit;

		if (c >= '0' && c <= '9')
			digit = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			digit = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			digit = (unsigned)(c - 'A' + 10);
		else
			return false;
		*value = *value * 16 + digit;
	}
	return true;
}

/* newc: "070701" (or "070702" with checksums), then 13 fields of 8 hex digits. */
static void parse_header(struct cpio_reader *r)
{
	uint64_t namesize, mode;

	if ((memcmp(r->header, "070701", 6) != 0 && memcmp(r->header, "070702", 6) != 0) ||
	    !hex_field(r->header + 14, &mode) || !hex_field(r->header + 54, &r->filesize) ||
	    !hex_field(r->header + 94, &namesize) || namesize == 0) {
		r->broken = true;
		return;
	}
	r->namesize = (size_t)namesize;
	/* A target too long for a path is passed over like any data. */
	r->is_link = (mode & MODE_TYPE) == MODE_LINK && r->filesize < sizeof(r->link);
	r->state = S_NAME;
}

/* The name is complete: report it, then pass over padding, data, padding. */
static void end_name(struct cpio_reader *r)
{
	uint64_t data_at = r->offset + pad4(r->offset);

	r->name[sizeof(r->name) - 1] = '\0';
	/* The kernel refuses a name without its NUL too; it would read stale bytes here. */
	if (r->namesize <= sizeof(r->name) && r->name[r->namesize - 1] != '\0') {
		r->broken = true;
		return;
	}
	r->skip = pad4(r->offset) + r->filesize + pad4(data_at + r->filesize);
	r->state = S_SKIP;
	if (strcmp(r->name, TRAILER) == 0) {
		r->state = S_PADDING;
		r->done = r->stop_at_trailer;
		return;
	}
	if (r->namesize > sizeof(r->name))
		return;
	if (!r->is_link) {
		r->fn(r->name, NULL, r->arg);
		return;
	}
	/* The target is the data: reported once read, after the name's padding. */
	r->skip = pad4(r->offset);
	r->link_next = true;
}

/* The link's target is complete: report it, then pass over the data's padding. */
static void end_link(struct cpio_reader *r)
{
	r->link[r->filesize] = '\0';
	r->fn(r->name, r->link, r->arg);
	r->link_next = false;
	r->skip = pad4(r->offset);
	r->state = S_SKIP;
}

static size_t at_most(uint64_t want, size_t len)
{
	return want < len ? (size_t)want : len;
}

/* Consumes what it can of BUF in the current state; returns how much. */
static size_t step(struct cpio_reader *r, const unsigned char *buf, size_t len)
{
	size_t n = 0;

	switch (r->state) {
	case S_HEADER:
		n = at_most(CPIO_HEADER_SIZE - r->have, len);
		memcpy(r->header + r->have, buf, n);
		r->have += n;
		break;
	case S_NAME:
		n = at_most(r->namesize - r->have, len);
		if (r->have < sizeof(r->name))
			memcpy(r->name + r->have, buf, at_most(sizeof(r->name) - r->have, n));
		r->have += n;
		break;
	case S_SKIP:
		n = at_most(r->skip, len);
		r->skip -= n;
		break;
	case S_LINK:
		n = at_most(r->filesize - r->have, len);
		memcpy(r->link + r->have, buf, n);
		r->have += n;
		break;
	default: /* S_PADDING: NULs until the next archive, which starts aligned */
		if (buf[0] == '\0')
			n = 1;
		else if (r->offset & 3)
			r->broken = true;
		else
			r->state = S_HEADER;
		break;
	}
	r->offset += n;
	return n;
}

/* Moves on once the current part is complete. */
static void advance(struct cpio_reader *r)
{
	if (r->state == S_HEADER && r->have == CPIO_HEADER_SIZE)
		parse_header(r);
	else if (r->state == S_NAME && r->have == r->namesize)
		end_name(r);
	else if (r->state == S_SKIP && r->skip == 0)
		r->state = r->link_next ? S_LINK : S_HEADER;
	else if (r->state == S_LINK && r->have == r->filesize)
		end_link(r);
	else
		return;
	r->have = 0;
}

size_t cpio_feed(struct cpio_reader *r, const unsigned char *buf, size_t len)
{
	size_t used = 0;

	while (used < len && !r->done && !r->broken) {
		used += step(r, buf + used, len - used);
		advance(r);
	}
	return used;
}

bool cpio_at_boundary(const struct cpio_reader *r)
{
	return r->done || r->state == S_PADDING || (r->state == S_HEADER && r->have == 0);
}
