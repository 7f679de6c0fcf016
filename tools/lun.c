// SPDX-License-Identifier: GPL-2.0
/* `lun add|delete`: TPG LUNs bound to backstores. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfs.h"
#include "cli.h"
#include "util.h"

#define LUN_MAX	KTGT_LUN_MAX

/* Lowest lun_N not present under @dir; -2 if all taken, -1 if the
 * directory is unreadable (recorded for cfs_report()). */
long lowest_free_lun(const char *dir)
{
	struct strlist l;
	unsigned long n;
	long want = 0;
	size_t i;

	if (cfs_list(dir, CFS_DIRS, "lun_", &l) < 0)
		return -1;
	/* Natural order: lun_0 lun_1 lun_2 ... */
	for (i = 0; i < l.n; i++) {
		if (parse_uint(l.v[i] + 4, 0, LUN_MAX, &n))
			continue;
		if ((long)n == want)
			want++;
		else if ((long)n > want)
			break;
	}
	strlist_free(&l);
	return want > LUN_MAX ? -2 : want;
}

int lun_remove(const char *tpg, const char *lun)
{
	struct strlist acls, maps;
	char p[PATH_MAX], v[CFS_VALUE_MAX];
	size_t i, j;
	int ret = EX_OK;

	if (cfs_path(p, "%s/acls", tpg) < 0 ||
	    cfs_list(p, CFS_DIRS, NULL, &acls) < 0)
		return cfs_report();
	for (i = 0; i < acls.n && !ret; i++) {
		if (cfs_path(p, "%s/acls/%s/luns", tpg, acls.v[i]) < 0 ||
		    cfs_list(p, CFS_DIRS, "lun_", &maps) < 0) {
			ret = cfs_report();
			break;
		}
		for (j = 0; j < maps.n && !ret; j++) {
			if (cfs_path(p, "%s/acls/%s/luns/%s/tpg_lun", tpg,
				     acls.v[i], maps.v[j]) < 0 ||
			    cfs_read(p, v, sizeof(v)) < 0) {
				ret = cfs_report();
				break;
			}
			if (strcmp(v, lun + 4))
				continue;
			*strrchr(p, '/') = '\0';
			if (cfs_rmdir(p) < 0)
				ret = cfs_report();
		}
		strlist_free(&maps);
	}
	strlist_free(&acls);
	if (ret)
		return ret;
	if (cfs_path(p, "%s/luns/%s", tpg, lun) < 0 || cfs_rmdir(p) < 0)
		return cfs_report();
	return EX_OK;
}

enum { OPT_TPGT = 256, OPT_LUN, OPT_RO, OPT_NOMAP, OPT_RMB };

static const struct option add_opts[] = {
	{ "tpgt", required_argument, NULL, OPT_TPGT },
	{ "lun", required_argument, NULL, OPT_LUN },
	{ "readonly", no_argument, NULL, OPT_RO },
	{ "no-map", no_argument, NULL, OPT_NOMAP },
	{ "removable", no_argument, NULL, OPT_RMB },
	{ NULL, 0, NULL, 0 },
};

