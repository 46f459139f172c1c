/**
 * @file test_deny.c
 * @brief The deny-list: its parser (errors name file and line), expiry, lookups, and the
 *	  decision refusing a denied phone by name, MAC, fingerprint or anchor + serial.
 */
#include "unit.h"

#include <phonecert/deny.h>

#define FP_A "4c40171ec485941de71f68d6503890ef1797f2f3c5835e60c29cab32cd87bb10"
#define NOW ((time_t)1800000000)

static pc_deny_t *parse_ok(TALLOC_CTX *ctx, char const *text)
{
	pc_deny_t *deny = NULL;
	pc_error_t err = { .msg = "" };

	if (pc_deny_parse(ctx, "deny.conf", text, strlen(text), &deny, &err) != 0) fail_msg("refused: %s", err.msg);
	return deny;
}

static void test_deny_parse_good(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_deny_t *deny = parse_ok(ctx,
		"# lost phones\n"
		"\n"
		"device sep001e7ac3d1ab note=stolen from desk 4.12, ticket #4711\n"
		"  mac 00-1E-7A-C3-D1-AC expires=2027-01-01\n"
		"fingerprint 4C:40:17:1E:C4:85:94:1D:E7:1F:68:D6:50:38:90:EF:17:97:F2:F3:C5:83:5E:60:C2:9C:AB:32:CD:87:BB:10\n"
		"serial " FP_A " 0x00A1b2 expires=2026-01-01T00:00:00Z note=old\n"
		"device CP-8861-SEPB000B4BA0AEE\n");
	pc_deny_entry_t const *e;

	assert_int_equal(pc_deny_count(deny), 5);
	e = pc_deny_entry(deny, 0);
	assert_string_equal(e->key, "device SEP001E7AC3D1AB");
	assert_string_equal(e->note, "stolen from desk 4.12, ticket #4711");
	assert_int_equal(e->line, 3);
	assert_int_equal(e->expires, 0);
	e = pc_deny_entry(deny, 1);
	assert_string_equal(e->key, "mac 001E7AC3D1AC");
	assert_string_equal(e->note, "");
	assert_true(e->expires > 0);
	assert_string_equal(pc_deny_entry(deny, 2)->key, "fingerprint " FP_A);
	/* Serials as pc_cert_serial_hex prints them: whole bytes, no leading zero byte. */
	assert_string_equal(pc_deny_entry(deny, 3)->key, "serial " FP_A " a1b2");
	assert_string_equal(pc_deny_entry(deny, 4)->key, "device SEPB000B4BA0AEE");
	assert_null(pc_deny_entry(deny, 5));
	assert_int_equal(strlen(pc_deny_digest(deny)), 64);
}

