/**
 * @file test_cert.c
 * @brief The certificate record: what pc_cert_from_x509() reads from the DER, and the bounded,
 *	  strict text encoding that carries it from the verification hook to the decision.
 */
#include "unit.h"

#include <ctype.h>
#include <limits.h>

#include <openssl/x509v3.h>

#include <phonecert/cert.h>

/** Every leaf of the test PKI (manifest.tsv lists them all: a new leaf is covered too). */
static char **pki_leaves(TALLOC_CTX *ctx, unsigned int *count)
{
	size_t len;
	char *text = (char *)unit_read_file(ctx, unit_pki_path(ctx, "manifest.tsv"), &len);
	char **names = talloc_array(ctx, char *, 0);
	char *line, *save = NULL;

	*count = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');

		if (!tab) continue;
		names = talloc_realloc(ctx, names, char *, *count + 1);
		assert_non_null(names);
		names[(*count)++] = talloc_strndup(names, line, (size_t)(tab - line));
	}
	if (*count < 20) fail_msg("manifest.tsv lists only %u leaves", *count);
	return names;
}

/** The record of PKI_DIR/NAME.crt alone, with chain fields that must be left alone. */
static void leaf_record(char const *name, pc_cert_t *out)
{
	X509 *cert = unit_cert(name);

	memset(out, 0, sizeof(*out));
	out->verify_error = 20;
	out->error_depth = 1;
	out->chain_length = 3;
	out->untrusted = 2;
	strcpy(out->issuer_fp, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	/* Chain bits survive; a stale leaf bit does not. */
	out->flags = PC_CHAIN_SIGNER_FOUND | PC_CHAIN_SENT_NAMES_ANCHOR | PC_CERT_CA;
	pc_cert_from_x509(cert, out);
	X509_free(cert);
	assert_int_equal(ERR_peek_error(), 0);
}

static char *hex_of(TALLOC_CTX *ctx, unsigned char const *data, size_t len)
{
	char *out = talloc_strdup(ctx, "");
	size_t i;

	for (i = 0; i < len; i++) out = talloc_asprintf_append(out, "%02x", data[i]);
	assert_non_null(out);
	return out;
}

static char *text_hex(TALLOC_CTX *ctx, char const *text)
{
	return hex_of(ctx, (unsigned char const *)text, strlen(text));
}

/*
 *	pc_cert_from_x509
 */
static void test_cert_from_x509_lsc(void **state)
{
	TALLOC_CTX *ctx = *state;
	X509 *leaf = unit_cert("lsc-a"), *capf = unit_cert("capf-a");
	ASN1_INTEGER const *sn = X509_get0_serialNumber(leaf);
	ASN1_OCTET_STRING const *ski = X509_get0_subject_key_id(capf);
	char serial[41];
	pc_cert_t c;

	leaf_record("lsc-a", &c);
	assert_int_equal(c.cn_status, PC_CN_OK);
	assert_string_equal(c.cn, "CP-8861-SEPB000B4BA0AEE");
	assert_string_equal(c.serial_number, "PID:CP-8861 SN:FCH18198CNQ");
	assert_string_equal(c.issuer_cn, "CAPF-a6d4c572");
	assert_int_equal(c.serial_len, ASN1_STRING_length(sn));
	assert_memory_equal(c.serial, ASN1_STRING_get0_data(sn), c.serial_len);
	pc_cert_serial_hex(&c, serial);
	assert_string_equal(serial, pc_x509_serial_hex(ctx, leaf));
	assert_int_equal(c.not_before, unit_cert_not_before("lsc-a"));
	assert_int_equal(c.not_after, unit_cert_not_after("lsc-a"));
	/* critical KU digitalSignature, EKU clientAuth, AKI keyid = capf-a's SKI, no CA. */
	assert_int_equal(c.flags & 0x0fff, PC_CERT_KU | PC_CERT_KU_SIGN | PC_CERT_EKU | PC_CERT_EKU_CLIENT |
			 PC_CERT_AKI | PC_CERT_AKI_KEYID);
	assert_int_equal(c.aki_len, ASN1_STRING_length(ski));
	assert_memory_equal(c.aki, ASN1_STRING_get0_data(ski), c.aki_len);

	/* The chain fields are the verifier's: untouched. */
	assert_int_equal(c.verify_error, 20);
	assert_int_equal(c.error_depth, 1);
	assert_int_equal(c.chain_length, 3);
	assert_int_equal(c.untrusted, 2);
	assert_int_equal(c.flags & 0xf000, PC_CHAIN_SIGNER_FOUND | PC_CHAIN_SENT_NAMES_ANCHOR);
	assert_string_equal(c.issuer_fp, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	X509_free(leaf);
	X509_free(capf);
}

/* What each leaf of the PKI reads as: its CN, serialNumber and flags. */
static void test_cert_from_x509_table(UNUSED void **state)
{
	enum { KEYID = PC_CERT_AKI | PC_CERT_AKI_KEYID, PHONE = PC_CERT_KU | PC_CERT_KU_SIGN | PC_CERT_EKU |
	       PC_CERT_EKU_CLIENT | PC_CERT_AKI | PC_CERT_AKI_KEYID };
	static struct {
		char const	*name;
		pc_cn_status_t	status;
		char const	*cn;
		char const	*serial_number;
		uint32_t	flags;		//!< The PC_CERT_* bits.
		char const	*issuer_cn;
	} const cases[] = {
		{ "lsc-a-ec", PC_CN_OK, "SEP001E7AC3D1AB", "", PHONE, "CAPF-a6d4c572" },
		{ "lsc-b", PC_CN_OK, "CP-8861-SEPB000B4BA0AEF", "PID:CP-8861 SN:FCH18198CNR", PHONE, "CAPF-a7fb32bf" },
		{ "lsc-ent", PC_CN_OK, "SEP0011223344E0", "", PHONE, "Example Enterprise Issuing CA" },
		{ "mic-8861", PC_CN_OK, "CP-8861-SEP2C3124C9F8E1", "PID:CP-8861 SN:FCH2133E8B9", PHONE,
		  "Test Cisco Manufacturing CA SHA2" },
		{ "mic-legacy", PC_CN_OK, "CP-7961G-SEP001E7AC3D1AC", "", PHONE, "Test CAP-RTP-002" },
		{ "sudi-switch", PC_CN_OK, "C9300-48P", "PID:C9300-48P SN:FOC2227Y0AB", PHONE,
		  "Test Cisco Manufacturing CA SHA2" },
		{ "host-nul-cn", PC_CN_BAD_BYTES, "", "", PHONE, "CAPF-a6d4c572" },
		{ "host-two-cn", PC_CN_SEVERAL, "", "", PHONE, "CAPF-a6d4c572" },
		{ "host-long-cn", PC_CN_TOO_LONG, "", "", PHONE, "CAPF-a6d4c572" },
		{ "host-nonascii", PC_CN_BAD_BYTES, "", "", PHONE, "CAPF-a6d4c572" },
		{ "host-lower-sep", PC_CN_OK, "sep0011223344aa", "", PHONE, "CAPF-a6d4c572" },
		{ "host-short-mac", PC_CN_OK, "SEP00112233445", "", PHONE, "CAPF-a6d4c572" },
		{ "host-leaf-ca", PC_CN_OK, "SEP0011223344B1", "", PHONE | PC_CERT_CA, "CAPF-a6d4c572" },
		{ "host-no-ski-aki", PC_CN_OK, "SEP0011223344B2", "", PHONE & ~KEYID, "CAPF-a6d4c572" },
		{ "host-big-serial", PC_CN_OK, "SEP0011223344B3", "", PHONE | PC_CERT_SERIAL_LONG, "CAPF-a6d4c572" },
		{ "host-wrong-eku", PC_CN_OK, "SEP0011223344B8", "", PHONE & ~PC_CERT_EKU_CLIENT, "CAPF-a6d4c572" },
		{ "host-deep", PC_CN_OK, "SEP0011223344B6", "", PHONE, "Deep Intermediate 2" },
		/* A CA: CA:TRUE and a key usage without digitalSignature, no AKI (self-signed). */
		{ "capf-a", PC_CN_OK, "CAPF-a6d4c572", "", PC_CERT_CA | PC_CERT_KU, "CAPF-a6d4c572" },
		/* Self-signed with CA:FALSE: not a CA; an EKU without clientAuth, no AKI. */
		{ "notca", PC_CN_OK, "cucm-pub.example.com", "", PC_CERT_KU | PC_CERT_KU_SIGN | PC_CERT_EKU,
		  "cucm-pub.example.com" },
	};
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_cert_t c;
		uint32_t flags = cases[i].flags & 0x0fff;

		leaf_record(cases[i].name, &c);
		if (c.cn_status != cases[i].status) fail_msg("%s: cn_status %d, expected %d", cases[i].name, c.cn_status, cases[i].status);
		if (strcmp(c.cn, cases[i].cn) != 0) fail_msg("%s: CN '%s', expected '%s'", cases[i].name, c.cn, cases[i].cn);
		if (strcmp(c.serial_number, cases[i].serial_number) != 0) {
			fail_msg("%s: serialNumber '%s', expected '%s'", cases[i].name, c.serial_number, cases[i].serial_number);
		}
		if ((c.flags & 0x0fff) != flags) fail_msg("%s: flags %04x, expected %04x", cases[i].name, c.flags & 0x0fff, flags);
		if (strcmp(c.issuer_cn, cases[i].issuer_cn) != 0) {
			fail_msg("%s: issuer CN '%s', expected '%s'", cases[i].name, c.issuer_cn, cases[i].issuer_cn);
		}
		if ((c.aki_len > 0) != ((c.flags & PC_CERT_AKI_KEYID) != 0)) fail_msg("%s: aki_len %u", cases[i].name, c.aki_len);
		if (c.flags & PC_CERT_SERIAL_LONG) {
			assert_int_equal(c.serial_len, 0);
		} else {
			assert_true(c.serial_len >= 1 && c.serial_len <= 20);
		}
	}
}

/** A copy of PKI_DIR/NAME.crt to edit; reparse() makes OpenSSL read the edited DER afresh. */
static X509 *reparse(X509 *cert)
{
	unsigned char *der = NULL;
	unsigned char const *p;
	int len;
	X509 *fresh;

	assert_true(i2d_re_X509_tbs(cert, NULL) > 0);	/* the edited fields, not the cached DER */
	len = i2d_X509(cert, &der);
	assert_true(len > 0);
	p = der;
	fresh = d2i_X509(NULL, &p, len);
	assert_non_null(fresh);
	OPENSSL_free(der);
	X509_free(cert);
	return fresh;
}

/** lsc-a with its subject replaced by one RDN per entry (type: MBSTRING_* or V_ASN1_*). */
static X509 *with_subject(char const *field, int type, unsigned char const *value, int len)
{
	X509 *cert = unit_cert("lsc-a");
	X509_NAME *name = X509_NAME_new();

	assert_non_null(name);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (unsigned char const *)"Example Corp",
						    -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, field, type, value, len, -1, 0), 1);
	assert_int_equal(X509_set_subject_name(cert, name), 1);
	X509_NAME_free(name);
	return reparse(cert);
}

