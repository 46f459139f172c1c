/**
 * @file test_lifecycle.c
 * @brief Lifecycle findings: expiry horizons, roots above an anchor, the Cisco Root CA 2048 end,
 *	  CAPF certificates without the CA extensions CUCM 14SU2 requires.
 *
 * The anchors with chosen dates and extensions are made here, at test time, with OpenSSL
 * (EC P-256 keys, written to a scratch directory); the Cisco Root CA 2048 case uses the
 * public certificates shipped in raddb/phonecert/manufacturing/ (the tests run from the
 * repository's top directory, as `make test-unit` does).
 */
#include "unit.h"

#include <openssl/ec.h>
#include <openssl/x509v3.h>

#include <phonecert/lifecycle.h>
#include <phonecert/ossl_compat.h>

#define MANUFACTURING "raddb/phonecert/manufacturing/"

/** 2029-05-14T20:25:42Z: notAfter of the shipped Cisco_Root_CA_2048.pem. */
#define ROOT_2048_END ((time_t)1873484742)

/** A fixed "now" for generated anchors: 2030-01-01T00:00:00Z. */
#define T0 ((time_t)1893456000)

typedef struct {
	char const	*basic;		//!< basicConstraints value, or NULL for none.
	char const	*key_usage;	//!< keyUsage value, or NULL for none.
	char const	*aki;		//!< authorityKeyIdentifier value ("keyid:always"), or NULL.
} profile_t;

static profile_t const capf_profile = { "critical,CA:TRUE,pathlen:0", "critical,keyCertSign,cRLSign", NULL };
static profile_t const int_profile = { "critical,CA:TRUE,pathlen:0", "critical,keyCertSign,cRLSign", "keyid:always" };

typedef struct {
	X509		*cert;
	EVP_PKEY	*key;
} made_t;

static EVP_PKEY *new_key(void)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");

	assert_non_null(key);
	return key;
}

static void add_ext(X509 *cert, X509V3_CTX *v3, int nid, char const *value)
{
	X509_EXTENSION *ext;

	if (!value) return;
	ext = X509V3_EXT_conf_nid(NULL, v3, nid, value);
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(cert, ext, -1), 1);
	X509_EXTENSION_free(ext);
}

/**
 * A CA certificate CN=cn valid from not_before to not_after with the profile's extensions,
 * self-signed (issuer NULL) or signed by issuer; written as DIR/NAME.pem.  The key is kept
 * in the returned struct for certificates it signs (freed by the caller with made_free).
 */
static made_t make_ca(TALLOC_CTX *ctx, char const *dir, char const *name, char const *cn, time_t not_before,
		      time_t not_after, profile_t const *profile, made_t const *issuer)
{
	made_t out = { X509_new(), new_key() };
	X509_NAME *subject = X509_NAME_new();
	X509V3_CTX v3;
	BIO *bio;
	char *path = talloc_asprintf(ctx, "%s/%s.pem", dir, name);

	assert_non_null(out.cert);
	assert_non_null(subject);
	assert_non_null(path);
	assert_int_equal(X509_set_version(out.cert, 2), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(out.cert), (long)(not_after & 0x7fffffff)), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC, (unsigned char const *)"Lifecycle Test",
						    -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, (unsigned char const *)cn, -1, -1, 0), 1);
	assert_int_equal(X509_set_subject_name(out.cert, subject), 1);
	assert_int_equal(X509_set_issuer_name(out.cert, issuer ? X509_get_subject_name(issuer->cert) : subject), 1);
	assert_non_null(ASN1_TIME_set(X509_getm_notBefore(out.cert), not_before));
	assert_non_null(ASN1_TIME_set(X509_getm_notAfter(out.cert), not_after));
	assert_int_equal(X509_set_pubkey(out.cert, out.key), 1);

	X509V3_set_ctx(&v3, issuer ? issuer->cert : out.cert, out.cert, NULL, NULL, 0);
	add_ext(out.cert, &v3, NID_basic_constraints, profile->basic);
	add_ext(out.cert, &v3, NID_key_usage, profile->key_usage);
	add_ext(out.cert, &v3, NID_subject_key_identifier, "hash");
	add_ext(out.cert, &v3, NID_authority_key_identifier, profile->aki);
	assert_true(X509_sign(out.cert, issuer ? issuer->key : out.key, EVP_sha256()) > 0);

	bio = BIO_new_file(path, "w");
	assert_non_null(bio);
	assert_int_equal(PEM_write_bio_X509(bio, out.cert), 1);
	BIO_free(bio);
	X509_NAME_free(subject);
	return out;
}

