// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/log.h"

/* "DIR/.NAME.XXXXXX": hidden, and not "*.prom", so the textfile collector never reads it. */
static int temporary_name(char *buf, size_t size, const char *path)
{
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path + 1) : 0;
	int n = snprintf(buf, size, "%.*s.%s.XXXXXX", dir_len, path, slash ? slash + 1 : path);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int output_open(struct output *out, const char *path)
{
	int fd, err;

	out->path = path;
	out->f = stdout;
	if (!path)
		return 0;
	if (!*path || path[strlen(path) - 1] == '/') {
		log_error(
		    "--output '%s' names no file; give the file to write, e.g. /var/lib/prometheus/node-exporter/early-bind.prom",
		    path);
		return -EISDIR;
	}
	err = temporary_name(out->tmp, sizeof(out->tmp), path);
	fd = err < 0 ? err : mkostemp(out->tmp, O_CLOEXEC);
	if (fd < 0) {
		err = err < 0 ? err : -errno;
		log_error(
		    "cannot write --output '%s': %s; check that its directory exists and is writable",
		    path, strerror(-err));
		return err;
	}
	out->f = fdopen(fd, "w");
	if (!out->f) {
		err = -errno;
		close(fd);
		unlink(out->tmp);
		log_error("cannot write --output '%s': %s", path, strerror(-err));
		return err;
	}
	return 0;
}

static int finish(struct output *out)
{
	int fd = fileno(out->f), err = 0;

	errno = 0;
	if (fflush(out->f) != 0 || ferror(out->f) || fchmod(fd, 0644) < 0 || fsync(fd) < 0)
		err = errno ? -errno : -EIO;
	if (fclose(out->f) != 0 && !err)
		err = -errno;
	if (!err && rename(out->tmp, out->path) < 0)
		err = -errno;
	return err;
}

int output_close(struct output *out, bool keep)
{
	int err;

	if (!out->path)
		return fflush(stdout) == 0 ? 0 : -errno;
	if (!keep) {
		fclose(out->f);
		unlink(out->tmp);
		if (unlink(out->path) == 0)
			log_warning(
			    "removed --output '%s', so that no earlier figures stand for this boot",
			    out->path);
		return 0;
	}
	err = finish(out);
	if (err < 0) {
		unlink(out->tmp);
		log_error("cannot write --output '%s': %s; it was left as it was", out->path,
			  strerror(-err));
	}
	return err;
}
