// SPDX-License-Identifier: GPL-2.0
/* `target create|delete|enable|disable|ls` and TPG teardown. */
#include <stdio.h>
#include <string.h>

#include "cfs.h"
#include "cli.h"
#include "util.h"

/* Removes every subdirectory of @rel with @fn (or rmdir). */
static int remove_children(const char *rel, const char *prefix,
			   int (*fn)(const char *rel))
{
	struct strlist l;
	char p[PATH_MAX];
	size_t i;
	int ret = EX_OK;

	if (cfs_list(rel, CFS_DIRS, prefix, &l) < 0)
		return cfs_report();
	for (i = 0; i < l.n && !ret; i++) {
		if (cfs_path(p, "%s/%s", rel, l.v[i]) < 0)
			ret = cfs_report();
		else if (fn)
			ret = fn(p);
		else if (cfs_rmdir(p) < 0)
			ret = cfs_report();
	}
	strlist_free(&l);
	return ret;
}

int tpg_teardown(const char *tpg)
{
	char p[PATH_MAX], v[CFS_VALUE_MAX];
	int ret;

	/* Stop new logins first. */
	if (cfs_path(p, "%s/enable", tpg) < 0)
		return cfs_report();
	if (cfs_read(p, v, sizeof(v)) >= 0 && strcmp(v, "0") &&
	    cfs_write(p, "0") < 0)
		return cfs_report();
	cfs_clear_error();
	if (cfs_path(p, "%s/acls", tpg) < 0)
		return cfs_report();
	ret = remove_children(p, NULL, acl_teardown);
	if (!ret && !cfs_path(p, "%s/luns", tpg))
		ret = remove_children(p, "lun_", NULL);
	if (!ret && !cfs_path(p, "%s/portals", tpg))
		ret = remove_children(p, NULL, NULL);
	if (!ret && cfs_rmdir(tpg) < 0)
		ret = cfs_report();
	return ret;
}

static const struct option no_opts[] = { { NULL, 0, NULL, 0 } };

static int create(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	char t[PATH_MAX], g[PATH_MAX], why[128];
	unsigned int tpgt;
	int ret;

	ret = parse_tpgt_args(c, argc, argv, &pos, 1, &tpgt);
	if (ret)
		return ret;
	if (!tpgt)
		tpgt = 1;
	if (iscsi_name_check(pos.v[0], why, sizeof(why)))
		return usage(c, "bad target name '%s': %s", pos.v[0], why);
	if (cfs_path(t, "targets/%s", pos.v[0]) < 0 ||
	    cfs_path(g, "%s/tpgt_%u", t, tpgt) < 0)
		return cfs_report();
	if (cfs_is_dir(t))
		return err("target %s already exists (add a TPG with `ktgtcli tpg create`)",
			   pos.v[0]);
	if (cfs_mkdir(t) < 0)
		return cfs_report();
	if (cfs_mkdir(g) < 0) {
		cfs_report();
		if (cfs_rmdir(t) < 0) {
			cfs_clear_error();
			warn("could not remove the half-created %s", t);
		}
		return EX_FAIL;
	}
	note("created target %s with tpgt_%u (disabled: add portals, LUNs and ACLs, then `ktgtcli target enable`)",
	     pos.v[0], tpgt);
	return EX_OK;
}

static int delete(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	struct strlist l;
	char t[PATH_MAX], p[PATH_MAX];
	size_t i;
	int ret = EX_OK;

	if (cli_getopt(c, argc, argv, no_opts, &pos) != -1)
		return EX_USAGE;
	if (pos.n != 1)
		return usage(c, pos.n ? "too many arguments" : "missing NAME");
	if (!safe_component(pos.v[0]))
		return usage(c, "bad target name '%s'", pos.v[0]);
	if (cfs_path(t, "targets/%s", pos.v[0]) < 0)
		return cfs_report();
	if (!cfs_is_dir(t))
		return err("target %s does not exist (see `ktgtcli target ls`)",
			   pos.v[0]);
	if (cfs_list(t, CFS_DIRS, "tpgt_", &l) < 0)
		return cfs_report();
	for (i = 0; i < l.n && !ret; i++) {
		if (cfs_path(p, "%s/%s", t, l.v[i]) < 0)
			ret = cfs_report();
		else
			ret = tpg_teardown(p);
	}
	strlist_free(&l);
	if (ret)
		return ret;
	if (cfs_rmdir(t) < 0)
		return cfs_report();
	note("deleted target %s", pos.v[0]);
	return EX_OK;
}

