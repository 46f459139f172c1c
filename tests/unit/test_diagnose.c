/**
 * @file test_diagnose.c
 * @brief The diagnosis of handshakes that failed before the decision (pc_diagnose), on the
 *	  records the verification hook makes of refused chains of the real test PKI, and on
 *	  FreeRADIUS's failure messages when no record is left; the advice worded by anchor role.
 */
#include "unit.h"

#include <openssl/x509_vfy.h>

#include <phonecert/decide.h>

static struct {
	TALLOC_CTX	*ctx;
	pc_config_t	*cfg;		//!< The usual anchors.
	pc_config_t	*off;		//!< The same CAs disabled, and the manufacturing root disabled.
	time_t		now;
	time_t		until;		//!< capf-a-old's trust_until.
} fx;

static int fixture_setup(UNUSED void **state)
{
	fx.ctx = talloc_new(NULL);
	fx.now = unit_pki_now();
	fx.until = fx.now + 30 * UNIT_DAY;
	fx.cfg = unit_config(fx.ctx, talloc_asprintf(fx.ctx,
		"[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n"
		"[anchor capf-a-old]\nrole = lsc\nstate = retiring\ntrust_until = %s\nfile = @PKI@/capf-a-old.crt\n"
		"[anchor capf-b]\nrole = lsc\nstate = disabled\nfile = @PKI@/capf-b.crt\n"
		"[anchor mfg-int]\nrole = mic\nfile = @PKI@/mfg-int.crt\n"
		"[anchor legacy-int]\nrole = mic\nfile = @PKI@/legacy-int.crt\n",
		unit_time_text(fx.ctx, fx.until)));
	fx.off = unit_config(fx.ctx,
		"[anchor capf-a]\nrole = lsc\nstate = disabled\nfile = @PKI@/capf-a.crt\n"
		"[anchor mfg-int]\nrole = mic\nstate = disabled\nfile = @PKI@/mfg-int.crt\n"
		"[anchor mfg-root]\nrole = mic\nstate = disabled\nfile = @PKI@/mfg-root.crt\n");
	return 0;
}

static int fixture_teardown(UNUSED void **state)
{
	talloc_free(fx.ctx);
	memset(&fx, 0, sizeof(fx));
	return 0;
}

/*
 *	Refused chains: the record says what OpenSSL found and which anchor signed the leaf.
 */
typedef struct {
	bool		off;		//!< Against fx.off instead of fx.cfg.
	char const	*leaf;
	char const	*sent;		//!< CAs sent along besides the chain file, or NULL.
	bool		at_until;	//!< At capf-a-old's deadline instead of now.
	int		error;		//!< The verify error the record must hold.
	pc_reason_t	reason;
	pc_kind_t	kind;
	char const	*anchor;	//!< Anchor named by signature, or NULL.
	bool		deadline;	//!< The deadline is capf-a-old's trust_until.
	char const	*detail;
} diagnose_case_t;