static void test_deny_parse_refuses(void **state)
{
	TALLOC_CTX *ctx = *state;
	static struct {
		char const	*text;
		char const	*error;
	} const cases[] = {
		{ "devices SEP001E7AC3D1AB\n", "deny.conf:1: unknown entry kind 'devices'" },
		{ "# ok\ndevice SEP001E7AC3D1A\n", "deny.conf:2: 'SEP001E7AC3D1A' is not a phone device name" },
		{ "device\n", "deny.conf:1: missing value" },
		{ "device SEP001E7AC3D1AB SEP001E7AC3D1AC\n", "deny.conf:1: unexpected 'SEP001E7AC3D1AC'" },
		{ "mac 00:1e:7a:c3:d1\n", "deny.conf:1: '00:1e:7a:c3:d1' is not a MAC address" },
		{ "mac 00:1e-7a:c3:d1:ab\n", "is not a MAC address" },
		{ "fingerprint abcd\n", "deny.conf:1: 'abcd' is not a SHA-256 fingerprint" },
		{ "fingerprint " FP_A "00\n", "is not a SHA-256 fingerprint" },
		{ "serial " FP_A "\n", "missing the certificate's serial" },
		{ "serial capf-a 0a\n", "is not the issuing anchor's SHA-256 fingerprint" },
		{ "serial " FP_A " 00\n", "is not a certificate serial" },
		{ "serial " FP_A " xyz\n", "is not a certificate serial" },
		{ "serial " FP_A " 00112233445566778899aabbccddeeff0011223344\n", "is not a certificate serial" },
		{ "mac 001e7ac3d1ab expires=tomorrow\n", "deny.conf:1: expires: cannot parse time 'tomorrow'" },
		{ "mac 001e7ac3d1ab expires=2027-01-01 expires=2028-01-01\n", "expires= given twice" },
		{ "mac 001e7ac3d1ab expires=2027-01-01 001e7ac3d1ac\n", "after expires=" },
		{ "mac 001e7ac3d1ab note=caf\xc3\xa9\n", "deny.conf:1: note holds a control or non-ASCII byte" },
		{ "mac 001e7ac3d1ab\ndevice SEP001E7AC3D1AB\nmac 00:1E:7A:C3:D1:AB note=again\n",
		  "deny.conf:3: duplicate entry 'mac 001E7AC3D1AB' (first at line 1)" },
	};
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_deny_t *deny = (pc_deny_t *)ctx;
		pc_error_t err = { .msg = "" };

		if (pc_deny_parse(ctx, "deny.conf", cases[i].text, strlen(cases[i].text), &deny, &err) == 0) {
			fail_msg("accepted: %s", cases[i].text);
		}
		assert_null(deny);
		assert_contains(err.msg, cases[i].error);
	}
}

static void test_deny_parse_limits(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_deny_t *deny = NULL;
	pc_error_t err = { .msg = "" };
	char *text;

	/* A NUL byte, an overlong line, an overlong note. */
	assert_int_equal(pc_deny_parse(ctx, "d", "mac 001e7ac3d1ab\0x\n", 19, &deny, &err), -1);
	assert_contains(err.msg, "NUL");
	text = talloc_asprintf(ctx, "mac 001e7ac3d1ab note=%2000s\n", "x");
	assert_int_equal(pc_deny_parse(ctx, "d", text, strlen(text), &deny, &err), -1);
	assert_contains(err.msg, "d:1: line longer than");
	{
		char note[PC_DENY_NOTE_MAX + 2];

		memset(note, 'n', PC_DENY_NOTE_MAX + 1);
		note[PC_DENY_NOTE_MAX + 1] = '\0';
		text = talloc_asprintf(ctx, "mac 001e7ac3d1ab note=%s\n", note);
		assert_int_equal(pc_deny_parse(ctx, "d", text, strlen(text), &deny, &err), -1);
		assert_contains(err.msg, "note longer than");
		note[PC_DENY_NOTE_MAX] = '\0';
		text = talloc_asprintf(ctx, "mac 001e7ac3d1ab note=%s\n", note);
		assert_int_equal(pc_deny_parse(ctx, "d", text, strlen(text), &deny, &err), 0);
	}

	/* An empty file, and one of comments only, are empty lists. */
	assert_int_equal(pc_deny_count(parse_ok(ctx, "")), 0);
	assert_int_equal(pc_deny_count(parse_ok(ctx, "# nothing\n   \n\t# still nothing")), 0);
	/* A missing file. */
	assert_int_equal(pc_deny_load(ctx, "/nonexistent/deny.conf", &deny, &err), -1);
	assert_contains(err.msg, "/nonexistent/deny.conf: cannot read");
}