/* Names at the edges of what the record holds. */
static void test_cert_from_x509_names(UNUSED void **state)
{
	static unsigned char const bmp_sep[] = {	/* "SEP001122334455" as a BMPString */
		0, 'S', 0, 'E', 0, 'P', 0, '0', 0, '0', 0, '1', 0, '1', 0, '2', 0, '2', 0, '3', 0, '3', 0, '4', 0, '4',
		0, '5', 0, '5' };
	static unsigned char const bmp_nul[] = { 0, 'S', 0, 'E', 0, 'P', 0, 0, 0, '1' };
	char cn64[65], cn65[66], sn64[65], sn65[66];
	pc_cert_t c;
	X509 *cert;

	memset(cn64, 'A', 64);
	memcpy(cn64 + 64 - 15, "SEP001122334455", 15);
	cn64[64] = '\0';
	memset(cn65, 'A', 65);
	cn65[65] = '\0';
	memset(sn64, 'S', 64);
	sn64[64] = '\0';
	memset(sn65, 'S', 65);
	sn65[65] = '\0';

	/* A BMPString reads as what it says; a NUL inside one is a bad byte. */
	memset(&c, 0, sizeof(c));
	cert = with_subject("CN", V_ASN1_BMPSTRING, bmp_sep, sizeof(bmp_sep));
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.cn_status, PC_CN_OK);
	assert_string_equal(c.cn, "SEP001122334455");
	X509_free(cert);
	cert = with_subject("CN", V_ASN1_BMPSTRING, bmp_nul, sizeof(bmp_nul));
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.cn_status, PC_CN_BAD_BYTES);
	assert_string_equal(c.cn, "");
	X509_free(cert);

	/* 64 bytes is the longest CN; 65 is too long. */
	cert = with_subject("CN", MBSTRING_ASC, (unsigned char const *)cn64, -1);
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.cn_status, PC_CN_OK);
	assert_string_equal(c.cn, cn64);
	X509_free(cert);
	cert = with_subject("CN", V_ASN1_UTF8STRING, (unsigned char const *)cn65, -1);
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.cn_status, PC_CN_TOO_LONG);
	assert_string_equal(c.cn, "");
	X509_free(cert);

	/* An empty CN is not a CN to act on; no CN at all is PC_CN_NONE. */
	cert = with_subject("CN", V_ASN1_UTF8STRING, (unsigned char const *)"", 0);
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.cn_status, PC_CN_BAD_BYTES);
	X509_free(cert);
	cert = with_subject("OU", MBSTRING_ASC, (unsigned char const *)"CN=SEP001122334455", -1);
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.cn_status, PC_CN_NONE);
	assert_string_equal(c.cn, "");
	X509_free(cert);

	/* serialNumber: 64 bytes fit (X.520's upper bound), 65 do not, a control byte never. */
	cert = with_subject("serialNumber", V_ASN1_UTF8STRING, (unsigned char const *)sn64, -1);
	pc_cert_from_x509(cert, &c);
	assert_string_equal(c.serial_number, sn64);
	assert_int_equal(c.flags & PC_CERT_SN_BAD, 0);
	X509_free(cert);
	cert = with_subject("serialNumber", V_ASN1_UTF8STRING, (unsigned char const *)sn65, -1);
	pc_cert_from_x509(cert, &c);
	assert_string_equal(c.serial_number, "");
	assert_int_equal(c.flags & PC_CERT_SN_BAD, PC_CERT_SN_BAD);
	X509_free(cert);
	cert = with_subject("serialNumber", V_ASN1_UTF8STRING, (unsigned char const *)"PID:CP-8861\tSN:X", -1);
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.flags & PC_CERT_SN_BAD, PC_CERT_SN_BAD);
	X509_free(cert);
	/* The leaf's serialNumber bit is cleared for the next certificate. */
	cert = unit_cert("lsc-a");
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.flags & PC_CERT_SN_BAD, 0);
	X509_free(cert);
}

