/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

#include "engine/pcidev.h"

enum host_use {
	HOST_UNUSED = 0,
	HOST_USED = 1,
	HOST_MAY_USE = 2, /* only through an interface in another network namespace */
	HOST_DRAWS = 3,	  /* a display: a process has its DRM nodes open, or the console is on it */
};

/*
 * Whether the running host uses PCI function FN through a disk or a network
 * interface that is up, itself or behind it (a USB disk on a card's USB
 * controller counts), or may use it through an interface in another network
 * namespace (a network controller a driver holds that shows none here), or
 * draws on it: a process (a display server, a compositor) has one of its
 * DRM nodes open, or the framebuffer console is on one of its framebuffers.
 * Taking such a function at runtime pulls filesystems, a connection (an SSH
 * session) or the screen from under the host. Names them in BUF ("disk
 * nvme0n1, network interface enp7s0 up", "process 812 (Xorg) has
 * /dev/dri/card0 open"). Returns an enum host_use, or -errno when it cannot
 * tell, with what could not be read in BUF ("cannot read /sys/class/block:
 * No such file or directory").
 */
int host_use_describe(int root_fd, const struct pci_function *fn, char *buf, size_t size);
