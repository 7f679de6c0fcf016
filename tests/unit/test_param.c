// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/proto/param.c: key table and negotiation rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <ktgt/proto/param.h>

static struct ktgt_param_limits lim;
static struct ktgt_param_neg neg;
static u8 inbuf[4096], outstore[4096];
static struct ktgt_text_buf out;
static char got[512];

static int setup(void **state)
{
	ktgt_param_limits_default(&lim);
	ktgt_param_init(&neg, &lim, true);
	ktgt_text_buf_init(&out, outstore, sizeof(outstore));
	return 0;
}

/* Parse and answer "K=V|K=V|" in @stage. Returns 0 or the error. */
static int run(u8 stage, const char *s)
{
	u32 n = (u32)strlen(s), i;
	int rc;

	for (i = 0; i < n; i++)
		inbuf[i] = s[i] == '|' ? 0 : (u8)s[i];
	ktgt_text_buf_reset(&out);
	rc = ktgt_param_parse(&neg, stage, inbuf, n);
	if (rc)
		return rc;
	return ktgt_param_respond(&neg, &out);
}

static int oper(const char *s)
{
	return run(KTGT_STAGE_OPERATIONAL, s);
}

/* Value of @key in the output, or NULL. */
static const char *rsp(const char *key)
{
	struct ktgt_text_iter it;
	struct ktgt_kv kv;

	ktgt_text_iter_init(&it, out.buf, out.len);
	while (ktgt_text_next(&it, &kv) > 0) {
		if (ktgt_kv_key_is(&kv, key)) {
			memcpy(got, kv.val, kv.val_len + 1);
			return got;
		}
	}
	return NULL;
}

static int npairs(void)
{
	return ktgt_text_count(out.buf, out.len);
}

static void test_table(void **state)
{
	int k;

	for (k = 0; k < KTGT_KEY_COUNT; k++) {
		const struct ktgt_key_def *d = ktgt_key_def(k);

		assert_non_null(d);
		assert_non_null(d->name);
		assert_int_equal(ktgt_key_lookup(d->name, strlen(d->name)), k);
		assert_true(d->flags & (KTGT_KF_FROM_I | KTGT_KF_FROM_T));
	}
	assert_null(ktgt_key_def(KTGT_KEY_COUNT));
	assert_int_equal(ktgt_key_lookup("MaxBurstLength", 14), KTGT_KEY_MAX_BURST);
	assert_int_equal(ktgt_key_lookup("MaxBurstLengt", 13), -ENOENT);
	assert_int_equal(ktgt_key_lookup("maxburstlength", 14), -ENOENT);
	assert_int_equal(ktgt_key_def(KTGT_KEY_MAX_BURST)->def, 262144);
	assert_int_equal(ktgt_key_def(KTGT_KEY_FIRST_BURST)->def, 65536);
	assert_int_equal(ktgt_key_def(KTGT_KEY_TIME2RETAIN)->def, 20);
	assert_int_equal(ktgt_key_def(KTGT_KEY_MAX_RECV_DSL)->max, 16777215);
	assert_int_equal(ktgt_key_def(KTGT_KEY_ERL)->max, 2);
	assert_int_equal(ktgt_key_def(KTGT_KEY_PROTOCOL_LEVEL)->max, 31);
	assert_int_equal(ktgt_key_def(KTGT_KEY_TIME2WAIT)->type, KTGT_KT_MAX);
	assert_int_equal(ktgt_key_def(KTGT_KEY_INITIAL_R2T)->type, KTGT_KT_OR);
	assert_int_equal(ktgt_key_def(KTGT_KEY_IMMEDIATE_DATA)->type, KTGT_KT_AND);
	assert_true(ktgt_key_def(KTGT_KEY_HEADER_DIGEST)->flags & KTGT_KF_CONN);
	assert_true(ktgt_key_def(KTGT_KEY_MAX_BURST)->flags & KTGT_KF_IRR_DISC);
	assert_false(ktgt_key_def(KTGT_KEY_TARGET_ALIAS)->flags & KTGT_KF_FROM_I);
}

