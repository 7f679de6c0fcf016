// SPDX-License-Identifier: GPL-2.0
/* CHAP credentials (discovery, TPG-wide, per ACL) and `discovery-auth`. */
#include <stdio.h>
#include <string.h>

#include "cfs.h"
#include "cli.h"
#include "util.h"

#define CHAP_MIN_SECRET	KTGT_CHAP_SECRET_MIN
#define CHAP_MAX_SECRET	KTGT_CHAP_SECRET_MAX
#define CHAP_MAX_NAME	KTGT_CHAP_NAME_MAX

static int check_one(const struct cli_cmd *c, const char *opt,
		     const char *v, bool secret)
{
	size_t n = strlen(v);

	if (!attr_value_ok(v))
		return usage(c, "%s contains control characters", opt);
	if (secret && (n < CHAP_MIN_SECRET || n > CHAP_MAX_SECRET))
		return usage(c, "%s must be %d..%d bytes (RFC 7143 12.1.3: at least 96 bits)",
			     opt, CHAP_MIN_SECRET, CHAP_MAX_SECRET);
	if (!secret && (n < 1 || n > CHAP_MAX_NAME))
		return usage(c, "%s must be 1..%d bytes", opt, CHAP_MAX_NAME);
	return EX_OK;
}

int chap_check(const struct cli_cmd *c, const struct chap_creds *cr)
{
	if (!cr->userid != !cr->password)
		return usage(c, "--userid and --password go together");
	if (!cr->muserid != !cr->mpassword)
		return usage(c, "--mutual-userid and --mutual-password go together");
	if (cr->muserid && !cr->userid)
		return usage(c, "mutual CHAP needs --userid and --password too");
	if (cr->userid && (check_one(c, "--userid", cr->userid, false) ||
			   check_one(c, "--password", cr->password, true)))
		return EX_USAGE;
	if (cr->muserid &&
	    (check_one(c, "--mutual-userid", cr->muserid, false) ||
	     check_one(c, "--mutual-password", cr->mpassword, true)))
		return EX_USAGE;
	if (cr->mpassword && !strcmp(cr->password, cr->mpassword))
		return usage(c, "--mutual-password must differ from --password (RFC 7143 12.1.3)");
	return EX_OK;
}

/*
 * Replaces the credentials in @auth_rel: the mutual pair is cleared first
 * (so the kernel never sees both directions with one secret), then the
 * one-way pair, then the mutual pair if given. An empty value clears.
 */
int chap_write(const char *auth_rel, const struct chap_creds *cr)
{
	const char *names[] = { "mutual_userid", "mutual_password",
				"userid", "password",
				"mutual_userid", "mutual_password" };
	const char *vals[] = { "", "", cr->userid, cr->password,
			       cr->muserid, cr->mpassword };
	char p[PATH_MAX];
	int i;

	for (i = 0; i < 6; i++) {
		if (!vals[i] || (i >= 4 && !*vals[i]))
			continue;
		if (cfs_path(p, "%s/%s", auth_rel, names[i]) < 0 ||
		    cfs_write(p, vals[i]) < 0)
			return cfs_report();
	}
	return EX_OK;
}

enum { OPT_USERID = 256, OPT_PASSWORD, OPT_MUSERID, OPT_MPASSWORD, OPT_ENFORCE,
       OPT_CLEAR, OPT_TPGT };

static const struct option auth_opts[] = {
	{ "userid", required_argument, NULL, OPT_USERID },
	{ "password", required_argument, NULL, OPT_PASSWORD },
	{ "mutual-userid", required_argument, NULL, OPT_MUSERID },
	{ "mutual-password", required_argument, NULL, OPT_MPASSWORD },
	{ "enforce", required_argument, NULL, OPT_ENFORCE },
	{ "clear", no_argument, NULL, OPT_CLEAR },
	{ "tpgt", required_argument, NULL, OPT_TPGT },
	{ NULL, 0, NULL, 0 },
};