static void made_free(made_t *m)
{
	X509_free(m->cert);
	EVP_PKEY_free(m->key);
}

/** Absolute path of a shipped manufacturing CA file, under ctx. */
static char *shipped(TALLOC_CTX *ctx, char const *file)
{
	char cwd[4096];
	char *path;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	path = talloc_asprintf(ctx, "%s/" MANUFACTURING "%s", cwd, file);
	assert_non_null(path);
	if (access(path, R_OK) < 0) fail_msg("%s: %s (run from the repository's top directory)", path, strerror(errno));
	return path;
}

/** The findings of a configuration at now; fails the test if the check fails. */
static unsigned int findings_at(TALLOC_CTX *ctx, pc_config_t const *cfg, time_t now, pc_lifecycle_finding_t **out)
{
	unsigned int count = 99;

	assert_int_equal(pc_lifecycle_check(ctx, cfg, now, out, &count), 0);
	return count;
}

/** The one finding of this type about this anchor, or NULL (fails the test if there are two). */
static pc_lifecycle_finding_t const *finding(pc_lifecycle_finding_t const *list, unsigned int count,
					      char const *anchor, char const *type)
{
	pc_lifecycle_finding_t const *found = NULL;
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (strcmp(list[i].anchor->name, anchor) != 0 || strcmp(list[i].type, type) != 0) continue;
		if (found) fail_msg("two %s findings for %s", type, anchor);
		found = &list[i];
	}
	return found;
}

static void test_lifecycle_capf_missing(void **state)
{
	static struct {
		char const	*name;
		unsigned int	missing;
		bool		unusable;
		char const	*text;
	} const cases[] = {
		{ "capf-a",		0,							false,	"" },
		{ "capf-nopathlen",	PC_CAPF_MISSING_PATHLEN0,				false,	"pathlen:0" },
		{ "capf-noku",		PC_CAPF_MISSING_KEYCERTSIGN,				false,	"keyCertSign (no keyUsage extension)" },
		{ "capf-nosign",	PC_CAPF_MISSING_KEYCERTSIGN | PC_CAPF_KU_FORBIDS_SIGNING, true,	"keyCertSign (its keyUsage omits it)" },
		{ "capf-notca",		PC_CAPF_MISSING_CA | PC_CAPF_MISSING_PATHLEN0,		true,	"CA:TRUE and pathlen:0" },
		{ "ent-ca",		PC_CAPF_MISSING_PATHLEN0,				false,	"pathlen:0" },
	};
	unsigned int i;
	char text[128];

	(void)state;
	for (i = 0; i < UNIT_COUNT(cases); i++) {
		X509 *cert = unit_cert(cases[i].name);
		unsigned int missing = pc_lifecycle_capf_missing(cert);

		if (missing != cases[i].missing) fail_msg("%s: missing 0x%x, expected 0x%x", cases[i].name, missing, cases[i].missing);
		assert_int_equal(pc_lifecycle_capf_unusable(missing), cases[i].unusable);
		assert_string_equal(pc_lifecycle_capf_missing_text(missing, text, sizeof(text)), cases[i].text);
		X509_free(cert);
	}
	assert_string_equal(pc_lifecycle_capf_missing_text(PC_CAPF_MISSING_CA | PC_CAPF_MISSING_PATHLEN0 |
							   PC_CAPF_MISSING_KEYCERTSIGN, text, sizeof(text)),
			    "CA:TRUE, pathlen:0 and keyCertSign (no keyUsage extension)");
}

