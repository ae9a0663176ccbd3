// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for card.c on cards with a PCIe switch of their own (Intel
 * Arc: the GPU and its audio on different buses behind the card's switch),
 * on hand-built function lists sorted by address like the one pciscan.c
 * reads, with the bus numbers of every bridge.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/bootdisplay.h"
#include "engine/card.h"
#include "engine/pcidev.h"

/* Braced initialisers: clang-format 14, 19 and 21 lay them out differently. */
/* clang-format off */
#define FN(n, b, s, f, ven, dev, cls, grp)                                                         \
	{                                                                                          \
		.name = n, .bus = b, .slot = s, .func = f, .vendor = ven, .device = dev,           \
		.class_id = cls, .iommu_group = grp                                                \
	}
#define BR(n, b, s, ven, dev, sec, sub, grp)                                                       \
	{                                                                                          \
		.name = n, .bus = b, .slot = s, .vendor = ven, .device = dev, .class_id = 0x0604,  \
		.header_type = 1, .secondary_bus = sec, .subordinate_bus = sub, .iommu_group = grp \
	}
/* clang-format on */

/*
 * An Arc A310 behind a chipset downstream port without ACS (one group, 17),
 * an ASPEED BMC behind its PCIe-to-PCI bridge, an NVIDIA card behind a
 * board's PLX switch, and an Arc B50 in a CPU slot, each function in a
 * group of its own (the published topology of granite-ridge-arc.machine,
 * the PLX card added).
 */
static struct pci_function fns_arr[] = {
	BR("0000:00:01.1", 0x00, 0x01, 0x1022, 0x14db, 0x01, 0x04, 1),
	BR("0000:00:02.1", 0x00, 0x02, 0x1022, 0x14db, 0x05, 0x0c, 3),
	BR("0000:00:03.1", 0x00, 0x03, 0x1022, 0x14db, 0x20, 0x23, 4),
	BR("0000:01:00.0", 0x01, 0x00, 0x8086, 0xe2ff, 0x02, 0x04, 11), /* B50 upstream */
	BR("0000:02:01.0", 0x02, 0x01, 0x8086, 0xe2f0, 0x03, 0x03, 12),
	BR("0000:02:02.0", 0x02, 0x02, 0x8086, 0xe2f1, 0x04, 0x04, 13),
	FN("0000:03:00.0", 0x03, 0x00, 0, 0x8086, 0xe212, 0x0300, 14),
	FN("0000:04:00.0", 0x04, 0x00, 0, 0x8086, 0xe2f7, 0x0403, 15),
	BR("0000:05:00.0", 0x05, 0x00, 0x1022, 0x43f4, 0x06, 0x0c, 16), /* chipset */
	BR("0000:06:00.0", 0x06, 0x00, 0x1022, 0x43f5, 0x07, 0x0a, 17),
	BR("0000:06:08.0", 0x06, 0x08, 0x1022, 0x43f5, 0x0b, 0x0c, 18),
	BR("0000:07:00.0", 0x07, 0x00, 0x8086, 0x4fa1, 0x08, 0x0a, 17), /* A310 upstream */
	BR("0000:08:01.0", 0x08, 0x01, 0x8086, 0x4fa4, 0x09, 0x09, 17),
	BR("0000:08:04.0", 0x08, 0x04, 0x8086, 0x4fa4, 0x0a, 0x0a, 17),
	FN("0000:09:00.0", 0x09, 0x00, 0, 0x8086, 0x56a6, 0x0300, 17),
	FN("0000:0a:00.0", 0x0a, 0x00, 0, 0x8086, 0x4f92, 0x0403, 17),
	BR("0000:0b:00.0", 0x0b, 0x00, 0x1a03, 0x1150, 0x0c, 0x0c, 18), /* AST1150 */
	FN("0000:0c:00.0", 0x0c, 0x00, 0, 0x1a03, 0x2000, 0x0300, 18),
	BR("0000:20:00.0", 0x20, 0x00, 0x10b5, 0x8747, 0x21, 0x23, 20), /* PLX upstream */
	BR("0000:21:08.0", 0x21, 0x08, 0x10b5, 0x8747, 0x22, 0x22, 21),
	BR("0000:21:10.0", 0x21, 0x10, 0x10b5, 0x8747, 0x23, 0x23, 22),
	FN("0000:22:00.0", 0x22, 0x00, 0, 0x10de, 0x2204, 0x0300, 23),
	FN("0000:22:00.1", 0x22, 0x00, 1, 0x10de, 0x1aef, 0x0403, 23),
	FN("0000:23:00.0", 0x23, 0x00, 0, 0x144d, 0xa80a, 0x0108, 24),
};

