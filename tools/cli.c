// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the command modules: messages, options, TPG lookup. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfs.h"
#include "cli.h"
#include "util.h"

bool cli_quiet;

int err(const char *fmt, ...)
{
	va_list ap;

	/* "target X does not exist" because there is no configfs tree at all */
	if (cfs_root_error())
		return cfs_report();
	fputs("ktgtcli: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EX_FAIL;
}

void warn(const char *fmt, ...)
{
	va_list ap;

	fputs("ktgtcli: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void note(const char *fmt, ...)
{
	va_list ap;

	if (cli_quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void cli_print_usage(FILE *f, const struct cli_cmd *c, const char *first,
		     const char *more)
{
	const char *s = c->args, *e;

	do {
		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		fprintf(f, "%sktgtcli %s%s%s%s%.*s\n", s == c->args ? first : more,
			c->group ? c->group : "", c->group ? " " : "", c->verb,
			e > s ? " " : "", (int)(e - s), s);
		s = *e ? e + 1 : e;
	} while (*s);
}

int usage(const struct cli_cmd *c, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fputs("ktgtcli: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	cli_print_usage(stderr, c, "usage: ", "       ");
	fprintf(stderr, "try 'ktgtcli help %s'\n", c->group ? c->group : c->verb);
	return EX_USAGE;
}

int cli_getopt(const struct cli_cmd *c, int argc, char **argv,
	       const struct option *opts, struct cli_args *pos)
{
	int o;

	if (!pos->started) {
		optind = 0;	/* glibc: full reset for the next command line */
		opterr = 0;
		pos->started = true;
		pos->n = 0;
	}
	for (;;) {
		o = getopt_long(argc, argv, "-:", opts, NULL);
		if (o == 1) {
			if (pos->n == CLI_MAX_ARGS) {
				usage(c, "too many arguments");
				return '?';
			}
			pos->v[pos->n++] = optarg;
			continue;
		}
		break;
	}
	if (o == -1) {
		while (optind < argc && pos->n < CLI_MAX_ARGS)
			pos->v[pos->n++] = argv[optind++];
		if (optind < argc) {
			usage(c, "too many arguments");
			return '?';
		}
	} else if (o == '?') {
		if (optopt)
			usage(c, "unknown option '-%c'", optopt);
		else
			usage(c, "unknown option '%s'", argv[optind - 1]);
	} else if (o == ':') {
		usage(c, "option '%s' needs a value", argv[optind - 1]);
		o = '?';
	}
	return o;
}

int opt_tpgt(const struct cli_cmd *c, const char *arg, unsigned int *tpgt)
{
	unsigned long v;

	if (parse_uint(arg, 1, 65535, &v))
		return usage(c, "bad --tpgt '%s' (1..65535)", arg);
	*tpgt = (unsigned int)v;
	return EX_OK;
}

int tpg_resolve(const char *target, unsigned int tpgt, char *rel)
{
	struct strlist l;
	char t[PATH_MAX];

	if (!safe_component(target))
		return err("bad target name '%s'", target);
	if (cfs_path(t, "targets/%s", target) < 0)
		return cfs_report();
	if (!cfs_is_dir(t))
		return err("target %s does not exist (see `ktgtcli target ls`)",
			   target);
	if (tpgt) {
		if (cfs_path(rel, "%s/tpgt_%u", t, tpgt) < 0)
			return cfs_report();
		if (!cfs_is_dir(rel))
			return err("target %s has no tpgt_%u (create it with `ktgtcli tpg create %s --tpgt %u`)",
				   target, tpgt, target, tpgt);
		return EX_OK;
	}
	if (cfs_path(rel, "%s/tpgt_1", t) < 0)
		return cfs_report();
	if (cfs_is_dir(rel))
		return EX_OK;
	if (cfs_list(t, CFS_DIRS, "tpgt_", &l) < 0)
		return cfs_report();
	if (l.n != 1) {
		const char *how = l.n ? "several" : "no";

		strlist_free(&l);
		return err("target %s has %s TPGs: choose one with --tpgt N",
			   target, how);
	}
	if (cfs_path(rel, "%s/%s", t, l.v[0]) < 0) {
		strlist_free(&l);
		return cfs_report();
	}
	strlist_free(&l);
	return EX_OK;
}

enum { OPT_TPGT = 256 };

static const struct option tpgt_opts[] = {
	{ "tpgt", required_argument, NULL, OPT_TPGT },
	{ NULL, 0, NULL, 0 },
};

int parse_tpgt_args(const struct cli_cmd *c, int argc, char **argv,
		    struct cli_args *pos, int nargs, unsigned int *tpgt)
{
	int o;

	*tpgt = 0;
	while ((o = cli_getopt(c, argc, argv, tpgt_opts, pos)) != -1) {
		if (o != OPT_TPGT)
			return EX_USAGE;
		if (opt_tpgt(c, optarg, tpgt))
			return EX_USAGE;
	}
	if (pos->n < (nargs < 0 ? -nargs : nargs))
		return usage(c, "missing argument");
	if (nargs >= 0 && pos->n > nargs)
		return usage(c, "unexpected argument '%s'", pos->v[nargs]);
	return EX_OK;
}

