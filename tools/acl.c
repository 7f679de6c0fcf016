// SPDX-License-Identifier: GPL-2.0
/* `acl add|delete|auth`: initiator ACLs, their LUN mappings and CHAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfs.h"
#include "cli.h"
#include "util.h"

int acl_teardown(const char *acl)
{
	struct strlist l;
	char p[PATH_MAX];
	size_t i;
	int ret = EX_OK;

	if (cfs_path(p, "%s/luns", acl) < 0 ||
	    cfs_list(p, CFS_DIRS, "lun_", &l) < 0)
		return cfs_report();
	for (i = 0; i < l.n && !ret; i++)
		if (cfs_path(p, "%s/luns/%s", acl, l.v[i]) < 0 ||
		    cfs_rmdir(p) < 0)
			ret = cfs_report();
	strlist_free(&l);
	if (!ret && cfs_rmdir(acl) < 0)
		ret = cfs_report();
	return ret;
}

int acl_map_lun(const char *acl, unsigned long lun, long mapped,
		bool readonly, unsigned long *out)
{
	char p[PATH_MAX], rel[PATH_MAX], v[24];

	if (mapped < 0) {
		if (cfs_path(rel, "%s/luns/lun_%lu", acl, lun) < 0)
			return cfs_report();
		if (!cfs_is_dir(rel)) {
			mapped = (long)lun;
		} else {
			if (cfs_path(p, "%s/luns", acl) < 0)
				return cfs_report();
			mapped = lowest_free_lun(p);
			if (mapped == -2)
				return err("no free mapped LUN number in %s",
					   acl);
			if (mapped < 0)
				return cfs_report();
		}
	}
	if (cfs_path(rel, "%s/luns/lun_%ld", acl, mapped) < 0)
		return cfs_report();
	if (cfs_mkdir(rel) < 0)
		return cfs_report();
	snprintf(v, sizeof(v), "%lu", lun);
	if (cfs_path(p, "%s/tpg_lun", rel) < 0 || cfs_write(p, v) < 0 ||
	    (readonly && (cfs_path(p, "%s/readonly", rel) < 0 ||
			  cfs_write(p, "1") < 0))) {
		cfs_report();
		if (cfs_rmdir(rel) < 0) {
			cfs_clear_error();
			warn("could not remove the half-created %s", rel);
		}
		return EX_FAIL;
	}
	*out = (unsigned long)mapped;
	return EX_OK;
}

enum { OPT_TPGT = 256, OPT_LUNS, OPT_RO };

static const struct option add_opts[] = {
	{ "tpgt", required_argument, NULL, OPT_TPGT },
	{ "luns", required_argument, NULL, OPT_LUNS },
	{ "readonly", no_argument, NULL, OPT_RO },
	{ NULL, 0, NULL, 0 },
};

#define MAX_MAP	1024

/* --luns all|none|N,M,...: the TPG LUN numbers to map, checked. */
static int pick_luns(const struct cli_cmd *c, const char *g, const char *spec,
		     unsigned long *luns, size_t *n)
{
	char p[PATH_MAX], buf[256], *s, *save;
	struct strlist l;
	unsigned long v;
	size_t i;

	*n = 0;
	if (!strcmp(spec, "none"))
		return EX_OK;
	if (!strcmp(spec, "all")) {
		if (cfs_path(p, "%s/luns", g) < 0 ||
		    cfs_list(p, CFS_DIRS, "lun_", &l) < 0)
			return cfs_report();
		for (i = 0; i < l.n && *n < MAX_MAP; i++)
			if (!parse_uint(l.v[i] + 4, 0, KTGT_LUN_MAX, &v))
				luns[(*n)++] = v;
		strlist_free(&l);
		return EX_OK;
	}
	if (strlen(spec) >= sizeof(buf))
		return usage(c, "--luns list too long");
	strcpy(buf, spec);
	for (s = strtok_r(buf, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		if (parse_uint(s, 0, KTGT_LUN_MAX, &v))
			return usage(c, "bad LUN '%s' in --luns (all, none or N,M,...)",
				     s);
		for (i = 0; i < *n; i++)
			if (luns[i] == v)
				return usage(c, "LUN %lu given twice in --luns", v);
		if (*n == MAX_MAP)
			return usage(c, "too many LUNs in --luns");
		luns[(*n)++] = v;
	}
	if (!*n)
		return usage(c, "empty --luns");
	for (i = 0; i < *n; i++) {
		if (cfs_path(p, "%s/luns/lun_%lu", g, luns[i]) < 0)
			return cfs_report();
		if (!cfs_is_dir(p))
			return err("%s has no LUN %lu (see `ktgtcli ls`)",
				   g + strlen("targets/"), luns[i]);
	}
	return EX_OK;
}

static int add(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	char g[PATH_MAX], rel[PATH_MAX], why[128];
	const char *spec = "all";
	static unsigned long luns[MAX_MAP];
	unsigned long m;
	unsigned int tpgt = 0;
	bool ro = false;
	size_t n, i;
	int o, ret;

	while ((o = cli_getopt(c, argc, argv, add_opts, &pos)) != -1) {
		switch (o) {
		case OPT_TPGT:
			if (opt_tpgt(c, optarg, &tpgt))
				return EX_USAGE;
			break;
		case OPT_LUNS:
			spec = optarg;
			break;
		case OPT_RO:
			ro = true;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (pos.n != 2)
		return usage(c, pos.n < 2 ? "missing argument" :
			     "too many arguments");
	if (iscsi_name_check(pos.v[1], why, sizeof(why)))
		return usage(c, "bad initiator name '%s': %s", pos.v[1], why);
	ret = tpg_resolve(pos.v[0], tpgt, g);
	if (ret)
		return ret;
	ret = pick_luns(c, g, spec, luns, &n);
	if (ret)
		return ret;
	if (cfs_path(rel, "%s/acls/%s", g, pos.v[1]) < 0)
		return cfs_report();
	if (cfs_is_dir(rel))
		return err("%s already has an ACL for %s",
			   g + strlen("targets/"), pos.v[1]);
	if (cfs_mkdir(rel) < 0)
		return cfs_report();
	for (i = 0; i < n; i++) {
		ret = acl_map_lun(rel, luns[i], (long)luns[i], ro, &m);
		if (ret) {
			if (acl_teardown(rel))
				warn("could not remove the half-created ACL %s",
				     rel);
			return ret;
		}
	}
	note("created ACL %s on %s with %zu mapped LUN%s", pos.v[1],
	     g + strlen("targets/"), n, n == 1 ? "" : "s");
	return EX_OK;
}

static int delete(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	char g[PATH_MAX], rel[PATH_MAX];
	unsigned int tpgt;
	int ret;

	ret = parse_tpgt_args(c, argc, argv, &pos, 2, &tpgt);
	if (ret)
		return ret;
	if (!safe_component(pos.v[1]))
		return usage(c, "bad initiator name '%s'", pos.v[1]);
	ret = tpg_resolve(pos.v[0], tpgt, g);
	if (ret)
		return ret;
	if (cfs_path(rel, "%s/acls/%s", g, pos.v[1]) < 0)
		return cfs_report();
	if (!cfs_is_dir(rel))
		return err("%s has no ACL for %s", g + strlen("targets/"),
			   pos.v[1]);
	ret = acl_teardown(rel);
	if (!ret)
		note("deleted ACL %s from %s", pos.v[1], g + strlen("targets/"));
	return ret;
}

static int auth(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	struct chap_creds cr;
	char g[PATH_MAX], rel[PATH_MAX];
	unsigned int tpgt;
	bool clear;
	int ret;

	ret = chap_parse(c, argc, argv, &cr, NULL, &tpgt, &clear, &pos);
	if (ret)
		return ret;
	if (pos.n != 2)
		return usage(c, pos.n < 2 ? "missing argument" :
			     "too many arguments");
	if (!cr.userid)
		return usage(c, "give --userid and --password, or --clear");
	if (!safe_component(pos.v[1]))
		return usage(c, "bad initiator name '%s'", pos.v[1]);
	ret = tpg_resolve(pos.v[0], tpgt, g);
	if (ret)
		return ret;
	if (cfs_path(rel, "%s/acls/%s", g, pos.v[1]) < 0)
		return cfs_report();
	if (!cfs_is_dir(rel))
		return err("%s has no ACL for %s (`ktgtcli acl add` first)",
			   g + strlen("targets/"), pos.v[1]);
	if (cfs_path(rel, "%s/acls/%s/auth", g, pos.v[1]) < 0)
		return cfs_report();
	ret = chap_write(rel, &cr);
	if (!ret)
		note("%s CHAP of ACL %s", clear ? "cleared" : "set", pos.v[1]);
	return ret;
}

const struct cli_cmd acl_cmds[] = {
	{ "acl", "add",
	  "TARGET INITIATOR [--luns all|none|N,M,...] [--readonly] [--tpgt N]",
	  "allow an initiator and map TPG LUNs for it (all by default)",
	  "INITIATOR is the initiator's iSCSI name (as in\n"
	  "/etc/iscsi/initiatorname.iscsi). Each TPG LUN N is mapped at the\n"
	  "same number N; --readonly makes the mappings read-only.",
	  add, 0 },
	{ "acl", "delete", "TARGET INITIATOR [--tpgt N]",
	  "remove an initiator's ACL and its LUN mappings", NULL, delete, 0 },
	{ "acl", "auth",
	  "TARGET INITIATOR (--userid U --password P [--mutual-userid U --mutual-password P] | --clear) [--tpgt N]",
	  "set per-initiator CHAP credentials",
	  "Replaces the ACL's credentials (omitted mutual ones are cleared).\n"
	  "Secrets are 12..256 bytes; the mutual secret must differ.\n"
	  "CHAP is required when the TPG has attrib.authentication=1.",
	  auth, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};