static int count(const char *tpg, const char *sub, const char *prefix)
{
	struct strlist l;
	char p[PATH_MAX];
	int n;

	if (cfs_path(p, "%s/%s", tpg, sub) < 0 ||
	    cfs_list(p, CFS_DIRS, prefix, &l) < 0) {
		cfs_clear_error();
		return 0;
	}
	n = (int)l.n;
	strlist_free(&l);
	return n;
}

static int set_enable(const struct cli_cmd *c, int argc, char **argv,
		      const char *v)
{
	struct cli_args pos = { 0 };
	char g[PATH_MAX], p[PATH_MAX];
	unsigned int tpgt;
	int ret;

	ret = parse_tpgt_args(c, argc, argv, &pos, 1, &tpgt);
	if (ret)
		return ret;
	ret = tpg_resolve(pos.v[0], tpgt, g);
	if (ret)
		return ret;
	if (*v == '1' && !count(g, "portals", NULL))
		warn("%s has no portal: initiators cannot reach it (`ktgtcli portal add`)",
		     g + strlen("targets/"));
	if (cfs_path(p, "%s/enable", g) < 0 || cfs_write(p, v) < 0)
		return cfs_report();
	note("%s %s", *v == '1' ? "enabled" : "disabled",
	     g + strlen("targets/"));
	return EX_OK;
}

static int enable(const struct cli_cmd *c, int argc, char **argv)
{
	return set_enable(c, argc, argv, "1");
}

static int disable(const struct cli_cmd *c, int argc, char **argv)
{
	return set_enable(c, argc, argv, "0");
}

static int list(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	struct strlist t, g;
	char p[PATH_MAX], v[CFS_VALUE_MAX];
	size_t i, j;

	if (cli_getopt(c, argc, argv, no_opts, &pos) != -1)
		return EX_USAGE;
	if (pos.n)
		return usage(c, "unexpected argument '%s'", pos.v[0]);
	if (cfs_list("targets", CFS_DIRS, NULL, &t) < 0)
		return cfs_report();
	for (i = 0; i < t.n; i++) {
		printf("%s\n", t.v[i]);
		snprintf(p, sizeof(p), "targets/%s", t.v[i]);
		if (cfs_list(p, CFS_DIRS, "tpgt_", &g) < 0) {
			cfs_clear_error();
			continue;
		}
		for (j = 0; j < g.n; j++) {
			snprintf(p, sizeof(p), "targets/%s/%s/enable", t.v[i],
				 g.v[j]);
			if (cfs_read(p, v, sizeof(v)) < 0) {
				cfs_clear_error();
				strcpy(v, "?");
			}
			snprintf(p, sizeof(p), "targets/%s/%s", t.v[i],
				 g.v[j]);
			printf("  %s %s portals=%d luns=%d acls=%d\n", g.v[j],
			       !strcmp(v, "1") ? "enabled" :
			       !strcmp(v, "0") ? "disabled" : v,
			       count(p, "portals", NULL),
			       count(p, "luns", "lun_"),
			       count(p, "acls", NULL));
		}
		strlist_free(&g);
	}
	strlist_free(&t);
	return EX_OK;
}

const struct cli_cmd target_cmds[] = {
	{ "target", "create", "NAME [--tpgt N]",
	  "create a target and its TPG (tpgt_1 by default), disabled",
	  "NAME is an iSCSI name (RFC 7143 4.2.7), lower case, at most 223\n"
	  "bytes: iqn.YYYY-MM.reversed.domain[:unique], eui.<16 hex> or\n"
	  "naa.<16 or 32 hex>. Example: iqn.2024-01.com.example:storage.disk1",
	  create, 0 },
	{ "target", "delete", "NAME",
	  "disable and delete a target with its TPGs, ACLs, LUNs and portals",
	  NULL, delete, 0 },
	{ "target", "enable", "NAME [--tpgt N]",
	  "enable a TPG: it accepts logins on its portals", NULL, enable, 0 },
	{ "target", "disable", "NAME [--tpgt N]",
	  "disable a TPG: no new logins", NULL, disable, 0 },
	{ "target", "ls", "", "list targets and their TPGs", NULL, list, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};
