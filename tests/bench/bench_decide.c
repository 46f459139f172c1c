/**
 * @file bench_decide.c
 * @brief Cost of one admission decision as the module makes it, and of the chain verification
 *	  its TLS hook does per handshake, for trust stores of any size.
 *
 *   bench_decide -p PKI_DIR -a ANCHOR_DIR -o OUT.csv [-v VERIFY.csv] [-n ITERATIONS]
 *                [-m VERIFY_ITERATIONS] [-r REPETITIONS] [-c 1,10,100,1000]
 *
 * 1. The decision (OUT.csv).  What one iteration does is what rlm_phonecert does per request
 * before it touches FreeRADIUS's reply list.  For a chain OpenSSL verified, mod_authorize():
 * find the hook's record (Phonecert-Cert) in the request's attribute list and pc_cert_decode()
 * it (cert_from_request()), collect the TLS-Client-Cert-* / TLS-Cert-* strings it cross-checks
 * into a pc_cert_facts_t (facts_from_request(), the core's table pc_fact_fields), find the
 * Calling-Station-Id, read the clock, pc_decide(), drain the OpenSSL error queue, and plan the
 * switch's reply attributes (pc_reply_plan()) on an accept.  For a refused chain (the phone
 * from another cluster), mod_post_auth(): the record, the "OpenSSL says error N" of
 * Module-Failure-Message (pc_failure_openssl_error()), pc_diagnose().  Keep decide_once() in
 * step with the module when the adapter changes.
 *
 * The record is the one the hook makes of the test PKI's chain (PKI_DIR/LEAF.chain.pem),
 * built once with pc_verify_chain() as the CLI's check does; the strings are the ones
 * FreeRADIUS 3.2 produces for the same certificates (pc_facts_from_x509()), over a list shaped
 * like the one check-eap-tls receives after a full handshake.  Each case runs against stores of
 * N anchors: the anchor the case needs (none for the other-cluster reject) plus CAPF-shaped
 * filler anchors from ANCHOR_DIR (tests/bench/bench_certs.c), loaded through pc_config_parse()
 * as the module loads them.  A decision that does not give the case's expected reason stops
 * the benchmark: a fast wrong answer is not a measurement.
 *
 * 2. The chain verification (VERIFY.csv, with -v).  Per handshake the module's hook replaces
 * X509_verify_cert(): pc_verify_chain() sets the trust set's anchors as the trusted stack and
 * runs X509_verify_cert() itself, then reads the leaf into the record.  One iteration is what
 * libssl does around it for a client certificate (a new X509_STORE_CTX, initialised with the
 * leaf and what the phone sent, "ssl_client", security level 2, freed afterwards) with
 * (a) the hook: an empty store and pc_verify_chain() against the trust set of the store size,
 * built once as at (re)load, and (b) stock: X509_verify_cert() against an X509_STORE holding
 * the same anchors (what FreeRADIUS does with ca_path, its lookups cached).  Both run for an
 * RSA-2048 and a P-256 phone key (lsc-a, lsc-a-ec, both signed by the RSA-2048 capf-a).  The
 * difference is what the hook adds to a handshake; OpenSSL's own verification is in both.
 *
 * Timing: CLOCK_MONOTONIC around batches of ITERATIONS (VERIFY_ITERATIONS) after a warm-up
 * batch; the figure is the median over REPETITIONS batches of the mean ns per iteration.  The
 * thread's CPU time (CLOCK_THREAD_CPUTIME_ID) is taken around the same batches: on a busy
 * machine it leaves out the time this thread waited for a core, which wall-clock time cannot.
 * Results go to stdout (tables), OUT.csv (case,anchors,iterations,repetitions,ns_median,ns_min,
 * ns_max,cpu_ns_median,load_ms) and VERIFY.csv (case,anchors,iterations,repetitions,
 * hook_ns_median,stock_ns_median,added_ns_median,hook_cpu_ns_median,stock_cpu_ns_median).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <talloc.h>

#include <openssl/x509_vfy.h>

#include <phonecert/cert.h>
#include <phonecert/config.h>
#include <phonecert/decide.h>
#include <phonecert/reply.h>
#include <phonecert/timeval.h>
#include <phonecert/verify.h>

#define MAX_COUNTS 8

/*
 *	A stand-in for FreeRADIUS's attribute list: the adapter compares DICT_ATTR pointers,
 *	so identity of the attribute descriptor is all that matters here too.
 */
typedef struct {
	char const	*name;
} bench_attr_t;

typedef struct bench_vp_s {
	struct bench_vp_s	*next;
	bench_attr_t const	*da;
	char const		*vp_strvalue;
} bench_vp_t;

