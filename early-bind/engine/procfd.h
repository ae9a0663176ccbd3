/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

/* A process's name as proc/PID/comm holds it (TASK_COMM_LEN). */
#define PROC_COMM_MAX 32

/* The device nodes a scan looks for, as proc/PID/fd links name them ("/dev/dri/card0"). */
#define PROC_NODES_MAX 16

struct proc_nodes {
	const char *paths[PROC_NODES_MAX];
	size_t count;
};

/*
 * The first process (by proc entry) that holds one of NODES open, through
 * the proc/PID/fd links: its PID, its comm in COMM ("?" when unreadable)
 * and the node in NODE. 0 when none does. A process that cannot be read
 * (gone meanwhile, another user's without root) counts as holding none.
 */
long proc_node_holder(int root_fd, const struct proc_nodes *nodes, char *comm, size_t comm_size,
		      char *node, size_t node_size);
