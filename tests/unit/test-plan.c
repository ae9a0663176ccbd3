// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for plan.c: what a vfio.devices= value asks of a function
 * list (sorted by address, as pcidev.c reads it), each function planned
 * once, the result taken from the outcomes, and the state file's record
 * made from the plan.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/plan.h"

/* Braced initialisers: clang-format 14, 19 and 21 lay them out differently. */
/* clang-format off */
#define FN(n, dom, b, s, f, ven, dev, cls, hdr, grp, drv)                                          \
	{                                                                                          \
		.name = n, .domain = dom, .bus = b, .slot = s, .func = f, .vendor = ven,           \
		.device = dev, .class_id = cls, .header_type = hdr, .iommu_group = grp,            \
		.driver = drv                                                                      \
	}
/* clang-format on */

/* Two domains: slot 01:00 exists in both; a card at 0000:01:00 with two functions. */
static struct pci_function machine_fns[] = {
	FN("0000:00:01.0", 0, 0x00, 0x01, 0, 0x8086, 0x1901, 0x0604, 1, 1, "pcieport"),
	FN("0000:01:00.0", 0, 0x01, 0x00, 0, 0x10de, 0x1e87, 0x0300, 0, 2, ""),
	FN("0000:01:00.1", 0, 0x01, 0x00, 1, 0x10de, 0x10f8, 0x0403, 0, 2, "snd_hda_intel"),
	FN("0000:02:00.0", 0, 0x02, 0x00, 0, 0x144d, 0xa808, 0x0108, 0, 3, "vfio-pci"),
	FN("0001:01:00.0", 1, 0x01, 0x00, 0, 0x8086, 0x1521, 0x0200, 0, 4, "igb"),
	FN("0001:03:00.0", 1, 0x03, 0x00, 0, 0x8086, 0x1521, 0x0200, 0, 2, "igb"),
};

static const struct pci_function_list machine = {
	.items = machine_fns,
	.count = sizeof(machine_fns) / sizeof(machine_fns[0]),
};

static void build(struct plan *p, const char *value)
{
	assert_int_equal(plan_build(p, value, &machine), 0);
}

static void test_named_twice_is_planned_once(void **state)
{
	struct plan p;

	(void)state;
	build(&p, "0000:01:00,0000:01:00.1,0000:01:00.0");
	assert_int_equal(p.n_entries, 3);
	assert_int_equal(p.refused, 0);
	assert_int_equal(p.n_functions, 2);
	assert_string_equal(p.functions[0].fn->name, "0000:01:00.0");
	assert_string_equal(p.functions[1].fn->name, "0000:01:00.1");
	/* Named with .FUNC by a later entry: still the user's choice. */
	assert_true(p.functions[0].by_function);
	assert_true(p.functions[1].by_function);
	assert_true(p.requested[1] && p.requested[2]);
	assert_false(p.requested[0] || p.requested[3]);
	assert_ptr_equal(plan_function_at(&p, 2), &p.functions[1]);
	assert_null(plan_function_at(&p, 0));
	assert_int_equal(p.entries[0].n_matches, 2);
	assert_int_equal(p.entries[1].n_matches, 1);
	plan_free(&p);
}

static void test_slot_alone_is_not_by_function(void **state)
{
	struct plan p;

	(void)state;
	build(&p, "0000:01:00");
	assert_false(p.functions[0].by_function);
	assert_false(p.functions[1].by_function);
	plan_free(&p);
}

static void test_refused_entries_keep_their_reason(void **state)
{
	struct plan p;

	(void)state;
	build(&p, "01:00,00:01.0,zz:00,0000:02:00,0000:09:00");
	assert_int_equal(p.n_entries, 5);
	assert_int_equal(p.refused, 4);
	assert_non_null(strstr(p.entries[0].error, "ambiguous"));
	assert_non_null(strstr(p.entries[1].error, "is a bridge"));
	assert_string_equal(p.entries[2].error, p.entries[2].entry->error);
	assert_string_equal(p.entries[3].error, "");
	assert_non_null(strstr(p.entries[4].error, "matches no PCI device"));
	assert_int_equal(p.n_functions, 1);
	assert_int_equal(p.functions[0].result.outcome, OUTCOME_ALREADY);
	assert_int_equal(plan_result(&p), -EIO);
	plan_free(&p);
}

static void test_outcomes_start_from_the_driver(void **state)
{
	struct plan p;

	(void)state;
	build(&p, "0000:01:00.1,0001:01:00");
	assert_int_equal(p.functions[0].result.outcome, OUTCOME_PLANNED);
	assert_string_equal(p.functions[0].result.before, "snd_hda_intel");
	assert_string_equal(p.functions[0].result.after, "snd_hda_intel");
	assert_string_equal(p.functions[1].result.before, "igb");
	plan_free(&p);
}

