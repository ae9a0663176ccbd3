// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for resolve.c, pciclass.c, card.c and group.c: turning a
 * parsed entry into the PCI functions it names, which functions of a slot
 * are a graphics card, and what a group's other members mean, on
 * hand-built function lists sorted by address like the one pcidev.c reads
 * from sysfs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/card.h"
#include "engine/entry.h"
#include "engine/group.h"
#include "engine/pcidev.h"
#include "engine/resolve.h"
#include "engine/topology.h"

/* Braced initialisers: clang-format 14, 19 and 21 lay them out differently. */
/* clang-format off */
#define FN(n, dom, b, s, f, ven, dev, cls, hdr)                                                    \
	{                                                                                          \
		.name = n, .domain = dom, .bus = b, .slot = s, .func = f, .vendor = ven,           \
		.device = dev, .class_id = cls, .header_type = hdr, .iommu_group = -1              \
	}
/* clang-format on */

/* A desktop with one PCI domain and a Turing card (four functions) at 01:00. */
static struct pci_function desktop_fns[] = {
	FN("0000:00:00.0", 0, 0x00, 0x00, 0, 0x8086, 0x3e30, 0x0600, 0), /* host bridge */
	FN("0000:00:01.0", 0, 0x00, 0x01, 0, 0x8086, 0x1901, 0x0604, 1), /* root port */
	FN("0000:00:02.0", 0, 0x00, 0x02, 0, 0x8086, 0x3e98, 0x0300, 0), /* iGPU */
	FN("0000:00:1f.0", 0, 0x00, 0x1f, 0, 0x8086, 0xa305, 0x0601, 0), /* LPC/ISA bridge */
	FN("0000:00:1f.3", 0, 0x00, 0x1f, 3, 0x8086, 0xa348, 0x0403, 0), /* HD audio */
	FN("0000:00:1f.4", 0, 0x00, 0x1f, 4, 0x8086, 0xa323, 0x0c05, 0), /* SMBus */
	FN("0000:01:00.0", 0, 0x01, 0x00, 0, 0x10de, 0x1e87, 0x0300, 0), /* TU104 VGA */
	FN("0000:01:00.1", 0, 0x01, 0x00, 1, 0x10de, 0x10f8, 0x0403, 0), /* HDMI audio */
	FN("0000:01:00.2", 0, 0x01, 0x00, 2, 0x10de, 0x1ad8, 0x0c03, 0), /* USB */
	FN("0000:01:00.3", 0, 0x01, 0x00, 3, 0x10de, 0x1ad9, 0x0c80, 0), /* USB-C UCSI */
	FN("0000:03:00.0", 0, 0x03, 0x00, 0, 0x1912, 0x0014, 0x0c03, 0), /* USB card */
	FN("0000:03:00.1", 0, 0x03, 0x00, 1, 0x1912, 0x0015, 0x0880, 1), /* odd: type 1 header */
	FN("0000:04:00.0", 0, 0x04, 0x00, 0, 0x1180, 0x0476, 0x0607, 2), /* CardBus bridge */
	FN("0000:3b:00.0", 0, 0x3b, 0x00, 0, 0x144d, 0xa808, 0x0108, 0), /* NVMe */
};

static const struct pci_function_list desktop = {
	.items = desktop_fns,
	.count = sizeof(desktop_fns) / sizeof(desktop_fns[0]),
};

/* A server with Intel VMD: slot 01:00 exists in domain 0000 and in 10000. */
static struct pci_function vmd_fns[] = {
	FN("0000:00:00.0", 0, 0x00, 0x00, 0, 0x8086, 0x2020, 0x0600, 0),
	FN("0000:01:00.0", 0, 0x01, 0x00, 0, 0x10de, 0x1eb8, 0x0302, 0), /* Tesla T4 */
	FN("0000:3b:00.0", 0, 0x3b, 0x00, 0, 0x144d, 0xa808, 0x0108, 0),
	FN("10000:01:00.0", 0x10000, 0x01, 0x00, 0, 0x144d, 0xa80a, 0x0108, 0),
	FN("10000:02:00.0", 0x10000, 0x02, 0x00, 0, 0x144d, 0xa80a, 0x0108, 0),
};

static const struct pci_function_list vmd = {
	.items = vmd_fns,
	.count = sizeof(vmd_fns) / sizeof(vmd_fns[0]),
};

#define MATCHES_MAX 32

struct result {
	int err;
	size_t n;
	size_t matches[MATCHES_MAX];
	char why[RESOLVE_ERROR_MAX];
};

static struct result resolve(const struct pci_function_list *fns, const char *text)
{
	struct result r;
	struct entry e;

	if (entry_parse(text, strlen(text), &e) != 0)
		fail_msg("'%s' did not parse: %s", text, e.error);
	assert_true(fns->count <= MATCHES_MAX);
	memset(&r, 0, sizeof(r));
	r.n = 99; /* must be overwritten whatever the outcome */
	r.err = resolve_entry(&e, fns, r.matches, &r.n, r.why, sizeof(r.why));
	/* A message cut short loses the advice at its end. */
	assert_true(strlen(r.why) < sizeof(r.why) - 1);
	return r;
}

#define assert_contains(haystack, needle)                                                          \
	do {                                                                                       \
		if (!strstr((haystack), (needle)))                                                 \
			fail_msg("\"%s\" does not contain \"%s\"", (haystack), (needle));          \
	} while (0)

