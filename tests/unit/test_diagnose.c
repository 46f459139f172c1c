/**
 * @file test_diagnose.c
 * @brief The diagnosis of handshakes that failed before the decision, and the parsing of
 *	  FreeRADIUS's failure message.
 *
 * Where a row says so, the OpenSSL error it feeds pc_diagnose() is first obtained from a
 * real verification of the PKI certificate against the configured anchors (security level
 * 2, TLS client purpose, as radiusd does), so the table cannot drift from what OpenSSL says.
 */
#include "unit.h"

#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <phonecert/decide.h>

static struct {
	TALLOC_CTX	*ctx;
	pc_config_t	*cfg;
	X509_STORE	*store;
} fx;

static int fixture_setup(UNUSED void **state)
{
	fx.ctx = talloc_new(NULL);
	fx.cfg = unit_config(fx.ctx,
		"[anchor capf-a]\n"
		"role = lsc\n"
		"file = @PKI@/capf-a.crt\n"
		"[anchor capf-a-old]\n"
		"role = lsc\n"
		"state = retiring\n"
		"trust_until = 2099-01-01\n"
		"file = @PKI@/capf-a-old.crt\n"
		"[anchor mfg-int]\n"
		"role = mic\n"
		"file = @PKI@/mfg-int.crt\n"
		"[anchor legacy-int]\n"
		"role = mic\n"
		"file = @PKI@/legacy-int.crt\n");
	fx.store = pc_trust_x509_store(fx.cfg->trust);
	return fx.store ? 0 : -1;
}

static int fixture_teardown(UNUSED void **state)
{
	X509_STORE_free(fx.store);
	talloc_free(fx.ctx);
	memset(&fx, 0, sizeof(fx));
	return 0;
}

/**
 * The verify error OpenSSL reports for PKI_DIR/LEAF.crt sent with the certificates named in
 * chain (space separated, or NULL), against the configured anchors.
 */
