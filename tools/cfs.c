// SPDX-License-Identifier: GPL-2.0
/* configfs access layer of ktgtcli; see cfs.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfs.h"
#include "schema.h"

static char root[PATH_MAX] = CFS_DEFAULT_ROOT;
static bool fake;
static bool root_checked;
static int root_errno;

static struct {
	const char *op;		/* "read", "write", "mkdir", ... or NULL */
	char path[PATH_MAX];	/* absolute */
	char value[96];
	int err;
} last;

static void record(const char *op, const char *abs, const char *value,
		   int e)
{
	last.op = op;
	snprintf(last.path, sizeof(last.path), "%s", abs);
	last.value[0] = '\0';
	if (value) {
		const char *base = strrchr(abs, '/');

		if (base && strstr(base, "password"))
			value = "***";
		snprintf(last.value, sizeof(last.value), "%s%s", value,
			 strlen(value) >= sizeof(last.value) - 1 ? "..." : "");
	}
	last.err = e;
}

static int errno_by_name(const char *name);

/*
 * Fake mode only: KTGT_CONFIGFS_FAKE_FAIL="OP:REL:ERRNO[;...]" makes the
 * operation OP (write, mkdir, rmdir) on REL fail with ERRNO (a name such
 * as EBUSY), as the kernel would refuse it. Lets the tests exercise error
 * reporting and rollback.
 */
static int fake_fail(const char *op, const char *rel)
{
	const char *spec = getenv("KTGT_CONFIGFS_FAKE_FAIL");
	char buf[1024], *item, *save, *o, *r, *e;

	if (!fake || !spec || strlen(spec) >= sizeof(buf))
		return 0;
	strcpy(buf, spec);
	for (item = strtok_r(buf, ";", &save); item;
	     item = strtok_r(NULL, ";", &save)) {
		o = item;
		r = strchr(o, ':');
		e = r ? strrchr(r + 1, ':') : NULL;
		if (!e)
			continue;
		*r++ = '\0';
		*e++ = '\0';
		if (!strcmp(o, op) && !strcmp(r, rel))
			return errno_by_name(e);
	}
	return 0;
}

void cfs_clear_error(void)
{
	last.op = NULL;
}

void cfs_set_root(const char *opt)
{
	const char *r = opt;
	size_t n;

	if (!r || !*r)
		r = getenv("KTGT_CONFIGFS");
	if (!r || !*r)
		r = CFS_DEFAULT_ROOT;
	snprintf(root, sizeof(root), "%s", r);
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		root[--n] = '\0';
	r = getenv("KTGT_CONFIGFS_FAKE");
	fake = r && strcmp(r, "1") == 0;
	root_checked = false;
}

const char *cfs_root(void)
{
	return root;
}

bool cfs_fake(void)
{
	return fake;
}

static int abspath(char *buf, const char *rel)
{
	int n;

	if (cfs_root_error())
		return -root_errno;
	if (!*rel)
		n = snprintf(buf, PATH_MAX, "%s", root);
	else
		n = snprintf(buf, PATH_MAX, "%s/%s", root, rel);
	if (n < 0 || n >= PATH_MAX) {
		record("open", root, NULL, ENAMETOOLONG);
		return -ENAMETOOLONG;
	}
	return 0;
}

int cfs_path(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX) {
		record("open", buf, NULL, ENAMETOOLONG);
		return -ENAMETOOLONG;
	}
	return 0;
}

