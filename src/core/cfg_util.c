// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing helpers for configfs attributes and directory names: strings,
 * booleans, ranged numbers, "prefix_N" names, iSCSI names (RFC 7143
 * section 4.2.7) and socket addresses.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/kernel.h>
#include <linux/ctype.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/string.h>

#include "core.h"

/*
 * Copy a written value without its trailing newline. Control characters
 * are refused (they cannot appear in iSCSI text values).
 */
int ktgt_cfg_str(const char *what, const char *page, size_t count,
		 char *out, size_t size)
{
	size_t len = strnlen(page, count), i;

	if (len && page[len - 1] == '\n')
		len--;
	if (len >= size) {
		pr_warn("%s: value of %zu bytes too long (max %zu)\n", what,
			len, size - 1);
		return -ENAMETOOLONG;
	}
	for (i = 0; i < len; i++) {
		if (iscntrl((unsigned char)page[i])) {
			pr_warn("%s: control character at byte %zu refused\n",
				what, i);
			return -EINVAL;
		}
	}
	memcpy(out, page, len);
	out[len] = '\0';
	return 0;
}

int ktgt_cfg_bool(const char *what, const char *page, bool *out)
{
	u32 v;
	int ret;

	ret = kstrtou32(page, 10, &v);
	if (ret || v > 1) {
		pr_warn("%s: want 0 or 1\n", what);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int ktgt_cfg_u32(const char *what, const char *page, u32 min, u32 max,
		 u32 *out)
{
	u32 v;
	int ret;

	ret = kstrtou32(page, 10, &v);
	if (ret == -ERANGE || (!ret && (v < min || v > max))) {
		pr_warn("%s: out of range %u..%u\n", what, min, max);
		return -ERANGE;
	}
	if (ret) {
		pr_warn("%s: not a decimal number\n", what);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int ktgt_cfg_u64(const char *what, const char *page, u64 *out)
{
	int ret;

	ret = kstrtou64(page, 10, out);
	if (ret == -ERANGE) {
		pr_warn("%s: number too large\n", what);
		return -ERANGE;
	}
	if (ret) {
		pr_warn("%s: not a decimal number\n", what);
		return -EINVAL;
	}
	return 0;
}

/*
 * Parse a directory name "<prefix><N>" with N in @min..@max written in
 * canonical decimal (no sign, no leading zeros), so that two names can
 * never denote the same number.
 */
int ktgt_cfg_index(const char *name, const char *prefix, u32 min, u32 max,
		   u32 *out)
{
	size_t plen = strlen(prefix);
	char canon[16];
	u32 v;

	if (strncmp(name, prefix, plen) || kstrtou32(name + plen, 10, &v)) {
		pr_warn("'%s': want %sN\n", name, prefix);
		return -EINVAL;
	}
	snprintf(canon, sizeof(canon), "%u", v);
	if (strcmp(canon, name + plen)) {
		pr_warn("'%s': write N in plain decimal (%s%s)\n", name,
			prefix, canon);
		return -EINVAL;
	}
	if (v < min || v > max) {
		pr_warn("'%s': N out of range %u..%u\n", name, min, max);
		return -ERANGE;
	}
	*out = v;
	return 0;
}

static bool ktgt_all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return true;
}

/* Characters of a normalised (stringprep'd) iSCSI name we accept. */
static bool ktgt_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || isdigit(c) || c == '-' || c == '.' ||
	       c == ':';
}

static int ktgt_iqn_valid(const char *name, size_t len)
{
	const char *p = name + 4, *auth;
	unsigned int month;

	/* iqn.yyyy-mm.reversed.domain[:anything] */
	if (len < 4 + 8 + 1 || !isdigit(p[0]) || !isdigit(p[1]) ||
	    !isdigit(p[2]) || !isdigit(p[3]) || p[4] != '-' ||
	    !isdigit(p[5]) || !isdigit(p[6]) || p[7] != '.') {
		pr_warn("'%s': want iqn.yyyy-mm.naming-authority[:unique]\n",
			name);
		return -EINVAL;
	}
	month = (p[5] - '0') * 10 + (p[6] - '0');
	if (month < 1 || month > 12) {
		pr_warn("'%s': month %02u out of range\n", name, month);
		return -EINVAL;
	}
	auth = p + 8;
	if (!isalnum(auth[0])) {
		pr_warn("'%s': naming authority must start with a letter or digit\n",
			name);
		return -EINVAL;
	}
	for (p = auth; *p && *p != ':'; p++) {
		if (*p != '-' && *p != '.' && !isdigit(*p) &&
		    !(*p >= 'a' && *p <= 'z')) {
			pr_warn("'%s': bad character '%c' in naming authority\n",
				name, *p);
			return -EINVAL;
		}
	}
	if (*p == ':' && !p[1]) {
		pr_warn("'%s': empty string after ':'\n", name);
		return -EINVAL;
	}
	return 0;
}

/* RFC 7143 section 4.2.7: iqn., eui. (16 hex) and naa. (16/32 hex). */
int ktgt_cfg_iscsi_name(const char *name)
{
	size_t len = strnlen(name, KTGT_NAME_MAX + 1), i;

	if (!len) {
		pr_warn("empty iSCSI name\n");
		return -EINVAL;
	}
	if (len > KTGT_NAME_MAX) {
		pr_warn("iSCSI name longer than %d bytes\n", KTGT_NAME_MAX);
		return -ENAMETOOLONG;
	}
	for (i = 0; i < len; i++) {
		if (isupper(name[i])) {
			pr_warn("'%s': iSCSI names are lower-case (RFC 7143 4.2.7)\n",
				name);
			return -EINVAL;
		}
		if (!ktgt_name_char(name[i])) {
			pr_warn("'%s': character 0x%02x not allowed in an iSCSI name\n",
				name, (unsigned char)name[i]);
			return -EINVAL;
		}
	}
	if (!strncmp(name, "iqn.", 4))
		return ktgt_iqn_valid(name, len);
	if (!strncmp(name, "eui.", 4)) {
		if (len != 4 + 16 || !ktgt_all_hex(name + 4, 16)) {
			pr_warn("'%s': want eui. and 16 hex digits\n", name);
			return -EINVAL;
		}
		return 0;
	}
	if (!strncmp(name, "naa.", 4)) {
		if ((len != 4 + 16 && len != 4 + 32) ||
		    !ktgt_all_hex(name + 4, len - 4)) {
			pr_warn("'%s': want naa. and 16 or 32 hex digits\n",
				name);
			return -EINVAL;
		}
		return 0;
	}
	pr_warn("'%s': an iSCSI name starts with iqn., eui. or naa.\n", name);
	return -EINVAL;
}

/* "192.0.2.1:3260" or "[2001:db8::1]:3260". */
int ktgt_cfg_addr_str(const struct sockaddr_storage *ss, char *buf,
		      size_t size)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET)
		return scnprintf(buf, size, "%pI4:%u", &sin->sin_addr,
				 ntohs(sin->sin_port));
	if (ss->ss_family == AF_INET6)
		return scnprintf(buf, size, "[%pI6c]:%u", &sin6->sin6_addr,
				 ntohs(sin6->sin6_port));
	return scnprintf(buf, size, "?");
}