static diagnose_case_t const diagnose_cases[] = {
	/* Signed by an uploaded anchor that is not trusted now. */
	{ false, "lsc-b", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, PC_REASON_CAPF_DISABLED, PC_KIND_LSC,
	  "capf-b", false, "anchor capf-b is disabled" },
	{ true, "lsc-a", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, PC_REASON_CAPF_DISABLED, PC_KIND_LSC,
	  "capf-a", false, "capf-a" },
	{ true, "mic-8861", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, PC_REASON_CAPF_DISABLED,
	  PC_KIND_MIC, "mfg-int", false, "mfg-int" },
	{ false, "lsc-a-old", NULL, true, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, PC_REASON_CAPF_WINDOW_CLOSED,
	  PC_KIND_LSC, "capf-a-old", true, "anchor capf-a-old was trusted until" },

	/* Unknown CA (20): who the issuer is decides what to say. */
	{ false, "lsc-c", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, PC_REASON_CAPF_NOT_UPLOADED,
	  PC_KIND_LSC, NULL, false, "LSC issued by CAPF-0badc0de, which is not uploaded" },
	/* Enterprise CA (CAPF online-CA mode) not uploaded: no CAPF- name, so no CAPF advice. */
	{ false, "lsc-ent", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, PC_REASON_ISSUER_UNKNOWN,
	  PC_KIND_UNKNOWN, NULL, false, "issued by Example Enterprise Issuing CA, which is not uploaded" },
	/* Same name as an uploaded CAPF, another key: a regenerated CAPF (or a forgery). */
	{ false, "lsc-rogue", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, PC_REASON_CAPF_KEY_MISMATCH,
	  PC_KIND_UNKNOWN, NULL, false, "issued by a CA named CAPF-a6d4c572" },
	/* Bad signature (7): the name and key identifier are capf-a's, the key is not. */
	{ false, "lsc-rogue-ski", NULL, false, X509_V_ERR_CERT_SIGNATURE_FAILURE, PC_REASON_SIGNATURE_INVALID,
	  PC_KIND_UNKNOWN, NULL, false, "claims issuer CAPF-a6d4c572" },
	/* An intermediate the phone sent whose root is not uploaded, and the root sent too. */
	{ false, "host-via-unuploaded", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
	  PC_REASON_ISSUER_UNKNOWN, PC_KIND_UNKNOWN, NULL, false, "the chain ends at a CA that is not uploaded" },
	{ false, "host-via-unuploaded", "mfg-root", false, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, PC_REASON_ISSUER_UNKNOWN,
	  PC_KIND_UNKNOWN, NULL, false, "self-signed CA" },
	/* ... hanging under an uploaded (disabled) root: not an anchor's own certificate. */
	{ true, "host-via-unuploaded", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
	  PC_REASON_CHAIN_NOT_ANCHORED, PC_KIND_UNKNOWN, NULL, false, "a CA certificate the phone sent" },

	/* Expired (10): a MIC cannot be renewed, an LSC can. */
	{ false, "mic-expired", NULL, false, X509_V_ERR_CERT_HAS_EXPIRED, PC_REASON_MIC_EXPIRED, PC_KIND_MIC, "mfg-int",
	  false, "MIC issued by Test Cisco Manufacturing CA SHA2 has expired" },
	{ false, "lsc-expired", NULL, false, X509_V_ERR_CERT_HAS_EXPIRED, PC_REASON_CERT_EXPIRED, PC_KIND_LSC, "capf-a",
	  false, "certificate issued by CAPF-a6d4c572 has expired" },
	{ false, "host-future", NULL, false, X509_V_ERR_CERT_NOT_YET_VALID, PC_REASON_CERT_NOT_YET_VALID, PC_KIND_LSC,
	  "capf-a", false, "valid from " },

	/* Security level 2. */
	{ false, "mic-legacy", NULL, false, X509_V_ERR_CA_MD_TOO_WEAK, PC_REASON_WEAK_SIGNATURE, PC_KIND_MIC,
	  "legacy-int", false, "Test CAP-RTP-002" },
	{ false, "host-rsa1024", NULL, false, X509_V_ERR_EE_KEY_TOO_SMALL, PC_REASON_WEAK_KEY, PC_KIND_LSC, "capf-a",
	  false, NULL },

	/* Chain shape and purpose. */
	{ false, "host-deep", NULL, false, X509_V_ERR_PATH_LENGTH_EXCEEDED, PC_REASON_CHAIN_TOO_DEEP, PC_KIND_UNKNOWN,
	  NULL, false, "Deep Intermediate 2" },
	{ false, "host-wrong-eku", NULL, false, X509_V_ERR_INVALID_PURPOSE, PC_REASON_BAD_KEY_PURPOSE, PC_KIND_LSC,
	  "capf-a", false, NULL },

	/* The certificate's own shape says more than its chain. */
	{ true, "host-two-cn", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, PC_REASON_MALFORMED_CERT,
	  PC_KIND_LSC, "capf-a", false, "several CNs" },
	{ true, "host-nul-cn", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, PC_REASON_MALFORMED_CERT,
	  PC_KIND_LSC, "capf-a", false, "NUL" },
	{ true, "host-long-cn", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, PC_REASON_MALFORMED_CERT,
	  PC_KIND_LSC, "capf-a", false, "longer than" },
	{ true, "sudi-switch", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, PC_REASON_NOT_A_PHONE,
	  PC_KIND_MIC, "mfg-int", false, "C9300-48P" },
	{ true, "host-lower-sep", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, PC_REASON_NOT_A_PHONE,
	  PC_KIND_LSC, "capf-a", false, "sep0011223344aa" },
	/* A server certificate: its key purpose is checked before its name, as in the decision. */
	{ false, "server", NULL, false, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, PC_REASON_BAD_KEY_PURPOSE,
	  PC_KIND_UNKNOWN, NULL, false, "without clientAuth" },
};