static int check_root(void)
{
	struct stat st;

	if (fake) {
		char p[PATH_MAX];
		size_t i;
		int ret;

		/* mkdir -p root, then the files the module would have. */
		snprintf(p, sizeof(p), "%s", root);
		for (i = 1; p[i]; i++) {
			if (p[i] != '/')
				continue;
			p[i] = '\0';
			mkdir(p, 0755);
			p[i] = '/';
		}
		mkdir(p, 0755);
		ret = schema_fake_populate(root, "");
		if (ret < 0)
			return ret;
	}
	if (stat(root, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return 0;
}

int cfs_root_error(void)
{
	if (!root_checked) {
		root_errno = -check_root();
		root_checked = true;
	}
	if (root_errno)
		record("open", root, NULL, root_errno);
	return root_errno;
}

int cfs_read(const char *rel, char *buf, size_t size)
{
	char p[PATH_MAX];
	size_t len = 0;
	ssize_t r;
	int fd, ret;

	ret = abspath(p, rel);
	if (ret < 0)
		return ret;
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		record("read", p, NULL, errno);
		return -last.err;
	}
	while (len + 1 < size) {
		r = read(fd, buf + len, size - 1 - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			record("read", p, NULL, errno);
			close(fd);
			return -last.err;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	while (len && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	return (int)len;
}

int cfs_write(const char *rel, const char *value)
{
	char p[PATH_MAX], data[CFS_VALUE_MAX];
	size_t len = strlen(value);
	ssize_t r;
	int fd, ret;

	ret = abspath(p, rel);
	if (ret < 0)
		return ret;
	if (strchr(value, '\n') || len + 1 >= sizeof(data)) {
		record("write", p, value, EINVAL);
		return -EINVAL;
	}
	memcpy(data, value, len);
	data[len++] = '\n';
	ret = fake_fail("write", rel);
	if (ret) {
		record("write", p, value, ret);
		return -ret;
	}
	/* No O_CREAT: configfs attributes exist or the name is wrong. */
	fd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		record("write", p, value, errno);
		return -last.err;
	}
	do {
		r = write(fd, data, len);
	} while (r < 0 && errno == EINTR);
	if (r < 0 || (size_t)r != len) {
		record("write", p, value, r < 0 ? errno : EIO);
		close(fd);
		return -last.err;
	}
	if (close(fd) < 0) {
		record("write", p, value, errno);
		return -last.err;
	}
	return 0;
}

int cfs_mkdir(const char *rel)
{
	char p[PATH_MAX];
	int ret;

	ret = abspath(p, rel);
	if (ret < 0)
		return ret;
	ret = fake_fail("mkdir", rel);
	if (ret) {
		record("mkdir", p, NULL, ret);
		return -ret;
	}
	if (mkdir(p, 0755) < 0) {
		record("mkdir", p, NULL, errno);
		return -last.err;
	}
	if (fake) {
		ret = schema_fake_populate(p, rel);
		if (ret < 0) {
			record("mkdir", p, NULL, -ret);
			return ret;
		}
	}
	return 0;
}

/*
 * Fake rmdir: like configfs, a group goes away with its attributes and
 * default groups, but not while a user-made child exists (ENOTEMPTY).
 */
static bool fake_is_default(const struct sgroup *g, const char *name)
{
	const char *d;
	unsigned int i;

	for (i = 0; g && (d = schema_default_child(g, i)); i++)
		if (strcmp(d, name) == 0)
			return true;
	return false;
}

static int fake_rmdir(const char *abs, const char *rel, bool check)
{
	const struct sgroup *g = schema_match(rel);
	struct dirent *de;
	DIR *d;
	int ret = 0;

	d = opendir(abs);
	if (!d)
		return -errno;
	while (!ret && (de = readdir(d))) {
		char a[PATH_MAX], r[PATH_MAX];
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(a, sizeof(a), "%s/%s", abs, de->d_name) >=
			    (int)sizeof(a) ||
		    snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "",
			     de->d_name) >= (int)sizeof(r)) {
			ret = -ENAMETOOLONG;
			break;
		}
		if (lstat(a, &st) < 0) {
			ret = -errno;
			break;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (!check && unlink(a) < 0)
				ret = -errno;
			continue;
		}
		if (!fake_is_default(g, de->d_name))
			ret = -ENOTEMPTY;
		else
			ret = fake_rmdir(a, r, check);
		if (!ret && !check && rmdir(a) < 0)
			ret = -errno;
	}
	closedir(d);
	return ret;
}

int cfs_rmdir(const char *rel)
{
	char p[PATH_MAX];
	int ret;

	ret = abspath(p, rel);
	if (ret < 0)
		return ret;
	ret = fake_fail("rmdir", rel);
	if (ret) {
		record("rmdir", p, NULL, ret);
		return -ret;
	}
	if (fake && cfs_is_dir(rel)) {
		ret = fake_rmdir(p, rel, true);
		if (!ret)
			ret = fake_rmdir(p, rel, false);
		if (ret < 0) {
			record("rmdir", p, NULL, -ret);
			return ret;
		}
	}
	if (rmdir(p) < 0) {
		record("rmdir", p, NULL, errno);
		return -last.err;
	}
	return 0;
}

static int stat_rel(const char *rel, struct stat *st)
{
	char p[PATH_MAX];

	if (abspath(p, rel) < 0)
		return -1;
	return stat(p, st);
}

bool cfs_is_dir(const char *rel)
{
	struct stat st;

	return stat_rel(rel, &st) == 0 && S_ISDIR(st.st_mode);
}

bool cfs_is_attr(const char *rel)
{
	struct stat st;

	return stat_rel(rel, &st) == 0 && !S_ISDIR(st.st_mode);
}

static int natural_cmp(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

void strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int cfs_list(const char *rel, enum cfs_kind kind, const char *prefix,
	     struct strlist *out)
{
	char p[PATH_MAX];
	struct dirent *de;
	size_t cap = 0;
	DIR *d;
	int ret;

	out->v = NULL;
	out->n = 0;
	ret = abspath(p, rel);
	if (ret < 0)
		return ret;
	d = opendir(p);
	if (!d) {
		record("list", p, NULL, errno);
		return -last.err;
	}
	while ((de = readdir(d))) {
		bool is_dir;

		if (de->d_name[0] == '.')
			continue;
		if (prefix && strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;

			if (fstatat(dirfd(d), de->d_name, &st, 0) < 0)
				continue;
			is_dir = S_ISDIR(st.st_mode);
		} else {
			is_dir = de->d_type == DT_DIR;
		}
		if (is_dir != (kind == CFS_DIRS))
			continue;
		if (out->n == cap) {
			char **v;

			cap = cap ? 2 * cap : 16;
			v = realloc(out->v, cap * sizeof(*v));
			if (!v)
				goto nomem;
			out->v = v;
		}
		out->v[out->n] = strdup(de->d_name);
		if (!out->v[out->n])
			goto nomem;
		out->n++;
	}
	closedir(d);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), natural_cmp);
	return 0;
nomem:
	closedir(d);
	strlist_free(out);
	record("list", p, NULL, ENOMEM);
	return -ENOMEM;
}

