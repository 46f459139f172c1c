/**
 * @file test_radius_packet.c
 * @brief The RFC 5176 encoder and answer checker against packets computed independently
 *	  (tests/disconnect/radius_vectors.py: Python's hashlib and hmac).
 *
 * PHONECERT_VECTORS names the generator (make test-disconnect sets it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radius_packet.h"

#define SECRET "s3cr3t-switch"

/** Run the generator with args; its hex output decoded into out.  Fails the test on error. */
static size_t vectors(uint8_t *out, size_t size, char const *args)
{
	char const	*gen = getenv("PHONECERT_VECTORS");
	char		cmd[4096], hex[2 * PC_RADIUS_MAX_LEN + 8];
	FILE		*fp;
	size_t		len, i;

	if (!gen) fail_msg("PHONECERT_VECTORS is not set (make test-disconnect sets it)");
	snprintf(cmd, sizeof(cmd), "python3 '%s' %s", gen, args);
	fp = popen(cmd, "r");
	if (!fp) fail_msg("cannot run %s", cmd);
	if (!fgets(hex, sizeof(hex), fp)) hex[0] = '\0';
	if (pclose(fp) != 0) fail_msg("%s failed", cmd);
	len = strcspn(hex, "\n");
	if (len % 2 || len / 2 > size) fail_msg("%s: odd output", cmd);
	for (i = 0; i < len / 2; i++) {
		unsigned int byte;

		if (sscanf(hex + 2 * i, "%2x", &byte) != 1) fail_msg("%s: not hex", cmd);
		out[i] = (uint8_t)byte;
	}
	return len / 2;
}

static void to_hex(uint8_t const *data, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++) sprintf(out + 2 * i, "%02x", data[i]);
	out[2 * len] = '\0';
}

/** A Disconnect-Request as the command builds it (id 7). */
static void build_disconnect(pc_radius_request_t *req)
{
	static uint8_t const ip[4] = { 10, 1, 2, 3 };
	pc_error_t err;

	pc_radius_request_init(req, PC_RADIUS_DISCONNECT_REQUEST, 7);
	assert_int_equal(pc_radius_request_add_string(req, PC_RADIUS_CALLING_STATION_ID, "00-1E-7A-C3-D1-AB", &err), 0);
	assert_int_equal(pc_radius_request_add(req, PC_RADIUS_NAS_IP_ADDRESS, ip, sizeof(ip), &err), 0);
	assert_int_equal(pc_radius_request_add_string(req, PC_RADIUS_NAS_PORT_ID, "GigabitEthernet1/0/7", &err), 0);
	assert_int_equal(pc_radius_request_add_uint32(req, PC_RADIUS_EVENT_TIMESTAMP, 0x6553f100, &err), 0);
	assert_int_equal(pc_radius_request_sign(req, (uint8_t const *)SECRET, strlen(SECRET), &err), 0);
}

static void test_disconnect_request_matches_independent_encoding(void **state)
{
	pc_radius_request_t	req;
	uint8_t			want[PC_RADIUS_MAX_LEN];
	char			args[1024], csid[64], port[64];
	size_t			len;

	(void)state;
	build_disconnect(&req);
	to_hex((uint8_t const *)"00-1E-7A-C3-D1-AB", 17, csid);
	to_hex((uint8_t const *)"GigabitEthernet1/0/7", 20, port);
	snprintf(args, sizeof(args), "request 40 7 " SECRET " 31=%s 4=0a010203 87=%s 55=6553f100", csid, port);
	len = vectors(want, sizeof(want), args);
	assert_int_equal(req.len, len);
	assert_memory_equal(req.data, want, len);
	/* Length in the header, Message-Authenticator last. */
	assert_int_equal(((size_t)req.data[2] << 8) | req.data[3], req.len);
	assert_int_equal(req.data[req.len - 18], PC_RADIUS_MESSAGE_AUTHENTICATOR);
}

static void test_coa_reauth_request_matches_independent_encoding(void **state)
{
	static char const avpair[] = "subscriber:command=reauthenticate";
	pc_radius_request_t	req;
	pc_error_t		err;
	uint8_t			want[PC_RADIUS_MAX_LEN];
	char			args[1024], hex[256];
	size_t			len;

	(void)state;
	pc_radius_request_init(&req, PC_RADIUS_COA_REQUEST, 200);
	assert_int_equal(pc_radius_request_add_string(&req, PC_RADIUS_CALLING_STATION_ID, "001e.7ac3.d1ab", &err), 0);
	assert_int_equal(pc_radius_request_add_vsa(&req, PC_RADIUS_VENDOR_CISCO, PC_RADIUS_CISCO_AVPAIR,
						   avpair, strlen(avpair), &err), 0);
	assert_int_equal(pc_radius_request_sign(&req, (uint8_t const *)"k", 1, &err), 0);

	/* Vendor-Specific: vendor 9, type 1, length 2 + value. */
	to_hex((uint8_t const *)avpair, strlen(avpair), hex);
	snprintf(args, sizeof(args), "request 43 200 k 31=303031652e376163332e64316162 26=00000009%02x%02x%s",
		 1, (unsigned int)strlen(avpair) + 2, hex);
	len = vectors(want, sizeof(want), args);
	assert_int_equal(req.len, len);
	assert_memory_equal(req.data, want, len);
}

