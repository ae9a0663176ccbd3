# SPDX-License-Identifier: GPL-2.0-or-later
"""Filters of the early_bind role: the kernel command line edits and the
reading of `early-bind status --json` (schema: early-bind(8)), kept here as
plain functions rather than in Jinja so that each rule is written once."""

import re

PARAM = "vfio.devices="
VFIO = "vfio-pci"


def _is_param(word):
    # The kernel understands a quoted "vfio.devices=..." word too.
    return word.lstrip('"').startswith(PARAM)


def shell_value(text, name):
    """The value the last `NAME=...` line of a shell-variable file (such as
    /etc/default/grub) assigns, without one layer of quotes; "" when no line
    assigns NAME (the same to GRUB as an empty value)."""
    found = ""
    for line in text.splitlines():
        m = re.match(r"^\s*" + re.escape(name) + r"=(.*?)\s*$", line)
        if m:
            found = m.group(1)
    m = re.match(r"""^(["'])(.*)\1$""", found)
    return m.group(2) if m else found


def cmdline_set(cmdline, devices):
    """CMDLINE with vfio.devices= set to DEVICES (a list of entries): the
    first vfio.devices= word replaced where it stands, any others dropped
    (the binder takes the last one, so a leftover would win), appended when
    there is none.  DEVICES None: every vfio.devices= word dropped."""
    words = (cmdline or "").split()
    new = None if devices is None else PARAM + ",".join(devices)
    out = []
    placed = False
    for w in words:
        if not _is_param(w):
            out.append(w)
        elif not placed and new is not None:
            out.append(new)
            placed = True
    if new is not None and not placed:
        out.append(new)
    return " ".join(out)


def _driver(name):
    return name if name else "no driver"


def status_problems(status, devices):
    """What stops this host's boot from matching DEVICES (the inventory's
    entries), one sentence each naming the entry or function and what to
    do; empty when every requested function is on vfio-pci."""
    expected = ",".join(devices or [])
    if not isinstance(status, dict) or status.get("version") != 1:
        return ["early-bind status --json printed no version 1 document: "
                "install the early-bind this role installs"]
    problems = []
    parameter = status.get("parameter")
    if (parameter or "") != expected:
        problems.append(
            "the running kernel has %s, the inventory asks for vfio.devices=%s: the host "
            "did not boot the command line the role set (reboot it; check the boot loader "
            "entry it booted)" % (
                PARAM + parameter if parameter is not None else "no vfio.devices=",
                expected))
    boot = status.get("boot")
    if boot is not None and (parameter or "") == expected and boot.get("requested") != expected:
        # Equal on a real boot, unless dracut's /etc/cmdline.d has one.
        problems.append(
            "the boot was asked for vfio.devices=%s, not %s (dracut's /etc/cmdline.d/*.conf "
            "counts as part of the command line: look for a vfio.devices= there)"
            % (boot.get("requested"), expected))
    if boot is None:
        if status.get("stuck_at"):
            problems.append("the boot's binder never finished: it stopped %s"
                            % status["stuck_at"])
        elif expected:
            problems.append(
                "no state file (%s): early-bind did not run in this boot's initramfs "
                "(rebuild the initramfs with early-bind installed)" % status.get("state_file"))
        return problems
    for entry in boot.get("entries", []):
        if not entry.get("accepted"):
            problems.append("entry %s refused at boot: %s"
                            % (entry.get("text"), entry.get("error")))
    for fn in boot.get("functions", []):
        if fn.get("now") == VFIO:
            continue
        problems.append(
            "%s [%s:%s] is on %s now, not %s (the boot's outcome: %s, driver then: %s)" % (
                fn.get("address"), fn.get("vendor_id"), fn.get("device_id"),
                _driver(fn.get("now")), VFIO, fn.get("outcome"),
                _driver(fn.get("after"))))
    if boot.get("moved_on"):
        problems.append("the boot's binder passed its deadline while %s" % boot["moved_on"])
    return problems


def status_bound(status):
    """The functions of the last boot that are on vfio-pci now, as
    'ADDRESS [VENDOR:DEVICE]' lines for the play's output."""
    boot = (status or {}).get("boot") or {}
    return ["%s [%s:%s] on %s" % (fn.get("address"), fn.get("vendor_id"),
                                 fn.get("device_id"), VFIO)
            for fn in boot.get("functions", []) if fn.get("now") == VFIO]


class FilterModule:
    def filters(self):
        return {
            "shell_value": shell_value,
            "cmdline_set": cmdline_set,
            "status_problems": status_problems,
            "status_bound": status_bound,
        }
