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

#include "engine/bootdisplay.h"
#include "engine/card.h"
#include "cli/commands.h"
#include "engine/group.h"
#include "engine/host.h"
#include "engine/log.h"
#include "cli/json.h"
#include "engine/pcidev.h"
#include "engine/sriov.h"
#include "cli/style.h"
#include "cli/table.h"
#include "engine/textbuf.h"
#include "engine/text.h"
#include "engine/topology.h"

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
	cells[3] = table_or_dash(fn->driver);
	cells[4] = with_group ? group : NULL;
	table_add(t, cells);
}

/* Whether FNS->items[I] is among the card's rows: its range, but not its switch's ports. */
static bool in_card(const struct pci_function_list *fns, const struct card *c, size_t i)
{
	return i >= c->first && i < c->first + c->count &&
	       !(card_has_switch(c) && pci_function_is_bridge(&fns->items[i]));
}

/* Whether row I's IOMMU group is that of an earlier row: each is listed once. */
static bool group_listed_before(const struct pci_function_list *fns, const struct card *c, size_t i)
{
	size_t k;

	for (k = c->first; k < i; k++)
		if (in_card(fns, c, k) && fns->items[k].iommu_group == fns->items[i].iommu_group)
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
		if (fns->items[i].iommu_group == group && !in_card(fns, c, i))
			add_function_row(&t, fns, i, false);
	if (t.nrows == 0)
		printf("  IOMMU group %d: this %s only\n", group,
		       card_is_discrete(fns, c) ? "card" : "slot");
	else
		printf("  IOMMU group %d also holds:\n", group);
	err = table_print(&t, stdout);
	table_free(&t);
	if (err == -ENOMEM)
		log_error("out of memory: cannot list the rest of IOMMU group %d", group);
	return err;
}

/* What list says of a card's IOMMU groups, from group_verdict(). */
struct card_groups {
	bool never;		  /* WHY says why no VM can ever use the card */
	char why[GROUP_TEXT_MAX]; /* else, when not empty: a group viable with others in it */
};

/* The first group of the card's that can never be viable, else the first shared one. */
static void take_verdict(const struct group_verdict *v, struct card_groups *g)
{
	size_t k;

	for (k = 0; k < v->n_notes; k++)
		if (v->notes[k].never) {
			snprintf(g->why, GROUP_TEXT_MAX, "%s", v->notes[k].what);
			g->never = true;
			return;
		}
	if (v->shared && !g->why[0])
		snprintf(g->why, GROUP_TEXT_MAX, "%s", v->viable);
}

/* What the groups of card C mean for a VM that takes the card alone. Returns 0 or -ENOMEM. */
static int card_groups(const struct pci_function_list *fns, const struct card *c,
		       struct card_groups *g)
{
	bool *taken = calloc(fns->count + 1, sizeof(*taken));
	char slot[PCI_NAME_MAX];
	struct group_verdict v;
	size_t i;

