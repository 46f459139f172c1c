/**
 * @file test_subject.c
 * @brief Subjects in X509_NAME_oneline() form, key identifiers, and certificate facts from X509.
 */
#include "unit.h"

#include <ctype.h>

#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include <phonecert/facts.h>

typedef struct {
	char const	*oneline;
	bool		ok;
	char const	*cn;		//!< Expected first CN value (NULL: none).
	unsigned int	cn_count;
	char const	*serial_number;	//!< Expected serialNumber value (NULL: none).
	bool		escaped;
} subject_case_t;

static subject_case_t const subject_cases[] = {
	{ "/CN=SEP001E7AC3D1AB", true, "SEP001E7AC3D1AB", 1, NULL, false },
	{ "/serialNumber=PID:CP-8861 SN:FCH2133E8B9/O=Cisco Systems Inc./OU=CTG/CN=CP-8861-SEP2C3124C9F8E1",
	  true, "CP-8861-SEP2C3124C9F8E1", 1, "PID:CP-8861 SN:FCH2133E8B9", false },
	{ "/C=AU/O=stormin/OU=IST/CN=CAPF-a7fb32bf/ST=NSQ/L=Sydney", true, "CAPF-a7fb32bf", 1, NULL, false },
	{ "/O=Cisco/CN=Cisco Manufacturing CA SHA2", true, "Cisco Manufacturing CA SHA2", 1, NULL, false },
	/* No CN at all. */
	{ "/O=Example Corp/OU=VTG", true, NULL, 0, NULL, false },
	/* Several CNs: the first is reported, all are counted. */
	{ "/CN=SEP001122334466/CN=SEP001122334477", true, "SEP001122334466", 2, NULL, false },
	{ "/CN=a/O=x/CN=b/CN=c", true, "a", 3, NULL, false },
	/* "/CN=" inside a value (O = "evil/CN=SEP001122334455") cannot be told from a second CN. */
	{ "/O=evil/CN=SEP001122334455/CN=SEP00AABBCCDDEE", true, "SEP001122334455", 2, NULL, false },
	{ "/CN=SEP001122334455/CN=x", true, "SEP001122334455", 2, NULL, false },
	/* A '/' not followed by "KEY=" belongs to the value. */
	{ "/O=AT/T Inc./CN=SEP001122334455", true, "SEP001122334455", 1, NULL, false },
	{ "/CN=a/b", true, "a/b", 1, NULL, false },
	{ "/CN=x//CN=y", true, "x/", 2, NULL, false },
	{ "/O=a=b/CN=c=d", true, "c=d", 1, NULL, false },
	{ "/CN=", true, "", 1, NULL, false },
	{ "/CN=SEP001E7AC3D1AB/", true, "SEP001E7AC3D1AB/", 1, NULL, false },
	/* OIDs print as dotted keys. */
	{ "/1.2.840.113549.1.9.1=x@example.com/CN=SEP001122334455", true, "SEP001122334455", 1, NULL, false },
	/* "\xHH" escapes: a NUL, control or non-ASCII byte (as X509_NAME_oneline writes them). */
	{ "/CN=SEP001122334455\\x00.evil", true, "SEP001122334455\\x00.evil", 1, NULL, true },
	{ "/CN=SEP00112233449\\xC3\\x96", true, "SEP00112233449\\xC3\\x96", 1, NULL, true },
	{ "/serialNumber=PID:CP-8861\\x00 SN:X/CN=SEP001122334455", true, "SEP001122334455", 1,
	  "PID:CP-8861\\x00 SN:X", true },
	{ "/CN=a/CN=b\\x01", true, "a", 2, NULL, true },		/* in a later CN too */
	/* Escapes elsewhere do not matter to the phone identity. */
	{ "/O=Caf\\xC3\\xA9/CN=SEP001122334455", true, "SEP001122334455", 1, NULL, false },
	{ "/CN=back\\slash", true, "back\\slash", 1, NULL, false },
	/* Only the first serialNumber is kept. */
	{ "/serialNumber=PID:A SN:B/serialNumber=PID:C SN:D/CN=x", true, "x", 1, "PID:A SN:B", false },

	/* Not the oneline form. */
	{ "", false, NULL, 0, NULL, false },
	{ "CN=SEP001122334455", false, NULL, 0, NULL, false },
	{ "CN = SEP001122334455, O = x", false, NULL, 0, NULL, false },
	{ "/", false, NULL, 0, NULL, false },
	{ "/CN", false, NULL, 0, NULL, false },
	{ "/=x", false, NULL, 0, NULL, false },
	{ "/ CN=x", false, NULL, 0, NULL, false },
	{ "//CN=x", false, NULL, 0, NULL, false },
};