/** CAPF certificates that load get a warning naming what is missing; an enterprise CA does not. */
static void test_lifecycle_capf_findings(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_config_t *cfg = unit_config(ctx,
		"[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n"
		"[anchor nopathlen]\nrole = lsc\nfile = @PKI@/capf-nopathlen.crt\n"
		"[anchor noku]\nrole = lsc\nfile = @PKI@/capf-noku.crt\n"
		"[anchor enterprise]\nrole = lsc\nfile = @PKI@/ent-ca.crt\n"
		"[anchor root-as-mic]\nrole = mic\nfile = @PKI@/mfg-root.crt\n");
	pc_lifecycle_finding_t *list;
	pc_lifecycle_finding_t const *f;
	unsigned int count = findings_at(ctx, cfg, unit_pki_now(), &list);

	assert_int_equal(count, 2);
	f = finding(list, count, "nopathlen", "capf-extensions");
	assert_non_null(f);
	assert_int_equal(f->severity, PC_LIFECYCLE_WARNING);
	assert_contains(f->message, "nopathlen lacks pathlen:0: a CAPF certificate made before CUCM 14SU2");
	assert_contains(f->message, "regenerate the CAPF certificate on CUCM 14SU2 or later");
	assert_contains(f->message, "roll over with a window");
	f = finding(list, count, "noku", "capf-extensions");
	assert_non_null(f);
	assert_int_equal(f->severity, PC_LIFECYCLE_WARNING);
	assert_contains(f->message, "noku lacks keyCertSign (no keyUsage extension)");
	assert_not_contains(f->message, "lacks pathlen");
	assert_int_equal(pc_lifecycle_worst(list, count), PC_LIFECYCLE_WARNING);
}

/** CAPF certificates OpenSSL would refuse as issuer are refused as anchors, with CUCM's advice. */
static void test_lifecycle_capf_refused_at_load(void **state)
{
	TALLOC_CTX *ctx = *state;
	static struct {
		char const	*name;
		char const	*role;
		char const	*reason;
		bool		advice;
	} const cases[] = {
		{ "capf-notca", "lsc", "not a CA certificate (no basicConstraints CA:TRUE)", true },
		/* OpenSSL's X509_check_ca says "not a CA" for a keyUsage without keyCertSign too. */
		{ "capf-nosign", "lsc", "not a CA certificate", true },
		{ "capf-notca", "mic", "not a CA certificate", false },
	};
	unsigned int i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_config_t *cfg = NULL;
		pc_error_t err = { .msg = "" };
		char *text = talloc_asprintf(ctx, "[anchor x]\nrole = %s\nfile = @PKI@/%s.crt\n", cases[i].role, cases[i].name);

		assert_int_equal(pc_config_load(ctx, unit_config_file(ctx, text), &cfg, &err), -1);
		assert_contains(err.msg, cases[i].name);
		assert_contains(err.msg, cases[i].reason);
		if (cases[i].advice) {
			assert_contains(err.msg, "CUCM 14SU2 and later require a CAPF certificate with CA:TRUE, pathlen:0 and keyCertSign");
		} else {
			assert_not_contains(err.msg, "14SU2");
		}
	}
}

/** One generated anchor, evaluated before, inside and after each horizon. */
static void test_lifecycle_expiry_horizons(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx);
	time_t end = T0 + 400 * UNIT_DAY;
	made_t capf = make_ca(ctx, dir, "capf", "CAPF-11112222", T0 - 1000 * UNIT_DAY, end, &capf_profile, NULL);
	static struct {
		char const		*policy;
		long			days_before;	//!< now = end - days_before days (negative: after)
		int			severity;	//!< -1: no finding
		char const		*type;
		char const		*text;
	} const cases[] = {
		{ "",						100,	-1,			NULL, NULL },
		{ "",						91,	-1,			NULL, NULL },
		{ "",						89,	PC_LIFECYCLE_WARNING,	"expiring", "(in 89 days)" },
		{ "",						15,	PC_LIFECYCLE_WARNING,	"expiring", "(in 15 days)" },
		{ "",						13,	PC_LIFECYCLE_CRITICAL,	"expiring", "(in 13 days)" },
		{ "",						-1,	PC_LIFECYCLE_CRITICAL,	"expired", "every certificate it issued is refused" },
		{ "expiry_warning = 30d\nexpiry_critical = 5d\n", 60, -1,			NULL, NULL },
		{ "expiry_warning = 30d\nexpiry_critical = 5d\n", 20, PC_LIFECYCLE_WARNING,	"expiring", "(in 20 days)" },
		{ "expiry_warning = 30d\nexpiry_critical = 5d\n", 3,	PC_LIFECYCLE_CRITICAL,	"expiring", "(in 3 days)" },
		{ "expiry_warning = 200\n",			150,	PC_LIFECYCLE_WARNING,	"expiring", "(in 150 days)" },
	};
	unsigned int i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_config_t *cfg = unit_config(ctx, talloc_asprintf(ctx, "[policy]\n%s[anchor capf]\nrole = lsc\nfile = %s/capf.pem\n",
								    cases[i].policy, dir));
		pc_lifecycle_finding_t *list;
		unsigned int count = findings_at(ctx, cfg, end - cases[i].days_before * UNIT_DAY, &list);

		if (cases[i].severity < 0) {
			if (count != 0) fail_msg("case %u: unexpected finding: %s", i, list[0].message);
			continue;
		}
		if (count != 1) fail_msg("case %u: %u findings, expected 1", i, count);
		assert_int_equal(list[0].severity, cases[i].severity);
		assert_string_equal(list[0].type, cases[i].type);
		assert_int_equal(list[0].when, end);
		assert_contains(list[0].message, cases[i].text);
		assert_contains(list[0].message, "regenerate the CAPF certificate");
		assert_int_equal(pc_lifecycle_worst(list, count), cases[i].severity);
	}
	made_free(&capf);
}