static int add(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	char g[PATH_MAX], bs[PATH_MAX], rel[PATH_MAX], p[PATH_MAX];
	unsigned long lun = 0, m;
	unsigned int tpgt = 0;
	bool have_lun = false, ro = false, map = true, rmb = false;
	struct strlist acls;
	size_t i;
	int o, ret;

	while ((o = cli_getopt(c, argc, argv, add_opts, &pos)) != -1) {
		switch (o) {
		case OPT_TPGT:
			if (opt_tpgt(c, optarg, &tpgt))
				return EX_USAGE;
			break;
		case OPT_LUN:
			if (parse_uint(optarg, 0, LUN_MAX, &lun))
				return usage(c, "bad --lun '%s' (0..%d)", optarg,
					     LUN_MAX);
			have_lun = true;
			break;
		case OPT_RO:
			ro = true;
			break;
		case OPT_NOMAP:
			map = false;
			break;
		case OPT_RMB:
			rmb = true;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (pos.n != 2)
		return usage(c, pos.n < 2 ? "missing argument" :
			     "too many arguments");
	if (backstore_ref(pos.v[1], bs))
		return usage(c, "bad backstore '%s' (TYPE/NAME, TYPE ram, file or block)",
			     pos.v[1]);
	ret = tpg_resolve(pos.v[0], tpgt, g);
	if (ret)
		return ret;
	if (!cfs_is_dir(bs))
		return err("backstore %s does not exist (see `ktgtcli backstore ls`)",
			   pos.v[1]);
	if (cfs_path(p, "%s/luns", g) < 0)
		return cfs_report();
	if (!have_lun) {
		long n = lowest_free_lun(p);

		if (n == -2)
			return err("no free LUN number in %s",
				   g + strlen("targets/"));
		if (n < 0)
			return cfs_report();
		lun = (unsigned long)n;
	}
	if (cfs_path(rel, "%s/luns/lun_%lu", g, lun) < 0)
		return cfs_report();
	if (cfs_is_dir(rel))
		return err("%s/luns/lun_%lu already exists",
			   g + strlen("targets/"), lun);
	if (cfs_mkdir(rel) < 0)
		return cfs_report();
	if ((ro && (cfs_path(p, "%s/readonly", rel) < 0 ||
		    cfs_write(p, "1") < 0)) ||
	    (rmb && (cfs_path(p, "%s/removable", rel) < 0 ||
		     cfs_write(p, "1") < 0)) ||
	    cfs_path(p, "%s/backstore", rel) < 0 ||
	    cfs_write(p, pos.v[1]) < 0) {
		cfs_report();
		if (cfs_rmdir(rel) < 0) {
			cfs_clear_error();
			warn("could not remove the half-created %s", rel);
		}
		return EX_FAIL;
	}
	note("created %s/luns/lun_%lu -> %s%s%s", g + strlen("targets/"), lun,
	     pos.v[1], ro ? " (read-only)" : "", rmb ? " (removable)" : "");
	if (!map)
		return EX_OK;
	/* Like targetcli's auto_add_mapped_luns: existing ACLs see it too. */
	if (cfs_path(p, "%s/acls", g) < 0 ||
	    cfs_list(p, CFS_DIRS, NULL, &acls) < 0)
		return cfs_report();
	for (i = 0, ret = EX_OK; i < acls.n && !ret; i++) {
		if (cfs_path(p, "%s/acls/%s", g, acls.v[i]) < 0) {
			ret = cfs_report();
			break;
		}
		ret = acl_map_lun(p, lun, -1, false, &m);
		if (!ret)
			note("mapped it into ACL %s as lun_%lu", acls.v[i], m);
	}
	strlist_free(&acls);
	return ret;
}

static int delete(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	char g[PATH_MAX], rel[PATH_MAX], name[32];
	unsigned int tpgt;
	unsigned long lun;
	const char *s;
	int ret;

	ret = parse_tpgt_args(c, argc, argv, &pos, 2, &tpgt);
	if (ret)
		return ret;
	s = pos.v[1];
	if (!strncmp(s, "lun_", 4))
		s += 4;
	if (parse_uint(s, 0, LUN_MAX, &lun))
		return usage(c, "bad LUN '%s' (0..%d)", pos.v[1], LUN_MAX);
	ret = tpg_resolve(pos.v[0], tpgt, g);
	if (ret)
		return ret;
	snprintf(name, sizeof(name), "lun_%lu", lun);
	if (cfs_path(rel, "%s/luns/%s", g, name) < 0)
		return cfs_report();
	if (!cfs_is_dir(rel))
		return err("%s has no LUN %lu", g + strlen("targets/"), lun);
	ret = lun_remove(g, name);
	if (!ret)
		note("deleted %s/luns/%s", g + strlen("targets/"), name);
	return ret;
}

const struct cli_cmd lun_cmds[] = {
	{ "lun", "add",
	  "TARGET TYPE/NAME [--lun N] [--readonly] [--removable] [--no-map]\n"
	  "  [--tpgt N]",
	  "export a backstore as a LUN of the TPG",
	  "The LUN number is the lowest free one unless --lun N (0..255).\n"
	  "--removable makes it removable media (RMB): initiators may eject\n"
	  "and load it (START STOP UNIT) and lock it in (PREVENT ALLOW).\n"
	  "The new LUN is also mapped into every existing ACL of the TPG\n"
	  "(at the same number if free) unless --no-map.",
	  add, 0 },
	{ "lun", "delete", "TARGET N [--tpgt N]",
	  "unmap a LUN from every ACL and delete it", NULL, delete, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};
