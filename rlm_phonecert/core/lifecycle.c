/**
 * @file lifecycle.c
 * @brief When trust runs out (see phonecert/lifecycle.h): expiring anchors and roots, the end
 *	  of the Cisco Root CA 2048 chain, CAPF certificates without CA extensions.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <phonecert/lifecycle.h>
#include <phonecert/timeval.h>

#define DAY ((long long)86400)

/** How far up a chain of uploaded anchors the walk goes (a loop of cross-signed CAs ends it). */
#define CHAIN_MAX 8

/*
 *	Roots a manufacturing anchor may depend on without the root being uploaded.  The facts
 *	are those of the files shipped in raddb/phonecert/manufacturing/ (Cisco's public CA
 *	certificates, provenance in its README): the subject key identifier and the SHA-256
 *	fingerprint as `openssl x509 -noout -ext subjectKeyIdentifier -fingerprint -sha256`
 *	prints them, notAfter as seconds since the epoch (`date -u -d ... +%s`).  An anchor
 *	depends on one when its authority key identifier names that key; when the root is also
 *	uploaded, its signature must verify with the root's key instead.
 */
typedef struct {
	char const	*name;
	char const	*key_id;	//!< Subject key identifier, lower-case hex.
	char const	*fingerprint;	//!< SHA-256 of the DER, lower-case hex.
	time_t		not_after;
	bool		mic_end;	//!< Its end is the end of old phones' MICs (the 2029 finding).
} known_root_t;

static known_root_t const known_roots[] = {
	/* Cisco_Root_CA_2048.pem: notAfter May 14 20:25:42 2029 GMT.  Signs Cisco Manufacturing
	 * CA (the SHA-1 MIC issuer of 7900-series and older 7800/8800 phones, also behind
	 * CAP-RTP-001/002) and ACT2 SUDI CA. */
	{ "Cisco Root CA 2048", "27f3c8151e6e9a020916ad2ba089605fda7b2faa",
	  "8327bc8c9d69947b3de3c27511537267f59c21b9fa7b613fafbccd53b7024000", 1873484742, true },
	/* Cisco_Root_CA_M2.pem: notAfter Nov 12 13:00:18 2037 GMT.  Signs Cisco Manufacturing
	 * CA SHA2 (current phones). */
	{ "Cisco Root CA M2", "c900f91f8a1fc266bda5d26d650e222e34c305a0",
	  "cd85167b3935e27bcc3b0f5fa24c8457882d0bb994f88269a7f72829d957eae9", 2141643618, false },
};

char const pc_lifecycle_capf_advice[] =
	"CUCM 14SU2 and later require a CAPF certificate with CA:TRUE, pathlen:0 and keyCertSign: regenerate "
	"the CAPF certificate on CUCM 14SU2 or later, upload the new one beside this one and roll over with a "
	"window (README, \"CAPF rollover\")";

char const *pc_lifecycle_severity_name(pc_lifecycle_severity_t severity)
{
	switch (severity) {
	case PC_LIFECYCLE_OK:
		return "OK";
	case PC_LIFECYCLE_WARNING:
		return "WARNING";
	case PC_LIFECYCLE_CRITICAL:
	default:
		return "CRITICAL";
	}
}

unsigned int pc_lifecycle_capf_missing(X509 *cert)
{
	uint32_t flags = X509_get_extension_flags(cert);
	unsigned int missing = 0;

	/* basicConstraints alone (X509_check_ca also fails for a keyUsage without keyCertSign). */
	if ((flags & EXFLAG_CA) == 0) missing |= PC_CAPF_MISSING_CA;
	/* X509_get_pathlen is -1 without a constraint; a CAPF signs only phones: 0. */
	if ((missing & PC_CAPF_MISSING_CA) || X509_get_pathlen(cert) != 0) missing |= PC_CAPF_MISSING_PATHLEN0;
	if ((flags & EXFLAG_KUSAGE) == 0) {
		missing |= PC_CAPF_MISSING_KEYCERTSIGN;	/* OpenSSL allows everything; CUCM wants it said */
	} else if ((X509_get_key_usage(cert) & KU_KEY_CERT_SIGN) == 0) {
		missing |= PC_CAPF_MISSING_KEYCERTSIGN | PC_CAPF_KU_FORBIDS_SIGNING;
	}
	ERR_clear_error();
	return missing;
}