/** Disabled anchors are not reported; a retiring one whose window closes first neither. */
static void test_lifecycle_skipped_states(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx);
	time_t end = T0 + 10 * UNIT_DAY;
	made_t a = make_ca(ctx, dir, "a", "CAPF-aaaa0001", T0 - 1000 * UNIT_DAY, end, &capf_profile, NULL);
	made_t b = make_ca(ctx, dir, "b", "CAPF-aaaa0002", T0 - 1000 * UNIT_DAY, end, &capf_profile, NULL);
	made_t c = make_ca(ctx, dir, "c", "CAPF-aaaa0003", T0 - 1000 * UNIT_DAY, end, &capf_profile, NULL);
	pc_config_t *cfg = unit_config(ctx, talloc_asprintf(ctx,
		"[anchor disabled]\nrole = lsc\nfile = %s/a.pem\nstate = disabled\n"
		"[anchor retiring-first]\nrole = lsc\nfile = %s/b.pem\nstate = retiring\ntrust_until = %s\n"
		"[anchor retiring-after]\nrole = lsc\nfile = %s/c.pem\nstate = retiring\ntrust_until = %s\n",
		dir, dir, unit_time_text(ctx, end - UNIT_DAY), dir, unit_time_text(ctx, end + UNIT_DAY)));
	pc_lifecycle_finding_t *list;
	unsigned int count = findings_at(ctx, cfg, T0, &list);

	assert_int_equal(count, 1);
	assert_string_equal(list[0].anchor->name, "retiring-after");
	assert_int_equal(list[0].severity, PC_LIFECYCLE_CRITICAL);
	made_free(&a);
	made_free(&b);
	made_free(&c);
}

/**
 * An intermediate whose uploaded root expires first is reported through the root, found by key
 * (AKI = the root's SKI, and the signature verifies); one that only names the root's key is not.
 */
static void test_lifecycle_root_above(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx);
	made_t root = make_ca(ctx, dir, "root", "Lifecycle Root", T0 - 1000 * UNIT_DAY, T0 + 50 * UNIT_DAY,
			      &(profile_t){ "critical,CA:TRUE", "critical,keyCertSign,cRLSign", NULL }, NULL);
	made_t mid = make_ca(ctx, dir, "mid", "Lifecycle Manufacturing CA", T0 - 900 * UNIT_DAY, T0 + 400 * UNIT_DAY,
			     &int_profile, &root);
	made_t other = make_ca(ctx, dir, "other", "Other Root", T0 - 900 * UNIT_DAY, T0 + 4000 * UNIT_DAY,
			       &(profile_t){ "critical,CA:TRUE", "critical,keyCertSign,cRLSign", NULL }, NULL);
	made_t forged, tmp;
	pc_config_t *cfg;
	pc_lifecycle_finding_t *list;
	pc_lifecycle_finding_t const *f;
	unsigned int count;

	/* forged: names root's key (its AKI) but is signed by other's key. */
	tmp = (made_t){ root.cert, other.key };
	forged = make_ca(ctx, dir, "forged", "Forged Manufacturing CA", T0 - 900 * UNIT_DAY, T0 + 400 * UNIT_DAY,
			 &int_profile, &tmp);

	cfg = unit_config(ctx, talloc_asprintf(ctx,
		"[anchor root]\nrole = mic\nfile = %s/root.pem\n"
		"[anchor mid]\nrole = mic\nfile = %s/mid.pem\n"
		"[anchor forged]\nrole = mic\nfile = %s/forged.pem\n", dir, dir, dir));
	count = findings_at(ctx, cfg, T0, &list);
	assert_int_equal(count, 2);
	f = finding(list, count, "root", "expiring");
	assert_non_null(f);
	assert_int_equal(f->severity, PC_LIFECYCLE_WARNING);
	f = finding(list, count, "mid", "root-expiring");
	assert_non_null(f);
	assert_int_equal(f->severity, PC_LIFECYCLE_WARNING);
	assert_int_equal(f->when, T0 + 50 * UNIT_DAY);
	assert_contains(f->message, "mid depends on root, which expires");
	assert_contains(f->message, "(in 50 days)");
	assert_null(finding(list, count, "forged", "root-expiring"));

	/* Without the root uploaded, nothing is known above mid: no finding at all yet. */
	cfg = unit_config(ctx, talloc_asprintf(ctx, "[anchor mid]\nrole = mic\nfile = %s/mid.pem\n", dir));
	assert_int_equal(findings_at(ctx, cfg, T0, &list), 0);
	made_free(&root);
	made_free(&mid);
	made_free(&other);
	made_free(&forged);
}