static void test_group_first_in_plan_order(void **state)
{
	struct plan p;

	(void)state;
	/* 0001:03:00.0 shares group 2 with the card, named after it. */
	build(&p, "0001:03:00,0001:01:00,0000:01:00");
	assert_int_equal(p.n_functions, 4);
	assert_true(p.functions[0].group_first);  /* 0001:03:00.0, group 2 */
	assert_true(p.functions[1].group_first);  /* 0001:01:00.0, group 4 */
	assert_false(p.functions[2].group_first); /* 0000:01:00.0, group 2 again */
	assert_false(p.functions[3].group_first);
	plan_free(&p);
}

static void test_result_from_outcomes(void **state)
{
	struct plan p;

	(void)state;
	build(&p, "0000:01:00,0000:02:00");
	assert_int_equal(plan_result(&p), -EIO); /* waiting */
	p.functions[0].result.outcome = OUTCOME_BOUND;
	p.functions[1].result.outcome = OUTCOME_WOULD_BIND;
	assert_int_equal(plan_result(&p), 0);
	p.functions[1].result.outcome = OUTCOME_FAILED;
	assert_int_equal(plan_result(&p), -EIO);
	plan_free(&p);
	build(&p, "");
	assert_int_equal(plan_result(&p), 0);
	plan_free(&p);
}

static void test_refuse_all_when_unread(void **state)
{
	struct plan p;

	(void)state;
	build(&p, "0000:01:00,0000:09:00,zz:00");
	plan_refuse_all(&p, "the PCI devices could not be read (No such file or directory)");
	assert_int_equal(p.refused, 3);
	assert_string_equal(p.entries[0].error,
			    "the PCI devices could not be read (No such file or directory)");
	assert_string_equal(p.entries[1].error, p.entries[0].error);
	assert_string_equal(p.entries[2].error, p.entries[2].entry->error);
	plan_free(&p);
}

static void test_record_is_the_state_file_s(void **state)
{
	struct boot_state s = { .iommu = true };
	struct plan p;

	(void)state;
	build(&p, "0000:01:00,0000:09:00");
	p.functions[0].result.outcome = OUTCOME_BOUND;
	snprintf(p.functions[0].result.after, sizeof(p.functions[0].result.after), "vfio-pci");
	state_add_step(&p.functions[0].result, STEP_OVERRIDE, "");
	state_add_step(&p.functions[0].result, STEP_PROBE, "No such device");
	p.functions[1].result.outcome = OUTCOME_WOULD_BIND;
	assert_int_equal(plan_record(&p, &s), 0);
	assert_int_equal(s.n_entries, 2);
	assert_string_equal(s.entries[0].text, "0000:01:00");
	assert_string_equal(s.entries[0].error, "");
	assert_non_null(strstr(s.entries[1].error, "matches no PCI device"));
	assert_int_equal(s.n_functions, 2);
	assert_string_equal(s.functions[0].name, "0000:01:00.0");
	assert_int_equal(s.functions[0].vendor, 0x10de);
	assert_int_equal(s.functions[0].class_id, 0x0300);
	assert_int_equal(s.functions[0].result.outcome, OUTCOME_BOUND);
	assert_string_equal(s.functions[0].result.before, "");
	assert_string_equal(s.functions[0].result.after, "vfio-pci");
	assert_int_equal(s.functions[0].result.n_steps, 2);
	assert_string_equal(s.functions[0].result.steps[1].error, "No such device");
	assert_int_equal(s.functions[1].result.outcome, OUTCOME_PLANNED);
	assert_false(state_result_ok(&s));
	state_free(&s);
	plan_free(&p);
}

static void test_steps_past_the_limit_are_dropped(void **state)
{
	struct plan p;
	size_t i;

	(void)state;
	build(&p, "0000:02:00");
	for (i = 0; i < FUNCTION_STEPS_MAX + 3; i++)
		state_add_step(&p.functions[0].result, STEP_PROBE, "");
	assert_int_equal(p.functions[0].result.n_steps, FUNCTION_STEPS_MAX);
	plan_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_twice_is_planned_once),
		cmocka_unit_test(test_slot_alone_is_not_by_function),
		cmocka_unit_test(test_refused_entries_keep_their_reason),
		cmocka_unit_test(test_outcomes_start_from_the_driver),
		cmocka_unit_test(test_group_first_in_plan_order),
		cmocka_unit_test(test_result_from_outcomes),
		cmocka_unit_test(test_refuse_all_when_unread),
		cmocka_unit_test(test_record_is_the_state_file_s),
		cmocka_unit_test(test_steps_past_the_limit_are_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
