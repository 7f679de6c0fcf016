// SPDX-License-Identifier: GPL-2.0
/* `tpg create|delete|set|get|auth`: TPGs and their attrib/param/auth. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfs.h"
#include "cli.h"
#include "util.h"

static const char *const tpg_groups[] = { "attrib", "param", "auth" };

static int create(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	char t[PATH_MAX], g[PATH_MAX];
	unsigned int tpgt;
	int ret;

	ret = parse_tpgt_args(c, argc, argv, &pos, 1, &tpgt);
	if (ret)
		return ret;
	if (!tpgt)
		return usage(c, "--tpgt N is required");
	if (!safe_component(pos.v[0]))
		return usage(c, "bad target name '%s'", pos.v[0]);
	if (cfs_path(t, "targets/%s", pos.v[0]) < 0 ||
	    cfs_path(g, "%s/tpgt_%u", t, tpgt) < 0)
		return cfs_report();
	if (!cfs_is_dir(t))
		return err("target %s does not exist (see `ktgtcli target ls`)",
			   pos.v[0]);
	if (cfs_is_dir(g))
		return err("%s/tpgt_%u already exists", pos.v[0], tpgt);
	if (cfs_mkdir(g) < 0)
		return cfs_report();
	note("created %s/tpgt_%u (disabled)", pos.v[0], tpgt);
	return EX_OK;
}

static int delete(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	char g[PATH_MAX];
	unsigned int tpgt;
	int ret;

	ret = parse_tpgt_args(c, argc, argv, &pos, 1, &tpgt);
	if (ret)
		return ret;
	if (!tpgt)
		return usage(c, "--tpgt N is required");
	ret = tpg_resolve(pos.v[0], tpgt, g);
	if (!ret)
		ret = tpg_teardown(g);
	if (!ret)
		note("deleted %s", g + strlen("targets/"));
	return ret;
}

/* "group.name" -> group index and name; -1 if malformed. */
static int split_name(const char *s, char *group, size_t glen,
		      const char **name)
{
	const char *dot = strchr(s, '.');
	size_t i;

	if (!dot || (size_t)(dot - s) >= glen)
		return -1;
	memcpy(group, s, (size_t)(dot - s));
	group[dot - s] = '\0';
	*name = dot + 1;
	for (i = 0; i < 3; i++)
		if (!strcmp(group, tpg_groups[i]))
			return safe_component(*name) ? (int)i : -1;
	return -1;
}

static int set(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	char g[PATH_MAX], p[PATH_MAX], group[16];
	const char *name;
	unsigned int tpgt;
	int i, ret;

	ret = parse_tpgt_args(c, argc, argv, &pos, -2, &tpgt);
	if (ret)
		return ret;
	/* Check every assignment before writing any. */
	for (i = 1; i < pos.n; i++) {
		char *eq = strchr(pos.v[i], '=');
		int gi;

		if (!eq)
			return usage(c, "'%s' is not GROUP.NAME=VALUE", pos.v[i]);
		*eq = '\0';
		gi = split_name(pos.v[i], group, sizeof(group), &name);
		*eq = '=';
		if (gi < 0)
			return usage(c, "'%s': GROUP is attrib, param or auth",
				     pos.v[i]);
		if (!attr_value_ok(eq + 1))
			return usage(c, "'%s': control characters in the value",
				     pos.v[i]);
	}
	ret = tpg_resolve(pos.v[0], tpgt, g);
	if (ret)
		return ret;
	for (int pass = 0; pass < 2; pass++) {
		for (i = 1; i < pos.n; i++) {
			char *eq = strchr(pos.v[i], '=');
			bool ok;

			*eq = '\0';
			split_name(pos.v[i], group, sizeof(group), &name);
			ret = cfs_path(p, "%s/%s/%s", g, group, name);
			*eq = '=';
			if (ret < 0)
				return cfs_report();
			if (pass == 0) {
				ok = cfs_is_attr(p);
				*eq = '\0';
				if (!ok)
					ret = err("%s has no %s attribute %s (`ktgtcli tpg get %s` lists them)",
						  g + strlen("targets/"), group,
						  name, pos.v[0]);
				*eq = '=';
				if (ret)
					return ret;
				continue;
			}
			if (cfs_write(p, eq + 1) < 0)
				return cfs_report();
			*eq = '\0';
			note("%s=%s", pos.v[i],
			     strstr(name, "password") ? "***" : eq + 1);
			*eq = '=';
		}
	}
	return EX_OK;
}