/** The attributes of a check-eap-tls request after a full handshake, in FreeRADIUS 3.2's order. */
enum {
	A_USER_NAME, A_NAS_IP, A_CALLING_STATION_ID, A_FRAMED_MTU, A_NAS_PORT_TYPE, A_SERVICE_TYPE,
	A_CONNECT_INFO, A_EAP_MESSAGE, A_STATE, A_MESSAGE_AUTHENTICATOR, A_EAP_TYPE,
	A_CERT_SERIAL, A_CERT_EXPIRATION, A_CERT_VALID_SINCE, A_CERT_SUBJECT, A_CERT_ISSUER, A_CERT_CN,
	A_CLIENT_SERIAL, A_CLIENT_EXPIRATION, A_CLIENT_VALID_SINCE, A_CLIENT_SUBJECT, A_CLIENT_ISSUER,
	A_CLIENT_CN, A_CLIENT_BASIC_CONSTRAINTS, A_CLIENT_KEY_USAGE, A_CLIENT_EXT_KEY_USAGE, A_CLIENT_SKI,
	A_CLIENT_AKI, A_CLIENT_EKU_OID, A_PHONECERT_CERT, A_FAILURE, A_COUNT
};

static bench_attr_t const dict[A_COUNT] = {
	[A_USER_NAME] = { "User-Name" },
	[A_NAS_IP] = { "NAS-IP-Address" },
	[A_CALLING_STATION_ID] = { "Calling-Station-Id" },
	[A_FRAMED_MTU] = { "Framed-MTU" },
	[A_NAS_PORT_TYPE] = { "NAS-Port-Type" },
	[A_SERVICE_TYPE] = { "Service-Type" },
	[A_CONNECT_INFO] = { "Connect-Info" },
	[A_EAP_MESSAGE] = { "EAP-Message" },
	[A_STATE] = { "State" },
	[A_MESSAGE_AUTHENTICATOR] = { "Message-Authenticator" },
	[A_EAP_TYPE] = { "EAP-Type" },
	[A_CERT_SERIAL] = { "TLS-Cert-Serial" },
	[A_CERT_EXPIRATION] = { "TLS-Cert-Expiration" },
	[A_CERT_VALID_SINCE] = { "TLS-Cert-Valid-Since" },
	[A_CERT_SUBJECT] = { "TLS-Cert-Subject" },
	[A_CERT_ISSUER] = { "TLS-Cert-Issuer" },
	[A_CERT_CN] = { "TLS-Cert-Common-Name" },
	[A_CLIENT_SERIAL] = { "TLS-Client-Cert-Serial" },
	[A_CLIENT_EXPIRATION] = { "TLS-Client-Cert-Expiration" },
	[A_CLIENT_VALID_SINCE] = { "TLS-Client-Cert-Valid-Since" },
	[A_CLIENT_SUBJECT] = { "TLS-Client-Cert-Subject" },
	[A_CLIENT_ISSUER] = { "TLS-Client-Cert-Issuer" },
	[A_CLIENT_CN] = { "TLS-Client-Cert-Common-Name" },
	[A_CLIENT_BASIC_CONSTRAINTS] = { "TLS-Client-Cert-X509v3-Basic-Constraints" },
	[A_CLIENT_KEY_USAGE] = { "TLS-Client-Cert-X509v3-Key-Usage" },
	[A_CLIENT_EXT_KEY_USAGE] = { "TLS-Client-Cert-X509v3-Extended-Key-Usage" },
	[A_CLIENT_SKI] = { "TLS-Client-Cert-X509v3-Subject-Key-Identifier" },
	[A_CLIENT_AKI] = { "TLS-Client-Cert-X509v3-Authority-Key-Identifier" },
	[A_CLIENT_EKU_OID] = { "TLS-Client-Cert-X509v3-Extended-Key-Usage-OID" },
	[A_PHONECERT_CERT] = { "Phonecert-Cert" },
	[A_FAILURE] = { "Module-Failure-Message" },
};

/** As the adapter's resolve_attrs(): the attribute of each fact, found by name once. */
static bench_attr_t const *fact_da[PC_FACT_COUNT];

static void resolve_fact_attrs(void)
{
	unsigned int i, a;

	for (i = 0; i < PC_FACT_COUNT; i++) {
		for (a = 0; a < A_COUNT && strcmp(dict[a].name, pc_fact_fields[i].attribute) != 0; a++);
		if (a == A_COUNT) {
			fprintf(stderr, "bench_decide: %s is not in the bench's attribute list\n",
				pc_fact_fields[i].attribute);
			exit(1);
		}
		fact_da[i] = &dict[a];
	}
}

typedef struct {
	char const	*name;		//!< Row label and CSV key.
	char const	*leaf;		//!< Test PKI chain the phone presents (PKI_DIR/LEAF.chain.pem).
	char const	*issuer;	//!< Its depth-1 certificate (TLS-Cert-*).
	char const	*anchor;	//!< Test PKI CA the case needs uploaded, or NULL.
	char const	*role;		//!< Its role ("lsc", "mic").
	bool		retiring;	//!< Uploaded as retiring, its window closing in 30 days.
	char const	*csid;		//!< Calling-Station-Id as a switch sends it.
	pc_reason_t	expect;
	bool		refused;	//!< OpenSSL refuses the chain: the post-auth diagnosis runs.
	bool		lists;		//!< With a 10,000-entry deny-list, and for ent-ca its
					//!< 10,000-entry CRL (PKI_DIR/ent-ca-big.crl.pem).
} bench_case_t;