static void test_min_max(void **state)
{
	lim.max_burst = 1048576;
	lim.max_connections = 4;
	lim.erl = 0;
	lim.default_time2wait = 2;
	lim.default_time2retain = 20;
	lim.max_outstanding_r2t = 8;
	assert_int_equal(oper("MaxBurstLength=262144|MaxConnections=8|"
			      "ErrorRecoveryLevel=2|DefaultTime2Wait=0|"
			      "DefaultTime2Retain=60|MaxOutstandingR2T=4|"
			      "iSCSIProtocolLevel=2|"), 0);
	assert_string_equal(rsp("MaxBurstLength"), "262144");
	assert_string_equal(rsp("MaxConnections"), "4");
	assert_string_equal(rsp("ErrorRecoveryLevel"), "0");
	assert_string_equal(rsp("DefaultTime2Wait"), "2");
	assert_string_equal(rsp("DefaultTime2Retain"), "20");
	assert_string_equal(rsp("MaxOutstandingR2T"), "4");
	assert_string_equal(rsp("iSCSIProtocolLevel"), "1");
	assert_int_equal(npairs(), 7);
	assert_int_equal(neg.val.max_burst, 262144);
	assert_int_equal(neg.val.max_connections, 4);
	assert_int_equal(neg.val.default_time2wait, 2);
	assert_int_equal(neg.val.default_time2retain, 20);
	assert_int_equal(neg.val.max_outstanding_r2t, 4);
	assert_int_equal(neg.val.iscsi_protocol_level, 1);
}

static void test_min_target_lower(void **state)
{
	lim.max_burst = 262144;
	lim.erl = 2;
	lim.default_time2wait = 10;
	assert_int_equal(oper("MaxBurstLength=1048576|ErrorRecoveryLevel=1|"
			      "DefaultTime2Wait=5|"), 0);
	assert_string_equal(rsp("MaxBurstLength"), "262144");
	assert_string_equal(rsp("ErrorRecoveryLevel"), "1");
	assert_string_equal(rsp("DefaultTime2Wait"), "10");
	assert_int_equal(neg.val.erl, 1);
}

static void test_booleans(void **state)
{
	lim.initial_r2t = true;
	lim.immediate_data = false;
	lim.data_pdu_in_order = false;
	lim.data_seq_in_order = true;
	assert_int_equal(oper("InitialR2T=No|ImmediateData=Yes|"
			      "DataPDUInOrder=No|DataSequenceInOrder=No|"), 0);
	assert_string_equal(rsp("InitialR2T"), "Yes");
	assert_string_equal(rsp("ImmediateData"), "No");
	assert_string_equal(rsp("DataPDUInOrder"), "No");
	assert_string_equal(rsp("DataSequenceInOrder"), "Yes");
	assert_true(neg.val.initial_r2t);
	assert_false(neg.val.immediate_data);
	assert_false(neg.val.data_pdu_in_order);
	assert_true(neg.val.data_seq_in_order);
}

static void test_booleans_permissive(void **state)
{
	lim.initial_r2t = false;
	lim.immediate_data = true;
	assert_int_equal(oper("InitialR2T=No|ImmediateData=Yes|"), 0);
	assert_string_equal(rsp("InitialR2T"), "No");
	assert_string_equal(rsp("ImmediateData"), "Yes");
	/* bad boolean syntax: Reject, value unchanged */
	setup(NULL);
	assert_int_equal(oper("InitialR2T=no|ImmediateData=1|"), 0);
	assert_string_equal(rsp("InitialR2T"), "Reject");
	assert_string_equal(rsp("ImmediateData"), "Reject");
	assert_true(neg.val.initial_r2t);
}

static void test_digests(void **state)
{
	lim.header_digests = KTGT_DIGEST_NONE;
	lim.data_digests = KTGT_DIGEST_NONE | KTGT_DIGEST_CRC32C;
	assert_int_equal(oper("HeaderDigest=CRC32C,None|DataDigest=CRC32C,None|"), 0);
	assert_string_equal(rsp("HeaderDigest"), "None");
	assert_string_equal(rsp("DataDigest"), "CRC32C");
	assert_false(neg.val.header_digest);
	assert_true(neg.val.data_digest);

	setup(NULL);
	lim.header_digests = KTGT_DIGEST_NONE;
	lim.data_digests = KTGT_DIGEST_CRC32C;
	assert_int_equal(oper("HeaderDigest=CRC32C|DataDigest=None|"), 0);
	assert_string_equal(rsp("HeaderDigest"), "Reject");
	assert_string_equal(rsp("DataDigest"), "Reject");
	/* the default None stands for DataDigest, which we refuse */
	assert_int_equal(ktgt_param_finish(&neg), -EPROTO);
	assert_int_equal(neg.status, 0x0200);

	/* unknown values are skipped, malformed lists rejected */
	setup(NULL);
	assert_int_equal(oper("HeaderDigest=MD5,None|DataDigest=CRC32C,,None|"), 0);
	assert_string_equal(rsp("HeaderDigest"), "None");
	assert_string_equal(rsp("DataDigest"), "Reject");
}