static void test_subject_parse_table(UNUSED void **state)
{
	size_t i;

	for (i = 0; i < UNIT_COUNT(subject_cases); i++) {
		subject_case_t const *c = &subject_cases[i];
		pc_subject_t subj;
		bool ok;

		memset(&subj, 0xa5, sizeof(subj));
		ok = pc_subject_parse(c->oneline, &subj);
		if (ok != c->ok) fail_msg("'%s': expected %s", c->oneline, c->ok ? "parsed" : "refused");
		if (!ok) continue;

		if (subj.cn_count != c->cn_count) {
			fail_msg("'%s': %u CNs, expected %u", c->oneline, subj.cn_count, c->cn_count);
		}
		if (c->cn) {
			assert_non_null(subj.cn);
			if (subj.cn_len != strlen(c->cn) || memcmp(subj.cn, c->cn, subj.cn_len) != 0) {
				fail_msg("'%s': CN '%.*s', expected '%s'", c->oneline, (int)subj.cn_len, subj.cn, c->cn);
			}
			/* It points into the subject. */
			assert_true(subj.cn > c->oneline && subj.cn <= c->oneline + strlen(c->oneline));
		} else {
			assert_null(subj.cn);
			assert_int_equal(subj.cn_len, 0);
		}
		if (c->serial_number) {
			assert_non_null(subj.serial_number);
			if (subj.serial_number_len != strlen(c->serial_number) ||
			    memcmp(subj.serial_number, c->serial_number, subj.serial_number_len) != 0) {
				fail_msg("'%s': serialNumber '%.*s'", c->oneline, (int)subj.serial_number_len,
					 subj.serial_number);
			}
		} else {
			assert_null(subj.serial_number);
		}
		if (subj.escaped != c->escaped) fail_msg("'%s': escaped = %d", c->oneline, subj.escaped);
		assert_false(subj.truncated);
	}
}

/*
 *	OpenSSL 3's escapes: '/' and '+' in values become "\/" and "\+", '\' stays as it is, and
 *	'+' joins the attributes of a multi-valued RDN.  A "\/KEY=" or "\+KEY=" is either an
 *	escaped character or a value ending with a backslash: counted, and flagged ambiguous.
 */
static void test_subject_parse_openssl3_escapes(UNUSED void **state)
{
	static struct {
		char const	*oneline;
		char const	*cn;		//!< Expected first CN value (NULL: none).
		unsigned int	cn_count;
		bool		ambiguous;
	} const cases[] = {
		/* O="evil/CN=SEP..." and (O="evil\", CN="SEP...") print the same. */
		{ "/O=evil\\/CN=SEP001122334455", "SEP001122334455", 1, true },
		{ "/CN=a\\/CN=b", "a\\", 2, true },
		{ "/O=a\\+CN=SEP001122334455/CN=SEP00AABBCCDDEE", "SEP001122334455", 2, true },
		{ "/O=x\\/O=y/CN=z", "z", 1, true },
		/* Multi-valued RDNs: each attribute counts. */
		{ "/O=x+CN=SEP001122334455", "SEP001122334455", 1, false },
		{ "/CN=SEP001122334455/O=x+CN=SEP00AABBCCDDEE", "SEP001122334455", 2, false },
		{ "/CN=a+CN=b+CN=c", "a", 3, false },
		{ "/serialNumber=PID:X SN:Y+CN=SEP001122334455", "SEP001122334455", 1, false },
		/* Escapes that are not before "KEY=" are plain value bytes. */
		{ "/OU=AT\\/T Inc./CN=SEP001122334455", "SEP001122334455", 1, false },
		{ "/CN=SEP001122334455\\+x", "SEP001122334455\\+x", 1, false },
		{ "/CN=a+b", "a+b", 1, false },
		{ "/CN=back\\slash\\", "back\\slash\\", 1, false },
		{ "/CN=+", "+", 1, false },
		{ "/CN=a+=b", "a+=b", 1, false },
	};
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_subject_t subj;

		if (!pc_subject_parse(cases[i].oneline, &subj)) fail_msg("'%s' refused", cases[i].oneline);
		if (subj.cn_count != cases[i].cn_count || subj.ambiguous != cases[i].ambiguous) {
			fail_msg("'%s': %u CNs, ambiguous %d; expected %u, %d", cases[i].oneline, subj.cn_count,
				 subj.ambiguous, cases[i].cn_count, cases[i].ambiguous);
		}
		if (subj.cn_len != strlen(cases[i].cn) || memcmp(subj.cn, cases[i].cn, subj.cn_len) != 0) {
			fail_msg("'%s': CN '%.*s', expected '%s'", cases[i].oneline, (int)subj.cn_len, subj.cn, cases[i].cn);
		}
	}
}

