/* SPDX-License-Identifier: GPL-2.0 */
/* Argument syntax: iSCSI names, sizes, numbers, portals, CHAP values. */
#ifndef KTGTCLI_UTIL_H
#define KTGTCLI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISCSI_NAME_MAX	223	/* RFC 7143 section 6.1 */

/* RFC 7143 section 4.2.7: iqn., eui., naa. forms. 0, or -1 with @why. */
int iscsi_name_check(const char *name, char *why, size_t whylen);

/* "512", "4K", "1G", "10GiB", "3t" (binary units). 0 or -1. */
int parse_size(const char *s, uint64_t *out);
/* Largest unit that divides exactly: "1G", "1536M", "4097". */
void format_size(uint64_t v, char *buf, size_t len);
/* Decimal in [min, max]. 0 or -1. */
int parse_uint(const char *s, unsigned long min, unsigned long max,
	       unsigned long *out);

struct portal {
	int af;
	unsigned char addr[16];
	unsigned int port;
};
/* "10.0.0.1", "10.0.0.1:3261", "[fe80::1]:3260", "::1" (default port
 * 3260). 0, or -1 with @why. */
int portal_parse(const char *s, struct portal *p, char *why, size_t whylen);
/* Canonical configfs name: "10.0.0.1:3260", "[::1]:3260". */
void portal_format(const struct portal *p, char *buf, size_t len);
bool portal_equal(const struct portal *a, const struct portal *b);

/* A single path component we may put in a configfs path. */
bool safe_component(const char *s);
/* Backstore object name: [A-Za-z0-9_.-], 1..63, not starting with '.'
 * or '-'. */
bool backstore_name_ok(const char *s);
/* Text attribute value: printable, no newline, < CFS_VALUE_MAX. */
bool attr_value_ok(const char *s);

#endif