static void test_deny_find(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *text = talloc_asprintf(ctx,
		"device SEP001E7AC3D1AB note=lost\n"
		"mac 001E7AC3D1AC\n"
		"fingerprint %s\n"
		"serial %s 0a1b\n"
		"mac 001E7AC3D1AD expires=%s note=found again\n",
		FP_A, FP_A, unit_time_text(ctx, NOW));
	pc_deny_t *deny = parse_ok(ctx, text);
	pc_deny_entry_t const *e;
	char other[] = "0000000000000000000000000000000000000000000000000000000000000000";

	e = pc_deny_find(deny, NOW, "SEP001E7AC3D1AB", "001E7AC3D1AB", NULL, other, other, (unsigned char const[]){ 0x01 }, 1);
	assert_non_null(e);
	assert_string_equal(e->note, "lost");
	/* The certificate's MAC, or the switch's Calling-Station-Id. */
	assert_non_null(pc_deny_find(deny, NOW, "SEP001122334455", "001122334455", "001E7AC3D1AC", other, NULL, NULL, 0));
	assert_non_null(pc_deny_find(deny, NOW, "SEP001E7AC3D1AC", "001E7AC3D1AC", NULL, other, NULL, NULL, 0));
	assert_non_null(pc_deny_find(deny, NOW, NULL, NULL, NULL, FP_A, NULL, NULL, 0));
	/* Anchor + serial: both must match. */
	assert_non_null(pc_deny_find(deny, NOW, NULL, NULL, NULL, other, FP_A, (unsigned char const[]){ 0x0a, 0x1b }, 2));
	assert_null(pc_deny_find(deny, NOW, NULL, NULL, NULL, other, FP_A, (unsigned char const[]){ 0x0a, 0x1c }, 2));
	/* A leading zero byte is not part of the serial's value; a longer serial is another one. */
	assert_non_null(pc_deny_find(deny, NOW, NULL, NULL, NULL, other, FP_A, (unsigned char const[]){ 0x00, 0x0a, 0x1b }, 3));
	assert_null(pc_deny_find(deny, NOW, NULL, NULL, NULL, other, FP_A, (unsigned char const[]){ 0x0a, 0x1b, 0x00 }, 3));
	assert_null(pc_deny_find(deny, NOW, NULL, NULL, NULL, other, FP_A, (unsigned char const[]){ 0x0a }, 1));
	/* Malformed facts match nothing (and read nothing past their end). */
	assert_null(pc_deny_find(deny, NOW, "SEP001E7AC3D1A", "001E7AC3D1A", "001E7AC3D1ACX", "ab", NULL, NULL, 0));
	assert_null(pc_deny_find(deny, NOW, NULL, NULL, NULL, other, other, (unsigned char const[]){ 0x0a, 0x1b }, 2));
	assert_null(pc_deny_find(deny, NOW, "SEP001122334455", "001122334455", "001122334455", other, other, (unsigned char const[]){ 0x0a, 0x1b }, 2));
	/* Expired from its instant on, by the clock. */
	assert_non_null(pc_deny_find(deny, NOW - 1, NULL, "001E7AC3D1AD", NULL, other, NULL, NULL, 0));
	assert_null(pc_deny_find(deny, NOW, NULL, "001E7AC3D1AD", NULL, other, NULL, NULL, 0));
	assert_false(pc_deny_entry_active(pc_deny_entry(deny, 4), NOW));
	assert_true(pc_deny_entry_active(pc_deny_entry(deny, 0), NOW));
	/* No list. */
	assert_null(pc_deny_find(NULL, NOW, "SEP001E7AC3D1AB", NULL, NULL, NULL, NULL, NULL, 0));
}

/* 10,000 entries: every one is found, and a miss is a miss. */
static void test_deny_find_many(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *text = talloc_strdup(ctx, "");
	char mac[13];
	pc_deny_t *deny;
	unsigned int i;

	for (i = 0; i < 10000; i++) text = talloc_asprintf_append_buffer(text, "mac 0011%08X\n", i);
	deny = parse_ok(ctx, text);
	assert_int_equal(pc_deny_count(deny), 10000);
	for (i = 0; i < 10000; i++) {
		snprintf(mac, sizeof(mac), "0011%08X", i);
		if (!pc_deny_find(deny, NOW, NULL, mac, NULL, NULL, NULL, NULL, 0)) fail_msg("%s not found", mac);
	}
	assert_null(pc_deny_find(deny, NOW, NULL, "001200000000", NULL, NULL, NULL, NULL, 0));
}