static int verify_error(char const *leaf, char const *chain)
{
	X509 *cert = unit_cert(leaf);
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	X509_STORE_CTX *vctx = X509_STORE_CTX_new();
	char names[256], *name, *save = NULL;
	int error;

	assert_non_null(untrusted);
	assert_non_null(vctx);
	if (chain) {
		snprintf(names, sizeof(names), "%s", chain);
		for (name = strtok_r(names, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
			sk_X509_push(untrusted, unit_cert(name));
		}
	}
	assert_int_equal(X509_STORE_CTX_init(vctx, fx.store, cert, untrusted), 1);
	X509_STORE_CTX_set_time(vctx, 0, unit_pki_now());
	X509_STORE_CTX_set_purpose(vctx, X509_PURPOSE_SSL_CLIENT);
	X509_VERIFY_PARAM_set_auth_level(X509_STORE_CTX_get0_param(vctx), 2);
	(void)X509_verify_cert(vctx);
	error = X509_STORE_CTX_get_error(vctx);
	X509_STORE_CTX_free(vctx);
	sk_X509_pop_free(untrusted, X509_free);
	X509_free(cert);
	ERR_clear_error();
	return error;
}

/** What FreeRADIUS keeps of a certificate that failed: its names, serial and dates, no extensions. */
static void failed_facts(TALLOC_CTX *ctx, char const *leaf, pc_cert_facts_t *out)
{
	unit_facts(ctx, leaf, NULL, out);
	out->authority_key_id = NULL;
	out->basic_constraints = NULL;
	out->ext_key_usage = NULL;
	out->key_usage = NULL;
}

typedef struct {
	char const	*leaf;		//!< Presented certificate; NULL: no facts at all.
	char const	*chain;		//!< Sent along (for the real verification).
	bool		verify;		//!< The error below is checked against OpenSSL.
	int		error;
	char const	*tls_message;
	pc_reason_t	reason;
	pc_kind_t	kind;
	char const	*anchor;	//!< Anchor named by the issuer, or NULL.
	char const	*detail;
} diagnose_case_t;

static diagnose_case_t const diagnose_cases[] = {
	/* Unknown CA (20): who the issuer is decides what to say. */
	{ "lsc-c", NULL, true, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, NULL,
	  PC_REASON_CAPF_NOT_UPLOADED, PC_KIND_LSC, NULL, "LSC issued by CAPF-0badc0de, which is not uploaded" },
	{ "lsc-b", NULL, true, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, NULL,
	  PC_REASON_CAPF_NOT_UPLOADED, PC_KIND_LSC, NULL, "CAPF-a7fb32bf" },
	/* Same name as an uploaded CAPF, another key: a regenerated CAPF (or a forgery). */
	{ "lsc-rogue", NULL, true, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, NULL,
	  PC_REASON_CAPF_KEY_MISMATCH, PC_KIND_LSC, "capf-a", "(anchor capf-a)" },
	/* Enterprise CA (CAPF online-CA mode) not uploaded: no CAPF- name, so no CAPF advice. */
	{ "lsc-ent", NULL, true, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, NULL,
	  PC_REASON_ISSUER_UNKNOWN, PC_KIND_UNKNOWN, NULL, "Example Enterprise Issuing CA" },
	{ "host-via-unuploaded", "unuploaded-int", true, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, NULL,
	  PC_REASON_ISSUER_UNKNOWN, PC_KIND_UNKNOWN, NULL, "Unuploaded Intermediate" },
	{ "lsc-c", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, NULL,
	  PC_REASON_CAPF_NOT_UPLOADED, PC_KIND_LSC, NULL, "CAPF-0badc0de" },

	/* Bad signature (7): the issuer attributes name the genuine CAPF; the name proves nothing. */
	{ "lsc-rogue-ski", NULL, true, X509_V_ERR_CERT_SIGNATURE_FAILURE, NULL,
	  PC_REASON_SIGNATURE_INVALID, PC_KIND_LSC, "capf-a", "uploaded as anchor capf-a" },
	{ "lsc-c", NULL, false, X509_V_ERR_CERT_SIGNATURE_FAILURE, NULL,
	  PC_REASON_SIGNATURE_INVALID, PC_KIND_UNKNOWN, NULL, "claims issuer CAPF-0badc0de" },

	/* Expired (10): a MIC cannot be renewed, an LSC can. */
	{ "mic-expired", NULL, true, X509_V_ERR_CERT_HAS_EXPIRED, NULL,
	  PC_REASON_MIC_EXPIRED, PC_KIND_MIC, "mfg-int", "Test Cisco Manufacturing CA SHA2" },
	{ "lsc-expired", NULL, true, X509_V_ERR_CERT_HAS_EXPIRED, NULL,
	  PC_REASON_CERT_EXPIRED, PC_KIND_LSC, "capf-a", NULL },
	{ "host-future", NULL, true, X509_V_ERR_CERT_NOT_YET_VALID, NULL,
	  PC_REASON_CERT_NOT_YET_VALID, PC_KIND_LSC, "capf-a", NULL },

	/* Security level 2. */
	{ "mic-legacy", NULL, true, X509_V_ERR_CA_MD_TOO_WEAK, NULL,
	  PC_REASON_WEAK_SIGNATURE, PC_KIND_MIC, "legacy-int", "Test CAP-RTP-002" },
	{ "host-rsa1024", NULL, true, X509_V_ERR_EE_KEY_TOO_SMALL, NULL,
	  PC_REASON_WEAK_KEY, PC_KIND_LSC, "capf-a", NULL },
	{ "lsc-a", NULL, false, X509_V_ERR_CA_KEY_TOO_SMALL, NULL,
	  PC_REASON_WEAK_KEY, PC_KIND_LSC, "capf-a", NULL },

	/* Chain shape and purpose. */
	{ "host-deep", "deep-int2 deep-int1", true, X509_V_ERR_PATH_LENGTH_EXCEEDED, NULL,
	  PC_REASON_CHAIN_TOO_DEEP, PC_KIND_UNKNOWN, NULL, NULL },
	{ "host-wrong-eku", NULL, true, X509_V_ERR_INVALID_PURPOSE, NULL,
	  PC_REASON_BAD_KEY_PURPOSE, PC_KIND_LSC, "capf-a", NULL },
	{ "notca", NULL, true, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, NULL,
	  PC_REASON_SELF_SIGNED, PC_KIND_UNKNOWN, NULL, NULL },
	{ "host-via-unuploaded", "unuploaded-int mfg-root", true, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, NULL,
	  PC_REASON_ISSUER_UNKNOWN, PC_KIND_UNKNOWN, NULL, NULL },
	{ "lsc-a", NULL, false, X509_V_ERR_INVALID_CA, NULL,
	  PC_REASON_INVALID_CA, PC_KIND_LSC, "capf-a", NULL },
	{ "lsc-a", NULL, false, X509_V_ERR_CERT_CHAIN_TOO_LONG, NULL,
	  PC_REASON_CHAIN_TOO_DEEP, PC_KIND_LSC, "capf-a", NULL },
	{ "lsc-a", NULL, false, 12345, NULL,
	  PC_REASON_TLS_FAILED, PC_KIND_LSC, "capf-a", "OpenSSL verify error 12345" },

	/* No verify error: the TLS messages. */
	{ "lsc-a", NULL, false, 0, "eap_tls: (TLS) recv TLS 1.3 Alert, fatal protocol_version: unsupported protocol",
	  PC_REASON_OLD_TLS, PC_KIND_LSC, "capf-a", "unsupported protocol" },
	{ NULL, NULL, false, 0, "SSL routines::unsupported protocol", PC_REASON_OLD_TLS, PC_KIND_UNKNOWN, NULL, NULL },
	{ NULL, NULL, false, 0, "error:0A00010B:SSL routines::wrong version number", PC_REASON_OLD_TLS,
	  PC_KIND_UNKNOWN, NULL, NULL },
	{ NULL, NULL, false, 0, "SSL routines::no shared cipher", PC_REASON_OLD_TLS, PC_KIND_UNKNOWN, NULL, NULL },
	{ NULL, NULL, false, 0, "SSL routines::md too weak", PC_REASON_WEAK_SIGNATURE, PC_KIND_UNKNOWN, NULL, NULL },
	{ NULL, NULL, false, 0, "SSL routines::ee key too small", PC_REASON_WEAK_KEY, PC_KIND_UNKNOWN, NULL, NULL },
	{ NULL, NULL, false, 0, "SSL routines::peer did not return a certificate", PC_REASON_NO_CLIENT_CERT,
	  PC_KIND_UNKNOWN, NULL, NULL },
	{ NULL, NULL, false, 0, "eap_tls: (TLS) Alert write:fatal:unknown CA", PC_REASON_ISSUER_UNKNOWN,
	  PC_KIND_UNKNOWN, NULL, "Alert write:fatal:unknown CA" },
	{ NULL, NULL, false, 0, "Connection reset by peer", PC_REASON_TLS_FAILED, PC_KIND_UNKNOWN, NULL,
	  "Connection reset by peer" },
	{ NULL, NULL, false, 0, NULL, PC_REASON_TLS_FAILED, PC_KIND_UNKNOWN, NULL, "no details" },
	/* A verify error number wins over the text. */
	{ "lsc-c", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, "unsupported protocol",
	  PC_REASON_CAPF_NOT_UPLOADED, PC_KIND_LSC, NULL, NULL },
	/* No facts at all with a verify error: nothing to name, still a refusal with a reason. */
	{ NULL, NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, NULL,
	  PC_REASON_ISSUER_UNKNOWN, PC_KIND_UNKNOWN, NULL, NULL },
};

static void test_diagnose_table(void **state)
{
	TALLOC_CTX *ctx = *state;
	size_t i;

	for (i = 0; i < UNIT_COUNT(diagnose_cases); i++) {
		diagnose_case_t const *c = &diagnose_cases[i];
		pc_cert_facts_t facts;
		pc_decision_t d;
		char *what = talloc_asprintf(ctx, "case %zu (%s, error %d, '%s')", i, c->leaf ? c->leaf : "no facts",
					     c->error, c->tls_message ? c->tls_message : "");

		if (c->verify) {
			int real = verify_error(c->leaf, c->chain);

			if (real != c->error) {
				fail_msg("%s: OpenSSL says error %d (%s), the table says %d", what, real,
					 X509_verify_cert_error_string(real), c->error);
			}
		}
		if (c->leaf) failed_facts(ctx, c->leaf, &facts);
		memset(&d, 0x5a, sizeof(d));
		pc_diagnose(fx.cfg, c->leaf ? &facts : NULL, c->error, c->tls_message, &d);

		if (d.reason != c->reason) {
			fail_msg("%s: %s (%s), expected %s", what, pc_reason_name(d.reason), d.detail, pc_reason_name(c->reason));
		}
		if (pc_decision_accepts(&d)) fail_msg("%s: a diagnosis accepted", what);
		if (d.kind != c->kind) fail_msg("%s: kind %s, expected %s", what, pc_kind_name(d.kind), pc_kind_name(c->kind));
		if (c->anchor) {
			if (!d.anchor || strcmp(d.anchor->name, c->anchor) != 0) {
				fail_msg("%s: anchor %s, expected %s", what, d.anchor ? d.anchor->name : "(none)", c->anchor);
			}
		} else if (d.anchor) {
			fail_msg("%s: anchor %s, expected none", what, d.anchor->name);
		}
		if (d.detail[0] == '\0') fail_msg("%s: no detail", what);
		if (c->detail) assert_contains(d.detail, c->detail);
		assert_int_equal(d.deadline, 0);
	}
}

/* When a CA failed, FreeRADIUS keeps that CA's facts: the depth-1 attributes only. */
static void test_diagnose_ca_failed(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t facts;
	pc_decision_t d;

	memset(&facts, 0, sizeof(facts));
	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	facts.subject = facts.issuer = facts.common_name = facts.serial = NULL;

	pc_diagnose(fx.cfg, &facts, X509_V_ERR_CERT_HAS_EXPIRED, NULL, &d);
	assert_int_equal(d.reason, PC_REASON_ANCHOR_EXPIRED);
	assert_contains(d.detail, "CA CAPF-a6d4c572 has expired");
	assert_false(d.have_device);

	pc_diagnose(fx.cfg, &facts, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, NULL, &d);
	assert_int_equal(d.reason, PC_REASON_CAPF_KEY_MISMATCH);	/* named like an uploaded anchor */

	/* An intermediate whose root is not uploaded. */
	unit_facts(ctx, "host-via-unuploaded", "unuploaded-int", &facts);
	facts.subject = facts.issuer = facts.common_name = facts.serial = NULL;
	pc_diagnose(fx.cfg, &facts, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, NULL, &d);
	assert_int_equal(d.reason, PC_REASON_ISSUER_UNKNOWN);
	assert_contains(d.detail, "the chain ends at Test Cisco Root CA M2");
}

/* The phone is named in the diagnosis when its CN is a clean device name, never otherwise. */
static void test_diagnose_device(void **state)
{
	static struct {
		char const	*leaf;
		char const	*name;		//!< NULL: no device.
	} const cases[] = {
		{ "lsc-c",		"SEP0011223344C0" },
		{ "mic-expired",	"SEP001E7AC3D1AB" },
		{ "lsc-rogue-ski",	"SEPB000B4BA0AEE" },
		{ "host-nul-cn",	NULL },
		{ "host-two-cn",	NULL },
		{ "host-nonascii",	NULL },
		{ "host-lower-sep",	NULL },
		{ "sudi-switch",	NULL },
	};
	TALLOC_CTX *ctx = *state;
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_cert_facts_t facts;
		pc_decision_t d;

		failed_facts(ctx, cases[i].leaf, &facts);
		pc_diagnose(fx.cfg, &facts, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, NULL, &d);
		if (d.have_device != (cases[i].name != NULL)) fail_msg("%s: have_device = %d", cases[i].leaf, d.have_device);
		if (cases[i].name) assert_string_equal(d.device.name, cases[i].name);
	}
}

