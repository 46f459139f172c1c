/**
 * @file test_crl.c
 * @brief Per-anchor CRLs: loading (PEM, DER, wrong signer, broken, stale), lookups, and the
 *	  decision's cert-revoked and crl-stale under each crl_stale policy.
 *
 * The CRLs are the test PKI's (tests/pki/mkcrl.c): ent-ca.crl.pem/.der revoke lsc-ent-revoked,
 * ent-ca-stale.crl.pem is past its nextUpdate, ent-ca-otherkey.crl.pem carries ent-ca's name
 * but capf-c's signature.
 */
#include "unit.h"

#include <openssl/pem.h>

#include <phonecert/crl.h>

static pc_config_t *config_with_crl(TALLOC_CTX *ctx, char const *crl, char const *stale)
{
	return unit_config(ctx, talloc_asprintf(ctx,
		"[policy]\nmac_binding = off\n%s%s%s"
		"[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n"
		"[anchor ent-ca]\nrole = lsc\nfile = @PKI@/ent-ca.crt\ncrl = @PKI@/%s\n",
		stale ? "crl_stale = " : "", stale ? stale : "", stale ? "\n" : "", crl));
}

static void test_crl_load(void **state)
{
	TALLOC_CTX *ctx = *state;
	X509 *ent = unit_cert("ent-ca"), *capf = unit_cert("capf-a");
	pc_crl_t *crl = NULL;
	pc_error_t err = { .msg = "" };
	pc_cert_t cert;
	pc_config_t *cfg = config_with_crl(ctx, "ent-ca.crl.pem", NULL);
	time_t now = unit_pki_now(), at;

	if (pc_crl_load(ctx, unit_pki_path(ctx, "ent-ca.crl.pem"), ent, &crl, &err) != 0) fail_msg("%s", err.msg);
	assert_int_equal(pc_crl_count(crl), 1);
	assert_false(pc_crl_stale(crl, now));
	assert_true(pc_crl_stale(crl, pc_crl_next_update(crl)));
	assert_true(pc_crl_this_update(crl) < now);
	assert_int_equal(strlen(pc_crl_digest(crl)), 64);

	/* The revoked certificate's serial is on it, the other LSC's is not. */
	assert_true(unit_record(cfg, "lsc-ent-revoked", now, &cert));
	assert_int_equal(pc_crl_lookup(crl, cert.serial, cert.serial_len, &at), PC_CRL_REVOKED);
	assert_true(at > 0 && at <= now);
	assert_true(unit_record(cfg, "lsc-ent", now, &cert));
	assert_int_equal(pc_crl_lookup(crl, cert.serial, cert.serial_len, &at), PC_CRL_GOOD);

	/* DER reads the same. */
	if (pc_crl_load(ctx, unit_pki_path(ctx, "ent-ca.crl.der"), ent, &crl, &err) != 0) fail_msg("%s", err.msg);
	assert_int_equal(pc_crl_count(crl), 1);

	/* Another anchor's key did not sign it: refused, naming the file. */
	assert_int_equal(pc_crl_load(ctx, unit_pki_path(ctx, "ent-ca.crl.pem"), capf, &crl, &err), -1);
	assert_null(crl);
	assert_contains(err.msg, "ent-ca.crl.pem: not signed by the key of the anchor's certificate");
	/* ent-ca's name, another key's signature. */
	assert_int_equal(pc_crl_load(ctx, unit_pki_path(ctx, "ent-ca-otherkey.crl.pem"), ent, &crl, &err), -1);
	assert_contains(err.msg, "ent-ca-otherkey.crl.pem: not signed by the key");
	X509_free(ent);
	X509_free(capf);
}

