/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command table and helpers shared by the object modules. Each module
 * (backstore.c, target.c, ...) exports a table of struct cli_cmd; main.c
 * dispatches on "GROUP VERB" and prints help from the same tables, so an
 * interactive shell can reuse cli_run() line by line.
 */
#ifndef KTGTCLI_CLI_H
#define KTGTCLI_CLI_H

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "cfs.h"

#define KTGTCLI_VERSION	"0.1"

/* Limits of the kernel module (src/core/config.h, docs/configfs.md). */
#define KTGT_LUN_MAX		255	/* lun_0 .. lun_255 */
#define KTGT_BS_NAME_MAX	63	/* bytes of a backstore name */
#define KTGT_BS_PATH_MAX	255	/* bytes of a backstore path */
#define KTGT_CHAP_NAME_MAX	255
#define KTGT_CHAP_SECRET_MIN	12	/* RFC 7143 12.1.3: 96 bits */
#define KTGT_CHAP_SECRET_MAX	255

/* Exit codes. */
#define EX_OK		0
#define EX_FAIL		1	/* the operation failed */
#define EX_USAGE	2	/* bad command line or malformed argument */

struct cli_cmd;
/* argv[0] is the verb; options are parsed by the handler. */
typedef int (*cli_fn)(const struct cli_cmd *c, int argc, char **argv);

struct cli_cmd {
	const char *group;	/* "backstore", or NULL for a top-level verb */
	const char *verb;	/* "create" */
	const char *args;	/* usage after "ktgtcli GROUP VERB " */
	const char *summary;
	const char *help;	/* details, may be NULL */
	cli_fn fn;
	unsigned int flags;	/* none yet (e.g. "interactive only" later) */
};

extern const struct cli_cmd backstore_cmds[];
extern const struct cli_cmd target_cmds[];
extern const struct cli_cmd tpg_cmds[];
extern const struct cli_cmd portal_cmds[];
extern const struct cli_cmd lun_cmds[];
extern const struct cli_cmd acl_cmds[];
extern const struct cli_cmd discovery_cmds[];
extern const struct cli_cmd ls_cmds[];
extern const struct cli_cmd main_cmds[];

/* Runs one command line (argv[0] is the group or top-level verb). */
int cli_run(int argc, char **argv);

extern bool cli_quiet;

/* "ktgtcli: <msg>" on stderr; return EX_FAIL. */
int err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The usage lines of @c (one per line of c->args). */
void cli_print_usage(FILE *f, const struct cli_cmd *c, const char *first,
		     const char *more);
/* "ktgtcli: <msg>" + the command's usage; return EX_USAGE. */
int usage(const struct cli_cmd *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Confirmation on stdout unless --quiet. */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CLI_MAX_ARGS	64

/* Positional arguments, in order (options may come anywhere). */
struct cli_args {
	bool started;
	int n;
	char *v[CLI_MAX_ARGS];
};

/*
 * getopt_long wrapper: resets getopt on the first call, collects the
 * positional arguments in @pos, reports unknown options and missing
 * values through usage(). Returns the option, -1 at the end, or '?' after
 * printing the usage (the caller returns EX_USAGE). argv[0] is skipped.
 */
int cli_getopt(const struct cli_cmd *c, int argc, char **argv,
	       const struct option *opts, struct cli_args *pos);

/* Parses "ARGS... [--tpgt N]" with exactly @nargs positionals (at least
 * -@nargs if negative); tpgt 0 if not given. EX_OK or EX_USAGE (printed). */
int parse_tpgt_args(const struct cli_cmd *c, int argc, char **argv,
		    struct cli_args *pos, int nargs, unsigned int *tpgt);
/* --tpgt value; 0 if not given. */
int opt_tpgt(const struct cli_cmd *c, const char *arg, unsigned int *tpgt);

/*
 * Resolves TARGET [--tpgt N] to "targets/T/tpgt_N" in @rel (PATH_MAX).
 * tpgt 0: tpgt_1 if present, else the only TPG. Prints why on failure
 * and returns EX_FAIL or EX_USAGE; EX_OK otherwise.
 */
int tpg_resolve(const char *target, unsigned int tpgt, char *rel);

/* Teardown in dependency order (disable, ACL mappings, ACLs, LUNs,
 * portals, TPG). 0 or EX_FAIL (reported). */
int tpg_teardown(const char *tpg_rel);
int acl_teardown(const char *acl_rel);
/* Maps TPG LUN @lun into ACL @acl_rel at mapped LUN @mapped (or the
 * same number / lowest free if @mapped < 0). EX_*; @out gets the number. */
int acl_map_lun(const char *acl_rel, unsigned long lun, long mapped,
		bool readonly, unsigned long *out);

/* "ram/disk0" -> "backstores/ram/disk0" in @rel. 0 or -1 if malformed. */
int backstore_ref(const char *ref, char *rel);
/* Rels of the LUNs whose backstore is @ref ("targets/T/tpgt_1/luns/lun_0"). */
int backstore_users(const char *ref, struct strlist *out);
/* Unmaps TPG LUN @lun_name ("lun_3") from every ACL, then removes it. */
int lun_remove(const char *tpg_rel, const char *lun_name);
/* Lowest lun_N not under @dir; -2 if none is free, -1 on error. */
long lowest_free_lun(const char *dir);
/* " key=value" list of the SA_LS attributes (all with @all) of @rel. */
void attrs_inline(const char *rel, bool all, char *buf, size_t len);

/* CHAP credentials for auth groups (discovery, TPG, ACL). */
struct chap_creds {
	const char *userid, *password, *muserid, *mpassword;
};
/* Syntax and RFC 7143 12.1.3 checks; EX_OK or EX_USAGE (printed). */
int chap_check(const struct cli_cmd *c, const struct chap_creds *cr);
/* Parses --userid, --password, --mutual-userid, --mutual-password, --clear (and --enforce, --tpgt
 * when their pointers are not NULL), then chap_check(). With --clear all
 * four are "". EX_OK or EX_USAGE. */
int chap_parse(const struct cli_cmd *c, int argc, char **argv,
	       struct chap_creds *cr, const char **enforce, unsigned int *tpgt,
	       bool *clear, struct cli_args *pos);
/* Writes the set fields into @auth_rel/{userid,...}. EX_OK / EX_FAIL. */
int chap_write(const char *auth_rel, const struct chap_creds *cr);

#endif
