// SPDX-License-Identifier: GPL-2.0
/*
 * Sense table and sense data (fixed and descriptor format), UA queue.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ktgt/scsi/scsi.h>

static u8 buf[64];

static void test_table(void **state)
{
	static const struct {
		enum ktgt_sense_reason r;
		u8 key, asc, ascq;
	} v[] = {
		{ KTGT_SR_INVALID_OPCODE, 0x5, 0x20, 0x00 },
		{ KTGT_SR_INVALID_FIELD_IN_CDB, 0x5, 0x24, 0x00 },
		{ KTGT_SR_INVALID_FIELD_IN_PARAM_LIST, 0x5, 0x26, 0x00 },
		{ KTGT_SR_PARAM_LIST_LENGTH_ERROR, 0x5, 0x1a, 0x00 },
		{ KTGT_SR_LBA_OUT_OF_RANGE, 0x5, 0x21, 0x00 },
		{ KTGT_SR_LUN_NOT_SUPPORTED, 0x5, 0x25, 0x00 },
		{ KTGT_SR_SAVING_PARAMS_UNSUP, 0x5, 0x39, 0x00 },
		{ KTGT_SR_WRITE_PROTECTED, 0x7, 0x27, 0x00 },
		{ KTGT_SR_SPACE_ALLOC_FAILED, 0x7, 0x27, 0x07 },
		{ KTGT_SR_MEDIUM_ERROR_READ, 0x3, 0x11, 0x00 },
		{ KTGT_SR_MEDIUM_ERROR_WRITE, 0x3, 0x0c, 0x00 },
		{ KTGT_SR_MISCOMPARE, 0xe, 0x1d, 0x00 },
		{ KTGT_SR_NOT_READY_BECOMING_READY, 0x2, 0x04, 0x01 },
		{ KTGT_SR_NOT_READY_NO_MEDIUM, 0x2, 0x3a, 0x00 },
		{ KTGT_SR_ABORTED_CRC_ERROR, 0xb, 0x47, 0x05 },
		{ KTGT_SR_INTERNAL_ERROR, 0x4, 0x44, 0x00 },
		{ KTGT_SR_UA_POWER_ON_RESET, 0x6, 0x29, 0x00 },
		{ KTGT_SR_UA_NEXUS_LOSS, 0x6, 0x29, 0x07 },
		{ KTGT_SR_UA_CAPACITY_CHANGED, 0x6, 0x2a, 0x09 },
		{ KTGT_SR_UA_REPORTED_LUNS_CHANGED, 0x6, 0x3f, 0x0e },
	};
	const struct ktgt_sense_entry *e;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		e = ktgt_sense_lookup(v[i].r);
		assert_int_equal(e->key, v[i].key);
		assert_int_equal(e->asc, v[i].asc);
		assert_int_equal(e->ascq, v[i].ascq);
	}
	/*
	 * every reason but OK has a sense key or is NO SENSE, or is a
	 * status of its own (RESERVATION CONFLICT)
	 */
	for (i = KTGT_SR_INVALID_OPCODE; i < KTGT_SR__COUNT; i++)
		assert_true(ktgt_sense_table[i].key || ktgt_sense_table[i].asc ||
			    (ktgt_sense_table[i].flags & KTGT_SENSE_F_STATUS));
	assert_int_equal(ktgt_sense_lookup(KTGT_SR__COUNT)->key, 0);
}

static void test_fixed_field_pointer(void **state)
{
	static const u8 exp[18] = {
		0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0a,
		0x00, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0xcd, 0x00, 0x01,
	};
	static const u8 exp_param[18] = {
		0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0a,
		0x00, 0x00, 0x00, 0x00, 0x26, 0x00, 0x00, 0x80, 0x01, 0x02,
	};
	struct ktgt_sense_info si = { 0 };

	ktgt_sense_field(&si, 1, 5);
	assert_int_equal(ktgt_sense_build(KTGT_SR_INVALID_FIELD_IN_CDB, &si,
					  false, buf, sizeof(buf)), 18);
	assert_memory_equal(buf, exp, 18);
	ktgt_sense_field(&si, 0x102, -1);
	assert_int_equal(ktgt_sense_build(KTGT_SR_INVALID_FIELD_IN_PARAM_LIST,
					  &si, false, buf, sizeof(buf)), 18);
	assert_memory_equal(buf, exp_param, 18);
	/* no field pointer given: SKSV clear */
	assert_int_equal(ktgt_sense_build(KTGT_SR_INVALID_FIELD_IN_CDB, NULL,
					  false, buf, sizeof(buf)), 18);
	assert_int_equal(buf[15], 0);
	/* a field pointer on a reason without SKS is ignored */
	assert_int_equal(ktgt_sense_build(KTGT_SR_LBA_OUT_OF_RANGE, &si,
					  false, buf, sizeof(buf)), 18);
	assert_memory_equal(buf, "\x70\x00\x05\x00\x00\x00\x00\x0a"
			    "\x00\x00\x00\x00\x21\x00\x00\x00\x00\x00", 18);
}

