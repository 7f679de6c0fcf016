// SPDX-License-Identifier: GPL-2.0
/*
 * CHAP credentials: the auth/ groups of TPGs and ACLs, and the
 * discovery_auth group at the root (which adds "enforce").
 *
 * userid/mutual_userid: up to 255 bytes of text; empty = not configured.
 * password/mutual_password: empty, or 12..255 bytes (RFC 7143 12.1.3: at
 * least 96 bits); a mutual secret must differ from the initiator's one.
 * Passwords are readable by root only (mode 0600).
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/string.h>

#include "core.h"

struct ktgt_discovery_auth ktgt_discovery_auth;

static struct ktgt_auth *to_ktgt_auth(struct config_item *item)
{
	return container_of(to_config_group(item), struct ktgt_auth, group);
}

/* One credential field of struct ktgt_auth. */
struct ktgt_auth_field {
	const char *name;
	size_t off;
	size_t size;
	bool secret;
};

static const struct ktgt_auth_field ktgt_auth_f_userid = {
	"userid", offsetof(struct ktgt_auth, userid),
	sizeof_field(struct ktgt_auth, userid), false
};

static const struct ktgt_auth_field ktgt_auth_f_password = {
	"password", offsetof(struct ktgt_auth, password),
	sizeof_field(struct ktgt_auth, password), true
};

static const struct ktgt_auth_field ktgt_auth_f_mutual_userid = {
	"mutual_userid", offsetof(struct ktgt_auth, mutual_userid),
	sizeof_field(struct ktgt_auth, mutual_userid), false
};

static const struct ktgt_auth_field ktgt_auth_f_mutual_password = {
	"mutual_password", offsetof(struct ktgt_auth, mutual_password),
	sizeof_field(struct ktgt_auth, mutual_password), true
};

static ssize_t ktgt_auth_show_str(struct config_item *item, char *page,
				  const struct ktgt_auth_field *f)
{
	struct ktgt_auth *auth = to_ktgt_auth(item);
	ssize_t ret;

	mutex_lock(&ktgt_cfg_mutex);
	ret = sysfs_emit(page, "%s\n", (char *)auth + f->off);
	mutex_unlock(&ktgt_cfg_mutex);
	return ret;
}

static ssize_t ktgt_auth_store_str(struct config_item *item, const char *page,
				   size_t count,
				   const struct ktgt_auth_field *f)
{
	struct ktgt_auth *auth = to_ktgt_auth(item);
	const char *other;
	char *val;
	int ret;

	val = kzalloc(f->size, GFP_KERNEL);
	if (!val)
		return -ENOMEM;
	ret = ktgt_cfg_str(f->name, page, count, val, f->size);
	if (ret)
		goto out;
	if (f->secret && *val && strlen(val) < KTGT_CHAP_MIN_SECRET) {
		pr_warn("%s: CHAP secrets need at least %d bytes (RFC 7143 12.1.3)\n",
			f->name, KTGT_CHAP_MIN_SECRET);
		ret = -EINVAL;
		goto out;
	}

	mutex_lock(&ktgt_cfg_mutex);
	/* The secret of the other direction, which must differ. */
	other = f == &ktgt_auth_f_password ? auth->mutual_password :
		f == &ktgt_auth_f_mutual_password ? auth->password : NULL;
	if (other && *val && !strcmp(val, other)) {
		pr_warn("%s: the target's and the initiator's secrets must differ (RFC 7143 12.1.3)\n",
			f->name);
		ret = -EINVAL;
	} else {
		strscpy((char *)auth + f->off, val, f->size);
	}
	mutex_unlock(&ktgt_cfg_mutex);
out:
	kfree_sensitive(val);
	return ret ? ret : count;
}

#define KTGT_AUTH_ATTR(_name, _mode)					\
static ssize_t ktgt_auth_##_name##_show(struct config_item *item,	\
					char *page)			\
{									\
	return ktgt_auth_show_str(item, page, &ktgt_auth_f_##_name);	\
}									\
static ssize_t ktgt_auth_##_name##_store(struct config_item *item,	\
					 const char *page, size_t count) \
{									\
	return ktgt_auth_store_str(item, page, count,			\
				   &ktgt_auth_f_##_name);		\
}									\
static struct configfs_attribute ktgt_auth_attr_##_name = {		\
	.ca_name	= #_name,					\
	.ca_mode	= _mode,					\
	.ca_owner	= THIS_MODULE,					\
	.show		= ktgt_auth_##_name##_show,			\
	.store		= ktgt_auth_##_name##_store,			\
}

KTGT_AUTH_ATTR(userid, 0644);
KTGT_AUTH_ATTR(password, 0600);
KTGT_AUTH_ATTR(mutual_userid, 0644);
KTGT_AUTH_ATTR(mutual_password, 0600);

static struct configfs_attribute *ktgt_auth_attrs[] = {
	&ktgt_auth_attr_userid,
	&ktgt_auth_attr_password,
	&ktgt_auth_attr_mutual_userid,
	&ktgt_auth_attr_mutual_password,
	NULL,
};

static const struct config_item_type ktgt_auth_type = {
	.ct_attrs	= ktgt_auth_attrs,
	.ct_owner	= THIS_MODULE,
};

/* @auth is embedded in its owner, whose release frees it. */
void ktgt_auth_init_group(struct ktgt_auth *auth, struct config_group *parent)
{
	config_group_init_type_name(&auth->group, "auth", &ktgt_auth_type);
	configfs_add_default_group(&auth->group, parent);
}

/* ---- discovery_auth ------------------------------------------------ */

static ssize_t ktgt_disc_enforce_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(ktgt_discovery_auth.enforce));
}

static ssize_t ktgt_disc_enforce_store(struct config_item *item,
				       const char *page, size_t count)
{
	bool v;
	int ret;

	ret = ktgt_cfg_bool("discovery_auth/enforce", page, &v);
	if (ret)
		return ret;
	mutex_lock(&ktgt_cfg_mutex);
	WRITE_ONCE(ktgt_discovery_auth.enforce, v);
	mutex_unlock(&ktgt_cfg_mutex);
	return count;
}

CONFIGFS_ATTR(ktgt_disc_, enforce);

static struct configfs_attribute *ktgt_disc_attrs[] = {
	&ktgt_disc_attr_enforce,
	&ktgt_auth_attr_userid,
	&ktgt_auth_attr_password,
	&ktgt_auth_attr_mutual_userid,
	&ktgt_auth_attr_mutual_password,
	NULL,
};

static const struct config_item_type ktgt_disc_type = {
	.ct_attrs	= ktgt_disc_attrs,
	.ct_owner	= THIS_MODULE,
};

void ktgt_discovery_auth_init(struct config_group *parent)
{
	memset(&ktgt_discovery_auth, 0, sizeof(ktgt_discovery_auth));
	config_group_init_type_name(&ktgt_discovery_auth.auth.group,
				    "discovery_auth", &ktgt_disc_type);
	configfs_add_default_group(&ktgt_discovery_auth.auth.group, parent);
}