bool pc_lifecycle_capf_unusable(unsigned int missing)
{
	return (missing & (PC_CAPF_MISSING_CA | PC_CAPF_KU_FORBIDS_SIGNING)) != 0;
}

char *pc_lifecycle_capf_missing_text(unsigned int missing, char *buf, size_t buflen)
{
	char const *parts[3];
	unsigned int n = 0, i;
	size_t used = 0;

	if (missing & PC_CAPF_MISSING_CA) parts[n++] = "CA:TRUE";
	if (missing & PC_CAPF_MISSING_PATHLEN0) parts[n++] = "pathlen:0";
	if (missing & PC_CAPF_MISSING_KEYCERTSIGN) {
		parts[n++] = (missing & PC_CAPF_KU_FORBIDS_SIGNING) ? "keyCertSign (its keyUsage omits it)"
								    : "keyCertSign (no keyUsage extension)";
	}
	if (buflen == 0) return buf;
	buf[0] = '\0';
	for (i = 0; i < n && used < buflen; i++) {
		char const *sep = i == 0 ? "" : (i + 1 == n ? " and " : ", ");
		int len = snprintf(buf + used, buflen - used, "%s%s", sep, parts[i]);

		if (len < 0) break;
		used += (size_t)len;
	}
	return buf;
}

/** An octet string as lower-case hex into buf (empty if absent or too long). */
static char const *octets_hex(ASN1_OCTET_STRING const *os, char *buf, size_t buflen)
{
	int i;

	buf[0] = '\0';
	if (!os || os->length <= 0 || (size_t)os->length * 2 + 1 > buflen) return buf;
	for (i = 0; i < os->length; i++) snprintf(buf + i * 2, 3, "%02x", os->data[i]);
	return buf;
}

/** Where an anchor's trust ends: the earliest notAfter of it and the roots above it. */
typedef struct {
	time_t			end;
	char const		*end_name;	//!< Who ends first: NULL = the anchor itself.
	known_root_t const	*mic_root;	//!< It depends on the Cisco Root CA 2048 ...
	char const		*how;		//!< ... and how that was established.
} chain_end_t;

static known_root_t const *known_by_fingerprint(char const *fingerprint)
{
	size_t i;

	for (i = 0; i < sizeof(known_roots) / sizeof(known_roots[0]); i++) {
		if (strcmp(known_roots[i].fingerprint, fingerprint) == 0) return &known_roots[i];
	}
	return NULL;
}

static known_root_t const *known_by_key_id(char const *key_id)
{
	size_t i;

	for (i = 0; i < sizeof(known_roots) / sizeof(known_roots[0]); i++) {
		if (strcmp(known_roots[i].key_id, key_id) == 0) return &known_roots[i];
	}
	return NULL;
}

/** The uploaded anchor whose key signed cert (its SKI is cert's AKI and the signature verifies). */
static pc_anchor_t const *uploaded_issuer(pc_trust_t const *trust, X509 *cert, char const *aki, bool *named)
{
	unsigned int i, n = pc_trust_count(trust);

	*named = false;
	for (i = 0; i < n; i++) {
		pc_anchor_t const *p = pc_trust_anchor(trust, i);
		EVP_PKEY *key;

		if (p->cert == cert || !p->key_id || strcmp(p->key_id, aki) != 0) continue;
		*named = true;
		key = X509_get0_pubkey(p->cert);
		if (key && X509_verify(cert, key) == 1) return p;
	}
	return NULL;
}

static void chain_note(chain_end_t *ce, time_t not_after, char const *name)
{
	if (not_after < ce->end) {
		ce->end = not_after;
		ce->end_name = name;
	}
}