/* Without a configuration the diagnosis still explains, it just names no anchor. */
static void test_diagnose_without_config(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t facts;
	pc_decision_t d;

	failed_facts(ctx, "lsc-rogue", &facts);
	pc_diagnose(NULL, &facts, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, NULL, &d);
	assert_int_equal(d.reason, PC_REASON_CAPF_NOT_UPLOADED);
	assert_null(d.anchor);

	pc_diagnose(NULL, NULL, 0, NULL, &d);
	assert_int_equal(d.reason, PC_REASON_TLS_FAILED);
}

/*
 *	"OpenSSL says error N" in Module-Failure-Message.
 */
static void test_failure_openssl_error(UNUSED void **state)
{
	static struct {
		char const	*message;
		int		error;
	} const cases[] = {
		{ "eap_tls: ERROR: (TLS) OpenSSL says error 20 : unable to get local issuer certificate", 20 },
		{ "OpenSSL says error 7 : certificate signature failure", 7 },
		{ "eap_tls: (TLS) OpenSSL says error 10 : certificate has expired", 10 },
		{ "OpenSSL says error 68 : CA signature digest algorithm too weak", 68 },
		{ "OpenSSL says error 68", 68 },
		{ "OpenSSL says error 10000", 10000 },
		{ "first OpenSSL says error 2, then OpenSSL says error 7", 2 },
		{ "OpenSSL says error 10001", 0 },
		{ "OpenSSL says error 99999999999999999999999", 0 },
		{ "OpenSSL says error 0 : ok", 0 },
		{ "OpenSSL says error -20", 0 },
		{ "OpenSSL says error x20", 0 },
		{ "OpenSSL says error ", 0 },
		{ "OpenSSL says error", 0 },
		{ "openssl says error 20", 0 },
		{ "eap_tls: (TLS) Alert write:fatal:unknown CA", 0 },
		{ "", 0 },
	};
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		int got = pc_failure_openssl_error(cases[i].message);

		if (got != cases[i].error) fail_msg("'%s': %d, expected %d", cases[i].message, got, cases[i].error);
	}
	assert_int_equal(pc_failure_openssl_error(NULL), 0);
}

/* The whole path the module takes: failure message -> error number -> diagnosis. */
static void test_diagnose_from_failure_message(void **state)
{
	TALLOC_CTX *ctx = *state;
	char const *msg = "eap_tls: ERROR: (TLS) OpenSSL says error 20 : unable to get local issuer certificate";
	pc_cert_facts_t facts;
	pc_decision_t d;

	failed_facts(ctx, "lsc-c", &facts);
	pc_diagnose(fx.cfg, &facts, pc_failure_openssl_error(msg), msg, &d);
	assert_int_equal(d.reason, PC_REASON_CAPF_NOT_UPLOADED);
	assert_string_equal(pc_reason_name(d.reason), "capf-not-uploaded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_diagnose_table, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_diagnose_ca_failed, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_diagnose_device, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_diagnose_without_config, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test(test_failure_openssl_error),
		cmocka_unit_test_setup_teardown(test_diagnose_from_failure_message, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