static void test_subject_parse_null(UNUSED void **state)
{
	pc_subject_t subj;

	assert_false(pc_subject_parse(NULL, &subj));
	assert_int_equal(subj.cn_count, 0);
	assert_null(subj.cn);
}

/* FreeRADIUS writes subjects into 1024 bytes: 1023 characters means it may have cut some off. */
static void test_subject_parse_truncated(void **state)
{
	TALLOC_CTX *ctx = *state;
	size_t len;

	for (len = PC_ONELINE_MAX - 2; len <= PC_ONELINE_MAX + 1; len++) {
		char *s = talloc_array(ctx, char, len + 1);
		pc_subject_t subj;

		assert_non_null(s);
		memset(s, 'A', len);
		memcpy(s, "/CN=SEP001122334455/O=", 22);
		s[len] = '\0';
		assert_true(pc_subject_parse(s, &subj));
		assert_int_equal(subj.cn_count, 1);
		assert_int_equal(subj.cn_len, 15);
		if (subj.truncated != (len >= PC_ONELINE_MAX)) {
			fail_msg("%zu-byte subject: truncated = %d", len, subj.truncated);
		}
	}
}

/*
 *	Key identifiers as OpenSSL prints them.
 */
/**
 * The key identifier of an AKI as OpenSSL prints it ("68:07:4B:...", after "keyid:" in
 * OpenSSL 1.1), in lower-case hex: what FreeRADIUS's string says, to compare with the SKI.
 */
static bool printed_keyid(char const *text, char *out, size_t outlen)
{
	size_t n = 0;

	if (text && strncmp(text, "keyid:", 6) == 0) text += 6;
	for (; text && *text && *text != '\n'; text++) {
		if (*text == ':') continue;
		if (!isxdigit((unsigned char)*text) || n + 1 >= outlen) return false;
		out[n++] = (char)tolower((unsigned char)*text);
	}
	out[n] = '\0';
	return n > 0;
}

/*
 *	Facts from real certificates: the strings FreeRADIUS would produce.
 */

/** The SKI of a PKI certificate, lower-case hex. */
static char *ski_hex(TALLOC_CTX *ctx, char const *name)
{
	X509 *cert = unit_cert(name);
	ASN1_OCTET_STRING const *ski = X509_get0_subject_key_id(cert);
	char *hex = talloc_strdup(ctx, "");
	int i;

	assert_non_null(ski);
	for (i = 0; i < ski->length; i++) hex = talloc_asprintf_append(hex, "%02x", ski->data[i]);
	X509_free(cert);
	return hex;
}

/** The serial of a PKI certificate as OpenSSL prints it (BN hex), lower-cased. */
static char *serial_bn_hex(TALLOC_CTX *ctx, char const *name)
{
	X509 *cert = unit_cert(name);
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	char *hex = BN_bn2hex(bn), *out, *p;

	out = talloc_strdup(ctx, hex);
	for (p = out; *p; p++) *p = (char)tolower((unsigned char)*p);
	OPENSSL_free(hex);
	BN_free(bn);
	X509_free(cert);
	return out;
}

static void test_facts_lsc_full_subject(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t f;
	char aki[130];
	time_t t;

	unit_facts(ctx, "lsc-a", "capf-a", &f);
	assert_string_equal(f.subject,
			    "/serialNumber=PID:CP-8861 SN:FCH18198CNQ/C=IN/O=Example Corp/OU=VTG/CN=CP-8861-SEPB000B4BA0AEE");
	assert_string_equal(f.issuer, "/C=IN/ST=Karnataka/L=Bangalore/O=Example Corp/OU=VTG/CN=CAPF-a6d4c572");
	assert_string_equal(f.common_name, "CP-8861-SEPB000B4BA0AEE");
	assert_string_equal(f.serial, serial_bn_hex(ctx, "lsc-a"));
	assert_true(printed_keyid(f.authority_key_id, aki, sizeof(aki)));
	assert_string_equal(aki, ski_hex(ctx, "capf-a"));
	assert_null(f.basic_constraints);		/* leaf_rsa has none */
	assert_contains(f.ext_key_usage, "TLS Web Client Authentication");
	assert_contains(f.key_usage, "Digital Signature");
	assert_contains(f.key_usage, "Key Encipherment");

	/* Raw ASN.1 times (UTCTime before 2050). */
	assert_int_equal(strlen(f.not_before), 13);
	assert_int_equal(f.not_before[12], 'Z');
	assert_true(pc_time_parse_asn1(f.not_after, &t));
	assert_int_equal(t, unit_cert_not_after("lsc-a"));

	/* The issuer's own facts. */
	assert_string_equal(f.issuer_subject, f.issuer);
	assert_string_equal(f.issuer_issuer, f.issuer);	/* self-signed CAPF */
	assert_string_equal(f.issuer_serial, serial_bn_hex(ctx, "capf-a"));
	assert_true(pc_time_parse_asn1(f.issuer_not_after, &t));
	assert_int_equal(t, unit_cert_not_after("capf-a"));
}