static void chain_end(TALLOC_CTX *ctx, pc_trust_t const *trust, pc_anchor_t const *anchor, chain_end_t *ce)
{
	X509 *cur = anchor->cert;
	known_root_t const *root;
	unsigned int depth;

	memset(ce, 0, sizeof(*ce));
	ce->end = anchor->not_after;
	root = known_by_fingerprint(anchor->fingerprint);
	if (root) {
		if (root->mic_end) {
			ce->mic_root = root;
			ce->how = "it is that root";
		}
		return;
	}
	for (depth = 0; depth < CHAIN_MAX; depth++) {
		char aki[130], ski[130];
		pc_anchor_t const *parent;
		bool named;

		octets_hex(X509_get0_authority_key_id(cur), aki, sizeof(aki));
		octets_hex(X509_get0_subject_key_id(cur), ski, sizeof(ski));
		if (!aki[0] || strcmp(aki, ski) == 0) return;	/* a root: nothing above it */

		parent = uploaded_issuer(trust, cur, aki, &named);
		if (parent) {
			chain_note(ce, parent->not_after, parent->name);
			root = known_by_fingerprint(parent->fingerprint);
			if (root && root->mic_end && !ce->mic_root) {
				ce->mic_root = root;
				ce->how = talloc_asprintf(ctx, "signature verified with the uploaded anchor %s",
							  parent->name);
				if (!ce->how) ce->how = "signature verified with the uploaded root";
			}
			cur = parent->cert;
			continue;
		}
		/* An uploaded CA has that key identifier but did not sign it: no claim on a known one. */
		if (named) return;
		root = known_by_key_id(aki);
		if (!root) return;
		chain_note(ce, root->not_after, root->name);
		if (root->mic_end && !ce->mic_root) {
			ce->mic_root = root;
			ce->how = "by its authority key identifier; the root is not uploaded";
		}
		return;
	}
}

typedef struct {
	TALLOC_CTX		*ctx;
	pc_config_t const	*cfg;
	time_t			now;
	pc_lifecycle_finding_t	*list;
	unsigned int		count;
	bool			oom;
} run_t;

static void add(run_t *run, pc_lifecycle_severity_t severity, char const *type, pc_anchor_t const *anchor,
		time_t when, char const *fmt, ...) PC_PRINTF(6, 7);
static void add(run_t *run, pc_lifecycle_severity_t severity, char const *type, pc_anchor_t const *anchor,
		time_t when, char const *fmt, ...)
{
	pc_lifecycle_finding_t *list, *f;
	va_list ap;

	if (run->oom) return;
	list = talloc_realloc(run->ctx, run->list, pc_lifecycle_finding_t, run->count + 1);
	if (!list) {
		run->oom = true;
		return;
	}
	run->list = list;
	f = &list[run->count];
	f->severity = severity;
	f->type = type;
	f->anchor = anchor;
	f->when = when;
	va_start(ap, fmt);
	f->message = talloc_vasprintf(list, fmt, ap);
	va_end(ap);
	if (!f->message) {
		run->oom = true;
		return;
	}
	run->count++;
}

/** Severity of an end at `end`: critical once it is within the short horizon (or past). */
static pc_lifecycle_severity_t end_severity(run_t const *run, time_t end)
{
	long long left = (long long)end - (long long)run->now;

	if (left < (long long)run->cfg->policy.expiry_critical) return PC_LIFECYCLE_CRITICAL;
	if (left < (long long)run->cfg->policy.expiry_warning) return PC_LIFECYCLE_WARNING;
	return PC_LIFECYCLE_OK;
}

/** "in 30 days" / "12 days ago", as `phonecert anchors` counts days. */
static char const *days_text(run_t const *run, time_t end, char *buf, size_t buflen)
{
	long long diff = (long long)end - (long long)run->now;

	if (diff >= 0) {
		snprintf(buf, buflen, "in %lld days", diff / DAY);
	} else {
		snprintf(buf, buflen, "%lld days ago", (-diff + DAY - 1) / DAY);
	}
	return buf;
}

static void check_capf(run_t *run, pc_anchor_t const *a)
{
	unsigned int missing;
	char what[128];

	if (a->role != PC_ROLE_LSC) return;
	missing = pc_lifecycle_capf_missing(a->cert);
	if (pc_lifecycle_capf_unusable(missing)) {
		add(run, PC_LIFECYCLE_CRITICAL, "capf-extensions", a, 0, "%s cannot sign for OpenSSL: it lacks %s, so "
		    "every LSC it issued is refused (invalid-ca); %s", a->name,
		    pc_lifecycle_capf_missing_text(missing, what, sizeof(what)), pc_lifecycle_capf_advice);
		return;
	}
	/*
	 *	pathlen:0 and keyCertSign are what CUCM 14SU2 puts in its own CAPF certificates
	 *	(CN=CAPF-<8 hex>, self-signed).  An enterprise CA that signs LSCs in CAPF's online
	 *	or offline CA mode keeps its own profile: only the name tells them apart, and here
	 *	it only chooses whether to give CUCM's advice, it decides nothing.
	 */
	if (missing == 0 || strncmp(a->common_name, "CAPF-", 5) != 0) return;
	add(run, PC_LIFECYCLE_WARNING, "capf-extensions", a, 0, "%s lacks %s: a CAPF certificate made before "
	    "CUCM 14SU2 (OpenSSL still accepts it as issuer).  %s", a->name,
	    pc_lifecycle_capf_missing_text(missing, what, sizeof(what)), pc_lifecycle_capf_advice);
}

