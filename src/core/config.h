/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration objects of ktgt_core: backstores, targets, TPGs, portals,
 * LUNs and ACLs, each a configfs group (layout in docs/configfs.md).
 *
 * Locking:
 *  - ktgt_cfg_mutex protects the shape of the tree: the lists below, every
 *    object's links to others, and every attribute (text attributes are
 *    read and written under it). The login path takes it to look up a
 *    target and ACL and to read parameters and credentials; the data path
 *    never does.
 *  - ktgt_np_mutex (cfg_portal.c) serialises creating and destroying
 *    network portals, so a transport's add_portal/remove_portal are never
 *    called under ktgt_cfg_mutex. Order: ktgt_np_mutex, then
 *    ktgt_cfg_mutex.
 *  - The data path finds a LUN through its TPG's lun xarray (RCU) and pins
 *    it with lun->ref (percpu_ref), see ktgt_lun_get(). A LUN is in the
 *    xarray only while a backstore is bound to it. Unbinding (or removing
 *    the LUN) unpublishes it, kills the ref and waits for in-flight
 *    commands (drain order in cfg_lun.c, ktgt_lun_unbind()).
 *  - Lifetimes: every object is a configfs item (kref); code that keeps a
 *    TPG or ACL pointer after dropping ktgt_cfg_mutex (a session) pins it
 *    with ktgt_tpg_get()/ktgt_acl_get(). configfs refuses rmdir of a group
 *    that still has children (-ENOTEMPTY) and of a backstore a LUN is
 *    bound to (-EBUSY, configfs_depend_item).
 */
#ifndef KTGT_CORE_CONFIG_H
#define KTGT_CORE_CONFIG_H

#include <linux/configfs.h>
#include <linux/percpu-refcount.h>
#include <linux/completion.h>
#include <linux/xarray.h>
#include <linux/socket.h>
#include <linux/scatterlist.h>
#include <linux/mutex.h>
#include <linux/kref.h>
#include <linux/workqueue.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>

#include <ktgt/proto/chap.h>
#include <ktgt/transport.h>
#include <ktgt/scsi/sense.h>

#define KTGT_NAME_MAX		223	/* iSCSI name, RFC 7143 4.2.7.1 */
#define KTGT_BS_NAME_MAX	64
#define KTGT_MAX_LUNS		256	/* lun_0 .. lun_255 */
#define KTGT_BS_PATH_MAX	256

extern struct mutex ktgt_cfg_mutex;

/* ---- backstores ---------------------------------------------------- */

enum ktgt_bs_op {
	KTGT_BS_READ,
	KTGT_BS_WRITE,
	KTGT_BS_FLUSH,		/* whole device; offset/len ignored */
	KTGT_BS_DISCARD,	/* offset/len; reads back as zeroes after
				 * only if bs->discard_zeroes
				 */
};

struct ktgt_backstore;

/**
 * struct ktgt_bs_io - one request to a backstore
 * @offset/@len: bytes, multiples of bs->block_size, within bs->size
 * @sgl/@nents:	data pages for READ/WRITE (at least @len bytes), owned by
 *		the caller
 * @fua:	WRITE only: on stable media when @done is called
 * @done:	called exactly once, from any context (process, softirq or
 *		hard irq for bios), possibly before submit returns (ram);
 *		@err is 0 or -errno (-EIO, -ENOSPC, -EROFS...). The backstore
 *		does not touch @io after calling it.
 * @work:	for backstores that defer (file, block discard); initialised
 *		with INIT_WORK, so @io must not live on the stack
 */
struct ktgt_bs_io {
	struct ktgt_backstore *bs;
	enum ktgt_bs_op op;
	u64 offset;
	u32 len;
	struct scatterlist *sgl;
	unsigned int nents;
	bool fua;
	void (*done)(struct ktgt_bs_io *io, int err);
	struct work_struct work;
};

