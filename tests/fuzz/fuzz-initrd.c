// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The initramfs image reader: initrd_scan() on the input as the image
 * file (a memfd, opened by path as `early-bind check` opens the image), so
 * the gzip, zstd, xz and lzma readers, the early uncompressed archives and
 * the padding between them all see hostile bytes. Properties: only the
 * documented errors; a compression named when one was met, an unreadable
 * one only for the recognised-only methods; every name terminated.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "doctor/initrd.h"

static const char *const readable[] = { "gzip", "zstd", "xz", "lzma" };
static const char *const recognised[] = { "bzip2", "lz4", "lzo" };
#define N(names) (sizeof(names) / sizeof(names[0]))

static bool one_of(const char *name, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static void on_entry(const char *name, const char *link, void *arg)
{
	size_t *count = arg;

	FUZZ_ASSERT(strnlen(name, PATH_MAX) < PATH_MAX);
	FUZZ_ASSERT(!link || strnlen(link, PATH_MAX) < PATH_MAX);
	(*count)++;
}

/* The image file, created once; "/proc/self/fd/N" opens it afresh. */
static const char *image_path(int *fd)
{
	static char path[64];
	static int image_fd = -1;

	if (image_fd < 0) {
		image_fd = memfd_create("fuzz-initrd", MFD_CLOEXEC);
		FUZZ_ASSERT(image_fd >= 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", image_fd);
	}
	*fd = image_fd;
	return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct initrd_info info;
	size_t count = 0;
	int fd, r;
	const char *path = image_path(&fd);

	FUZZ_ASSERT(ftruncate(fd, 0) == 0);
	FUZZ_ASSERT(pwrite(fd, data, size, 0) == (ssize_t)size);
	r = initrd_scan(AT_FDCWD, path, on_entry, &count, &info);
	FUZZ_ASSERT(r == 0 || r == -ENOTSUP || r == -EBADMSG);
	FUZZ_ASSERT(info.compression);
	if (r == -ENOTSUP)
		FUZZ_ASSERT(one_of(info.compression, recognised, N(recognised)));
	else
		FUZZ_ASSERT(strcmp(info.compression, "none") == 0 ||
			    one_of(info.compression, readable, N(readable)));
	FUZZ_ASSERT(!info.early_cpio || strcmp(info.compression, "none") != 0);
	return 0;
}
