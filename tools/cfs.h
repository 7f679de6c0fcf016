/* SPDX-License-Identifier: GPL-2.0 */
/*
 * configfs access layer of ktgtcli: every touch of /sys/kernel/config/ktgt
 * goes through here. Paths are relative to the root ("" is the root itself,
 * "targets/iqn.../tpgt_1"). Functions return >= 0 or -errno and remember the
 * failing operation so that cfs_report() can explain it (strerror, the
 * absolute path, a hint for common errnos).
 *
 * Fake mode (env KTGT_CONFIGFS_FAKE=1, for tests without the module): mkdir
 * also creates the attribute files and default groups the kernel would
 * create (table in schema.c), rmdir removes them again; and
 * KTGT_CONFIGFS_FAKE_FAIL="OP:REL:ERRNAME;..." (OP write, mkdir or rmdir,
 * REL relative path, ERRNAME like EBUSY) makes chosen operations fail the
 * way the kernel would refuse them.
 */
#ifndef KTGTCLI_CFS_H
#define KTGTCLI_CFS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define CFS_DEFAULT_ROOT	"/sys/kernel/config/ktgt"
#define CFS_VALUE_MAX		4096	/* one configfs page, with the '\n' */

/* Root from @opt, else $KTGT_CONFIGFS, else CFS_DEFAULT_ROOT. */
void cfs_set_root(const char *opt);
/*
 * 0 if the root is a directory, else the errno, recorded for cfs_report()
 * (which then explains how to load the module). Checked once, lazily: all
 * other functions fail with it, so commands check their arguments first.
 * In fake mode this creates the root and its files.
 */
int cfs_root_error(void);
const char *cfs_root(void);
bool cfs_fake(void);

/* snprintf into a PATH_MAX buffer; -ENAMETOOLONG (recorded) on overflow. */
int cfs_path(char *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reads an attribute, strips trailing newlines. Length or -errno. */
int cfs_read(const char *rel, char *buf, size_t size);
/* Writes "value\n" with one write(2), like echo. 0 or -errno. */
int cfs_write(const char *rel, const char *value);
int cfs_mkdir(const char *rel);
int cfs_rmdir(const char *rel);
bool cfs_is_dir(const char *rel);
/* Exists and is not a directory (an attribute). */
bool cfs_is_attr(const char *rel);

struct strlist {
	char **v;
	size_t n;
};

enum cfs_kind { CFS_DIRS, CFS_FILES };
/* Entries of @rel of @kind whose name starts with @prefix (NULL: all),
 * in natural order (lun_2 before lun_10). 0 or -errno. */
int cfs_list(const char *rel, enum cfs_kind kind, const char *prefix,
	     struct strlist *out);
void strlist_free(struct strlist *l);

/* Prints the last failure to stderr; returns 1 (the exit code). */
int cfs_report(void);
/* Forget the last failure (after an expected, handled one). */
void cfs_clear_error(void);

#endif
