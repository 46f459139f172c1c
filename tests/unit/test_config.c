/**
 * @file test_config.c
 * @brief The module's configuration file: every key, the defaults, and every refusal with
 *	  "FILE:LINE: reason" naming the file (and the certificate file).
 */
#include "unit.h"

#include <signal.h>

#include <phonecert/config.h>
#include <phonecert/trust.h>

/** Copy of text with "@DIR@" replaced by dir and "@PKI@" by the PKI directory, under ctx. */
static char *subst(TALLOC_CTX *ctx, char const *text, char const *dir)
{
	char const *p = text, *at;
	char *out = talloc_strdup(ctx, "");

	while ((at = strstr(p, "@DIR@")) != NULL) {
		out = talloc_strndup_append(out, p, (size_t)(at - p));
		out = talloc_strdup_append(out, dir);
		p = at + 5;
	}
	out = talloc_strdup_append(out, p);
	assert_non_null(out);
	return unit_subst_pki(ctx, out);
}

/** DER of a PKI certificate, under ctx. */
static unsigned char *cert_der(TALLOC_CTX *ctx, char const *name, size_t *len)
{
	X509 *cert = unit_cert(name);
	unsigned char *der = NULL, *copy;
	int n = i2d_X509(cert, &der);

	assert_true(n > 0);
	copy = talloc_memdup(ctx, der, (size_t)n);
	assert_non_null(copy);
	*len = (size_t)n;
	OPENSSL_free(der);
	X509_free(cert);
	return copy;
}

/** A PKI file's content, under ctx. */
static char *pki_text(TALLOC_CTX *ctx, char const *file)
{
	size_t len;

	return (char *)unit_read_file(ctx, unit_pki_path(ctx, file), &len);
}

/**
 * A scratch directory holding the odd certificate files an admin might name:
 * capf-a.der, capf-a-trailing.der, empty.pem, garbage.bin, badpem.pem, key.pem,
 * cert-and-key.pem, two-certs.pem, huge.pem.
 */
