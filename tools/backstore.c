// SPDX-License-Identifier: GPL-2.0
/* `backstore create|delete|ls`: ram, file and block backstores. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfs.h"
#include "cli.h"
#include "util.h"

static const char *const types[] = { "ram", "file", "block" };

int backstore_ref(const char *ref, char *rel)
{
	const char *slash = strchr(ref, '/');
	size_t i, tl;

	if (!slash)
		return -1;
	tl = (size_t)(slash - ref);
	for (i = 0; i < 3; i++)
		if (strlen(types[i]) == tl && !strncmp(ref, types[i], tl))
			break;
	if (i == 3 || !safe_component(slash + 1))
		return -1;
	return cfs_path(rel, "backstores/%s", ref) < 0 ? -1 : 0;
}

int backstore_users(const char *ref, struct strlist *out)
{
	struct strlist t, g, l;
	char p[PATH_MAX], v[CFS_VALUE_MAX];
	size_t i, j, k;
	int ret;

	out->v = NULL;
	out->n = 0;
	ret = cfs_list("targets", CFS_DIRS, NULL, &t);
	if (ret < 0)
		return ret;
	for (i = 0; i < t.n; i++) {
		snprintf(p, sizeof(p), "targets/%s", t.v[i]);
		if (cfs_list(p, CFS_DIRS, "tpgt_", &g) < 0)
			continue;
		for (j = 0; j < g.n; j++) {
			snprintf(p, sizeof(p), "targets/%s/%s/luns", t.v[i],
				 g.v[j]);
			if (cfs_list(p, CFS_DIRS, "lun_", &l) < 0)
				continue;
			for (k = 0; k < l.n; k++) {
				char **nv;

				snprintf(p, sizeof(p),
					 "targets/%s/%s/luns/%s/backstore",
					 t.v[i], g.v[j], l.v[k]);
				if (cfs_read(p, v, sizeof(v)) < 0 ||
				    strcmp(v, ref))
					continue;
				nv = realloc(out->v, (out->n + 1) * sizeof(*nv));
				if (!nv)
					break;
				out->v = nv;
				snprintf(p, sizeof(p), "targets/%s/%s/luns/%s",
					 t.v[i], g.v[j], l.v[k]);
				out->v[out->n] = strdup(p);
				if (out->v[out->n])
					out->n++;
			}
			strlist_free(&l);
		}
		strlist_free(&g);
	}
	strlist_free(&t);
	cfs_clear_error();
	return 0;
}

static void rollback(const char *rel)
{
	if (cfs_rmdir(rel) < 0) {
		cfs_clear_error();
		warn("could not remove the half-created %s/%s", cfs_root(),
		     rel);
	}
}

/* Writes name=value pairs into @rel, then enable=1; rolls back on error. */
static int configure(const char *rel, const char *const *kv)
{
	char p[PATH_MAX];

	for (; kv[0]; kv += 2) {
		if (cfs_path(p, "%s/%s", rel, kv[0]) < 0 ||
		    cfs_write(p, kv[1]) < 0) {
			cfs_report();
			rollback(rel);
			return EX_FAIL;
		}
	}
	return EX_OK;
}

enum { OPT_BS = 256, OPT_RO, OPT_DIRECT, OPT_FORCE };

static const struct option create_opts[] = {
	{ "block-size", required_argument, NULL, OPT_BS },
	{ "readonly", no_argument, NULL, OPT_RO },
	{ "direct", no_argument, NULL, OPT_DIRECT },
	{ NULL, 0, NULL, 0 },
};

