// SPDX-License-Identifier: GPL-2.0
/* `portal add|delete`: network portals of a TPG. */
#include <stdio.h>
#include <string.h>

#include "cfs.h"
#include "cli.h"
#include "util.h"

/* Finds an existing portal equal to @p (any spelling); 1 if found. */
static int find(const char *tpg, const struct portal *p, char *name,
		size_t len)
{
	struct strlist l;
	struct portal q;
	char pp[PATH_MAX], why[8];
	size_t i;
	int found = 0;

	if (cfs_path(pp, "%s/portals", tpg) < 0 ||
	    cfs_list(pp, CFS_DIRS, NULL, &l) < 0)
		return -1;
	for (i = 0; i < l.n && !found; i++) {
		if (portal_parse(l.v[i], &q, why, sizeof(why)) == 0 &&
		    portal_equal(p, &q)) {
			snprintf(name, len, "%s", l.v[i]);
			found = 1;
		}
	}
	strlist_free(&l);
	return found;
}

/* Is @t listed in the root's transports attribute? -1 if unreadable. */
static int transport_registered(const char *t)
{
	char v[CFS_VALUE_MAX], *s, *save;

	if (cfs_read("transports", v, sizeof(v)) < 0) {
		cfs_clear_error();
		return -1;
	}
	for (s = strtok_r(v, " \n", &save); s; s = strtok_r(NULL, " \n", &save))
		if (!strcmp(s, t))
			return 1;
	return 0;
}

enum { OPT_TPGT = 256, OPT_ISER };

static const struct option add_opts[] = {
	{ "tpgt", required_argument, NULL, OPT_TPGT },
	{ "iser", no_argument, NULL, OPT_ISER },
	{ NULL, 0, NULL, 0 },
};

static const struct option delete_opts[] = {
	{ "tpgt", required_argument, NULL, OPT_TPGT },
	{ NULL, 0, NULL, 0 },
};

static int parse(const struct cli_cmd *c, int argc, char **argv,
		 const struct option *opts, unsigned int *tpgt, bool *iser,
		 struct portal *p, char *canon, size_t len,
		 struct cli_args *pos)
{
	char why[128];
	int o;

	*tpgt = 0;
	while ((o = cli_getopt(c, argc, argv, opts, pos)) != -1) {
		if (o == OPT_TPGT) {
			if (opt_tpgt(c, optarg, tpgt))
				return EX_USAGE;
		} else if (o == OPT_ISER && iser) {
			*iser = true;
		} else {
			return EX_USAGE;
		}
	}
	if (pos->n != 2)
		return usage(c, pos->n < 2 ? "missing argument" :
			     "too many arguments");
	if (portal_parse(pos->v[1], p, why, sizeof(why)))
		return usage(c, "bad portal: %s", why);
	portal_format(p, canon, len);
	return EX_OK;
}

static int add(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	char g[PATH_MAX], rel[PATH_MAX], canon[64], old[NAME_MAX + 1];
	unsigned int tpgt;
	struct portal p;
	bool iser = false;
	int ret;

	ret = parse(c, argc, argv, add_opts, &tpgt, &iser, &p, canon,
		    sizeof(canon), &pos);
	if (ret)
		return ret;
	ret = tpg_resolve(pos.v[0], tpgt, g);
	if (ret)
		return ret;
	if (find(g, &p, old, sizeof(old)) > 0)
		return err("portal %s already exists on %s%s%s", canon,
			   g + strlen("targets/"),
			   strcmp(old, canon) ? " as " : "",
			   strcmp(old, canon) ? old : "");
	cfs_clear_error();
	if (iser && transport_registered("iser") == 0)
		return err("transport iser is not registered (`modprobe ktgt_iser`; %s/transports lists the loaded ones)",
			   cfs_root());
	if (cfs_path(rel, "%s/portals/%s", g, canon) < 0)
		return cfs_report();
	if (cfs_mkdir(rel) < 0)
		return cfs_report();
	if (iser) {
		char t[PATH_MAX];

		if (cfs_path(t, "%s/transport", rel) < 0 ||
		    cfs_write(t, "iser") < 0) {
			cfs_report();
			if (cfs_rmdir(rel) < 0) {
				cfs_clear_error();
				warn("could not remove the half-created portal %s",
				     rel);
			}
			return EX_FAIL;
		}
	}
	note("added portal %s (%s) to %s", canon, iser ? "iser" : "tcp",
	     g + strlen("targets/"));
	return EX_OK;
}

static int delete(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	char g[PATH_MAX], rel[PATH_MAX], canon[64], name[NAME_MAX + 1];
	unsigned int tpgt;
	struct portal p;
	int ret;

	ret = parse(c, argc, argv, delete_opts, &tpgt, NULL, &p, canon,
		    sizeof(canon), &pos);
	if (ret)
		return ret;
	ret = tpg_resolve(pos.v[0], tpgt, g);
	if (ret)
		return ret;
	ret = find(g, &p, name, sizeof(name));
	if (ret < 0)
		return cfs_report();
	if (!ret)
		return err("%s has no portal %s", g + strlen("targets/"), canon);
	if (cfs_path(rel, "%s/portals/%s", g, name) < 0 || cfs_rmdir(rel) < 0)
		return cfs_report();
	note("deleted portal %s from %s", name, g + strlen("targets/"));
	return EX_OK;
}

const struct cli_cmd portal_cmds[] = {
	{ "portal", "add", "TARGET IP[:PORT] [--iser] [--tpgt N]",
	  "add a network portal (default port 3260, transport tcp)",
	  "IPv4 as 10.0.0.1 or 10.0.0.1:3261, IPv6 as [fe80::1]:3260 (or bare\n"
	  "without a port); 0.0.0.0 and [::] listen on every address.\n"
	  "--iser makes the portal an iSER (RDMA) portal.",
	  add, 0 },
	{ "portal", "delete", "TARGET IP[:PORT] [--tpgt N]",
	  "delete a network portal", NULL, delete, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};
