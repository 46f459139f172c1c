/**
 * @file test_trust.c
 * @brief The trust store: anchors identified by certificate (subject, serial, key), never by name.
 */
#include "unit.h"

#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <phonecert/trust.h>

/** Add PKI_DIR/NAME.crt to trust under its own name; fails the test if refused. */
static pc_anchor_t const *add(pc_trust_t *trust, char const *name, pc_role_t role, pc_state_t state)
{
	pc_error_t err = { .msg = "" };
	char *path = unit_pki_path(trust, talloc_asprintf(trust, "%s.crt", name));

	if (pc_trust_add_file(trust, name, path, role, state, 0, &err) != 0) fail_msg("%s refused: %s", name, err.msg);
	return pc_trust_anchor(trust, pc_trust_count(trust) - 1);
}

static char *hex(TALLOC_CTX *ctx, unsigned char const *data, size_t len)
{
	char *out = talloc_strdup(ctx, "");
	size_t i;

	for (i = 0; i < len; i++) out = talloc_asprintf_append(out, "%02x", data[i]);
	assert_non_null(out);
	return out;
}

static void test_trust_anchor_fields(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);
	pc_anchor_t const *a;
	X509 *cert = unit_cert("capf-a");
	ASN1_OCTET_STRING const *ski = X509_get0_subject_key_id(cert);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	assert_int_equal(pc_trust_count(trust), 0);
	a = add(trust, "capf-a", PC_ROLE_LSC, PC_STATE_ACTIVE);
	assert_int_equal(pc_trust_count(trust), 1);
	assert_ptr_equal(pc_trust_anchor(trust, 0), a);
	assert_null(pc_trust_anchor(trust, 1));

	assert_string_equal(a->name, "capf-a");
	assert_string_equal(a->file, unit_pki_path(ctx, "capf-a.crt"));
	assert_int_equal(a->role, PC_ROLE_LSC);
	assert_int_equal(a->state, PC_STATE_ACTIVE);
	assert_string_equal(a->subject, "/C=IN/ST=Karnataka/L=Bangalore/O=Example Corp/OU=VTG/CN=CAPF-a6d4c572");
	assert_string_equal(a->common_name, "CAPF-a6d4c572");
	assert_string_equal(a->serial, pc_x509_serial_hex(ctx, cert));
	assert_string_equal(a->key_id, hex(ctx, ski->data, (size_t)ski->length));
	assert_int_equal(X509_digest(cert, EVP_sha256(), md, &mdlen), 1);
	assert_string_equal(a->fingerprint, hex(ctx, md, mdlen));
	assert_int_equal(a->not_before, unit_asn1_time(X509_get0_notBefore(cert)));
	assert_int_equal(a->not_after, unit_asn1_time(X509_get0_notAfter(cert)));
	assert_string_equal(a->key_desc, "RSA-2048");
	assert_int_equal(a->sig_nid, NID_sha256WithRSAEncryption);
	assert_int_equal(X509_cmp(a->cert, cert), 0);
	X509_free(cert);

	a = add(trust, "capf-b", PC_ROLE_LSC, PC_STATE_DISABLED);
	assert_string_equal(a->key_desc, "EC-prime256v1");
	assert_int_equal(a->sig_nid, NID_ecdsa_with_SHA256);
	assert_int_equal(a->state, PC_STATE_DISABLED);

	a = add(trust, "legacy-int", PC_ROLE_MIC, PC_STATE_ACTIVE);
	assert_int_equal(a->sig_nid, NID_sha1WithRSAEncryption);	/* for the legacy warning */
	assert_int_equal(a->role, PC_ROLE_MIC);
	assert_int_equal(pc_trust_count(trust), 3);
}

static void test_trust_retiring_keeps_deadline(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);
	pc_error_t err = { .msg = "" };

	assert_int_equal(pc_trust_add_file(trust, "old", unit_pki_path(ctx, "capf-a-old.crt"), PC_ROLE_LSC,
					   PC_STATE_RETIRING, 1814313600, &err), 0);
	assert_int_equal(pc_trust_anchor(trust, 0)->trust_until, 1814313600);
	assert_int_equal(pc_trust_anchor(trust, 0)->state, PC_STATE_RETIRING);
}