static void test_diagnose_table(void **state)
{
	TALLOC_CTX *ctx = *state;
	size_t i;

	for (i = 0; i < UNIT_COUNT(diagnose_cases); i++) {
		diagnose_case_t const *c = &diagnose_cases[i];
		pc_config_t const *cfg = c->off ? fx.off : fx.cfg;
		time_t at = c->at_until ? fx.until : fx.now;
		pc_cert_t cert;
		pc_decision_t d;
		char *what = talloc_asprintf(ctx, "case %zu (%s%s%s%s)", i, c->leaf, c->sent ? " + " : "",
					     c->sent ? c->sent : "", c->off ? ", anchors disabled" : "");

		if (unit_record_sent(cfg, c->leaf, c->sent, at, &cert)) fail_msg("%s: the chain verified", what);
		if (cert.verify_error != c->error) {
			fail_msg("%s: OpenSSL says error %d (%s), the table says %d", what, cert.verify_error,
				 X509_verify_cert_error_string(cert.verify_error), c->error);
		}
		memset(&d, 0x5a, sizeof(d));
		/* FreeRADIUS's number is the record's, as the module finds it in the failure message. */
		pc_diagnose(cfg, &cert, cert.verify_error, NULL, at, &d);

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
		assert_int_equal(d.deadline, c->deadline ? fx.until : 0);
		assert_false(d.mac_mismatch);

		/* The error FreeRADIUS logged does not override the record's own. */
		pc_diagnose(cfg, &cert, X509_V_ERR_CERT_HAS_EXPIRED, "unsupported protocol", at, &d);
		if (d.reason != c->reason) fail_msg("%s: another error number changed the diagnosis", what);
	}
}

/* The phone is named in the diagnosis when its CN is a clean device name, never otherwise. */
static void test_diagnose_device(UNUSED void **state)
{
	static struct {
		char const	*leaf;
		char const	*name;		//!< NULL: no device.
	} const cases[] = {
		{ "lsc-c",		"SEP0011223344C0" },
		{ "mic-expired",	"SEP001E7AC3D1AB" },
		{ "lsc-rogue-ski",	"SEPB000B4BA0AEE" },
		{ "lsc-b",		"SEPB000B4BA0AEF" },
		{ "host-nul-cn",	NULL },
		{ "host-two-cn",	NULL },
		{ "host-nonascii",	NULL },
		{ "host-lower-sep",	NULL },
		{ "sudi-switch",	NULL },
	};
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_cert_t cert;
		pc_decision_t d;

		if (unit_record(fx.off, cases[i].leaf, fx.now, &cert)) fail_msg("%s verified", cases[i].leaf);
		pc_diagnose(fx.off, &cert, cert.verify_error, NULL, fx.now, &d);
		if (d.have_device != (cases[i].name != NULL)) fail_msg("%s: have_device = %d", cases[i].leaf, d.have_device);
		if (cases[i].name) assert_string_equal(d.device.name, cases[i].name);
	}
}

/*
 *	No record: the handshake failed before a certificate was verified (no certificate, old
 *	TLS), or the record was lost.  The failure messages and FreeRADIUS's error number speak.
 */