static void test_facts_without_issuer(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t f;

	unit_facts(ctx, "lsc-a-ec", NULL, &f);
	assert_string_equal(f.subject, "/CN=SEP001E7AC3D1AB");
	assert_string_equal(f.common_name, "SEP001E7AC3D1AB");
	assert_string_equal(f.key_usage, "Digital Signature");
	assert_null(f.issuer_subject);
	assert_null(f.issuer_issuer);
	assert_null(f.issuer_serial);
	assert_null(f.issuer_not_after);
}

/* The MIC's issuer is an intermediate: its issuer is the root, not itself. */
static void test_facts_mic_intermediate(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t f;

	unit_facts(ctx, "mic-8861", "mfg-int", &f);
	assert_string_equal(f.issuer, "/O=Cisco/CN=Test Cisco Manufacturing CA SHA2");
	assert_string_equal(f.issuer_subject, "/O=Cisco/CN=Test Cisco Manufacturing CA SHA2");
	assert_string_equal(f.issuer_issuer, "/O=Cisco/CN=Test Cisco Root CA M2");
}

/* The embedded NUL: the oneline subject shows it escaped, the CN stops at it (as in FreeRADIUS). */
static void test_facts_nul_cn(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t f;
	pc_subject_t subj;

	unit_facts(ctx, "host-nul-cn", "capf-a", &f);
	assert_string_equal(f.subject, "/CN=SEP001122334455\\x00.evil");
	assert_string_equal(f.common_name, "SEP001122334455");
	assert_true(pc_subject_parse(f.subject, &subj));
	assert_true(subj.escaped);
}

static void test_facts_two_cn_and_leaf_ca(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t f;
	pc_subject_t subj;

	unit_facts(ctx, "host-two-cn", "capf-a", &f);
	assert_string_equal(f.subject, "/CN=SEP001122334466/CN=SEP001122334477");
	assert_true(pc_subject_parse(f.subject, &subj));
	assert_int_equal(subj.cn_count, 2);

	unit_facts(ctx, "host-leaf-ca", "capf-a", &f);
	assert_contains(f.basic_constraints, "CA:TRUE");

	unit_facts(ctx, "host-wrong-eku", "capf-a", &f);
	assert_contains(f.ext_key_usage, "E-mail Protection");
	assert_not_contains(f.ext_key_usage, "Client");

	unit_facts(ctx, "host-no-ski-aki", "capf-a", &f);
	assert_null(f.authority_key_id);
}

/* A CN longer than the buffer: the oneline form drops it (empty subject), the CN is cut at 1023. */
static void test_facts_long_cn(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t f;
	pc_subject_t subj;

	unit_facts(ctx, "host-long-cn", "capf-a", &f);
	assert_non_null(f.subject);
	assert_true(strlen(f.subject) <= PC_ONELINE_MAX);
	assert_non_null(f.common_name);
	assert_int_equal(strlen(f.common_name), 1023);
	/* Whatever is left of the subject must not look like a phone's CN. */
	if (pc_subject_parse(f.subject, &subj) && subj.cn) assert_true(subj.cn_len != 15);
}

/* A serial of more than 20 bytes is still printed; leading zero bytes are kept as FreeRADIUS does. */
static void test_facts_serials(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t f;
	X509 *cert;
	ASN1_INTEGER *sn;
	char *hex;

	unit_facts(ctx, "host-big-serial", "capf-a", &f);
	assert_int_equal(strlen(f.serial), 48);
	assert_string_equal(f.serial, serial_bn_hex(ctx, "host-big-serial"));

	/* Content bytes, not the BN: a serial 0x00ff prints as "00ff" in FreeRADIUS. */
	cert = unit_cert("capf-a");
	sn = ASN1_INTEGER_new();
	assert_non_null(sn);
	assert_int_equal(ASN1_STRING_set(sn, "\x00\xff", 2), 1);
	assert_int_equal(X509_set_serialNumber(cert, sn), 1);
	hex = pc_x509_serial_hex(ctx, cert);
	assert_string_equal(hex, "00ff");

	/* 32 bytes and more: FreeRADIUS skips the attribute, so do we. */
	assert_int_equal(ASN1_STRING_set(sn, "0123456789abcdef0123456789abcdef", 32), 1);
	assert_int_equal(X509_set_serialNumber(cert, sn), 1);
	assert_null(pc_x509_serial_hex(ctx, cert));
	ASN1_INTEGER_free(sn);
	X509_free(cert);
}

