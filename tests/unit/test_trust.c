/**
 * @file test_trust.c
 * @brief The trust store: anchors identified by certificate (the fingerprint of its DER), never by name.
 */
#include "unit.h"

#include <ctype.h>

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
 *	Lookup by fingerprint: how the decision finds the anchor the verifier used.
 */
static void test_trust_find_fingerprint(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);
	pc_anchor_t const *a = add(trust, "capf-a", PC_ROLE_LSC, PC_STATE_ACTIVE);
	pc_anchor_t const *old = add(trust, "capf-a-old", PC_ROLE_LSC, PC_STATE_RETIRING);
	pc_anchor_t const *mfg = add(trust, "mfg-int", PC_ROLE_MIC, PC_STATE_DISABLED);
	char fp[PC_FINGERPRINT_HEX], upper[PC_FINGERPRINT_HEX];
	size_t i;

	/* The rollover pair shares a subject; each is its own certificate. */
	unit_fingerprint("capf-a", fp);
	assert_ptr_equal(pc_trust_find_fingerprint(trust, fp), a);
	unit_fingerprint("capf-a-old", fp);
	assert_ptr_equal(pc_trust_find_fingerprint(trust, fp), old);
	assert_string_not_equal(a->fingerprint, old->fingerprint);
	/* Any state: the caller decides what a state means. */
	unit_fingerprint("mfg-int", fp);
	assert_ptr_equal(pc_trust_find_fingerprint(trust, fp), mfg);

	/* rogue-a-ski copies capf-a's subject, serial and key identifier: not its certificate. */
	unit_fingerprint("rogue-a-ski", fp);
	assert_null(pc_trust_find_fingerprint(trust, fp));
	unit_fingerprint("capf-c", fp);
	assert_null(pc_trust_find_fingerprint(trust, fp));

	/* Exactly the lower-case hex of the whole digest. */
	for (i = 0; a->fingerprint[i]; i++) upper[i] = (char)toupper((unsigned char)a->fingerprint[i]);
	upper[i] = '\0';
	assert_null(pc_trust_find_fingerprint(trust, upper));
	assert_null(pc_trust_find_fingerprint(trust, talloc_strndup(ctx, a->fingerprint, 63)));
	assert_null(pc_trust_find_fingerprint(trust, talloc_asprintf(ctx, "%s0", a->fingerprint)));
	assert_null(pc_trust_find_fingerprint(trust, ""));
	assert_null(pc_trust_find_fingerprint(trust, NULL));
	assert_null(pc_trust_find_fingerprint(NULL, a->fingerprint));
}

/* The issuer of each anchor, in FreeRADIUS's oneline form (cross-checked with TLS-Cert-Issuer). */
static void test_trust_anchor_issuer(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);
	pc_anchor_t const *a = add(trust, "capf-a", PC_ROLE_LSC, PC_STATE_ACTIVE);
	pc_anchor_t const *m = add(trust, "mfg-int", PC_ROLE_MIC, PC_STATE_ACTIVE);
	X509 *cert = unit_cert("mfg-int");

	assert_string_equal(a->issuer, a->subject);	/* self-signed */
	assert_string_equal(m->issuer, "/O=Cisco/CN=Test Cisco Root CA M2");
	assert_string_equal(m->issuer, pc_x509_oneline(ctx, X509_get_issuer_name(cert)));
	assert_string_equal(m->subject, "/O=Cisco/CN=Test Cisco Manufacturing CA SHA2");
	X509_free(cert);
}

static void test_trust_empty_store(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = pc_trust_alloc(ctx);
	char fp[PC_FINGERPRINT_HEX];

	unit_fingerprint("capf-a", fp);
	assert_null(pc_trust_find_fingerprint(trust, fp));
	assert_int_equal(pc_trust_count(NULL), 0);
	assert_null(pc_trust_anchor(NULL, 0));
	assert_null(pc_trust_anchor(trust, 0));
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

	for (i = 0; i < UNIT_COUNT(cas); i++) {
		char fp[PC_FINGERPRINT_HEX];

		add(trust, cas[i], PC_ROLE_LSC, PC_STATE_ACTIVE);
		/* Every anchor loaded so far, after each growth of the index. */
		unit_fingerprint(cas[0], fp);
		assert_ptr_equal(pc_trust_find_fingerprint(trust, fp), pc_trust_anchor(trust, 0));
	}
	assert_int_equal(pc_trust_count(trust), UNIT_COUNT(cas));

	for (i = 0; i < UNIT_COUNT(cas); i++) {
		pc_anchor_t const *a = pc_trust_anchor(trust, (unsigned int)i);
		char fp[PC_FINGERPRINT_HEX];

		assert_string_equal(a->name, cas[i]);
		unit_fingerprint(cas[i], fp);
		assert_string_equal(a->fingerprint, fp);
		if (pc_trust_find_fingerprint(trust, fp) != a) fail_msg("%s not found by its fingerprint", cas[i]);
	}
	/* Not a CA of the store. */
	{
		char fp[PC_FINGERPRINT_HEX];

		unit_fingerprint("rogue-a-ski", fp);
		assert_null(pc_trust_find_fingerprint(trust, fp));
		unit_fingerprint("lsc-a", fp);
		assert_null(pc_trust_find_fingerprint(trust, fp));
	}
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
	assert_contains(err.msg, "has the subject, serial and key identifier of anchor 'capf-a'");
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
		cmocka_unit_test_setup_teardown(test_trust_find_fingerprint, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_anchor_issuer, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_empty_store, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_many_anchors, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_add_refusals, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_two_ca_bundle, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_duplicates, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_trust_x509_store, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