static void test_trust_names(UNUSED void **state)
{
	assert_string_equal(pc_role_name(PC_ROLE_LSC), "lsc");
	assert_string_equal(pc_role_name(PC_ROLE_MIC), "mic");
	assert_string_equal(pc_role_name((pc_role_t)0), "invalid");
	assert_string_equal(pc_state_name(PC_STATE_ACTIVE), "active");
	assert_string_equal(pc_state_name(PC_STATE_RETIRING), "retiring");
	assert_string_equal(pc_state_name(PC_STATE_DISABLED), "disabled");
	assert_string_equal(pc_state_name((pc_state_t)3), "invalid");
}

/*
 *	Issuer lookup.
 */
typedef struct {
	char const	*leaf;
	char const	*issuer;	//!< Depth-1 certificate the facts are built with.
	pc_match_t	match;
	char const	*anchor;	//!< Expected anchor name when found.
} lookup_case_t;

static void check_lookups(TALLOC_CTX *ctx, pc_trust_t const *trust, lookup_case_t const *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		pc_cert_facts_t facts;
		pc_anchor_t const *found = (pc_anchor_t const *)ctx;
		pc_match_t match;

		unit_facts(ctx, cases[i].leaf, cases[i].issuer, &facts);
		match = pc_trust_find_issuer(trust, &facts, &found);
		if (match != cases[i].match) {
			fail_msg("%s (issuer %s): match %d, expected %d", cases[i].leaf, cases[i].issuer, match, cases[i].match);
		}
		if (cases[i].anchor) {
			assert_non_null(found);
			if (strcmp(found->name, cases[i].anchor) != 0) {
				fail_msg("%s: found anchor %s, expected %s", cases[i].leaf, found->name, cases[i].anchor);
			}
		} else {
			assert_null(found);
		}
	}
}

/* A regenerated CAPF keeps its subject: the old and the new one are told apart by serial and key. */
static void test_trust_rollover_pair(void **state)
{
	static lookup_case_t const cases[] = {
		{ "lsc-a",		"capf-a",	PC_MATCH_FOUND,		"capf-a" },
		{ "lsc-a-ec",		"capf-a",	PC_MATCH_FOUND,		"capf-a" },
		{ "lsc-a-old",		"capf-a-old",	PC_MATCH_FOUND,		"capf-a-old" },
		{ "host-no-ski-aki",	"capf-a",	PC_MATCH_FOUND,		"capf-a" },	/* by serial alone */
		{ "lsc-b",		"capf-b",	PC_MATCH_NONE,		NULL },
		{ "lsc-c",		"capf-c",	PC_MATCH_NONE,		NULL },
		{ "mic-8861",		"mfg-int",	PC_MATCH_FOUND,		"mfg-int" },
		{ "lsc-a",		NULL,		PC_MATCH_NO_FACTS,	NULL },
		/* The issuer facts of the other CAPF of the pair: its serial does not match the AKI's key. */
		{ "lsc-a-old",		"capf-a",	PC_MATCH_KEY_MISMATCH,	NULL },
		{ "lsc-a",		"capf-a-old",	PC_MATCH_KEY_MISMATCH,	NULL },
	};
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);

	add(trust, "capf-a", PC_ROLE_LSC, PC_STATE_ACTIVE);
	add(trust, "capf-a-old", PC_ROLE_LSC, PC_STATE_ACTIVE);
	add(trust, "mfg-int", PC_ROLE_MIC, PC_STATE_ACTIVE);
	check_lookups(ctx, trust, cases, UNIT_COUNT(cases));
}

/*
 *	rogue-a has capf-a's subject and serial with its own key: with only capf-a uploaded its
 *	leaves are a key mismatch, never capf-a's.
 */
static void test_trust_rogue_key_mismatch(void **state)
{
	static lookup_case_t const cases[] = {
		{ "lsc-rogue",		"rogue-a",	PC_MATCH_KEY_MISMATCH,	NULL },
		/* Claims capf-a's key id: the lookup finds capf-a; only the signature check (done by
		 * OpenSSL in the handshake, error 7) can refuse it. */
		{ "lsc-rogue-ski",	"rogue-a-ski",	PC_MATCH_FOUND,		"capf-a" },
		{ "lsc-a",		"capf-a",	PC_MATCH_FOUND,		"capf-a" },
	};
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);

	add(trust, "capf-a", PC_ROLE_LSC, PC_STATE_ACTIVE);
	check_lookups(ctx, trust, cases, UNIT_COUNT(cases));
}