/**
 * struct ktgt_bs_ops - what a backstore type implements
 * @enable:	open/allocate with the configured attributes, set size and
 *		block_size if the device dictates them; may sleep
 * @disable:	release what enable took; no I/O is in flight
 * @submit:	start @io and return; does not wait for the I/O. Called in
 *		process context; block may sleep briefly in bio allocation
 *		(mempool, GFP_NOIO), ram completes inline, file queues work.
 * @info:	optional: one line of type-specific facts for "info"
 */
struct ktgt_bs_ops {
	const char *type;		/* "ram", "file", "block" */
	int (*enable)(struct ktgt_backstore *bs);
	void (*disable)(struct ktgt_backstore *bs);
	void (*submit)(struct ktgt_bs_io *io);
	int (*info)(struct ktgt_backstore *bs, char *buf, size_t size);
};

struct ktgt_backstore {
	struct config_group group;
	struct list_head node;		/* ktgt_backstores (ktgt_cfg_mutex) */
	const struct ktgt_bs_ops *ops;
	char name[KTGT_BS_NAME_MAX];

	/* Attributes; fixed while enabled (ktgt_cfg_mutex). */
	u64 size;			/* bytes, multiple of block_size */
	u32 block_size;
	bool readonly;
	bool direct_io;			/* file */
	char path[KTGT_BS_PATH_MAX];	/* file, block */
	u64 wwn_id;			/* unique id, for NAA and serial */

	/* Set by enable, read by the data path. */
	bool enabled;
	bool can_discard;
	bool discard_zeroes;		/* LBPRZ */
	void *priv;

	unsigned int lun_users;		/* LUNs bound to it (ktgt_cfg_mutex) */
};

static inline void ktgt_bs_submit(struct ktgt_bs_io *io)
{
	io->bs->ops->submit(io);
}

/* ---- targets, TPGs, portals, LUNs, ACLs ---------------------------- */

/* Admin-set TPG values: what negotiation starts from. */
struct ktgt_tpg_attrib {
	bool authentication;		/* CHAP required for normal sessions */
	bool generate_node_acls;	/* demo mode: any initiator, all LUNs */
	bool demo_mode_write_protect;	/* demo mode sessions read-only */
	u32 nopin_interval;		/* seconds, 0 = off */
	u32 nopin_timeout;		/* seconds */
	bool tmr_cold_reset;		/* TARGET COLD RESET authorized */
	/* Per-peer resource caps (docs/configfs.md has what each bounds). */
	u32 cmdsn_depth;		/* tasks a session may have */
	u32 session_data_mb;		/* MiB of data buffers per session */
	u32 dataout_timeout;		/* s without Data-Out progress */
	u32 tx_backlog_kb;		/* queued PDUs before rx pauses */
	u32 status_retain_max;		/* responses kept per connection
					 * until acknowledged (respq.c)
					 */
};

/*
 * CHAP credentials; an empty userid means "not configured". @group is the
 * auth/ directory holding them (under a TPG, an ACL, or discovery_auth).
 */
struct ktgt_auth {
	struct config_group group;
	char userid[KTGT_CHAP_MAX_NAME];
	char password[KTGT_CHAP_MAX_SECRET];
	char mutual_userid[KTGT_CHAP_MAX_NAME];
	char mutual_password[KTGT_CHAP_MAX_SECRET];
};

/* /sys/kernel/config/ktgt/discovery_auth (ktgt_cfg_mutex). */
struct ktgt_discovery_auth {
	struct ktgt_auth auth;
	bool enforce;			/* CHAP required for discovery */
};

extern struct ktgt_discovery_auth ktgt_discovery_auth;

