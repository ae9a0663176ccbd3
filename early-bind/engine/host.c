// SPDX-License-Identifier: GPL-2.0-or-later
/* Facts about the machine every command asks for, with --sysroot honoured. */
#include "engine/host.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "engine/bootdisplay.h"
#include "engine/cmdline.h"
#include "engine/log.h"
#include "engine/rootdir.h"
#include "engine/vfio.h"

int host_kernel_release(const struct engine_context *ctx, char *buf, size_t size)
{
	struct utsname u;
	int n;

	if (!context_real_system(ctx)) {
		n = root_read(ctx->root_fd, "proc/sys/kernel/osrelease", buf, size);
		return n > 0 ? 0 : n == 0 ? -ENODATA : n;
	}
	if (uname(&u) < 0)
		return -errno;
	snprintf(buf, size, "%s", u.release);
	return 0;
}

int host_cmdline(const struct engine_context *ctx, char *buf, size_t size, const char **text)
{
	char *data;
	long n;

	*text = ctx->cmdline;
	if (ctx->cmdline)
		return strlen(ctx->cmdline) < size ? 0 : -EFBIG;
	/* Whole or not at all: a cut line can name a slot where a function was asked. */
	n = root_read_all(ctx->root_fd, "proc/cmdline", size, &data);
	if (n < 0)
		return (int)n;
	if ((size_t)n >= size) {
		free(data);
		return -EFBIG;
	}
	while (n > 0 && data[n - 1] == '\n')
		n--;
	memcpy(buf, data, (size_t)n);
	buf[n] = '\0';
	free(data);
	*text = buf;
	return 0;
}

int host_read_parameter(const struct engine_context *ctx, char *value, size_t size,
			const char *consequence)
{
	char buf[CMDLINE_MAX];
	const char *cmdline;
	int r;

	r = host_cmdline(ctx, buf, sizeof(buf), &cmdline);
	if (r == -EFBIG)
		log_error(
		    "the kernel command line (%s) is longer than %zu bytes, so it was not read; %s",
		    ctx->cmdline ? "--cmdline" : "/proc/cmdline", sizeof(buf) - 1, consequence);
	else if (r < 0)
		log_error("cannot read /proc/cmdline: %s; %s", root_strerror(r), consequence);
	if (r < 0)
		return r;
	r = cmdline_get_last(cmdline, PARAMETER, value, size);
	if (r == -E2BIG)
		log_error(PARAMETER "= is longer than %zu bytes; %s", size - 1, consequence);
	return r;
}

int host_read_functions(const struct engine_context *ctx, struct pci_function_list *fns)
{
	char why[PCI_IDS_ERROR_MAX];
	int err = pci_function_list_read(ctx->root_fd, fns);

	if (err < 0)
		return err;
	/* Unknown without root: such a display is then not called the boot display. */
	(void)boot_display_find(ctx->root_fd, fns, NULL);
	err = pci_function_list_read_names(ctx->sysroot, ctx->root_fd, fns, why, sizeof(why));
	if (err < 0 && err != -ENOENT)
		log_warning("cannot read /" PCI_IDS_PATH ": %s; showing numbers", why);
	return 0;
}