static void test_task_reporting(void **state)
{
	assert_int_equal(oper("TaskReporting=ResponseFence,RFC3720|"), 0);
	assert_string_equal(rsp("TaskReporting"), "RFC3720");
	setup(NULL);
	lim.task_reporting = KTGT_TR_BIT(KTGT_TR_RESPONSE_FENCE);
	assert_int_equal(oper("TaskReporting=FastAbort,ResponseFence,RFC3720|"), 0);
	assert_string_equal(rsp("TaskReporting"), "ResponseFence");
	assert_int_equal(neg.val.task_reporting, KTGT_TR_RESPONSE_FENCE);
	setup(NULL);
	assert_int_equal(oper("TaskReporting=FastAbort|"), 0);
	assert_string_equal(rsp("TaskReporting"), "Reject");
}

static void test_number_formats(void **state)
{
	lim.max_burst = 16777215;
	lim.first_burst = 16777215;
	lim.max_outstanding_r2t = 100;
	assert_int_equal(oper("MaxBurstLength=0x40000|FirstBurstLength=0bAAEAAA==|"
			      "MaxOutstandingR2T=0X10|"), 0);
	assert_string_equal(rsp("MaxBurstLength"), "262144");
	assert_string_equal(rsp("FirstBurstLength"), "65536");
	assert_string_equal(rsp("MaxOutstandingR2T"), "16");
}

static void test_bad_numbers(void **state)
{
	assert_int_equal(oper("MaxBurstLength=100|FirstBurstLength=16777216|"
			      "MaxOutstandingR2T=0|ErrorRecoveryLevel=3|"
			      "DefaultTime2Wait=abc|DefaultTime2Retain=0x|"
			      "MaxConnections=99999999999999999999999|"
			      "iSCSIProtocolLevel=32|"), 0);
	assert_string_equal(rsp("MaxBurstLength"), "Reject");
	assert_string_equal(rsp("FirstBurstLength"), "Reject");
	assert_string_equal(rsp("MaxOutstandingR2T"), "Reject");
	assert_string_equal(rsp("ErrorRecoveryLevel"), "Reject");
	assert_string_equal(rsp("DefaultTime2Wait"), "Reject");
	assert_string_equal(rsp("DefaultTime2Retain"), "Reject");
	assert_string_equal(rsp("MaxConnections"), "Reject");
	assert_string_equal(rsp("iSCSIProtocolLevel"), "Reject");
	/* defaults remain */
	assert_int_equal(neg.val.max_burst, 262144);
	assert_int_equal(neg.val.first_burst, 65536);
	assert_int_equal(ktgt_param_finish(&neg), 0);
}

static void test_not_understood(void **state)
{
	assert_int_equal(oper("X-com.example.foo=bar|X#vendor=1|Bogus=1|"
			      "MaxBurstLength=65536|"), 0);
	assert_string_equal(rsp("X-com.example.foo"), "NotUnderstood");
	assert_string_equal(rsp("X#vendor"), "NotUnderstood");
	assert_string_equal(rsp("Bogus"), "NotUnderstood");
	assert_string_equal(rsp("MaxBurstLength"), "65536");
	assert_int_equal(npairs(), 4);
	/* order of the answers follows the request */
	assert_memory_equal(out.buf, "X-com.example.foo=NotUnderstood", 31);
}

static void test_markers(void **state)
{
	assert_int_equal(oper("OFMarker=Yes|IFMarker=No|OFMarkInt=2048~8192|"
			      "IFMarkInt=2048|"), 0);
	assert_string_equal(rsp("OFMarker"), "Reject");
	assert_string_equal(rsp("IFMarker"), "Reject");
	assert_string_equal(rsp("OFMarkInt"), "Reject");
	assert_string_equal(rsp("IFMarkInt"), "Reject");
}