/* Operational text keys a TPG offers, in param/ (RFC 7143 section 13). */
enum ktgt_param {
	KTGT_P_HEADER_DIGEST,
	KTGT_P_DATA_DIGEST,
	KTGT_P_MAX_RECV_DSL,
	KTGT_P_MAX_BURST,
	KTGT_P_FIRST_BURST,
	KTGT_P_INITIAL_R2T,
	KTGT_P_IMMEDIATE_DATA,
	KTGT_P_MAX_OUTSTANDING_R2T,
	KTGT_P_DATA_PDU_IN_ORDER,
	KTGT_P_DATA_SEQ_IN_ORDER,
	KTGT_P_DEFAULT_TIME2WAIT,
	KTGT_P_DEFAULT_TIME2RETAIN,
	KTGT_P_ERL,
	KTGT_P_MAX_CONNECTIONS,
	KTGT_P_TARGET_ALIAS,
	KTGT_P_NR,
};

#define KTGT_PARAM_MAX		256	/* value bytes + NUL (TargetAlias) */

/* Key name of @p ("MaxBurstLength"); NULL if out of range. */
const char *ktgt_param_name(enum ktgt_param p);

struct ktgt_target {
	struct config_group group;
	struct list_head node;		/* ktgt_targets (ktgt_cfg_mutex) */
	char name[KTGT_NAME_MAX + 1];
	struct list_head tpgs;		/* (ktgt_cfg_mutex) */
};

/*
 * Removable medium state of a LUN (medium.c). @lock protects @holders
 * and @gen and serialises changes of @absent, which the data path reads
 * with READ_ONCE.
 */
struct ktgt_medium {
	spinlock_t lock;		/* see above */
	bool absent;			/* ejected */
	unsigned int holders;		/* nexuses holding it (PREVENT) */
	u64 gen;			/* generation of @holders */
};

/* One I_T nexus's PREVENT on one LUN, under the medium's lock. */
struct ktgt_medium_hold {
	bool held;
	u64 gen;			/* counted in this generation */
};

struct ktgt_lun {
	struct config_group group;
	struct list_head node;		/* tpg->lun_objs (ktgt_cfg_mutex) */
	struct ktgt_tpg *tpg;
	u64 lun;
	struct ktgt_backstore *bs;	/* NULL until bound (ktgt_cfg_mutex);
					 * stable while a ref is held
					 */
	bool readonly;			/* WRITE_ONCE/READ_ONCE */
	bool removable;			/* WRITE_ONCE/READ_ONCE */
	struct ktgt_medium medium;
	struct percpu_ref ref;		/* one per in-flight command; dead
					 * while unbound
					 */
	struct completion drained;	/* ref reached zero after kill */
	struct mutex bind_mutex;	/* serialises binding and unbinding
					 * (drain order in cfg_lun.c); taken
					 * before ktgt_cfg_mutex
					 */
};

struct ktgt_acl_lun {
	struct config_group group;
	struct ktgt_acl *acl;
	u64 mapped_lun;			/* LUN number the initiator sees */
	u64 tpg_lun;			/* LUN number in the TPG */
	bool readonly;
	struct rcu_head rcu;		/* freed after RCU readers */
};

struct ktgt_acl {
	struct config_group group;
	struct list_head node;		/* tpg->acls (ktgt_cfg_mutex) */
	struct ktgt_tpg *tpg;
	char initiator[KTGT_NAME_MAX + 1];
	struct ktgt_auth auth;		/* auth/ */
	struct config_group luns_group;	/* luns/ */
	struct xarray luns;		/* mapped_lun -> ktgt_acl_lun (RCU) */
};

/* struct ktgt_np, a network portal, is in <ktgt/transport.h>. */

struct ktgt_tpg_portal {
	struct config_group group;
	struct list_head node;		/* tpg->portals (ktgt_cfg_mutex) */
	struct ktgt_tpg *tpg;
	struct ktgt_np *np;		/* set by mkdir; changed only under
					 * both ktgt_np_mutex and
					 * ktgt_cfg_mutex
					 */
	struct sockaddr_storage addr;
};