static int create(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	unsigned long bs = 512;
	bool ro = false, direct = false, bs_given = false, made = false;
	char rel[PATH_MAX], path[PATH_MAX], sz[32], bss[16];
	const char *type, *name, *kv[16];
	uint64_t size = 0;
	struct stat st;
	int o, n = 0, ret;

	while ((o = cli_getopt(c, argc, argv, create_opts, &pos)) != -1) {
		switch (o) {
		case OPT_BS:
			if (parse_uint(optarg, 512, 4096, &bs) ||
			    (bs != 512 && bs != 4096))
				return usage(c, "--block-size is 512 or 4096");
			bs_given = true;
			break;
		case OPT_RO:
			ro = true;
			break;
		case OPT_DIRECT:
			direct = true;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (pos.n < 1)
		return usage(c, "missing TYPE");
	type = pos.v[0];
	if (strcmp(type, "ram") && strcmp(type, "file") && strcmp(type, "block"))
		return usage(c, "TYPE is ram, file or block, not '%s'", type);
	if (pos.n < 3)
		return usage(c, "missing %s", pos.n < 2 ? "NAME" :
			     !strcmp(type, "ram") ? "SIZE" :
			     !strcmp(type, "file") ? "PATH" : "DEV");
	name = pos.v[1];
	if (!backstore_name_ok(name))
		return usage(c, "bad backstore name '%s' (1..63 of A-Z a-z 0-9 _ . -, not starting with . or -)",
			     name);
	if (pos.n > (!strcmp(type, "file") ? 4 : 3))
		return usage(c, "unexpected argument '%s'",
			     pos.v[!strcmp(type, "file") ? 4 : 3]);
	if (direct && strcmp(type, "file"))
		return usage(c, "--direct is for file backstores");
	if (bs_given && !strcmp(type, "block"))
		return usage(c, "a block backstore uses the device's block size");
	if (!strcmp(type, "ram") || pos.n == 4) {
		const char *s = pos.v[!strcmp(type, "ram") ? 2 : 3];

		if (parse_size(s, &size))
			return usage(c, "bad SIZE '%s' (bytes, or with a K M G T suffix: 512M, 10G)",
				     s);
		if (!strcmp(type, "ram") && !size)
			return usage(c, "SIZE must not be 0");
		if (size % bs)
			return usage(c, "SIZE %s is not a multiple of the block size %lu",
				     s, bs);
	}
	if (cfs_path(rel, "backstores/%s/%s", type, name) < 0)
		return cfs_report();
	if (cfs_is_dir(rel))
		return err("backstore %s/%s already exists", type, name);

	snprintf(sz, sizeof(sz), "%llu", (unsigned long long)size);
	snprintf(bss, sizeof(bss), "%lu", bs);
	if (!strcmp(type, "ram")) {
		kv[n++] = "block_size"; kv[n++] = bss;
		kv[n++] = "size"; kv[n++] = sz;
	} else if (!strcmp(type, "file")) {
		const char *f = pos.v[2];

		if (stat(f, &st) < 0) {
			int fd;

			if (errno != ENOENT || !size)
				return err("cannot use %s: %s%s", f,
					   strerror(errno),
					   errno == ENOENT ? " (give a SIZE to create it)" : "");
			fd = open(f, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
				  0600);
			if (fd < 0)
				return err("cannot create %s: %s", f,
					   strerror(errno));
			made = true;
			if (ftruncate(fd, (off_t)size) < 0) {
				ret = errno;
				close(fd);
				unlink(f);
				return err("cannot size %s: %s", f,
					   strerror(ret));
			}
			close(fd);
		} else if (S_ISBLK(st.st_mode)) {
			return err("%s is a block device: use `backstore create block`",
				   f);
		} else if (!S_ISREG(st.st_mode)) {
			return err("%s is not a regular file", f);
		} else if (size > (uint64_t)st.st_size) {
			return err("SIZE is larger than %s (%lld bytes); grow it first (truncate -s)",
				   f, (long long)st.st_size);
		}
		if (!made && !size && st.st_size % (off_t)bs)
			return err("the size of %s (%lld bytes) is not a multiple of the block size %lu; give a SIZE",
				   f, (long long)st.st_size, bs);
		if (!made && !size && !st.st_size)
			return err("%s is empty; give a SIZE", f);
		if (!realpath(f, path)) {
			ret = errno;
			if (made)
				unlink(f);
			return err("cannot resolve %s: %s", f, strerror(ret));
		}
		if (strlen(path) > KTGT_BS_PATH_MAX || !attr_value_ok(path)) {
			if (made)
				unlink(f);
			return err("path %s is longer than %d bytes or has control characters",
				   path, KTGT_BS_PATH_MAX);
		}
		kv[n++] = "path"; kv[n++] = path;
		kv[n++] = "block_size"; kv[n++] = bss;
		kv[n++] = "size"; kv[n++] = sz;
		kv[n++] = "direct_io"; kv[n++] = direct ? "1" : "0";
	} else {
		const char *d = pos.v[2];

		if (d[0] != '/')
			return usage(c, "DEV must be an absolute path (/dev/...)");
		if (strlen(d) > KTGT_BS_PATH_MAX || !attr_value_ok(d))
			return usage(c, "DEV path longer than %d bytes or with control characters",
				     KTGT_BS_PATH_MAX);
		if (stat(d, &st) < 0)
			return err("cannot use %s: %s", d, strerror(errno));
		if (!S_ISBLK(st.st_mode) && !cfs_fake())
			return err("%s is not a block device%s", d,
				   S_ISREG(st.st_mode) ? " (use `backstore create file`)" : "");
		kv[n++] = "path"; kv[n++] = d;
	}
	kv[n++] = "readonly"; kv[n++] = ro ? "1" : "0";
	kv[n++] = "enable"; kv[n++] = "1";
	kv[n] = NULL;

	if (cfs_mkdir(rel) < 0) {
		cfs_report();
		goto fail;
	}
	if (configure(rel, kv))
		goto fail;
	note("created backstore %s/%s", type, name);
	return EX_OK;
fail:
	if (made)
		unlink(pos.v[2]);
	return EX_FAIL;
}

static const struct option delete_opts[] = {
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

static int delete(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	struct strlist users;
	char rel[PATH_MAX];
	bool force = false;
	size_t i;
	int o;

	while ((o = cli_getopt(c, argc, argv, delete_opts, &pos)) != -1) {
		if (o != OPT_FORCE)
			return EX_USAGE;
		force = true;
	}
	if (pos.n != 1)
		return usage(c, pos.n ? "too many arguments" : "missing TYPE/NAME");
	if (backstore_ref(pos.v[0], rel))
		return usage(c, "bad backstore '%s' (TYPE/NAME, TYPE ram, file or block)",
			     pos.v[0]);
	if (!cfs_is_dir(rel))
		return err("backstore %s does not exist (see `ktgtcli backstore ls`)",
			   pos.v[0]);
	if (backstore_users(pos.v[0], &users) < 0)
		return cfs_report();
	if (users.n && !force) {
		err("backstore %s is in use by:", pos.v[0]);
		for (i = 0; i < users.n; i++)
			fprintf(stderr, "  %s\n", users.v[i]);
		fprintf(stderr, "  hint: `ktgtcli lun delete` them first, or use --force\n");
		strlist_free(&users);
		return EX_FAIL;
	}
	for (i = 0; i < users.n; i++) {
		char *slash = strrchr(users.v[i], '/');
		char *luns;

		*slash = '\0';
		luns = strrchr(users.v[i], '/');
		*luns = '\0';	/* users.v[i] is now the TPG */
		if (lun_remove(users.v[i], slash + 1)) {
			strlist_free(&users);
			return EX_FAIL;
		}
		note("removed %s/luns/%s", users.v[i], slash + 1);
	}
	strlist_free(&users);
	if (cfs_rmdir(rel) < 0)
		return cfs_report();
	note("deleted backstore %s", pos.v[0]);
	return EX_OK;
}

static int list(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	struct strlist l, users;
	char rel[PATH_MAX], buf[1024];
	size_t t, i, u;

	if (cli_getopt(c, argc, argv, delete_opts + 1, &pos) != -1)
		return EX_USAGE;
	if (pos.n)
		return usage(c, "unexpected argument '%s'", pos.v[0]);
	for (t = 0; t < 3; t++) {
		snprintf(rel, sizeof(rel), "backstores/%s", types[t]);
		if (cfs_list(rel, CFS_DIRS, NULL, &l) < 0)
			return cfs_report();
		for (i = 0; i < l.n; i++) {
			snprintf(rel, sizeof(rel), "%s/%s", types[t], l.v[i]);
			printf("%s", rel);
			snprintf(rel, sizeof(rel), "backstores/%s/%s",
				 types[t], l.v[i]);
			attrs_inline(rel, false, buf, sizeof(buf));
			printf("%s%s", *buf ? " " : "", buf);
			snprintf(rel, sizeof(rel), "%s/%s", types[t], l.v[i]);
			if (backstore_users(rel, &users) == 0 && users.n) {
				printf(" used_by=");
				for (u = 0; u < users.n; u++)
					printf("%s%s", u ? "," : "",
					       users.v[u] + strlen("targets/"));
			}
			strlist_free(&users);
			putchar('\n');
		}
		strlist_free(&l);
	}
	return EX_OK;
}

const struct cli_cmd backstore_cmds[] = {
	{ "backstore", "create",
	  "ram NAME SIZE [--block-size 512|4096] [--readonly]\n"
	  "file NAME PATH [SIZE] [--block-size 512|4096] [--direct] [--readonly]\n"
	  "block NAME DEV [--readonly]",
	  "create and enable a backstore",
	  "SIZE is in bytes or with a binary suffix K M G T (4K = 4096), a\n"
	  "multiple of the block size. A file backstore without SIZE uses the\n"
	  "whole file; a missing file is created (sparse) when SIZE is given.",
	  create, 0 },
	{ "backstore", "delete", "TYPE/NAME [--force]",
	  "delete a backstore",
	  "Refuses while a LUN uses it; --force deletes those LUNs (and their\n"
	  "ACL mappings) first.",
	  delete, 0 },
	{ "backstore", "ls", "", "list backstores, their settings and users",
	  NULL, list, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};