static void test_fixed_info(void **state)
{
	static const u8 exp[18] = {
		0xf0, 0x00, 0x0e, 0x00, 0x00, 0x01, 0x23, 0x0a,
		0x00, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct ktgt_sense_info si = { .info = 0x123, .flags = KTGT_SI_INFO };

	assert_int_equal(ktgt_sense_build(KTGT_SR_MISCOMPARE, &si, false, buf,
					  sizeof(buf)), 18);
	assert_memory_equal(buf, exp, 18);
	/* INFORMATION does not fit 4 bytes: VALID clear */
	si.info = 0x100000000ULL;
	ktgt_sense_build(KTGT_SR_MEDIUM_ERROR_READ, &si, false, buf,
			 sizeof(buf));
	assert_int_equal(buf[0], 0x70);
	assert_memory_equal(&buf[3], "\0\0\0\0", 4);
	/* truncation */
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(ktgt_sense_build(KTGT_SR_MISCOMPARE, &si, false, buf,
					  8), 8);
	assert_int_equal(buf[8], 0xee);
	assert_int_equal(ktgt_sense_build(KTGT_SR_OK, &si, false, buf, 64), 0);
}

static void test_descriptor(void **state)
{
	static const u8 exp_f[16] = {
		0x72, 0x05, 0x24, 0x00, 0x00, 0x00, 0x00, 0x08,
		0x02, 0x06, 0x00, 0x00, 0xcd, 0x00, 0x01, 0x00,
	};
	static const u8 exp_i[20] = {
		0x72, 0x0e, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x0c,
		0x00, 0x0a, 0x80, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x01, 0x23,
	};
	struct ktgt_sense_info si = { 0 };

	ktgt_sense_field(&si, 1, 5);
	assert_int_equal(ktgt_sense_build(KTGT_SR_INVALID_FIELD_IN_CDB, &si,
					  true, buf, sizeof(buf)), 16);
	assert_memory_equal(buf, exp_f, 16);
	si.info = 0x100000123ULL;
	si.flags = KTGT_SI_INFO;
	assert_int_equal(ktgt_sense_build(KTGT_SR_MISCOMPARE, &si, true, buf,
					  sizeof(buf)), 20);
	assert_memory_equal(buf, exp_i, 20);
	assert_int_equal(ktgt_sense_build(KTGT_SR_LBA_OUT_OF_RANGE, NULL,
					  true, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, "\x72\x05\x21\x00\x00\x00\x00\x00", 8);
}

static void test_ua_queue(void **state)
{
	struct ktgt_scsi_ua ua = { 0 };
	u8 rd[10] = { 0x28 };

	assert_int_equal(ktgt_scsi_ua_pop(&ua), KTGT_SR_OK);
	assert_int_equal(ktgt_scsi_ua_check(NULL, rd, 10), KTGT_SR_OK);
	ktgt_scsi_ua_set(&ua, KTGT_SR_UA_REPORTED_LUNS_CHANGED);
	ktgt_scsi_ua_set(&ua, KTGT_SR_UA_NEXUS_LOSS);
	ktgt_scsi_ua_set(&ua, KTGT_SR_UA_NEXUS_LOSS);
	ktgt_scsi_ua_set(&ua, KTGT_SR_LBA_OUT_OF_RANGE);	/* not a UA */
	ktgt_scsi_ua_set(&ua, KTGT_SR_UA_CAPACITY_CHANGED);
	ktgt_scsi_ua_clear(&ua, KTGT_SR_UA_CAPACITY_CHANGED);
	assert_int_equal(ktgt_scsi_ua_check(&ua, rd, 10),
			 KTGT_SR_UA_NEXUS_LOSS);
	assert_int_equal(ktgt_scsi_ua_check(&ua, rd, 10),
			 KTGT_SR_UA_REPORTED_LUNS_CHANGED);
	assert_int_equal(ktgt_scsi_ua_check(&ua, rd, 10), KTGT_SR_OK);
	assert_int_equal(ua.pending, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_fixed_field_pointer),
		cmocka_unit_test(test_fixed_info),
		cmocka_unit_test(test_descriptor),
		cmocka_unit_test(test_ua_queue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
