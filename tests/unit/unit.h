/**
 * @file unit.h
 * @brief Shared helpers of the core unit tests: the test PKI, scratch files and contexts,
 *	  the certificate records the module's verification hook makes of real chains.
 *
 * Every helper is static inline (each test program is one translation unit and uses some
 * of them).  Helpers that cannot do their job fail the running test with a message saying
 * why, so a test body never has to check them.
 *
 * The test PKI comes from tests/pki/gen.sh; its directory is given by the environment
 * variable PHONECERT_PKI (`make test-unit` sets it).  All its validity periods are
 * relative to the moment it was generated, so tests take their "now" from the PKI
 * (unit_pki_now()), never from the clock: they give the same answers however old the
 * generated directory is.
 */
#ifndef PHONECERT_TESTS_UNIT_H
#define PHONECERT_TESTS_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <talloc.h>

#include <phonecert/cert.h>
#include <phonecert/config.h>
#include <phonecert/decide.h>
#include <phonecert/facts.h>
#include <phonecert/timeval.h>
#include <phonecert/verify.h>

#ifndef UNUSED
#  define UNUSED __attribute__((unused))
#endif

#define UNIT_DAY ((time_t)86400)

/** Number of elements of an array (the test tables). */
#define UNIT_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/** Fail unless the string haystack contains needle; both are printed on failure. */
#define assert_contains(haystack, needle) do { \
	char const *unit_h_ = (haystack), *unit_n_ = (needle); \
	if (!unit_h_ || !strstr(unit_h_, unit_n_)) { \
		fail_msg("\"%s\" does not contain \"%s\"", unit_h_ ? unit_h_ : "(null)", unit_n_); \
	} \
} while (0)

/** Fail if the string haystack contains needle. */
#define assert_not_contains(haystack, needle) do { \
	char const *unit_h_ = (haystack), *unit_n_ = (needle); \
	if (unit_h_ && strstr(unit_h_, unit_n_)) { \
		fail_msg("\"%s\" contains \"%s\"", unit_h_, unit_n_); \
	} \
} while (0)

/*
 *	Scratch talloc context per test: use unit_ctx_setup/unit_ctx_teardown as the test's
 *	setup and teardown, so what a failing test allocated (and its temporary directories)
 *	is still released.
 */
static inline int unit_ctx_setup(void **state)
{
	*state = talloc_new(NULL);
	return *state ? 0 : -1;
}

static inline int unit_ctx_teardown(void **state)
{
	talloc_free(*state);
	*state = NULL;
	return 0;
}

/**
 * The test PKI directory (PHONECERT_PKI), made absolute: configurations written in scratch
 * directories name its files, and relative names there are relative to the scratch directory.
 * Fails the test when it is not set or does not exist.
 */
static inline char const *unit_pki_dir(void)
{
	static char resolved[4096];
	char const *dir;

	if (resolved[0]) return resolved;
	dir = getenv("PHONECERT_PKI");
	if (!dir || !*dir) fail_msg("PHONECERT_PKI is not set: run the unit tests with `make test-unit`");
	if (strlen(dir) >= sizeof(resolved) || !realpath(dir, resolved)) {
		resolved[0] = '\0';
		fail_msg("PHONECERT_PKI=%s: %s", dir, strerror(errno));
	}
	return resolved;
}

/** PKI_DIR/file, allocated under ctx. */
static inline char *unit_pki_path(TALLOC_CTX *ctx, char const *file)
{
	char *path = talloc_asprintf(ctx, "%s/%s", unit_pki_dir(), file);

	assert_non_null(path);
	return path;
}

/** Load PKI_DIR/NAME.crt (PEM).  The caller frees it with X509_free(). */
static inline X509 *unit_cert(char const *name)
{
	char path[4096];
	FILE *fp;
	X509 *cert;

	snprintf(path, sizeof(path), "%s/%s.crt", unit_pki_dir(), name);
	fp = fopen(path, "r");
	if (!fp) fail_msg("cannot open test certificate %s: %s (is the test PKI complete?)", path, strerror(errno));
	cert = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	if (!cert) fail_msg("cannot parse test certificate %s", path);
	ERR_clear_error();
	return cert;
}

/** An ASN.1 time as time_t (UTC). */
static inline time_t unit_asn1_time(ASN1_TIME const *t)
{
	struct tm tm;

	assert_non_null(t);
	assert_int_equal(ASN1_TIME_to_tm(t, &tm), 1);
	return timegm(&tm);
}

