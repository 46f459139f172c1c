/**
 * @file test_verify.c
 * @brief Chain verification against exactly the anchors trusted at a time (pc_verify_chain),
 *	  the trust set it uses, and what it records of a refused chain for the diagnosis.
 */
#include "unit.h"

#include <openssl/ec.h>
#include <openssl/x509v3.h>

#include <phonecert/ossl_compat.h>
#include <phonecert/verify.h>

static struct {
	TALLOC_CTX	*ctx;
	pc_config_t	*cfg;
	time_t		now;
	time_t		until;		//!< capf-a-old's trust_until: now + 30 days.
	char		fp_capf_a[PC_FINGERPRINT_HEX];
	char		fp_capf_a_old[PC_FINGERPRINT_HEX];
	char		fp_capf_b[PC_FINGERPRINT_HEX];
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
		"[anchor ent-ca]\nrole = lsc\nfile = @PKI@/ent-ca.crt\n"
		"[anchor mfg-int]\nrole = mic\nfile = @PKI@/mfg-int.crt\n",
		unit_time_text(fx.ctx, fx.until)));
	unit_fingerprint("capf-a", fx.fp_capf_a);
	unit_fingerprint("capf-a-old", fx.fp_capf_a_old);
	unit_fingerprint("capf-b", fx.fp_capf_b);
	return 0;
}

static int fixture_teardown(UNUSED void **state)
{
	talloc_free(fx.ctx);
	memset(&fx, 0, sizeof(fx));
	return 0;
}

/** Verify PKI_DIR/NAME.chain.pem with set at now; returns pc_verify_chain's result. */
static int verify(pc_trustset_t const *set, char const *name, time_t now, pc_cert_t *out)
{
	char file[128];
	STACK_OF(X509) *certs;
	int ok;

	snprintf(file, sizeof(file), "%s.chain.pem", name);
	certs = unit_pem_certs(file);
	ok = unit_verify_certs(set, false, certs, now, out);
	sk_X509_pop_free(certs, X509_free);
	return ok;
}

#define CHAIN_FLAGS (PC_CHAIN_ISSUER_TRUSTED | PC_CHAIN_SIGNER_FOUND | PC_CHAIN_ISSUER_NAMED | PC_CHAIN_SENT_NAMES_ANCHOR)

/*
 *	The trust set.
 */
static void test_trustset_refcount(UNUSED void **state)
{
	pc_trustset_t *set = pc_trustset_new(fx.cfg->trust, fx.now);
	pc_cert_t c;

	assert_non_null(set);
	pc_trustset_up_ref(set);
	pc_trustset_up_ref(set);
	pc_trustset_free(set);
	pc_trustset_free(set);
	/* One reference left: still whole (ASan says so if not). */
	assert_int_equal(verify(set, "lsc-a", fx.now, &c), 1);
	assert_string_equal(c.issuer_fp, fx.fp_capf_a);
	pc_trustset_free(set);

	/* NULL is allowed. */
	pc_trustset_up_ref(NULL);
	pc_trustset_free(NULL);
	assert_int_equal(pc_trustset_next_change(NULL), 0);
}

/* The set holds its own references: it outlives the configuration (a reload frees the old one). */
static void test_trustset_outlives_config(UNUSED void **state)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	pc_config_t *cfg = unit_config(ctx, "[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n");
	pc_trustset_t *set = pc_trustset_new(cfg->trust, fx.now);
	pc_cert_t c;

	assert_non_null(set);
	talloc_free(ctx);
	assert_int_equal(verify(set, "lsc-a", fx.now, &c), 1);
	assert_true(c.flags & PC_CHAIN_ISSUER_TRUSTED);
	assert_string_equal(c.issuer_fp, fx.fp_capf_a);
	assert_int_equal(verify(set, "lsc-rogue", fx.now, &c), 0);
	assert_true(c.flags & PC_CHAIN_ISSUER_NAMED);
	pc_trustset_free(set);
}