static void test_crl_load_broken(void **state)
{
	TALLOC_CTX *ctx = *state;
	X509 *ent = unit_cert("ent-ca");
	char *dir = unit_tmpdir(ctx), *path, *two;
	size_t len;
	unsigned char *pem = unit_read_file(ctx, unit_pki_path(ctx, "ent-ca.crl.pem"), &len);
	unsigned char *der = unit_read_file(ctx, unit_pki_path(ctx, "ent-ca.crl.der"), &len);
	pc_crl_t *crl = NULL;
	pc_error_t err = { .msg = "" };

	path = unit_write_text(ctx, dir, "garbage.crl", "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");
	assert_int_equal(pc_crl_load(ctx, path, ent, &crl, &err), -1);
	assert_contains(err.msg, "garbage.crl: not a readable PEM CRL");
	path = unit_write_text(ctx, dir, "text.crl", "hello\n");
	assert_int_equal(pc_crl_load(ctx, path, ent, &crl, &err), -1);
	assert_contains(err.msg, "text.crl: not a CRL");
	path = unit_write_text(ctx, dir, "empty.crl", "");
	assert_int_equal(pc_crl_load(ctx, path, ent, &crl, &err), -1);
	assert_contains(err.msg, "empty.crl: empty file");
	assert_int_equal(pc_crl_load(ctx, "/nonexistent/x.crl", ent, &crl, &err), -1);
	assert_contains(err.msg, "/nonexistent/x.crl: cannot read");
	/* Two CRLs in one file. */
	two = talloc_asprintf(ctx, "%s%s", (char *)pem, (char *)pem);
	path = unit_write_text(ctx, dir, "two.crl", two);
	assert_int_equal(pc_crl_load(ctx, path, ent, &crl, &err), -1);
	assert_contains(err.msg, "more than one CRL");
	/* DER with a byte after it, and cut short. */
	der = talloc_realloc(ctx, der, unsigned char, len + 1);
	der[len] = 0;
	path = unit_write_file(ctx, dir, "trailing.der", der, len + 1);
	assert_int_equal(pc_crl_load(ctx, path, ent, &crl, &err), -1);
	assert_contains(err.msg, "trailing data");
	path = unit_write_file(ctx, dir, "short.der", der, len - 1);
	assert_int_equal(pc_crl_load(ctx, path, ent, &crl, &err), -1);
	assert_contains(err.msg, "short.der: not a CRL");
	/* A flipped byte in the signed part: the signature no longer verifies. */
	der[len / 2] ^= 0x01;
	path = unit_write_file(ctx, dir, "flipped.der", der, len);
	assert_int_equal(pc_crl_load(ctx, path, ent, &crl, &err), -1);
	X509_free(ent);
}

/* A CRL that is broken or not signed by its anchor's key stops the whole configuration. */
static void test_crl_config_refuses(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_config_t *cfg = NULL;
	pc_error_t err = { .msg = "" };
	char *path = unit_config_file(ctx,
		"[anchor ent-ca]\nrole = lsc\nfile = @PKI@/ent-ca.crt\ncrl = @PKI@/ent-ca-otherkey.crl.pem\n");

	assert_int_equal(pc_config_load(ctx, path, &cfg, &err), -1);
	assert_null(cfg);
	assert_contains(err.msg, "phonecert.conf:1: [anchor ent-ca]: crl: ");
	assert_contains(err.msg, "ent-ca-otherkey.crl.pem: not signed by the key");
	/* capf-a's CRL file named under ent-ca's anchor: the same refusal. */
	path = unit_config_file(ctx, "[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\ncrl = @PKI@/ent-ca.crl.pem\n");
	assert_int_equal(pc_config_load(ctx, path, &cfg, &err), -1);
	assert_contains(err.msg, "[anchor capf-a]: crl: ");
	path = unit_config_file(ctx, "[policy]\ncrl_stale = maybe\n[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n");
	assert_int_equal(pc_config_load(ctx, path, &cfg, &err), -1);
	assert_contains(err.msg, "phonecert.conf:2: crl_stale: invalid value 'maybe'");
}