/*
 * Subjects whose oneline form once hid or invented a CN (tests/fuzz/README.md): the record
 * counts CN attributes wherever they are, and reads no name out of another attribute's value.
 */
static void test_cert_from_x509_hostile_subjects(UNUSED void **state)
{
	typedef struct {
		char const	*key;
		char const	*value;
		int		set;		//!< 0: a new RDN; -1: added to the previous RDN (multi-valued).
	} entry_t;
	static entry_t const slash_in_o[] = {		/* no CN at all: O hides one */
		{ "O", "evil/CN=CP-8861-SEPB000B4BA0AEE", 0 }, { NULL, NULL, 0 } };
	static entry_t const backslash_o[] = {		/* a real CN after an O ending with '\\' */
		{ "O", "evil\\", 0 }, { "CN", "CP-8861-SEPB000B4BA0AEE", 0 }, { NULL, NULL, 0 } };
	static entry_t const plus_cn[] = {		/* a second CN in a multi-valued RDN */
		{ "CN", "CP-8861-SEPB000B4BA0AEE", 0 }, { "O", "x", 0 }, { "CN", "SEP001122334455", -1 },
		{ NULL, NULL, 0 } };
	static entry_t const plus_in_o[] = {		/* '+' inside a value */
		{ "O", "a+CN=SEP001122334455", 0 }, { "CN", "CP-8861-SEPB000B4BA0AEE", 0 }, { NULL, NULL, 0 } };
	static entry_t const plus_only[] = {		/* the one CN inside a multi-valued RDN */
		{ "O", "x", 0 }, { "CN", "CP-8861-SEPB000B4BA0AEE", -1 }, { NULL, NULL, 0 } };
	static struct {
		char const	*what;
		entry_t const	*subject;
		pc_cn_status_t	status;
		char const	*cn;
	} const cases[] = {
		{ "O hiding a CN", slash_in_o, PC_CN_NONE, "" },
		{ "O ending with a backslash", backslash_o, PC_CN_OK, "CP-8861-SEPB000B4BA0AEE" },
		{ "second CN after '+'", plus_cn, PC_CN_SEVERAL, "" },
		{ "'+' in O", plus_in_o, PC_CN_OK, "CP-8861-SEPB000B4BA0AEE" },
		{ "CN in a multi-valued RDN", plus_only, PC_CN_OK, "CP-8861-SEPB000B4BA0AEE" },
	};
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		X509 *cert = unit_cert("lsc-a");
		X509_NAME *name = X509_NAME_new();
		entry_t const *e;
		pc_cert_t c;

		for (e = cases[i].subject; e->key; e++) {
			assert_int_equal(X509_NAME_add_entry_by_txt(name, e->key, V_ASN1_UTF8STRING,
								    (unsigned char const *)e->value, -1, -1, e->set), 1);
		}
		assert_int_equal(X509_set_subject_name(cert, name), 1);
		X509_NAME_free(name);
		cert = reparse(cert);
		memset(&c, 0, sizeof(c));
		pc_cert_from_x509(cert, &c);
		if (c.cn_status != cases[i].status || strcmp(c.cn, cases[i].cn) != 0) {
			fail_msg("%s: status %d CN '%s', expected %d '%s'", cases[i].what, c.cn_status, c.cn,
				 cases[i].status, cases[i].cn);
		}
		X509_free(cert);
	}
}

