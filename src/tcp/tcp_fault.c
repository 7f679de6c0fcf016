// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_tcp: fault injection on the transmit path, for tests of error
 * recovery (issue 9): the target's own PDUs can be lost or corrupted on
 * the way out, as a network would, so that an initiator's recovery
 * (Status SNACK, R2T SNACK, Data SNACK, its own time-outs) meets a real
 * loss.
 *
 * debugfs ktgt_tcp/fault, one rule for all connections:
 *
 *   echo "OPCODE ACTION COUNT [SKIP]" > /sys/kernel/debug/ktgt_tcp/fault
 *
 * OPCODE is a target opcode (0x21 SCSI Response, 0x25 Data-In, 0x31 R2T,
 * ... in hex or decimal); ACTION is "drop" (the PDU is not written; its
 * StatSN, DataSN or R2TSN is used up as if it had been), "hdigest" or
 * "ddigest" (one bit of the header or data digest is flipped, when that
 * digest is negotiated); the next COUNT PDUs of that opcode after SKIP
 * others are hit. "off" clears the rule. Reading gives the rule, what
 * is left of it, and how many PDUs each action hit since load.
 *
 * Without debugfs the file does not exist and nothing is ever hit; the
 * cost on the transmit path is one read of an atomic when no rule is
 * set.
 */
#define pr_fmt(fmt) "ktgt_tcp: " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "tcp.h"

/* The rule. @lock protects every field but @armed. */
static struct {
	spinlock_t lock;		/* see above */
	atomic_t armed;			/* COUNT left > 0: read unlocked */
	u8 opcode;
	enum ktgt_tcp_fault action;
	u32 skip;
	u32 count;
	u64 hits[KTGT_TCP_FAULT_NR];
} ktgt_tcp_fault_rule = {
	.lock = __SPIN_LOCK_UNLOCKED(ktgt_tcp_fault_rule.lock),
};

static const char *const ktgt_tcp_fault_names[KTGT_TCP_FAULT_NR] = {
	[KTGT_TCP_FAULT_NONE] = "off",
	[KTGT_TCP_FAULT_DROP] = "drop",
	[KTGT_TCP_FAULT_HDIGEST] = "hdigest",
	[KTGT_TCP_FAULT_DDIGEST] = "ddigest",
};

/* What to do to a PDU with @opcode that is about to be written. */
enum ktgt_tcp_fault ktgt_tcp_fault_check(u8 opcode)
{
	enum ktgt_tcp_fault hit = KTGT_TCP_FAULT_NONE;
	unsigned long flags;

	if (!atomic_read(&ktgt_tcp_fault_rule.armed))
		return hit;
	spin_lock_irqsave(&ktgt_tcp_fault_rule.lock, flags);
	if (ktgt_tcp_fault_rule.count && opcode == ktgt_tcp_fault_rule.opcode) {
		if (ktgt_tcp_fault_rule.skip) {
			ktgt_tcp_fault_rule.skip--;
		} else {
			hit = ktgt_tcp_fault_rule.action;
			ktgt_tcp_fault_rule.hits[hit]++;
			if (!--ktgt_tcp_fault_rule.count)
				atomic_set(&ktgt_tcp_fault_rule.armed, 0);
		}
	}
	spin_unlock_irqrestore(&ktgt_tcp_fault_rule.lock, flags);
	return hit;
}

static int ktgt_tcp_fault_show(struct seq_file *m, void *v)
{
	unsigned int i;

	spin_lock_irq(&ktgt_tcp_fault_rule.lock);
	seq_printf(m, "rule: opcode %#x %s count %u skip %u\nhits:",
		   ktgt_tcp_fault_rule.opcode,
		   ktgt_tcp_fault_names[ktgt_tcp_fault_rule.count ?
					ktgt_tcp_fault_rule.action : 0],
		   ktgt_tcp_fault_rule.count, ktgt_tcp_fault_rule.skip);
	for (i = 1; i < KTGT_TCP_FAULT_NR; i++)
		seq_printf(m, " %s %llu", ktgt_tcp_fault_names[i],
			   ktgt_tcp_fault_rule.hits[i]);
	seq_putc(m, '\n');
	spin_unlock_irq(&ktgt_tcp_fault_rule.lock);
	return 0;
}

static int ktgt_tcp_fault_open(struct inode *inode, struct file *file)
{
	return single_open(file, ktgt_tcp_fault_show, NULL);
}

static ssize_t ktgt_tcp_fault_write(struct file *file, const char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	char buf[64], name[16];
	unsigned int opcode, count, skip = 0, i;
	int n;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sysfs_streq(buf, "off")) {
		spin_lock_irq(&ktgt_tcp_fault_rule.lock);
		ktgt_tcp_fault_rule.count = 0;
		atomic_set(&ktgt_tcp_fault_rule.armed, 0);
		spin_unlock_irq(&ktgt_tcp_fault_rule.lock);
		return len;
	}
	n = sscanf(buf, "%i %15s %u %u", &opcode, name, &count, &skip);
	if (n < 3 || opcode > 0x3f || !count)
		return -EINVAL;
	for (i = 1; i < KTGT_TCP_FAULT_NR; i++)
		if (!strcmp(name, ktgt_tcp_fault_names[i]))
			break;
	if (i == KTGT_TCP_FAULT_NR)
		return -EINVAL;
	spin_lock_irq(&ktgt_tcp_fault_rule.lock);
	ktgt_tcp_fault_rule.opcode = opcode;
	ktgt_tcp_fault_rule.action = i;
	ktgt_tcp_fault_rule.count = count;
	ktgt_tcp_fault_rule.skip = skip;
	atomic_set(&ktgt_tcp_fault_rule.armed, 1);
	spin_unlock_irq(&ktgt_tcp_fault_rule.lock);
	pr_info("fault injection: opcode %#x %s count %u skip %u\n", opcode,
		name, count, skip);
	return len;
}

static const struct file_operations ktgt_tcp_fault_fops = {
	.owner = THIS_MODULE,
	.open = ktgt_tcp_fault_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = ktgt_tcp_fault_write,
};

static struct dentry *ktgt_tcp_debugfs;

void ktgt_tcp_fault_init(void)
{
	ktgt_tcp_debugfs = debugfs_create_dir("ktgt_tcp", NULL);
	debugfs_create_file("fault", 0600, ktgt_tcp_debugfs, NULL,
			    &ktgt_tcp_fault_fops);
}

void ktgt_tcp_fault_exit(void)
{
	debugfs_remove_recursive(ktgt_tcp_debugfs);
}