static void test_anchor_trusted_at(UNUSED void **state)
{
	pc_anchor_t a;
	unsigned int i;

	memset(&a, 0, sizeof(a));
	a.state = PC_STATE_ACTIVE;
	assert_true(pc_anchor_trusted_at(&a, 0));
	assert_true(pc_anchor_trusted_at(&a, fx.now));
	a.trust_until = fx.now;			/* ignored unless retiring */
	assert_true(pc_anchor_trusted_at(&a, fx.now + UNIT_DAY));

	a.state = PC_STATE_RETIRING;
	a.trust_until = fx.until;
	assert_true(pc_anchor_trusted_at(&a, fx.now));
	assert_true(pc_anchor_trusted_at(&a, fx.until - 1));
	assert_false(pc_anchor_trusted_at(&a, fx.until));
	assert_false(pc_anchor_trusted_at(&a, fx.until + 1));

	a.state = PC_STATE_DISABLED;
	a.trust_until = fx.until;
	assert_false(pc_anchor_trusted_at(&a, fx.now));
	assert_false(pc_anchor_trusted_at(&a, 0));

	a.state = (pc_state_t)7;		/* not a state: not trusted */
	assert_false(pc_anchor_trusted_at(&a, fx.now));

	/* The anchors of the fixture, as loaded. */
	for (i = 0; i < pc_trust_count(fx.cfg->trust); i++) {
		pc_anchor_t const *an = pc_trust_anchor(fx.cfg->trust, i);
		bool want = strcmp(an->name, "capf-b") != 0;

		if (pc_anchor_trusted_at(an, fx.now) != want) fail_msg("%s trusted at now: %d", an->name, !want);
		want = strcmp(an->name, "capf-b") != 0 && strcmp(an->name, "capf-a-old") != 0;
		if (pc_anchor_trusted_at(an, fx.until) != want) fail_msg("%s trusted at until: %d", an->name, !want);
	}
}

static void test_trustset_next_change(UNUSED void **state)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	pc_config_t *cfg = unit_config(ctx, talloc_asprintf(ctx,
		"[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n"
		"[anchor a]\nrole = lsc\nstate = retiring\ntrust_until = %s\nfile = @PKI@/capf-a-old.crt\n"
		"[anchor b]\nrole = lsc\nstate = retiring\ntrust_until = %s\nfile = @PKI@/capf-b.crt\n"
		"[anchor c]\nrole = lsc\nstate = retiring\ntrust_until = %s\nfile = @PKI@/capf-c.crt\n",
		unit_time_text(ctx, fx.now + 30 * UNIT_DAY), unit_time_text(ctx, fx.now + 10 * UNIT_DAY),
		unit_time_text(ctx, fx.now - UNIT_DAY)));
	pc_trustset_t *set;

	/* The earliest deadline still ahead; one already passed does not count. */
	set = pc_trustset_new(cfg->trust, fx.now);
	assert_int_equal(pc_trustset_next_change(set), fx.now + 10 * UNIT_DAY);
	pc_trustset_free(set);
	set = pc_trustset_new(cfg->trust, fx.now + 10 * UNIT_DAY);
	assert_int_equal(pc_trustset_next_change(set), fx.now + 30 * UNIT_DAY);
	pc_trustset_free(set);
	set = pc_trustset_new(cfg->trust, fx.now + 30 * UNIT_DAY);
	assert_int_equal(pc_trustset_next_change(set), 0);
	pc_trustset_free(set);

	/* Nothing retiring (disabled anchors never change by the clock). */
	set = pc_trustset_new(fx.cfg->trust, fx.until);
	assert_int_equal(pc_trustset_next_change(set), 0);
	pc_trustset_free(set);
	talloc_free(ctx);
}

/*
 *	pc_verify_chain.
 */
