// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The streaming newc reader: the input fed at once and fed in small
 * pieces, as a decompressor hands it out, with and without stopping at the
 * trailer. Properties: every name reported is a terminated string shorter
 * than PATH_MAX, and the pieces change nothing: the same names in the same
 * order, the same bytes taken, the same end state.
 */
#include "doctor/cpio.h"
#include "fuzz.h"

struct seen {
	size_t count;
	uint64_t hash; /* FNV-1a over the names and their terminators */
};

static void on_entry(const char *name, const char *link, void *arg)
{
	struct seen *seen = arg;
	size_t len = strnlen(name, PATH_MAX), i;

	FUZZ_ASSERT(len < PATH_MAX);
	for (i = 0; i <= len; i++)
		seen->hash = (seen->hash ^ (unsigned char)name[i]) * 0x100000001b3ull;
	if (link) {
		len = strnlen(link, PATH_MAX);
		FUZZ_ASSERT(len < PATH_MAX);
		for (i = 0; i <= len; i++)
			seen->hash = (seen->hash ^ (unsigned char)link[i]) * 0x100000001b3ull;
	}
	seen->count++;
}

struct run {
	struct seen seen;
	size_t used;
	bool done, broken, boundary;
	uint64_t offset;
};

/* Feeds DATA in pieces of 1, 2, ... PIECE_MAX bytes, or at once when PIECE_MAX is 0. */
static void feed(const uint8_t *data, size_t size, bool stop_at_trailer, size_t piece_max,
		 struct run *run)
{
	struct cpio_reader *r = malloc(sizeof(*r));
	size_t piece = 0, n, took;

	FUZZ_ASSERT(r);
	memset(run, 0, sizeof(*run));
	run->seen.hash = 0xcbf29ce484222325ull;
	cpio_init(r, on_entry, &run->seen, 0, stop_at_trailer);
	while (run->used < size) {
		piece = piece_max ? piece % piece_max + 1 : size;
		n = size - run->used < piece ? size - run->used : piece;
		took = cpio_feed(r, data + run->used, n);
		FUZZ_ASSERT(took <= n);
		run->used += took;
		if (took < n)
			break;
	}
	FUZZ_ASSERT(run->used == size || r->done || r->broken);
	run->done = r->done;
	run->broken = r->broken;
	run->boundary = cpio_at_boundary(r);
	run->offset = r->offset;
	free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run whole, pieces;
	int stop;

	for (stop = 0; stop <= 1; stop++) {
		feed(data, size, stop, 0, &whole);
		feed(data, size, stop, 7, &pieces);
		FUZZ_ASSERT(whole.seen.count == pieces.seen.count);
		FUZZ_ASSERT(whole.seen.hash == pieces.seen.hash);
		FUZZ_ASSERT(whole.used == pieces.used && whole.offset == pieces.offset);
		FUZZ_ASSERT(whole.done == pieces.done && whole.broken == pieces.broken);
		FUZZ_ASSERT(whole.boundary == pieces.boundary);
		FUZZ_ASSERT(!whole.done || stop);
	}
	return 0;
}