/* The issuer CN is for messages only: printable ASCII, the rest replaced, at most 64 bytes. */
static void test_cert_from_x509_issuer_cn(UNUSED void **state)
{
	char long_cn[101];
	X509 *cert = unit_cert("lsc-a");
	X509_NAME *name = X509_NAME_new();
	pc_cert_t c;

	memset(long_cn, 'x', 100);
	long_cn[100] = '\0';
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", V_ASN1_UTF8STRING, (unsigned char const *)"CAPF-\xc3\xb6\n",
						    -1, -1, 0), 1);
	assert_int_equal(X509_set_issuer_name(cert, name), 1);
	cert = reparse(cert);
	memset(&c, 0, sizeof(c));
	pc_cert_from_x509(cert, &c);
	assert_string_equal(c.issuer_cn, "CAPF-???");
	X509_free(cert);
	X509_NAME_free(name);

	cert = unit_cert("lsc-a");
	name = X509_NAME_new();
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", V_ASN1_UTF8STRING, (unsigned char const *)long_cn,
						    -1, -1, 0), 1);
	assert_int_equal(X509_set_issuer_name(cert, name), 1);
	cert = reparse(cert);
	pc_cert_from_x509(cert, &c);
	assert_int_equal(strlen(c.issuer_cn), PC_CN_MAX);
	X509_free(cert);
	X509_NAME_free(name);
}

/** lsc-a with the serial number given as big-endian bytes (negative if asked). */
static X509 *with_serial(unsigned char const *bytes, int len, bool negative)
{
	X509 *cert = unit_cert("lsc-a");
	BIGNUM *bn = BN_bin2bn(bytes, len, NULL);
	ASN1_INTEGER *serial;

	assert_non_null(bn);
	BN_set_negative(bn, negative);
	serial = BN_to_ASN1_INTEGER(bn, NULL);
	assert_non_null(serial);
	assert_int_equal(X509_set_serialNumber(cert, serial), 1);
	ASN1_INTEGER_free(serial);
	BN_free(bn);
	return reparse(cert);
}

/* Serials: RFC 5280's 20 bytes fit, 21 and negative ones are flagged; times before 1970 read. */
static void test_cert_from_x509_serial_and_times(UNUSED void **state)
{
	static unsigned char const bytes[21] = { 0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
	X509 *cert;
	pc_cert_t c;

	memset(&c, 0, sizeof(c));
	cert = with_serial(bytes, 20, false);
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.flags & PC_CERT_SERIAL_LONG, 0);
	assert_int_equal(c.serial_len, 20);
	assert_memory_equal(c.serial, bytes, 20);
	X509_free(cert);

	cert = with_serial(bytes, 21, false);
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.flags & PC_CERT_SERIAL_LONG, PC_CERT_SERIAL_LONG);
	assert_int_equal(c.serial_len, 0);
	X509_free(cert);

	cert = with_serial(bytes, 8, true);
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.flags & PC_CERT_SERIAL_LONG, PC_CERT_SERIAL_LONG);
	assert_int_equal(c.serial_len, 0);
	X509_free(cert);

	/* One byte. */
	cert = with_serial(bytes + 1, 1, false);
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.flags & PC_CERT_SERIAL_LONG, 0);
	assert_int_equal(c.serial_len, 1);
	assert_int_equal(c.serial[0], 1);
	X509_free(cert);

	/* 1950 (UTCTime 50) is before the epoch: a negative time, read as such. */
	cert = unit_cert("lsc-a");
	assert_int_equal(ASN1_TIME_set_string(X509_getm_notBefore(cert), "500101000000Z"), 1);
	assert_int_equal(ASN1_TIME_set_string(X509_getm_notAfter(cert), "99991231235959Z"), 1);
	cert = reparse(cert);
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.not_before, -631152000);
	assert_int_equal(c.not_after, 253402300799);
	assert_int_equal(c.flags & PC_CERT_BAD_TIME, 0);
	X509_free(cert);
}

