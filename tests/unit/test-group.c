// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for group.c's one rule: which drivers keep an IOMMU group
 * viable (6.1: those that set struct pci_driver.driver_managed_dma), the
 * verdict a group gets, and the "seen before" scan that reports each group
 * once. test-resolve.c has the advice a verdict gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/group.h"
#include "engine/pcidev.h"

/* A function of group 5 with CLASS, header type HDR, on DRIVER ("" for none). */
static struct pci_function member(const char *name, uint16_t class_id, uint8_t hdr,
				  const char *driver)
{
	struct pci_function fn;

	memset(&fn, 0, sizeof(fn));
	snprintf(fn.name, sizeof(fn.name), "%s", name);
	sscanf(name, "%x:%hhx:%hhx.%hhx", &fn.domain, &fn.bus, &fn.slot, &fn.func);
	fn.vendor = 0x1022;
	fn.device = 0x43d5;
	fn.class_id = class_id;
	fn.header_type = hdr;
	fn.iommu_group = 5;
	snprintf(fn.driver, sizeof(fn.driver), "%s", driver);
	return fn;
}

static void test_drivers_that_manage_dma(void **state)
{
	static const char *const manage[] = {
		"vfio-pci",
		"pci-stub",
		"pcieport",
		"mlx5_vfio_pci",
		"hisi_acc_vfio_pci",
		"pds_vfio_pci",
		"nvgrace_gpu_vfio_pci",
		"xe-vfio-pci",
		"vfio-pci-igd",
	};
	static const char *const use_dma_api[] = {
		"xhci_hcd",	 "nvme",      "r8169",	      "shpchp", "vfio",
		"vfio_pci_core", "vfio-pcie", "my_vfio_pcie", "",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(manage) / sizeof(manage[0]); i++)
		assert_true(group_driver_manages_dma(manage[i]));
	for (i = 0; i < sizeof(use_dma_api) / sizeof(use_dma_api[0]); i++)
		assert_false(group_driver_manages_dma(use_dma_api[i]));
}

static void test_member_effect_is_its_driver(void **state)
{
	static const struct {
		uint16_t class_id;
		uint8_t hdr;
		const char *driver;
		enum member_effect effect;
	} cases[] = {
		{ 0x0c03, 0, "mlx5_vfio_pci", MEMBER_HARMLESS },
		{ 0x0c03, 0, "xhci_hcd", MEMBER_BLOCKS },
		{ 0x0c03, 0, "", MEMBER_UNBOUND },
		/* A root complex event collector is no bridge, but pcieport holds it. */
		{ 0x0807, 0, "pcieport", MEMBER_HARMLESS },
		/* The kernel makes no exception for a bridge on a driver that uses the DMA API. */
		{ 0x0604, 1, "shpchp", MEMBER_BLOCKS },
		{ 0x0604, 1, "", MEMBER_HARMLESS },
	};
	struct pci_function fn;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fn = member("0000:02:00.0", cases[i].class_id, cases[i].hdr, cases[i].driver);
		assert_int_equal(group_member_effect(&fn), cases[i].effect);
	}
}

/* Group 5: a bridge, USB, the requested card (VGA and audio), an NVMe. */
static struct pci_function group_fns[5];
static const struct pci_function_list group_list = { group_fns, 5, NULL };
static const bool card_requested[5] = { false, false, true, true, false };

static void fill_group(const char *usb_driver, const char *nvme_driver)
{
	group_fns[0] = member("0000:02:00.0", 0x0c03, 0, usb_driver);
	group_fns[1] = member("0000:02:00.2", 0x0604, 1, "pcieport");
	group_fns[2] = member("0000:06:00.0", 0x0300, 0, "");
	group_fns[2].vendor = 0x1002;
	group_fns[3] = member("0000:06:00.1", 0x0403, 0, "");
	group_fns[3].vendor = 0x1002;
	group_fns[4] = member("0000:07:00.0", 0x0108, 0, nvme_driver);
}

/* The verdict on group 5 with its USB and NVMe on those drivers. */
static void verdict_with(const char *usb_driver, const char *nvme_driver, const bool *requested,
			 struct group_verdict *v)
{
	fill_group(usb_driver, nvme_driver);
	group_verdict(&group_list, requested, 5, v);
}

static void test_verdict_on_vfio_variants_is_viable(void **state)
{
	struct group_verdict v;

	(void)state;
	verdict_with("mlx5_vfio_pci", "vfio-pci", card_requested, &v);
	assert_int_equal(v.n_notes, 0);
	assert_true(v.shared);
	assert_non_null(strstr(v.viable, "IOMMU group 5 is viable"));
	assert_non_null(strstr(v.viable, "0000:02:00.0 [1022:43d5] usb (mlx5_vfio_pci)"));
	assert_non_null(strstr(v.viable, "0000:07:00.0 [1022:43d5] nvme (vfio-pci)"));
	assert_null(strstr(v.viable, "0000:02:00.2"));
}

static void test_verdict_on_host_drivers_is_never(void **state)
{
	struct group_verdict v;

	(void)state;
	verdict_with("mlx5_vfio_pci", "nvme", card_requested, &v);
	assert_int_equal(v.n_notes, 1);
	assert_true(v.notes[0].error && v.notes[0].never);
	assert_non_null(strstr(v.notes[0].what, "0000:07:00.0"));
	assert_null(strstr(v.notes[0].what, "0000:02:00.0"));
	assert_false(v.shared);
	assert_string_equal(v.viable, "");
}

static void test_verdict_alone_is_viable(void **state)
{
	static const bool all_but_bridge[5] = { true, false, true, true, true };
	struct group_verdict v;

	(void)state;
	verdict_with("xhci_hcd", "nvme", all_but_bridge, &v);
	assert_int_equal(v.n_notes, 0);
	assert_false(v.shared);
	assert_string_equal(v.viable,
			    "IOMMU group 5 holds nothing else a VM would need (bridges apart)");
}

static void test_group_seen_before(void **state)
{
	static const bool only_nvme[5] = { false, false, false, false, true };

	(void)state;
	fill_group("", "");
	group_fns[1].iommu_group = 6;
	assert_false(group_seen_before(&group_list, NULL, 0, 0));
	assert_false(group_seen_before(&group_list, NULL, 0, 1));
	assert_true(group_seen_before(&group_list, NULL, 0, 2));
	/* Only functions from FROM on, and only those AMONG marks, count. */
	assert_false(group_seen_before(&group_list, NULL, 2, 2));
	assert_true(group_seen_before(&group_list, NULL, 2, 3));
	assert_true(group_seen_before(&group_list, card_requested, 0, 4));
	assert_false(group_seen_before(&group_list, card_requested, 0, 2));
	assert_false(group_seen_before(&group_list, only_nvme, 0, 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drivers_that_manage_dma),
		cmocka_unit_test(test_member_effect_is_its_driver),
		cmocka_unit_test(test_verdict_on_vfio_variants_is_viable),
		cmocka_unit_test(test_verdict_on_host_drivers_is_never),
		cmocka_unit_test(test_verdict_alone_is_viable),
		cmocka_unit_test(test_group_seen_before),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