static inline time_t unit_cert_not_before(char const *name)
{
	X509 *cert = unit_cert(name);
	time_t when = unit_asn1_time(X509_get0_notBefore(cert));

	X509_free(cert);
	return when;
}

static inline time_t unit_cert_not_after(char const *name)
{
	X509 *cert = unit_cert(name);
	time_t when = unit_asn1_time(X509_get0_notAfter(cert));

	X509_free(cert);
	return when;
}

/**
 * "Now" for decisions: one hour after the PKI was generated (lsc-a is issued "now" by
 * gen.sh; the hour covers the rest of the run).  Every relative date in the PKI (expired
 * yesterday, valid in 30 days, ...) holds at this instant whenever the tests run.
 */
static inline time_t unit_pki_now(void)
{
	return unit_cert_not_before("lsc-a") + 3600;
}

/**
 * The strings FreeRADIUS makes of PKI_DIR/LEAF.crt with PKI_DIR/ISSUER.crt as the depth-1
 * certificate (issuer may be NULL), exactly as pc_facts_from_x509() builds them: what
 * pc_decide() cross-checks against the record.  Strings live under ctx.
 */
static inline void unit_facts(TALLOC_CTX *ctx, char const *leaf, char const *issuer, pc_cert_facts_t *out)
{
	X509 *leaf_cert = unit_cert(leaf);
	X509 *issuer_cert = issuer ? unit_cert(issuer) : NULL;
	pc_error_t err = { .msg = "" };
	int rcode;

	rcode = pc_facts_from_x509(ctx, leaf_cert, issuer_cert, out, &err);
	X509_free(leaf_cert);
	X509_free(issuer_cert);
	if (rcode != 0) fail_msg("pc_facts_from_x509(%s, %s): %s", leaf, issuer ? issuer : "-", err.msg);
}

/*
 *	Certificate records (phonecert/cert.h), made as the module's verification hook makes them.
 */

/** Debian 12's OpenSSL security level, and what legacy = yes lowers it to (as check.c). */
#define UNIT_SECLEVEL_DEFAULT 2
#define UNIT_SECLEVEL_LEGACY 0

/** Every certificate of the PEM file PKI_DIR/file, in order.  Free with sk_X509_pop_free(, X509_free). */
static inline STACK_OF(X509) *unit_pem_certs(char const *file)
{
	char path[4096];
	STACK_OF(X509) *certs = sk_X509_new_null();
	FILE *fp;
	X509 *cert;

	assert_non_null(certs);
	snprintf(path, sizeof(path), "%s/%s", unit_pki_dir(), file);
	fp = fopen(path, "r");
	if (!fp) fail_msg("cannot open %s: %s (is the test PKI complete?)", path, strerror(errno));
	while ((cert = PEM_read_X509(fp, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(certs, cert)) fail_msg("out of memory");
	}
	fclose(fp);
	ERR_clear_error();
	if (sk_X509_num(certs) == 0) fail_msg("no certificate in %s", path);
	return certs;
}

/** Whether two records say the same (field by field: bytes after a string's NUL do not count). */
static inline bool unit_cert_equal(pc_cert_t const *a, pc_cert_t const *b)
{
	return a->verify_error == b->verify_error && a->error_depth == b->error_depth &&
	       a->chain_length == b->chain_length && a->untrusted == b->untrusted &&
	       strcmp(a->issuer_fp, b->issuer_fp) == 0 && a->flags == b->flags && a->cn_status == b->cn_status &&
	       strcmp(a->cn, b->cn) == 0 && strcmp(a->serial_number, b->serial_number) == 0 &&
	       a->serial_len == b->serial_len && memcmp(a->serial, b->serial, a->serial_len) == 0 &&
	       a->not_before == b->not_before && a->not_after == b->not_after &&
	       a->aki_len == b->aki_len && memcmp(a->aki, b->aki, a->aki_len) == 0 &&
	       strcmp(a->issuer_cn, b->issuer_cn) == 0 && strcmp(a->fingerprint, b->fingerprint) == 0;
}

/**
 * Verify certs (the leaf first, then what the phone sends along) against set at now, as the
 * module's hook and the CLI's check do: an empty store, every certificate of the file as
 * untrusted, the "ssl_client" purpose, the security level as auth level, the time, then
 * pc_verify_chain().  @return its result (1: verified).
 */
static inline int unit_verify_certs(pc_trustset_t const *set, bool legacy, STACK_OF(X509) *certs, time_t now,
				    pc_cert_t *out)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *vctx = X509_STORE_CTX_new();
	X509_VERIFY_PARAM *param;
	int ok;

	assert_non_null(store);
	assert_non_null(vctx);
	assert_int_equal(X509_STORE_CTX_init(vctx, store, sk_X509_value(certs, 0), certs), 1);
	assert_int_equal(X509_STORE_CTX_set_default(vctx, "ssl_client"), 1);
	param = X509_STORE_CTX_get0_param(vctx);
	X509_VERIFY_PARAM_set_auth_level(param, legacy ? UNIT_SECLEVEL_LEGACY : UNIT_SECLEVEL_DEFAULT);
	X509_VERIFY_PARAM_set_time(param, now);

	memset(out, 0x5a, sizeof(*out));	/* pc_verify_chain must fill it all */
	ok = pc_verify_chain(set, vctx, now, out);
	X509_STORE_CTX_free(vctx);
	X509_STORE_free(store);
	if (ERR_peek_error() != 0) fail_msg("pc_verify_chain left an error in OpenSSL's queue");
	return ok;
}

