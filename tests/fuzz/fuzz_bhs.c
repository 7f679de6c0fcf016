// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for src/proto/pdu.c and src/proto/serial.c.
 *
 * Input: a 48-byte BHS followed by AHS bytes. The BHS is decoded; if valid
 * it is re-encoded and decoded again, and both decodes must agree and the
 * encoding must be stable. The tail is fed to the AHS parser in an
 * exactly-sized copy (so ASan sees any over-read); a parsed chain is
 * rebuilt and parsed again. The LUN helpers and the serial comparisons are
 * checked for consistency on bytes of the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ktgt/proto/pdu.h>
#include <ktgt/proto/serial.h>

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

static void fuzz_bhs(const u8 *data)
{
	struct ktgt_pdu a, b;
	u8 enc[KTGT_BHS_LEN], enc2[KTGT_BHS_LEN];
	int rc;

	rc = ktgt_bhs_decode(data, &a);
	CHECK(rc == 0 || rc == -EOPNOTSUPP || rc == -EPROTO || rc == -EINVAL);
	CHECK(a.data_len <= KTGT_MAX_DSL);
	CHECK(ktgt_pdu_opcode_name(a.opcode) != NULL);
	(void)ktgt_bhs_reject_reason(rc);
	CHECK(ktgt_pdu_wire_len(&a, true, true) >= KTGT_BHS_LEN);
	if (rc == -EOPNOTSUPP) {
		CHECK(ktgt_bhs_encode(&a, enc) == -EINVAL);
		return;
	}
	if (rc)
		return;

	CHECK(ktgt_bhs_encode(&a, enc) == 0);
	CHECK(ktgt_bhs_decode(enc, &b) == 0);
	CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	CHECK(ktgt_bhs_encode(&b, enc2) == 0);
	CHECK(memcmp(enc, enc2, KTGT_BHS_LEN) == 0);
	/* the opcode and the fields every PDU has survive unchanged */
	CHECK((enc[0] & KTGT_OPCODE_MASK) == (data[0] & KTGT_OPCODE_MASK));
	CHECK(memcmp(enc + 4, data + 4, 4) == 0);
	CHECK(memcmp(enc + 16, data + 16, 4) == 0);
}

static void fuzz_ahs(const u8 *bhs, const u8 *data, size_t size)
{
	struct ktgt_ahs_info a, b;
	u8 built[KTGT_MAX_AHS_BYTES], cdb[KTGT_MAX_CDB_LEN];
	u8 *copy;
	int n;

	copy = malloc(size ? size : 1);
	CHECK(copy);
	memcpy(copy, data, size);
	if (ktgt_ahs_parse(copy, size, &a) == 0) {
		if (a.ext_cdb) {
			CHECK(a.ext_cdb > copy);
			CHECK(a.ext_cdb + a.ext_cdb_len <= copy + size);
		}
		n = ktgt_cdb_assemble(bhs + 32, &a, cdb, sizeof(cdb));
		CHECK(n == KTGT_CDB_LEN + a.ext_cdb_len);
		n = ktgt_ahs_build(&a, built, sizeof(built));
		CHECK(n >= 0 && n % 4 == 0 && (size_t)n <= size);
		CHECK(ktgt_ahs_parse(built, n, &b) == 0);
		CHECK(b.ext_cdb_len == a.ext_cdb_len);
		CHECK(!a.ext_cdb_len ||
		      memcmp(a.ext_cdb, b.ext_cdb, a.ext_cdb_len) == 0);
		CHECK(b.has_bidi_read_len == a.has_bidi_read_len);
		CHECK(b.bidi_read_len == a.bidi_read_len);
	}
	free(copy);
}

static void fuzz_lun_serial(const u8 *data)
{
	u8 lun[8];
	u64 n, m;
	u32 x = get_unaligned_be32(data + 24);
	u32 y = get_unaligned_be32(data + 28);
	u32 z = get_unaligned_be32(data + 32);

	if (ktgt_lun_decode(data + 8, &n) == 0) {
		CHECK(n <= KTGT_MAX_LUN);
		CHECK(ktgt_lun_encode(n, lun) == 0);
		CHECK(ktgt_lun_decode(lun, &m) == 0 && m == n);
	}

	CHECK(ktgt_sn_lt(x, y) == ktgt_sn_gt(y, x));
	CHECK(!(ktgt_sn_lt(x, y) && ktgt_sn_gt(x, y)));
	CHECK(ktgt_sn_le(x, y) == (x == y || ktgt_sn_lt(x, y)));
	CHECK(ktgt_sn_ge(x, y) == (x == y || ktgt_sn_gt(x, y)));
	if (ktgt_sn_in_window(z, x, y))
		CHECK(ktgt_sn_le(x, z) && ktgt_sn_le(z, y));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < KTGT_BHS_LEN)
		return 0;
	fuzz_bhs(data);
	fuzz_lun_serial(data);
	fuzz_ahs(data, data + KTGT_BHS_LEN, size - KTGT_BHS_LEN);
	return 0;
}