static void test_verify_success(UNUSED void **state)
{
	static struct {
		char const	*name;
		char const	*fp_of;
	} const cases[] = {
		{ "lsc-a", "capf-a" },
		{ "lsc-a-ec", "capf-a" },
		{ "lsc-a-old", "capf-a-old" },		/* same subject as capf-a: told apart by key */
		{ "lsc-ent", "ent-ca" },
		{ "mic-8861", "mfg-int" },		/* partial chain: mfg-int is the anchor, not its root */
		{ "mic-8861-fullchain", "mfg-int" },	/* the phone sends mfg-int too: still one untrusted */
		{ "sudi-switch", "mfg-int" },		/* the chain says nothing of phones */
		{ "host-leaf-ca", "capf-a" },
	};
	pc_trustset_t *set = pc_trustset_new(fx.cfg->trust, fx.now);
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		char fp[PC_FINGERPRINT_HEX];
		pc_cert_t c;
		int ok = verify(set, cases[i].name, fx.now, &c);

		if (ok != 1) fail_msg("%s: not verified (error %d at depth %d)", cases[i].name, c.verify_error, c.error_depth);
		unit_fingerprint(cases[i].fp_of, fp);
		assert_int_equal(c.verify_error, 0);
		assert_int_equal(c.error_depth, 0);
		assert_int_equal(c.chain_length, 2);
		assert_int_equal(c.untrusted, 1);
		assert_int_equal(c.flags & CHAIN_FLAGS, PC_CHAIN_ISSUER_TRUSTED);
		if (strcmp(c.issuer_fp, fp) != 0) fail_msg("%s: anchor %s, expected %s's", cases[i].name, c.issuer_fp, cases[i].fp_of);
		/* The leaf's facts are there too. */
		assert_true(c.serial_len > 0 && c.not_after > c.not_before);
	}
	pc_trustset_free(set);
}