/*
 *	The decision, on records of the test PKI's real chains.
 */
static pc_config_t *config_with_deny(TALLOC_CTX *ctx, char const *deny_text)
{
	char *dir = unit_tmpdir(ctx), *path;
	pc_config_t *cfg = NULL;
	pc_error_t err = { .msg = "" };

	unit_write_text(ctx, dir, "deny.conf", deny_text);
	/* Relative to phonecert.conf's directory, like the anchors' files. */
	path = unit_write_text(ctx, dir, "phonecert.conf", unit_subst_pki(ctx,
		"[policy]\nmac_binding = off\ndeny = deny.conf\n"
		"[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n"
		"[anchor mfg-int]\nrole = mic\nfile = @PKI@/mfg-int.crt\n"));
	if (pc_config_load(ctx, path, &cfg, &err) != 0) fail_msg("%s", err.msg);
	return cfg;
}

static void test_deny_decision(void **state)
{
	TALLOC_CTX *ctx = *state;
	time_t now = unit_pki_now();
	char fp[PC_FINGERPRINT_HEX], capf[PC_FINGERPRINT_HEX], serial[41];
	pc_decision_t d;
	pc_cert_t cert;
	pc_config_t *cfg;
	char *text;

	/* Nothing denied: accepted. */
	cfg = config_with_deny(ctx, "# empty\n");
	assert_true(unit_judge(cfg, "lsc-a", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);

	/* By device name (lsc-a's CN is CP-8861-SEPB000B4BA0AEE), with the note in the detail. */
	cfg = config_with_deny(ctx, "device SEPB000B4BA0AEE note=stolen, ticket 4711\n");
	assert_true(unit_judge(cfg, "lsc-a", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_DEVICE_DENIED);
	assert_false(pc_decision_accepts(&d));
	assert_contains(d.detail, "stolen, ticket 4711");
	assert_contains(d.detail, "deny.conf:1");
	/* Another phone of the same CAPF is not affected. */
	assert_true(unit_judge(cfg, "lsc-a-ec", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);

	/* By MAC: the certificate's, or the Calling-Station-Id's (a copied certificate). */
	cfg = config_with_deny(ctx, "mac b0:00:b4:ba:0a:ee\nmac 00-11-22-33-44-99\n");
	assert_true(unit_judge(cfg, "lsc-a", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_DEVICE_DENIED);
	assert_true(unit_judge(cfg, "lsc-a-ec", "00:11:22:33:44:99", now, &d));
	assert_int_equal(d.reason, PC_REASON_DEVICE_DENIED);
	assert_true(unit_judge(cfg, "lsc-a-ec", "00:11:22:33:44:98", now, &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);

	/* By the certificate's fingerprint: that certificate only, through the record's encoding. */
	unit_fingerprint("mic-8861", fp);
	cfg = config_with_deny(ctx, talloc_asprintf(ctx, "fingerprint %s note=MIC seen on a laptop\n", fp));
	assert_true(unit_judge(cfg, "mic-8861", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_DEVICE_DENIED);
	assert_contains(d.detail, "MIC seen on a laptop");
	assert_true(unit_judge(cfg, "lsc-a", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);

	/* By anchor + serial: the anchor named by its certificate's fingerprint. */
	assert_true(unit_record(cfg, "lsc-a", now, &cert));
	pc_cert_serial_hex(&cert, serial);
	unit_fingerprint("capf-a", capf);
	text = talloc_asprintf(ctx, "serial %s %s\n", capf, serial);
	cfg = config_with_deny(ctx, text);
	assert_true(unit_judge(cfg, "lsc-a", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_DEVICE_DENIED);
	/* The same serial under another anchor's fingerprint denies nothing. */
	unit_fingerprint("mfg-int", capf);
	cfg = config_with_deny(ctx, talloc_asprintf(ctx, "serial %s %s\n", capf, serial));
	assert_true(unit_judge(cfg, "lsc-a", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);

	/* An expired entry is ignored; one that expires later still refuses. */
	cfg = config_with_deny(ctx, talloc_asprintf(ctx, "device SEPB000B4BA0AEE expires=%s\n",
						    unit_time_text(ctx, now - 60)));
	assert_true(unit_judge(cfg, "lsc-a", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);
	cfg = config_with_deny(ctx, talloc_asprintf(ctx, "device SEPB000B4BA0AEE expires=%s\n",
						    unit_time_text(ctx, now + 60)));
	assert_true(unit_judge(cfg, "lsc-a", NULL, now, &d));
	assert_int_equal(d.reason, PC_REASON_DEVICE_DENIED);

	/* A record without the fingerprint cannot be checked against the list: refused. */
	assert_true(unit_record(cfg, "lsc-a-ec", now, &cert));
	cert.fingerprint[0] = '\0';
	pc_decide(cfg, &cert, NULL, NULL, now, &d);
	assert_false(pc_decision_accepts(&d));
	assert_int_equal(d.reason, PC_REASON_INTERNAL_ERROR);
}

/* A broken deny file stops the load, naming phonecert.conf's line and the deny file's. */
static void test_deny_config_errors(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx), *path;
	pc_config_t *cfg = NULL;
	pc_error_t err = { .msg = "" };

	unit_write_text(ctx, dir, "deny.conf", "mac 001e7ac3d1ab\nmac zz\n");
	path = unit_write_text(ctx, dir, "phonecert.conf", unit_subst_pki(ctx,
		"[policy]\ndeny = deny.conf\n[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n"));
	assert_int_equal(pc_config_load(ctx, path, &cfg, &err), -1);
	assert_null(cfg);
	assert_contains(err.msg, "phonecert.conf:2: deny: ");
	assert_contains(err.msg, "deny.conf:2: 'zz' is not a MAC address");

	path = unit_write_text(ctx, dir, "phonecert.conf", unit_subst_pki(ctx,
		"[policy]\ndeny = missing.conf\n[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n"));
	assert_int_equal(pc_config_load(ctx, path, &cfg, &err), -1);
	assert_contains(err.msg, "missing.conf: cannot read");
}

/* The configuration's digest covers the deny file: an edit is a new configuration. */
static void test_deny_digest(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx), *path;
	char const *conf = "[policy]\ndeny = deny.conf\n[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n";
	pc_config_t *a = NULL, *b = NULL, *c = NULL, *plain = NULL;
	pc_error_t err = { .msg = "" };

	unit_write_text(ctx, dir, "deny.conf", "mac 001e7ac3d1ab\n");
	path = unit_write_text(ctx, dir, "phonecert.conf", unit_subst_pki(ctx, conf));
	assert_int_equal(pc_config_load(ctx, path, &a, &err), 0);
	assert_int_equal(pc_config_load(ctx, path, &b, &err), 0);
	assert_string_equal(a->digest, b->digest);
	unit_write_text(ctx, dir, "deny.conf", "mac 001e7ac3d1ab\nmac 001e7ac3d1ac\n");
	assert_int_equal(pc_config_load(ctx, path, &c, &err), 0);
	assert_string_not_equal(a->digest, c->digest);
	/* Without a deny-list the digest is the same formula as before deny-lists existed. */
	plain = unit_config(ctx, "[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n");
	assert_string_not_equal(plain->digest, a->digest);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_deny_parse_good, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_deny_parse_refuses, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_deny_parse_limits, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_deny_find, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_deny_find_many, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_deny_decision, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_deny_config_errors, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_deny_digest, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
