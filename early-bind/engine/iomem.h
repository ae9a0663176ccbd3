/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* /proc/iomem, where the kernel names who holds each physical range. */

#define IOMEM_NAME_MAX 64

struct iomem_range {
	uint64_t start;
	uint64_t end; /* inclusive */
	char name[IOMEM_NAME_MAX];
};

struct iomem {
	struct iomem_range *items;
	size_t count;
	/*
	 * The firmware framebuffers, by start address, and for each the index
	 * of the one that ends first from it on: a BAR holds one when the
	 * first to start inside it ends first, one lookup per BAR.
	 */
	struct iomem_range *framebuffers;
	size_t *ends_first;
	size_t n_framebuffers;
	/* Readers other than root see every address as 0. */
	bool hidden;
};

/* Parses TEXT (the file's content) into IOMEM; 0 or -ENOMEM. */
int iomem_parse(const char *text, struct iomem *iomem);
void iomem_free(struct iomem *iomem);

/*
 * The firmware framebuffer (BOOTFB from sysfb, efifb, vesafb, simpledrm)
 * lying inside a range named OWNER (a PCI function, e.g. "0000:42:00.0"),
 * or NULL. Sets *BAR to that range.
 */
const struct iomem_range *iomem_framebuffer_in(const struct iomem *iomem, const char *owner,
					       const struct iomem_range **bar);
