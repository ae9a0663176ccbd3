// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for path entries (resolve.c) and topology.c: a path from a
 * root bus names the same card whatever numbers firmware gives the buses,
 * a bus entry whose guard fails says where the guarded card is now, and
 * `list` offers the path of a value. On hand-built function lists sorted by
 * address, bridges with their bus numbers, as pciscan.c reads them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/entry.h"
#include "engine/pcidev.h"
#include "engine/resolve.h"
#include "engine/topology.h"

#define FN(n, b, s, f, ven, dev, cls) \
	{ .name = n, .bus = b, .slot = s, .func = f, .vendor = ven, .device = dev, \
	  .class_id = cls, .iommu_group = -1 }
#define BRIDGE(n, b, s, f, ven, dev, sec, sub) \
	{ .name = n, .bus = b, .slot = s, .func = f, .vendor = ven, .device = dev, \
	  .class_id = 0x0604, .header_type = 1, .secondary_bus = sec, .subordinate_bus = sub, \
	  .iommu_group = -1 }

/*
 * A desktop after an onboard SATA controller behind 00:1b.0 was enabled in
 * the firmware setup: firmware numbers buses depth-first, so the NIC moved
 * from bus 04 to 05 and the RTX 4090 from 05 to 06. An Arc A770 sits
 * behind its card's own switch (root port, upstream, downstream port).
 */
static struct pci_function after_fns[] = {
	FN("0000:00:00.0", 0x00, 0x00, 0, 0x8086, 0xa700, 0x0600),
	BRIDGE("0000:00:01.0", 0x00, 0x01, 0, 0x8086, 0xa70d, 0x01, 0x03),
	FN("0000:00:02.0", 0x00, 0x02, 0, 0x8086, 0xa780, 0x0300),
	BRIDGE("0000:00:1b.0", 0x00, 0x1b, 0, 0x8086, 0x7ac0, 0x04, 0x04),
	BRIDGE("0000:00:1c.0", 0x00, 0x1c, 0, 0x8086, 0x7ab8, 0x05, 0x05),
	BRIDGE("0000:00:1d.0", 0x00, 0x1d, 0, 0x8086, 0x7ab0, 0x06, 0x06),
	BRIDGE("0000:01:00.0", 0x01, 0x00, 0, 0x8086, 0x4fa1, 0x02, 0x03),
	BRIDGE("0000:02:01.0", 0x02, 0x01, 0, 0x8086, 0x4fa4, 0x03, 0x03),
	FN("0000:03:00.0", 0x03, 0x00, 0, 0x8086, 0x56a0, 0x0300),
	FN("0000:04:00.0", 0x04, 0x00, 0, 0x1b21, 0x1164, 0x0106),
	FN("0000:05:00.0", 0x05, 0x00, 0, 0x8086, 0x125c, 0x0200),
	FN("0000:06:00.0", 0x06, 0x00, 0, 0x10de, 0x2684, 0x0300),
	FN("0000:06:00.1", 0x06, 0x00, 1, 0x10de, 0x22ba, 0x0403),
};

static const struct pci_function_list after = {
	after_fns, sizeof(after_fns) / sizeof(after_fns[0]), NULL,
};

/* The same board before: no SATA controller, 00:1b.0 empty. */
static struct pci_function before_fns[] = {
	FN("0000:00:00.0", 0x00, 0x00, 0, 0x8086, 0xa700, 0x0600),
	BRIDGE("0000:00:01.0", 0x00, 0x01, 0, 0x8086, 0xa70d, 0x01, 0x03),
	FN("0000:00:02.0", 0x00, 0x02, 0, 0x8086, 0xa780, 0x0300),
	BRIDGE("0000:00:1c.0", 0x00, 0x1c, 0, 0x8086, 0x7ab8, 0x04, 0x04),
	BRIDGE("0000:00:1d.0", 0x00, 0x1d, 0, 0x8086, 0x7ab0, 0x05, 0x05),
	BRIDGE("0000:01:00.0", 0x01, 0x00, 0, 0x8086, 0x4fa1, 0x02, 0x03),
	BRIDGE("0000:02:01.0", 0x02, 0x01, 0, 0x8086, 0x4fa4, 0x03, 0x03),
	FN("0000:03:00.0", 0x03, 0x00, 0, 0x8086, 0x56a0, 0x0300),
	FN("0000:04:00.0", 0x04, 0x00, 0, 0x8086, 0x125c, 0x0200),
	FN("0000:05:00.0", 0x05, 0x00, 0, 0x10de, 0x2684, 0x0300),
	FN("0000:05:00.1", 0x05, 0x00, 1, 0x10de, 0x22ba, 0x0403),
};