static const struct pci_function_list fns = { fns_arr, sizeof(fns_arr) / sizeof(fns_arr[0]), NULL };

static size_t at(const char *name)
{
	size_t i;

	for (i = 0; i < fns.count; i++)
		if (strcmp(fns.items[i].name, name) == 0)
			return i;
	fail_msg("no function %s", name);
	return 0;
}

static void test_switch_card_spans_its_buses(void **state)
{
	char value[CARD_VALUE_MAX];
	struct card c, from_audio;

	(void)state;
	assert_true(card_of(&fns, at("0000:09:00.0"), &c));
	assert_true(card_has_switch(&c));
	assert_int_equal(c.upstream, at("0000:07:00.0"));
	assert_int_equal(c.display, at("0000:09:00.0"));
	assert_true(card_has_function(&fns, &c, at("0000:0a:00.0")));
	assert_false(card_has_function(&fns, &c, at("0000:08:01.0"))); /* a switch port */
	assert_true(card_is_discrete(&fns, &c));
	/* The audio, on a bus of its own, belongs to the same card. */
	assert_true(card_of(&fns, at("0000:0a:00.0"), &from_audio));
	assert_int_equal(from_audio.display, c.display);
	assert_false(card_function_is_extra(&fns, at("0000:0a:00.0")));
	assert_int_equal(card_value(&fns, at("0000:0a:00.0"), value, sizeof(value), NULL), 0);
	assert_string_equal(value, "09:00@8086:56a6,0a:00@8086:4f92");
	assert_int_equal(card_value(&fns, at("0000:03:00.0"), value, sizeof(value), NULL), 0);
	assert_string_equal(value, "03:00@8086:e212,04:00@8086:e2f7");
}

static void test_not_a_card_switch(void **state)
{
	char value[CARD_VALUE_MAX];
	struct card c;

	(void)state;
	/* The AST1150 is a PCIe-to-PCI bridge below a chipset port of another vendor. */
	assert_true(card_of(&fns, at("0000:0c:00.0"), &c));
	assert_false(card_has_switch(&c));
	/* A board's PLX switch is no part of the NVIDIA card behind it, nor the NVMe. */
	assert_true(card_of(&fns, at("0000:22:00.0"), &c));
	assert_false(card_has_switch(&c));
	assert_int_equal(c.count, 2);
	assert_int_equal(card_value(&fns, at("0000:22:00.1"), value, sizeof(value), NULL), 0);
	assert_string_equal(value, "22:00@10de:2204");
	assert_false(card_of(&fns, at("0000:23:00.0"), &c));
	/* Switch ports belong to no card. */
	assert_false(card_of(&fns, at("0000:08:04.0"), &c));
	assert_false(card_function_is_extra(&fns, at("0000:08:04.0")));
}

static void test_card_list_has_each_switch_card_once(void **state)
{
	struct card_list cards;

	(void)state;
	assert_int_equal(card_list_find(&fns, &cards), 0);
	assert_int_equal(cards.count, 4);
	assert_int_equal(cards.items[0].display, at("0000:03:00.0"));
	assert_int_equal(cards.items[1].display, at("0000:09:00.0"));
	assert_int_equal(cards.items[2].display, at("0000:0c:00.0"));
	assert_int_equal(cards.items[3].display, at("0000:22:00.0"));
	card_list_free(&cards);
}

static void test_left_out_and_switch_ports(void **state)
{
	bool requested[sizeof(fns_arr) / sizeof(fns_arr[0])] = { false };
	char buf[256];
	struct card c;
	bool shared;

	(void)state;
	strcpy(fns_arr[at("0000:0a:00.0")].driver, "snd_hda_intel");
	assert_true(card_of(&fns, at("0000:09:00.0"), &c));
	requested[at("0000:09:00.0")] = true;
	assert_int_equal(card_left_out(&fns, &c, requested, buf, sizeof(buf), &shared), 1);
	assert_string_equal(buf, "0000:0a:00.0 [8086:4f92] audio (snd_hda_intel)");
	assert_true(shared); /* group 17 */
	requested[at("0000:0a:00.0")] = true;
	assert_int_equal(card_left_out(&fns, &c, requested, buf, sizeof(buf), &shared), 0);
	assert_false(shared);
	/* The B50's audio has a group of its own. */
	assert_true(card_of(&fns, at("0000:03:00.0"), &c));
	memset(requested, 0, sizeof(requested));
	requested[at("0000:03:00.0")] = true;
	assert_int_equal(card_left_out(&fns, &c, requested, buf, sizeof(buf), &shared), 1);
	assert_false(shared);
	card_switch_describe(&fns, &c, buf, sizeof(buf));
	assert_string_equal(
	    buf, "0000:01:00.0 (upstream port), 0000:02:01.0, 0000:02:02.0 (downstream ports)");
	/* A card that is one slot leaves nothing out of another slot. */
	assert_true(card_of(&fns, at("0000:22:00.0"), &c));
	assert_int_equal(card_left_out(&fns, &c, requested, buf, sizeof(buf), NULL), 0);
}

