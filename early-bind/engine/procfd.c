// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which process holds a device node open, from proc/PID/fd: a VM on its
 * VFIO group (release), a display server or a compositor on a GPU's DRM
 * nodes (bind). Read through the root fd, so --sysroot trees bring their
 * own processes.
 */
#include "engine/procfd.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/rootdir.h"

/* The node of NODES that TARGET names, or NULL. */
static const char *node_named(const struct proc_nodes *nodes, const char *target)
{
	size_t i;

	for (i = 0; i < nodes->count; i++)
		if (strcmp(target, nodes->paths[i]) == 0)
			return nodes->paths[i];
	return NULL;
}

/* The node of NODES that process PID (a proc entry) holds open, or NULL. */
static const char *held_node(int root_fd, const char *pid, const struct proc_nodes *nodes)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *found = NULL;
	struct dirent *de;
	DIR *dir;

	if (path_format(path, sizeof(path), "proc/%s/fd", pid) < 0)
		return NULL;
	dir = root_opendir(root_fd, path);
	if (!dir)
		return NULL;
	while (!found && (de = readdir(dir))) {
		if (path_format(path, sizeof(path), "proc/%s/fd/%s", pid, de->d_name) < 0 ||
		    root_link_target(root_fd, path, target, sizeof(target)) < 0)
			continue;
		found = node_named(nodes, target);
	}
	closedir(dir);
	return found;
}

long proc_node_holder(int root_fd, const struct proc_nodes *nodes, char *comm, size_t comm_size,
		      char *node, size_t node_size)
{
	char path[PATH_MAX];
	const char *held = NULL;
	struct dirent *de;
	long pid = 0;
	DIR *dir;

	if (nodes->count == 0)
		return 0;
	dir = root_opendir(root_fd, "proc");
	if (!dir)
		return 0;
	while (pid == 0 && (de = readdir(dir))) {
		if (strspn(de->d_name, "0123456789") != strlen(de->d_name) ||
		    !(held = held_node(root_fd, de->d_name, nodes)))
			continue;
		pid = strtol(de->d_name, NULL, 10);
		snprintf(node, node_size, "%s", held);
		if (path_format(path, sizeof(path), "proc/%s/comm", de->d_name) < 0 ||
		    root_read(root_fd, path, comm, comm_size) < 0)
			snprintf(comm, comm_size, "?");
	}
	closedir(dir);
	return pid;
}
