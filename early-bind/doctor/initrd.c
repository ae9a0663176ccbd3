// SPDX-License-Identifier: GPL-2.0-or-later
#include "doctor/initrd.h"

#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define CHUNK (64 * 1024)
/* Far above the dictionary of any initramfs; bounds what a hostile header asks for. */
#define LZMA_MEMLIMIT ((uint64_t)256 << 20)

/* Decompresses IN into the reader; returns the input bytes used, or -EBADMSG. */
typedef long (*decompress_fn)(const unsigned char *in, size_t len, struct cpio_reader *r);

static int deliver(struct cpio_reader *r, const unsigned char *out, size_t n)
{
	cpio_feed(r, out, n);
	return r->broken ? -EBADMSG : 0;
}

static long gunzip(const unsigned char *in, size_t len, struct cpio_reader *r)
{
	static unsigned char out[CHUNK];
	z_stream z = { 0 };
	int ret = Z_OK;

	/* 16 + MAX_WBITS: a gzip header, not a zlib one. */
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -ENOMEM;
	z.next_in = (unsigned char *)in;
	z.avail_in = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
	while (ret == Z_OK) {
		z.next_out = out;
		z.avail_out = sizeof(out);
		ret = inflate(&z, Z_NO_FLUSH);
		if ((ret == Z_OK || ret == Z_STREAM_END) &&
		    deliver(r, out, sizeof(out) - z.avail_out) < 0)
			ret = Z_DATA_ERROR;
	}
	inflateEnd(&z);
	return ret == Z_STREAM_END ? (long)z.total_in : -EBADMSG;
}

static bool zstd_frame_follows(const unsigned char *in, size_t len, size_t pos)
{
	static const unsigned char magic[] = { 0x28, 0xb5, 0x2f, 0xfd };

	return len - pos >= sizeof(magic) && memcmp(in + pos, magic, sizeof(magic)) == 0;
}

/* zstd -T0 may write several frames; one cpio archive runs across them. */
static long unzstd(const unsigned char *in, size_t len, struct cpio_reader *r)
{
	static unsigned char out[CHUNK];
	ZSTD_inBuffer ib = { in, len, 0 };
	ZSTD_DCtx *d = ZSTD_createDCtx();
	long result = -EBADMSG;
	size_t ret;

	if (!d)
		return -ENOMEM;
	for (;;) {
		ZSTD_outBuffer ob = { out, sizeof(out), 0 };

		ret = ZSTD_decompressStream(d, &ob, &ib);
		if (ZSTD_isError(ret) || deliver(r, out, ob.pos) < 0)
			break;
		if (ret == 0 && !zstd_frame_follows(in, len, ib.pos)) {
			result = (long)ib.pos;
			break;
		}
		if (ret != 0 && ib.pos == ib.size && ob.pos < ob.size)
			break; /* cut short */
	}
	ZSTD_freeDCtx(d);
	return result;
}

static long unlzma_with(lzma_stream *s, const unsigned char *in, size_t len, struct cpio_reader *r)
{
	static unsigned char out[CHUNK];
	lzma_ret ret = LZMA_OK;

	s->next_in = in;
	s->avail_in = len;
	while (ret == LZMA_OK) {
		s->next_out = out;
		s->avail_out = sizeof(out);
		ret = lzma_code(s, LZMA_RUN);
		if ((ret == LZMA_OK || ret == LZMA_STREAM_END) &&
		    deliver(r, out, sizeof(out) - s->avail_out) < 0)
			ret = LZMA_DATA_ERROR;
	}
	lzma_end(s);
	return ret == LZMA_STREAM_END ? (long)(len - s->avail_in) : -EBADMSG;
}

static long unxz(const unsigned char *in, size_t len, struct cpio_reader *r)
{
	lzma_stream s = LZMA_STREAM_INIT;

	if (lzma_stream_decoder(&s, LZMA_MEMLIMIT, 0) != LZMA_OK)
		return -ENOMEM;
	return unlzma_with(&s, in, len, r);
}