/* A retiring anchor stops completing chains at its deadline, with a set built before it. */
static void test_verify_retiring_deadline(UNUSED void **state)
{
	pc_trustset_t *set = pc_trustset_new(fx.cfg->trust, fx.now);
	pc_trustset_t *later;
	pc_cert_t c;

	assert_int_equal(pc_trustset_next_change(set), fx.until);
	assert_int_equal(verify(set, "lsc-a-old", fx.now, &c), 1);
	assert_string_equal(c.issuer_fp, fx.fp_capf_a_old);
	assert_int_equal(verify(set, "lsc-a-old", fx.until - 1, &c), 1);

	/* The slow path: the set's own list is stale from fx.until on. */
	assert_int_equal(verify(set, "lsc-a-old", fx.until, &c), 0);
	assert_int_equal(c.verify_error, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	assert_int_equal(c.flags & CHAIN_FLAGS, PC_CHAIN_SIGNER_FOUND);
	assert_string_equal(c.issuer_fp, fx.fp_capf_a_old);	/* for the diagnosis: the closed window */
	assert_int_equal(verify(set, "lsc-a-old", fx.until + UNIT_DAY, &c), 0);
	/* ... while the active CAPF of the same name goes on. */
	assert_int_equal(verify(set, "lsc-a", fx.until + UNIT_DAY, &c), 1);
	assert_string_equal(c.issuer_fp, fx.fp_capf_a);
	/* And the fast path again afterwards (nothing is cached from the slow one). */
	assert_int_equal(verify(set, "lsc-a-old", fx.now, &c), 1);

	/* A set built after the deadline, used at a time before it (a clock stepped back). */
	later = pc_trustset_new(fx.cfg->trust, fx.until + UNIT_DAY);
	assert_int_equal(pc_trustset_next_change(later), 0);
	assert_int_equal(verify(later, "lsc-a-old", fx.until + UNIT_DAY, &c), 0);
	assert_int_equal(verify(later, "lsc-a-old", fx.now, &c), 1);
	assert_string_equal(c.issuer_fp, fx.fp_capf_a_old);
	pc_trustset_free(later);
	pc_trustset_free(set);
}

/* A disabled anchor completes no chain, and the record names it as the signer. */
static void test_verify_disabled_signer(UNUSED void **state)
{
	pc_trustset_t *set = pc_trustset_new(fx.cfg->trust, fx.now);
	pc_cert_t c;

	assert_int_equal(verify(set, "lsc-b", fx.now, &c), 0);
	assert_int_equal(c.verify_error, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	assert_int_equal(c.error_depth, 0);
	assert_int_equal(c.flags & CHAIN_FLAGS, PC_CHAIN_SIGNER_FOUND);
	assert_string_equal(c.issuer_fp, fx.fp_capf_b);
	assert_string_equal(c.cn, "CP-8861-SEPB000B4BA0AEF");
	pc_trustset_free(set);
}

/* Names prove nothing: a leaf naming an anchor it was not signed by is flagged, not matched. */
static void test_verify_borrowed_names(UNUSED void **state)
{
	pc_trustset_t *set = pc_trustset_new(fx.cfg->trust, fx.now);
	pc_cert_t c;

	/* rogue-a: capf-a's subject and serial, its own key. */
	assert_int_equal(verify(set, "lsc-rogue", fx.now, &c), 0);
	assert_int_equal(c.verify_error, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	assert_int_equal(c.flags & CHAIN_FLAGS, PC_CHAIN_ISSUER_NAMED);
	assert_string_equal(c.issuer_fp, "");

	/* rogue-a-ski also copies capf-a's key identifier: OpenSSL tries capf-a, the signature fails. */
	assert_int_equal(verify(set, "lsc-rogue-ski", fx.now, &c), 0);
	assert_int_equal(c.verify_error, X509_V_ERR_CERT_SIGNATURE_FAILURE);
	assert_int_equal(c.flags & CHAIN_FLAGS, PC_CHAIN_ISSUER_NAMED);
	assert_string_equal(c.issuer_fp, "");

	/* Another cluster's CAPF: named by nothing uploaded. */
	assert_int_equal(verify(set, "lsc-c", fx.now, &c), 0);
	assert_int_equal(c.flags & CHAIN_FLAGS, 0);
	assert_string_equal(c.issuer_fp, "");
	assert_string_equal(c.issuer_cn, "CAPF-0badc0de");
	pc_trustset_free(set);
}

/* CAs the phone sends: counted as untrusted, and flagged when they pose as or hang under anchors. */
static void test_verify_sent_cas(UNUSED void **state)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	pc_config_t *root = unit_config(ctx,
		"[anchor mfg-root]\nrole = mic\nfile = @PKI@/mfg-root.crt\n"
		"[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n");
	pc_config_t *root_disabled = unit_config(ctx,
		"[anchor mfg-root]\nrole = mic\nstate = disabled\nfile = @PKI@/mfg-root.crt\n");
	pc_trustset_t *set = pc_trustset_new(root->trust, fx.now);
	pc_cert_t c;

	/* Verified through an intermediate the phone sent: two untrusted, the anchor is chain[2]. */
	assert_int_equal(verify(set, "mic-8861-fullchain", fx.now, &c), 1);
	assert_int_equal(c.chain_length, 3);
	assert_int_equal(c.untrusted, 2);
	assert_int_equal(c.flags & CHAIN_FLAGS, 0);
	assert_string_equal(c.issuer_fp, "");
	assert_int_equal(verify(set, "host-via-unuploaded", fx.now, &c), 1);
	assert_int_equal(c.untrusted, 2);
	assert_int_equal(c.flags & PC_CHAIN_ISSUER_TRUSTED, 0);

	/* Too deep under capf-a (pathlen:0): deep-int1 names capf-a as its issuer. */
	assert_int_equal(verify(set, "host-deep", fx.now, &c), 0);
	assert_int_equal(c.verify_error, X509_V_ERR_PATH_LENGTH_EXCEEDED);
	assert_int_equal(c.chain_length, 4);
	assert_int_equal(c.untrusted, 3);
	assert_int_equal(c.flags & CHAIN_FLAGS, PC_CHAIN_SENT_NAMES_ANCHOR);
	pc_trustset_free(set);

	/* The root disabled: the sent intermediate still hangs under an uploaded anchor. */
	set = pc_trustset_new(root_disabled->trust, fx.now);
	assert_int_equal(verify(set, "host-via-unuploaded", fx.now, &c), 0);
	assert_int_equal(c.untrusted, 2);
	assert_int_equal(c.error_depth, 1);
	assert_int_equal(c.flags & CHAIN_FLAGS, PC_CHAIN_SENT_NAMES_ANCHOR);
	pc_trustset_free(set);

	/* With only mfg-int uploaded, unuploaded-int names nothing uploaded. */
	set = pc_trustset_new(fx.cfg->trust, fx.now);
	assert_int_equal(verify(set, "host-via-unuploaded", fx.now, &c), 0);
	assert_int_equal(c.error_depth, 1);
	assert_int_equal(c.flags & CHAIN_FLAGS, 0);
	pc_trustset_free(set);
	talloc_free(ctx);
}

/* OpenSSL's own store (ca_path and its cache) is never consulted: only the set trusts. */
static void test_verify_ignores_store(UNUSED void **state)
{
	static char const *const cached[] = { "capf-b", "capf-c", "rogue-a", "capf-a-old" };
	pc_trustset_t *set = pc_trustset_new(fx.cfg->trust, fx.until);	/* capf-a-old closed */
	X509_STORE *store = X509_STORE_new();
	size_t i;
	static struct {
		char const	*leaf;
		int		ok;
	} const cases[] = {
		{ "lsc-b", 0 }, { "lsc-c", 0 }, { "lsc-rogue", 0 }, { "lsc-a-old", 0 }, { "lsc-a", 1 },
	};

	assert_non_null(store);
	for (i = 0; i < UNIT_COUNT(cached); i++) {
		X509 *cert = unit_cert(cached[i]);

		assert_int_equal(X509_STORE_add_cert(store, cert), 1);
		X509_free(cert);
	}
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	for (i = 0; i < UNIT_COUNT(cases); i++) {
		char file[128];
		STACK_OF(X509) *certs;
		X509_STORE_CTX *vctx = X509_STORE_CTX_new();
		pc_cert_t c;
		int ok;

		snprintf(file, sizeof(file), "%s.chain.pem", cases[i].leaf);
		certs = unit_pem_certs(file);
		assert_int_equal(X509_STORE_CTX_init(vctx, store, sk_X509_value(certs, 0), certs), 1);
		assert_int_equal(X509_STORE_CTX_set_default(vctx, "ssl_client"), 1);
		X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(vctx), fx.until);
		ok = pc_verify_chain(set, vctx, fx.until, &c);
		if (ok != cases[i].ok) fail_msg("%s: verified %d with OpenSSL's store holding its CA", cases[i].leaf, ok);
		X509_STORE_CTX_free(vctx);
		sk_X509_pop_free(certs, X509_free);
	}
	X509_STORE_free(store);
	pc_trustset_free(set);
	ERR_clear_error();
}

/* Without a trust set (none published yet): fails closed. */
static void test_verify_without_set(UNUSED void **state)
{
	STACK_OF(X509) *certs = unit_pem_certs("lsc-a.chain.pem");
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *vctx = X509_STORE_CTX_new();
	pc_cert_t c;

	assert_int_equal(X509_STORE_CTX_init(vctx, store, sk_X509_value(certs, 0), certs), 1);
	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(pc_verify_chain(NULL, vctx, fx.now, &c), 0);
	assert_int_equal(c.verify_error, X509_V_ERR_UNSPECIFIED);
	assert_int_equal(X509_STORE_CTX_get_error(vctx), X509_V_ERR_UNSPECIFIED);
	assert_int_equal(c.flags, 0);
	assert_string_equal(c.issuer_fp, "");
	X509_STORE_CTX_free(vctx);
	X509_STORE_free(store);
	sk_X509_pop_free(certs, X509_free);

	/* An empty trust store: nothing verifies. */
	{
		TALLOC_CTX *ctx = talloc_new(NULL);
		pc_trust_t *empty = pc_trust_alloc(ctx);
		pc_trustset_t *set = pc_trustset_new(empty, fx.now);

		assert_non_null(set);
		assert_int_equal(verify(set, "lsc-a", fx.now, &c), 0);
		assert_int_equal(c.verify_error, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
		assert_int_equal(c.flags & CHAIN_FLAGS, 0);
		pc_trustset_free(set);
		talloc_free(ctx);
	}
}

/** A certificate for the deep chain: all of them share one key, each names the next as issuer. */
static X509 *chain_cert(EVP_PKEY *key, char const *subject, char const *issuer, bool ca)
{
	X509 *x = X509_new();
	X509_NAME *s = X509_NAME_new(), *i = X509_NAME_new();
	X509V3_CTX v3;
	X509_EXTENSION *ext;

	assert_non_null(x);
	assert_int_equal(X509_set_version(x, 2), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 7), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(s, "CN", MBSTRING_ASC, (unsigned char const *)subject, -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(i, "CN", MBSTRING_ASC, (unsigned char const *)issuer, -1, -1, 0), 1);
	assert_int_equal(X509_set_subject_name(x, s), 1);
	assert_int_equal(X509_set_issuer_name(x, i), 1);
	assert_non_null(X509_time_adj_ex(X509_getm_notBefore(x), -1, 0, &fx.now));
	assert_non_null(X509_time_adj_ex(X509_getm_notAfter(x), 365, 0, &fx.now));
	assert_int_equal(X509_set_pubkey(x, key), 1);
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	X509_EXTENSION_free(ext);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	X509_NAME_free(s);
	X509_NAME_free(i);
	return x;
}

/*
 * A phone sending more CAs than OpenSSL's depth limit (100) makes a chain of 102: the record
 * still encodes to something that decodes (the counts saturate), so the diagnosis gets it.
 */
static void test_verify_chain_past_depth_limit(void **state)
{
	TALLOC_CTX *ctx = *state;
	EVP_PKEY *key = EVP_EC_gen("P-256");
	STACK_OF(X509) *certs = sk_X509_new_null();
	char *dir = unit_tmpdir(ctx), subject[32], issuer[32], text[PC_CERT_RECORD_MAX];
	X509 *root;
	FILE *fp;
	pc_config_t *cfg;
	pc_trustset_t *set;
	pc_cert_t c, back;
	pc_decision_t d;
	size_t len;
	int k;

	assert_non_null(key);
	assert_non_null(certs);
	root = chain_cert(key, "CAPF-00000000", "CAPF-00000000", true);
	fp = fopen(talloc_asprintf(ctx, "%s/root.pem", dir), "w");
	assert_non_null(fp);
	assert_int_equal(PEM_write_X509(fp, root), 1);
	fclose(fp);
	X509_free(root);
	cfg = unit_config(ctx, talloc_asprintf(ctx, "[anchor root]\nrole = lsc\nfile = %s/root.pem\n", dir));

	assert_true(sk_X509_push(certs, chain_cert(key, "SEP001122334455", "CA-120", false)) > 0);
	for (k = 120; k >= 1; k--) {
		snprintf(subject, sizeof(subject), "CA-%d", k);
		snprintf(issuer, sizeof(issuer), k > 1 ? "CA-%d" : "CAPF-00000000", k - 1);
		assert_true(sk_X509_push(certs, chain_cert(key, subject, issuer, true)) > 0);
	}
	set = pc_trustset_new(cfg->trust, fx.now);
	assert_int_equal(unit_verify_certs(set, false, certs, fx.now, &c), 0);
	assert_int_equal(c.verify_error, X509_V_ERR_CERT_CHAIN_TOO_LONG);
	assert_int_equal(c.chain_length, PC_CHAIN_COUNT_MAX);
	assert_int_equal(c.untrusted, PC_CHAIN_COUNT_MAX);
	assert_true(c.error_depth >= 0 && c.error_depth <= PC_CHAIN_COUNT_MAX);

	len = pc_cert_encode(&c, text, sizeof(text));
	if (len == 0) fail_msg("the record of a long chain does not encode");
	if (!pc_cert_decode(text, len, &back)) fail_msg("the record of a long chain does not decode: %s", text);
	assert_true(unit_cert_equal(&c, &back));
	pc_diagnose(cfg, &back, back.verify_error, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_CHAIN_TOO_DEEP);

	pc_trustset_free(set);
	sk_X509_pop_free(certs, X509_free);
	EVP_PKEY_free(key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trustset_refcount),
		cmocka_unit_test(test_trustset_outlives_config),
		cmocka_unit_test(test_anchor_trusted_at),
		cmocka_unit_test(test_trustset_next_change),
		cmocka_unit_test(test_verify_success),
		cmocka_unit_test(test_verify_retiring_deadline),
		cmocka_unit_test(test_verify_disabled_signer),
		cmocka_unit_test(test_verify_borrowed_names),
		cmocka_unit_test(test_verify_sent_cas),
		cmocka_unit_test(test_verify_ignores_store),
		cmocka_unit_test(test_verify_without_set),
		cmocka_unit_test_setup_teardown(test_verify_chain_past_depth_limit, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