/** The shipped Cisco Manufacturing CA depends on Cisco Root CA 2048 (2029-05-14), uploaded or not. */
static void test_lifecycle_cisco_root_2048(void **state)
{
	TALLOC_CTX *ctx = *state;
	static struct {
		char const	*at;
		int		severity;
		char const	*text;
	} const cases[] = {
		{ "2026-11-23T00:00:00Z", PC_LIFECYCLE_OK,		"which expires 2029-05-14T20:25:42Z (in 903 days)" },
		{ "2029-02-13T20:25:42Z", PC_LIFECYCLE_OK,		"(in 90 days)" },
		{ "2029-02-14T20:25:42Z", PC_LIFECYCLE_WARNING,		"(in 89 days)" },
		{ "2029-04-30T20:25:42Z", PC_LIFECYCLE_WARNING,		"(in 14 days)" },
		{ "2029-05-01T20:25:42Z", PC_LIFECYCLE_CRITICAL,	"(in 13 days)" },
		{ "2029-06-01T00:00:00Z", PC_LIFECYCLE_CRITICAL,	"which expired 2029-05-14T20:25:42Z (18 days ago)" },
	};
	pc_config_t *alone, *with_root, *sha2;
	pc_lifecycle_finding_t *list;
	pc_lifecycle_finding_t const *f;
	unsigned int i, count;

	alone = unit_config(ctx, talloc_asprintf(ctx, "[anchor mfg]\nrole = mic\nfile = %s\n",
						 shipped(ctx, "Cisco_Manufacturing_CA.pem")));
	for (i = 0; i < UNIT_COUNT(cases); i++) {
		time_t at;

		assert_true(pc_time_parse(cases[i].at, &at));
		count = findings_at(ctx, alone, at, &list);
		f = finding(list, count, "mfg", "cisco-root-2048");
		if (!f) fail_msg("%s: no cisco-root-2048 finding (%u findings)", cases[i].at, count);
		assert_int_equal(count, 1);	/* its own notAfter is the root's: not reported twice */
		assert_int_equal(f->severity, cases[i].severity);
		assert_int_equal(f->when, ROOT_2048_END);
		assert_contains(f->message, "mfg depends on Cisco Root CA 2048 (by its authority key identifier; the root is "
				"not uploaded)");
		assert_contains(f->message, cases[i].text);
		assert_contains(f->message, "install LSCs");
	}

	with_root = unit_config(ctx, talloc_asprintf(ctx,
		"[anchor root2048]\nrole = mic\nfile = %s\n[anchor mfg]\nrole = mic\nfile = %s\n"
		"[anchor act2]\nrole = mic\nfile = %s\n[anchor sha2]\nrole = mic\nfile = %s\n",
		shipped(ctx, "Cisco_Root_CA_2048.pem"), shipped(ctx, "Cisco_Manufacturing_CA.pem"),
		shipped(ctx, "ACT2_SUDI_CA.pem"), shipped(ctx, "Cisco_Manufacturing_CA_SHA2.pem")));
	count = findings_at(ctx, with_root, (time_t)1795392000 /* 2026-11-23 */, &list);
	assert_int_equal(count, 3);
	f = finding(list, count, "mfg", "cisco-root-2048");
	assert_non_null(f);
	assert_contains(f->message, "signature verified with the uploaded anchor root2048");
	assert_non_null(finding(list, count, "act2", "cisco-root-2048"));
	f = finding(list, count, "root2048", "cisco-root-2048");
	assert_non_null(f);
	assert_contains(f->message, "(it is that root)");
	assert_null(finding(list, count, "sha2", "cisco-root-2048"));

	/* The SHA2 CA is under Cisco Root CA M2 (2037): nothing to say in 2026. */
	sha2 = unit_config(ctx, talloc_asprintf(ctx, "[anchor sha2]\nrole = mic\nfile = %s\n",
						shipped(ctx, "Cisco_Manufacturing_CA_SHA2.pem")));
	assert_int_equal(findings_at(ctx, sha2, (time_t)1795392000, &list), 0);
}