static void test_diagnose_without_record(UNUSED void **state)
{
	static struct {
		int		error;
		char const	*message;
		pc_reason_t	reason;
		char const	*detail;
	} const cases[] = {
		{ 0, "eap_tls: (TLS) recv TLS 1.3 Alert, fatal protocol_version: unsupported protocol", PC_REASON_OLD_TLS,
		  "unsupported protocol" },
		{ 0, "SSL routines::unsupported protocol", PC_REASON_OLD_TLS, NULL },
		{ 0, "error:0A00010B:SSL routines::wrong version number", PC_REASON_OLD_TLS, NULL },
		{ 0, "error:0A0000BF:SSL routines::no protocols available", PC_REASON_OLD_TLS, NULL },
		{ 0, "SSL routines::no shared cipher", PC_REASON_OLD_TLS, NULL },
		{ 0, "SSL routines::md too weak", PC_REASON_WEAK_SIGNATURE, NULL },
		{ 0, "SSL routines::ee key too small", PC_REASON_WEAK_KEY, NULL },
		{ 0, "SSL routines::peer did not return a certificate", PC_REASON_NO_CLIENT_CERT, NULL },
		{ 0, "eap_tls: (TLS) Alert write:fatal:unknown CA", PC_REASON_ISSUER_UNKNOWN, "Alert write:fatal:unknown CA" },
		{ 0, "Connection reset by peer", PC_REASON_TLS_FAILED, "Connection reset by peer" },
		{ 0, NULL, PC_REASON_TLS_FAILED, "no details" },
		{ 0, "", PC_REASON_TLS_FAILED, NULL },
		/* An error number and no record (it was lost, or did not decode): the number speaks,
		 * naming nothing; it wins over the text. */
		{ X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, NULL, PC_REASON_ISSUER_UNKNOWN, "(unknown)" },
		{ X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, "unsupported protocol", PC_REASON_ISSUER_UNKNOWN, NULL },
		{ X509_V_ERR_CERT_SIGNATURE_FAILURE, NULL, PC_REASON_SIGNATURE_INVALID, NULL },
		{ X509_V_ERR_CERT_HAS_EXPIRED, NULL, PC_REASON_CERT_EXPIRED, NULL },
		{ X509_V_ERR_CERT_CHAIN_TOO_LONG, NULL, PC_REASON_CHAIN_TOO_DEEP, NULL },
		{ X509_V_ERR_CA_MD_TOO_WEAK, NULL, PC_REASON_WEAK_SIGNATURE, NULL },
		{ X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, NULL, PC_REASON_SELF_SIGNED, NULL },
		{ X509_V_ERR_INVALID_PURPOSE, NULL, PC_REASON_BAD_KEY_PURPOSE, NULL },
		{ 12345, NULL, PC_REASON_TLS_FAILED, "OpenSSL verify error 12345" },
	};
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_decision_t d;

		memset(&d, 0x5a, sizeof(d));
		pc_diagnose(fx.cfg, NULL, cases[i].error, cases[i].message, fx.now, &d);
		if (d.reason != cases[i].reason) {
			fail_msg("error %d, '%s': %s (%s), expected %s", cases[i].error,
				 cases[i].message ? cases[i].message : "(null)", pc_reason_name(d.reason), d.detail,
				 pc_reason_name(cases[i].reason));
		}
		assert_false(pc_decision_accepts(&d));
		assert_false(d.have_device);
		assert_null(d.anchor);
		assert_int_equal(d.kind, PC_KIND_UNKNOWN);
		assert_int_equal(d.deadline, 0);
		if (d.detail[0] == '\0' && cases[i].message && cases[i].message[0]) fail_msg("case %zu: no detail", i);
		if (cases[i].detail) assert_contains(d.detail, cases[i].detail);
		/* And without a configuration. */
		pc_diagnose(NULL, NULL, cases[i].error, cases[i].message, fx.now, &d);
		assert_int_equal(d.reason, cases[i].reason);
	}
}

/* A record of a chain that verified, and a handshake that failed afterwards. */
static void test_diagnose_verified_record(UNUSED void **state)
{
	pc_cert_t cert;
	pc_decision_t d;

	assert_true(unit_record(fx.cfg, "lsc-a", fx.now, &cert));
	pc_diagnose(fx.cfg, &cert, 0, "eap_tls: Alert write:fatal:protocol version", fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_OLD_TLS);
	assert_true(d.have_device);
	assert_string_equal(d.device.name, "SEPB000B4BA0AEE");
	assert_false(pc_decision_accepts(&d));

	pc_diagnose(fx.cfg, &cert, 0, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_TLS_FAILED);
	assert_string_equal(d.detail, "no details");
}

