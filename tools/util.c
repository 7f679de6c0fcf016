// SPDX-License-Identifier: GPL-2.0
/* Argument syntax checks and conversions; see util.h. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfs.h"
#include "util.h"

static bool is_hex_lower(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return s[n] == '\0';
}

static int bad(char *why, size_t len, const char *fmt, const char *arg)
{
	snprintf(why, len, fmt, arg);
	return -1;
}

/*
 * RFC 7143 4.2.7 (and RFC 3722, the stringprep profile: names are case
 * folded, so only lower case is canonical): "iqn." yyyy-mm "." reversed
 * domain [":" anything], "eui." 16 hex, "naa." 16 or 32 hex; at most 223
 * bytes of a-z 0-9 '-' '.' ':'.
 */
int iscsi_name_check(const char *name, char *why, size_t whylen)
{
	size_t len = strlen(name), i;
	const char *p;
	char c[2] = { 0, 0 };

	if (!len)
		return bad(why, whylen, "empty name%s", "");
	if (len > ISCSI_NAME_MAX) {
		snprintf(why, whylen, "name is %zu bytes long, the maximum is %d",
			 len, ISCSI_NAME_MAX);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];

		c[0] = name[i];
		if (isupper(ch))
			return bad(why, whylen,
				   "upper-case letter '%s': iSCSI names are lower case (RFC 3722)",
				   c);
		if (ch >= 0x80)
			return bad(why, whylen,
				   "non-ASCII characters are not supported%s", "");
		if (!islower(ch) && !isdigit(ch) && ch != '-' && ch != '.' &&
		    ch != ':') {
			if (!isprint(ch))
				return bad(why, whylen,
					   "control character in name%s", "");
			return bad(why, whylen,
				   "character '%s' is not allowed (only a-z 0-9 - . :)",
				   c);
		}
	}
	if (!strncmp(name, "eui.", 4)) {
		if (strlen(name + 4) != 16 || !is_hex_lower(name + 4, 16))
			return bad(why, whylen,
				   "eui. must be followed by exactly 16 hex digits%s",
				   "");
		return 0;
	}
	if (!strncmp(name, "naa.", 4)) {
		size_t n = strlen(name + 4);

		if ((n != 16 && n != 32) || !is_hex_lower(name + 4, n))
			return bad(why, whylen,
				   "naa. must be followed by 16 or 32 hex digits%s",
				   "");
		return 0;
	}
	if (strncmp(name, "iqn.", 4))
		return bad(why, whylen,
			   "must start with iqn., eui. or naa.%s", "");
	p = name + 4;
	/* yyyy-mm */
	for (i = 0; i < 7; i++) {
		if (i == 4 ? p[i] != '-' : !isdigit((unsigned char)p[i]))
			return bad(why, whylen,
				   "iqn. must be followed by a date yyyy-mm (e.g. iqn.2024-01.com.example)%s",
				   "");
	}
	if ((p[5] - '0') * 10 + (p[6] - '0') < 1 ||
	    (p[5] - '0') * 10 + (p[6] - '0') > 12)
		return bad(why, whylen, "month in the date must be 01..12%s", "");
	p += 7;
	if (*p != '.')
		return bad(why, whylen,
			   "the date must be followed by '.' and a reversed domain name%s",
			   "");
	p++;
	/* Reversed domain: labels of a-z 0-9 '-', up to ':' or the end. */
	if (!*p || *p == ':')
		return bad(why, whylen,
			   "missing naming authority (reversed domain name) after the date%s",
			   "");
	if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p))
		return bad(why, whylen,
			   "the naming authority must start with a letter or digit%s",
			   "");
	for (i = 0; p[i] && p[i] != ':'; i++) {
		if (p[i] == ':')
			break;
		if (p[i] == '.' && (i == 0 || p[i - 1] == '.' ||
				    p[i + 1] == '\0' || p[i + 1] == ':'))
			return bad(why, whylen,
				   "empty label in the naming authority%s", "");
	}
	if (p[i] == ':' && p[i + 1] == '\0')
		return bad(why, whylen,
			   "nothing after ':' (drop the ':' or add a unique string)%s",
			   "");
	return 0;
}

int parse_uint(const char *s, unsigned long min, unsigned long max,
	       unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case 't': case 'T':
		shift = 40;
		break;
	case 'b': case 'B':
	case '\0':
		break;
	default:
		return -1;
	}
	if (shift) {
		end++;
		if (!strcmp(end, "iB") || !strcmp(end, "ib") ||
		    !strcmp(end, "B") || !strcmp(end, "b"))
			end += strlen(end);
	} else if (*end) {
		end++;	/* a bare "B" */
	}
	if (*end)
		return -1;
	if (shift && v > (~0ULL >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

void format_size(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int u = -1;

	while (u < 3 && v && !(v & 1023)) {
		v >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)v, units[u]);
}

int portal_parse(const char *s, struct portal *p, char *why, size_t whylen)
{
	char addr[INET6_ADDRSTRLEN + 8];
	const char *port = NULL, *colon;
	unsigned long v;
	size_t n;

	memset(p, 0, sizeof(*p));
	p->port = 3260;
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close)
			return bad(why, whylen, "missing ']' in '%s'", s);
		n = (size_t)(close - s - 1);
		if (close[1] == ':')
			port = close + 2;
		else if (close[1])
			return bad(why, whylen,
				   "expected ':PORT' after ']' in '%s'", s);
		if (n >= sizeof(addr))
			return bad(why, whylen, "bad IPv6 address in '%s'", s);
		memcpy(addr, s + 1, n);
		addr[n] = '\0';
		p->af = AF_INET6;
	} else {
		colon = strchr(s, ':');
		if (colon && strchr(colon + 1, ':')) {
			/* Bare IPv6 address, no port. */
			n = strlen(s);
			p->af = AF_INET6;
		} else {
			n = colon ? (size_t)(colon - s) : strlen(s);
			if (colon)
				port = colon + 1;
			p->af = AF_INET;
		}
		if (n >= sizeof(addr))
			return bad(why, whylen, "bad IP address in '%s'", s);
		memcpy(addr, s, n);
		addr[n] = '\0';
	}
	if (inet_pton(p->af, addr, p->addr) != 1)
		return bad(why, whylen,
			   p->af == AF_INET6 ?
			   "'%s' is not an IPv6 address (write [ADDR]:PORT)" :
			   "'%s' is not an IPv4 address (host names are not accepted)",
			   addr);
	if (port) {
		if (parse_uint(port, 1, 65535, &v))
			return bad(why, whylen, "bad port '%s' (1..65535)", port);
		p->port = (unsigned int)v;
	}
	return 0;
}

void portal_format(const struct portal *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(p->af, p->addr, a, sizeof(a));
	if (p->af == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, p->port);
	else
		snprintf(buf, len, "%s:%u", a, p->port);
}

bool portal_equal(const struct portal *a, const struct portal *b)
{
	return a->af == b->af && a->port == b->port &&
	       !memcmp(a->addr, b->addr, a->af == AF_INET6 ? 16 : 4);
}

bool safe_component(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..") &&
	       strlen(s) <= NAME_MAX;
}

bool backstore_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n > 63 || s[0] == '.' || s[0] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

bool attr_value_ok(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return strlen(s) + 1 < CFS_VALUE_MAX;
}