/** Answer req with the generator: "answer CODE ID AUTH SECRET FORM ATTRS". */
static size_t make_answer(pc_radius_request_t const *req, uint8_t *out, int code, int id,
			  char const *secret, char const *form, char const *attrs)
{
	char auth[2 * PC_RADIUS_AUTH_LEN + 1], args[1024];

	to_hex(req->data + 4, PC_RADIUS_AUTH_LEN, auth);
	snprintf(args, sizeof(args), "answer %d %d %s '%s' %s %s", code, id, auth, secret, form, attrs);
	return vectors(out, PC_RADIUS_MAX_LEN, args);
}

static void test_answers_accepted(void **state)
{
	pc_radius_request_t	req;
	pc_radius_answer_t	answer;
	pc_error_t		err;
	uint8_t			pkt[PC_RADIUS_MAX_LEN];
	size_t			len;

	(void)state;
	build_disconnect(&req);

	len = make_answer(&req, pkt, PC_RADIUS_DISCONNECT_ACK, 7, SECRET, "none", "");
	assert_int_equal(pc_radius_answer_check(&req, pkt, len, (uint8_t const *)SECRET, strlen(SECRET), &answer, &err), 0);
	assert_true(answer.ack);
	assert_false(answer.has_msg_auth);
	assert_false(answer.has_error_cause);

	/* RFC 5176's form of the answer's Message-Authenticator, with Error-Cause 503. */
	len = make_answer(&req, pkt, PC_RADIUS_DISCONNECT_NAK, 7, SECRET, "request", "101=000001f7");
	assert_int_equal(pc_radius_answer_check(&req, pkt, len, (uint8_t const *)SECRET, strlen(SECRET), &answer, &err), 0);
	assert_false(answer.ack);
	assert_int_equal(answer.code, PC_RADIUS_DISCONNECT_NAK);
	assert_true(answer.has_msg_auth);
	assert_true(answer.has_error_cause);
	assert_int_equal(answer.error_cause, 503);
	assert_string_equal(pc_radius_error_cause_name(answer.error_cause), "Session-Context-Not-Found");

	/* FreeRADIUS 3's form (zero authenticator). */
	len = make_answer(&req, pkt, PC_RADIUS_DISCONNECT_ACK, 7, SECRET, "zero", "");
	assert_int_equal(pc_radius_answer_check(&req, pkt, len, (uint8_t const *)SECRET, strlen(SECRET), &answer, &err), 0);
	assert_true(answer.ack);
	assert_true(answer.has_msg_auth);

	/* Padding beyond Length is ignored (RFC 2865 section 3). */
	len = make_answer(&req, pkt, PC_RADIUS_DISCONNECT_ACK, 7, SECRET, "none", "");
	pkt[len] = 0xee;
	assert_int_equal(pc_radius_answer_check(&req, pkt, len + 1, (uint8_t const *)SECRET, strlen(SECRET), &answer, &err), 0);
}

typedef struct {
	char const	*what;
	int		code, id;
	char const	*secret, *form, *attrs;
	char const	*why;		//!< Expected in the error message.
	int		truncate;	//!< Bytes removed from the end.
} refusal_case_t;

