/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

/*
 * Whether the running host uses PCI function ADDR ("0000:3b:00.0") through
 * a disk or a network interface that is up, itself or behind it (a USB disk
 * on a card's USB controller counts). Taking such a function at runtime
 * pulls filesystems or a connection (an SSH session) from under the host.
 * Names them in BUF ("disk nvme0n1, network interface enp7s0 up").
 * Returns 1 when it does, 0 when not, or -errno.
 */
int host_use_describe(int root_fd, const char *addr, char *buf, size_t size);