static void test_crl_decision(void **state)
{
	TALLOC_CTX *ctx = *state;
	time_t now = unit_pki_now();
	pc_decision_t d;
	pc_config_t *cfg = config_with_crl(ctx, "ent-ca.crl.pem", NULL);

	assert_true(unit_judge(cfg, "lsc-ent-revoked", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_CERT_REVOKED);
	assert_contains(d.detail, "anchor ent-ca");
	assert_true(unit_judge(cfg, "lsc-ent", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);
	/* Another anchor's phones are not looked up in ent-ca's CRL. */
	assert_true(unit_judge(cfg, "lsc-a", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);
	/* An empty CRL revokes nothing. */
	cfg = config_with_crl(ctx, "ent-ca-none.crl.pem", NULL);
	assert_true(unit_judge(cfg, "lsc-ent-revoked", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);
}

static void test_crl_stale_policy(void **state)
{
	TALLOC_CTX *ctx = *state;
	time_t now = unit_pki_now();
	pc_decision_t d;
	pc_config_t *cfg;

	/* The default is refuse. */
	cfg = config_with_crl(ctx, "ent-ca-stale.crl.pem", NULL);
	assert_int_equal(cfg->policy.crl_stale, PC_CRL_STALE_REFUSE);
	assert_true(unit_judge(cfg, "lsc-ent", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_CRL_STALE);
	assert_contains(d.detail, "past its nextUpdate");
	/* A stale CRL's revocations still count, whatever the policy. */
	assert_true(unit_judge(cfg, "lsc-ent-revoked", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_CERT_REVOKED);

	cfg = config_with_crl(ctx, "ent-ca-stale.crl.pem", "log");
	assert_true(unit_judge(cfg, "lsc-ent", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);
	assert_true(d.crl_stale);
	assert_contains(d.detail, "logged only");
	assert_true(unit_judge(cfg, "lsc-ent-revoked", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_CERT_REVOKED);

	cfg = config_with_crl(ctx, "ent-ca-stale.crl.pem", "ignore");
	assert_true(unit_judge(cfg, "lsc-ent", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);
	assert_false(d.crl_stale);

	/* A current CRL is stale from its nextUpdate on, by the clock. */
	cfg = config_with_crl(ctx, "ent-ca.crl.pem", NULL);
	assert_true(unit_judge(cfg, "lsc-ent", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);
	{
		pc_anchor_t const *ent = pc_trust_anchor(cfg->trust, 1);
		pc_cert_t cert;

		assert_non_null(ent->crl);
		assert_true(unit_record(cfg, "lsc-ent", now, &cert));
		pc_decide(cfg, &cert, NULL, NULL, pc_crl_next_update(ent->crl), &d);
		assert_int_equal(d.reason, PC_REASON_CRL_STALE);
		pc_decide(cfg, &cert, NULL, NULL, pc_crl_next_update(ent->crl) - 1, &d);
		assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);
	}
}

/* The configuration's digest covers the CRL's bytes. */
static void test_crl_digest(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_config_t *a = config_with_crl(ctx, "ent-ca.crl.pem", NULL);
	pc_config_t *b = config_with_crl(ctx, "ent-ca-none.crl.pem", NULL);

	assert_string_not_equal(a->digest, b->digest);
}

/* The sorted table: every serial of a 10,001-entry CRL is found, neighbours are not. */
static void test_crl_big_lookup(void **state)
{
	TALLOC_CTX *ctx = *state;
	X509 *ent = unit_cert("ent-ca");
	pc_crl_t *crl = NULL;
	pc_error_t err = { .msg = "" };
	pc_config_t *cfg = config_with_crl(ctx, "ent-ca.crl.pem", NULL);
	time_t now = unit_pki_now(), at;
	STACK_OF(X509_REVOKED) *revoked;
	unsigned char buf[24];
	X509_CRL *x;
	pc_cert_t cert;
	FILE *fp;
	int i, n;

	if (pc_crl_load(ctx, unit_pki_path(ctx, "ent-ca-big.crl.pem"), ent, &crl, &err) != 0) fail_msg("%s", err.msg);
	assert_int_equal(pc_crl_count(crl), 10001);
	assert_true(unit_record(cfg, "lsc-ent-revoked", now, &cert));
	assert_int_equal(pc_crl_lookup(crl, cert.serial, cert.serial_len, &at), PC_CRL_REVOKED);
	assert_true(at > 0 && at <= now);
	/* A leading zero byte is not part of the value. */
	buf[0] = 0;
	memcpy(buf + 1, cert.serial, cert.serial_len);
	assert_int_equal(pc_crl_lookup(crl, buf, cert.serial_len + 1, NULL), PC_CRL_REVOKED);
	assert_true(unit_record(cfg, "lsc-ent", now, &cert));
	assert_int_equal(pc_crl_lookup(crl, cert.serial, cert.serial_len, NULL), PC_CRL_GOOD);
	assert_int_equal(pc_crl_lookup(crl, buf, 0, NULL), PC_CRL_GOOD);

	/* OpenSSL's own reading of the file: each of its serials is found by the table. */
	fp = fopen(unit_pki_path(ctx, "ent-ca-big.crl.pem"), "r");
	assert_non_null(fp);
	x = PEM_read_X509_CRL(fp, NULL, NULL, NULL);
	fclose(fp);
	assert_non_null(x);
	revoked = X509_CRL_get_REVOKED(x);
	n = sk_X509_REVOKED_num(revoked);
	assert_int_equal(n, 10001);
	for (i = 0; i < n; i++) {
		ASN1_INTEGER const *ai = X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i));
		int len = ASN1_STRING_length(ai);

		assert_true(len > 0 && len <= 20);
		memcpy(buf, ASN1_STRING_get0_data(ai), (size_t)len);
		if (pc_crl_lookup(crl, buf, (unsigned int)len, NULL) != PC_CRL_REVOKED) fail_msg("entry %d not found", i);
		/* One more trailing byte makes another, larger number. */
		buf[len] = 0x01;
		if (pc_crl_lookup(crl, buf, (unsigned int)len + 1, NULL) == PC_CRL_REVOKED && len + 1 <= 20) {
			/* Only if the CRL happens to hold that number too. */
			ASN1_INTEGER *other = ASN1_INTEGER_new();
			X509_REVOKED *entry = NULL;

			assert_non_null(other);
			assert_int_equal(ASN1_STRING_set(other, buf, len + 1), 1);
			assert_int_equal(X509_CRL_get0_by_serial(x, &entry, other), 1);
			ASN1_INTEGER_free(other);
		}
	}
	X509_CRL_free(x);
	X509_free(ent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_crl_load, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_crl_big_lookup, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_crl_load_broken, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_crl_config_refuses, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_crl_decision, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_crl_stale_policy, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_crl_digest, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