/* Without a configuration the diagnosis still explains, it just names no anchor. */
static void test_diagnose_without_config(UNUSED void **state)
{
	pc_cert_t cert;
	pc_decision_t d;

	assert_false(unit_record(fx.cfg, "lsc-rogue", fx.now, &cert));
	pc_diagnose(NULL, &cert, cert.verify_error, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_CAPF_KEY_MISMATCH);
	assert_null(d.anchor);

	/* The record names capf-b as the signer, but there is no configuration to find it in. */
	assert_false(unit_record(fx.cfg, "lsc-b", fx.now, &cert));
	assert_true(cert.flags & PC_CHAIN_SIGNER_FOUND);
	pc_diagnose(NULL, &cert, cert.verify_error, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_CAPF_NOT_UPLOADED);
	assert_null(d.anchor);

	pc_diagnose(NULL, NULL, 0, NULL, fx.now, &d);
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

/* The whole path the module takes: failure message -> error number -> diagnosis of the record. */
static void test_diagnose_from_failure_message(UNUSED void **state)
{
	char const *msg = "eap_tls: ERROR: (TLS) OpenSSL says error 20 : unable to get local issuer certificate";
	pc_cert_t cert;
	pc_decision_t d;

	assert_false(unit_record(fx.cfg, "lsc-c", fx.now, &cert));
	pc_diagnose(fx.cfg, &cert, pc_failure_openssl_error(msg), msg, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_CAPF_NOT_UPLOADED);
	assert_string_equal(pc_reason_name(d.reason), "capf-not-uploaded");

	/* The record lost: the message alone still gives a reason. */
	pc_diagnose(fx.cfg, NULL, pc_failure_openssl_error(msg), msg, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_ISSUER_UNKNOWN);
}

/*
 *	Advice by role: the reasons about an anchor's state, key or expiry speak of CAPFs; for a
 *	manufacturing CA they have their own words, and every other reason keeps the table's.
 */
static void test_advice_role(UNUSED void **state)
{
	static pc_reason_t const worded[] = {
		PC_REASON_CAPF_DISABLED, PC_REASON_CAPF_WINDOW_CLOSED, PC_REASON_CAPF_KEY_MISMATCH, PC_REASON_ANCHOR_EXPIRED,
	};
	unsigned int i;
	size_t j;

	for (i = 0; i < pc_reason_count(); i++) {
		pc_reason_t reason = pc_reason_at(i);
		char const *lsc = pc_reason_advice_role(reason, false), *mic = pc_reason_advice_role(reason, true);
		bool differs = false;

		assert_string_equal(lsc, pc_reason_advice(reason));
		for (j = 0; j < UNIT_COUNT(worded); j++) differs |= worded[j] == reason;
		if (differs) {
			if (strcmp(lsc, mic) == 0) fail_msg("%s: no MIC wording", pc_reason_name(reason));
			assert_contains(mic, "manufacturing CA");
			assert_null(strchr(mic, '\n'));
			assert_int_equal(mic[strlen(mic) - 1], '.');
		} else if (strcmp(lsc, mic) != 0) {
			fail_msg("%s: worded by role, unexpectedly", pc_reason_name(reason));
		}
	}
	/* A number outside the table: the table's fallback either way. */
	assert_string_equal(pc_reason_advice_role((pc_reason_t)77, true), pc_reason_advice((pc_reason_t)77));
}

/* The advice the module logs for a real diagnosis follows the anchor that signed the leaf. */
static void test_advice_role_of_diagnosis(UNUSED void **state)
{
	static struct {
		char const	*leaf;
		pc_role_t	role;
	} const cases[] = {
		{ "mic-8861", PC_ROLE_MIC },
		{ "lsc-a", PC_ROLE_LSC },
	};
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_cert_t cert;
		pc_decision_t d;
		char const *advice;

		assert_false(unit_record(fx.off, cases[i].leaf, fx.now, &cert));
		pc_diagnose(fx.off, &cert, cert.verify_error, NULL, fx.now, &d);
		assert_int_equal(d.reason, PC_REASON_CAPF_DISABLED);
		assert_non_null(d.anchor);
		assert_int_equal(d.anchor->role, cases[i].role);
		advice = pc_reason_advice_role(d.reason, d.anchor->role == PC_ROLE_MIC);
		if (cases[i].role == PC_ROLE_MIC) {
			assert_contains(advice, "MIC issued by a manufacturing CA that the admin disabled");
		} else {
			assert_contains(advice, "LSC issued by a CAPF that the admin disabled");
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_diagnose_table, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test(test_diagnose_device),
		cmocka_unit_test(test_diagnose_without_record),
		cmocka_unit_test(test_diagnose_verified_record),
		cmocka_unit_test(test_diagnose_without_config),
		cmocka_unit_test(test_failure_openssl_error),
		cmocka_unit_test(test_diagnose_from_failure_message),
		cmocka_unit_test(test_advice_role),
		cmocka_unit_test(test_advice_role_of_diagnosis),
	};

	return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