/* Key identifiers longer than the record holds are flagged, not cut. */
static void test_cert_from_x509_long_aki(UNUSED void **state)
{
	unsigned char keyid[33];
	AUTHORITY_KEYID *akid = AUTHORITY_KEYID_new();
	X509 *cert = unit_cert("lsc-a");
	int idx = X509_get_ext_by_NID(cert, NID_authority_key_identifier, -1);
	pc_cert_t c;

	memset(keyid, 0xab, sizeof(keyid));
	assert_true(idx >= 0);
	X509_EXTENSION_free(X509_delete_ext(cert, idx));
	akid->keyid = ASN1_OCTET_STRING_new();
	assert_int_equal(ASN1_OCTET_STRING_set(akid->keyid, keyid, sizeof(keyid)), 1);
	assert_int_equal(X509_add1_ext_i2d(cert, NID_authority_key_identifier, akid, 0, X509V3_ADD_APPEND), 1);
	AUTHORITY_KEYID_free(akid);
	cert = reparse(cert);

	memset(&c, 0, sizeof(c));
	pc_cert_from_x509(cert, &c);
	assert_int_equal(c.flags & (PC_CERT_AKI | PC_CERT_AKI_KEYID | PC_CERT_AKI_LONG), PC_CERT_AKI | PC_CERT_AKI_LONG);
	assert_int_equal(c.aki_len, 0);
	X509_free(cert);
}

/*
 *	The encoding.
 */
static bool encoding_charset(char const *text)
{
	for (; *text; text++) {
		if (!isdigit((unsigned char)*text) && !islower((unsigned char)*text) && *text != ';' && *text != '-') return false;
	}
	return true;
}

/** Encode, check the shape, decode, check the same record came back; returns the text. */
static char *round_trip(TALLOC_CTX *ctx, pc_cert_t const *c, char const *what)
{
	char text[PC_CERT_RECORD_MAX];
	size_t len = pc_cert_encode(c, text, sizeof(text));
	pc_cert_t back, again;
	char text2[PC_CERT_RECORD_MAX];

	if (len == 0) fail_msg("%s: not encoded", what);
	if (len != strlen(text) || len > PC_CERT_RECORD_MAX - 1) fail_msg("%s: length %zu", what, len);
	if (!encoding_charset(text)) fail_msg("%s: '%s' has a character outside [0-9a-z;-]", what, text);
	if (strncmp(text, "pc2;", 4) != 0) fail_msg("%s: '%s'", what, text);
	memset(&back, 0x5a, sizeof(back));
	if (!pc_cert_decode(text, len, &back)) fail_msg("%s: '%s' does not decode", what, text);
	if (!unit_cert_equal(c, &back)) fail_msg("%s: '%s' decodes to another record", what, text);
	/* And once more: a decoded record encodes to the same text. */
	assert_int_equal(pc_cert_encode(&back, text2, sizeof(text2)), len);
	assert_string_equal(text2, text);
	assert_true(pc_cert_decode(text2, len, &again));
	assert_true(unit_cert_equal(&again, &back));
	return talloc_strdup(ctx, text);
}

static void test_cert_round_trip_every_leaf(void **state)
{
	TALLOC_CTX *ctx = *state;
	unsigned int count, i;
	char **names = pki_leaves(ctx, &count);

	for (i = 0; i < count; i++) {
		pc_cert_t c;

		leaf_record(names[i], &c);
		(void)round_trip(ctx, &c, names[i]);
		/* As the verifier leaves a verified record: no fingerprint variant, no error. */
		c.verify_error = 0;
		c.error_depth = 0;
		c.issuer_fp[0] = '\0';
		c.flags &= 0x0fff;
		(void)round_trip(ctx, &c, names[i]);
	}
}

/** The largest record there is: every string and byte array full, every number at its widest. */
static void worst_case(pc_cert_t *c)
{
	memset(c, 0, sizeof(*c));
	c->verify_error = PC_VERIFY_ERROR_MAX;
	c->error_depth = PC_CHAIN_COUNT_MAX;
	c->chain_length = PC_CHAIN_COUNT_MAX;
	c->untrusted = PC_CHAIN_COUNT_MAX;
	memset(c->issuer_fp, 'f', PC_FINGERPRINT_HEX - 1);
	c->flags = 0xffff;
	c->cn_status = PC_CN_OK;
	memset(c->cn, '~', PC_CN_MAX);			/* 0x7e: the widest hex is no wider, but fill anyway */
	memset(c->serial_number, 'Z', sizeof(c->serial_number) - 1);
	memset(c->serial, 0xff, sizeof(c->serial));
	c->serial_len = sizeof(c->serial);
	c->not_before = INT64_MIN / 2;
	c->not_after = INT64_MIN / 2 + 1;
	memset(c->aki, 0xee, sizeof(c->aki));
	c->aki_len = sizeof(c->aki);
	memset(c->issuer_cn, ' ', PC_CN_MAX);
	memset(c->fingerprint, 'f', PC_FINGERPRINT_HEX - 1);
}

static void test_cert_worst_case_fits(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_t c;
	char *text;
	char buf[PC_CERT_RECORD_MAX];
	size_t len;

	worst_case(&c);
	text = round_trip(ctx, &c, "worst case");
	len = strlen(text);
	assert_true(len <= PC_CERT_RECORD_MAX - 1);
	/* The longest record there is (cert.h says so), well short of FreeRADIUS's ~1024 cut. */
	assert_int_equal(len, 694);
	assert_contains(text, ";-4611686018427387904;-4611686018427387903;");

	/* Exactly enough room, and one byte less. */
	assert_int_equal(pc_cert_encode(&c, buf, len + 1), len);
	assert_string_equal(buf, text);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(pc_cert_encode(&c, buf, len), 0);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(pc_cert_encode(&c, buf, 0), 0);
	assert_int_equal(pc_cert_encode(&c, NULL, sizeof(buf)), 0);

	/* The smallest record: nothing but zeros and empty strings (PC_CN_NONE). */
	memset(&c, 0, sizeof(c));
	c.cn_status = PC_CN_NONE;
	assert_string_equal(round_trip(ctx, &c, "empty"), "pc2;0;0;0;0;;0;1;;;;0;0;;;");
}

