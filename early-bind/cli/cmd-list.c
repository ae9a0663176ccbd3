// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `early-bind list`: every display controller as a card with its sibling
 * functions, their drivers and IOMMU groups, and the vfio.devices= value
 * that takes the card: what people otherwise piece together from
 * `lspci -nn` and /sys/kernel/iommu_groups.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/card.h"
#include "cli/commands.h"
#include "engine/group.h"
#include "engine/host.h"
#include "cli/json.h"
#include "engine/log.h"
#include "engine/pcidev.h"
#include "cli/style.h"
#include "cli/table.h"
#include "engine/text.h"


static const char *or_dash(const char *driver)
{
	return driver[0] ? driver : "-";
}

/* Adds FNS->items[I] as a row: address, ID, class name, driver. */
static void add_function_row(struct table *t, const struct pci_function_list *fns, size_t i,
			     bool with_group)
{
	const struct pci_function *fn = &fns->items[i];
	char id[16], cls[PCI_TEXT_MAX], group[16] = "-";
	const char *cells[5];

	snprintf(id, sizeof(id), "%04x:%04x", fn->vendor, fn->device);
	pci_function_class_name(fns, i, cls, sizeof(cls));
	if (fn->iommu_group >= 0)
		snprintf(group, sizeof(group), "%d", fn->iommu_group);
	cells[0] = fn->name;
	cells[1] = id;
	cells[2] = cls;
	cells[3] = or_dash(fn->driver);
	cells[4] = with_group ? group : NULL;
	table_add(t, cells);
}

static bool in_card(const struct card *c, size_t i)
{
	return i >= c->first && i < c->first + c->count;
}

/* Whether GROUP already appeared on a function of C before index I. */
static bool group_seen(const struct pci_function_list *fns, const struct card *c, size_t i)
{
	size_t k;

	for (k = c->first; k < i; k++)
		if (fns->items[k].iommu_group == fns->items[i].iommu_group)
			return true;
	return false;
}

static int print_group(const struct pci_function_list *fns, const struct card *c, int group)
{
	struct table t;
	size_t i;
	int err;

	if (group < 0) {
		printf("  IOMMU group: none (the IOMMU is off, or this function is outside it)\n");
		return 0;
	}
	table_init(&t, 4, "    ");
	for (i = 0; i < fns->count; i++)
		if (fns->items[i].iommu_group == group && !in_card(c, i))
			add_function_row(&t, fns, i, false);
	if (t.nrows == 0)
		printf("  IOMMU group %d: this %s only\n", group,
		       card_is_discrete(fns, c) ? "card" : "slot");
	else
		printf("  IOMMU group %d also holds:\n", group);
	err = table_print(&t, stdout);
	table_free(&t);
	return err;
}

/*
 * Whether a group of the card's functions can never go to a VM, because it
 * holds devices the host needs: WHY (GROUP_TEXT_MAX) says which. Returns 0,
 * 1 when it cannot, or -ENOMEM.
 */
static int never_viable(const struct pci_function_list *fns, const struct card *c, char *why)
{
	struct group_note notes[GROUP_NOTES_MAX];
	bool *taken = calloc(fns->count + 1, sizeof(*taken));
	size_t i, k, n;
	int found = 0;

	if (!taken)
		return -ENOMEM;
	for (i = c->first; i < c->first + c->count; i++)
		taken[i] = card_has_function(fns, c, i);
	for (i = c->first; i < c->first + c->count && !found; i++) {
		if (!taken[i] || fns->items[i].iommu_group < 0 || group_seen(fns, c, i))
			continue;
		n = group_notes(fns, taken, fns->items[i].iommu_group, notes);
		for (k = 0; k < n && !found; k++)
			if (notes[k].never) {
				snprintf(why, GROUP_TEXT_MAX, "%s", notes[k].what);
				found = 1;
			}
	}
	free(taken);
	return found;
}

/* "Card 0000:3b:00 (boot display): NVIDIA Corporation TU102 [...]" */
static void print_header(const struct pci_function_list *fns, const struct card *c)
{
	const struct pci_function *fn = &fns->items[c->display];
	char slot[PCI_NAME_MAX], title[2 * PCI_TEXT_MAX];
	bool boot = card_is_boot_display(fns, c);
	int column;

	card_slot_name(fn, slot, sizeof(slot));
	pci_function_title(fns, c->display, title, sizeof(title));
	printf("%sCard %s%s", style_on(STYLE_BOLD), slot, style_off(STYLE_BOLD));
	if (boot)
		printf(" %s(boot display)%s", style_on(STYLE_WARN), style_off(STYLE_WARN));
	fputs(": ", stdout);
	column = (int)(strlen("Card : ") + strlen(slot) + (boot ? strlen(" (boot display)") : 0));
	text_print_wrapped(stdout, title, column, (int)strlen("Card "), TEXT_WIDTH);
}

/* The functions of the slot that are not part of the graphics card, if any. */
static void print_outside(const struct pci_function_list *fns, const struct card *c)
{
	char text[PCI_NAME_MAX * 8 + 64] = "Not part of the graphics card, so left out of the value:";
	size_t i, len, n = 0;

	for (i = c->first; i < c->first + c->count; i++) {
		if (card_has_function(fns, c, i))
			continue;
		len = strlen(text);
		snprintf(text + len, sizeof(text) - len, "%s %s", n++ ? "," : "", fns->items[i].name);
	}
	if (n == 0)
		return;
	fputs("  ", stdout);
	text_print_wrapped(stdout, text, 2, 4, TEXT_WIDTH);
}