static void check_matches(const struct result *r, const struct pci_function_list *fns,
			  const char *const *names, size_t count)
{
	size_t i;

	if (r->err != 0)
		fail_msg("resolve failed with %d: %s", r->err, r->why);
	assert_int_equal(r->n, count);
	for (i = 0; i < count; i++) {
		assert_true(r->matches[i] < fns->count);
		assert_string_equal(fns->items[r->matches[i]].name, names[i]);
	}
}

/* Asserts success and exactly the functions named, in list order. */
#define assert_matches(r, fns, ...)                                                                \
	check_matches(&(r), (fns), (const char *const[]){ __VA_ARGS__ },                           \
		      sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

/* Asserts failure with ERR, nothing matched, and a reason given. */
static void check_refused(const struct result *r, int err)
{
	assert_int_equal(r->err, err);
	assert_int_equal(r->n, 0);
	assert_true(r->why[0] != '\0');
}

/* --- which functions an entry names ---------------------------------------- */

static void test_whole_slot_returns_every_function(void **state)
{
	struct result r = resolve(&desktop, "01:00");

	(void)state;
	assert_matches(r, &desktop, "0000:01:00.0", "0000:01:00.1", "0000:01:00.2", "0000:01:00.3");
}

static void test_single_function_slot(void **state)
{
	struct result r = resolve(&desktop, "3b:00");

	(void)state;
	assert_matches(r, &desktop, "0000:3b:00.0");
}

static void test_func_returns_one_function(void **state)
{
	struct result r = resolve(&desktop, "01:00.1");

	(void)state;
	assert_matches(r, &desktop, "0000:01:00.1");
	r = resolve(&desktop, "01:00.3");
	assert_matches(r, &desktop, "0000:01:00.3");
}

static void test_func_zero_returns_only_function_zero(void **state)
{
	struct result r = resolve(&desktop, "01:00.0");

	(void)state;
	assert_matches(r, &desktop, "0000:01:00.0");
}

static void test_domain_given_resolves(void **state)
{
	struct result r = resolve(&desktop, "0000:01:00");

	(void)state;
	assert_matches(r, &desktop, "0000:01:00.0", "0000:01:00.1", "0000:01:00.2", "0000:01:00.3");
}

static void test_missing_slot_is_enodev(void **state)
{
	struct result r = resolve(&desktop, "05:00");

	(void)state;
	check_refused(&r, -ENODEV);
	assert_contains(r.why, "lspci");
}

static void test_missing_function_is_enodev(void **state)
{
	struct result r = resolve(&desktop, "01:00.4");

	(void)state;
	check_refused(&r, -ENODEV);
}

static void test_missing_domain_is_enodev(void **state)
{
	struct result r = resolve(&desktop, "0001:01:00");

	(void)state;
	check_refused(&r, -ENODEV);
}

static void test_empty_list_is_enodev(void **state)
{
	const struct pci_function_list none = { .items = NULL, .count = 0 };
	struct result r = resolve(&none, "01:00");

	(void)state;
	check_refused(&r, -ENODEV);
}

/* --- domains --------------------------------------------------------------- */

/* Guessing would bind the wrong device: refuse, name both, suggest the fix. */
static void test_slot_in_two_domains_is_ambiguous(void **state)
{
	struct result r = resolve(&vmd, "01:00");

	(void)state;
	check_refused(&r, -EEXIST);
	assert_contains(r.why, "domain 0000");
	assert_contains(r.why, "domain 10000");
	assert_contains(r.why, "write the domain");
	assert_contains(r.why, "10000:01:00");
}

static void test_function_in_two_domains_is_ambiguous(void **state)
{
	struct result r = resolve(&vmd, "01:00.0");

	(void)state;
	check_refused(&r, -EEXIST);
}

static void test_domain_settles_ambiguity(void **state)
{
	struct result r = resolve(&vmd, "0000:01:00");

	(void)state;
	assert_matches(r, &vmd, "0000:01:00.0");
	r = resolve(&vmd, "10000:01:00");
	assert_matches(r, &vmd, "10000:01:00.0");
	r = resolve(&vmd, "0:1:0.0");
	assert_matches(r, &vmd, "0000:01:00.0");
}

/* No domain means "whichever domain has it", not domain 0000. */
static void test_slot_in_one_other_domain_needs_no_domain(void **state)
{
	struct result r = resolve(&vmd, "02:00");

	(void)state;
	assert_matches(r, &vmd, "10000:02:00.0");
	r = resolve(&vmd, "3b:00");
	assert_matches(r, &vmd, "0000:3b:00.0");
}

static void test_domain_without_that_slot_is_enodev(void **state)
{
	struct result r = resolve(&vmd, "0000:02:00");

	(void)state;
	check_refused(&r, -ENODEV);
}

/* --- guards ---------------------------------------------------------------- */

static void test_guard_match_resolves(void **state)
{
	struct result r = resolve(&desktop, "01:00@10de:1e87");

	(void)state;
	assert_matches(r, &desktop, "0000:01:00.0", "0000:01:00.1", "0000:01:00.2", "0000:01:00.3");
	r = resolve(&desktop, "0000:3b:00.0@144d:a808");
	assert_matches(r, &desktop, "0000:3b:00.0");
}

/* A shifted address must bind nothing and say what was expected and found. */
static void test_guard_mismatch_is_ebadmsg(void **state)
{
	struct result r = resolve(&desktop, "01:00@10de:1e07");

	(void)state;
	check_refused(&r, -EBADMSG);
	assert_contains(r.why, "10de:1e07");
	assert_contains(r.why, "10de:1e87");
	assert_contains(r.why, "0000:01:00.0");
}

static void test_guard_vendor_mismatch_is_ebadmsg(void **state)
{
	struct result r = resolve(&desktop, "3b:00@1e0f:a808");

	(void)state;
	check_refused(&r, -EBADMSG);
	assert_contains(r.why, "1e0f:a808");
	assert_contains(r.why, "144d:a808");
}

/* For a whole slot the guard is about function 0, not any function. */
static void test_guard_on_whole_slot_checks_function_zero(void **state)
{
	struct result r = resolve(&desktop, "01:00@10de:10f8"); /* ID of .1 */

	(void)state;
	check_refused(&r, -EBADMSG);
	assert_contains(r.why, "10de:10f8");
	assert_contains(r.why, "0000:01:00.0");
	assert_contains(r.why, "10de:1e87");
}

static void test_guard_on_function_checks_that_function(void **state)
{
	struct result r = resolve(&desktop, "01:00.1@10de:10f8");

	(void)state;
	assert_matches(r, &desktop, "0000:01:00.1");
	r = resolve(&desktop, "01:00.1@10de:1e87"); /* ID of .0 */
	check_refused(&r, -EBADMSG);
	assert_contains(r.why, "0000:01:00.1");
	assert_contains(r.why, "10de:10f8");
}

static void test_guard_in_other_domain(void **state)
{
	struct result r = resolve(&vmd, "10000:01:00@144d:a80a");

	(void)state;
	assert_matches(r, &vmd, "10000:01:00.0");
	r = resolve(&vmd, "10000:01:00@10de:1eb8"); /* the T4 is in 0000 */
	check_refused(&r, -EBADMSG);
	assert_contains(r.why, "10000:01:00.0");
	assert_contains(r.why, "144d:a80a");
}

/* The guard does not settle an ambiguous domain: the domain must be written. */
static void test_guard_does_not_pick_domain(void **state)
{
	struct result r = resolve(&vmd, "01:00@144d:a80a");

	(void)state;
	check_refused(&r, -EEXIST);
}

/* --- bridges --------------------------------------------------------------- */

static void test_host_bridge_is_eperm(void **state)
{
	struct result r = resolve(&desktop, "00:00");

	(void)state;
	check_refused(&r, -EPERM);
	assert_contains(r.why, "0000:00:00.0");
	assert_contains(r.why, "0600");
}

static void test_pci_bridge_is_eperm(void **state)
{
	struct result r = resolve(&desktop, "00:01.0");

	(void)state;
	check_refused(&r, -EPERM);
	assert_contains(r.why, "0000:00:01.0");
	assert_contains(r.why, "0604");
}

/* The LPC bridge shares slot 1f with the audio: the whole slot is refused. */
static void test_isa_bridge_refuses_whole_slot(void **state)
{
	struct result r = resolve(&desktop, "00:1f");

	(void)state;
	check_refused(&r, -EPERM);
	assert_contains(r.why, "0000:00:1f.0");
	assert_contains(r.why, "0601");
}

/* Functions matched before the bridge must not be returned either. */
static void test_bridge_after_endpoint_refuses_whole_slot(void **state)
{
	struct result r = resolve(&desktop, "03:00");

	(void)state;
	check_refused(&r, -EPERM);
	assert_contains(r.why, "0000:03:00.1");
}

/* Any header type but 0 is a bridge, whatever the class says. */
static void test_header_type_makes_a_bridge(void **state)
{
	struct result r = resolve(&desktop, "03:00.1");

	(void)state;
	check_refused(&r, -EPERM);
	assert_contains(r.why, "header type 1");
	r = resolve(&desktop, "04:00");
	check_refused(&r, -EPERM);
	assert_contains(r.why, "header type 2");
}

/* Onboard audio is passed through by naming its function next to the bridge. */
static void test_endpoint_beside_bridge_can_be_named(void **state)
{
	struct result r = resolve(&desktop, "00:1f.3");

	(void)state;
	assert_matches(r, &desktop, "0000:00:1f.3");
	r = resolve(&desktop, "03:00.0");
	assert_matches(r, &desktop, "0000:03:00.0");
}

/* A correct guard does not make a bridge acceptable. */
static void test_guarded_bridge_is_still_eperm(void **state)
{
	struct result r = resolve(&desktop, "00:00@8086:3e30");

	(void)state;
	check_refused(&r, -EPERM);
}

/* --- pciclass.c ------------------------------------------------------------ */

static struct pci_function function_of(uint16_t class_id, uint8_t header_type)
{
	struct pci_function fn = FN("0000:00:00.0", 0, 0, 0, 0, 0x8086, 0x0001, 0, 0);

	fn.class_id = class_id;
	fn.header_type = header_type;
	return fn;
}

static void test_bridge_classes(void **state)
{
	struct pci_function fn;

	(void)state;
	fn = function_of(0x0600, 0);
	assert_true(pci_function_is_bridge(&fn));
	fn = function_of(0x0601, 0);
	assert_true(pci_function_is_bridge(&fn));
	fn = function_of(0x0604, 0);
	assert_true(pci_function_is_bridge(&fn));
	fn = function_of(0x0604, 1);
	assert_true(pci_function_is_bridge(&fn));
}

static void test_bridge_header_types(void **state)
{
	struct pci_function fn;

	(void)state;
	fn = function_of(0x0300, 1);
	assert_true(pci_function_is_bridge(&fn));
	fn = function_of(0x0300, 2);
	assert_true(pci_function_is_bridge(&fn));
	fn = function_of(0x0108, 0x7f);
	assert_true(pci_function_is_bridge(&fn));
}

static void test_endpoints_are_not_bridges(void **state)
{
	static const uint16_t endpoints[] = {
		0x0300, 0x0302, 0x0380, 0x0403, 0x0c03, 0x0c80,
		0x0108, 0x0106, 0x0200, 0x1200, 0x0000, 0xff00,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(endpoints) / sizeof(endpoints[0]); i++) {
		struct pci_function fn = function_of(endpoints[i], 0);

		if (pci_function_is_bridge(&fn))
			fail_msg("class %04x was taken for a bridge", endpoints[i]);
	}
}

static void test_class_kinds(void **state)
{
	(void)state;
	assert_string_equal(pci_class_kind(0x0300), "vga");
	assert_string_equal(pci_class_kind(0x0302), "display");
	assert_string_equal(pci_class_kind(0x0403), "audio");
	assert_string_equal(pci_class_kind(0x0401), "multimedia");
	assert_string_equal(pci_class_kind(0x0c03), "usb");
	assert_string_equal(pci_class_kind(0x0c80), "serial-bus");
	assert_string_equal(pci_class_kind(0x0108), "nvme");
	assert_string_equal(pci_class_kind(0x0106), "sata");
	assert_string_equal(pci_class_kind(0x0104), "storage");
	assert_string_equal(pci_class_kind(0x0200), "network");
	assert_string_equal(pci_class_kind(0x0600), "host-bridge");
	assert_string_equal(pci_class_kind(0x0601), "isa-bridge");
	assert_string_equal(pci_class_kind(0x0604), "pci-bridge");
	assert_string_equal(pci_class_kind(0x0680), "bridge");
	assert_string_equal(pci_class_kind(0x1200), "accelerator");
	assert_string_equal(pci_class_kind(0x1080), "encryption");
	assert_string_equal(pci_class_kind(0xff00), "other");
}

/* --- what a refused bridge points to ---------------------------------------- */

static struct pci_function bridged_fns[] = {
	FN("0000:00:01.0", 0, 0x00, 0x01, 0, 0x8086, 0x1901, 0x0604, 1), /* card's port */
	FN("0000:00:1b.0", 0, 0x00, 0x1b, 0, 0x8086, 0xa340, 0x0604, 1), /* NVMe's port */
	FN("0000:00:1c.0", 0, 0x00, 0x1c, 0, 0x8086, 0xa338, 0x0604, 1), /* empty port */
	FN("0000:01:00.0", 0, 0x01, 0x00, 0, 0x10de, 0x1e87, 0x0300, 0),
	FN("0000:01:00.1", 0, 0x01, 0x00, 1, 0x10de, 0x10f8, 0x0403, 0),
	FN("0000:02:00.0", 0, 0x02, 0x00, 0, 0x144d, 0xa808, 0x0108, 0),
};

static const struct pci_function_list bridged = {
	.items = bridged_fns,
	.count = sizeof(bridged_fns) / sizeof(bridged_fns[0]),
};

static void setup_bridges(void)
{
	bridged_fns[0].secondary_bus = bridged_fns[0].subordinate_bus = 0x01;
	bridged_fns[1].secondary_bus = bridged_fns[1].subordinate_bus = 0x02;
	bridged_fns[2].secondary_bus = bridged_fns[2].subordinate_bus = 0x03;
}

static void test_bridge_names_the_card_behind_it(void **state)
{
	struct result r;

	(void)state;
	setup_bridges();
	r = resolve(&bridged, "00:01.0");
	check_refused(&r, -EPERM);
	assert_contains(r.why, "the card behind it is 0000:01:00");
	assert_contains(r.why, "(vfio.devices=01:00)");
}

static void test_bridge_never_offers_a_disk(void **state)
{
	struct result r;

	(void)state;
	setup_bridges();
	r = resolve(&bridged, "00:1b");
	check_refused(&r, -EPERM);
	assert_contains(r.why, "no graphics card is behind it, only 0000:02:00.0 (nvme)");
	assert_null(strstr(r.why, "vfio.devices="));
	r = resolve(&bridged, "00:1c");
	assert_contains(r.why, "nothing is behind it");
}

static void test_entry_names_function(void **state)
{
	struct entry slot, func, other;

	(void)state;
	assert_int_equal(entry_parse("01:00", 5, &slot), 0);
	assert_int_equal(entry_parse("01:00.1", 7, &func), 0);
	assert_int_equal(entry_parse("0001:01:00.1", 12, &other), 0);
	assert_false(entry_names_function(&slot, &bridged_fns[4]));
	assert_true(entry_names_function(&func, &bridged_fns[4]));
	assert_false(entry_names_function(&func, &bridged_fns[3]));
	assert_false(entry_names_function(&other, &bridged_fns[4]));
}

/* --- card.c: which functions of a slot are the graphics card ---------------- */

/* An AMD APU's graphics slot, with the processor's PSP and USB; and a discrete card. */
static struct pci_function apu_fns[] = {
	FN("0000:03:00.0", 0, 0x03, 0x00, 0, 0x10de, 0x2206, 0x0300, 0),
	FN("0000:03:00.1", 0, 0x03, 0x00, 1, 0x10de, 0x1aef, 0x0403, 0),
	FN("0000:03:00.2", 0, 0x03, 0x00, 2, 0x10de, 0x1ada, 0x0c03, 0),
	FN("0000:03:00.3", 0, 0x03, 0x00, 3, 0x10de, 0x1adb, 0x0c80, 0),
	FN("0000:09:00.0", 0, 0x09, 0x00, 0, 0x1002, 0x15d8, 0x0300, 0),
	FN("0000:09:00.1", 0, 0x09, 0x00, 1, 0x1002, 0x15de, 0x0403, 0),
	FN("0000:09:00.2", 0, 0x09, 0x00, 2, 0x1022, 0x15df, 0x1080, 0),
	FN("0000:09:00.3", 0, 0x09, 0x00, 3, 0x1022, 0x15e0, 0x0c03, 0),
	FN("0000:09:00.6", 0, 0x09, 0x00, 6, 0x1022, 0x15e3, 0x0403, 0),
};

static const struct pci_function_list apu = {
	.items = apu_fns,
	.count = sizeof(apu_fns) / sizeof(apu_fns[0]),
};

static void test_discrete_card_takes_its_usb(void **state)
{
	char value[CARD_VALUE_MAX];
	struct card c;

	(void)state;
	assert_true(card_of(&apu, 2, &c));
	assert_true(card_is_discrete(&apu, &c));
	assert_false(card_function_is_extra(&apu, 2));
	assert_false(card_function_is_extra(&apu, 3));
	assert_int_equal(card_value(&apu, 0, value, sizeof(value), NULL), 0);
	assert_string_equal(value, "03:00@10de:2206");
}

static void test_apu_slot_is_not_all_card(void **state)
{
	char value[CARD_VALUE_MAX], what[320];
	struct card c;

	(void)state;
	assert_true(card_of(&apu, 6, &c));
	assert_int_equal(c.first, 4);
	assert_int_equal(c.count, 5);
	assert_false(card_is_discrete(&apu, &c));
	assert_false(card_function_is_extra(&apu, 4));
	assert_false(card_function_is_extra(&apu, 5)); /* the display's HDMI audio */
	assert_true(card_function_is_extra(&apu, 6));  /* PSP */
	assert_true(card_function_is_extra(&apu, 7));  /* the processor's USB */
	assert_true(card_function_is_extra(&apu, 8));  /* the processor's own audio */
	assert_int_equal(card_value(&apu, 7, value, sizeof(value), NULL), 0);
	assert_string_equal(value, "09:00.0@1002:15d8,09:00.1@1002:15de");
	card_extra_describe(&apu, 6, what, sizeof(what));
	assert_contains(what, "0000:09:00.2 [1022:15df] encryption");
	assert_contains(what, "not part of a graphics card");
}

/* --- group.c: advice never names what the host needs ----------------------- */

static void test_group_host_devices_never_advised(void **state)
{
	struct pci_function fns[] = {
		FN("0000:02:00.0", 0, 0x02, 0x00, 0, 0x1022, 0x43d5, 0x0c03, 0),
		FN("0000:06:00.0", 0, 0x06, 0x00, 0, 0x1002, 0x73ff, 0x0300, 0),
		FN("0000:06:00.1", 0, 0x06, 0x00, 1, 0x1002, 0xab28, 0x0403, 0),
		FN("0000:07:00.0", 0, 0x07, 0x00, 0, 0x144d, 0xa808, 0x0108, 0),
	};
	struct pci_function_list list = { fns, 4, NULL };
	struct group_verdict v;
	const struct group_note *notes = v.notes;
	bool requested[] = { false, true, false, false };
	size_t i, n;

	(void)state;
	for (i = 0; i < 4; i++)
		fns[i].iommu_group = 5;
	snprintf(fns[0].driver, sizeof(fns[0].driver), "xhci_hcd");
	snprintf(fns[3].driver, sizeof(fns[3].driver), "nvme");
	group_verdict(&list, requested, 5, &v);
	n = v.n_notes;
	assert_int_equal(n, 2);
	assert_true(notes[0].error && notes[0].never);
	assert_contains(notes[0].what, "0000:07:00.0");
	assert_contains(notes[0].fix, "never give those to vfio-pci");
	assert_null(strstr(notes[0].fix, "vfio.devices="));
	/* Its own audio is the one thing it may add. */
	assert_contains(notes[1].what, "0000:06:00.1");
	assert_contains(notes[1].fix, "vfio.devices=06:00@1002:73ff");
}

static void test_group_with_two_cards_goes_to_one_vm(void **state)
{
	struct group_verdict v;
	const struct group_note *notes = v.notes;
	bool requested[9] = { true, true, true, true, true, true, false, false, false };
	struct pci_function fns[9];
	struct pci_function_list list = { fns, 9, NULL };
	size_t i, n;

	(void)state;
	memcpy(fns, apu_fns, sizeof(fns));
	for (i = 0; i < 9; i++)
		fns[i].iommu_group = 1;
	group_verdict(&list, requested, 1, &v);
	n = v.n_notes;
	assert_int_equal(n, 3);
	assert_true(notes[0].never);
	assert_contains(notes[0].fix, "integrated GPU cannot go to a VM");
	/* The processor's own audio: neither the host's to keep nor the card's. */
	assert_contains(notes[1].what, "0000:09:00.6");
	assert_false(notes[1].never);
	assert_contains(notes[2].what, "holds the cards 0000:03:00, 0000:09:00");
	assert_contains(notes[2].what, "only go to the same VM");
	assert_false(notes[2].error);
}

static void test_host_needs_and_vmd(void **state)
{
	struct pci_function fn;

	(void)state;
	fn = function_of(0x0104, 0);
	fn.device = 0x467f;
	assert_true(pci_function_is_vmd(&fn));
	assert_true(pci_function_host_needs(&fn));
	fn.device = 0x2822; /* RST RAID without VMD */
	assert_false(pci_function_is_vmd(&fn));
	fn = function_of(0x0403, 0);
	assert_false(pci_function_host_needs(&fn));
	fn = function_of(0x0300, 0);
	assert_false(pci_function_host_needs(&fn));
	fn.boot_vga = true;
	assert_true(pci_function_host_needs(&fn));
}

/* --- paths, and where a guarded card went --------------------------------- */

/* Braced initialisers: clang-format 14, 19 and 21 lay them out differently. */
/* clang-format off */
#define BRIDGE(n, b, s, f, ven, dev, sec, sub)                                                     \
	{                                                                                          \
		.name = n, .bus = b, .slot = s, .func = f, .vendor = ven, .device = dev,           \
		.class_id = 0x0604, .header_type = 1, .secondary_bus = sec,                        \
		.subordinate_bus = sub, .iommu_group = -1                                          \
	}
/* clang-format on */

/*
 * A desktop after an onboard SATA controller behind 00:1b.0 was enabled in
 * the firmware setup: firmware numbers buses depth-first, so the NIC moved
 * from bus 04 to 05 and the RTX 4090 from 05 to 06. An Arc A770 sits
 * behind its card's own switch (root port, upstream, downstream port).
 */
static struct pci_function after_fns[] = {
	FN("0000:00:00.0", 0, 0x00, 0x00, 0, 0x8086, 0xa700, 0x0600, 0),
	BRIDGE("0000:00:01.0", 0x00, 0x01, 0, 0x8086, 0xa70d, 0x01, 0x03),
	FN("0000:00:02.0", 0, 0x00, 0x02, 0, 0x8086, 0xa780, 0x0300, 0),
	BRIDGE("0000:00:1b.0", 0x00, 0x1b, 0, 0x8086, 0x7ac0, 0x04, 0x04),
	BRIDGE("0000:00:1c.0", 0x00, 0x1c, 0, 0x8086, 0x7ab8, 0x05, 0x05),
	BRIDGE("0000:00:1d.0", 0x00, 0x1d, 0, 0x8086, 0x7ab0, 0x06, 0x06),
	BRIDGE("0000:01:00.0", 0x01, 0x00, 0, 0x8086, 0x4fa1, 0x02, 0x03),
	BRIDGE("0000:02:01.0", 0x02, 0x01, 0, 0x8086, 0x4fa4, 0x03, 0x03),
	FN("0000:03:00.0", 0, 0x03, 0x00, 0, 0x8086, 0x56a0, 0x0300, 0),
	FN("0000:04:00.0", 0, 0x04, 0x00, 0, 0x1b21, 0x1164, 0x0106, 0),
	FN("0000:05:00.0", 0, 0x05, 0x00, 0, 0x8086, 0x125c, 0x0200, 0),
	FN("0000:06:00.0", 0, 0x06, 0x00, 0, 0x10de, 0x2684, 0x0300, 0),
	FN("0000:06:00.1", 0, 0x06, 0x00, 1, 0x10de, 0x22ba, 0x0403, 0),
};

static const struct pci_function_list after = {
	after_fns,
	sizeof(after_fns) / sizeof(after_fns[0]),
	NULL,
};

#define SATA_BUS 0x04
#define SATA_PORT_SLOT 0x1b

static struct pci_function before_fns[sizeof(after_fns) / sizeof(after_fns[0])];
static struct pci_function_list before = { before_fns, 0, NULL };

static uint8_t bus_before(uint8_t bus)
{
	return bus > SATA_BUS ? (uint8_t)(bus - 1) : bus;
}

/* The same board before: without the SATA controller and its port, every later bus one lower. */
static int make_before(void **state)
{
	size_t i;

	(void)state;
	before.count = 0;
	for (i = 0; i < after.count; i++) {
		struct pci_function fn = after_fns[i];

		if (fn.bus == SATA_BUS || (fn.bus == 0 && fn.slot == SATA_PORT_SLOT))
			continue;
		fn.bus = bus_before(fn.bus);
		if (fn.secondary_bus) {
			fn.secondary_bus = bus_before(fn.secondary_bus);
			fn.subordinate_bus = bus_before(fn.subordinate_bus);
		}
		snprintf(fn.name, sizeof(fn.name), "%04x:%02x:%02x.%x", fn.domain, fn.bus, fn.slot,
			 fn.func);
		before_fns[before.count++] = fn;
	}
	return 0;
}

static void assert_path_names(const struct result *r, const struct pci_function_list *fns,
			      const char *first, const char *second)
{
	if (second)
		assert_matches(*r, fns, first, second);
	else
		assert_matches(*r, fns, first);
}

/* The point of a path: the same entry names the card before and after. */
static void test_path_follows_renumbered_buses(void **state)
{
	struct result r = resolve(&before, "00:1d.0/00@10de:2684");

	(void)state;
	assert_path_names(&r, &before, "0000:05:00.0", "0000:05:00.1");
	r = resolve(&after, "00:1d.0/00@10de:2684");
	assert_path_names(&r, &after, "0000:06:00.0", "0000:06:00.1");
	r = resolve(&after, "0000:00:1d.0/00.1@10de:22ba");
	assert_path_names(&r, &after, "0000:06:00.1", NULL);
}

static void test_path_through_a_switch(void **state)
{
	struct result r = resolve(&after, "00:01.0/00.0/01.0/00@8086:56a0");

	(void)state;
	assert_path_names(&r, &after, "0000:03:00.0", NULL);
	r = resolve(&before, "00:01.0/00.0/01.0/00.0");
	assert_path_names(&r, &before, "0000:03:00.0", NULL);
}

/* Refused entries on the board after (or BEFORE) renumbering, and exactly why. */
static const struct refusal {
	bool before;
	const char *text;
	int err;
	const char *why;
} refusals[] = {
	/* A path's guard is checked at its end; the card is named where it is. */
	{ false, "00:1c.0/00@10de:2684", -EBADMSG,
	  "guard expects 10de:2684 but 0000:05:00.0 is 8086:125c; the card 10de:2684 is now at 0000:06:00.0 (buses renumbered?): name it by its place, vfio.devices=00:1d.0/00@10de:2684" },
	{ false, "00:1e.0/00", -ENODEV,
	  "matches no PCI device; check the address with 'lspci -D'" },
	{ false, "00:1d.1/00", -ENODEV,
	  "path: 0000:00:1d.1 does not exist; check the path with 'lspci -t'" },
	{ false, "02:01.0/00", -ENODEV,
	  "path: 0000:02:01.0 is behind the bridge 0000:01:00.0, not on a root bus; a path starts at a bridge on a root bus ('lspci -t' shows them at the left)" },
	{ false, "00:02.0/00", -ENODEV,
	  "path: 0000:00:02.0 [8086:a780] vga is not a bridge, so nothing is behind it; check the path with 'lspci -t'" },
	{ false, "00:01.0/00.0/00.0/00", -ENODEV,
	  "path: 0000:02:00.0 does not exist; check the path with 'lspci -t'" },
	{ false, "00:1d.0/01", -ENODEV,
	  "path leads to bus 0000:06, where slot 01 has no function; check the path with 'lspci -t'" },
	{ false, "00:1d.0/00.3", -ENODEV,
	  "path leads to 0000:06:00.3, which does not exist; check the path with 'lspci -t'" },
	/* The domain of a path is its first bridge's; written, it must hold it. */
	{ false, "0001:00:1d.0/00", -ENODEV,
	  "matches no PCI device; check the address with 'lspci -D'" },
	/* The old bus address holds another device: say where the card went. */
	{ false, "05:00@10de:2684", -EBADMSG,
	  "guard expects 10de:2684 but 0000:05:00.0 is 8086:125c; the card 10de:2684 is now at 0000:06:00.0 (buses renumbered?): name it by its place, vfio.devices=00:1d.0/00@10de:2684" },
	{ false, "05:00.1@10de:22ba", -EBADMSG,
	  "guard @10de:22ba: 0000:05:00.1 does not exist; the card 10de:22ba is now at 0000:06:00.1 (buses renumbered?): name it by its place, vfio.devices=00:1d.0/00.1@10de:22ba" },
	/* The old bus is gone altogether (a card moved up a bus). */
	{ true, "06:00@10de:2684", -ENODEV,
	  "matches no PCI device; check the address with 'lspci -D'; the card 10de:2684 is now at 0000:05:00.0 (buses renumbered?): name it by its place, vfio.devices=00:1d.0/00@10de:2684" },
	/* Without the card anywhere, the old advice; without a guard, nothing to look for. */
	{ false, "05:00@1002:744c", -EBADMSG,
	  "guard expects 1002:744c but 0000:05:00.0 is 8086:125c; the address may have shifted after a hardware change: check 'lspci -nn -D' and fix the entry" },
	{ false, "07:00", -ENODEV, "matches no PCI device; check the address with 'lspci -D'" },
};

static void test_path_and_guard_refusals(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal *f = &refusals[i];
		struct result r = resolve(f->before ? &before : &after, f->text);

		check_refused(&r, f->err);
		if (strcmp(r.why, f->why) != 0)
			fail_msg("'%s': \"%s\", not \"%s\"", f->text, r.why, f->why);
	}
}

