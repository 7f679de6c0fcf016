// SPDX-License-Identifier: GPL-2.0
/*
 * ktgtcli: one-shot configuration commands for the ktgt iSCSI target,
 * through configfs (docs/configfs.md). Dispatch and help live here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfs.h"
#include "cli.h"

static const struct cli_cmd *const tables[] = {
	main_cmds, ls_cmds, backstore_cmds, target_cmds, tpg_cmds,
	portal_cmds, lun_cmds, acl_cmds, discovery_cmds,
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static void print_usage(const struct cli_cmd *c, FILE *f)
{
	cli_print_usage(f, c, "  ", "  ");
}

static void overview(FILE *f)
{
	const struct cli_cmd *c;
	size_t t;

	fprintf(f,
		"usage: ktgtcli [--root DIR] [-q] COMMAND [ARGS...]\n"
		"\n"
		"Configures the ktgt iSCSI target through configfs (%s,\n"
		"or --root DIR, or $KTGT_CONFIGFS). Exit status: 0 success, 1 failure,\n"
		"2 bad command line. -q suppresses confirmations.\n\n"
		"commands:\n", CFS_DEFAULT_ROOT);
	for (t = 0; t < NTABLES; t++)
		for (c = tables[t]; c->verb; c++) {
			print_usage(c, f);
			fprintf(f, "      %s\n", c->summary);
		}
	fprintf(f, "\n'ktgtcli help COMMAND' shows the details of a command.\n");
}

static void detail(const struct cli_cmd *c)
{
	const char *s, *e;

	print_usage(c, stdout);
	printf("      %s\n", c->summary);
	for (s = c->help; s && *s; s = *e ? e + 1 : e) {
		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		printf("      %.*s\n", (int)(e - s), s);
	}
}

static int help(const struct cli_cmd *self, int argc, char **argv)
{
	const struct cli_cmd *c;
	bool found = false;
	size_t t;

	if (argc < 2) {
		overview(stdout);
		return EX_OK;
	}
	if (argc > 3)
		return usage(self, "too many arguments");
	for (t = 0; t < NTABLES; t++)
		for (c = tables[t]; c->verb; c++) {
			bool match = c->group ?
				!strcmp(c->group, argv[1]) &&
				(argc < 3 || !strcmp(c->verb, argv[2])) :
				argc == 2 && !strcmp(c->verb, argv[1]);

			if (!match)
				continue;
			if (found)
				putchar('\n');
			detail(c);
			found = true;
		}
	if (!found)
		return usage(self, "no command '%s%s%s'", argv[1],
			     argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
	return EX_OK;
}

static int version(const struct cli_cmd *c, int argc, char **argv)
{
	char v[CFS_VALUE_MAX];

	if (argc > 1)
		return usage(c, "too many arguments");
	printf("ktgtcli %s\n", KTGTCLI_VERSION);
	if (cfs_read("version", v, sizeof(v)) >= 0) {
		printf("ktgt %s\n", v);
	} else {
		cfs_clear_error();
		printf("ktgt module: not loaded (no %s/version)\n", cfs_root());
	}
	return EX_OK;
}

const struct cli_cmd main_cmds[] = {
	{ NULL, "help", "[COMMAND [VERB]]", "show help", NULL, help,
	  0 },
	{ NULL, "version", "", "print the versions of ktgtcli and the module",
	  NULL, version, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

static int group_usage(const char *group)
{
	const struct cli_cmd *c;
	size_t t;

	fprintf(stderr, "usage:\n");
	for (t = 0; t < NTABLES; t++)
		for (c = tables[t]; c->verb; c++)
			if (c->group && !strcmp(c->group, group)) {
				print_usage(c, stderr);
				fprintf(stderr, "      %s\n", c->summary);
			}
	return EX_USAGE;
}

int cli_run(int argc, char **argv)
{
	const struct cli_cmd *c;
	bool group = false;
	size_t t;

	for (t = 0; t < NTABLES; t++) {
		for (c = tables[t]; c->verb; c++) {
			if (!c->group) {
				if (strcmp(c->verb, argv[0]))
					continue;
			} else {
				if (strcmp(c->group, argv[0]))
					continue;
				group = true;
				if (argc < 2 || strcmp(c->verb, argv[1]))
					continue;
				argc--;
				argv++;
			}
			return c->fn(c, argc, argv);
		}
	}
	if (group) {
		if (argc < 2)
			fprintf(stderr, "ktgtcli: %s: missing verb\n", argv[0]);
		else
			fprintf(stderr, "ktgtcli: %s: unknown verb '%s'\n",
				argv[0], argv[1]);
		return group_usage(argv[0]);
	}
	fprintf(stderr, "ktgtcli: unknown command '%s' (try 'ktgtcli help')\n",
		argv[0]);
	return EX_USAGE;
}

int main(int argc, char **argv)
{
	const char *root = NULL;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--root")) {
			if (++i == argc) {
				fprintf(stderr, "ktgtcli: --root needs a directory\n");
				return EX_USAGE;
			}
			root = argv[i];
		} else if (!strncmp(argv[i], "--root=", 7)) {
			root = argv[i] + 7;
		} else if (!strcmp(argv[i], "-q") ||
			   !strcmp(argv[i], "--quiet")) {
			cli_quiet = true;
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			overview(stdout);
			return EX_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("ktgtcli %s\n", KTGTCLI_VERSION);
			return EX_OK;
		} else {
			fprintf(stderr, "ktgtcli: unknown option '%s' (try 'ktgtcli help')\n",
				argv[i]);
			return EX_USAGE;
		}
	}
	if (i == argc) {
		overview(stderr);
		return EX_USAGE;
	}
	cfs_set_root(root);
	return cli_run(argc - i, argv + i);
}