/* Shared by `discovery-auth set` and `acl auth`: parses the CHAP options. */
int chap_parse(const struct cli_cmd *c, int argc, char **argv,
	       struct chap_creds *cr, const char **enforce, unsigned int *tpgt,
	       bool *clear, struct cli_args *pos)
{
	int o;

	memset(cr, 0, sizeof(*cr));
	*clear = false;
	if (enforce)
		*enforce = NULL;
	if (tpgt)
		*tpgt = 0;
	while ((o = cli_getopt(c, argc, argv, auth_opts, pos)) != -1) {
		switch (o) {
		case OPT_USERID:
			cr->userid = optarg;
			break;
		case OPT_PASSWORD:
			cr->password = optarg;
			break;
		case OPT_MUSERID:
			cr->muserid = optarg;
			break;
		case OPT_MPASSWORD:
			cr->mpassword = optarg;
			break;
		case OPT_ENFORCE:
			if (!enforce)
				return usage(c, "unknown option '--enforce'");
			if (strcmp(optarg, "0") && strcmp(optarg, "1"))
				return usage(c, "--enforce takes 0 or 1");
			*enforce = optarg;
			break;
		case OPT_CLEAR:
			*clear = true;
			break;
		case OPT_TPGT:
			if (!tpgt)
				return usage(c, "unknown option '--tpgt'");
			if (opt_tpgt(c, optarg, tpgt))
				return EX_USAGE;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (*clear && (cr->userid || cr->password || cr->muserid ||
		       cr->mpassword))
		return usage(c, "--clear takes no credentials");
	if (*clear) {
		static const char empty[] = "";

		cr->userid = cr->password = empty;
		cr->muserid = cr->mpassword = empty;
		return EX_OK;
	}
	return chap_check(c, cr);
}

static int discovery_set(const struct cli_cmd *c, int argc, char **argv)
{
	struct cli_args pos = { 0 };
	struct chap_creds cr;
	const char *enforce;
	char buf[CFS_VALUE_MAX];
	bool clear;
	int ret;

	ret = chap_parse(c, argc, argv, &cr, &enforce, NULL, &clear, &pos);
	if (ret)
		return ret;
	if (pos.n)
		return usage(c, "unexpected argument '%s'", pos.v[0]);
	if (!cr.userid && !enforce)
		return usage(c, "nothing to set");
	if (!cfs_is_dir("discovery_auth"))
		return err("%s/discovery_auth does not exist: is this a ktgt configfs tree?",
			   cfs_root());
	/* Disable enforcement before changing or clearing credentials. */
	if (enforce && !strcmp(enforce, "0") &&
	    cfs_write("discovery_auth/enforce", "0") < 0)
		return cfs_report();
	if (cr.userid) {
		ret = chap_write("discovery_auth", &cr);
		if (ret)
			return ret;
	}
	if (enforce && !strcmp(enforce, "1")) {
		if (cfs_read("discovery_auth/userid", buf, sizeof(buf)) >= 0 &&
		    !buf[0])
			warn("enforcing discovery CHAP without credentials: every discovery login will fail");
		if (cfs_write("discovery_auth/enforce", "1") < 0)
			return cfs_report();
	}
	note("discovery authentication updated");
	return EX_OK;
}

static int discovery_get(const struct cli_cmd *c, int argc, char **argv)
{
	static const char *const names[] = { "enforce", "userid", "password",
		"mutual_userid", "mutual_password" };
	struct cli_args pos = { 0 };
	char p[PATH_MAX], buf[CFS_VALUE_MAX];
	size_t i;

	if (cli_getopt(c, argc, argv, auth_opts + 7, &pos) != -1)
		return EX_USAGE;
	if (pos.n)
		return usage(c, "unexpected argument '%s'", pos.v[0]);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (cfs_path(p, "discovery_auth/%s", names[i]) < 0 ||
		    cfs_read(p, buf, sizeof(buf)) < 0)
			return cfs_report();
		printf("%s=%s\n", names[i], buf);
	}
	return EX_OK;
}

const struct cli_cmd discovery_cmds[] = {
	{ "discovery-auth", "set",
	  "[--userid U --password P [--mutual-userid U --mutual-password P] | --clear] [--enforce 0|1]",
	  "set CHAP for SendTargets discovery sessions",
	  "Credentials replace the previous ones (omitted mutual ones are\n"
	  "cleared). Secrets are 12..256 bytes; the mutual secret must differ.\n"
	  "--enforce 1 makes discovery sessions require CHAP.",
	  discovery_set, 0 },
	{ "discovery-auth", "get", "",
	  "print the discovery CHAP settings (secrets included)", NULL,
	  discovery_get, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};
