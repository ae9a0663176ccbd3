// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-pci's ids=: vfio_ids_parse() on any bytes, then the messages and the
 * matcher on what it made of them. Properties: one item per non-empty
 * comma-separated part; texts terminated and printable; a good item has
 * 2 to 6 fields, one more than its colons, each of its size, and is
 * stable: its text and its numbers printed back as %x fields parse to the
 * same numbers; a function with an item's IDs is taken, by that item alone
 * and by the whole list, unless its header type, IOMMU group or an
 * over-long value rules vfio-pci out; with the vendor or a masked class bit
 * changed that item alone does not take it; a problem message exactly for
 * a bad item; the messages fit buffers of any size.
 */
#include <ctype.h>

#include "fuzz.h"
#include "engine/modprobe.h"
#include "engine/vfioids.h"

static size_t nonempty_parts(const char *s)
{
	size_t n = 0, len;

	for (;; s += len + 1) {
		len = strcspn(s, ",");
		n += len > 0;
		if (!s[len])
			return n;
	}
}

static void check_text(const char *s, size_t size)
{
	FUZZ_ASSERT(strlen(s) < size);
	for (; *s; s++)
		FUZZ_ASSERT(isprint((unsigned char)*s));
}

static bool fits(uint32_t value, uint32_t max)
{
	return value <= max || value == VFIO_ID_ANY;
}

static void check_item(const struct vfio_id *id)
{
	check_text(id->text, VFIO_ID_TEXT_MAX);
	check_text(id->error, VFIO_ID_ERROR_MAX);
	FUZZ_ASSERT(id->fields >= 0 && id->fields <= VFIO_ID_FIELDS);
	if (id->error[0])
		return;
	FUZZ_ASSERT(id->fields >= 2);
	FUZZ_ASSERT(fits(id->vendor, 0xffff) && fits(id->device, 0xffff));
	FUZZ_ASSERT(fits(id->subvendor, 0xffff) && fits(id->subdevice, 0xffff));
	FUZZ_ASSERT(id->class_code <= 0xffffff && id->class_mask <= 0xffffff);
}

static bool same_numbers(const struct vfio_id *a, const struct vfio_id *b)
{
	return a->fields == b->fields && a->vendor == b->vendor && a->device == b->device &&
	       a->subvendor == b->subvendor && a->subdevice == b->subdevice &&
	       a->class_code == b->class_code && a->class_mask == b->class_mask;
}

/* TEXT parsed alone: one good item with ID's numbers. */
static void check_parses_to(const char *text, const struct vfio_id *id)
{
	struct vfio_ids again;

	FUZZ_ASSERT(vfio_ids_parse(text, &again) == 0);
	FUZZ_ASSERT(again.count == 1 && !again.items[0].error[0]);
	FUZZ_ASSERT(same_numbers(&again.items[0], id));
	vfio_ids_free(&again);
}

/*
 * A good item is stable: its text (when not shortened) and its numbers
 * printed as %x fields parse to the same numbers, still good.
 */