/*
 * A path's end is checked like a bus address: a bridge is never taken. The
 * card behind it is offered as a path to a path entry.
 */
static void test_path_to_a_bridge(void **state)
{
	struct result r = resolve(&after, "00:01.0/00");

	(void)state;
	assert_int_equal(r.err, -EPERM);
	assert_contains(
	    r.why, "0000:01:00.0 [8086:4fa1] pci-bridge (class 0604, header type 1) is a bridge");
	assert_contains(
	    r.why,
	    "the card behind it is 0000:03:00: name that instead (vfio.devices=00:01.0/00.0/01.0/00)");
	r = resolve(&after, "01:00");
	assert_contains(r.why,
			"the card behind it is 0000:03:00: name that instead (vfio.devices=03:00)");
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

/* Two cards of one model: both named, the user picks. */
static void test_two_identical_cards(void **state)
{
	static struct pci_function two_fns[] = {
		BRIDGE("0000:3a:00.0", 0x3a, 0x00, 0, 0x8086, 0x2030, 0x3b, 0x3b),
		FN("0000:3b:00.0", 0, 0x3b, 0x00, 0, 0x10de, 0x1e07, 0x0300, 0),
		BRIDGE("0000:ae:00.0", 0xae, 0x00, 0, 0x8086, 0x2030, 0xaf, 0xaf),
		FN("0000:af:00.0", 0, 0xaf, 0x00, 0, 0x10de, 0x1e07, 0x0300, 0),
	};
	static const struct pci_function_list two = { two_fns, 4, NULL };
	struct result r = resolve(&two, "3c:00@10de:1e07");

	(void)state;
	check_refused(&r, -ENODEV);
	assert_string_equal(
	    r.why,
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
		FN("0000:01:00.0", 0, 0x01, 0x00, 0, 0x10de, 0x1e07, 0x0300, 0),
		BRIDGE("10000:00:01.0", 0x00, 0x01, 0, 0x8086, 0x1901, 0x01, 0x01),
		FN("10000:01:00.0", 0x10000, 0x01, 0x00, 0, 0x144d, 0xa80a, 0x0108, 0),
	};
	static const struct pci_function_list list = { fns, 4, NULL };

	(void)state;
	fns[2].domain = 0x10000;
	assert_path(&list, 1, false, "0000:00:01.0/00");
	assert_path(&list, 3, true, "10000:00:01.0/00.0");
}

/* A path that just fits is written; one byte short of room is -ENOSPC, not a cut path. */
static void test_topology_path_room(void **state)
{
	char buf[sizeof("00:1d.0/00.1")];

	(void)state;
	assert_int_equal(topology_path(&after, 12, true, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "00:1d.0/00.1");
	assert_int_equal(topology_path(&after, 12, true, buf, sizeof(buf) - 1), -ENOSPC);
	assert_int_equal(topology_path(&after, 12, false, buf, sizeof(buf) - 2), 0);
	assert_string_equal(buf, "00:1d.0/00");
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
	assert_int_equal(
	    topology_value(&after, "03:00.0@8086:56a0,06:00.1@10de:22ba", paths, sizeof(paths)), 1);
	assert_string_equal(paths, "00:01.0/00.0/01.0/00.0@8086:56a0,00:1d.0/00.1@10de:22ba");
	assert_int_equal(topology_value(&after, "00:02@8086:a780", paths, sizeof(paths)), 0);
	assert_string_equal(paths, "00:02@8086:a780");
	assert_true(topology_value(&after, "09:00", paths, sizeof(paths)) < 0);
	assert_int_equal(topology_value(&after, "06:00", paths, 8), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_slot_returns_every_function),
		cmocka_unit_test(test_single_function_slot),
		cmocka_unit_test(test_func_returns_one_function),
		cmocka_unit_test(test_func_zero_returns_only_function_zero),
		cmocka_unit_test(test_domain_given_resolves),
		cmocka_unit_test(test_missing_slot_is_enodev),
		cmocka_unit_test(test_missing_function_is_enodev),
		cmocka_unit_test(test_missing_domain_is_enodev),
		cmocka_unit_test(test_empty_list_is_enodev),
		cmocka_unit_test(test_slot_in_two_domains_is_ambiguous),
		cmocka_unit_test(test_function_in_two_domains_is_ambiguous),
		cmocka_unit_test(test_domain_settles_ambiguity),
		cmocka_unit_test(test_slot_in_one_other_domain_needs_no_domain),
		cmocka_unit_test(test_domain_without_that_slot_is_enodev),
		cmocka_unit_test(test_guard_match_resolves),
		cmocka_unit_test(test_guard_mismatch_is_ebadmsg),
		cmocka_unit_test(test_guard_vendor_mismatch_is_ebadmsg),
		cmocka_unit_test(test_guard_on_whole_slot_checks_function_zero),
		cmocka_unit_test(test_guard_on_function_checks_that_function),
		cmocka_unit_test(test_guard_in_other_domain),
		cmocka_unit_test(test_guard_does_not_pick_domain),
		cmocka_unit_test(test_host_bridge_is_eperm),
		cmocka_unit_test(test_pci_bridge_is_eperm),
		cmocka_unit_test(test_isa_bridge_refuses_whole_slot),
		cmocka_unit_test(test_bridge_after_endpoint_refuses_whole_slot),
		cmocka_unit_test(test_header_type_makes_a_bridge),
		cmocka_unit_test(test_endpoint_beside_bridge_can_be_named),
		cmocka_unit_test(test_guarded_bridge_is_still_eperm),
		cmocka_unit_test(test_bridge_classes),
		cmocka_unit_test(test_bridge_header_types),
		cmocka_unit_test(test_endpoints_are_not_bridges),
		cmocka_unit_test(test_class_kinds),
		cmocka_unit_test(test_bridge_names_the_card_behind_it),
		cmocka_unit_test(test_bridge_never_offers_a_disk),
		cmocka_unit_test(test_entry_names_function),
		cmocka_unit_test_setup(test_path_follows_renumbered_buses, make_before),
		cmocka_unit_test_setup(test_path_through_a_switch, make_before),
		cmocka_unit_test_setup(test_path_and_guard_refusals, make_before),
		cmocka_unit_test_setup(test_path_to_a_bridge, make_before),
		cmocka_unit_test_setup(test_entry_names_function_not_for_paths, make_before),
		cmocka_unit_test_setup(test_two_identical_cards, make_before),
		cmocka_unit_test_setup(test_topology_path, make_before),
		cmocka_unit_test_setup(test_topology_path_domain, make_before),
		cmocka_unit_test_setup(test_topology_path_room, make_before),
		cmocka_unit_test_setup(test_topology_path_loop, make_before),
		cmocka_unit_test_setup(test_topology_value, make_before),
		cmocka_unit_test(test_discrete_card_takes_its_usb),
		cmocka_unit_test(test_apu_slot_is_not_all_card),
		cmocka_unit_test(test_group_host_devices_never_advised),
		cmocka_unit_test(test_group_with_two_cards_goes_to_one_vm),
		cmocka_unit_test(test_host_needs_and_vmd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
