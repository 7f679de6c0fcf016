// SPDX-License-Identifier: GPL-2.0
/*
 * tpgt_N/luns/lun_<N>: the TPG's logical units, each bound to a
 * backstore through its "backstore" attribute ("ram/disk0"; "" unbinds),
 * and the data path's LUN look-ups (ktgt_lun_get/put, ktgt_lun_list).
 *
 * A LUN is published in tpg->luns only while bound, and lun->ref is live
 * exactly then (it starts dead). The data path looks it up under RCU and
 * pins it with percpu_ref_tryget_live(), so binding and unbinding never
 * take a lock the data path takes.
 *
 * Unpublishing (unbind, rebind, rmdir) drains in this order, serialised
 * per LUN by lun->bind_mutex (taken before ktgt_cfg_mutex):
 *  1. under ktgt_cfg_mutex, xa_erase() from tpg->luns: new look-ups miss
 *     the LUN; percpu_ref_kill(): tryget_live fails from now on, even for
 *     a reader that found the LUN before; the base reference is dropped;
 *  2. ktgt_cfg_mutex is released: the wait below must not block logins,
 *     SendTargets or a cold reset, which take it;
 *  3. every task on the LUN, in every session, lets it go (tmf.c): those
 *     not yet executing drop their pin at once and will answer LOGICAL
 *     UNIT NOT SUPPORTED without touching the medium, those executing
 *     finish their backstore I/O and answer with their own status;
 *  4. wait_for_completion(&lun->drained): the ref reached zero, so every
 *     command that held it has called ktgt_lun_put(), and, because the
 *     kill switches the ref to atomic mode after an RCU grace period, no
 *     reader still holds the pointer from the xarray;
 *  5. under ktgt_cfg_mutex again, the backstore is released
 *     (ktgt_bs_unbind) and lun->bs cleared; the LUN can be republished
 *     with percpu_ref_reinit().
 * While a LUN drains, lun->bs still names its backstore (which stays
 * bound, so it cannot be removed) but the data path cannot reach it.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "core.h"
#include "session.h"

static struct ktgt_lun *to_lun(struct config_item *item)
{
	return container_of(to_config_group(item), struct ktgt_lun, group);
}

static void ktgt_lun_ref_release(struct percpu_ref *ref)
{
	struct ktgt_lun *lun = container_of(ref, struct ktgt_lun, ref);

	complete(&lun->drained);
}

/* The lun_N object of @tpg, bound or not. */
struct ktgt_lun *ktgt_tpg_lun_find(struct ktgt_tpg *tpg, u64 n)
{
	struct ktgt_lun *lun;

	lockdep_assert_held(&ktgt_cfg_mutex);
	list_for_each_entry(lun, &tpg->lun_objs, node)
		if (lun->lun == n)
			return lun;
	return NULL;
}

/* lun->bs is set and bound: make the LUN visible to the data path. */
static int ktgt_lun_publish(struct ktgt_lun *lun)
{
	int ret;

	lockdep_assert_held(&ktgt_cfg_mutex);
	/* A new medium: loaded, held by nobody. */
	ktgt_medium_reset(&lun->medium);
	percpu_ref_reinit(&lun->ref);
	ret = xa_err(xa_store(&lun->tpg->luns, lun->lun, lun, GFP_KERNEL));
	if (ret) {
		reinit_completion(&lun->drained);
		percpu_ref_kill(&lun->ref);
		wait_for_completion(&lun->drained);
	}
	return ret;
}

/* Step 1 of the drain order above; false if nothing is bound. */
static bool ktgt_lun_unpublish(struct ktgt_lun *lun)
{
	lockdep_assert_held(&lun->bind_mutex);
	lockdep_assert_held(&ktgt_cfg_mutex);
	if (!lun->bs)
		return false;
	xa_erase(&lun->tpg->luns, lun->lun);
	reinit_completion(&lun->drained);
	percpu_ref_kill(&lun->ref);
	return true;
}

/* Steps 2-5: called with both mutexes, returns with both. */
static void ktgt_lun_drain_unbind(struct ktgt_lun *lun)
{
	lockdep_assert_held(&lun->bind_mutex);
	mutex_unlock(&ktgt_cfg_mutex);
	ktgt_lun_abort_tasks(lun);
	wait_for_completion(&lun->drained);
	mutex_lock(&ktgt_cfg_mutex);
	ktgt_bs_unbind(lun->bs);
	lun->bs = NULL;
}