static const struct pci_function_list before = {
	before_fns, sizeof(before_fns) / sizeof(before_fns[0]), NULL,
};

struct result {
	int err;
	size_t n;
	size_t matches[RESOLVE_MATCHES_MAX];
	char why[RESOLVE_ERROR_MAX];
};

static struct result resolve(const struct pci_function_list *fns, const char *text)
{
	struct result r;
	struct entry e;

	if (entry_parse(text, strlen(text), &e) != 0)
		fail_msg("'%s' did not parse: %s", text, e.error);
	memset(&r, 0, sizeof(r));
	r.n = 99;
	r.err = resolve_entry(&e, fns, r.matches, &r.n, r.why, sizeof(r.why));
	/* A message cut short loses the advice at its end. */
	assert_true(strlen(r.why) < sizeof(r.why) - 1);
	return r;
}

#define assert_contains(haystack, needle) \
	do { \
		if (!strstr((haystack), (needle))) \
			fail_msg("\"%s\" does not contain \"%s\"", (haystack), (needle)); \
	} while (0)

static void assert_names(const struct result *r, const struct pci_function_list *fns,
			 const char *first, const char *second)
{
	if (r->err != 0)
		fail_msg("resolve failed with %d: %s", r->err, r->why);
	assert_int_equal(r->n, second ? 2 : 1);
	assert_string_equal(fns->items[r->matches[0]].name, first);
	if (second)
		assert_string_equal(fns->items[r->matches[1]].name, second);
}

static void assert_refused(const struct result *r, int err, const char *why)
{
	assert_int_equal(r->err, err);
	assert_int_equal(r->n, 0);
	assert_string_equal(r->why, why);
}

/* --- resolving paths ------------------------------------------------------- */

/* The point of a path: the same entry names the card before and after. */
static void test_path_follows_renumbered_buses(void **state)
{
	struct result r = resolve(&before, "00:1d.0/00@10de:2684");

	(void)state;
	assert_names(&r, &before, "0000:05:00.0", "0000:05:00.1");
	r = resolve(&after, "00:1d.0/00@10de:2684");
	assert_names(&r, &after, "0000:06:00.0", "0000:06:00.1");
	r = resolve(&after, "0000:00:1d.0/00.1@10de:22ba");
	assert_names(&r, &after, "0000:06:00.1", NULL);
}

static void test_path_through_a_switch(void **state)
{
	struct result r = resolve(&after, "00:01.0/00.0/01.0/00@8086:56a0");

	(void)state;
	assert_names(&r, &after, "0000:03:00.0", NULL);
	r = resolve(&before, "00:01.0/00.0/01.0/00.0");
	assert_names(&r, &before, "0000:03:00.0", NULL);
}

static void test_path_guard_is_checked(void **state)
{
	struct result r = resolve(&after, "00:1c.0/00@10de:2684");

	(void)state;
	assert_refused(&r, -EBADMSG,
		       "guard expects 10de:2684 but 0000:05:00.0 is 8086:125c; the card 10de:2684 is now at 0000:06:00.0 (buses renumbered?): name it by its place, vfio.devices=00:1d.0/00@10de:2684");
}

static void test_path_errors(void **state)
{
	struct result r = resolve(&after, "00:1e.0/00");

	(void)state;
	assert_refused(&r, -ENODEV, "matches no PCI device; check the address with 'lspci -D'");
	r = resolve(&after, "00:1d.1/00");
	assert_refused(&r, -ENODEV,
		       "path: 0000:00:1d.1 does not exist; check the path with 'lspci -t'");
	r = resolve(&after, "02:01.0/00");
	assert_refused(&r, -ENODEV,
		       "path: 0000:02:01.0 is behind the bridge 0000:01:00.0, not on a root bus; a path starts at a bridge on a root bus ('lspci -t' shows them at the left)");
	r = resolve(&after, "00:02.0/00");
	assert_refused(&r, -ENODEV,
		       "path: 0000:00:02.0 [8086:a780] vga is not a bridge, so nothing is behind it; check the path with 'lspci -t'");
	r = resolve(&after, "00:01.0/00.0/00.0/00");
	assert_refused(&r, -ENODEV,
		       "path: 0000:02:00.0 does not exist; check the path with 'lspci -t'");
	r = resolve(&after, "00:1d.0/01");
	assert_refused(&r, -ENODEV,
		       "path leads to bus 0000:06, where slot 01 has no function; check the path with 'lspci -t'");
	r = resolve(&after, "00:1d.0/00.3");
	assert_refused(&r, -ENODEV,
		       "path leads to bus 0000:06, where slot 00 or this function has no function; check the path with 'lspci -t'");
}