/* A record decode would refuse is not encoded (what encodes, decodes to itself). */
static void test_cert_encode_refuses_invalid(UNUSED void **state)
{
	enum { SERIAL_LEN, AKI_LEN, CHAIN, UNTRUSTED, DEPTH_HIGH, DEPTH_LOW, ERROR_NEG, ERROR_HIGH, FP_UPPER, FP_SHORT,
	       FLAGS, STATUS, CN_EMPTY, CN_BUT_NOT_OK, CN_UNTERMINATED, CN_CONTROL, SN_UNTERMINATED, ISSUER_CN_BYTE,
	       AKI_NO_FLAG, FLAG_NO_AKI, TIME_HIGH, TIME_LOW, CERT_FP_UPPER, CERT_FP_SHORT, CASES };
	int i;

	for (i = 0; i < CASES; i++) {
		char buf[PC_CERT_RECORD_MAX] = "untouched";
		pc_cert_t c;

		leaf_record("lsc-a", &c);
		switch (i) {
		case SERIAL_LEN: c.serial_len = sizeof(c.serial) + 1; break;
		case AKI_LEN: c.aki_len = sizeof(c.aki) + 1; break;
		case CHAIN: c.chain_length = PC_CHAIN_COUNT_MAX + 1; break;
		case UNTRUSTED: c.untrusted = PC_CHAIN_COUNT_MAX + 1; break;
		case DEPTH_HIGH: c.error_depth = PC_CHAIN_COUNT_MAX + 1; break;
		case DEPTH_LOW: c.error_depth = -2; break;
		case ERROR_NEG: c.verify_error = -1; break;
		case ERROR_HIGH: c.verify_error = PC_VERIFY_ERROR_MAX + 1; break;
		case FP_UPPER: c.issuer_fp[0] = 'A'; break;
		case FP_SHORT: c.issuer_fp[63] = '\0'; break;
		case FLAGS: c.flags = 0x10000; break;
		case STATUS: c.cn_status = (pc_cn_status_t)(PC_CN_TOO_LONG + 1); break;
		case CN_EMPTY: c.cn[0] = '\0'; break;
		case CN_BUT_NOT_OK: c.cn_status = PC_CN_SEVERAL; break;
		case CN_UNTERMINATED: memset(c.cn, 'A', sizeof(c.cn)); break;
		case CN_CONTROL: c.cn[3] = '\n'; break;
		case SN_UNTERMINATED: memset(c.serial_number, 'S', sizeof(c.serial_number)); break;
		case ISSUER_CN_BYTE: c.issuer_cn[0] = (char)0xc3; break;
		case AKI_NO_FLAG: c.flags &= ~(uint32_t)PC_CERT_AKI_KEYID; break;
		case FLAG_NO_AKI: c.aki_len = 0; break;
		case TIME_HIGH: c.not_after = INT64_MAX / 2 + 1; break;
		case TIME_LOW: c.not_before = INT64_MIN; break;
		case CERT_FP_UPPER: c.fingerprint[5] = 'B'; break;
		case CERT_FP_SHORT: c.fingerprint[10] = '\0'; break;
		}
		if (pc_cert_encode(&c, buf, sizeof(buf)) != 0) fail_msg("invalid record %d encoded as '%s'", i, buf);
		assert_string_equal(buf, "");
	}
}

/*
 *	pc_cert_decode refuses anything but what pc_cert_encode writes.
 */
static bool decodes(char const *text, size_t len)
{
	pc_cert_t c, zero;

	memset(&c, 0x5a, sizeof(c));
	memset(&zero, 0, sizeof(zero));
	if (pc_cert_decode(text, len, &c)) return true;
	if (memcmp(&c, &zero, sizeof(c)) != 0) fail_msg("a refused record left data in out");
	return false;
}

/** text with field number index (0 = the tag) replaced by value, under ctx. */
static char *with_field(TALLOC_CTX *ctx, char const *text, unsigned int index, char const *value)
{
	char *copy = talloc_strdup(ctx, text), *out = talloc_strdup(ctx, ""), *p, *semi;
	unsigned int i = 0;

	for (p = copy; p; p = semi ? semi + 1 : NULL, i++) {
		semi = strchr(p, ';');
		if (semi) *semi = '\0';
		out = talloc_asprintf_append(out, "%s%s", i ? ";" : "", i == index ? value : p);
	}
	if (index >= i) fail_msg("no field %u in '%s'", index, text);
	assert_non_null(out);
	return out;
}

enum {	/* the fields, as cert.c numbers them */
	F_TAG, F_ERROR, F_DEPTH, F_CHAIN, F_UNTRUSTED, F_FP, F_FLAGS, F_STATUS, F_CN, F_SN, F_SERIAL, F_NB, F_NA, F_AKI,
	F_ISSUER_CN, F_CERT_FP
};