static bench_case_t const cases[] = {
	{ "lsc-active", "lsc-a", "capf-a", "capf-a", "lsc", false,
	  "B0-00-B4-BA-0A-EE", PC_REASON_LSC_ACCEPTED, false, false },
	{ "lsc-retiring", "lsc-a-old", "capf-a-old", "capf-a-old", "lsc", true,
	  "00-A1-B2-C3-D4-E5", PC_REASON_LSC_RETIRING_ACCEPTED, false, false },
	{ "mic", "mic-8861", "mfg-int", "mfg-int", "mic", false,
	  "2C-31-24-C9-F8-E1", PC_REASON_MIC_ACCEPTED, false, false },
	/* The usual refusal: a phone from a cluster whose CAPF is not uploaded.  OpenSSL refuses
	 * the chain in the handshake; what the module does is the post-auth diagnosis. */
	{ "reject-other-cluster", "lsc-c", "capf-c", NULL, NULL, false,
	  "00-11-22-33-44-C0", PC_REASON_CAPF_NOT_UPLOADED, true, false },
	/* The dearest refusal: every check runs, then the MAC differs. */
	{ "reject-mac-mismatch", "lsc-a", "capf-a", "capf-a", "lsc", false,
	  "00-11-22-33-44-55", PC_REASON_MAC_MISMATCH, false, false },
	/* Revocation: an enterprise-CA LSC without lists, then with a 10,000-entry deny-list (every
	 * probe misses) and a 10,000-entry CRL; then a serial the CRL revokes. */
	{ "lsc-ent", "lsc-ent", "ent-ca", "ent-ca", "lsc", false,
	  "00-11-22-33-44-E0", PC_REASON_LSC_ACCEPTED, false, false },
	{ "lsc-ent-deny10k-crl10k", "lsc-ent", "ent-ca", "ent-ca", "lsc", false,
	  "00-11-22-33-44-E0", PC_REASON_LSC_ACCEPTED, false, true },
	{ "reject-crl10k-revoked", "lsc-ent-revoked", "ent-ca", "ent-ca", "lsc", false,
	  "00-11-22-33-44-E1", PC_REASON_CERT_REVOKED, false, true },
	{ "lsc-active-deny10k", "lsc-a", "capf-a", "capf-a", "lsc", false,
	  "B0-00-B4-BA-0A-EE", PC_REASON_LSC_ACCEPTED, false, true },
};

/** The chain verification: the phone's key types of the e2e benchmark. */
static struct {
	char const	*name;
	char const	*leaf;
} const verify_cases[] = {
	{ "verify-rsa2048", "lsc-a" },
	{ "verify-p256", "lsc-a-ec" },
};

#define VERIFY_CASES (sizeof(verify_cases) / sizeof(verify_cases[0]))

/** Debian 12's OpenSSL security level: libssl's auth level for a client certificate. */
#define SECLEVEL 2

#define CASES (sizeof(cases) / sizeof(cases[0]))

/** Results go through here so that the compiler cannot drop a decision. */
static volatile unsigned long sink;