/* A path's end is checked like a bus address: a bridge is never taken. */
static void test_path_to_a_bridge(void **state)
{
	struct result r = resolve(&after, "00:01.0/00");

	(void)state;
	assert_int_equal(r.err, -EPERM);
	assert_contains(r.why, "0000:01:00.0 [8086:4fa1] pci-bridge (class 0604, header type 1) is a bridge");
}

/* The domain of a path is its first bridge's; written, it must hold it. */
static void test_path_domain(void **state)
{
	struct result r = resolve(&after, "0001:00:1d.0/00");

	(void)state;
	assert_refused(&r, -ENODEV, "matches no PCI device; check the address with 'lspci -D'");
}

static void test_entry_names_function_not_for_paths(void **state)
{
	struct entry e;

	(void)state;
	assert_int_equal(entry_parse("00:1d.0/00.1", 12, &e), 0);
	/* 0000:00:00.1 would match e's bus, slot and function taken as a bus address. */
	assert_false(entry_names_function(&e, &after_fns[0]));
	assert_int_equal(entry_parse("06:00.1", 7, &e), 0);
	assert_true(entry_names_function(&e, &after_fns[12]));
}

/* --- where a guarded card is now ------------------------------------------- */

/* The old bus address holds another device: say where the card went. */
static void test_bus_guard_says_where_card_is(void **state)
{
	struct result r = resolve(&after, "05:00@10de:2684");

	(void)state;
	assert_refused(&r, -EBADMSG,
		       "guard expects 10de:2684 but 0000:05:00.0 is 8086:125c; the card 10de:2684 is now at 0000:06:00.0 (buses renumbered?): name it by its place, vfio.devices=00:1d.0/00@10de:2684");
	r = resolve(&after, "05:00.1@10de:22ba");
	assert_refused(&r, -EBADMSG,
		       "guard @10de:22ba: 0000:05:00.1 does not exist; the card 10de:22ba is now at 0000:06:00.1 (buses renumbered?): name it by its place, vfio.devices=00:1d.0/00.1@10de:22ba");
}

/* The old bus is gone altogether (a card moved up a bus). */
static void test_missing_bus_says_where_card_is(void **state)
{
	struct result r = resolve(&before, "06:00@10de:2684");

	(void)state;
	assert_refused(&r, -ENODEV,
		       "matches no PCI device; check the address with 'lspci -D'; the card 10de:2684 is now at 0000:05:00.0 (buses renumbered?): name it by its place, vfio.devices=00:1d.0/00@10de:2684");
}

/* Without the card anywhere, the old advice; without a guard, nothing to look for. */
static void test_no_card_elsewhere(void **state)
{
	struct result r = resolve(&after, "05:00@1002:744c");

	(void)state;
	assert_refused(&r, -EBADMSG,
		       "guard expects 1002:744c but 0000:05:00.0 is 8086:125c; the address may have shifted after a hardware change: check 'lspci -nn -D' and fix the entry");
	r = resolve(&after, "07:00");
	assert_refused(&r, -ENODEV, "matches no PCI device; check the address with 'lspci -D'");
}

/* Two cards of one model: both named, the user picks. */
static void test_two_identical_cards(void **state)
{
	static struct pci_function two_fns[] = {
		BRIDGE("0000:3a:00.0", 0x3a, 0x00, 0, 0x8086, 0x2030, 0x3b, 0x3b),
		FN("0000:3b:00.0", 0x3b, 0x00, 0, 0x10de, 0x1e07, 0x0300),
		BRIDGE("0000:ae:00.0", 0xae, 0x00, 0, 0x8086, 0x2030, 0xaf, 0xaf),
		FN("0000:af:00.0", 0xaf, 0x00, 0, 0x10de, 0x1e07, 0x0300),
	};
	static const struct pci_function_list two = { two_fns, 4, NULL };
	struct result r = resolve(&two, "3c:00@10de:1e07");

	(void)state;
	assert_refused(&r, -ENODEV,
		       "matches no PCI device; check the address with 'lspci -D'; 10de:1e07 is now at 0000:3b:00.0 and 0000:af:00.0: name the one meant by its place, vfio.devices=3a:00.0/00@10de:1e07 or ae:00.0/00@10de:1e07");
}