/*
 * An APU's display of class 0380 (Strix Halo), which the kernel gives no
 * boot_vga, beside an ASPEED BMC's VGA display (boot_vga=0).
 */
static struct pci_function apu_arr[] = {
	FN("0000:0c:00.0", 0x0c, 0x00, 0, 0x1a03, 0x2000, 0x0300, 18),
	FN("0000:c5:00.0", 0xc5, 0x00, 0, 0x1002, 0x1586, 0x0380, 19),
	FN("0000:c5:00.1", 0xc5, 0x00, 1, 0x1002, 0x1640, 0x0403, 20),
};

static const struct pci_function_list apu = { apu_arr, 3, NULL };

static void test_boot_display_from_framebuffer(void **state)
{
	char evidence[160];

	(void)state;
	apu_arr[1].boot_vga_absent = true;
	apu_arr[1].framebuffer_bar = BOOT_FB_UNKNOWN;
	assert_false(pci_function_is_boot_display(&apu_arr[1]));
	apu_arr[1].framebuffer_bar = BOOT_FB_NONE;
	assert_false(pci_function_is_boot_display(&apu_arr[1]));
	apu_arr[1].framebuffer_bar = 2;
	assert_true(pci_function_is_boot_display(&apu_arr[1]));
	boot_display_evidence(&apu_arr[1], evidence, sizeof(evidence));
	assert_string_equal(
	    evidence,
	    "the firmware framebuffer lies in its BAR2; the kernel gives class-0380 devices no boot_vga");
	apu_arr[1].framebuffer_bar = BOOT_FB_SOME_BAR;
	boot_display_evidence(&apu_arr[1], evidence, sizeof(evidence));
	assert_string_equal(
	    evidence,
	    "the firmware framebuffer lies in its memory; the kernel gives class-0380 devices no boot_vga");
	/* A display with boot_vga is told by it alone. */
	assert_false(pci_function_is_boot_display(&apu_arr[0]));
	apu_arr[0].boot_vga = true;
	assert_true(pci_function_is_boot_display(&apu_arr[0]));
	boot_display_evidence(&apu_arr[0], evidence, sizeof(evidence));
	assert_string_equal(evidence, "boot_vga=1");
	apu_arr[0].boot_vga = false;
}

static void test_single_gpu(void **state)
{
	bool apu_only[3] = { false, true, true }, both[3] = { true, true, false };
	char what[768];

	(void)state;
	apu_arr[1].boot_vga_absent = true;
	apu_arr[1].framebuffer_bar = 0;
	/* The BMC's display stays with the host. */
	assert_true(card_host_keeps_display(&apu, apu_only));
	assert_int_equal(card_single_gpu(&apu, apu_only, what, sizeof(what)), apu.count);
	assert_string_equal(what, "");
	/* Said at the boot display, with its evidence, though another comes first. */
	assert_false(card_host_keeps_display(&apu, both));
	assert_int_equal(card_single_gpu(&apu, both, what, sizeof(what)), 1);
	assert_non_null(strstr(
	    what,
	    "every display controller of this machine, 0000:0c:00.0, 0000:c5:00.0 (the boot display: the firmware framebuffer lies in its BAR0; the kernel gives class-0380 devices no boot_vga), so the host keeps none"));
	assert_non_null(strstr(what, "video=efifb:off"));
	/* Without a known boot display: at the first display. */
	apu_arr[1].framebuffer_bar = BOOT_FB_UNKNOWN;
	assert_int_equal(card_single_gpu(&apu, both, what, sizeof(what)), 0);
	assert_null(strstr(what, "boot display"));
	assert_null(strstr(what, "efifb"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_switch_card_spans_its_buses),
		cmocka_unit_test(test_not_a_card_switch),
		cmocka_unit_test(test_card_list_has_each_switch_card_once),
		cmocka_unit_test(test_left_out_and_switch_ports),
		cmocka_unit_test(test_boot_display_from_framebuffer),
		cmocka_unit_test(test_single_gpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
