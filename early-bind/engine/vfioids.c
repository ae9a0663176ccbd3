// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/vfioids.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/modprobe.h"
#include "engine/text.h"
#include "engine/textbuf.h"

#define HEX_DIGITS "0123456789abcdefABCDEF"
#define DESCRIBE_VALUE_MAX 200

static const char *const field_names[VFIO_ID_FIELDS] = {
	"vendor", "device", "subvendor", "subdevice", "class", "class_mask",
};

static uint32_t hex_value(char c)
{
	if (isdigit((unsigned char)c))
		return (uint32_t)(c - '0');
	return (uint32_t)(tolower((unsigned char)c) - 'a' + 10);
}

/*
 * One %x of the kernel's vsscanf(): spaces, an optional 0x, hex digits,
 * wrapping at 32 bits as the unsigned int it stores into does.
 */
static bool kernel_hex(const char **p, uint32_t *value)
{
	const char *s = *p;

	while (isspace((unsigned char)*s))
		s++;
	if (!isxdigit((unsigned char)*s))
		return false;
	if (s[0] == '0' && tolower((unsigned char)s[1]) == 'x')
		s += 2;
	for (*value = 0; isxdigit((unsigned char)*s); s++)
		*value = *value * 16 + hex_value(*s);
	*p = s;
	return true;
}

/* sscanf(text, "%x:%x:%x:%x:%x:%x", ...): stops at the first mismatch, as vfio-pci's does. */
static int kernel_scan(const char *text, uint32_t *fields)
{
	const char *p = text;
	int n;

	for (n = 0; n < VFIO_ID_FIELDS; n++) {
		if (n > 0 && *p++ != ':')
			break;
		if (!kernel_hex(&p, &fields[n]))
			break;
	}
	return n;
}

static bool field_fits(int i, const char *s, size_t len)
{
	if (i >= 4)
		return len <= 6; /* class and mask are 24 bits */
	return len <= 4 || (len == 8 && strncasecmp(s, "ffffffff", 8) == 0);
}

/* The strict reading: 2 to 6 fields of plain hex digits, each of its size. */
static void strict_check(const char *s, char *error, size_t size)
{
	char shown[VFIO_ID_TEXT_MAX + 4];
	size_t fields = 1, n;
	const char *p;
	int i;

	for (p = s; *p; p++)
		fields += *p == ':';
	if (fields > VFIO_ID_FIELDS) {
		snprintf(error, size, "%zu fields, at most %d (" VFIO_IDS_GRAMMAR ")", fields,
			 VFIO_ID_FIELDS);
		return;
	}
	if (fields < 2) {
		snprintf(error, size, "a single field: vfio-pci needs at least vendor:device");
		return;
	}
	for (i = 0; i < (int)fields; i++, s += n + 1) {
		n = strcspn(s, ":");
		text_printable(s, n, VFIO_ID_TEXT_MAX - 1, shown);
		if (n == 0)
			snprintf(error, size, "the %s field is empty", field_names[i]);
		else if (strspn(s, HEX_DIGITS) < n)
			snprintf(error, size, "%s '%s' is not hexadecimal", field_names[i], shown);
		else if (!field_fits(i, s, n))
			snprintf(error, size, "%s '%s' is longer than %s", field_names[i], shown,
				 i >= 4 ? "6 hex digits" : "4 hex digits (ffffffff means any)");
		else
			continue;
		return;
	}
}

static void parse_item(const char *text, struct vfio_id *id)
{
	uint32_t f[VFIO_ID_FIELDS] = { 0, 0, VFIO_ID_ANY, VFIO_ID_ANY, 0, 0 };

	memset(id, 0, sizeof(*id));
	text_printable(text, strlen(text), VFIO_ID_TEXT_MAX - 4, id->text);
	id->fields = kernel_scan(text, f);
	id->vendor = f[0];
	id->device = f[1];
	id->subvendor = f[2];
	id->subdevice = f[3];
	id->class_code = f[4];
	id->class_mask = f[5];
	strict_check(text, id->error, sizeof(id->error));
}