/* --- paths of functions and values ----------------------------------------- */

static void assert_path(const struct pci_function_list *fns, size_t i, bool func,
			const char *expected)
{
	char buf[TOPOLOGY_VALUE_MAX];

	assert_int_equal(topology_path(fns, i, func, buf, sizeof(buf)), 0);
	assert_string_equal(buf, expected);
}

static void test_topology_path(void **state)
{
	(void)state;
	assert_path(&after, 12, true, "00:1d.0/00.1");
	assert_path(&after, 11, false, "00:1d.0/00");
	assert_path(&after, 8, false, "00:01.0/00.0/01.0/00");
	assert_path(&after, 2, true, "00:02.0"); /* on the root bus: its address */
	assert_int_equal(topology_upstream(&after, 8), 7);
	assert_int_equal(topology_upstream(&after, 1), TOPOLOGY_NONE);
}

/* The domain is written when not 0000, or when the first bridge's address is in two. */
static void test_topology_path_domain(void **state)
{
	static struct pci_function fns[] = {
		BRIDGE("0000:00:01.0", 0x00, 0x01, 0, 0x8086, 0x1901, 0x01, 0x01),
		FN("0000:01:00.0", 0x01, 0x00, 0, 0x10de, 0x1e07, 0x0300),
		BRIDGE("10000:00:01.0", 0x00, 0x01, 0, 0x8086, 0x1901, 0x01, 0x01),
		FN("10000:01:00.0", 0x01, 0x00, 0, 0x144d, 0xa80a, 0x0108),
	};
	static const struct pci_function_list list = { fns, 4, NULL };

	(void)state;
	fns[2].domain = fns[3].domain = 0x10000;
	assert_path(&list, 1, false, "0000:00:01.0/00");
	assert_path(&list, 3, true, "10000:00:01.0/00.0");
}

/* Bus numbers that lead in a circle (a broken tree) end, they do not hang. */
static void test_topology_path_loop(void **state)
{
	static struct pci_function fns[] = {
		BRIDGE("0000:01:00.0", 0x01, 0x00, 0, 0x8086, 0x1901, 0x02, 0x02),
		BRIDGE("0000:02:00.0", 0x02, 0x00, 0, 0x8086, 0x1901, 0x01, 0x01),
	};
	static const struct pci_function_list list = { fns, 2, NULL };
	char buf[TOPOLOGY_VALUE_MAX];

	(void)state;
	assert_int_equal(topology_path(&list, 0, true, buf, sizeof(buf)), -ELOOP);
}

static void test_topology_value(void **state)
{
	char paths[TOPOLOGY_VALUE_MAX];

	(void)state;
	assert_int_equal(topology_value(&after, "06:00@10de:2684", paths, sizeof(paths)), 1);
	assert_string_equal(paths, "00:1d.0/00@10de:2684");
	assert_int_equal(topology_value(&after, "03:00.0@8086:56a0,06:00.1@10de:22ba", paths,
					sizeof(paths)),
			 1);
	assert_string_equal(paths, "00:01.0/00.0/01.0/00.0@8086:56a0,00:1d.0/00.1@10de:22ba");
	assert_int_equal(topology_value(&after, "00:02@8086:a780", paths, sizeof(paths)), 0);
	assert_string_equal(paths, "00:02@8086:a780");
	assert_true(topology_value(&after, "09:00", paths, sizeof(paths)) < 0);
	assert_int_equal(topology_value(&after, "06:00", paths, 8), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_follows_renumbered_buses),
		cmocka_unit_test(test_path_through_a_switch),
		cmocka_unit_test(test_path_guard_is_checked),
		cmocka_unit_test(test_path_errors),
		cmocka_unit_test(test_path_to_a_bridge),
		cmocka_unit_test(test_path_domain),
		cmocka_unit_test(test_entry_names_function_not_for_paths),
		cmocka_unit_test(test_bus_guard_says_where_card_is),
		cmocka_unit_test(test_missing_bus_says_where_card_is),
		cmocka_unit_test(test_no_card_elsewhere),
		cmocka_unit_test(test_two_identical_cards),
		cmocka_unit_test(test_topology_path),
		cmocka_unit_test(test_topology_path_domain),
		cmocka_unit_test(test_topology_path_loop),
		cmocka_unit_test(test_topology_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