static char *fixture_dir(TALLOC_CTX *ctx)
{
	char *dir = unit_tmpdir(ctx);
	unsigned char *der, *trailing, garbage[600];
	char *huge;
	size_t len, i;

	der = cert_der(ctx, "capf-a", &len);
	unit_write_file(ctx, dir, "capf-a.der", der, len);
	trailing = talloc_array(ctx, unsigned char, len + 3);
	assert_non_null(trailing);
	memcpy(trailing, der, len);
	memcpy(trailing + len, "\x00\x01\x02", 3);
	unit_write_file(ctx, dir, "capf-a-trailing.der", trailing, len + 3);

	unit_write_file(ctx, dir, "empty.pem", "", 0);
	for (i = 0; i < sizeof(garbage); i++) garbage[i] = (unsigned char)(i * 37 + 11);
	garbage[0] = 0x01;	/* not an ASN.1 SEQUENCE */
	unit_write_file(ctx, dir, "garbage.bin", garbage, sizeof(garbage));
	unit_write_text(ctx, dir, "badpem.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
	unit_write_text(ctx, dir, "key.pem", pki_text(ctx, "private/capf-a.key"));
	unit_write_text(ctx, dir, "cert-and-key.pem",
			talloc_asprintf(ctx, "%s%s", pki_text(ctx, "capf-a.crt"), pki_text(ctx, "private/capf-a.key")));
	unit_write_text(ctx, dir, "two-certs.pem",
			talloc_asprintf(ctx, "%s%s", pki_text(ctx, "capf-a.crt"), pki_text(ctx, "capf-b.crt")));

	/* A valid certificate followed by enough comment text to exceed any sane CA file. */
	huge = talloc_array(ctx, char, 300 * 1024 + 1);
	assert_non_null(huge);
	memset(huge, '#', 300 * 1024);
	huge[300 * 1024] = '\0';
	unit_write_text(ctx, dir, "huge.pem", talloc_asprintf(ctx, "%s%s\n", pki_text(ctx, "capf-a.crt"), huge));
	return dir;
}

/*
 *	A valid file: every key, and what it sets.
 */
static void test_config_every_key(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_config_t *cfg = unit_config(ctx,
		"# phonecert test configuration\n"
		"[policy]\n"
		"mic = deny\n"
		"mic_until = 2027-06-30T18:00:00+02:00   # end of the MIC migration\n"
		"mac_binding = log\n"
		"reply_profile = juniper\n"
		"voice_domain = lsc\n"
		"lsc_vlan = 110\n"
		"mic_vlan = \"onboard-390\"\n"
		"legacy = yes\n"
		"\n"
		"[anchor capf-a]\n"
		"role = lsc\n"
		"file = @PKI@/capf-a.crt\n"
		"\n"
		"[ anchor capf-a-2021 ]\n"
		"  role   =   lsc  \n"
		"state = retiring\n"
		"trust_until = 2027-01-31\n"
		"file = @PKI@/capf-a-old.crt\n"
		"\n"
		"[anchor cluster-b]\n"
		"role = lsc\n"
		"state = disabled\n"
		"file = @PKI@/capf-b.crt\n"
		"[anchor mfg_sha2.v1]\n"
		"role = mic\n"
		"state = active\n"
		"file = @PKI@/mfg-int.crt\n");
	pc_anchor_t const *a;

	assert_false(cfg->policy.mic_allowed);
	assert_int_equal(cfg->policy.mic_until, 1814371200);
	assert_int_equal(cfg->policy.mac_binding, PC_MAC_BINDING_LOG);
	assert_int_equal(cfg->policy.reply_profile, PC_REPLY_JUNIPER);
	assert_true(cfg->policy.lsc_voice);
	assert_false(cfg->policy.mic_voice);
	assert_string_equal(cfg->policy.lsc_vlan, "110");
	assert_string_equal(cfg->policy.mic_vlan, "onboard-390");	/* quotes removed */
	assert_true(cfg->policy.legacy);
	assert_contains(cfg->path, "/phonecert.conf");

	assert_int_equal(pc_trust_count(cfg->trust), 4);
	a = pc_trust_anchor(cfg->trust, 0);
	assert_string_equal(a->name, "capf-a");
	assert_int_equal(a->role, PC_ROLE_LSC);
	assert_int_equal(a->state, PC_STATE_ACTIVE);
	assert_int_equal(a->trust_until, 0);
	assert_string_equal(a->file, unit_pki_path(ctx, "capf-a.crt"));
	assert_string_equal(a->common_name, "CAPF-a6d4c572");

	a = pc_trust_anchor(cfg->trust, 1);
	assert_string_equal(a->name, "capf-a-2021");
	assert_int_equal(a->role, PC_ROLE_LSC);
	assert_int_equal(a->state, PC_STATE_RETIRING);
	assert_int_equal(a->trust_until, 1801353600);		/* 2027-01-31T00:00:00Z */

	a = pc_trust_anchor(cfg->trust, 2);
	assert_string_equal(a->name, "cluster-b");
	assert_int_equal(a->state, PC_STATE_DISABLED);

	a = pc_trust_anchor(cfg->trust, 3);
	assert_string_equal(a->name, "mfg_sha2.v1");
	assert_int_equal(a->role, PC_ROLE_MIC);
	assert_string_equal(a->common_name, "Test Cisco Manufacturing CA SHA2");
	assert_null(pc_trust_anchor(cfg->trust, 4));
}

/* What an almost empty file means: the secure, usual policy documented in phonecert.conf. */
static void test_config_defaults(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_config_t *cfg = unit_config(ctx, "[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n");

	assert_true(cfg->policy.mic_allowed);
	assert_int_equal(cfg->policy.mic_until, 0);
	assert_int_equal(cfg->policy.mac_binding, PC_MAC_BINDING_ENFORCE);
	assert_int_equal(cfg->policy.reply_profile, PC_REPLY_CISCO);
	assert_true(cfg->policy.lsc_voice);
	assert_true(cfg->policy.mic_voice);
	assert_null(cfg->policy.lsc_vlan);
	assert_null(cfg->policy.mic_vlan);
	assert_false(cfg->policy.legacy);
	assert_int_equal(pc_trust_anchor(cfg->trust, 0)->state, PC_STATE_ACTIVE);
}

/* Each value of each enumerated key, and "none". */
static void test_config_values(void **state)
{
	static struct {
		char const	*line;
		int		field;		/* 0 mic, 1 binding, 2 profile, 3 voice, 4 legacy, 5 vlan, 6 mic_until */
		int		lsc, mic;	/* expected values */
	} const cases[] = {
		{ "mic = allow",		0, 1, 0 },
		{ "mic = deny",			0, 0, 0 },
		{ "mac_binding = enforce",	1, PC_MAC_BINDING_ENFORCE, 0 },
		{ "mac_binding = log",		1, PC_MAC_BINDING_LOG, 0 },
		{ "mac_binding = off",		1, PC_MAC_BINDING_OFF, 0 },
		{ "reply_profile = cisco",	2, PC_REPLY_CISCO, 0 },
		{ "reply_profile = aruba-cx",	2, PC_REPLY_ARUBA_CX, 0 },
		{ "reply_profile = juniper",	2, PC_REPLY_JUNIPER, 0 },
		{ "reply_profile = none",	2, PC_REPLY_NONE, 0 },
		{ "voice_domain = lsc mic",	3, 1, 1 },
		{ "voice_domain = \"lsc mic\"",	3, 1, 1 },
		{ "voice_domain = mic lsc",	3, 1, 1 },
		{ "voice_domain = lsc",		3, 1, 0 },
		{ "voice_domain = none",	3, 0, 0 },
		{ "legacy = yes",		4, 1, 0 },
		{ "legacy = true",		4, 1, 0 },
		{ "legacy = no",		4, 0, 0 },
		{ "legacy = false",		4, 0, 0 },
		{ "lsc_vlan = none\nmic_vlan = voice_vlan.1", 5, 0, 1 },
		{ "mic_until = none", 6, 0, 0 },
	};
	TALLOC_CTX *ctx = *state;
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_config_t *cfg = unit_config(ctx, talloc_asprintf(ctx,
			"[policy]\n%s\n[anchor a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n", cases[i].line));
		pc_policy_t const *p = &cfg->policy;

		switch (cases[i].field) {
		case 0: assert_int_equal(p->mic_allowed, cases[i].lsc); break;
		case 1: assert_int_equal(p->mac_binding, cases[i].lsc); break;
		case 2: assert_int_equal(p->reply_profile, cases[i].lsc); break;
		case 3:
			assert_int_equal(p->lsc_voice, cases[i].lsc);
			assert_int_equal(p->mic_voice, cases[i].mic);
			break;
		case 4: assert_int_equal(p->legacy, cases[i].lsc); break;
		case 5:
			assert_null(p->lsc_vlan);
			assert_string_equal(p->mic_vlan, "voice_vlan.1");
			break;
		case 6: assert_int_equal(p->mic_until, 0); break;
		default: fail();
		}
	}
}

