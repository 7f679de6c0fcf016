// SPDX-License-Identifier: GPL-2.0
/*
 * The configfs layout of ktgt, mirroring docs/configfs.md. Keep the two in
 * sync: this table drives fake mode, `ls` and `tpg get`.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.h"

#define END { NULL, 0, NULL }

static const struct sattr root_attrs[] = {
	{ "version", SA_RO | SA_LS, "0.0-fake" },
	{ "transports", SA_RO | SA_LS, "tcp\niser" },
	{ "login_timeout", SA_LS, "15" },
	{ "prelogin_max_per_portal", SA_LS, "64" },
	{ "prelogin_max_per_source", SA_LS, "16" },
	END
};

static const struct sattr auth_attrs[] = {
	{ "userid", SA_LS, "" },
	{ "password", SA_SECRET, "" },
	{ "mutual_userid", SA_LS, "" },
	{ "mutual_password", SA_SECRET, "" },
	END
};

static const struct sattr discovery_auth_attrs[] = {
	{ "enforce", SA_LS, "0" },
	{ "userid", SA_LS, "" },
	{ "password", SA_SECRET, "" },
	{ "mutual_userid", SA_LS, "" },
	{ "mutual_password", SA_SECRET, "" },
	END
};

static const struct sattr ram_attrs[] = {
	{ "size", SA_LS | SA_SIZE, "0" },
	{ "block_size", SA_LS, "512" },
	{ "readonly", SA_LS, "0" },
	{ "enable", SA_LS, "0" },
	{ "wwn_id", SA_RO, "0123456789abcdef" },
	{ "info", SA_RO, "fake" },
	END
};

static const struct sattr file_attrs[] = {
	{ "path", SA_LS, "" },
	{ "size", SA_LS | SA_SIZE, "0" },
	{ "block_size", SA_LS, "512" },
	{ "readonly", SA_LS, "0" },
	{ "direct_io", SA_LS, "0" },
	{ "enable", SA_LS, "0" },
	END
};

static const struct sattr block_attrs[] = {
	{ "path", SA_LS, "" },
	{ "readonly", SA_LS, "0" },
	{ "enable", SA_LS, "0" },
	END
};

static const struct sattr tpg_attrs[] = {
	{ "enable", SA_LS, "0" },
	END
};

static const struct sattr tpg_attrib_attrs[] = {
	{ "authentication", SA_LS, "0" },
	{ "generate_node_acls", SA_LS, "0" },
	{ "demo_mode_write_protect", SA_LS, "1" },
	{ "nopin_interval", SA_LS, "5" },
	{ "nopin_timeout", SA_LS, "30" },
	{ "tmr_cold_reset", SA_LS, "0" },
	{ "cmdsn_depth", SA_LS, "128" },
	{ "session_data_mb", SA_LS, "256" },
	{ "dataout_timeout", SA_LS, "20" },
	{ "tx_backlog_kb", SA_LS, "1024" },
	{ "status_retain_max", SA_LS, "256" },
	END
};

/* RFC 7143 section 13 defaults. */
static const struct sattr tpg_param_attrs[] = {
	{ "HeaderDigest", SA_LS, "None" },
	{ "DataDigest", SA_LS, "None" },
	{ "MaxRecvDataSegmentLength", SA_LS, "262144" },
	{ "MaxBurstLength", SA_LS, "262144" },
	{ "FirstBurstLength", SA_LS, "65536" },
	{ "InitialR2T", SA_LS, "Yes" },
	{ "ImmediateData", SA_LS, "Yes" },
	{ "MaxOutstandingR2T", SA_LS, "1" },
	{ "DataPDUInOrder", SA_LS, "Yes" },
	{ "DataSequenceInOrder", SA_LS, "Yes" },
	{ "DefaultTime2Wait", SA_LS, "2" },
	{ "DefaultTime2Retain", SA_LS, "20" },
	{ "ErrorRecoveryLevel", SA_LS, "0" },
	{ "MaxConnections", SA_LS, "1" },
	{ "TargetAlias", SA_LS, "" },
	END
};

static const struct sattr portal_attrs[] = {
	{ "transport", SA_LS, "tcp" },
	END
};

static const struct sattr lun_attrs[] = {
	{ "backstore", SA_LS, "" },
	{ "readonly", SA_LS, "0" },
	{ "removable", SA_LS, "0" },
	END
};

static const struct sattr mapped_lun_attrs[] = {
	{ "tpg_lun", SA_LS, "0" },
	{ "readonly", SA_LS, "0" },
	END
};