static long unlzma(const unsigned char *in, size_t len, struct cpio_reader *r)
{
	lzma_stream s = LZMA_STREAM_INIT;

	if (lzma_alone_decoder(&s, LZMA_MEMLIMIT) != LZMA_OK)
		return -ENOMEM;
	return unlzma_with(&s, in, len, r);
}

static const struct method {
	const char *name;
	unsigned char magic[6];
	size_t magic_len;
	decompress_fn decompress; /* NULL: recognised, not read */
} methods[] = {
	{ "gzip", { 0x1f, 0x8b }, 2, gunzip },
	{ "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4, unzstd },
	{ "xz", { 0xfd, '7', 'z', 'X', 'Z', 0x00 }, 6, unxz },
	{ "lzma", { 0x5d, 0x00, 0x00 }, 3, unlzma },
	{ "bzip2", { 'B', 'Z', 'h' }, 3, NULL },
	{ "lz4", { 0x02, 0x21, 0x4c, 0x18 }, 4, NULL },
	{ "lzo", { 0x89, 'L', 'Z', 'O' }, 4, NULL },
};

static const struct method *detect(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (len >= methods[i].magic_len &&
		    memcmp(p, methods[i].magic, methods[i].magic_len) == 0)
			return &methods[i];
	return NULL;
}

struct scan {
	const unsigned char *data;
	size_t size;
	cpio_entry_fn fn;
	void *arg;
	struct initrd_info *info;
	unsigned archives;
};

/* An uncompressed archive in the image itself; returns the bytes it spans. */
static long plain_archive(struct scan *s, size_t pos)
{
	struct cpio_reader r;
	size_t n;

	cpio_init(&r, s->fn, s->arg, pos, true);
	n = cpio_feed(&r, s->data + pos, s->size - pos);
	return r.broken || !cpio_at_boundary(&r) ? -EBADMSG : (long)n;
}

/* Returns the input bytes used, or -EILSEQ when POS starts no known stream. */
static long compressed_archive(struct scan *s, size_t pos)
{
	const struct method *m = detect(s->data + pos, s->size - pos);
	struct cpio_reader r;
	long n;

	if (!m)
		return -EILSEQ;
	s->info->early_cpio = s->archives > 0;
	s->info->compression = m->name;
	if (!m->decompress)
		return -ENOTSUP;
	cpio_init(&r, s->fn, s->arg, 0, false);
	n = m->decompress(s->data + pos, s->size - pos, &r);
	return n >= 0 && !cpio_at_boundary(&r) ? -EBADMSG : n;
}

static int scan_all(struct scan *s)
{
	size_t pos = 0;
	long n;

	while (pos < s->size) {
		if (s->data[pos] == '\0') {
			pos++;
			continue;
		}
		if (s->size - pos >= 6 && memcmp(s->data + pos, "07070", 5) == 0)
			n = plain_archive(s, pos);
		else
			n = compressed_archive(s, pos);
		/* Unknown bytes after an archive end the image, as for the kernel. */
		if (n == -EILSEQ)
			return s->archives > 0 ? 0 : -EBADMSG;
		if (n < 0)
			return (int)n;
		pos += (size_t)n;
		s->archives++;
	}
	return s->archives > 0 ? 0 : -EBADMSG;
}

int initrd_scan(int root_fd, const char *path, cpio_entry_fn fn, void *arg,
		struct initrd_info *info)
{
	struct scan s = { .fn = fn, .arg = arg, .info = info };
	struct stat st;
	void *map;
	int fd, err;

	info->compression = "none";
	info->early_cpio = false;
	/* O_NONBLOCK: a FIFO in its place must not hang the check. */
	fd = openat(root_fd, path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = fstat(fd, &st) < 0 ? -errno : !S_ISREG(st.st_mode) || st.st_size <= 0 ? -EBADMSG : 0;
	if (err) {
		close(fd);
		return err;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	err = map == MAP_FAILED ? -errno : 0;
	close(fd);
	if (err)
		return err;
	s.data = map;
	s.size = (size_t)st.st_size;
	err = scan_all(&s);
	munmap(map, s.size);
	return err;
}