static void test_config_names(UNUSED void **state)
{
	assert_string_equal(pc_mac_binding_name(PC_MAC_BINDING_OFF), "off");
	assert_string_equal(pc_mac_binding_name(PC_MAC_BINDING_LOG), "log");
	assert_string_equal(pc_mac_binding_name(PC_MAC_BINDING_ENFORCE), "enforce");
	assert_string_equal(pc_mac_binding_name((pc_mac_binding_t)7), "invalid");
	assert_string_equal(pc_reply_profile_name(PC_REPLY_CISCO), "cisco");
	assert_string_equal(pc_reply_profile_name(PC_REPLY_ARUBA_CX), "aruba-cx");
	assert_string_equal(pc_reply_profile_name(PC_REPLY_JUNIPER), "juniper");
	assert_string_equal(pc_reply_profile_name(PC_REPLY_NONE), "none");
	assert_string_equal(pc_reply_profile_name((pc_reply_profile_t)9), "invalid");
}

/* Relative certificate paths are relative to the configuration file's directory, not the cwd. */
static void test_config_relative_paths(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = fixture_dir(ctx), *sub, *path;
	pc_config_t *cfg = NULL;
	pc_error_t err = { .msg = "" };

	sub = talloc_asprintf(ctx, "%s/capf", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	unit_write_text(ctx, sub, "CAPF-a6d4c572.pem", pki_text(ctx, "capf-b.crt"));
	path = unit_write_text(ctx, dir, "phonecert.conf",
		"[anchor b]\nrole = lsc\nfile = capf/CAPF-a6d4c572.pem\n"
		"[anchor a-der]\nrole = lsc\nfile = capf-a.der\n");
	if (pc_config_load(ctx, path, &cfg, &err) != 0) fail_msg("%s", err.msg);
	assert_string_equal(pc_trust_anchor(cfg->trust, 0)->file, talloc_asprintf(ctx, "%s/capf/CAPF-a6d4c572.pem", dir));
	assert_string_equal(pc_trust_anchor(cfg->trust, 0)->common_name, "CAPF-a7fb32bf");
	assert_string_equal(pc_trust_anchor(cfg->trust, 1)->file, talloc_asprintf(ctx, "%s/capf-a.der", dir));
}

/* A DER file is the same anchor as its PEM form (same fingerprint); both together are a duplicate. */
static void test_config_der_accepted(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = fixture_dir(ctx), *path;
	pc_config_t *der = NULL, *pem;
	pc_error_t err = { .msg = "" };

	path = unit_write_text(ctx, dir, "der.conf", "[anchor a]\nrole = lsc\nfile = capf-a.der\n");
	if (pc_config_load(ctx, path, &der, &err) != 0) fail_msg("%s", err.msg);
	pem = unit_config(ctx, "[anchor a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n");
	assert_string_equal(pc_trust_anchor(der->trust, 0)->fingerprint, pc_trust_anchor(pem->trust, 0)->fingerprint);
	assert_string_equal(pc_trust_anchor(der->trust, 0)->subject, pc_trust_anchor(pem->trust, 0)->subject);
	assert_int_equal(strlen(pc_trust_anchor(der->trust, 0)->fingerprint), 64);
}

/* CRLF line endings (a file edited on Windows) and a missing final newline. */
static void test_config_crlf_and_no_final_newline(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_config_t *cfg = unit_config(ctx,
		"[policy]\r\nmac_binding = off\r\nlsc_vlan = 120\r\n[anchor a]\r\nrole = lsc\r\nfile = @PKI@/capf-a.crt");

	assert_int_equal(cfg->policy.mac_binding, PC_MAC_BINDING_OFF);
	assert_string_equal(cfg->policy.lsc_vlan, "120");
	assert_int_equal(pc_trust_count(cfg->trust), 1);
}

/* The same parser from memory; relative paths are then relative to the given path's directory. */
static void test_config_parse_from_memory(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *text = unit_subst_pki(ctx, "[policy]\nmic = deny\n[anchor a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n");
	char const *rel = "[anchor a]\nrole = lsc\nfile = capf-a.crt\n";
	pc_config_t *cfg = NULL;
	pc_error_t err = { .msg = "" };

	assert_int_equal(pc_config_parse(ctx, "inline.conf", text, strlen(text), &cfg, &err), 0);
	assert_false(cfg->policy.mic_allowed);
	assert_string_equal(cfg->path, "inline.conf");

	/* Only len bytes count: cut before the anchor, nothing is configured. */
	cfg = (pc_config_t *)ctx;
	assert_int_equal(pc_config_parse(ctx, "inline.conf", text, 20, &cfg, &err), -1);
	assert_null(cfg);
	assert_contains(err.msg, "no [anchor] is configured");

	assert_int_equal(pc_config_parse(ctx, "/nonexistent-dir/sub/x.conf", rel, strlen(rel), &cfg, &err), -1);
	assert_contains(err.msg, "/nonexistent-dir/sub/capf-a.crt");
	assert_int_equal(pc_config_parse(ctx, "x.conf", rel, strlen(rel), &cfg, &err), -1);
	assert_contains(err.msg, "./capf-a.crt");
	assert_int_equal(pc_config_parse(ctx, "/x.conf", rel, strlen(rel), &cfg, &err), -1);
	assert_contains(err.msg, ": /capf-a.crt: cannot read");

	/* An empty name has no directory either: "." (the copy of "" once had no room for it,
	 * and the ASan build of this test caught the write past it). */
	assert_int_equal(pc_config_parse(ctx, "", rel, strlen(rel), &cfg, &err), -1);
	assert_contains(err.msg, "./capf-a.crt");
}

/*
 *	Refusals.  Each names the configuration file and line (line 0: no line, the whole
 *	file is at fault), says why, and names the certificate file when one is at fault.
 */
typedef struct {
	char const	*what;
	char const	*text;		//!< @PKI@: the test PKI; @DIR@: the fixture directory.
	int		line;
	char const	*reason;
	char const	*cert;		//!< File that must be named too (same substitutions), or NULL.
} config_error_t;

#define ANCHOR_A "[anchor a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n"

static config_error_t const config_errors[] = {
	{ "unknown policy key", "[policy]\nmic = allow\nmicc = deny\n" ANCHOR_A, 3,
	  "unknown key 'micc' in [policy]", NULL },
	{ "unknown anchor key", ANCHOR_A "colour = red\n", 4, "unknown key 'colour' in [anchor a]", NULL },
	{ "unknown section", "[polcy]\nmic = allow\n" ANCHOR_A, 1, "unknown section [polcy]", NULL },
	{ "anchor without name", ANCHOR_A "[anchor]\nrole = lsc\n", 4, "unknown section [anchor]", NULL },
	{ "invalid anchor name", "[anchor capf a]\nrole = lsc\n", 1, "invalid anchor name 'capf a'", NULL },
	{ "invalid anchor name chars", "[anchor ../etc]\nrole = lsc\n", 1, "invalid anchor name", NULL },
	{ "unclosed header", "[policy\nmic = allow\n", 1, "malformed section header", NULL },
	{ "text after header", "[policy] mic = allow\n", 1, "malformed section header", NULL },
	{ "second policy", "[policy]\n" ANCHOR_A "[policy]\n", 5, "second [policy] section", NULL },
	{ "key before any section", "\n# comment\nmic = allow\n" ANCHOR_A, 3, "'mic' outside of a [policy]", NULL },
	{ "no equals sign", "[policy]\nmic allow\n" ANCHOR_A, 2, "expected 'key = value'", NULL },
	{ "bad mic", "[policy]\nmic = maybe\n" ANCHOR_A, 2, "mic: invalid value 'maybe'", NULL },
	{ "bad mac_binding", "[policy]\nmac_binding = strict\n" ANCHOR_A, 2, "mac_binding: invalid value 'strict'", NULL },
	{ "bad reply_profile", "[policy]\nreply_profile = hp\n" ANCHOR_A, 2, "reply_profile: invalid value 'hp'", NULL },
	{ "bad voice_domain", "[policy]\nvoice_domain = mic\n" ANCHOR_A, 2, "voice_domain: invalid value 'mic'", NULL },
	{ "bad legacy", "[policy]\nlegacy = 1\n" ANCHOR_A, 2, "legacy: invalid value '1'", NULL },
	{ "VLAN with space", "[policy]\nlsc_vlan = 10 20\n" ANCHOR_A, 2, "lsc_vlan: invalid value '10 20'", NULL },
	{ "VLAN with quote", "[policy]\nmic_vlan = a\"b\n" ANCHOR_A, 2, "mic_vlan: invalid value", NULL },
	{ "VLAN too long", "[policy]\nmic_vlan = 123456789012345678901234567890123\n" ANCHOR_A, 2,
	  "mic_vlan: invalid value", NULL },
	{ "empty VLAN", "[policy]\nlsc_vlan = \"\"\n" ANCHOR_A, 2, "lsc_vlan: invalid value ''", NULL },
	{ "mic_until Feb 30", "[policy]\nmic_until = 2027-02-30\n" ANCHOR_A, 2,
	  "mic_until: cannot parse time '2027-02-30'", NULL },
	{ "mic_until no zone", "[policy]\nmic_until = 2027-06-30T18:00\n" ANCHOR_A, 2,
	  "mic_until: cannot parse time '2027-06-30T18:00'", NULL },
	{ "trust_until month 13", "[anchor old]\nrole = lsc\nstate = retiring\ntrust_until = 2027-13-01\n", 4,
	  "trust_until: cannot parse time '2027-13-01'", NULL },
	{ "retiring without trust_until", ANCHOR_A "\n[anchor old]\nrole = lsc\nstate = retiring\n"
	  "file = @PKI@/capf-a-old.crt\n", 5, "state = retiring needs trust_until", NULL },
	{ "trust_until without retiring", "[anchor old]\nrole = lsc\ntrust_until = 2027-01-01\n"
	  "file = @PKI@/capf-a-old.crt\n", 1, "trust_until is only meaningful with state = retiring", NULL },
	{ "missing role", "[anchor a]\nfile = @PKI@/capf-a.crt\n", 1, "[anchor a]: missing 'role'", NULL },
	{ "missing file", "[anchor a]\nrole = lsc\n", 1, "[anchor a]: missing 'file'", NULL },
	{ "bad role", "[anchor a]\nrole = capf\n", 2, "role: invalid value 'capf'", NULL },
	{ "bad state", "[anchor a]\nrole = lsc\nstate = retired\n", 3, "state: invalid value 'retired'", NULL },
	{ "empty file name", "[anchor a]\nrole = lsc\nfile =\n", 3, "file: invalid value ''", NULL },
	{ "policy key twice", "[policy]\nmic = deny\nmac_binding = log\n\nmic = allow\n" ANCHOR_A, 5,
	  "'mic' given twice in [policy] (first at line 2)", NULL },
	{ "policy key twice, same value", "[policy]\nlsc_vlan = 100\nlsc_vlan = 100\n" ANCHOR_A, 3,
	  "'lsc_vlan' given twice in [policy] (first at line 2)", NULL },
	{ "policy key twice, 'none' second", "[policy]\nmic_until = 2027-06-30\nmic_until = none\n" ANCHOR_A, 3,
	  "'mic_until' given twice in [policy] (first at line 2)", NULL },
	{ "anchor state twice", ANCHOR_A "\n[anchor capf-hq]\nrole = lsc\nstate = disabled\n"
	  "file = @PKI@/capf-b.crt\nstate = active\n", 9, "'state' given twice in [anchor capf-hq] (first at line 7)", NULL },
	{ "anchor file twice", "[anchor a]\nrole = lsc\nfile = @PKI@/capf-a.crt\nfile = @PKI@/capf-b.crt\n", 4,
	  "'file' given twice in [anchor a] (first at line 3)", NULL },
	{ "anchor key twice, second invalid", "[anchor a]\nrole = lsc\nrole = capf\n", 3,
	  "'role' given twice in [anchor a] (first at line 2)", NULL },
	{ "duplicate anchor name", ANCHOR_A "[anchor a]\nrole = lsc\nfile = @PKI@/capf-b.crt\n", 4,
	  "duplicate anchor name 'a'", NULL },
	{ "no anchor", "[policy]\nmic = allow\n", 0, "no [anchor] is configured", NULL },
	{ "empty config", "", 0, "no [anchor] is configured", NULL },
	{ "comments only", "# nothing\n\n   # here\n", 0, "no [anchor] is configured", NULL },

	/* The certificate files. */
	{ "missing certificate", ANCHOR_A "[anchor gone]\nrole = lsc\nfile = @PKI@/no-such-capf.crt\n", 4,
	  "cannot read", "@PKI@/no-such-capf.crt" },
	{ "not a CA", "[anchor cucm]\nrole = lsc\nfile = @PKI@/notca.crt\n", 1, "not a CA certificate", "@PKI@/notca.crt" },
	{ "phone certificate", "[anchor phone]\nrole = lsc\nfile = @PKI@/lsc-a.crt\n", 1, "not a CA certificate",
	  "@PKI@/lsc-a.crt" },
	{ "same certificate twice", ANCHOR_A "[anchor again]\nrole = mic\nfile = @DIR@/capf-a.der\n", 4,
	  "duplicate of anchor 'a'", "@DIR@/capf-a.der" },
	{ "rogue copy of the key id", ANCHOR_A "[anchor r]\nrole = lsc\nfile = @PKI@/rogue-a-ski.crt\n", 4,
	  "has the subject, serial and key identifier of anchor 'a'", "@PKI@/rogue-a-ski.crt" },
	{ "private key", "[anchor k]\nrole = lsc\nfile = @DIR@/key.pem\n", 1, "contains a private key", "@DIR@/key.pem" },
	{ "certificate and key", "[anchor k]\nrole = lsc\nfile = @DIR@/cert-and-key.pem\n", 1,
	  "contains a private key", "@DIR@/cert-and-key.pem" },
	{ "empty certificate file", "[anchor e]\nrole = lsc\nfile = @DIR@/empty.pem\n", 1, "file is empty",
	  "@DIR@/empty.pem" },
	{ "garbage certificate file", "[anchor g]\nrole = mic\nfile = @DIR@/garbage.bin\n", 1,
	  "neither a PEM nor a DER certificate", "@DIR@/garbage.bin" },
	{ "unreadable PEM", "[anchor g]\nrole = mic\nfile = @DIR@/badpem.pem\n", 1, "no readable PEM certificate",
	  "@DIR@/badpem.pem" },
	{ "trailing garbage after DER", "[anchor t]\nrole = lsc\nfile = @DIR@/capf-a-trailing.der\n", 1,
	  "3 bytes of trailing data after the DER certificate", "@DIR@/capf-a-trailing.der" },
	{ "two certificates in one file", "[anchor two]\nrole = lsc\nfile = @DIR@/two-certs.pem\n", 1,
	  "more than one certificate", "@DIR@/two-certs.pem" },
	{ "huge file", "[anchor h]\nrole = lsc\nfile = @DIR@/huge.pem\n", 1, "larger than", "@DIR@/huge.pem" },
	{ "directory as file", "[anchor d]\nrole = lsc\nfile = @DIR@\n", 1, "not a regular file", "@DIR@" },
	{ "device as file", "[anchor z]\nrole = lsc\nfile = /dev/zero\n", 1, "/dev/zero: not a regular file", NULL },
};

static void test_config_errors(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = fixture_dir(ctx);
	size_t i;

	for (i = 0; i < UNIT_COUNT(config_errors); i++) {
		config_error_t const *c = &config_errors[i];
		TALLOC_CTX *tmp = talloc_new(ctx);
		char *path = unit_write_text(tmp, dir, "phonecert.conf", subst(tmp, c->text, dir));
		char *prefix = c->line ? talloc_asprintf(tmp, "%s:%d: ", path, c->line) : talloc_asprintf(tmp, "%s: ", path);
		pc_config_t *cfg = (pc_config_t *)tmp;
		pc_error_t err;

		memset(&err, 0, sizeof(err));
		if (pc_config_load(tmp, path, &cfg, &err) == 0) fail_msg("%s: accepted", c->what);
		assert_null(cfg);
		if (strncmp(err.msg, prefix, strlen(prefix)) != 0) {
			fail_msg("%s: message \"%s\" does not start with \"%s\"", c->what, err.msg, prefix);
		}
		if (!strstr(err.msg, c->reason)) fail_msg("%s: message \"%s\" lacks \"%s\"", c->what, err.msg, c->reason);
		if (c->cert) {
			char *cert = subst(tmp, c->cert, dir);

			if (!strstr(err.msg + strlen(prefix), cert)) {
				fail_msg("%s: message \"%s\" does not name %s", c->what, err.msg, cert);
			}
		}
		assert_null(strchr(err.msg, '\n'));	/* one line */
		talloc_free(tmp);
	}
}

/* What the loader did when an anchor file blocked it: fail loudly instead of hanging. */
static void blocked(UNUSED int sig)
{
	static char const msg[] = "test_config: loading a FIFO anchor blocked: the anchor file must be refused, not read\n";

	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) _exit(2);
	_exit(1);
}