static const struct sattr no_attrs[] = { END };

#define T "targets/*/tpgt_*"
static const struct sgroup groups[] = {
	{ "", 0, root_attrs },
	{ "discovery_auth", 0, discovery_auth_attrs },
	{ "backstores", 0, no_attrs },
	{ "backstores/ram", 0, no_attrs },
	{ "backstores/file", 0, no_attrs },
	{ "backstores/block", 0, no_attrs },
	{ "backstores/ram/*", 0, ram_attrs },
	{ "backstores/file/*", 0, file_attrs },
	{ "backstores/block/*", 0, block_attrs },
	{ "targets", 0, no_attrs },
	{ "targets/*", 0, no_attrs },
	{ T, 0, tpg_attrs },
	{ T "/attrib", SG_HIDE, tpg_attrib_attrs },
	{ T "/param", SG_HIDE, tpg_param_attrs },
	{ T "/auth", SG_HIDE, auth_attrs },
	{ T "/portals", 0, no_attrs },
	{ T "/portals/*", 0, portal_attrs },
	{ T "/luns", 0, no_attrs },
	{ T "/luns/lun_*", 0, lun_attrs },
	{ T "/acls", 0, no_attrs },
	{ T "/acls/*", 0, no_attrs },
	{ T "/acls/*/auth", SG_HIDE, auth_attrs },
	{ T "/acls/*/luns", 0, no_attrs },
	{ T "/acls/*/luns/lun_*", 0, mapped_lun_attrs },
};
#undef T

#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

/* Does @rel match @pat component by component? */
static int match(const char *pat, const char *rel)
{
	char p[PATH_MAX], r[PATH_MAX];
	char *ps, *rs, *pc, *rc;

	if (!*pat || !*rel)
		return !*pat && !*rel;
	snprintf(p, sizeof(p), "%s", pat);
	snprintf(r, sizeof(r), "%s", rel);
	pc = strtok_r(p, "/", &ps);
	rc = strtok_r(r, "/", &rs);
	while (pc && rc) {
		if (fnmatch(pc, rc, FNM_PERIOD))
			return 0;
		pc = strtok_r(NULL, "/", &ps);
		rc = strtok_r(NULL, "/", &rs);
	}
	return !pc && !rc;
}

const struct sgroup *schema_match(const char *rel)
{
	size_t i;

	for (i = 0; i < NGROUPS; i++)
		if (match(groups[i].pattern, rel))
			return &groups[i];
	return NULL;
}

const struct sattr *schema_attr(const struct sgroup *g, const char *name)
{
	const struct sattr *a;

	for (a = g ? g->attrs : NULL; a && a->name; a++)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

/* A default group of @g is a literal component right under its pattern. */
const char *schema_default_child(const struct sgroup *g, unsigned int idx)
{
	size_t plen = strlen(g->pattern), i;

	for (i = 0; i < NGROUPS; i++) {
		const char *c = groups[i].pattern;

		if (plen) {
			if (strncmp(c, g->pattern, plen) || c[plen] != '/')
				continue;
			c += plen + 1;
		}
		if (!*c || strchr(c, '/') || strpbrk(c, "*?["))
			continue;
		if (idx-- == 0)
			return c;
	}
	return NULL;
}

int schema_fake_populate(const char *abs, const char *rel)
{
	const struct sgroup *g = schema_match(rel);
	const struct sattr *a;
	const char *child;
	unsigned int i;

	if (!g)
		return 0;
	for (a = g->attrs; a->name; a++) {
		char p[PATH_MAX];
		int fd;

		if (snprintf(p, sizeof(p), "%s/%s", abs, a->name) >=
		    (int)sizeof(p))
			return -ENAMETOOLONG;
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			  a->flags & SA_RO ? 0444 : 0644);
		if (fd < 0) {
			if (errno == EEXIST)
				continue;
			return -errno;
		}
		if (dprintf(fd, "%s\n", a->fake) < 0) {
			close(fd);
			return -EIO;
		}
		close(fd);
	}
	for (i = 0; (child = schema_default_child(g, i)); i++) {
		char p[PATH_MAX], r[PATH_MAX];
		int ret;

		if (snprintf(p, sizeof(p), "%s/%s", abs, child) >=
			    (int)sizeof(p) ||
		    snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "",
			     child) >= (int)sizeof(r))
			return -ENAMETOOLONG;
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -errno;
		ret = schema_fake_populate(p, r);
		if (ret < 0)
			return ret;
	}
	return 0;
}