static void test_answers_refused(void **state)
{
	static refusal_case_t const cases[] = {
		{ "another secret", 41, 7, "wrong", "none", "", "Response Authenticator", 0 },
		{ "another identifier", 41, 8, SECRET, "none", "", "identifier 8", 0 },
		{ "CoA-ACK to a Disconnect-Request", 44, 7, SECRET, "none", "", "does not answer", 0 },
		{ "Access-Accept", 2, 7, SECRET, "none", "", "does not answer", 0 },
		{ "Message-Authenticator keyed otherwise", 41, 7, SECRET, "bad:wrong", "", "Message-Authenticator", 0 },
		{ "attribute of length 1", 41, 7, SECRET, "none", "101=raw:6501", "malformed attribute", 0 },
		{ "attribute overrunning the packet", 41, 7, SECRET, "none", "101=raw:6508000001f7", "malformed attribute", 0 },
		{ "short Error-Cause", 42, 7, SECRET, "none", "101=0001f7", "Error-Cause", 0 },
		{ "two Error-Causes", 42, 7, SECRET, "none", "101=000001f7 101=000001f8", "Error-Cause", 0 },
		{ "Length beyond the datagram", 41, 7, SECRET, "none", "101=000001f7", "Length", 3 },
		{ "shorter than a header", 41, 7, SECRET, "none", "", "bytes", 5 },
	};
	pc_radius_request_t	req;
	pc_radius_answer_t	answer;
	pc_error_t		err;
	uint8_t			pkt[PC_RADIUS_MAX_LEN];
	size_t			len, i;

	(void)state;
	build_disconnect(&req);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		refusal_case_t const *c = &cases[i];

		len = make_answer(&req, pkt, c->code, c->id, c->secret, c->form, c->attrs);
		err.msg[0] = '\0';
		if (pc_radius_answer_check(&req, pkt, len - (size_t)c->truncate, (uint8_t const *)SECRET,
					   strlen(SECRET), &answer, &err) == 0) {
			fail_msg("%s: accepted", c->what);
		}
		if (!strstr(err.msg, c->why)) fail_msg("%s: error '%s' lacks '%s'", c->what, err.msg, c->why);
	}

	/* One flipped bit anywhere in a signed answer is refused. */
	len = make_answer(&req, pkt, 42, 7, SECRET, "request", "101=000001f7");
	for (i = 0; i < len * 8; i++) {
		pkt[i / 8] ^= (uint8_t)(1u << (i % 8));
		assert_int_equal(pc_radius_answer_check(&req, pkt, len, (uint8_t const *)SECRET, strlen(SECRET),
							&answer, &err), -1);
		pkt[i / 8] ^= (uint8_t)(1u << (i % 8));
	}
	assert_int_equal(pc_radius_answer_check(&req, pkt, len, (uint8_t const *)SECRET, strlen(SECRET), &answer, &err), 0);
}

static void test_encoder_limits(void **state)
{
	pc_radius_request_t	req;
	pc_radius_answer_t	answer;
	pc_error_t		err;
	char			big[300];
	uint8_t			pkt[64];
	unsigned int		i;

	(void)state;
	memset(big, 'x', sizeof(big));
	pc_radius_request_init(&req, PC_RADIUS_DISCONNECT_REQUEST, 1);
	assert_int_equal(pc_radius_request_add(&req, PC_RADIUS_NAS_PORT_ID, big, 254, &err), -1);
	assert_int_equal(pc_radius_request_add(&req, PC_RADIUS_NAS_PORT_ID, big, 0, &err), -1);
	assert_int_equal(pc_radius_request_add(&req, PC_RADIUS_NAS_PORT_ID, big, 253, &err), 0);
	assert_int_equal(pc_radius_request_add_vsa(&req, 9, 1, big, 248, &err), -1);

	/* 4096 bytes at most, with room kept for the Message-Authenticator. */
	pc_radius_request_init(&req, PC_RADIUS_DISCONNECT_REQUEST, 1);
	for (i = 0; i < 100 && pc_radius_request_add(&req, PC_RADIUS_NAS_PORT_ID, big, 253, &err) == 0; i++);
	assert_true(i < 100);
	assert_non_null(strstr(err.msg, "4096"));
	assert_int_equal(pc_radius_request_sign(&req, (uint8_t const *)"k", 1, &err), 0);
	assert_true(req.len <= PC_RADIUS_MAX_LEN);
	assert_int_equal(pc_radius_request_add(&req, PC_RADIUS_NAS_PORT_ID, big, 1, &err), -1);

	/* An unsigned request cannot match an answer. */
	pc_radius_request_init(&req, PC_RADIUS_DISCONNECT_REQUEST, 1);
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 41;
	pkt[1] = 1;
	pkt[3] = 20;
	assert_int_equal(pc_radius_answer_check(&req, pkt, 20, (uint8_t const *)"k", 1, &answer, &err), -1);

	assert_null(pc_radius_error_cause_name(999));
	assert_string_equal(pc_radius_error_cause_name(201), "Residual-Context-Removed");
	assert_string_equal(pc_radius_code_name(45), "CoA-NAK");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disconnect_request_matches_independent_encoding),
		cmocka_unit_test(test_coa_reauth_request_matches_independent_encoding),
		cmocka_unit_test(test_answers_accepted),
		cmocka_unit_test(test_answers_refused),
		cmocka_unit_test(test_encoder_limits),
	};

	return cmocka_run_group_tests_name("radius_packet", tests, NULL, NULL);
}