/* Both uploaded: each leaf goes to its own CA by key; a leaf without AKI cannot be placed. */
static void test_trust_ambiguous(void **state)
{
	static lookup_case_t const cases[] = {
		{ "lsc-a",		"capf-a",	PC_MATCH_FOUND,		"capf-a" },
		{ "lsc-rogue",		"rogue-a",	PC_MATCH_FOUND,		"rogue-a" },
		{ "host-no-ski-aki",	"capf-a",	PC_MATCH_AMBIGUOUS,	NULL },
	};
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);

	add(trust, "capf-a", PC_ROLE_LSC, PC_STATE_ACTIVE);
	add(trust, "rogue-a", PC_ROLE_LSC, PC_STATE_ACTIVE);
	check_lookups(ctx, trust, cases, UNIT_COUNT(cases));
}

/* Matching needs the issuer's subject as well as its serial. */
static void test_trust_subject_must_match(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);
	pc_cert_facts_t facts;
	pc_anchor_t const *found;

	add(trust, "capf-a", PC_ROLE_LSC, PC_STATE_ACTIVE);
	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	facts.issuer_subject = "/C=IN/ST=Karnataka/L=Bangalore/O=Example Corp/OU=VTG/CN=CAPF-a6d4c573";
	assert_int_equal(pc_trust_find_issuer(trust, &facts, &found), PC_MATCH_NONE);
	assert_null(found);

	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	facts.issuer_serial = "01";
	assert_int_equal(pc_trust_find_issuer(trust, &facts, &found), PC_MATCH_NONE);

	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	facts.issuer_subject = NULL;
	assert_int_equal(pc_trust_find_issuer(trust, &facts, &found), PC_MATCH_NO_FACTS);

	/* An unreadable AKI is no AKI: the lookup falls back to subject and serial. */
	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	facts.authority_key_id = "DirName:/CN=x";
	assert_int_equal(pc_trust_find_issuer(trust, &facts, &found), PC_MATCH_FOUND);

	/* The OpenSSL 1.1 print form "keyid:..." is the same key. */
	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	facts.authority_key_id = talloc_asprintf(ctx, "keyid:%s\n", facts.authority_key_id);
	assert_int_equal(pc_trust_find_issuer(trust, &facts, &found), PC_MATCH_FOUND);
	assert_string_equal(found->name, "capf-a");
}

static void test_trust_empty_store(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);
	pc_cert_facts_t facts;
	pc_anchor_t const *found = (pc_anchor_t const *)ctx;

	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	assert_int_equal(pc_trust_find_issuer(trust, &facts, &found), PC_MATCH_NONE);
	assert_null(found);
	assert_int_equal(pc_trust_find_issuer(NULL, &facts, &found), PC_MATCH_NONE);
	assert_int_equal(pc_trust_count(NULL), 0);
	assert_null(pc_trust_anchor(NULL, 0));
	assert_null(pc_trust_find_by_subject(trust, facts.issuer));
	assert_null(pc_trust_find_by_subject(NULL, facts.issuer));
}