struct ktgt_tpg {
	struct config_group group;
	struct list_head node;		/* target->tpgs (ktgt_cfg_mutex) */
	struct ktgt_target *target;
	u16 tpgt;
	bool enabled;
	struct ktgt_tpg_attrib attrib;
	struct ktgt_auth auth;		/* auth/ */
	/* Key values as text, by enum ktgt_param ("262144"). */
	char params[KTGT_P_NR][KTGT_PARAM_MAX];
	struct list_head portals;
	struct list_head acls;
	struct list_head lun_objs;	/* every lun_N, bound or not */
	struct xarray luns;		/* lun number -> bound ktgt_lun (RCU
					 * reads, stores under ktgt_cfg_mutex)
					 */

	struct config_group attrib_group;
	struct config_group param_group;
	struct config_group portals_group;
	struct config_group luns_group;
	struct config_group acls_group;
};

/*
 * Config look-ups for the login path; call with ktgt_cfg_mutex held. The
 * results stay valid while it is held; pin them with ktgt_tpg_get() and
 * ktgt_acl_get() to keep them after.
 */
struct ktgt_tpg *ktgt_tpg_find(const char *target_name,
			       const struct sockaddr_storage *local, u16 *tpgt);
struct ktgt_acl *ktgt_acl_find(struct ktgt_tpg *tpg, const char *initiator);

/* Value of key @p of @tpg as text; call with ktgt_cfg_mutex held. */
const char *ktgt_tpg_param(const struct ktgt_tpg *tpg, enum ktgt_param p);

/*
 * SendTargets: for every target @initiator may see (an ACL for it, or
 * generate_node_acls) with an enabled TPG that has portals, calls
 * emit("TargetName", name) then emit("TargetAddress", "ip:port,tpgt") for
 * each portal of each such TPG (wildcard portals are shown with the
 * address of @local, the address the discovery session arrived on).
 * Stops at and returns the first non-zero emit() result; 0 otherwise.
 * Call with ktgt_cfg_mutex held.
 */
typedef int (*ktgt_emit_fn)(void *arg, const char *key, const char *value);
int ktgt_visible_targets(const char *initiator,
			 const struct sockaddr_storage *local,
			 ktgt_emit_fn emit, void *arg);
/* The same; checkpatch takes a function named *for_each* for a loop. */
#define ktgt_for_each_visible_target(initiator, local, emit, arg) \
	ktgt_visible_targets(initiator, local, emit, arg)

/* Reference a TPG or ACL beyond ktgt_cfg_mutex (memory only). */
void ktgt_tpg_get(struct ktgt_tpg *tpg);
void ktgt_tpg_put(struct ktgt_tpg *tpg);
void ktgt_acl_get(struct ktgt_acl *acl);
void ktgt_acl_put(struct ktgt_acl *acl);

/*
 * Data path, any context, no locks: the LUN a session's initiator sees as
 * @mapped_lun (@acl NULL in demo mode, where TPG LUN numbers are shown
 * as they are). Returns it pinned (drop with ktgt_lun_put()) or NULL. Its
 * backstore (lun->bs) is bound and enabled while pinned. *@readonly is the
 * write protection of the LUN, the mapping, the backstore and, in demo
 * mode, demo_mode_write_protect.
 */
struct ktgt_lun *ktgt_lun_get(struct ktgt_tpg *tpg, struct ktgt_acl *acl,
			      u64 mapped_lun, bool *readonly);
void ktgt_lun_put(struct ktgt_lun *lun);

/*
 * REPORT LUNS: writes up to @max visible LUN numbers in ascending order
 * to @out and returns how many there are in total (may be > @max).
 */
int ktgt_lun_list(struct ktgt_tpg *tpg, struct ktgt_acl *acl, u64 *out,
		  int max);

/* Removable medium (medium.c); any context. */
void ktgt_medium_init(struct ktgt_medium *m);
void ktgt_medium_reset(struct ktgt_medium *m);
void ktgt_medium_clear_holds(struct ktgt_medium *m);
enum ktgt_sense_reason ktgt_medium_load_eject(struct ktgt_medium *m,
					      bool load);
void ktgt_medium_hold(struct ktgt_medium *m, struct ktgt_medium_hold *h,
		      bool prevent);

#endif /* KTGT_CORE_CONFIG_H */