static void check_expiry(run_t *run, pc_anchor_t const *a)
{
	chain_end_t ce;
	pc_lifecycle_severity_t severity;
	char when[PC_TIME_STRLEN], days[48];
	char const *renew = (a->role == PC_ROLE_LSC)
		? "regenerate the CAPF certificate (or renew the issuing CA), upload the new one and re-enrol the phones"
		: "upload the manufacturing CA's renewed certificate, and install LSCs on the phones";

	chain_end(run->ctx, run->cfg->trust, a, &ce);
	/* A retiring anchor whose window closes first: the admin's plan ends its trust, not the date. */
	if (a->state == PC_STATE_RETIRING && a->trust_until <= ce.end) return;

	severity = end_severity(run, ce.end);
	pc_time_format(ce.end, when, sizeof(when));
	days_text(run, ce.end, days, sizeof(days));

	if (ce.mic_root && ce.end == ce.mic_root->not_after) {
		/* Reported at every severity: years ahead it is a note that does not change the status. */
		add(run, severity, "cisco-root-2048", a, ce.end, "%s depends on %s (%s), which %s %s (%s): from then "
		    "on no MIC under it validates (7900-series and older 7800/8800 phones: Cisco Manufacturing CA, "
		    "CAP-RTP-001/002), and a MIC cannot be re-issued; install LSCs on those phones before then",
		    a->name, ce.mic_root->name, ce.how, ce.end <= run->now ? "expired" : "expires", when, days);
		return;
	}
	if (severity == PC_LIFECYCLE_OK) return;
	if (!ce.end_name) {
		if (ce.end <= run->now) {
			add(run, severity, "expired", a, ce.end, "%s expired %s: every certificate it issued is refused "
			    "(anchor-expired); %s, then remove it", a->name, when, renew);
		} else {
			add(run, severity, "expiring", a, ce.end, "%s expires %s (%s): %s before then", a->name, when,
			    days, renew);
		}
		return;
	}
	add(run, severity, "root-expiring", a, ce.end, "%s depends on %s, which %s %s (%s): every certificate "
	    "under it stops validating then; %s", a->name, ce.end_name, ce.end <= run->now ? "expired" : "expires",
	    when, days, renew);
}

pc_lifecycle_severity_t pc_lifecycle_worst(pc_lifecycle_finding_t const *findings, unsigned int count)
{
	pc_lifecycle_severity_t worst = PC_LIFECYCLE_OK;
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (findings[i].severity > worst) worst = findings[i].severity;
	}
	return worst;
}

int pc_lifecycle_check(TALLOC_CTX *ctx, pc_config_t const *cfg, time_t now,
		       pc_lifecycle_finding_t **out, unsigned int *count)
{
	run_t run = { .ctx = ctx, .cfg = cfg, .now = now };
	unsigned int i, j, n = pc_trust_count(cfg->trust);

	*out = NULL;
	*count = 0;
	for (i = 0; i < n; i++) {
		pc_anchor_t const *a = pc_trust_anchor(cfg->trust, i);

		if (a->state == PC_STATE_DISABLED) continue;	/* refused anyway */
		check_capf(&run, a);
		check_expiry(&run, a);
	}
	ERR_clear_error();
	if (run.oom) {
		talloc_free(run.list);
		return -1;
	}
	/* Most severe first; a stable insertion sort keeps the anchors' order within a severity. */
	for (i = 1; i < run.count; i++) {
		pc_lifecycle_finding_t f = run.list[i];

		for (j = i; j > 0 && run.list[j - 1].severity < f.severity; j--) run.list[j] = run.list[j - 1];
		run.list[j] = f;
	}
	*out = run.list;
	*count = run.count;
	return 0;
}
