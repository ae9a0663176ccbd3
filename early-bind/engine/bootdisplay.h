/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "engine/pcidev.h"

/*
 * The boot display, the one the firmware drew on. The kernel says it in
 * boot_vga, for VGA-class displays (0300) only: its VGA arbiter makes the
 * file for those, so a display of class 0380 or 0302, as many AMD APUs
 * have (Strix Halo, Phoenix), has none. For those the firmware
 * framebuffer's place decides: /proc/iomem shows the efifb,
 * simple-framebuffer or BOOTFB range inside the BAR of the display it
 * draws on. root reads the addresses; the initramfs runs as root.
 */

/*
 * Sets framebuffer_bar of each display without boot_vga in FNS that WHICH
 * (parallel to FNS; NULL: every one) marks, reading /proc/iomem once, and
 * only when there is such a display. They stay BOOT_FB_UNKNOWN when
 * /proc/iomem holds no firmware framebuffer at all (a GPU driver that took
 * the display removed it), or when it cannot be read: then -errno (-EACCES:
 * its addresses are hidden, as from users other than root); else 0.
 */
int boot_display_find(int root_fd, struct pci_function_list *fns, const bool *which);

/*
 * Why FN, the boot display, is it, into BUF: "boot_vga=1", or "the firmware
 * framebuffer lies in its BAR2; the kernel gives class-0380 devices no
 * boot_vga".
 */
void boot_display_evidence(const struct pci_function *fn, char *buf, size_t size);