/*
 * A FIFO (or a device such as /dev/stdin) named as an anchor file is refused at once: reading
 * it would block radiusd's start or reload until somebody writes to it.  The alarm turns a
 * regression into a failure rather than a test run that never ends.
 */
static void test_config_fifo_anchor(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx), *fifo, *path;
	pc_config_t *cfg = (pc_config_t *)ctx;
	pc_error_t err = { .msg = "" };
	void (*previous)(int);
	int rcode;

	fifo = talloc_asprintf(ctx, "%s/capf.pem", dir);
	assert_non_null(fifo);
	if (mkfifo(fifo, 0600) < 0) fail_msg("mkfifo(%s): %s", fifo, strerror(errno));
	path = unit_write_text(ctx, dir, "phonecert.conf", unit_subst_pki(ctx,
		"[anchor a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n\n[anchor fifo]\nrole = lsc\nfile = capf.pem\n"));

	previous = signal(SIGALRM, blocked);
	alarm(10);
	rcode = pc_config_load(ctx, path, &cfg, &err);
	alarm(0);
	signal(SIGALRM, previous);

	assert_int_equal(rcode, -1);
	assert_null(cfg);
	assert_contains(err.msg, talloc_asprintf(ctx, "%s:5: [anchor fifo]: %s: not a regular file", path, fifo));
}