static void test_cert_decode_refuses(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_t c;
	char *good, *t;
	static struct {
		unsigned int	field;
		char const	*value;
		bool		ok;
	} const cases[] = {
		/* pc1 (before the certificate's fingerprint) is refused: it would slip past fingerprint denials. */
		{ F_TAG, "pc1", false }, { F_TAG, "pc3", false }, { F_TAG, "PC2", false }, { F_TAG, "pc", false },
		{ F_TAG, "pc2 ", false },
		{ F_TAG, "", false },
		{ F_ERROR, "", false }, { F_ERROR, "-1", false }, { F_ERROR, "100001", false }, { F_ERROR, "100000", true },
		{ F_ERROR, "+1", false }, { F_ERROR, " 1", false }, { F_ERROR, "1 ", false }, { F_ERROR, "0x1", false },
		{ F_ERROR, "1e3", false }, { F_ERROR, "99999999999999999999999", false },
		{ F_DEPTH, "-1", true }, { F_DEPTH, "-2", false }, { F_DEPTH, "100", true }, { F_DEPTH, "101", false },
		{ F_CHAIN, "101", false }, { F_CHAIN, "-1", false }, { F_CHAIN, "100", true },
		{ F_UNTRUSTED, "101", false }, { F_UNTRUSTED, "a", false },
		/* The fingerprint: empty, or 64 lower-case hex digits. */
		{ F_FP, "", true },
		{ F_FP, "4C40171EC485941DE71F68D6503890EF1797F2F3C5835E60C29CAB32CD87BB10", false },
		{ F_FP, "4c40171ec485941de71f68d6503890ef1797f2f3c5835e60c29cab32cd87bb1", false },
		{ F_FP, "4c40171ec485941de71f68d6503890ef1797f2f3c5835e60c29cab32cd87bb100", false },
		{ F_FP, "4c40171ec485941de71f68d6503890ef1797f2f3c5835e60c29cab32cd87bb1g", false },
		{ F_FLAGS, "", false }, { F_FLAGS, "10000", false }, { F_FLAGS, "ffff", true }, { F_FLAGS, "FFFF", false },
		{ F_FLAGS, "-1", false }, { F_FLAGS, "+7e", false }, { F_FLAGS, "7e ", false }, { F_FLAGS, "0x7e", false },
		{ F_STATUS, "5", false }, { F_STATUS, "-1", false }, { F_STATUS, "", false },
		/* cn_status OK with no CN, and a CN with another status. */
		{ F_CN, "", false },
		{ F_STATUS, "2", false },
		/* Hex: lower case, even, printable ASCII, within the field's size. */
		{ F_CN, "534550303031313232333334343535", true },
		{ F_CN, "53455030303131323233333434353", false },
		{ F_CN, "5345503030313132323333343435zz", false },
		{ F_CN, "534550303031313232333334344A35", false },
		{ F_CN, "53455000303131323233333434353535", false },		/* NUL */
		{ F_CN, "534550303031313232333334343535" "0a", false },	/* newline */
		{ F_CN, "534550303031313232333334343535" "c3b6", false },	/* UTF-8 */
		{ F_SN, "5a", true }, { F_SN, "7f", false }, { F_SN, "ZZ", false },
		{ F_SERIAL, "", true },
		{ F_SERIAL, "00112233445566778899aabbccddeeff00112233", true },
		{ F_SERIAL, "00112233445566778899aabbccddeeff0011223344", false },
		{ F_SERIAL, "0", false }, { F_SERIAL, "0G", false },
		{ F_NB, "-4611686018427387904", true }, { F_NB, "-4611686018427387905", false },
		{ F_NA, "4611686018427387903", true }, { F_NA, "4611686018427387904", false }, { F_NA, "", false },
		/* The AKI and its flag go together. */
		{ F_AKI, "", false },
		{ F_AKI, "f8ebc7ef5f349ac4e25651b72a34aafe9c9487dbf8ebc7ef5f349ac4e25651b7", true },	/* 32 bytes */
		{ F_AKI, "f8ebc7ef5f349ac4e25651b72a34aafe9c9487dbf8ebc7ef5f349ac4e25651b7ff", false },
		{ F_ISSUER_CN, "", true }, { F_ISSUER_CN, "09", false }, { F_ISSUER_CN, "7e", true },
		/* The certificate's own fingerprint: empty, or 64 lower-case hex digits. */
		{ F_CERT_FP, "", true },
		{ F_CERT_FP, "4c40171ec485941de71f68d6503890ef1797f2f3c5835e60c29cab32cd87bb10", true },
		{ F_CERT_FP, "4C40171EC485941DE71F68D6503890EF1797F2F3C5835E60C29CAB32CD87BB10", false },
		{ F_CERT_FP, "4c40171ec485941de71f68d6503890ef1797f2f3c5835e60c29cab32cd87bb1", false },
		{ F_CERT_FP, "4c40171ec485941de71f68d6503890ef1797f2f3c5835e60c29cab32cd87bb100", false },
		{ F_CERT_FP, "4c40171ec485941de71f68d6503890ef1797f2f3c5835e60c29cab32cd87bb1g", false },
	};
	size_t i;

	leaf_record("lsc-a", &c);
	c.verify_error = 0;
	c.error_depth = 0;
	c.chain_length = 2;
	c.untrusted = 1;
	c.flags = (c.flags & 0x0fff) | PC_CHAIN_ISSUER_TRUSTED;
	good = round_trip(ctx, &c, "lsc-a");
	assert_true(decodes(good, strlen(good)));

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		t = with_field(ctx, good, cases[i].field, cases[i].value);
		if (decodes(t, strlen(t)) != cases[i].ok) {
			fail_msg("field %u = '%s': %s, expected %s", cases[i].field, cases[i].value,
				 cases[i].ok ? "refused" : "accepted", cases[i].ok ? "accepted" : "refused");
		}
	}

	/* The AKI flag without an AKI, and an AKI without its flag. */
	t = with_field(ctx, with_field(ctx, good, F_AKI, ""), F_FLAGS, "107e");
	assert_false(decodes(t, strlen(t)));
	t = with_field(ctx, with_field(ctx, good, F_AKI, ""), F_FLAGS, "103e");
	assert_true(decodes(t, strlen(t)));
	t = with_field(ctx, good, F_FLAGS, "103e");
	assert_false(decodes(t, strlen(t)));
	/* cn_status OK with an empty CN is refused above; a status without a CN is fine. */
	t = with_field(ctx, with_field(ctx, good, F_CN, ""), F_STATUS, "2");
	assert_true(decodes(t, strlen(t)));
}