static int get(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	char g[PATH_MAX], p[PATH_MAX], v[CFS_VALUE_MAX], group[16];
	const char *name;
	struct strlist l;
	unsigned int tpgt;
	size_t j;
	int i, ret;

	ret = parse_tpgt_args(c, argc, argv, &pos, -1, &tpgt);
	if (ret)
		return ret;
	for (i = 1; i < pos.n; i++)
		if (split_name(pos.v[i], group, sizeof(group), &name) < 0)
			return usage(c, "'%s' is not GROUP.NAME (GROUP attrib, param or auth)",
				     pos.v[i]);
	ret = tpg_resolve(pos.v[0], tpgt, g);
	if (ret)
		return ret;
	for (i = 1; i < pos.n; i++) {
		split_name(pos.v[i], group, sizeof(group), &name);
		if (cfs_path(p, "%s/%s/%s", g, group, name) < 0)
			return cfs_report();
		if (!cfs_is_attr(p))
			return err("%s has no %s attribute %s",
				   g + strlen("targets/"), group, name);
		if (cfs_read(p, v, sizeof(v)) < 0)
			return cfs_report();
		printf("%s=%s\n", pos.v[i], v);
	}
	if (pos.n > 1)
		return EX_OK;
	for (i = 0; i < 3; i++) {
		if (cfs_path(p, "%s/%s", g, tpg_groups[i]) < 0 ||
		    cfs_list(p, CFS_FILES, NULL, &l) < 0)
			return cfs_report();
		for (j = 0; j < l.n; j++) {
			if (cfs_path(p, "%s/%s/%s", g, tpg_groups[i],
				     l.v[j]) < 0 ||
			    cfs_read(p, v, sizeof(v)) < 0) {
				strlist_free(&l);
				return cfs_report();
			}
			printf("%s.%s=%s\n", tpg_groups[i], l.v[j], v);
		}
		strlist_free(&l);
	}
	return EX_OK;
}

static int auth(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	struct chap_creds cr;
	char g[PATH_MAX], p[PATH_MAX];
	unsigned int tpgt;
	bool clear;
	int ret;

	ret = chap_parse(c, argc, argv, &cr, NULL, &tpgt, &clear, &pos);
	if (ret)
		return ret;
	if (pos.n != 1)
		return usage(c, pos.n ? "too many arguments" : "missing TARGET");
	if (!cr.userid)
		return usage(c, "give --userid and --password, or --clear");
	ret = tpg_resolve(pos.v[0], tpgt, g);
	if (ret)
		return ret;
	if (cfs_path(p, "%s/auth", g) < 0)
		return cfs_report();
	ret = chap_write(p, &cr);
	if (!ret)
		note("%s TPG-wide CHAP of %s", clear ? "cleared" : "set",
		     g + strlen("targets/"));
	return ret;
}

const struct cli_cmd tpg_cmds[] = {
	{ "tpg", "create", "TARGET --tpgt N", "add a TPG to a target (disabled)",
	  NULL, create, 0 },
	{ "tpg", "delete", "TARGET --tpgt N",
	  "disable and delete a TPG with its ACLs, LUNs and portals", NULL,
	  delete, 0 },
	{ "tpg", "set", "TARGET [--tpgt N] GROUP.NAME=VALUE...",
	  "set TPG attributes",
	  "GROUP is attrib, param or auth, e.g.\n"
	  "  ktgtcli tpg set iqn.2024-01.com.example:t1 attrib.generate_node_acls=1 \\\n"
	  "      param.MaxBurstLength=1048576 param.HeaderDigest=CRC32C,None\n"
	  "param values are as in RFC 7143 (Yes/No, numbers, digest lists).\n"
	  "All assignments are checked first, then written in order.",
	  set, 0 },
	{ "tpg", "get", "TARGET [--tpgt N] [GROUP.NAME...]",
	  "print TPG attributes as GROUP.NAME=VALUE (all without names; secrets included)", NULL,
	  get, 0 },
	{ "tpg", "auth",
	  "TARGET [--tpgt N] (--userid U --password P [--mutual-userid U --mutual-password P] | --clear)",
	  "set TPG-wide CHAP (used for initiators without per-ACL CHAP)",
	  "Set attrib.authentication=1 with `tpg set` to require CHAP.",
	  auth, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};
