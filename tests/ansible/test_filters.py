# SPDX-License-Identifier: GPL-2.0-or-later
"""The early_bind role's filters (contrib/ansible/plugins/filter), on
command lines and on the status --json documents of tests/commands/cases,
the binary's own output.  Run by tests/ansible/run.sh."""

import importlib.util
import json
import os
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SPEC = importlib.util.spec_from_file_location(
    "early_bind_filters", os.path.join(ROOT, "contrib/ansible/plugins/filter/early_bind.py"))
F = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(F)


def case(name):
    with open(os.path.join(ROOT, "tests/commands/cases", name, "expected-stdout")) as f:
        return json.load(f)


class ShellValue(unittest.TestCase):
    def test_quotes(self):
        text = 'A="x y"\nB=\'p q\'\nC=plain\n'
        self.assertEqual(F.shell_value(text, "A"), "x y")
        self.assertEqual(F.shell_value(text, "B"), "p q")
        self.assertEqual(F.shell_value(text, "C"), "plain")

    def test_last_assignment_wins_prefix_is_another_name(self):
        text = 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_CMDLINE_LINUX="a"\nGRUB_CMDLINE_LINUX="b"\n'
        self.assertEqual(F.shell_value(text, "GRUB_CMDLINE_LINUX"), "b")
        self.assertEqual(F.shell_value(text, "GRUB_CMDLINE_LINUX_DEFAULT"), "quiet")

    def test_missing_is_empty(self):
        self.assertEqual(F.shell_value("#GRUB_CMDLINE_LINUX=\"x\"\n", "GRUB_CMDLINE_LINUX"), "")


class CmdlineSet(unittest.TestCase):
    def test_replaced_in_place_others_dropped(self):
        self.assertEqual(
            F.cmdline_set('a vfio.devices=1 b "vfio.devices=2" c', ["3b:00", "af:00"]),
            "a vfio.devices=3b:00,af:00 b c")

    def test_appended(self):
        self.assertEqual(F.cmdline_set("quiet", ["3b:00"]), "quiet vfio.devices=3b:00")
        self.assertEqual(F.cmdline_set("", ["3b:00"]), "vfio.devices=3b:00")

    def test_empty_list_is_empty_value(self):
        self.assertEqual(F.cmdline_set("a vfio.devices=1", []), "a vfio.devices=")

    def test_none_removes(self):
        self.assertEqual(F.cmdline_set("a vfio.devices=1 b vfio.devices=2", None), "a b")

    def test_idempotent(self):
        once = F.cmdline_set("x vfio.devices=1 y", ["2"])
        self.assertEqual(F.cmdline_set(once, ["2"]), once)

    def test_other_parameters_kept(self):
        self.assertEqual(F.cmdline_set("vfio-pci.ids=10de:1e07 avfio.devices=1", ["2"]),
                         "vfio-pci.ids=10de:1e07 avfio.devices=1 vfio.devices=2")


class StatusProblems(unittest.TestCase):
    def test_all_bound(self):
        self.assertEqual(F.status_problems(case("status-json-ids"), ["af:00"]), [])
        self.assertEqual(F.status_bound(case("status-json-ids")),
                         ["0000:af:00.%d [10de:%s] on vfio-pci" % (n, d)
                          for n, d in enumerate(["1e07", "10f7", "1ad6", "1ad7"])])

    def test_functions_back_with_the_host_are_named_with_their_driver(self):
        p = F.status_problems(case("status-json-bound"), ["3b:00", "af:00"])
        self.assertEqual(len(p), 4, p)
        self.assertTrue(p[0].startswith("0000:3b:00.0 [10de:1e07] is on nouveau now, not vfio-pci"), p)
        self.assertIn("0000:3b:00.3 [10de:1ad7] is on nvidia-gpu now", p[3])

    def test_other_parameter(self):
        p = F.status_problems(case("status-json-ids"), ["3b:00"])
        self.assertEqual(len(p), 1, p)
        self.assertIn("vfio.devices=af:00, the inventory asks for vfio.devices=3b:00", p[0])

    def test_no_state_file(self):
        p = F.status_problems(case("status-json-no-state"), ["3b:00", "af:00"])
        self.assertEqual(len(p), 1, p)
        self.assertIn("no state file (/run/early-bind/state)", p[0])

    def test_hang(self):
        p = F.status_problems(case("status-json-after-hang"), ["3b:00", "af:00"])
        self.assertEqual(p, ["the boot's binder never finished: it stopped writing "
                             "'0000:3b:00.2' to /sys/bus/pci/devices/0000:3b:00.2/driver/unbind"])

    def test_refused_entry_other_request_no_driver(self):
        p = F.status_problems(case("status-json-refused-entry"), ["0000:01:00"])
        self.assertIn("the boot was asked for vfio.devices=01:00,0000:01:00,5d:05.5", p[0])
        self.assertTrue(p[1].startswith("entry 01:00 refused at boot: is ambiguous"), p)
        self.assertIn("0000:01:00.0 [10de:1d01] is on no driver now", p[2])
        self.assertIn("0000:5d:05.5 [8086:201d] is on vmd now", p[4])

    def test_moved_on(self):
        p = F.status_problems(case("status-json-moved-on"), ["3b:00"])
        self.assertIn("the boot's binder passed its deadline while taking 0000:3b:00.2 from xhci_hcd", p)

    def test_not_a_status_document(self):
        self.assertEqual(len(F.status_problems({}, ["3b:00"])), 1)
        self.assertEqual(len(F.status_problems({"version": 2}, ["3b:00"])), 1)


if __name__ == "__main__":
    unittest.main()