static const struct {
	int err;
	const char *name;
} errnames[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
	{ ENXIO, "ENXIO" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
	{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { EINVAL, "EINVAL" },
	{ ENOSPC, "ENOSPC" }, { EROFS, "EROFS" }, { ERANGE, "ERANGE" },
	{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOTEMPTY, "ENOTEMPTY" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { EADDRINUSE, "EADDRINUSE" },
	{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { EAGAIN, "EAGAIN" },
	{ EPROTONOSUPPORT, "EPROTONOSUPPORT" }, { EFBIG, "EFBIG" },
};

static int errno_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (!strcmp(errnames[i].name, name))
			return errnames[i].err;
	return EIO;
}

static const char *errname(int e)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == e)
			return errnames[i].name;
	return "errno";
}

static const char *hint(const char *op, int e, const char *path)
{
	bool wr = !strcmp(op, "write"), mk = !strcmp(op, "mkdir");
	bool rm = !strcmp(op, "rmdir");
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (!strcmp(op, "open") && e == ENOENT)
		return "is configfs mounted (mount -t configfs none /sys/kernel/config) and ktgt_core loaded (modprobe ktgt_core)? --root DIR or KTGT_CONFIGFS select another tree";
	switch (e) {
	case EINVAL:
		if (wr)
			return "the kernel rejected the value; `dmesg | tail` says why";
		if (mk)
			return "the kernel rejected the name; `dmesg | tail` says why";
		return "`dmesg | tail` says why";
	case EBUSY:
		if (wr)
			return "the object is in use or enabled (disable it first, e.g. `ktgtcli target disable`); `dmesg | tail` says why";
		if (rm)
			return "the object is in use (a backstore bound to a LUN, a TPG with sessions...); `dmesg | tail` says why";
		return "the object is in use; `dmesg | tail` says why";
	case ENOTEMPTY:
		return "the object still has children; remove them first";
	case ENOENT:
		if (mk)
			return "the parent object does not exist";
		if (wr || !strcmp(op, "read"))
			return "no such object, or the kernel has no such attribute (`ktgtcli ls --all` lists them)";
		return "no such object";
	case EEXIST:
		return "an object with this name already exists";
	case EACCES:
	case EPERM:
		if (wr && base && !strcmp(base, "transports"))
			return "read-only attribute";
		return "configfs needs root: run as root (sudo)";
	case ENODEV:
	case ENXIO:
	case EPROTONOSUPPORT:
		if (!strcmp(base, "transport"))
			return "is the transport module loaded (modprobe ktgt_iser)? `cat transports` under the configfs root lists the registered ones";
		return "a module or device is missing; `dmesg | tail` says which";
	case ENOMEM:
	case ENOSPC:
		return "out of memory or a kernel limit was reached; `dmesg | tail` says which";
	case EROFS:
		return "the backing file or device is read-only: use --readonly";
	case EOPNOTSUPP:
		return "not supported by this ktgt module";
	case EADDRINUSE:
		return "another portal or service already listens on this address and port";
	case EADDRNOTAVAIL:
		return "the address is not configured on any interface of this host";
	case ENAMETOOLONG:
		if (wr)
			return "the value is too long; `dmesg | tail` says the maximum";
		return "the name is too long";
	default:
		return NULL;
	}
}

int cfs_report(void)
{
	const char *h, *what;

	if (!last.op)
		return 1;
	if (!strcmp(last.op, "write"))
		what = "cannot set";
	else if (!strcmp(last.op, "read"))
		what = "cannot read";
	else if (!strcmp(last.op, "mkdir"))
		what = "cannot create";
	else if (!strcmp(last.op, "rmdir"))
		what = "cannot remove";
	else if (!strcmp(last.op, "list"))
		what = "cannot list";
	else
		what = "cannot open";
	if (!strcmp(last.op, "write"))
		fprintf(stderr, "ktgtcli: %s %s to '%s': %s (%s)\n", what,
			last.path, last.value, strerror(last.err),
			errname(last.err));
	else
		fprintf(stderr, "ktgtcli: %s %s: %s (%s)\n", what, last.path,
			strerror(last.err), errname(last.err));
	h = hint(last.op, last.err, last.path);
	if (h)
		fprintf(stderr, "  hint: %s\n", h);
	last.op = NULL;
	return 1;
}
