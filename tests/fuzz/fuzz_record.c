/**
 * @file fuzz_record.c
 * @brief Fuzz target: the certificate record as the decision receives it, from the text
 *	  attribute the verification hook wrote (or anything else in its place): pc_cert_decode,
 *	  pc_cert_encode, then pc_decide, pc_failure_openssl_error and pc_diagnose on the record,
 *	  and pc_reply_plan, against the fixed trust store of tests/fuzz/anchors.
 *
 *   byte 0	policy (fuzz_config variant)
 *   byte 1	the "OpenSSL says error N" code for pc_diagnose
 *   bytes 2-3	days after 2030-06-01 (signed, little-endian): the decision's "now"
 *   byte 4	0: decide on the record as decoded; n: with its issuer_fp replaced by the
 *		fingerprint of anchor (n - 1) modulo the store's size, so that inputs reach the
 *		anchors without spelling 64 hex digits
 *   then	the record text, NUL, Calling-Station-Id, NUL, the Module-Failure-Message text
 *		(each may be missing: the input ends)
 *
 * Properties:
 * - decoding is strict and stable: a refused text leaves an all-zero record; an accepted one
 *   is [0-9a-z;-] only, encodes again, and decode(encode(decode(x))) is decode(x), encoding
 *   to the same text;
 * - no accept unless the record's chain fields say verified (no error, the leaf the only
 *   certificate the phone contributed) directly under an anchor of the store trusted at that
 *   time, and its CN names the device (fuzz_check_accept_record), besides the checks of
 *   fuzz_check_decision;
 * - deciding twice gives the same bytes; a diagnosis never admits, with the record or without;
 * - the OpenSSL error queue stays empty.
 */
#include <ctype.h>
#include <string.h>

#include <openssl/err.h>

#include "fuzz.h"

#define HEADER_LEN 5

int LLVMFuzzerInitialize(UNUSED_ARG int *argc, UNUSED_ARG char ***argv)
{
	(void)fuzz_config(0);
	return 0;
}

/** decode, and what must hold of its result. */
static bool decode_checked(uint8_t const *text, size_t len, pc_cert_t *out)
{
	pc_cert_t zero;
	char again[PC_CERT_RECORD_MAX], third[PC_CERT_RECORD_MAX];
	pc_cert_t back;
	size_t n, m, i;

	if (!pc_cert_decode((char const *)text, len, out)) {
		memset(&zero, 0, sizeof(zero));
		FUZZ_CHECK(memcmp(out, &zero, sizeof(zero)) == 0);
		return false;
	}
	FUZZ_CHECK(len < PC_CERT_RECORD_MAX);
	for (i = 0; i < len; i++) {
		FUZZ_CHECK(isdigit(text[i]) || islower(text[i]) || text[i] == ';' || text[i] == '-');
	}
	n = pc_cert_encode(out, again, sizeof(again));
	FUZZ_CHECK(n > 0 && n == strlen(again) && n <= len);	/* never longer: no leading zeros added */
	FUZZ_CHECK(pc_cert_decode(again, n, &back));
	FUZZ_CHECK(fuzz_cert_equal(out, &back));
	m = pc_cert_encode(&back, third, sizeof(third));
	FUZZ_CHECK(m == n && memcmp(again, third, n) == 0);
	return true;
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx;
	pc_config_t const *cfg;
	uint8_t const *text, *end, *nul;
	char const *csid = NULL, *message = NULL;
	pc_cert_t cert, whole;
	pc_decision_t d, again;
	time_t now;
	size_t len;
	int code;

	if (size < HEADER_LEN) return 0;
	ctx = talloc_new(NULL);
	cfg = fuzz_config(data[0]);
	now = FUZZ_NOW + (time_t)(int16_t)(data[2] | (data[3] << 8)) * 86400;

	/* The record: its bytes in place (a read past them is an ASan report), up to the first NUL. */
	text = data + HEADER_LEN;
	end = data + size;
	nul = memchr(text, '\0', (size_t)(end - text));
	len = (size_t)((nul ? nul : end) - text);
	(void)decode_checked(text, len, &cert);
	if (nul) {
		char *rest = fuzz_string(ctx, nul + 1, (size_t)(end - nul - 1));

		csid = rest;
		if (strlen(rest) < (size_t)(end - nul - 1)) message = rest + strlen(rest) + 1;
	}
	/* The whole input as the text, NULs and all: an embedded NUL is refused. */
	if (decode_checked(text, (size_t)(end - text), &whole)) FUZZ_CHECK(nul == NULL);

	if (data[4] && pc_trust_count(cfg->trust) > 0) {
		pc_anchor_t const *anchor = pc_trust_anchor(cfg->trust, (data[4] - 1u) % pc_trust_count(cfg->trust));

		memcpy(cert.issuer_fp, anchor->fingerprint, sizeof(cert.issuer_fp));
	}

	pc_decide(cfg, &cert, NULL, csid, now, &d);
	fuzz_check_decision(cfg, &d);
	fuzz_check_accept_record(cfg, &cert, &d, now);
	pc_decide(cfg, &cert, NULL, csid, now, &again);
	FUZZ_CHECK(memcmp(&d, &again, sizeof(d)) == 0);

	/* The post-auth path: the code FreeRADIUS logged, or the one found in the message. */
	code = pc_failure_openssl_error(message);
	FUZZ_CHECK(code >= 0 && code <= 10000);
	pc_diagnose(cfg, &cert, data[1], message, now, &d);
	FUZZ_CHECK(!pc_decision_accepts(&d));
	fuzz_check_decision(cfg, &d);
	pc_diagnose(cfg, &cert, code, message, now, &d);
	FUZZ_CHECK(!pc_decision_accepts(&d));
	pc_diagnose(cfg, NULL, code ? code : data[1], message, now, &d);
	FUZZ_CHECK(!pc_decision_accepts(&d));
	fuzz_check_decision(cfg, &d);

	FUZZ_CHECK(ERR_peek_error() == 0);
	talloc_free(ctx);
	return 0;
}