/* Every CA of the PKI in one store (the index grows past its first size): each still found. */
static void test_trust_many_anchors(void **state)
{
	static char const *const cas[] = {
		"capf-a", "capf-a-old", "capf-b", "capf-c", "ent-ca", "mfg-root", "mfg-int", "legacy-root",
		"legacy-int", "rogue-a", "server-ca", "deep-int1", "deep-int2", "unuploaded-int",
	};
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);
	size_t i;

	for (i = 0; i < UNIT_COUNT(cas); i++) add(trust, cas[i], PC_ROLE_LSC, PC_STATE_ACTIVE);
	assert_int_equal(pc_trust_count(trust), UNIT_COUNT(cas));

	for (i = 0; i < UNIT_COUNT(cas); i++) {
		pc_anchor_t const *a = pc_trust_anchor(trust, (unsigned int)i), *found = NULL;
		pc_cert_facts_t facts;

		assert_string_equal(a->name, cas[i]);
		/* Facts of a certificate issued by this anchor: the anchor as depth 1, its key as AKI. */
		memset(&facts, 0, sizeof(facts));
		facts.subject = "/CN=SEP001122334455";
		facts.issuer = a->subject;
		facts.issuer_subject = a->subject;
		facts.issuer_serial = a->serial;
		facts.authority_key_id = a->key_id;
		if (pc_trust_find_issuer(trust, &facts, &found) != PC_MATCH_FOUND) fail_msg("%s not found", cas[i]);
		assert_ptr_equal(found, a);
	}
	/* The real chains too. */
	{
		static lookup_case_t const cases[] = {
			{ "lsc-a",		"capf-a",	PC_MATCH_FOUND,		"capf-a" },
			{ "lsc-a-old",		"capf-a-old",	PC_MATCH_FOUND,		"capf-a-old" },
			{ "lsc-rogue",		"rogue-a",	PC_MATCH_FOUND,		"rogue-a" },
			{ "lsc-b",		"capf-b",	PC_MATCH_FOUND,		"capf-b" },
			{ "lsc-c",		"capf-c",	PC_MATCH_FOUND,		"capf-c" },
			{ "lsc-ent",		"ent-ca",	PC_MATCH_FOUND,		"ent-ca" },
			{ "mic-8861",		"mfg-int",	PC_MATCH_FOUND,		"mfg-int" },
			{ "mic-legacy",		"legacy-int",	PC_MATCH_FOUND,		"legacy-int" },
			{ "host-deep",		"deep-int2",	PC_MATCH_FOUND,		"deep-int2" },
			{ "host-via-unuploaded", "unuploaded-int", PC_MATCH_FOUND,	"unuploaded-int" },
		};

		check_lookups(ctx, trust, cases, UNIT_COUNT(cases));
	}
}

static void test_trust_find_by_subject(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);
	pc_anchor_t const *a = add(trust, "capf-a", PC_ROLE_LSC, PC_STATE_ACTIVE);

	add(trust, "capf-a-old", PC_ROLE_LSC, PC_STATE_RETIRING);
	add(trust, "mfg-int", PC_ROLE_MIC, PC_STATE_ACTIVE);

	/* Same subject: the first loaded one. */
	assert_ptr_equal(pc_trust_find_by_subject(trust, a->subject), a);
	assert_string_equal(pc_trust_find_by_subject(trust, "/O=Cisco/CN=Test Cisco Manufacturing CA SHA2")->name,
			    "mfg-int");
	assert_null(pc_trust_find_by_subject(trust, "/O=Other Org/CN=CAPF-0badc0de"));
	assert_null(pc_trust_find_by_subject(trust, "/O=Cisco/CN=Test Cisco Manufacturing CA SHA2 "));
	assert_null(pc_trust_find_by_subject(trust, NULL));
}

/*
 *	Refusals by pc_trust_add_file (the config tests check the same through the file).
 */
static void test_trust_add_refusals(void **state)
{
	static struct {
		char const	*file;		//!< In the PKI directory.
		char const	*reason;
	} const cases[] = {
		{ "notca.crt",		"not a CA certificate" },
		{ "lsc-a.crt",		"not a CA certificate" },
		{ "no-such.crt",	"cannot read" },
		{ "private/capf-a.key",	"contains a private key" },
		{ "lsc-a.chain.pem",	"not a CA certificate" },	/* first of two: the leaf */
		{ "manifest.tsv",	"neither a PEM nor a DER certificate" },
	};
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_error_t err = { .msg = "" };
		char *path = unit_pki_path(ctx, cases[i].file);

		if (pc_trust_add_file(trust, "x", path, PC_ROLE_LSC, PC_STATE_ACTIVE, 0, &err) == 0) {
			fail_msg("%s accepted", cases[i].file);
		}
		assert_contains(err.msg, path);
		assert_contains(err.msg, cases[i].reason);
		assert_int_equal(pc_trust_count(trust), 0);
		/* Nothing left in OpenSSL's error queue for the next caller. */
		assert_int_equal(ERR_peek_error(), 0);
	}
}

/* A PEM bundle of two CA certificates is refused: one CA per file and anchor. */
static void test_trust_two_ca_bundle(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);
	char *dir = unit_tmpdir(ctx);
	size_t la, lb;
	unsigned char *a = unit_read_file(ctx, unit_pki_path(ctx, "capf-a.crt"), &la);
	unsigned char *b = unit_read_file(ctx, unit_pki_path(ctx, "mfg-int.crt"), &lb);
	char *path = unit_write_text(ctx, dir, "bundle.pem", talloc_asprintf(ctx, "%s%s", (char *)a, (char *)b));
	pc_error_t err = { .msg = "" };

	assert_int_equal(pc_trust_add_file(trust, "b", path, PC_ROLE_LSC, PC_STATE_ACTIVE, 0, &err), -1);
	assert_contains(err.msg, "more than one certificate");
	assert_int_equal(pc_trust_count(trust), 0);
}