static void die(char const *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(char const *fmt, ...)
{
	va_list ap;

	fputs("bench_decide: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/** As facts_from_request(): the request list first, then the reply (TLS 1.2 resumption). */
static void facts_from_vps(bench_vp_t *request, bench_vp_t *reply, pc_cert_facts_t *facts)
{
	bench_vp_t *lists[2] = { request, reply };
	unsigned int i, l;

	memset(facts, 0, sizeof(*facts));
	for (l = 0; l < 2; l++) {
		bench_vp_t *vp;

		for (vp = lists[l]; vp; vp = vp->next) {
			for (i = 0; i < PC_FACT_COUNT; i++) {
				if (vp->da != fact_da[i]) continue;
				pc_facts_set(facts, i, vp->vp_strvalue);
				break;	/* each attribute fills one fact */
			}
		}
	}
}

/** As fr_pair_find_by_da(). */
static bench_vp_t *vp_find(bench_vp_t *vps, bench_attr_t const *da)
{
	for (; vps; vps = vps->next) {
		if (vps->da == da) return vps;
	}
	return NULL;
}

/** As cert_from_request(): the hook's record; two that differ, or one that does not decode, are none. */
static bool cert_from_vps(bench_vp_t *request, pc_cert_t *cert)
{
	bench_vp_t const *vp, *first = NULL;

	for (vp = request; vp; vp = vp->next) {
		if (vp->da != &dict[A_PHONECERT_CERT]) continue;
		if (!first) {
			first = vp;
		} else if (strcmp(first->vp_strvalue, vp->vp_strvalue) != 0) {
			return false;
		}
	}
	return first && pc_cert_decode(first->vp_strvalue, strlen(first->vp_strvalue), cert);
}

/** One request's worth of the module's core work (see the file comment). */
static pc_reason_t decide_once(pc_config_t const *cfg, bench_case_t const *bc, bench_vp_t *request)
{
	pc_cert_facts_t facts;
	pc_decision_t decision;
	pc_reply_item_t items[PC_REPLY_MAX];
	pc_cert_t cert;
	bench_vp_t *csid, *vp;
	bool have_cert;
	int openssl_error = 0;

	have_cert = cert_from_vps(request, &cert);
	if (bc->refused) {
		/* mod_post_auth(): the failure messages, then the diagnosis of the record. */
		for (vp = request; vp; vp = vp->next) {
			int code;

			if (vp->da != &dict[A_FAILURE]) continue;
			code = pc_failure_openssl_error(vp->vp_strvalue);
			if (code && !openssl_error) openssl_error = code;
		}
		pc_diagnose(cfg, have_cert ? &cert : NULL, openssl_error, NULL, time(NULL), &decision);
		ERR_clear_error();
		return decision.reason;
	}
	facts_from_vps(request, NULL, &facts);
	csid = vp_find(request, &dict[A_CALLING_STATION_ID]);
	pc_decide(cfg, have_cert ? &cert : NULL, &facts, csid ? csid->vp_strvalue : NULL, time(NULL), &decision);
	ERR_clear_error();
	if (pc_decision_accepts(&decision)) sink += pc_reply_plan(&cfg->policy, &decision, items);
	return decision.reason;
}

static X509 *pki_cert(char const *pki, char const *name)
{
	char path[4096];
	FILE *fp;
	X509 *cert;

	snprintf(path, sizeof(path), "%s/%s.crt", pki, name);
	fp = fopen(path, "r");
	if (!fp) die("%s: %s (run `make pki`)", path, strerror(errno));
	cert = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	if (!cert) die("%s: not a PEM certificate", path);
	return cert;
}

/** Every certificate of PKI_DIR/NAME.chain.pem: the leaf, then what the phone sends along. */
static STACK_OF(X509) *pki_chain(char const *pki, char const *name)
{
	char path[4096];
	STACK_OF(X509) *certs = sk_X509_new_null();
	FILE *fp;
	X509 *cert;

	snprintf(path, sizeof(path), "%s/%s.chain.pem", pki, name);
	fp = fopen(path, "r");
	if (!fp || !certs) die("%s: %s (run `make pki`)", path, strerror(errno));
	while ((cert = PEM_read_X509(fp, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(certs, cert)) die("out of memory");
	}
	fclose(fp);
	ERR_clear_error();
	if (sk_X509_num(certs) == 0) die("%s: no certificate", path);
	return certs;
}

/** A client certificate's X509_STORE_CTX as libssl sets it up (and as the CLI's check does). */
static X509_STORE_CTX *client_ctx(X509_STORE *store, STACK_OF(X509) *certs)
{
	X509_STORE_CTX *vctx = X509_STORE_CTX_new();

	if (!vctx || X509_STORE_CTX_init(vctx, store, sk_X509_value(certs, 0), certs) != 1 ||
	    X509_STORE_CTX_set_default(vctx, "ssl_client") != 1) {
		die("cannot set up an X509_STORE_CTX");
	}
	X509_VERIFY_PARAM_set_auth_level(X509_STORE_CTX_get0_param(vctx), SECLEVEL);
	return vctx;
}

/** The record the hook makes of the case's chain against cfg, as the attribute's text (under ctx). */
static char *record_build(TALLOC_CTX *ctx, char const *pki, pc_config_t const *cfg, bench_case_t const *bc)
{
	STACK_OF(X509) *certs = pki_chain(pki, bc->leaf);
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *vctx;
	pc_trustset_t *set = pc_trustset_new(cfg->trust, time(NULL));
	char text[PC_CERT_RECORD_MAX];
	pc_cert_t cert;
	int ok;

	if (!store || !set) die("out of memory");
	vctx = client_ctx(store, certs);
	ok = pc_verify_chain(set, vctx, time(NULL), &cert);
	if ((ok == 1) == bc->refused) {
		die("%s: the chain %s (OpenSSL error %d), the case expects otherwise", bc->leaf,
		    ok == 1 ? "verified" : "was refused", cert.verify_error);
	}
	if (pc_cert_encode(&cert, text, sizeof(text)) == 0) die("%s: the record does not encode", bc->leaf);
	X509_STORE_CTX_free(vctx);
	X509_STORE_free(store);
	pc_trustset_free(set);
	sk_X509_pop_free(certs, X509_free);
	ERR_clear_error();
	return talloc_strdup(ctx, text);
}

/** Append an attribute to the list when it has a value (FreeRADIUS adds nothing for NULL). */
static bench_vp_t **vp_append(TALLOC_CTX *ctx, bench_vp_t **tail, int attr, char const *value)
{
	bench_vp_t *vp;

	if (!value) return tail;
	vp = talloc_zero(ctx, bench_vp_t);
	if (!vp) die("out of memory");
	vp->da = &dict[attr];
	vp->vp_strvalue = value;
	*tail = vp;
	return &vp->next;
}

/** The check-eap-tls request for a case: outer attributes, then depth 1, then depth 0. */
static bench_vp_t *request_build(TALLOC_CTX *ctx, char const *pki, bench_case_t const *bc, char const *record)
{
	X509 *leaf = pki_cert(pki, bc->leaf), *issuer = pki_cert(pki, bc->issuer);
	pc_cert_facts_t f;
	pc_error_t err;
	bench_vp_t *head = NULL, **tail = &head;

	if (pc_facts_from_x509(ctx, leaf, issuer, &f, &err) < 0) die("%s: %s", bc->leaf, err.msg);

	tail = vp_append(ctx, tail, A_USER_NAME, bc->leaf);
	tail = vp_append(ctx, tail, A_NAS_IP, "127.0.0.1");
	tail = vp_append(ctx, tail, A_CALLING_STATION_ID, bc->csid);
	tail = vp_append(ctx, tail, A_FRAMED_MTU, "1400");
	tail = vp_append(ctx, tail, A_NAS_PORT_TYPE, "Ethernet");
	tail = vp_append(ctx, tail, A_SERVICE_TYPE, "Framed-User");
	tail = vp_append(ctx, tail, A_CONNECT_INFO, "CONNECT Ethernet 1000Mbps Full duplex");
	tail = vp_append(ctx, tail, A_EAP_MESSAGE, "\x02\x0f\x00\x06\x0d");
	tail = vp_append(ctx, tail, A_STATE, "0123456789abcdef");
	tail = vp_append(ctx, tail, A_MESSAGE_AUTHENTICATOR, "0123456789abcdef");
	tail = vp_append(ctx, tail, A_EAP_TYPE, "TLS");

	tail = vp_append(ctx, tail, A_CERT_SERIAL, f.issuer_serial);
	tail = vp_append(ctx, tail, A_CERT_EXPIRATION, f.issuer_not_after);
	tail = vp_append(ctx, tail, A_CERT_VALID_SINCE, "261122213617Z");
	tail = vp_append(ctx, tail, A_CERT_SUBJECT, f.issuer_subject);
	tail = vp_append(ctx, tail, A_CERT_ISSUER, f.issuer_issuer);
	tail = vp_append(ctx, tail, A_CERT_CN, bc->issuer);

	tail = vp_append(ctx, tail, A_CLIENT_SERIAL, f.serial);
	tail = vp_append(ctx, tail, A_CLIENT_EXPIRATION, f.not_after);
	tail = vp_append(ctx, tail, A_CLIENT_VALID_SINCE, f.not_before);
	tail = vp_append(ctx, tail, A_CLIENT_SUBJECT, f.subject);
	tail = vp_append(ctx, tail, A_CLIENT_ISSUER, f.issuer);
	tail = vp_append(ctx, tail, A_CLIENT_CN, f.common_name);
	tail = vp_append(ctx, tail, A_CLIENT_BASIC_CONSTRAINTS, f.basic_constraints);
	tail = vp_append(ctx, tail, A_CLIENT_KEY_USAGE, f.key_usage);
	tail = vp_append(ctx, tail, A_CLIENT_EXT_KEY_USAGE, f.ext_key_usage);
	tail = vp_append(ctx, tail, A_CLIENT_SKI, "5A:47:2A:FA:D4:CE:78:02:F5:06:B4:E3:4D:1C:40:89:80:48:26:E5");
	tail = vp_append(ctx, tail, A_CLIENT_AKI, f.authority_key_id);
	tail = vp_append(ctx, tail, A_CLIENT_EKU_OID, "1.3.6.1.5.5.7.3.2");
	tail = vp_append(ctx, tail, A_CLIENT_EKU_OID, "1.3.6.1.5.5.7.3.1");
	/* The hook's record: added after X509_verify_cert() returned, so after FreeRADIUS's own. */
	tail = vp_append(ctx, tail, A_PHONECERT_CERT, record);
	if (bc->refused) {
		(void)vp_append(ctx, tail, A_FAILURE, "eap_tls: ERROR: (TLS) OpenSSL says error 20 : unable to get "
				"local issuer certificate");
	}

	X509_free(leaf);
	X509_free(issuer);
	ERR_clear_error();
	return head;
}

/**
 * A 10,000-entry deny-list in ANCHOR_DIR/bench-deny.conf (written once): 2,500 entries of each
 * kind, none of them a test PKI phone's, so every probe of a decision misses.  @return its path.
 */
static char const *deny_file(char const *anchor_dir)
{
	static char path[PATH_MAX];
	FILE *fp;
	unsigned int i;

	if (path[0]) return path;
	snprintf(path, sizeof(path), "%s/bench-deny.conf", anchor_dir);
	fp = fopen(path, "w");
	if (!fp) die("%s: cannot write", path);
	for (i = 0; i < 2500; i++) {
		fprintf(fp, "device SEP0A00%08X note=bench\n", i);
		fprintf(fp, "mac 0B00%08X\n", i);
		fprintf(fp, "fingerprint %056x%08x\n", 0, i);
		fprintf(fp, "serial %056x%08x %08x expires=2099-01-01\n", 1, i, i + 1);
	}
	if (fclose(fp) != 0) die("%s: cannot write", path);
	return path;
}

/** The module's configuration for a case: its anchor plus fillers, count anchors in all. */
static pc_config_t *config_build(TALLOC_CTX *ctx, char const *pki, char const *anchor_dir,
				 bench_case_t const *bc, unsigned int count, double *load_ms)
{
	char until[PC_TIME_STRLEN];
	char *text, *path;
	unsigned int i, fillers;
	pc_config_t *cfg;
	pc_error_t err;
	double t0;

	/* The shipped policy: MICs admitted, MAC binding enforced, Cisco reply profile. */
	text = talloc_strdup(ctx, "[policy]\nmic = allow\nmac_binding = enforce\nreply_profile = cisco\n");
	if (bc->lists) text = talloc_asprintf_append(text, "deny = %s\n", deny_file(anchor_dir));
	if (bc->anchor) {
		text = talloc_asprintf_append(text, "[anchor %s]\nrole = %s\nfile = %s/%s.crt\n",
					      bc->anchor, bc->role, pki, bc->anchor);
	}
	if (bc->anchor && bc->retiring) {
		pc_time_format(time(NULL) + 30 * 86400, until, sizeof(until));
		text = talloc_asprintf_append(text, "state = retiring\ntrust_until = %s\n", until);
	}
	if (bc->lists && bc->anchor && strcmp(bc->anchor, "ent-ca") == 0) {
		text = talloc_asprintf_append(text, "crl = %s/ent-ca-big.crl.pem\n", pki);
	}

	fillers = count - (bc->anchor ? 1 : 0);
	for (i = 0; i < fillers && text; i++) {
		text = talloc_asprintf_append(text, "[anchor filler-%u]\nrole = lsc\nfile = %s/anchor-%04u.crt\n",
					      i, anchor_dir, i);
	}
	if (!text) die("out of memory");

	path = talloc_asprintf(ctx, "%s/bench.conf", anchor_dir);
	if (!path) die("out of memory");
	t0 = now_ns();
	if (pc_config_parse(ctx, path, text, strlen(text), &cfg, &err) < 0) die("%s", err.msg);
	*load_ms = (now_ns() - t0) / 1e6;
	if (pc_trust_count(cfg->trust) != count) die("store has %u anchors, not %u", pc_trust_count(cfg->trust), count);
	return cfg;
}

static int cmp_double(void const *a, void const *b)
{
	double x = *(double const *)a, y = *(double const *)b;

	return (x > y) - (x < y);
}

static unsigned long parse_ulong(char const *text, char const *what, unsigned long max)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(text, &end, 10);
	if (errno || end == text || *end || n == 0 || n > max) die("%s must be 1..%lu, not '%s'", what, max, text);
	return n;
}

/** One iteration of the chain verification: the hook's (set) or OpenSSL's own (store). */
static int verify_once(X509_STORE *store, pc_trustset_t const *set, STACK_OF(X509) *certs)
{
	X509_STORE_CTX *vctx = client_ctx(store, certs);
	pc_cert_t cert;
	int ok;

	if (set) {
		ok = pc_verify_chain(set, vctx, time(NULL), &cert);
		sink += cert.flags;
	} else {
		ok = X509_verify_cert(vctx);
	}
	X509_STORE_CTX_free(vctx);
	return ok;
}

/** Median, after sorting. */
static double median(double *values, unsigned long n)
{
	qsort(values, n, sizeof(values[0]), cmp_double);
	return values[n / 2];
}

/**
 * The chain verification per store size: the hook against its trust set, and OpenSSL alone
 * against an X509_STORE of the same anchors (see the file comment).
 */
static void bench_verify(char const *pki, char const *anchor_dir, char const *csv_path, unsigned int const *counts,
			 unsigned int ncounts, unsigned long iterations, unsigned long repetitions)
{
	static bench_case_t const capf_a = { "verify", "lsc-a", "capf-a", "capf-a", "lsc", false, NULL,
					     PC_REASON_LSC_ACCEPTED, false, false };
	double hook[VERIFY_CASES][MAX_COUNTS], stock[VERIFY_CASES][MAX_COUNTS];
	FILE *csv = fopen(csv_path, "w");
	size_t v;
	unsigned int k;

	if (!csv) die("%s: %s", csv_path, strerror(errno));
	fprintf(csv, "case,anchors,iterations,repetitions,hook_ns_median,stock_ns_median,added_ns_median,"
		"hook_cpu_ns_median,stock_cpu_ns_median\n");
	for (v = 0; v < VERIFY_CASES; v++) {
		TALLOC_CTX *ctx = talloc_new(NULL);
		STACK_OF(X509) *certs = pki_chain(pki, verify_cases[v].leaf);
		X509_STORE *empty = X509_STORE_new(), *stores[MAX_COUNTS];
		pc_trustset_t *sets[MAX_COUNTS];
		double *ns[2][MAX_COUNTS], *cpu[2][MAX_COUNTS], load_ms, t0, c0;
		unsigned long i, r;
		int side;

		if (!ctx || !empty) die("out of memory");
		for (k = 0; k < ncounts; k++) {
			pc_config_t *cfg = config_build(ctx, pki, anchor_dir, &capf_a, counts[k], &load_ms);

			sets[k] = pc_trustset_new(cfg->trust, time(NULL));
			stores[k] = pc_trust_x509_store(cfg->trust);
			if (!sets[k] || !stores[k]) die("out of memory");
			if (verify_once(empty, sets[k], certs) != 1 || verify_once(stores[k], NULL, certs) != 1) {
				die("%s with %u anchors: the chain does not verify", verify_cases[v].leaf, counts[k]);
			}
			for (side = 0; side < 2; side++) {
				ns[side][k] = talloc_array(ctx, double, repetitions);
				cpu[side][k] = talloc_array(ctx, double, repetitions);
				if (!ns[side][k] || !cpu[side][k]) die("out of memory");
			}
		}
		for (k = 0; k < ncounts; k++) {
			for (i = 0; i < iterations / 4 + 1; i++) {
				sink += (unsigned long)verify_once(empty, sets[k], certs);
				sink += (unsigned long)verify_once(stores[k], NULL, certs);
			}
		}
		/* Hook and stock alternate within each repetition, store sizes take turns. */
		for (r = 0; r < repetitions; r++) {
			for (k = 0; k < ncounts; k++) {
				for (side = 0; side < 2; side++) {
					c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
					t0 = now_ns();
					for (i = 0; i < iterations; i++) {
						sink += (unsigned long)verify_once(side ? stores[k] : empty,
										   side ? NULL : sets[k], certs);
					}
					ns[side][k][r] = (now_ns() - t0) / (double)iterations;
					cpu[side][k][r] = (clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0) / (double)iterations;
				}
			}
		}
		for (k = 0; k < ncounts; k++) {
			double added[101];

			/* The added cost per repetition (the two were timed back to back), then its median. */
			for (r = 0; r < repetitions; r++) added[r] = ns[0][k][r] - ns[1][k][r];
			hook[v][k] = median(ns[0][k], repetitions);
			stock[v][k] = median(ns[1][k], repetitions);
			fprintf(csv, "%s,%u,%lu,%lu,%.1f,%.1f,%.1f,%.1f,%.1f\n", verify_cases[v].name, counts[k], iterations,
				repetitions, hook[v][k], stock[v][k], median(added, repetitions),
				median(cpu[0][k], repetitions), median(cpu[1][k], repetitions));
			pc_trustset_free(sets[k]);
			X509_STORE_free(stores[k]);
		}
		X509_STORE_free(empty);
		sk_X509_pop_free(certs, X509_free);
		talloc_free(ctx);
	}
	if (fclose(csv) != 0) die("%s: %s", csv_path, strerror(errno));

	printf("\nchain verification per handshake, ns (median of %lu x %lu): the hook (pc_verify_chain) / stock "
	       "(X509_verify_cert, ca_path) / added, by number of uploaded anchors\n", repetitions, iterations);
	printf("%-22s", "case");
	for (k = 0; k < ncounts; k++) printf(" %23u", counts[k]);
	printf("\n");
	for (v = 0; v < VERIFY_CASES; v++) {
		printf("%-22s", verify_cases[v].name);
		for (k = 0; k < ncounts; k++) {
			printf(" %7.0f/%7.0f/%7.0f", hook[v][k], stock[v][k], hook[v][k] - stock[v][k]);
		}
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	char const *pki = NULL, *anchor_dir = NULL, *csv_path = NULL, *verify_path = NULL;
	char pki_abs[PATH_MAX], anchor_abs[PATH_MAX];
	unsigned long iterations = 100000, repetitions = 7, verify_iterations = 0;
	unsigned int counts[MAX_COUNTS] = { 1, 10, 100, 1000 }, ncounts = 4;
	double result[CASES][MAX_COUNTS], load[MAX_COUNTS];
	FILE *csv;
	size_t c;
	unsigned int k;
	int opt;

	resolve_fact_attrs();
	while ((opt = getopt(argc, argv, "p:a:o:v:n:m:r:c:")) != -1) {
		switch (opt) {
		case 'p': pki = optarg; break;
		case 'a': anchor_dir = optarg; break;
		case 'o': csv_path = optarg; break;
		case 'v': verify_path = optarg; break;
		case 'n': iterations = parse_ulong(optarg, "-n", 100000000); break;
		case 'm': verify_iterations = parse_ulong(optarg, "-m", 100000000); break;
		case 'r': repetitions = parse_ulong(optarg, "-r", 101); break;
		case 'c': {
			char *list = talloc_strdup(NULL, optarg), *tok, *save = NULL;

			ncounts = 0;
			for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				if (ncounts == MAX_COUNTS) die("at most %d anchor counts", MAX_COUNTS);
				counts[ncounts++] = (unsigned int)parse_ulong(tok, "an anchor count", 100000);
			}
			talloc_free(list);
			if (!ncounts) die("-c: no anchor counts");
			break;
		}
		default:
			fprintf(stderr, "usage: bench_decide -p PKI_DIR -a ANCHOR_DIR -o OUT.csv [-v VERIFY.csv] "
				"[-n ITERATIONS] [-m VERIFY_ITERATIONS] [-r REPETITIONS] [-c 1,10,100,1000]\n");
			return 2;
		}
	}
	if (!pki || !anchor_dir || !csv_path) die("-p, -a and -o are required");
	/* A verification costs some 10^4 times a decision: fewer of them per batch by default. */
	if (!verify_iterations) verify_iterations = iterations / 100 > 10 ? iterations / 100 : 10;
	/* Anchor files named in the configuration are relative to its directory: make them absolute. */
	if (!realpath(pki, pki_abs)) die("%s: %s", pki, strerror(errno));
	if (!realpath(anchor_dir, anchor_abs)) die("%s: %s", anchor_dir, strerror(errno));
	pki = pki_abs;
	anchor_dir = anchor_abs;
	csv = fopen(csv_path, "w");
	if (!csv) die("%s: %s", csv_path, strerror(errno));
	fprintf(csv, "case,anchors,iterations,repetitions,ns_median,ns_min,ns_max,cpu_ns_median,load_ms\n");

	for (c = 0; c < CASES; c++) {
		bench_case_t const *bc = &cases[c];
		TALLOC_CTX *ctx = talloc_new(NULL);
		pc_config_t *cfg[MAX_COUNTS];
		double load_ms[MAX_COUNTS], t0, c0, *ns[MAX_COUNTS], *cpu[MAX_COUNTS];
		bench_vp_t *request = NULL;
		unsigned long i, r;

		if (!ctx) die("out of memory");
		for (k = 0; k < ncounts; k++) {
			pc_reason_t got;

			cfg[k] = config_build(ctx, pki, anchor_dir, bc, counts[k], &load_ms[k]);
			/* The hook's record, once: the anchor's fingerprint is the same in every store. */
			if (k == 0) request = request_build(ctx, pki, bc, record_build(ctx, pki, cfg[0], bc));
			ns[k] = talloc_array(ctx, double, repetitions);
			cpu[k] = talloc_array(ctx, double, repetitions);
			if (!ns[k] || !cpu[k]) die("out of memory");
			got = decide_once(cfg[k], bc, request);
			if (got != bc->expect) {
				die("%s with %u anchors: decided %s, expected %s", bc->name, counts[k],
				    pc_reason_name(got), pc_reason_name(bc->expect));
			}
		}

		/* Warm-up: caches, branch predictors and the CPU's clock settle before timing. */
		for (k = 0; k < ncounts; k++) {
			for (i = 0; i < iterations / 4 + 1; i++) sink += decide_once(cfg[k], bc, request);
		}
		/* Store sizes take turns within each repetition, so that a burst of load from
		 * elsewhere on the machine lands on all of them rather than on one. */
		for (r = 0; r < repetitions; r++) {
			for (k = 0; k < ncounts; k++) {
				c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
				t0 = now_ns();
				for (i = 0; i < iterations; i++) sink += decide_once(cfg[k], bc, request);
				ns[k][r] = (now_ns() - t0) / (double)iterations;
				cpu[k][r] = (clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0) / (double)iterations;
			}
		}

		for (k = 0; k < ncounts; k++) {
			qsort(ns[k], repetitions, sizeof(ns[k][0]), cmp_double);
			qsort(cpu[k], repetitions, sizeof(cpu[k][0]), cmp_double);
			result[c][k] = ns[k][repetitions / 2];
			if (c == 0) load[k] = load_ms[k];
			fprintf(csv, "%s,%u,%lu,%lu,%.1f,%.1f,%.1f,%.1f,%.2f\n", bc->name, counts[k], iterations, repetitions,
				ns[k][repetitions / 2], ns[k][0], ns[k][repetitions - 1], cpu[k][repetitions / 2], load_ms[k]);
		}
		talloc_free(ctx);
	}
	if (fclose(csv) != 0) die("%s: %s", csv_path, strerror(errno));

	printf("decision cost, ns per decision (median of %lu x %lu), by number of uploaded anchors\n",
	       repetitions, iterations);
	printf("%-22s", "case");
	for (k = 0; k < ncounts; k++) printf(" %9u", counts[k]);
	printf("\n");
	for (c = 0; c < CASES; c++) {
		printf("%-22s", cases[c].name);
		for (k = 0; k < ncounts; k++) printf(" %9.0f", result[c][k]);
		printf("\n");
	}
	printf("%-22s", "(config load, ms)");
	for (k = 0; k < ncounts; k++) printf(" %9.1f", load[k]);
	printf("\n");

	if (verify_path) bench_verify(pki, anchor_dir, verify_path, counts, ncounts, verify_iterations, repetitions);
	return 0;
}