static void test_cert_decode_refuses_shape(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_t c;
	char *good, *t;
	size_t len;

	leaf_record("mic-8861", &c);
	good = round_trip(ctx, &c, "mic-8861");
	len = strlen(good);

	/* A field missing, a field too many (even empty), and nothing at all. */
	t = talloc_strndup(ctx, good, (size_t)(strrchr(good, ';') - good));
	assert_false(decodes(t, strlen(t)));
	t = talloc_asprintf(ctx, "%s;", good);
	assert_false(decodes(t, strlen(t)));
	t = talloc_asprintf(ctx, "%s;00", good);
	assert_false(decodes(t, strlen(t)));
	t = talloc_asprintf(ctx, "%s;;;", good);
	assert_false(decodes(t, strlen(t)));
	t = talloc_asprintf(ctx, "%s;%s", good, good);
	assert_false(decodes(t, strlen(t)));
	assert_false(decodes("", 0));
	assert_false(decodes("pc2", 3));
	assert_false(decodes(";;;;;;;;;;;;;;;", 15));
	assert_false(pc_cert_decode(NULL, 0, &c));

	/* len rules, not the NUL: a prefix is refused, a NUL within len is refused. */
	assert_false(decodes(good, len - 1));
	t = talloc_memdup(ctx, good, len + 1);		/* with its NUL */
	assert_false(decodes(t, len + 1));
	t = talloc_strdup(ctx, good);
	t[10] = '\0';
	assert_false(decodes(t, len));
	/* A NUL written as hex is a refusal too (see test_cert_decode_refuses). */

	/* Spaces and line ends around it: not what encode writes. */
	t = talloc_asprintf(ctx, "%s\n", good);
	assert_false(decodes(t, strlen(t)));
	t = talloc_asprintf(ctx, " %s", good);
	assert_false(decodes(t, strlen(t)));
}

/* The length limit: PC_CERT_RECORD_MAX - 1 characters at most, whatever they are. */
static void test_cert_decode_length_limit(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_t c;
	char *text, *big;
	size_t len, pad;

	worst_case(&c);
	text = round_trip(ctx, &c, "worst case");
	len = strlen(text);
	/* Lengthen the first number with leading zeros up to the limit, then one more. */
	pad = PC_CERT_RECORD_MAX - 1 - len;
	assert_true(pad >= 1 && pad < 17);
	big = talloc_asprintf(ctx, "pc2;%0*d%s", (int)(pad + 6), PC_VERIFY_ERROR_MAX, text + 4 + 6);
	assert_int_equal(strlen(big), PC_CERT_RECORD_MAX - 1);
	assert_true(decodes(big, strlen(big)));
	big = talloc_asprintf(ctx, "pc2;%0*d%s", (int)(pad + 7), PC_VERIFY_ERROR_MAX, text + 4 + 6);
	assert_int_equal(strlen(big), PC_CERT_RECORD_MAX);
	assert_false(decodes(big, strlen(big)));

	/* Far too long. */
	big = talloc_zero_array(ctx, char, 100000);
	memset(big, 'a', 99999);
	assert_false(decodes(big, 99999));
}

/* decode(encode(decode(x))) is decode(x) for texts encode did not write itself. */
static void test_cert_decode_is_stable(void **state)
{
	TALLOC_CTX *ctx = *state;
	static char const *const texts[] = {
		"pc2;0;0;0;0;;0;1;;;;0;0;;;",
		"pc2;007;-0;02;1;;00007e;0;534550303031313232333334343535;;01;-5;5;aa;;",
		"pc2;20;1;2;2;;7e;0;534550303031313232333334344237;;2e;1795460493;1858532493;f6;556e;4c40171ec485941de71f68d6503890ef1797f2f3c5835e60c29cab32cd87bb10",
	};
	size_t i;

	for (i = 0; i < UNIT_COUNT(texts); i++) {
		pc_cert_t a, b;
		char text[PC_CERT_RECORD_MAX];
		size_t len;

		if (!pc_cert_decode(texts[i], strlen(texts[i]), &a)) fail_msg("'%s' refused", texts[i]);
		len = pc_cert_encode(&a, text, sizeof(text));
		assert_true(len > 0);
		assert_true(pc_cert_decode(text, len, &b));
		assert_true(unit_cert_equal(&a, &b));
		(void)round_trip(ctx, &b, texts[i]);
	}
}

static void test_cert_serial_hex(void **state)
{
	TALLOC_CTX *ctx = *state;
	char out[41];
	pc_cert_t c;
	X509 *cert = unit_cert("mic-8861");

	leaf_record("mic-8861", &c);
	pc_cert_serial_hex(&c, out);
	assert_string_equal(out, pc_x509_serial_hex(ctx, cert));
	assert_string_equal(out, hex_of(ctx, c.serial, c.serial_len));
	X509_free(cert);

	leaf_record("host-big-serial", &c);
	memset(out, 'x', sizeof(out));
	pc_cert_serial_hex(&c, out);
	assert_string_equal(out, "");

	memset(c.serial, 0xab, sizeof(c.serial));
	c.serial_len = sizeof(c.serial);
	pc_cert_serial_hex(&c, out);
	assert_int_equal(strlen(out), 40);
	assert_string_equal(out, text_hex(ctx, "\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cert_from_x509_lsc, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test(test_cert_from_x509_table),
		cmocka_unit_test(test_cert_from_x509_names),
		cmocka_unit_test(test_cert_from_x509_hostile_subjects),
		cmocka_unit_test(test_cert_from_x509_issuer_cn),
		cmocka_unit_test(test_cert_from_x509_serial_and_times),
		cmocka_unit_test(test_cert_from_x509_long_aki),
		cmocka_unit_test_setup_teardown(test_cert_round_trip_every_leaf, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cert_worst_case_fits, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test(test_cert_encode_refuses_invalid),
		cmocka_unit_test_setup_teardown(test_cert_decode_refuses, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cert_decode_refuses_shape, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cert_decode_length_limit, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cert_decode_is_stable, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cert_serial_hex, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