static void test_first_burst_irrelevant(void **state)
{
	/* FirstBurstLength before the keys it depends on */
	lim.initial_r2t = true;
	lim.immediate_data = true;
	assert_int_equal(oper("FirstBurstLength=65536|InitialR2T=Yes|"
			      "ImmediateData=No|"), 0);
	assert_string_equal(rsp("FirstBurstLength"), "Irrelevant");
	assert_string_equal(rsp("InitialR2T"), "Yes");
	assert_string_equal(rsp("ImmediateData"), "No");
}

static void test_first_burst_capped_by_max_burst(void **state)
{
	lim.max_burst = 1048576;
	lim.first_burst = 1048576;
	assert_int_equal(oper("FirstBurstLength=262144|MaxBurstLength=131072|"), 0);
	assert_string_equal(rsp("MaxBurstLength"), "131072");
	assert_string_equal(rsp("FirstBurstLength"), "131072");
	assert_int_equal(ktgt_param_finish(&neg), 0);
}

static void test_discovery_irrelevant(void **state)
{
	assert_int_equal(run(KTGT_STAGE_SECURITY, "InitiatorName=iqn.i|"
			     "SessionType=Discovery|"), 0);
	assert_int_equal(neg.val.session_type, KTGT_SESSION_DISCOVERY);
	assert_int_equal(oper("MaxBurstLength=65536|InitialR2T=No|"
			      "MaxConnections=2|HeaderDigest=None|"
			      "MaxOutstandingR2T=2|DataPDUInOrder=No|"
			      "ErrorRecoveryLevel=0|"), 0);
	assert_string_equal(rsp("MaxBurstLength"), "Irrelevant");
	assert_string_equal(rsp("InitialR2T"), "Irrelevant");
	assert_string_equal(rsp("MaxConnections"), "Irrelevant");
	assert_string_equal(rsp("MaxOutstandingR2T"), "Irrelevant");
	assert_string_equal(rsp("DataPDUInOrder"), "Irrelevant");
	assert_string_equal(rsp("HeaderDigest"), "None");
	assert_string_equal(rsp("ErrorRecoveryLevel"), "0");
	assert_int_equal(neg.val.max_burst, 262144);
	assert_int_equal(ktgt_param_offer(&neg, &out), 0);
}

static void test_non_leading_session_keys(void **state)
{
	ktgt_param_init(&neg, &lim, false);
	assert_int_equal(oper("MaxBurstLength=65536|HeaderDigest=None|"
			      "MaxRecvDataSegmentLength=65536|"), 0);
	assert_string_equal(rsp("MaxBurstLength"), "Irrelevant");
	assert_string_equal(rsp("HeaderDigest"), "None");
	assert_null(rsp("MaxRecvDataSegmentLength"));
	assert_int_equal(neg.val.max_xmit_dsl, 65536);
}

static void test_duplicates(void **state)
{
	assert_int_equal(oper("MaxBurstLength=65536|MaxBurstLength=65536|"), -EPROTO);
	assert_int_equal(neg.status, 0x0200);
	/* renegotiation in a later request of the same login */
	setup(NULL);
	assert_int_equal(oper("MaxBurstLength=65536|"), 0);
	assert_int_equal(oper("MaxBurstLength=65536|"), -EPROTO);
	assert_int_equal(neg.status, 0x0200);
	/* unknown keys may repeat: NotUnderstood each time */
	setup(NULL);
	assert_int_equal(oper("X-a=1|X-a=2|"), 0);
	assert_int_equal(npairs(), 2);
}

static void test_wrong_direction(void **state)
{
	assert_int_equal(oper("TargetAlias=foo|"), -EPROTO);
	assert_int_equal(neg.status, 0x0200);
	setup(NULL);
	assert_int_equal(oper("TargetPortalGroupTag=1|"), -EPROTO);
	setup(NULL);
	assert_int_equal(run(KTGT_STAGE_SECURITY, "TargetAddress=1.2.3.4:3260,1|"), -EPROTO);
	assert_int_equal(neg.status, 0x0200);
}