int vfio_ids_parse(const char *value, struct vfio_ids *ids)
{
	char *copy = strdup(value), *rest = copy, *item;
	size_t max = 1;
	const char *p;

	memset(ids, 0, sizeof(*ids));
	for (p = value; *p; p++)
		max += *p == ',';
	ids->items = calloc(max, sizeof(*ids->items));
	if (!copy || !ids->items) {
		free(copy);
		vfio_ids_free(ids);
		return -ENOMEM;
	}
	ids->too_long = strlen(value) > VFIO_IDS_PARAM_MAX;
	while ((item = strsep(&rest, ",")))
		if (item[0])
			parse_item(item, &ids->items[ids->count++]);
	free(copy);
	return 0;
}

void vfio_ids_free(struct vfio_ids *ids)
{
	free(ids->items);
	memset(ids, 0, sizeof(*ids));
}

bool vfio_id_problem(const struct vfio_id *id, char *buf, size_t size)
{
	const uint32_t f[VFIO_ID_FIELDS] = { id->vendor,    id->device,	    id->subvendor,
					     id->subdevice, id->class_code, id->class_mask };
	struct textbuf sb;
	int i;

	if (!id->error[0])
		return false;
	textbuf_init(&sb, buf, size);
	textbuf_add(&sb, "item '%s' of vfio-pci's ids=: %s; vfio-pci %s", id->text, id->error,
		    id->fields < 2 ? "ignores it" : "reads it as ");
	for (i = 0; id->fields >= 2 && i < id->fields; i++)
		textbuf_add(&sb, i >= 4 ? "%s%06x" : "%s%04x", i ? ":" : "", f[i]);
	return true;
}

static bool id_matches(const struct vfio_id *id, const struct pci_function *fn)
{
	uint32_t class_code = (uint32_t)fn->class_id << 8 | fn->prog_if;

	return (id->vendor == VFIO_ID_ANY || id->vendor == fn->vendor) &&
	       (id->device == VFIO_ID_ANY || id->device == fn->device) &&
	       (id->subvendor == VFIO_ID_ANY || id->subvendor == fn->subvendor) &&
	       (id->subdevice == VFIO_ID_ANY || id->subdevice == fn->subdevice) &&
	       !((id->class_code ^ class_code) & id->class_mask);
}

bool vfio_ids_take(const struct vfio_ids *ids, const struct pci_function *fn)
{
	size_t i;

	/* vfio-pci's probe refuses other header types and functions without a group. */
	if (ids->too_long || fn->header_type != 0 || fn->iommu_group < 0)
		return false;
	for (i = 0; i < ids->count; i++)
		if (ids->items[i].fields >= 2 && id_matches(&ids->items[i], fn))
			return true;
	return false;
}

static bool from_cmdline(const char *source)
{
	return strcmp(source, MODPROBE_CMDLINE) == 0;
}

void vfio_ids_describe(const char *source, const char *value, char *buf, size_t size)
{
	char shown[DESCRIBE_VALUE_MAX + 4];

	text_printable(value, strlen(value), DESCRIBE_VALUE_MAX, shown);
	if (from_cmdline(source))
		snprintf(buf, size, "vfio-pci.ids=%s on the kernel command line", shown);
	else
		snprintf(buf, size, "vfio-pci ids=%s in %s", shown, source);
}

void vfio_ids_fix(const char *source, char *buf, size_t size)
{
	if (from_cmdline(source))
		snprintf(
		    buf, size,
		    "remove vfio-pci.ids= from the kernel command line (GRUB_CMDLINE_LINUX or GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then update-grub) and any 'options vfio-pci ids=' line from /etc/modprobe.d, then rebuild the initramfs (update-initramfs -u or dracut -f)");
	else
		snprintf(
		    buf, size,
		    "remove ids= from the 'options vfio-pci' line of %s, then rebuild the initramfs (update-initramfs -u or dracut -f)",
		    source);
}