	memset(g, 0, sizeof(*g));
	if (!taken) {
		card_slot_name(&fns->items[c->display], slot, sizeof(slot));
		log_error("out of memory: cannot list whether a VM can use the card %s", slot);
		return -ENOMEM;
	}
	for (i = c->first; i < c->first + c->count; i++)
		taken[i] = card_has_function(fns, c, i);
	for (i = c->first; i < c->first + c->count && !g->never; i++) {
		if (!taken[i] || fns->items[i].iommu_group < 0 ||
		    group_seen_before(fns, taken, c->first, i))
			continue;
		group_verdict(fns, taken, fns->items[i].iommu_group, &v);
		take_verdict(&v, g);
	}
	free(taken);
	return 0;
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

/* Why a display without boot_vga is the boot display: boot_vga=1 goes without saying. */
static void print_boot_evidence(const struct pci_function_list *fns, const struct card *c)
{
	char evidence[160], text[200];
	size_t i;

	for (i = c->first; i < c->first + c->count; i++) {
		if (fns->items[i].boot_vga || !pci_function_is_boot_display(&fns->items[i]))
			continue;
		boot_display_evidence(&fns->items[i], evidence, sizeof(evidence));
		snprintf(text, sizeof(text), "Boot display %s: %s.", fns->items[i].name, evidence);
		fputs("  ", stdout);
		text_print_wrapped(stdout, text, 2, 4, TEXT_WIDTH);
		return;
	}
}

/* The functions of the slot that are not part of the graphics card, if any. */
static void print_outside(const struct pci_function_list *fns, const struct card *c)
{
	char text[PCI_NAME_MAX * 8 + 64];
	struct textbuf sb;
	size_t i, n = 0;

	textbuf_init(&sb, text, sizeof(text));
	textbuf_add(&sb, "Not part of the graphics card, so left out of the value:");
	for (i = c->first; i < c->first + c->count; i++) {
		if (card_has_function(fns, c, i) || !in_card(fns, c, i))
			continue;
		textbuf_add(&sb, "%s %s", n++ ? "," : "", fns->items[i].name);
	}
	if (n == 0)
		return;
	fputs("  ", stdout);
	text_print_wrapped(stdout, text, 2, 4, TEXT_WIDTH);
}

/* The ports of the card's own switch, which no value takes. */
static void print_switch(const struct pci_function_list *fns, const struct card *c)
{
	char ports[PCI_NAME_MAX * 10 + 64], text[sizeof(ports) + 80];

	if (!card_has_switch(c))
		return;
	card_switch_describe(fns, c, ports, sizeof(ports));
	snprintf(text, sizeof(text),
		 "Behind the card's own PCIe switch: %s; switch ports are never taken.", ports);
	fputs("  ", stdout);
	text_print_wrapped(stdout, text, 2, 4, TEXT_WIDTH);
}

static int print_functions(const struct pci_function_list *fns, const struct card *c)
{
	static const char *const heading[] = { "FUNCTION", "ID", "CLASS", "DRIVER", "GROUP" };
	char slot[PCI_NAME_MAX];
	struct table t;
	size_t i;
	int err;

	table_init(&t, 5, "  ");
	table_add(&t, heading);
	for (i = c->first; i < c->first + c->count; i++)
		if (in_card(fns, c, i))
			add_function_row(&t, fns, i, true);
	err = table_print(&t, stdout);
	table_free(&t);
	if (err == -ENOMEM) {
		card_slot_name(&fns->items[c->display], slot, sizeof(slot));
		log_error("out of memory: cannot list the functions of the card %s", slot);
	}
	return err;
}

/*
 * A slot of virtual functions only is no card of its own: its VFs are
 * named under their physical function's card.
 */
static bool listed_under_pf(const struct pci_function_list *fns, const struct card *c)
{
	return sriov_is_vf(&fns->items[c->display]);
}

/* What each SR-IOV physical function of the slot has for virtual functions. */
static void print_sriov(const struct pci_function_list *fns, const struct card *c)
{
	char text[PCI_NAME_MAX * 8 + 320];
	size_t i;

	for (i = c->first; i < c->first + c->count; i++) {
		if (!sriov_is_pf(&fns->items[i]))
			continue;
		sriov_describe_pf(fns, i, text, sizeof(text));
		fputs("  ", stdout);
		text_print_wrapped(stdout, text, 2, 4, TEXT_WIDTH);
	}
}

/*
 * The host's display as an SR-IOV physical function (an Intel iGPU split
 * into VFs) is never offered: its slot value takes the display and every
 * VF. Returns whether REASON says so.
 */
static bool display_pf(const struct pci_function_list *fns, const struct card *c, char *reason,
		       size_t size)
{
	size_t i;

	for (i = c->first; i < c->first + c->count; i++) {
		if (sriov_is_pf(&fns->items[i]) && fns->items[i].boot_vga) {
			sriov_display_pf_reason(&fns->items[i], reason, size);
			return true;
		}
	}
	return false;
}

/* VALUE by the functions' places in the tree, which bus renumbering leaves alone. */
static void print_path_value(const struct pci_function_list *fns, const char *value)
{
	char paths[TOPOLOGY_VALUE_MAX], line[TOPOLOGY_VALUE_MAX + 64];

	if (topology_value(fns, value, paths, sizeof(paths)) <= 0)
		return;
	snprintf(line, sizeof(line), "or by its place in the PCI tree: vfio.devices=%s", paths);
	fputs("  ", stdout);
	text_print_wrapped(stdout, line, 2, 4, TEXT_WIDTH);
}

static int print_card(const struct pci_function_list *fns, const struct card *c)
{
	char value[CARD_VALUE_MAX], reason[CARD_REASON_MAX], note[GROUP_TEXT_MAX + 32];
	struct card_groups g;
	size_t i;
	int err;

	print_header(fns, c);
	print_boot_evidence(fns, c);
	err = print_functions(fns, c);
	if (err == 0) {
		print_outside(fns, c);
		print_switch(fns, c);
		print_sriov(fns, c);
	}
	for (i = c->first; i < c->first + c->count && err == 0; i++)
		if (in_card(fns, c, i) && !group_listed_before(fns, c, i))
			err = print_group(fns, c, fns->items[i].iommu_group);
	if (err == 0)
		err = card_groups(fns, c, &g);
	if (err < 0)
		return err;
	if (display_pf(fns, c, note, sizeof(note))) {
		printf("  vfio.devices: not offered: ");
		text_print_wrapped(stdout, note, (int)strlen("  vfio.devices: not offered: "), 4,
				   TEXT_WIDTH);
		return 0;
	}
	if (card_value(fns, c->display, value, sizeof(value), reason) < 0) {
		printf("  vfio.devices: not possible, %s\n", reason);
		return 0;
	}
	printf("  vfio.devices=%s\n", value);
	print_path_value(fns, value);
	if (g.why[0]) {
		snprintf(note, sizeof(note), "%s%s", g.never ? "but no VM can use it: " : "",
			 g.why);
		fputs("  ", stdout);
		text_print_wrapped(stdout, note, 2, 4, TEXT_WIDTH);
	}
	return 0;
}

static int print_text(const struct pci_function_list *fns, const struct card_list *cards)
{
	size_t i, printed = 0;
	int err = 0;

	if (cards->count == 0)
		printf("No display controller found.\n");
	for (i = 0; i < cards->count && err == 0; i++) {
		if (listed_under_pf(fns, &cards->items[i]))
			continue;
		if (printed++ > 0)
			putchar('\n');
		err = print_card(fns, &cards->items[i]);
	}
	return err;
}

/* A PF's SR-IOV capability and its VFs present now; null for other functions. */
static void json_sriov(struct json *j, const struct pci_function_list *fns, size_t i)
{
	const struct pci_function *pf = &fns->items[i];
	size_t k;

	if (!sriov_is_pf(pf)) {
		json_string_or_null(j, "sriov", "");
		return;
	}
	json_begin_object(j, "sriov");
	json_int(j, "total_vfs", pf->sriov.totalvfs);
	json_int(j, "num_vfs", pf->sriov.numvfs);
	json_hex4(j, "vf_device_id", pf->sriov.vf_device);
	json_begin_array(j, "virtual_functions");
	for (k = 0; k < fns->count; k++)
		if (sriov_is_vf_of(&fns->items[k], pf))
			json_string(j, NULL, fns->items[k].name);
	json_end_array(j);
	json_end_object(j);
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
	json_sriov(j, fns, i);
	json_string_or_null(j, "physical_function", fn->sriov.physfn);
	json_end_object(j);
}

static void json_groups(struct json *j, const struct pci_function_list *fns, const struct card *c)
{
	size_t i, k;

	json_begin_array(j, "iommu_groups");
	for (i = c->first; i < c->first + c->count; i++) {
		int group = fns->items[i].iommu_group;

		if (group < 0 || !in_card(fns, c, i) || group_listed_before(fns, c, i))
			continue;
		json_begin_object(j, NULL);
		json_int(j, "group", group);
		json_begin_array(j, "others");
		for (k = 0; k < fns->count; k++)
			if (fns->items[k].iommu_group == group && !in_card(fns, c, k))
				json_function(j, fns, k);
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
}

/* "own_switch": its upstream port and the downstream ports, or null for a card that is a slot. */
static void json_switch(struct json *j, const struct pci_function_list *fns, const struct card *c)
{
	const struct pci_function *up;
	size_t i;

	if (!card_has_switch(c)) {
		json_string(j, "own_switch", NULL);
		return;
	}
	up = &fns->items[c->upstream];
	json_begin_object(j, "own_switch");
	json_string(j, "upstream_port", up->name);
	json_begin_array(j, "downstream_ports");
	for (i = c->first; i < c->first + c->count; i++)
		if (pci_function_is_bridge(&fns->items[i]) &&
		    fns->items[i].bus == up->secondary_bus)
			json_string(j, NULL, fns->items[i].name);
	json_end_array(j);
	json_end_object(j);
}

static int json_card(struct json *j, const struct pci_function_list *fns, const struct card *c)
{
	char slot[PCI_NAME_MAX], value[CARD_VALUE_MAX], reason[GROUP_TEXT_MAX];
	char paths[TOPOLOGY_VALUE_MAX];
	struct card_groups g;
	size_t i;
	int err = card_groups(fns, c, &g);

	if (err < 0)
		return err;
	card_slot_name(&fns->items[c->display], slot, sizeof(slot));
	json_begin_object(j, NULL);
	json_string(j, "slot", slot);
	json_bool(j, "boot_display", card_is_boot_display(fns, c));
	if (display_pf(fns, c, reason, sizeof(reason)) ||
	    card_value(fns, c->display, value, sizeof(value), reason) < 0) {
		json_string(j, "vfio_devices", NULL);
		json_string(j, "vfio_devices_path", NULL);
		json_string(j, "vfio_devices_refused", reason);
	} else {
		json_string(j, "vfio_devices", value);
		json_string(j, "vfio_devices_path",
			    topology_value(fns, value, paths, sizeof(paths)) >= 0 ? paths : NULL);
		json_string(j, "vfio_devices_refused", NULL);
	}
	json_string(j, "group_not_viable", g.never ? g.why : NULL);
	json_begin_array(j, "functions");
	for (i = c->first; i < c->first + c->count; i++)
		if (in_card(fns, c, i))
			json_function(j, fns, i);
	json_end_array(j);
	json_begin_array(j, "outside_card");
	for (i = c->first; i < c->first + c->count; i++)
		if (in_card(fns, c, i) && !card_has_function(fns, c, i))
			json_string(j, NULL, fns->items[i].name);
	json_end_array(j);
	json_switch(j, fns, c);
	json_groups(j, fns, c);
	json_end_object(j);
	return 0;
}

static int print_json(const struct pci_function_list *fns, const struct card_list *cards)
{
	struct json j;
	size_t i;
	int err = 0;

	json_init(&j, stdout);
	json_begin_object(&j, NULL);
	json_int(&j, "version", 1);
	json_bool(&j, "names", fns->names != NULL);
	json_begin_array(&j, "cards");
	for (i = 0; i < cards->count && err == 0; i++)
		if (!listed_under_pf(fns, &cards->items[i]))
			err = json_card(&j, fns, &cards->items[i]);
	if (err < 0)
		return err;
	json_end_array(&j);
	json_end_object(&j);
	return 0;
}

static int cmd_list(const struct options *o, char **args, int n)
{
	struct pci_function_list fns;
	struct card_list cards;
	int err;

	(void)args;
	(void)n;
	err = host_read_functions(&o->ctx, &fns);
	if (err < 0) {
		log_error("cannot read the PCI devices: %s", strerror(-err));
		return err;
	}
	err = card_list_find(&fns, &cards);
	if (err < 0)
		log_error("out of memory: cannot list the cards");
	else if (o->json)
		err = print_json(&fns, &cards);
	else
		err = print_text(&fns, &cards);
	card_list_free(&cards);
	pci_function_list_free(&fns);
	return err;
}

const struct command command_list = {
	.name = "list",
	.run = cmd_list,
	.takes = TAKES_SYSROOT | TAKES_JSON,
	.min_args = 0,
	.max_args = 0,
	.synopsis = "list [--json]",
	.summary = "display cards, their functions, drivers, IOMMU groups\n"
		   "and the vfio.devices= value that takes each card",
	.help = "Lists every display controller as a card: the functions of its slot, or\n"
		"of the whole card behind its own PCIe switch (Intel Arc), with their\n"
		"[vendor:device] IDs, classes, drivers and IOMMU groups, the other\n"
		"members of those groups, whether it is the boot display, and the\n"
		"vfio.devices= value that takes the whole card. Names come from\n"
		"/usr/share/misc/pci.ids (numbers without it). Writes nothing.\n",
};
