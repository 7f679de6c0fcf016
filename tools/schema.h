/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configfs layout of ktgt (docs/configfs.md) as ONE table: which
 * groups exist, which attributes each has, which are read-only, shown by
 * `ls` or secret, and the values fake mode creates them with.
 */
#ifndef KTGTCLI_SCHEMA_H
#define KTGTCLI_SCHEMA_H

#define SA_RO		0x1	/* read-only */
#define SA_LS		0x2	/* shown by `ls` (when not empty) */
#define SA_SECRET	0x4	/* masked by `ls` */
#define SA_SIZE		0x8	/* bytes: `ls` prints it with a unit */

#define SG_HIDE		0x1	/* `ls` skips the group unless --all */

struct sattr {
	const char *name;
	unsigned int flags;
	const char *fake;	/* initial value in fake mode */
};

struct sgroup {
	const char *pattern;	/* fnmatch per path component; "" = root */
	unsigned int flags;
	const struct sattr *attrs;	/* NULL-name terminated */
};

/* The group @rel is an instance of, or NULL. */
const struct sgroup *schema_match(const char *rel);
const struct sattr *schema_attr(const struct sgroup *g, const char *name);
/* Default groups (created with their parent): the i-th one's name, or NULL. */
const char *schema_default_child(const struct sgroup *g, unsigned int i);
/* Fake mode: create missing attribute files and default groups of @abs,
 * a directory that is an instance of @rel. 0 or -errno. */
int schema_fake_populate(const char *abs, const char *rel);

#endif