static void ktgt_lun_unbind(struct ktgt_lun *lun)
{
	if (ktgt_lun_unpublish(lun))
		ktgt_lun_drain_unbind(lun);
}

/* ---- attributes ---------------------------------------------------- */

static ssize_t ktgt_lun_backstore_show(struct config_item *item, char *page)
{
	struct ktgt_lun *lun = to_lun(item);
	ssize_t ret;

	mutex_lock(&ktgt_cfg_mutex);
	if (lun->bs)
		ret = sysfs_emit(page, "%s/%s\n", lun->bs->ops->type,
				 lun->bs->name);
	else
		ret = sysfs_emit(page, "\n");
	mutex_unlock(&ktgt_cfg_mutex);
	return ret;
}

static ssize_t ktgt_lun_backstore_store(struct config_item *item,
					const char *page, size_t count)
{
	struct ktgt_lun *lun = to_lun(item);
	struct ktgt_backstore *bs = NULL;
	char spec[8 + KTGT_BS_NAME_MAX];
	int ret;

	ret = ktgt_cfg_str("backstore", page, count, spec, sizeof(spec));
	if (ret)
		return ret;
	mutex_lock(&lun->bind_mutex);
	mutex_lock(&ktgt_cfg_mutex);
	if (spec[0]) {
		bs = ktgt_bs_lookup(spec);
		if (!bs) {
			pr_warn("lun_%llu: no backstore '%s' (want type/name, e.g. ram/disk0)\n",
				lun->lun, spec);
			ret = -ENOENT;
			goto out;
		}
		if (bs == lun->bs)
			goto out;
		ret = ktgt_bs_bind(bs);
		if (ret)
			goto out;
	}
	ktgt_lun_unbind(lun);
	if (bs) {
		lun->bs = bs;
		ret = ktgt_lun_publish(lun);
		if (ret) {
			ktgt_bs_unbind(bs);
			lun->bs = NULL;
		}
	}
out:
	mutex_unlock(&ktgt_cfg_mutex);
	mutex_unlock(&lun->bind_mutex);
	return ret ? ret : count;
}

static ssize_t ktgt_lun_readonly_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_lun(item)->readonly));
}

static ssize_t ktgt_lun_readonly_store(struct config_item *item,
				       const char *page, size_t count)
{
	struct ktgt_lun *lun = to_lun(item);
	bool v;
	int ret;

	ret = ktgt_cfg_bool("readonly", page, &v);
	if (ret)
		return ret;
	mutex_lock(&ktgt_cfg_mutex);
	WRITE_ONCE(lun->readonly, v);
	mutex_unlock(&ktgt_cfg_mutex);
	return count;
}

static ssize_t ktgt_lun_removable_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_lun(item)->removable));
}

/*
 * removable=1 reports RMB in INQUIRY and lets initiators eject and load
 * the medium (medium.c). Turning it off loads the medium again.
 */
static ssize_t ktgt_lun_removable_store(struct config_item *item,
					const char *page, size_t count)
{
	struct ktgt_lun *lun = to_lun(item);
	bool v;
	int ret;

	ret = ktgt_cfg_bool("removable", page, &v);
	if (ret)
		return ret;
	mutex_lock(&ktgt_cfg_mutex);
	if (v != lun->removable) {
		ktgt_medium_reset(&lun->medium);
		WRITE_ONCE(lun->removable, v);
	}
	mutex_unlock(&ktgt_cfg_mutex);
	return count;
}

CONFIGFS_ATTR(ktgt_lun_, backstore);
CONFIGFS_ATTR(ktgt_lun_, readonly);
CONFIGFS_ATTR(ktgt_lun_, removable);

static struct configfs_attribute *ktgt_lun_attrs[] = {
	&ktgt_lun_attr_backstore,
	&ktgt_lun_attr_readonly,
	&ktgt_lun_attr_removable,
	NULL,
};

static void ktgt_lun_release(struct config_item *item)
{
	struct ktgt_lun *lun = to_lun(item);

	percpu_ref_exit(&lun->ref);
	kfree(lun);
}

static struct configfs_item_operations ktgt_lun_item_ops = {
	.release	= ktgt_lun_release,
};

