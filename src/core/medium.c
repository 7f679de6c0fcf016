// SPDX-License-Identifier: GPL-2.0
/*
 * Removable medium emulation for a LUN with removable=1: START STOP UNIT
 * with LOEJ ejects and loads the medium (SBC-3 5.25), PREVENT ALLOW
 * MEDIUM REMOVAL holds it in (SPC-4 6.13). A virtual CD or a USB-stick
 * style disk for boot and installer images behaves like the real thing.
 *
 * The medium belongs to the LU: one state for every I_T nexus. A hold is
 * per I_T nexus: the medium is held while any nexus holds it, and a
 * nexus's hold ends with ALLOW, the loss of the nexus, a LUN reset or a
 * target reset. Each nexus keeps its hold in its ktgt_sess_lun together
 * with the generation of the LU's hold count it was counted in. A reset,
 * or binding the LUN to a backstore, starts a new generation with no
 * holders, so a hold from before is never counted down twice.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/atomic.h>
#include <linux/spinlock.h>

#include "core.h"

/* Generations are unique across LUNs, so a stale hold never matches. */
static atomic64_t ktgt_medium_gen = ATOMIC64_INIT(0);

static void ktgt_medium_new_gen(struct ktgt_medium *m)
{
	lockdep_assert_held(&m->lock);
	m->holders = 0;
	m->gen = atomic64_inc_return(&ktgt_medium_gen);
}

void ktgt_medium_init(struct ktgt_medium *m)
{
	spin_lock_init(&m->lock);
	ktgt_medium_reset(m);
}

/* Medium loaded, no holds: a freshly bound LUN or removable=0. */
void ktgt_medium_reset(struct ktgt_medium *m)
{
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	WRITE_ONCE(m->absent, false);
	ktgt_medium_new_gen(m);
	spin_unlock_irqrestore(&m->lock, flags);
}

/* LUN reset or target reset: every nexus's hold ends. */
void ktgt_medium_clear_holds(struct ktgt_medium *m)
{
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	ktgt_medium_new_gen(m);
	spin_unlock_irqrestore(&m->lock, flags);
}

/* START STOP UNIT with LOEJ: refused while any nexus holds the medium. */
enum ktgt_sense_reason ktgt_medium_load_eject(struct ktgt_medium *m,
					      bool load)
{
	enum ktgt_sense_reason r = KTGT_SR_OK;
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	if (m->holders)
		r = KTGT_SR_MEDIUM_REMOVAL_PREVENTED;
	else
		WRITE_ONCE(m->absent, !load);
	spin_unlock_irqrestore(&m->lock, flags);
	return r;
}

/* PREVENT (@prevent) or ALLOW from the nexus that owns @h. */
void ktgt_medium_hold(struct ktgt_medium *m, struct ktgt_medium_hold *h,
		      bool prevent)
{
	unsigned long flags;
	bool held;

	spin_lock_irqsave(&m->lock, flags);
	held = h->held && h->gen == m->gen;
	if (prevent && !held) {
		m->holders++;
		h->held = true;
		h->gen = m->gen;
	} else if (!prevent) {
		if (held)
			m->holders--;
		h->held = false;
	}
	spin_unlock_irqrestore(&m->lock, flags);
}