/* The same certificate twice, or a copy of its identity (subject, serial, key id), is refused. */
static void test_trust_duplicates(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);
	pc_error_t err = { .msg = "" };

	add(trust, "capf-a", PC_ROLE_LSC, PC_STATE_ACTIVE);
	assert_int_equal(pc_trust_add_file(trust, "again", unit_pki_path(ctx, "capf-a.crt"), PC_ROLE_MIC,
					   PC_STATE_ACTIVE, 0, &err), -1);
	assert_contains(err.msg, "duplicate of anchor 'capf-a'");
	assert_int_equal(pc_trust_add_file(trust, "copy", unit_pki_path(ctx, "rogue-a-ski.crt"), PC_ROLE_LSC,
					   PC_STATE_ACTIVE, 0, &err), -1);
	assert_contains(err.msg, "duplicate of anchor 'capf-a'");
	assert_int_equal(pc_trust_count(trust), 1);

	/* Same subject and serial, another key id: a distinct anchor. */
	add(trust, "rogue-a", PC_ROLE_LSC, PC_STATE_ACTIVE);
	assert_int_equal(pc_trust_count(trust), 2);
}

/* The X509_STORE for the CLI's check trusts exactly the anchors, with partial chains. */
static void test_trust_x509_store(void **state)
{
	static struct {
		char const	*leaf;
		char const	*untrusted;	//!< Intermediate sent along, or NULL.
		int		error;		//!< X509_V_OK or the expected verify error.
	} const cases[] = {
		{ "lsc-a",		NULL,		X509_V_OK },
		{ "lsc-a-ec",		NULL,		X509_V_OK },
		{ "lsc-a-old",		NULL,		X509_V_OK },
		{ "mic-8861",		NULL,		X509_V_OK },	/* partial chain: mfg-int is the anchor */
		{ "lsc-c",		NULL,		X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY },
		{ "lsc-rogue",		NULL,		X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY },
		{ "lsc-rogue-ski",	NULL,		X509_V_ERR_CERT_SIGNATURE_FAILURE },
		{ "lsc-expired",	NULL,		X509_V_ERR_CERT_HAS_EXPIRED },
		{ "host-via-unuploaded", "unuploaded-int", X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY },
	};
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);
	X509_STORE *store;
	size_t i;

	add(trust, "capf-a", PC_ROLE_LSC, PC_STATE_ACTIVE);
	add(trust, "capf-a-old", PC_ROLE_LSC, PC_STATE_RETIRING);
	add(trust, "mfg-int", PC_ROLE_MIC, PC_STATE_ACTIVE);
	store = pc_trust_x509_store(trust);
	assert_non_null(store);

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		X509 *leaf = unit_cert(cases[i].leaf);
		STACK_OF(X509) *chain = sk_X509_new_null();
		X509_STORE_CTX *vctx = X509_STORE_CTX_new();
		int error;

		if (cases[i].untrusted) sk_X509_push(chain, unit_cert(cases[i].untrusted));
		assert_int_equal(X509_STORE_CTX_init(vctx, store, leaf, chain), 1);
		X509_STORE_CTX_set_time(vctx, 0, unit_pki_now());
		(void)X509_verify_cert(vctx);
		error = X509_STORE_CTX_get_error(vctx);
		if (error != cases[i].error) {
			fail_msg("%s: verify error %d (%s), expected %d", cases[i].leaf, error,
				 X509_verify_cert_error_string(error), cases[i].error);
		}
		X509_STORE_CTX_free(vctx);
		sk_X509_pop_free(chain, X509_free);
		X509_free(leaf);
	}
	X509_STORE_free(store);
	ERR_clear_error();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trust_anchor_fields, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_retiring_keeps_deadline, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test(test_trust_names),
		cmocka_unit_test_setup_teardown(test_trust_rollover_pair, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_rogue_key_mismatch, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_ambiguous, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_subject_must_match, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_empty_store, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_many_anchors, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_find_by_subject, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_add_refusals, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_two_ca_bundle, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_duplicates, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_x509_store, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