/* Files that are not configuration files at all. */
static void test_config_not_text(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx), *path, *line;
	pc_config_t *cfg = NULL;
	pc_error_t err = { .msg = "" };
	static unsigned char const binary[] = { '[', 'p', 'o', 'l', 'i', 'c', 'y', ']', '\n', 0x00, 0xff, '\n' };

	path = unit_write_file(ctx, dir, "nul.conf", binary, sizeof(binary));
	assert_int_equal(pc_config_load(ctx, path, &cfg, &err), -1);
	assert_contains(err.msg, path);
	assert_contains(err.msg, "NUL byte");

	path = unit_write_text(ctx, dir, "binary.conf", "\x7f" "ELF\x02\x01\x01garbage\xff\xfe");
	assert_int_equal(pc_config_load(ctx, path, &cfg, &err), -1);
	assert_contains(err.msg, talloc_asprintf(ctx, "%s:1: ", path));

	/* A line longer than 1024 bytes. */
	line = talloc_array(ctx, char, 1100);
	memset(line, ' ', 1099);
	line[1099] = '\0';
	memcpy(line, "[policy]\n# ", 11);
	path = unit_write_text(ctx, dir, "long.conf", line);
	assert_int_equal(pc_config_load(ctx, path, &cfg, &err), -1);
	assert_contains(err.msg, talloc_asprintf(ctx, "%s:2: line longer than", path));

	path = talloc_asprintf(ctx, "%s/missing.conf", dir);
	assert_int_equal(pc_config_load(ctx, path, &cfg, &err), -1);
	assert_null(cfg);
	assert_contains(err.msg, talloc_asprintf(ctx, "%s: cannot read", path));
}