static int print_card(const struct pci_function_list *fns, const struct card *c)
{
	static const char *const heading[] = { "FUNCTION", "ID", "CLASS", "DRIVER", "GROUP" };
	char value[CARD_VALUE_MAX], why[GROUP_TEXT_MAX], note[GROUP_TEXT_MAX + 32];
	struct table t;
	size_t i;
	int err, never;

	print_header(fns, c);
	table_init(&t, 5, "  ");
	table_add(&t, heading);
	for (i = c->first; i < c->first + c->count; i++)
		add_function_row(&t, fns, i, true);
	err = table_print(&t, stdout);
	table_free(&t);
	print_outside(fns, c);
	for (i = c->first; i < c->first + c->count && err == 0; i++)
		if (!group_seen(fns, c, i))
			err = print_group(fns, c, fns->items[i].iommu_group);
	never = err == 0 ? never_viable(fns, c, why) : 0;
	if (never < 0)
		return never;
	if (card_value(fns, c->display, value, sizeof(value)) < 0) {
		printf("  vfio.devices: not possible, %s\n", value);
		return err;
	}
	printf("  vfio.devices=%s\n", value);
	if (never) {
		snprintf(note, sizeof(note), "but no VM can use it: %s", why);
		fputs("  ", stdout);
		text_print_wrapped(stdout, note, 2, 4, TEXT_WIDTH);
	}
	return err;
}

static int print_text(const struct pci_function_list *fns, const struct card_list *cards)
{
	size_t i;
	int err = 0;

	if (cards->count == 0)
		printf("No display controller found.\n");
	for (i = 0; i < cards->count && err == 0; i++) {
		if (i > 0)
			putchar('\n');
		err = print_card(fns, &cards->items[i]);
	}
	return err;
}

static void json_function(struct json *j, const struct pci_function_list *fns, size_t i)
{
	const struct pci_function *fn = &fns->items[i];

	json_begin_object(j, NULL);
	json_string(j, "address", fn->name);
	json_hex4(j, "vendor_id", fn->vendor);
	json_hex4(j, "device_id", fn->device);
	json_hex4(j, "class_id", fn->class_id);
	json_string_or_null(j, "vendor", fns->names ? fns->names[i].vendor : "");
	json_string_or_null(j, "device", fns->names ? fns->names[i].device : "");
	json_string_or_null(j, "class", fns->names ? fns->names[i].class_name : "");
	json_string_or_null(j, "driver", fn->driver);
	json_int_or_null(j, "iommu_group", fn->iommu_group);
	json_bool(j, "boot_vga", fn->boot_vga);
	json_bool(j, "bridge", pci_function_is_bridge(fn));
	json_end_object(j);
}

static void json_groups(struct json *j, const struct pci_function_list *fns, const struct card *c)
{
	size_t i, k;

	json_begin_array(j, "iommu_groups");
	for (i = c->first; i < c->first + c->count; i++) {
		int group = fns->items[i].iommu_group;

		if (group < 0 || group_seen(fns, c, i))
			continue;
		json_begin_object(j, NULL);
		json_int(j, "group", group);
		json_begin_array(j, "others");
		for (k = 0; k < fns->count; k++)
			if (fns->items[k].iommu_group == group && !in_card(c, k))
				json_function(j, fns, k);
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
}

static void json_card(struct json *j, const struct pci_function_list *fns, const struct card *c)
{
	char slot[PCI_NAME_MAX], value[CARD_VALUE_MAX], why[GROUP_TEXT_MAX];
	size_t i;
	int never = never_viable(fns, c, why);

	card_slot_name(&fns->items[c->display], slot, sizeof(slot));
	json_begin_object(j, NULL);
	json_string(j, "slot", slot);
	json_bool(j, "boot_display", card_is_boot_display(fns, c));
	if (card_value(fns, c->display, value, sizeof(value)) < 0) {
		json_string(j, "vfio_devices", NULL);
		json_string(j, "vfio_devices_refused", value);
	} else {
		json_string(j, "vfio_devices", value);
		json_string(j, "vfio_devices_refused", NULL);
	}
	json_string(j, "group_not_viable", never > 0 ? why : NULL);
	json_begin_array(j, "functions");
	for (i = c->first; i < c->first + c->count; i++)
		json_function(j, fns, i);
	json_end_array(j);
	json_begin_array(j, "outside_card");
	for (i = c->first; i < c->first + c->count; i++)
		if (!card_has_function(fns, c, i))
			json_string(j, NULL, fns->items[i].name);
	json_end_array(j);
	json_groups(j, fns, c);
	json_end_object(j);
}

static void print_json(const struct pci_function_list *fns, const struct card_list *cards)
{
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_begin_object(&j, NULL);
	json_int(&j, "version", 1);
	json_bool(&j, "names", fns->names != NULL);
	json_begin_array(&j, "cards");
	for (i = 0; i < cards->count; i++)
		json_card(&j, fns, &cards->items[i]);
	json_end_array(&j);
	json_end_object(&j);
}

int cmd_list(const struct options *o)
{
	struct pci_function_list fns;
	struct card_list cards;
	int err;

	err = host_read_functions(&o->ctx, &fns);
	if (err < 0) {
		log_error("cannot read the PCI devices: %s", strerror(-err));
		return err;
	}
	err = card_list_find(&fns, &cards);
	if (err == 0 && o->json)
		print_json(&fns, &cards);
	else if (err == 0)
		err = print_text(&fns, &cards);
	card_list_free(&cards);
	pci_function_list_free(&fns);
	return err;
}
