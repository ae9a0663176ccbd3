// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for sriov.c's pure part: where a physical function's virtual
 * functions appear, and which entries name a VF that does not exist yet,
 * on hand-built function lists sorted by address as pciscan.c reads them.
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
#include "engine/plan.h"
#include "engine/sriov.h"

/* Braced initialisers: clang-format 14, 19 and 21 lay them out differently. */
/* clang-format off */
#define FN(n, b, s, f, ven, dev, cls)                                                              \
	{                                                                                          \
		.name = n, .bus = b, .slot = s, .func = f, .vendor = ven, .device = dev,           \
		.class_id = cls, .iommu_group = -1                                                 \
	}
/* clang-format on */

/*
 * An Intel iGPU with up to 7 VFs at 00:02.1-7 (offset 1, stride 1), none
 * enabled, as in the initramfs; and a NIC whose VFs start at 3b:10.0
 * (offset 0x80, stride 2), as Intel's 82599 has them.
 */
static struct pci_function boot_fns[] = {
	FN("0000:00:00.0", 0x00, 0x00, 0, 0x8086, 0xa700, 0x0600),
	FN("0000:00:02.0", 0x00, 0x02, 0, 0x8086, 0xa780, 0x0300),
	FN("0000:3b:00.0", 0x3b, 0x00, 0, 0x8086, 0x10fb, 0x0200),
};

static const struct pci_function_list boot = {
	boot_fns,
	sizeof(boot_fns) / sizeof(boot_fns[0]),
	NULL,
};

static void setup_boot(void)
{
	boot_fns[1].sriov =
	    (struct pci_sriov){ .totalvfs = 7, .offset = 1, .stride = 1, .vf_device = 0xa780 };
	boot_fns[2].sriov =
	    (struct pci_sriov){ .totalvfs = 63, .offset = 0x80, .stride = 2, .vf_device = 0x10ed };
}

static void test_vf_addresses(void **state)
{
	uint8_t bus, slot, func;

	(void)state;
	setup_boot();
	assert_true(sriov_vf_address(&boot_fns[1], 0, &bus, &slot, &func));
	assert_int_equal(bus, 0x00);
	assert_int_equal(slot, 0x02);
	assert_int_equal(func, 1);
	assert_true(sriov_vf_address(&boot_fns[1], 6, &bus, &slot, &func));
	assert_int_equal(func, 7);
	/* 0x3b00 + 0x80 + 2 * 5 = 0x3b8a: 3b:11.2 */
	assert_true(sriov_vf_address(&boot_fns[2], 5, &bus, &slot, &func));
	assert_int_equal(bus, 0x3b);
	assert_int_equal(slot, 0x11);
	assert_int_equal(func, 2);
	/* 0x3b00 + 0x80 + 2 * 62 = 0x3bfc, and further VFs run onto bus 3c */
	assert_true(sriov_vf_address(&boot_fns[2], 100, &bus, &slot, &func));
	assert_int_equal(bus, 0x3c);
}

static void test_vf_address_past_last_bus(void **state)
{
	struct pci_function pf = FN("0000:ff:00.0", 0xff, 0x00, 0, 0x8086, 0x10fb, 0x0200);
	uint8_t bus, slot, func;

	(void)state;
	pf.sriov = (struct pci_sriov){ .totalvfs = 4, .offset = 0x100, .stride = 1 };
	assert_false(sriov_vf_address(&pf, 0, &bus, &slot, &func));
}

static bool explained(const char *text, char *why)
{
	struct entry e;

	assert_int_equal(entry_parse(text, strlen(text), &e), 0);
	why[0] = '\0';
	return sriov_explain_missing(&e, &boot, why, RESOLVE_ERROR_MAX);
}