static void check_reparse(const struct vfio_id *id)
{
	const uint32_t f[VFIO_ID_FIELDS] = { id->vendor,    id->device,	    id->subvendor,
					     id->subdevice, id->class_code, id->class_mask };
	char text[VFIO_ID_FIELDS * 9];
	size_t len = 0;
	const char *p;
	int colons = 0, i;

	if (!strstr(id->text, "...")) {
		for (p = id->text; *p; p++)
			colons += *p == ':';
		FUZZ_ASSERT(id->fields == colons + 1);
		check_parses_to(id->text, id);
	}
	for (i = 0; i < id->fields; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%x", i ? ":" : "", f[i]);
	check_parses_to(text, id);
}

/* The function an item describes; SEED fills what the item leaves open. */
static struct pci_function function_of(const struct vfio_id *id, uint32_t seed)
{
	struct pci_function fn = { .iommu_group = 0 };
	uint32_t class_code;

	fn.vendor = (uint16_t)(id->vendor == VFIO_ID_ANY ? seed : id->vendor);
	fn.device = (uint16_t)(id->device == VFIO_ID_ANY ? seed >> 16 : id->device);
	fn.subvendor = (uint16_t)(id->subvendor == VFIO_ID_ANY ? seed : id->subvendor);
	fn.subdevice = (uint16_t)(id->subdevice == VFIO_ID_ANY ? seed >> 8 : id->subdevice);
	class_code = (id->class_code & id->class_mask) | (seed & ~id->class_mask & 0xffffff);
	fn.class_id = (uint16_t)(class_code >> 8);
	fn.prog_if = (uint8_t)class_code;
	return fn;
}

/* Whether a struct pci_function can carry the numbers of ID (a bad item's may not). */
static bool describable(const struct vfio_id *id)
{
	return id->fields >= 2 && fits(id->vendor, 0xffff) && fits(id->device, 0xffff) &&
	       fits(id->subvendor, 0xffff) && fits(id->subdevice, 0xffff) &&
	       !(id->class_code & id->class_mask & ~0xffffffu);
}

static void check_match(const struct vfio_ids *ids, const struct vfio_id *id, uint32_t seed)
{
	struct vfio_ids alone = { .items = (struct vfio_id *)id, .count = 1 };
	struct pci_function fn = function_of(id, seed), other;

	FUZZ_ASSERT(vfio_ids_take(&alone, &fn));
	FUZZ_ASSERT(vfio_ids_take(ids, &fn) == !ids->too_long);
	other = fn;
	other.header_type = 1;
	FUZZ_ASSERT(!vfio_ids_take(ids, &other));
	other = fn;
	other.iommu_group = -1;
	FUZZ_ASSERT(!vfio_ids_take(ids, &other));
	if (id->vendor != VFIO_ID_ANY) {
		other = fn;
		other.vendor ^= 1;
		FUZZ_ASSERT(!vfio_ids_take(&alone, &other));
	}
	if (id->class_mask & 0xff) {
		other = fn;
		other.prog_if ^= (uint8_t)(id->class_mask & -id->class_mask);
		FUZZ_ASSERT(!vfio_ids_take(&alone, &other));
	}
}

/* The message for a bad item, in a heap buffer of exactly SIZE bytes. */
static void check_problem(const struct vfio_id *id, size_t size)
{
	char *buf = malloc(size);

	FUZZ_ASSERT(buf);
	buf[0] = '\0';
	FUZZ_ASSERT(vfio_id_problem(id, buf, size) == (id->error[0] != '\0'));
	FUZZ_ASSERT(strlen(buf) < size);
	FUZZ_ASSERT(!id->error[0] || strncmp(buf, "item '", size - 1 < 6 ? size - 1 : 6) == 0);
	free(buf);
}

static void check_describe(const char *value, size_t size)
{
	char *buf = malloc(size);

	FUZZ_ASSERT(buf);
	vfio_ids_describe(MODPROBE_CMDLINE, value, buf, size);
	FUZZ_ASSERT(strlen(buf) < size);
	vfio_ids_describe(value, value, buf, size);
	FUZZ_ASSERT(strlen(buf) < size);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *value = fuzz_string(data, size);
	uint32_t seed = size >= 4 ? (uint32_t)data[0] << 24 | data[1] << 16 | data[2] << 8 | data[3]
				  : 0x12345678;
	struct vfio_ids ids;
	size_t i;

	FUZZ_ASSERT(vfio_ids_parse(value, &ids) == 0);
	FUZZ_ASSERT(ids.count == nonempty_parts(value));
	FUZZ_ASSERT(ids.too_long == (strlen(value) > VFIO_IDS_PARAM_MAX));
	for (i = 0; i < ids.count; i++) {
		const struct vfio_id *id = &ids.items[i];

		check_item(id);
		check_problem(id, VFIO_ID_ERROR_MAX * 2);
		check_problem(id, 1 + size % 64);
		if (describable(id))
			check_match(&ids, id, seed);
		if (!id->error[0])
			check_reparse(id);
	}
	check_describe(value, 1 + size % 300);
	vfio_ids_free(&ids);
	free(value);
	return 0;
}