/* The configuration shipped in raddb/ must load: the documented file and the parser agree. */
static void test_config_shipped_file(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *src = talloc_strdup(ctx, __FILE__), *slash;
	char *path;
	pc_config_t *cfg = NULL;
	pc_error_t err = { .msg = "" };

	/* __FILE__ is tests/unit/test_config.c (relative to the repository, or absolute). */
	slash = strstr(src, "tests/unit/test_config.c");
	assert_non_null(slash);
	*slash = '\0';
	path = talloc_asprintf(ctx, "%sraddb/phonecert/phonecert.conf", src);
	if (pc_config_load(ctx, path, &cfg, &err) != 0) fail_msg("%s", err.msg);
	assert_true(cfg->policy.mic_allowed);
	assert_int_equal(cfg->policy.mac_binding, PC_MAC_BINDING_ENFORCE);
	assert_int_equal(cfg->policy.reply_profile, PC_REPLY_CISCO);
	assert_true(pc_trust_count(cfg->trust) >= 1);
	assert_int_equal(pc_trust_anchor(cfg->trust, 0)->role, PC_ROLE_MIC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_config_every_key, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_config_defaults, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_config_values, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test(test_config_names),
		cmocka_unit_test_setup_teardown(test_config_relative_paths, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_config_der_accepted, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_config_crlf_and_no_final_newline, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_config_parse_from_memory, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_config_errors, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_config_fifo_anchor, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_config_not_text, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_config_shipped_file, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