static void test_missing_vf_is_explained(void **state)
{
	char why[RESOLVE_ERROR_MAX];

	(void)state;
	setup_boot();
	assert_true(explained("00:02.3", why));
	assert_non_null(strstr(why, "virtual function 2 of SR-IOV physical function 0000:00:02.0"));
	assert_non_null(strstr(why, "sriov_numvfs"));
	assert_non_null(strstr(why, "'early-bind bind 00:02.3'"));
	/* A guard and a domain are kept in what to bind. */
	assert_true(explained("0000:00:02.7@8086:a780", why));
	assert_non_null(strstr(why, "'early-bind bind 0000:00:02.7@8086:a780'"));
	/* A whole slot of the NIC's VFs, on the PF's bus but another slot. */
	assert_true(explained("3b:10", why));
	assert_non_null(strstr(why, "virtual function 0 of SR-IOV physical function 0000:3b:00.0"));
	assert_true(explained("3b:10.2", why));
	assert_non_null(strstr(why, "virtual function 1 of"));
}

static void test_what_is_no_vf_is_not_explained(void **state)
{
	char why[RESOLVE_ERROR_MAX];

	(void)state;
	setup_boot();
	assert_false(explained("00:02.0", why));      /* present */
	assert_false(explained("00:02", why));	      /* present */
	assert_false(explained("00:03.0", why));      /* no PF puts a VF there */
	assert_false(explained("3b:10.1", why));      /* between VFs of stride 2 */
	assert_false(explained("0001:00:02.3", why)); /* another domain */
	assert_string_equal(why, "");
	boot_fns[1].sriov.totalvfs = 0; /* no longer a PF */
	assert_false(explained("00:02.3", why));
}

/* Without sriov_offset (a kernel before it), the PF's bus is where VFs appear. */
static void test_unknown_offset_takes_the_pf_bus(void **state)
{
	char why[RESOLVE_ERROR_MAX];

	(void)state;
	setup_boot();
	boot_fns[2].sriov.offset = 0;
	boot_fns[2].sriov.stride = 0;
	assert_true(explained("3b:10.1", why));
	assert_non_null(
	    strstr(why, "one of the virtual functions of SR-IOV physical function 0000:3b:00.0"));
	assert_false(explained("3c:00.0", why));
}

/* The boot, bind and check read entries through the plan: it says the same. */
static void test_plan_explains_a_missing_vf(void **state)
{
	struct plan plan;

	(void)state;
	setup_boot();
	assert_int_equal(plan_build(&plan, "00:02.1,00:05.0", &boot), 0);
	assert_int_equal(plan.refused, 2);
	assert_non_null(strstr(plan.entries[0].error, "virtual function 0"));
	assert_non_null(strstr(plan.entries[1].error, "matches no PCI device"));
	plan_free(&plan);
}

static void test_pf_of_a_vf(void **state)
{
	struct pci_function fns[] = {
		FN("0000:00:02.0", 0x00, 0x02, 0, 0x8086, 0xa780, 0x0300),
		FN("0000:00:02.1", 0x00, 0x02, 1, 0x8086, 0xa780, 0x0300),
		FN("0000:00:14.0", 0x00, 0x14, 0, 0x8086, 0x7a60, 0x0c03),
	};
	const struct pci_function_list list = { fns, 3, NULL };
	char vfs[128];

	(void)state;
	fns[0].sriov = (struct pci_sriov){ .totalvfs = 7, .numvfs = 1, .offset = 1, .stride = 1 };
	snprintf(fns[1].sriov.physfn, sizeof(fns[1].sriov.physfn), "0000:00:02.0");
	assert_true(sriov_is_pf(&fns[0]));
	assert_true(sriov_is_vf(&fns[1]));
	assert_int_equal(sriov_pf_of(&list, 1), 0);
	assert_int_equal(sriov_pf_of(&list, 2), 3); /* no VF: the list's end */
	assert_int_equal(sriov_list_vfs(&list, 0, vfs, sizeof(vfs)), 1);
	assert_string_equal(vfs, "0000:00:02.1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vf_addresses),
		cmocka_unit_test(test_vf_address_past_last_bus),
		cmocka_unit_test(test_missing_vf_is_explained),
		cmocka_unit_test(test_what_is_no_vf_is_not_explained),
		cmocka_unit_test(test_unknown_offset_takes_the_pf_bus),
		cmocka_unit_test(test_plan_explains_a_missing_vf),
		cmocka_unit_test(test_pf_of_a_vf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