/** Most severe first, whatever the anchors' order. */
static void test_lifecycle_order(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx);
	made_t a = make_ca(ctx, dir, "a", "CAPF-bbbb0001", T0 - 1000 * UNIT_DAY, T0 + 60 * UNIT_DAY, &capf_profile, NULL);
	made_t b = make_ca(ctx, dir, "b", "CAPF-bbbb0002", T0 - 1000 * UNIT_DAY, T0 - UNIT_DAY, &capf_profile, NULL);
	pc_config_t *cfg = unit_config(ctx, talloc_asprintf(ctx,
		"[anchor warn]\nrole = lsc\nfile = %s/a.pem\n[anchor crit]\nrole = lsc\nfile = %s/b.pem\n", dir, dir));
	pc_lifecycle_finding_t *list;

	assert_int_equal(findings_at(ctx, cfg, T0, &list), 2);
	assert_string_equal(list[0].anchor->name, "crit");
	assert_int_equal(list[0].severity, PC_LIFECYCLE_CRITICAL);
	assert_string_equal(list[1].anchor->name, "warn");
	assert_int_equal(pc_lifecycle_worst(list, 2), PC_LIFECYCLE_CRITICAL);
	assert_int_equal(pc_lifecycle_worst(NULL, 0), PC_LIFECYCLE_OK);
	assert_string_equal(pc_lifecycle_severity_name(PC_LIFECYCLE_WARNING), "WARNING");
	made_free(&a);
	made_free(&b);
}

/** expiry_warning / expiry_critical: days, bounded, critical not longer than warning. */
static void test_lifecycle_config_horizons(void **state)
{
	TALLOC_CTX *ctx = *state;
	static struct {
		char const	*policy;
		char const	*error;		//!< NULL: accepted
		long		warning_days, critical_days;
	} const cases[] = {
		{ "",						NULL, 90, 14 },
		{ "expiry_warning = 30d\n",			NULL, 30, 14 },
		{ "expiry_warning = 180\nexpiry_critical = 30d\n", NULL, 180, 30 },
		{ "expiry_warning = 0d\n",			"phonecert.conf:2: expiry_warning: invalid value '0d'", 0, 0 },
		{ "expiry_warning = 90 d\n",			"expiry_warning: invalid value '90 d'", 0, 0 },
		{ "expiry_critical = 3651d\n",			"expiry_critical: invalid value '3651d'", 0, 0 },
		{ "expiry_warning = -5d\n",			"invalid value '-5d'", 0, 0 },
		{ "expiry_warning = 10d\n",			"phonecert.conf:2: expiry_critical (14 days) must not be longer than "
								"expiry_warning (10 days)", 0, 0 },
	};
	unsigned int i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		char *text = talloc_asprintf(ctx, "[policy]\n%s[anchor capf]\nrole = lsc\nfile = @PKI@/capf-a.crt\n",
					     cases[i].policy);
		pc_config_t *cfg = NULL;
		pc_error_t err = { .msg = "" };
		int rcode = pc_config_load(ctx, unit_config_file(ctx, text), &cfg, &err);

		if (!cases[i].error) {
			if (rcode != 0) fail_msg("'%s' refused: %s", cases[i].policy, err.msg);
			assert_int_equal(cfg->policy.expiry_warning, cases[i].warning_days * UNIT_DAY);
			assert_int_equal(cfg->policy.expiry_critical, cases[i].critical_days * UNIT_DAY);
			continue;
		}
		if (rcode == 0) fail_msg("'%s' accepted", cases[i].policy);
		assert_contains(err.msg, cases[i].error);
	}
}

int main(void)
{
	struct CMUnitTest const tests[] = {
		cmocka_unit_test(test_lifecycle_capf_missing),
		cmocka_unit_test_setup_teardown(test_lifecycle_capf_findings, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle_capf_refused_at_load, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle_expiry_horizons, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle_skipped_states, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle_root_above, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle_cisco_root_2048, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle_order, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle_config_horizons, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