static void test_wrong_stage(void **state)
{
	assert_int_equal(run(KTGT_STAGE_SECURITY, "MaxBurstLength=65536|"), -EPROTO);
	assert_int_equal(neg.status, 0x0200);
	setup(NULL);
	assert_int_equal(oper("AuthMethod=None|"), -EPROTO);
	setup(NULL);
	assert_int_equal(oper("CHAP_A=5|"), -EPROTO);
	setup(NULL);
	assert_int_equal(oper("SendTargets=All|"), -EPROTO);
}

static void test_constant_as_offer(void **state)
{
	assert_int_equal(oper("MaxBurstLength=Reject|"), -EPROTO);
	assert_int_equal(neg.status, 0x0200);
	setup(NULL);
	assert_int_equal(oper("InitialR2T=NotUnderstood|"), -EPROTO);
}

static void test_declarations(void **state)
{
	assert_int_equal(run(KTGT_STAGE_SECURITY,
			     "InitiatorName=iqn.1994-05.com.example:i1|"
			     "InitiatorAlias=host one|"
			     "TargetName=iqn.2024-01.org.ktgt:t1|"
			     "SessionType=Normal|"), 0);
	assert_int_equal(out.len, 0);
	assert_string_equal(neg.val.initiator_name, "iqn.1994-05.com.example:i1");
	assert_string_equal(neg.val.initiator_alias, "host one");
	assert_string_equal(neg.val.target_name, "iqn.2024-01.org.ktgt:t1");
	lim.tpgt = 7;
	strcpy(lim.alias, "disk store");
	lim.max_recv_dsl = 262144;
	assert_int_equal(ktgt_param_declare(&neg, KTGT_STAGE_SECURITY, true, &out), 0);
	assert_string_equal(rsp("TargetPortalGroupTag"), "7");
	assert_string_equal(rsp("TargetAlias"), "disk store");
	assert_null(rsp("MaxRecvDataSegmentLength"));
	/* only once */
	ktgt_text_buf_reset(&out);
	assert_int_equal(ktgt_param_declare(&neg, KTGT_STAGE_SECURITY, true, &out), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(oper("MaxRecvDataSegmentLength=65536|"), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(ktgt_param_declare(&neg, KTGT_STAGE_OPERATIONAL, false, &out), 0);
	assert_string_equal(rsp("MaxRecvDataSegmentLength"), "262144");
	assert_int_equal(ktgt_param_finish(&neg), 0);
	assert_int_equal(neg.val.max_recv_dsl, 262144);
	assert_int_equal(neg.val.max_xmit_dsl, 65536);
}

static void test_bad_declarations(void **state)
{
	char name[300];

	memset(name, 'a', sizeof(name));
	memcpy(name, "InitiatorName=", 14);
	strcpy(name + 14 + 224, "|");
	assert_int_equal(run(KTGT_STAGE_SECURITY, name), -EPROTO);	/* 224 chars */
	assert_int_equal(neg.status, 0x0200);
	setup(NULL);
	strcpy(name + 14 + 223, "|");
	assert_int_equal(run(KTGT_STAGE_SECURITY, name), 0);		/* 223 chars */
	assert_int_equal(strlen(neg.val.initiator_name), 223);
	setup(NULL);
	assert_int_equal(run(KTGT_STAGE_SECURITY, "SessionType=Bogus|"), -EPROTO);
	assert_int_equal(neg.status, 0x0209);
	setup(NULL);
	assert_int_equal(oper("MaxRecvDataSegmentLength=511|"), -EPROTO);
	setup(NULL);
	assert_int_equal(run(KTGT_STAGE_SECURITY, "InitiatorName=|"), -EPROTO);
	setup(NULL);
	assert_int_equal(run(KTGT_STAGE_SECURITY, "TargetName=a\tb|"), -EPROTO);
}

static void test_target_offers(void **state)
{
	lim.max_burst = 65536;
	lim.first_burst = 16384;
	lim.immediate_data = false;
	lim.header_digests = KTGT_DIGEST_CRC32C;
	lim.default_time2wait = 5;
	assert_int_equal(oper("InitialR2T=Yes|"), 0);
	ktgt_text_buf_reset(&out);
	assert_true(ktgt_param_wants_operational(&neg));
	/* ImmediateData is not settled yet, so FirstBurstLength is offered */
	assert_int_equal(ktgt_param_offer(&neg, &out), 5);
	assert_string_equal(rsp("MaxBurstLength"), "65536");
	assert_string_equal(rsp("ImmediateData"), "No");
	assert_string_equal(rsp("HeaderDigest"), "CRC32C");
	assert_string_equal(rsp("DefaultTime2Wait"), "5");
	assert_string_equal(rsp("FirstBurstLength"), "16384");
	assert_true(ktgt_param_offers_pending(&neg));
	/* answers: nothing is sent back */
	assert_int_equal(oper("MaxBurstLength=32768|ImmediateData=No|"
			      "HeaderDigest=CRC32C|DefaultTime2Wait=10|"), 0);
	assert_int_equal(out.len, 0);
	assert_true(ktgt_param_offers_pending(&neg));
	assert_int_equal(oper("FirstBurstLength=8192|"), 0);
	assert_int_equal(out.len, 0);
	assert_false(ktgt_param_offers_pending(&neg));
	assert_int_equal(ktgt_param_finish(&neg), 0);
	assert_int_equal(neg.val.max_burst, 32768);
	assert_false(neg.val.immediate_data);
	assert_true(neg.val.header_digest);
	assert_int_equal(neg.val.default_time2wait, 10);
	/* nothing more to offer */
	assert_int_equal(ktgt_param_offer(&neg, &out), 0);
}

static void test_offer_answers_bad(void **state)
{
	lim.max_burst = 65536;
	assert_int_equal(ktgt_param_offer(&neg, &out), 1);
	assert_int_equal(oper("MaxBurstLength=131072|"), -EPROTO);	/* above offer */
	assert_int_equal(neg.status, 0x0200);

	setup(NULL);
	lim.header_digests = KTGT_DIGEST_CRC32C;
	assert_int_equal(ktgt_param_offer(&neg, &out), 1);
	assert_int_equal(oper("HeaderDigest=None|"), -EPROTO);

	setup(NULL);
	lim.immediate_data = false;
	assert_int_equal(ktgt_param_offer(&neg, &out), 1);
	assert_int_equal(oper("ImmediateData=Yes|"), -EPROTO);

	/* Reject leaves a default we cannot accept */
	setup(NULL);
	lim.max_burst = 65536;
	assert_int_equal(ktgt_param_offer(&neg, &out), 1);
	assert_int_equal(oper("MaxBurstLength=Reject|"), 0);
	assert_int_equal(ktgt_param_finish(&neg), -EPROTO);
	assert_int_equal(neg.status, 0x0200);
}

static void test_rdma_tcp(void **state)
{
	lim.iser = false;
	assert_int_equal(oper("RDMAExtensions=Yes|TargetRecvDataSegmentLength=65536|"
			      "MaxOutstandingUnexpectedPDUs=8|"), 0);
	assert_string_equal(rsp("RDMAExtensions"), "No");
	assert_string_equal(rsp("TargetRecvDataSegmentLength"), "Irrelevant");
	assert_string_equal(rsp("MaxOutstandingUnexpectedPDUs"), "Irrelevant");
	assert_false(neg.val.rdma_extensions);
}

static void test_rdma_iser(void **state)
{
	lim.iser = true;
	lim.target_recv_dsl = 65536;
	lim.initiator_recv_dsl = 262144;
	lim.max_outstanding_unexpected_pdus = 0;
	lim.max_recv_dsl = 262144;
	/* iSER keys before RDMAExtensions in the same request */
	assert_int_equal(oper("TargetRecvDataSegmentLength=262144|"
			      "InitiatorRecvDataSegmentLength=131072|"
			      "MaxOutstandingUnexpectedPDUs=16|"
			      "HeaderDigest=CRC32C,None|RDMAExtensions=Yes|"), 0);
	assert_string_equal(rsp("RDMAExtensions"), "Yes");
	assert_string_equal(rsp("TargetRecvDataSegmentLength"), "65536");
	assert_string_equal(rsp("InitiatorRecvDataSegmentLength"), "131072");
	assert_string_equal(rsp("MaxOutstandingUnexpectedPDUs"), "16");
	assert_string_equal(rsp("HeaderDigest"), "None");
	assert_true(neg.val.rdma_extensions);
	assert_int_equal(neg.val.target_recv_dsl, 65536);
	assert_int_equal(neg.val.initiator_recv_dsl, 131072);
	assert_int_equal(neg.val.max_outstanding_unexpected_pdus, 16);
	/* no MaxRecvDataSegmentLength declaration with RDMAExtensions=Yes */
	ktgt_text_buf_reset(&out);
	assert_int_equal(ktgt_param_declare(&neg, KTGT_STAGE_OPERATIONAL, false, &out), 0);
	assert_int_equal(out.len, 0);
}

static void test_moup_zero_unlimited(void **state)
{
	lim.iser = true;
	lim.max_outstanding_unexpected_pdus = 32;
	assert_int_equal(oper("RDMAExtensions=Yes|MaxOutstandingUnexpectedPDUs=0|"), 0);
	assert_string_equal(rsp("MaxOutstandingUnexpectedPDUs"), "32");
	setup(NULL);
	lim.iser = true;
	assert_int_equal(oper("RDMAExtensions=Yes|MaxOutstandingUnexpectedPDUs=1|"), 0);
	assert_string_equal(rsp("MaxOutstandingUnexpectedPDUs"), "Reject");
	/* we want a limit the initiator did not mention: offer it */
	setup(NULL);
	lim.iser = true;
	lim.max_outstanding_unexpected_pdus = 8;
	assert_int_equal(oper("RDMAExtensions=Yes|"), 0);
	ktgt_text_buf_reset(&out);
	assert_int_equal(ktgt_param_offer(&neg, &out), 1);
	assert_string_equal(rsp("MaxOutstandingUnexpectedPDUs"), "8");
}

static void test_text_phase(void **state)
{
	struct ktgt_negotiated cur;

	ktgt_negotiated_default(&cur);
	cur.max_xmit_dsl = 8192;
	ktgt_param_init_text(&neg, &lim, &cur);
	assert_int_equal(run(KTGT_STAGE_FFP, "SendTargets=All|"
			     "MaxRecvDataSegmentLength=131072|MaxBurstLength=512|"
			     "X-foo=1|InitiatorName=iqn.x|"), 0);
	assert_string_equal(neg.value[KTGT_KEY_SEND_TARGETS], "All");
	assert_null(rsp("SendTargets"));
	assert_null(rsp("MaxRecvDataSegmentLength"));
	assert_string_equal(rsp("MaxBurstLength"), "Reject");
	assert_string_equal(rsp("InitiatorName"), "Reject");
	assert_string_equal(rsp("X-foo"), "NotUnderstood");
	assert_int_equal(neg.val.max_xmit_dsl, 131072);
	assert_int_equal(neg.val.max_burst, 262144);
	assert_int_equal(ktgt_param_finish(&neg), 0);
}

static void test_output_full(void **state)
{
	u8 small[20];

	ktgt_text_buf_init(&out, small, sizeof(small));
	assert_int_equal(ktgt_param_parse(&neg, KTGT_STAGE_OPERATIONAL,
					  (const u8 *)"MaxBurstLength=65536\0X-long-key=1", 34), 0);
	assert_int_equal(ktgt_param_respond(&neg, &out), -ENOSPC);
}

static void test_malformed_text(void **state)
{
	assert_int_equal(oper("MaxBurstLength|"), -EPROTO);
	assert_int_equal(neg.status, 0x0200);
	setup(NULL);
	assert_int_equal(ktgt_param_parse(&neg, KTGT_STAGE_OPERATIONAL,
					  (const u8 *)"MaxBurstLength=1", 16), -EPROTO);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_table),
		T(test_min_max),
		T(test_min_target_lower),
		T(test_booleans),
		T(test_booleans_permissive),
		T(test_digests),
		T(test_task_reporting),
		T(test_number_formats),
		T(test_bad_numbers),
		T(test_not_understood),
		T(test_markers),
		T(test_first_burst_irrelevant),
		T(test_first_burst_capped_by_max_burst),
		T(test_discovery_irrelevant),
		T(test_non_leading_session_keys),
		T(test_duplicates),
		T(test_wrong_direction),
		T(test_wrong_stage),
		T(test_constant_as_offer),
		T(test_declarations),
		T(test_bad_declarations),
		T(test_target_offers),
		T(test_offer_answers_bad),
		T(test_rdma_tcp),
		T(test_rdma_iser),
		T(test_moup_zero_unlimited),
		T(test_text_phase),
		T(test_output_full),
		T(test_malformed_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