static void test_facts_no_certificate(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t f;
	pc_error_t err = { .msg = "" };

	memset(&f, 0xa5, sizeof(f));
	assert_int_equal(pc_facts_from_x509(ctx, NULL, NULL, &f, &err), -1);
	assert_contains(err.msg, "no certificate");
	assert_null(f.subject);		/* cleared, never left dangling */
	assert_null(f.issuer_subject);
}

static void test_x509_oneline(void **state)
{
	TALLOC_CTX *ctx = *state;
	X509 *cert = unit_cert("capf-b");
	char *s = pc_x509_oneline(ctx, X509_get_subject_name(cert));

	assert_string_equal(s, "/C=AU/ST=NSW/L=Sydney/O=stormin/OU=IST/CN=CAPF-a7fb32bf");
	assert_ptr_equal(talloc_parent(s), ctx);
	X509_free(cert);
}

/*
 * How FreeRADIUS's 1024-byte buffer loses components: OpenSSL leaves out the first component
 * that does not fit, whole, and every one after it.  What is left is well formed and shorter
 * than the buffer, so pc_subject_parse() cannot flag it (subject.c says what still holds).
 */
static void test_x509_oneline_drops_components(void **state)
{
	TALLOC_CTX *ctx = *state;
	X509_NAME *name = X509_NAME_new();
	char big[1001];
	char *oneline;
	pc_subject_t subj;

	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_non_null(name);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", V_ASN1_UTF8STRING,
						    (unsigned char const *)"SEP001122334455", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "name", V_ASN1_UTF8STRING, (unsigned char const *)big,
						    -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", V_ASN1_UTF8STRING,
						    (unsigned char const *)"SEP00AABBCCDDEE", -1, -1, 0), 1);

	oneline = pc_x509_oneline(ctx, name);
	assert_string_equal(oneline, "/CN=SEP001122334455");
	assert_true(pc_subject_parse(oneline, &subj));
	assert_int_equal(subj.cn_count, 1);
	assert_false(subj.truncated);
	X509_NAME_free(name);
}

/* The module fills facts from the attribute table: every field lands in its own slot, once. */
static void test_facts_set_from_table(void **state)
{
	pc_cert_facts_t facts;
	char const *const *slots = (char const *const *)&facts;
	unsigned int i, j;

	(void)state;
	assert_int_equal(sizeof(facts), PC_FACT_COUNT * sizeof(char const *));
	memset(&facts, 0, sizeof(facts));
	for (i = 0; i < PC_FACT_COUNT; i++) {
		pc_facts_set(&facts, i, pc_fact_fields[i].attribute);
		pc_facts_set(&facts, i, "second value");	/* the first value wins */
	}
	pc_facts_set(&facts, PC_FACT_COUNT, "out of range");
	for (i = 0; i < PC_FACT_COUNT; i++) {
		assert_ptr_equal(slots[pc_fact_fields[i].offset / sizeof(char const *)], pc_fact_fields[i].attribute);
		for (j = 0; j < i; j++) assert_int_not_equal(pc_fact_fields[i].offset, pc_fact_fields[j].offset);
	}
	assert_string_equal(facts.subject, "TLS-Client-Cert-Subject");
	assert_string_equal(facts.issuer_not_after, "TLS-Cert-Expiration");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subject_parse_table),
		cmocka_unit_test(test_subject_parse_openssl3_escapes),
		cmocka_unit_test(test_subject_parse_null),
		cmocka_unit_test_setup_teardown(test_subject_parse_truncated, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_facts_lsc_full_subject, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_facts_without_issuer, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_facts_mic_intermediate, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_facts_nul_cn, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_facts_two_cn_and_leaf_ca, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_facts_long_cn, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_facts_serials, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_facts_no_certificate, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test(test_facts_set_from_table),
		cmocka_unit_test_setup_teardown(test_x509_oneline, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_x509_oneline_drops_components, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
