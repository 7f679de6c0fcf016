// SPDX-License-Identifier: GPL-2.0
/* `ls [PATH] [--all]`: the configfs tree, attributes from schema.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfs.h"
#include "cli.h"
#include "schema.h"
#include "util.h"

#define MAX_DEPTH	16

static bool is_secret(const struct sattr *a, const char *name)
{
	return (a && (a->flags & SA_SECRET)) || strstr(name, "password");
}

/* Value of @rel/@name for display: one line, secrets masked, sizes
 * with units. false if unreadable. */
static bool show_value(const char *rel, const char *name,
		       const struct sattr *a, char *out, size_t len)
{
	char p[PATH_MAX], v[CFS_VALUE_MAX], *s;
	uint64_t n;

	if (cfs_path(p, "%s%s%s", rel, *rel ? "/" : "", name) < 0 ||
	    cfs_read(p, v, sizeof(v)) < 0) {
		cfs_clear_error();
		return false;
	}
	for (s = v; *s; s++)
		if (*s == '\n')
			*s = ',';
	if (is_secret(a, name) && *v)
		snprintf(out, len, "***");
	else if (a && (a->flags & SA_SIZE) && !parse_size(v, &n))
		format_size(n, out, len);
	else
		snprintf(out, len, "%.*s", (int)len - 1, v);
	return true;
}

void attrs_inline(const char *rel, bool all, char *buf, size_t len)
{
	const struct sgroup *g = schema_match(rel);
	const struct sattr *a;
	char v[256];
	size_t used = 0;

	buf[0] = '\0';
	for (a = g ? g->attrs : NULL; a && a->name; a++) {
		if (!all && !(a->flags & SA_LS))
			continue;
		if (!show_value(rel, a->name, a, v, sizeof(v)) ||
		    (!all && !*v))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s=%s",
					 used ? " " : "", a->name, v);
		if (used >= len) {
			buf[len - 1] = '\0';
			return;
		}
	}
}

/* All attribute files of @rel, one per line (the --all view). */
static void attr_lines(const char *rel, const char *prefix)
{
	const struct sgroup *g = schema_match(rel);
	struct strlist l;
	char v[256];
	size_t i;

	if (cfs_list(rel, CFS_FILES, NULL, &l) < 0) {
		cfs_clear_error();
		return;
	}
	for (i = 0; i < l.n; i++)
		if (show_value(rel, l.v[i], schema_attr(g, l.v[i]), v,
			       sizeof(v)))
			printf("%s%s=%s\n", prefix, l.v[i], v);
	strlist_free(&l);
}

static bool hidden(const char *rel)
{
	const struct sgroup *g = schema_match(rel);

	return g && (g->flags & SG_HIDE);
}

static void node(const char *rel, const char *name, const char *prefix,
		 bool last, bool all, int depth);

static void children(const char *rel, const char *prefix, bool all,
		     int depth, bool *any)
{
	struct strlist l;
	char c[PATH_MAX];
	size_t i, n = 0, k = 0;

	*any = false;
	if (depth > MAX_DEPTH || cfs_list(rel, CFS_DIRS, NULL, &l) < 0) {
		cfs_clear_error();
		return;
	}
	for (i = 0; i < l.n; i++) {
		if (cfs_path(c, "%s%s%s", rel, *rel ? "/" : "", l.v[i]) < 0 ||
		    (!all && hidden(c))) {
			free(l.v[i]);
			l.v[i] = NULL;
			continue;
		}
		n++;
	}
	*any = n > 0;
	if (prefix) {
		for (i = 0; i < l.n; i++) {
			if (!l.v[i])
				continue;
			cfs_path(c, "%s%s%s", rel, *rel ? "/" : "", l.v[i]);
			node(c, l.v[i], prefix, ++k == n, all, depth + 1);
		}
	}
	strlist_free(&l);
}

static void node(const char *rel, const char *name, const char *prefix,
		 bool last, bool all, int depth)
{
	char inl[1024], sub[512], attrp[520];
	bool kids;

	attrs_inline(rel, false, inl, sizeof(inl));
	printf("%so- %s%s%s%s\n", prefix, name, *inl ? " [" : "", inl,
	       *inl ? "]" : "");
	snprintf(sub, sizeof(sub), "%s%s", prefix, last ? "  " : "| ");
	if (all) {
		children(rel, NULL, all, depth, &kids);
		snprintf(attrp, sizeof(attrp), "%s%s  ", sub,
			 kids ? "|" : " ");
		attr_lines(rel, attrp);
	}
	children(rel, sub, all, depth, &kids);
}

enum { OPT_ALL = 256 };

static const struct option ls_opts[] = {
	{ "all", no_argument, NULL, OPT_ALL },
	{ NULL, 0, NULL, 0 },
};

static int ls(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	char rel[PATH_MAX], *s;
	bool all = false;
	size_t n;
	int o;

	while ((o = cli_getopt(c, argc, argv, ls_opts, &pos)) != -1) {
		if (o != OPT_ALL)
			return EX_USAGE;
		all = true;
	}
	if (pos.n > 1)
		return usage(c, "too many arguments");
	rel[0] = '\0';
	if (pos.n) {
		s = pos.v[0];
		while (*s == '/')
			s++;
		if (strlen(s) >= sizeof(rel))
			return usage(c, "PATH too long");
		strcpy(rel, s);
		n = strlen(rel);
		while (n && rel[n - 1] == '/')
			rel[--n] = '\0';
		if (strstr(rel, "..") || strstr(rel, "//"))
			return usage(c, "bad PATH '%s'", pos.v[0]);
	}
	if (!cfs_is_dir(rel))
		return err("%s%s%s does not exist", cfs_root(), *rel ? "/" : "",
			   rel);
	s = strrchr(rel, '/');
	node(rel, *rel ? (s ? s + 1 : rel) : "/", "", true, all, 0);
	return EX_OK;
}

const struct cli_cmd ls_cmds[] = {
	{ NULL, "ls", "[PATH] [--all]",
	  "print the configuration tree",
	  "PATH is relative to the configfs root, e.g. backstores/ram or\n"
	  "targets/iqn.2024-01.com.example:t1. --all also shows the TPG\n"
	  "attrib, param and auth groups and every attribute (secrets masked).",
	  ls, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};