/**
 * The record the decision receives for the chain file PKI_DIR/NAME.chain.pem, with the CA
 * certificates named in extra (space separated, or NULL) sent along too, verified against
 * the anchors of cfg trusted at now: what the hook records, through the text encoding that
 * carries it to the decision (checked to give the same record back).
 * @return whether the chain verified.
 */
static inline bool unit_record_sent(pc_config_t const *cfg, char const *name, char const *extra, time_t now,
				    pc_cert_t *out)
{
	char file[256], names[256], *tok, *save = NULL;
	char text[PC_CERT_RECORD_MAX];
	STACK_OF(X509) *certs;
	pc_trustset_t *set;
	pc_cert_t raw;
	size_t len;
	int ok;

	snprintf(file, sizeof(file), "%s.chain.pem", name);
	certs = unit_pem_certs(file);
	if (extra) {
		snprintf(names, sizeof(names), "%s", extra);
		for (tok = strtok_r(names, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			if (!sk_X509_push(certs, unit_cert(tok))) fail_msg("out of memory");
		}
	}
	set = pc_trustset_new(cfg->trust, now);
	assert_non_null(set);
	ok = unit_verify_certs(set, cfg->policy.legacy, certs, now, &raw);
	pc_trustset_free(set);
	sk_X509_pop_free(certs, X509_free);

	len = pc_cert_encode(&raw, text, sizeof(text));
	if (len == 0) fail_msg("%s: the record does not encode", name);
	if (!pc_cert_decode(text, len, out)) fail_msg("%s: its own record does not decode: %s", name, text);
	if (!unit_cert_equal(&raw, out)) fail_msg("%s: the record changed through its encoding: %s", name, text);
	if ((ok == 1) != (out->verify_error == X509_V_OK)) fail_msg("%s: result %d, verify_error %d", name, ok, out->verify_error);
	return ok == 1;
}

static inline bool unit_record(pc_config_t const *cfg, char const *name, time_t now, pc_cert_t *out)
{
	return unit_record_sent(cfg, name, NULL, now, out);
}

/**
 * What the module concludes from a record: pc_decide() on the record of a verified chain (the
 * check-eap-tls decision), pc_diagnose() on the record of a refused one (post-auth), as the
 * CLI's check does.  @return whether the chain verified.
 */
static inline bool unit_judge(pc_config_t const *cfg, char const *name, char const *csid, time_t now,
			      pc_decision_t *out)
{
	pc_cert_t cert;
	bool verified = unit_record(cfg, name, now, &cert);

	memset(out, 0x5a, sizeof(*out));
	if (verified) {
		pc_decide(cfg, &cert, NULL, csid, now, out);
	} else {
		pc_diagnose(cfg, &cert, cert.verify_error, NULL, now, out);
	}
	return verified;
}

/** The SHA-256 fingerprint of PKI_DIR/NAME.crt in lower-case hex (out: PC_FINGERPRINT_HEX bytes). */
static inline void unit_fingerprint(char const *name, char out[PC_FINGERPRINT_HEX])
{
	X509 *cert = unit_cert(name);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	assert_int_equal(X509_digest(cert, EVP_sha256(), md, &mdlen), 1);
	assert_int_equal(mdlen, 32);
	for (i = 0; i < mdlen; i++) snprintf(out + 2 * i, 3, "%02x", md[i]);
	X509_free(cert);
}

/*
 *	Scratch files.
 */

/** Remove path and, if it is a directory, everything below it. */
static inline void unit_rm_rf(char const *path)
{
	struct stat st;
	DIR *dh;
	struct dirent *de;

	if (lstat(path, &st) < 0) return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	dh = opendir(path);
	if (dh) {
		while ((de = readdir(dh)) != NULL) {
			char *child;

			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
			child = talloc_asprintf(NULL, "%s/%s", path, de->d_name);
			if (!child) break;
			unit_rm_rf(child);
			talloc_free(child);
		}
		closedir(dh);
	}
	rmdir(path);
}

static inline int unit_tmpdir_free(char *path)
{
	unit_rm_rf(path);
	return 0;
}

/** A new empty directory, removed with everything in it when ctx is freed. */
static inline char *unit_tmpdir(TALLOC_CTX *ctx)
{
	char const *base = getenv("TMPDIR");
	char *path = talloc_asprintf(ctx, "%s/phonecert-unit-XXXXXX", (base && *base) ? base : "/tmp");

	assert_non_null(path);
	if (!mkdtemp(path)) fail_msg("mkdtemp(%s): %s", path, strerror(errno));
	talloc_set_destructor(path, unit_tmpdir_free);
	return path;
}

/** Write len bytes to dir/name; returns the path (under ctx). */
static inline char *unit_write_file(TALLOC_CTX *ctx, char const *dir, char const *name, void const *data, size_t len)
{
	char *path = talloc_asprintf(ctx, "%s/%s", dir, name);
	FILE *fp;

	assert_non_null(path);
	fp = fopen(path, "wb");
	if (!fp) fail_msg("cannot create %s: %s", path, strerror(errno));
	if (len > 0 && fwrite(data, 1, len, fp) != len) fail_msg("cannot write %s", path);
	if (fclose(fp) != 0) fail_msg("cannot write %s", path);
	return path;
}

static inline char *unit_write_text(TALLOC_CTX *ctx, char const *dir, char const *name, char const *text)
{
	return unit_write_file(ctx, dir, name, text, strlen(text));
}

/** The whole content of path (NUL-terminated for convenience), under ctx. */
static inline unsigned char *unit_read_file(TALLOC_CTX *ctx, char const *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	long size;

	if (!fp) fail_msg("cannot open %s: %s", path, strerror(errno));
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	assert_true(size >= 0);
	rewind(fp);
	buf = talloc_array(ctx, unsigned char, (size_t)size + 1);
	assert_non_null(buf);
	if (size > 0 && fread(buf, 1, (size_t)size, fp) != (size_t)size) fail_msg("cannot read %s", path);
	fclose(fp);
	buf[size] = '\0';
	*len = (size_t)size;
	return buf;
}

/** Copy of text with every "@PKI@" replaced by the PKI directory, under ctx. */
static inline char *unit_subst_pki(TALLOC_CTX *ctx, char const *text)
{
	char const *p = text, *at;
	char *out = talloc_strdup(ctx, "");

	assert_non_null(out);
	while ((at = strstr(p, "@PKI@")) != NULL) {
		out = talloc_strndup_append(out, p, (size_t)(at - p));
		out = talloc_strdup_append(out, unit_pki_dir());
		assert_non_null(out);
		p = at + 5;
	}
	out = talloc_strdup_append(out, p);
	assert_non_null(out);
	return out;
}

/** Write text ("@PKI@" expanded) as phonecert.conf in a new scratch directory; returns its path. */
static inline char *unit_config_file(TALLOC_CTX *ctx, char const *text)
{
	return unit_write_text(ctx, unit_tmpdir(ctx), "phonecert.conf", unit_subst_pki(ctx, text));
}

/** Load a configuration that must be valid; fails the test with the loader's message if not. */
static inline pc_config_t *unit_config(TALLOC_CTX *ctx, char const *text)
{
	pc_config_t *cfg = NULL;
	pc_error_t err = { .msg = "" };

	if (pc_config_load(ctx, unit_config_file(ctx, text), &cfg, &err) != 0) {
		fail_msg("configuration refused: %s\n%s", err.msg, text);
	}
	assert_non_null(cfg);
	return cfg;
}

/** A time in the form pc_time_parse() accepts ("2027-06-30T18:00:00Z"), under ctx. */
static inline char *unit_time_text(TALLOC_CTX *ctx, time_t when)
{
	char buf[PC_TIME_STRLEN];
	char *text = talloc_strdup(ctx, pc_time_format(when, buf, sizeof(buf)));

	assert_non_null(text);
	return text;
}

#endif