static const struct config_item_type ktgt_lun_type = {
	.ct_item_ops	= &ktgt_lun_item_ops,
	.ct_attrs	= ktgt_lun_attrs,
	.ct_owner	= THIS_MODULE,
};

/* ---- mkdir/rmdir --------------------------------------------------- */

static struct config_group *ktgt_lun_make(struct config_group *group,
					  const char *name)
{
	struct ktgt_tpg *tpg = container_of(group, struct ktgt_tpg,
					    luns_group);
	struct ktgt_lun *lun;
	u32 n;
	int ret;

	ret = ktgt_cfg_index(name, "lun_", 0, KTGT_MAX_LUNS - 1, &n);
	if (ret)
		return ERR_PTR(ret);
	lun = kzalloc(sizeof(*lun), GFP_KERNEL);
	if (!lun)
		return ERR_PTR(-ENOMEM);
	/* Dead until bound: tryget_live fails, reinit makes it live. */
	ret = percpu_ref_init(&lun->ref, ktgt_lun_ref_release,
			      PERCPU_REF_INIT_DEAD, GFP_KERNEL);
	if (ret) {
		kfree(lun);
		return ERR_PTR(ret);
	}
	init_completion(&lun->drained);
	mutex_init(&lun->bind_mutex);
	ktgt_medium_init(&lun->medium);
	lun->tpg = tpg;
	lun->lun = n;
	config_group_init_type_name(&lun->group, name, &ktgt_lun_type);

	mutex_lock(&ktgt_cfg_mutex);
	list_add_tail(&lun->node, &tpg->lun_objs);
	mutex_unlock(&ktgt_cfg_mutex);
	return &lun->group;
}

static void ktgt_lun_drop(struct config_group *group, struct config_item *item)
{
	struct ktgt_lun *lun = to_lun(item);

	mutex_lock(&lun->bind_mutex);
	mutex_lock(&ktgt_cfg_mutex);
	ktgt_lun_unbind(lun);
	list_del(&lun->node);
	mutex_unlock(&ktgt_cfg_mutex);
	mutex_unlock(&lun->bind_mutex);
	config_item_put(item);
}

static struct configfs_group_operations ktgt_luns_group_ops = {
	.make_group	= ktgt_lun_make,
	.drop_item	= ktgt_lun_drop,
};

const struct config_item_type ktgt_luns_type = {
	.ct_group_ops	= &ktgt_luns_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* ---- data path ------------------------------------------------------ */

struct ktgt_lun *ktgt_lun_get(struct ktgt_tpg *tpg, struct ktgt_acl *acl,
			      u64 mapped_lun, bool *readonly)
{
	struct ktgt_acl_lun *alun;
	struct ktgt_lun *lun;
	u64 tpg_lun = mapped_lun;
	bool ro;

	if (mapped_lun >= KTGT_MAX_LUNS)
		return NULL;
	rcu_read_lock();
	if (acl) {
		alun = xa_load(&acl->luns, mapped_lun);
		if (!alun)
			goto miss;
		tpg_lun = READ_ONCE(alun->tpg_lun);
		ro = READ_ONCE(alun->readonly);
	} else {
		ro = READ_ONCE(tpg->attrib.demo_mode_write_protect);
	}
	lun = xa_load(&tpg->luns, tpg_lun);
	if (!lun || !percpu_ref_tryget_live(&lun->ref))
		goto miss;
	rcu_read_unlock();

	*readonly = ro || READ_ONCE(lun->readonly) || lun->bs->readonly;
	return lun;
miss:
	rcu_read_unlock();
	return NULL;
}

void ktgt_lun_put(struct ktgt_lun *lun)
{
	percpu_ref_put(&lun->ref);
}

int ktgt_lun_list(struct ktgt_tpg *tpg, struct ktgt_acl *acl, u64 *out,
		  int max)
{
	struct ktgt_acl_lun *alun;
	struct ktgt_lun *lun;
	unsigned long idx;
	int n = 0;

	rcu_read_lock();
	if (acl) {
		xa_for_each(&acl->luns, idx, alun) {
			if (!xa_load(&tpg->luns, READ_ONCE(alun->tpg_lun)))
				continue;
			if (n < max)
				out[n] = idx;
			n++;
		}
	} else {
		xa_for_each(&tpg->luns, idx, lun) {
			if (n < max)
				out[n] = idx;
			n++;
		}
	}
	rcu_read_unlock();
	return n;
}
