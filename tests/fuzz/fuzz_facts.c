/**
 * @file fuzz_facts.c
 * @brief Fuzz target: the module's path from TLS-Client-Cert-* / TLS-Cert-* strings to a
 *	  decision: pc_decide, pc_failure_openssl_error and pc_diagnose, then pc_reply_plan,
 *	  against the fixed trust store of tests/fuzz/anchors under one of its policies.
 *
 * rlm_phonecert.c points a pc_cert_facts_t at the attribute strings and calls the core; so
 * does this target, with strings from the input:
 *
 *   byte 0	policy (fuzz_config variant)
 *   byte 1	the "OpenSSL says error N" code for pc_diagnose
 *   bytes 2-3	days after 2030-06-01 (signed, little-endian): the decision's "now"
 *   bytes 4-5	which of the 16 strings are present (bit i = string i; little-endian)
 *   then	16 NUL-terminated strings: the 14 facts in pc_cert_facts_t order,
 *		Calling-Station-Id and the Module-Failure-Message text
 *
 * Properties: the checks of fuzz_check_decision; an accept names its anchor by subject,
 * serial and (for an LSC, always) key identifier; a diagnosis never admits; deciding twice
 * gives the same bytes (no hidden state); the OpenSSL error queue stays empty.
 */
#include <string.h>

#include <openssl/err.h>

#include "fuzz.h"

#define HEADER_LEN 6
#define FIELDS 16

int LLVMFuzzerInitialize(UNUSED_ARG int *argc, UNUSED_ARG char ***argv)
{
	(void)fuzz_config(0);
	return 0;
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx;
	char *text, *p, *end;
	char const *field[FIELDS] = { NULL };
	char const **slot[FIELDS - 2];
	pc_cert_facts_t facts;
	pc_config_t const *cfg;
	pc_decision_t d, again;
	unsigned int present, i;
	time_t now;
	int code;

	if (size < HEADER_LEN) return 0;
	ctx = talloc_new(NULL);
	cfg = fuzz_config(data[0]);
	now = FUZZ_NOW + (time_t)(int16_t)(data[2] | (data[3] << 8)) * 86400;
	present = (unsigned int)(data[4] | (data[5] << 8));

	/* The strings, split at NULs; the last one may end at the end of the input. */
	text = fuzz_string(ctx, data + HEADER_LEN, size - HEADER_LEN);
	end = text + (size - HEADER_LEN);
	for (i = 0, p = text; i < FIELDS && p <= end; i++) {
		if (present & (1U << i)) field[i] = p;
		p += strlen(p) + 1;
	}

	memset(&facts, 0, sizeof(facts));
	slot[0] = &facts.subject;
	slot[1] = &facts.issuer;
	slot[2] = &facts.common_name;
	slot[3] = &facts.serial;
	slot[4] = &facts.authority_key_id;
	slot[5] = &facts.basic_constraints;
	slot[6] = &facts.ext_key_usage;
	slot[7] = &facts.key_usage;
	slot[8] = &facts.not_before;
	slot[9] = &facts.not_after;
	slot[10] = &facts.issuer_subject;
	slot[11] = &facts.issuer_issuer;
	slot[12] = &facts.issuer_serial;
	slot[13] = &facts.issuer_not_after;
	for (i = 0; i < FIELDS - 2; i++) *slot[i] = field[i];

	pc_decide(cfg, &facts, field[14], now, &d);
	fuzz_check_decision(cfg, &d);
	if (pc_decision_accepts(&d)) {
		char aki[130];
		bool named = facts.authority_key_id && pc_keyid_normalise(facts.authority_key_id, aki, sizeof(aki));

		/* An accepted LSC names the key of its CAPF; any certificate that names a key names its anchor's. */
		if (d.kind == PC_KIND_LSC && d.anchor->key_id) FUZZ_CHECK(named);
		if (named && d.anchor->key_id) FUZZ_CHECK(strcmp(aki, d.anchor->key_id) == 0);
		FUZZ_CHECK(strcmp(facts.issuer_subject, d.anchor->subject) == 0);
		FUZZ_CHECK(strcmp(facts.issuer_serial, d.anchor->serial) == 0);
	}
	pc_decide(cfg, &facts, field[14], now, &again);
	FUZZ_CHECK(memcmp(&d, &again, sizeof(d)) == 0);

	/* The post-auth path: the code FreeRADIUS logged, or the one found in the message. */
	code = pc_failure_openssl_error(field[15]);
	FUZZ_CHECK(code >= 0 && code <= 10000);
	pc_diagnose(cfg, &facts, data[1], field[15], &d);
	FUZZ_CHECK(!pc_decision_accepts(&d));
	fuzz_check_decision(cfg, &d);
	pc_diagnose(cfg, &facts, code, field[15], &d);
	FUZZ_CHECK(!pc_decision_accepts(&d));
	fuzz_check_decision(cfg, &d);

	FUZZ_CHECK(ERR_peek_error() == 0);
	talloc_free(ctx);
	return 0;
}
