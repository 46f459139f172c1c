/**
 * @file test_decide.c
 * @brief The admission decision, on the records the verification hook makes of the real test
 *	  PKI's chains (unit_record: pc_verify_chain against the anchors trusted at that time, then
 *	  the text encoding that carries the record to the decision).
 *
 * As in the module and the CLI's check, a chain OpenSSL verified goes to pc_decide() and a
 * refused one to pc_diagnose(): the table says which of the two each case must reach, so a
 * case cannot pass by being refused at the wrong stage.
 */
#include "unit.h"

#include <phonecert/decide.h>

/*
 *	One configuration for the whole file: an active CAPF, the same cluster's previous CAPF
 *	retiring, a disabled CAPF, the enterprise CA of CAPF's online-CA mode, the manufacturing
 *	CA, and the SHA-1 manufacturing chain retiring.  mac_binding = off here; the MAC tests set
 *	it on a copy of the policy.
 */
static struct {
	TALLOC_CTX	*ctx;
	pc_config_t	*cfg;
	time_t		now;		//!< unit_pki_now()
	time_t		until;		//!< capf-a-old's trust_until: now + 30 days.
	time_t		legacy_until;	//!< legacy-int's trust_until: now + 10 days.
} fx;

static int fixture_setup(UNUSED void **state)
{
	fx.ctx = talloc_new(NULL);
	fx.now = unit_pki_now();
	fx.until = fx.now + 30 * UNIT_DAY;
	fx.legacy_until = fx.now + 10 * UNIT_DAY;
	fx.cfg = unit_config(fx.ctx, talloc_asprintf(fx.ctx,
		"[policy]\n"
		"mic = allow\n"
		"mac_binding = off\n"
		"[anchor capf-a]\n"
		"role = lsc\n"
		"file = @PKI@/capf-a.crt\n"
		"[anchor capf-a-old]\n"
		"role = lsc\n"
		"state = retiring\n"
		"trust_until = %s\n"
		"file = @PKI@/capf-a-old.crt\n"
		"[anchor capf-b]\n"
		"role = lsc\n"
		"state = disabled\n"
		"file = @PKI@/capf-b.crt\n"
		"[anchor ent-ca]\n"
		"role = lsc\n"
		"file = @PKI@/ent-ca.crt\n"
		"[anchor mfg-int]\n"
		"role = mic\n"
		"file = @PKI@/mfg-int.crt\n"
		"[anchor legacy-int]\n"
		"role = mic\n"
		"state = retiring\n"
		"trust_until = %s\n"
		"file = @PKI@/legacy-int.crt\n",
		unit_time_text(fx.ctx, fx.until), unit_time_text(fx.ctx, fx.legacy_until)));
	return 0;
}

static int fixture_teardown(UNUSED void **state)
{
	talloc_free(fx.ctx);
	memset(&fx, 0, sizeof(fx));
	return 0;
}

/**
 * Invariants every decision keeps, whatever its reason.  An accept is true of the record: its
 * chain verified directly under the anchor the decision names, whose role is the kind.
 */
static void check_invariants(pc_decision_t const *d, pc_cert_t const *cert, char const *what)
{
	if (pc_decision_accepts(d) != pc_reason_is_accept(d->reason)) fail_msg("%s: accepts() disagrees", what);
	if (memchr(d->detail, '\0', sizeof(d->detail)) == NULL) fail_msg("%s: detail not terminated", what);
	if (strcmp(pc_reason_name(d->reason), "unknown") == 0) fail_msg("%s: reason %d not in the table", what, d->reason);
	if (pc_decision_accepts(d)) {
		pc_device_t device;

		if (!d->anchor || !d->have_device) fail_msg("%s: accepted without anchor or device", what);
		if (d->reason == PC_REASON_MIC_ACCEPTED && d->kind != PC_KIND_MIC) {
			fail_msg("%s: %s but kind %s", what, pc_reason_name(d->reason), pc_kind_name(d->kind));
		}
		if (d->reason != PC_REASON_MIC_ACCEPTED && d->kind != PC_KIND_LSC) {
			fail_msg("%s: %s but kind %s", what, pc_reason_name(d->reason), pc_kind_name(d->kind));
		}
		if (d->anchor->role != (d->kind == PC_KIND_LSC ? PC_ROLE_LSC : PC_ROLE_MIC)) {
			fail_msg("%s: kind %s from a %s anchor", what, pc_kind_name(d->kind), pc_role_name(d->anchor->role));
		}
		if (d->anchor->state == PC_STATE_DISABLED) fail_msg("%s: accepted under a disabled anchor", what);
		if (!cert) fail_msg("%s: accepted without a record", what);
		if (cert->verify_error != 0 || cert->untrusted != 1 || !(cert->flags & PC_CHAIN_ISSUER_TRUSTED)) {
			fail_msg("%s: accepted a record of a chain that did not verify under an anchor", what);
		}
		if (strcmp(cert->issuer_fp, d->anchor->fingerprint) != 0) fail_msg("%s: anchor is not the record's", what);
		if (cert->cn_status != PC_CN_OK || !pc_device_from_cn(cert->cn, strlen(cert->cn), &device) ||
		    strcmp(device.name, d->device.name) != 0) {
			fail_msg("%s: device %s is not the certificate's CN '%s'", what, d->device.name, cert->cn);
		}
	} else if (d->detail[0] == '\0') {
		fail_msg("%s: refusal %s without detail", what, pc_reason_name(d->reason));
	}
}

/*
 *	The table.
 */
typedef enum {
	POL_BASE = 0,
	POL_MIC_DENY,
	POL_MIC_UNTIL_PAST,	//!< mic_until = now - 1 day
	POL_MIC_UNTIL_FUTURE,	//!< mic_until = now + 5 days
	POL_LEGACY		//!< legacy = yes: the chain verified at security level 0
} policy_variant_t;

typedef enum {
	AT_NOW = 0,
	AT_UNTIL_MINUS_1,	//!< One second before capf-a-old's window closes.
	AT_UNTIL,		//!< The instant it closes.
	AT_UNTIL_PLUS_DAY,
	AT_MIC_EXPIRED,		//!< A day after mic-8861's notAfter (its CA still valid).
	AT_ANCHOR_EXPIRED,	//!< A day after capf-a-old's notAfter.
	AT_BEFORE_LSC_A		//!< A day before lsc-a's notBefore.
} at_t;

typedef enum {
	DL_NONE = 0,
	DL_UNTIL,		//!< deadline = capf-a-old's trust_until
	DL_LEGACY_UNTIL,	//!< deadline = legacy-int's trust_until
	DL_MIC_UNTIL		//!< deadline = mic_until
} deadline_t;

#define VERIFIED true
#define REFUSED false

typedef struct {
	char const		*leaf;		//!< PKI_DIR/LEAF.chain.pem is what the phone sends.
	char const		*sent;		//!< More CAs it sends along, or NULL.
	policy_variant_t	policy;
	at_t			verified_at;	//!< The handshake (the record).
	at_t			decided_at;	//!< The decision: later than the handshake for a resumed session.
	bool			verified;	//!< Whether OpenSSL verified the chain (pc_decide, else pc_diagnose).
	pc_reason_t		reason;
	pc_kind_t		kind;
	char const		*anchor;	//!< Anchor name expected in the decision, or NULL.
	deadline_t		deadline;
	char const		*detail;	//!< Substring of the detail, or NULL.
} decide_case_t;

static decide_case_t const decide_cases[] = {
	/* LSCs of the active CAPF, in both name forms and key types. */
	{ "lsc-a", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC, "capf-a", DL_NONE, NULL },
	{ "lsc-a-ec", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC, "capf-a", DL_NONE,
	  NULL },
	/* The MIC policy does not touch LSCs. */
	{ "lsc-a", NULL, POL_MIC_DENY, AT_NOW, AT_NOW, VERIFIED, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC, "capf-a", DL_NONE,
	  NULL },
	{ "lsc-a", NULL, POL_MIC_UNTIL_PAST, AT_NOW, AT_NOW, VERIFIED, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC, "capf-a",
	  DL_NONE, NULL },
	/* CAPF in online-CA mode: the enterprise CA is the LSC anchor. */
	{ "lsc-ent", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC, "ent-ca", DL_NONE,
	  NULL },

	/* The retiring CAPF: admitted with the deadline until trust_until; from then on OpenSSL no
	 * longer completes the chain and the diagnosis names the closed window. */
	{ "lsc-a-old", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_LSC_RETIRING_ACCEPTED, PC_KIND_LSC,
	  "capf-a-old", DL_UNTIL, NULL },
	{ "lsc-a-old", NULL, POL_BASE, AT_UNTIL_MINUS_1, AT_UNTIL_MINUS_1, VERIFIED, PC_REASON_LSC_RETIRING_ACCEPTED,
	  PC_KIND_LSC, "capf-a-old", DL_UNTIL, NULL },
	{ "lsc-a-old", NULL, POL_BASE, AT_UNTIL, AT_UNTIL, REFUSED, PC_REASON_CAPF_WINDOW_CLOSED, PC_KIND_LSC,
	  "capf-a-old", DL_UNTIL, "capf-a-old" },
	{ "lsc-a-old", NULL, POL_BASE, AT_UNTIL_PLUS_DAY, AT_UNTIL_PLUS_DAY, REFUSED, PC_REASON_CAPF_WINDOW_CLOSED,
	  PC_KIND_LSC, "capf-a-old", DL_UNTIL, "trusted until" },
	/* A session resumed after the window closed: the record is old, the decision is today's. */
	{ "lsc-a-old", NULL, POL_BASE, AT_NOW, AT_UNTIL, VERIFIED, PC_REASON_CAPF_WINDOW_CLOSED, PC_KIND_LSC,
	  "capf-a-old", DL_UNTIL, "trusted until" },
	{ "lsc-a-old", NULL, POL_BASE, AT_NOW, AT_ANCHOR_EXPIRED, VERIFIED, PC_REASON_ANCHOR_EXPIRED, PC_KIND_LSC,
	  "capf-a-old", DL_NONE, "capf-a-old" },

	/* Disabled, not uploaded, forged. */
	{ "lsc-b", NULL, POL_BASE, AT_NOW, AT_NOW, REFUSED, PC_REASON_CAPF_DISABLED, PC_KIND_LSC, "capf-b", DL_NONE,
	  "capf-b" },
	{ "lsc-c", NULL, POL_BASE, AT_NOW, AT_NOW, REFUSED, PC_REASON_CAPF_NOT_UPLOADED, PC_KIND_LSC, NULL, DL_NONE,
	  "CAPF-0badc0de" },
	{ "lsc-rogue", NULL, POL_BASE, AT_NOW, AT_NOW, REFUSED, PC_REASON_CAPF_KEY_MISMATCH, PC_KIND_UNKNOWN, NULL,
	  DL_NONE, "CAPF-a6d4c572" },
	{ "lsc-rogue-ski", NULL, POL_BASE, AT_NOW, AT_NOW, REFUSED, PC_REASON_SIGNATURE_INVALID, PC_KIND_UNKNOWN, NULL,
	  DL_NONE, "CAPF-a6d4c572" },
	{ "host-deep", NULL, POL_BASE, AT_NOW, AT_NOW, REFUSED, PC_REASON_CHAIN_TOO_DEEP, PC_KIND_UNKNOWN, NULL, DL_NONE,
	  "Deep Intermediate 2" },
	{ "host-via-unuploaded", NULL, POL_BASE, AT_NOW, AT_NOW, REFUSED, PC_REASON_ISSUER_UNKNOWN, PC_KIND_UNKNOWN,
	  NULL, DL_NONE, "Unuploaded Intermediate" },
	/* ... and with its root sent along too: a self-signed CA nobody uploaded. */
	{ "host-via-unuploaded", "mfg-root", POL_BASE, AT_NOW, AT_NOW, REFUSED, PC_REASON_ISSUER_UNKNOWN,
	  PC_KIND_UNKNOWN, NULL, DL_NONE, "self-signed CA" },

	/* MICs and the MIC policy. */
	{ "mic-8861", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_MIC_ACCEPTED, PC_KIND_MIC, "mfg-int", DL_NONE,
	  NULL },
	/* The phone sends the manufacturing CA along: still directly under the uploaded one. */
	{ "mic-8861-fullchain", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_MIC_ACCEPTED, PC_KIND_MIC, "mfg-int",
	  DL_NONE, NULL },
	{ "mic-8861", NULL, POL_MIC_DENY, AT_NOW, AT_NOW, VERIFIED, PC_REASON_MIC_DENIED, PC_KIND_MIC, "mfg-int", DL_NONE,
	  "mic = deny" },
	{ "mic-8861", NULL, POL_MIC_UNTIL_PAST, AT_NOW, AT_NOW, VERIFIED, PC_REASON_MIC_CUTOFF_PASSED, PC_KIND_MIC,
	  "mfg-int", DL_NONE, "MICs admitted until" },
	{ "mic-8861", NULL, POL_MIC_UNTIL_FUTURE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_MIC_ACCEPTED, PC_KIND_MIC,
	  "mfg-int", DL_MIC_UNTIL, NULL },
	/* Expired MICs: refused by OpenSSL, or by the decision on a resumed session. */
	{ "mic-expired", NULL, POL_BASE, AT_NOW, AT_NOW, REFUSED, PC_REASON_MIC_EXPIRED, PC_KIND_MIC, "mfg-int", DL_NONE,
	  "has expired" },
	{ "mic-8861", NULL, POL_BASE, AT_MIC_EXPIRED, AT_MIC_EXPIRED, REFUSED, PC_REASON_MIC_EXPIRED, PC_KIND_MIC,
	  "mfg-int", DL_NONE, NULL },
	{ "mic-8861", NULL, POL_BASE, AT_NOW, AT_MIC_EXPIRED, VERIFIED, PC_REASON_MIC_EXPIRED, PC_KIND_MIC, "mfg-int",
	  DL_NONE, "expired" },
	/* SHA-1 chain: refused at security level 2; with legacy = yes a MIC under a retiring
	 * manufacturing CA, admitted as a MIC with the window's end. */
	{ "mic-legacy", NULL, POL_BASE, AT_NOW, AT_NOW, REFUSED, PC_REASON_WEAK_SIGNATURE, PC_KIND_MIC, "legacy-int",
	  DL_NONE, "Test CAP-RTP-002" },
	{ "mic-legacy", NULL, POL_LEGACY, AT_NOW, AT_NOW, VERIFIED, PC_REASON_MIC_ACCEPTED, PC_KIND_MIC, "legacy-int",
	  DL_LEGACY_UNTIL, NULL },
	/* A genuine Cisco certificate that is not a phone's. */
	{ "sudi-switch", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_NOT_A_PHONE, PC_KIND_MIC, "mfg-int",
	  DL_NONE, "C9300-48P" },

	/* Dates. */
	{ "lsc-expired", NULL, POL_BASE, AT_NOW, AT_NOW, REFUSED, PC_REASON_CERT_EXPIRED, PC_KIND_LSC, "capf-a", DL_NONE,
	  "has expired" },
	{ "host-future", NULL, POL_BASE, AT_NOW, AT_NOW, REFUSED, PC_REASON_CERT_NOT_YET_VALID, PC_KIND_LSC, "capf-a",
	  DL_NONE, "valid from " },
	{ "lsc-a", NULL, POL_BASE, AT_NOW, AT_BEFORE_LSC_A, VERIFIED, PC_REASON_CERT_NOT_YET_VALID, PC_KIND_UNKNOWN, NULL,
	  DL_NONE, "valid from" },

	/* Hostile or odd leaves under the active CAPF: OpenSSL verifies the chain, the decision refuses. */
	{ "host-nul-cn", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_MALFORMED_CERT, PC_KIND_UNKNOWN, NULL,
	  DL_NONE, "NUL" },
	{ "host-two-cn", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_MALFORMED_CERT, PC_KIND_UNKNOWN, NULL,
	  DL_NONE, "several CNs" },
	{ "host-long-cn", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_MALFORMED_CERT, PC_KIND_UNKNOWN, NULL,
	  DL_NONE, "CN longer than 64 bytes" },
	{ "host-nonascii", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_MALFORMED_CERT, PC_KIND_UNKNOWN, NULL,
	  DL_NONE, "non-ASCII" },
	{ "host-lower-sep", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_NOT_A_PHONE, PC_KIND_LSC, "capf-a",
	  DL_NONE, "sep0011223344aa" },
	{ "host-short-mac", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_NOT_A_PHONE, PC_KIND_LSC, "capf-a",
	  DL_NONE, "SEP00112233445" },
	{ "host-leaf-ca", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_LEAF_IS_CA, PC_KIND_UNKNOWN, NULL, DL_NONE,
	  "CA:TRUE" },
	/* RFC 5280 limits that CAPF and Cisco's CAs keep: a key identifier for the issuer, 20-byte serials. */
	{ "host-no-ski-aki", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_MALFORMED_CERT, PC_KIND_LSC, "capf-a",
	  DL_NONE, "no authority key identifier" },
	{ "host-big-serial", NULL, POL_BASE, AT_NOW, AT_NOW, VERIFIED, PC_REASON_MALFORMED_CERT, PC_KIND_UNKNOWN, NULL,
	  DL_NONE, "longer than 20 bytes" },
	/* Refused by OpenSSL: the TLS client purpose, the key size of security level 2. */
	{ "host-wrong-eku", NULL, POL_BASE, AT_NOW, AT_NOW, REFUSED, PC_REASON_BAD_KEY_PURPOSE, PC_KIND_LSC, "capf-a",
	  DL_NONE, "without clientAuth" },
	{ "host-rsa1024", NULL, POL_BASE, AT_NOW, AT_NOW, REFUSED, PC_REASON_WEAK_KEY, PC_KIND_LSC, "capf-a", DL_NONE,
	  NULL },
	{ "host-rsa1024", NULL, POL_LEGACY, AT_NOW, AT_NOW, VERIFIED, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC, "capf-a",
	  DL_NONE, NULL },
};

static time_t at_time(at_t at)
{
	switch (at) {
	case AT_NOW: return fx.now;
	case AT_UNTIL_MINUS_1: return fx.until - 1;
	case AT_UNTIL: return fx.until;
	case AT_UNTIL_PLUS_DAY: return fx.until + UNIT_DAY;
	case AT_MIC_EXPIRED: return unit_cert_not_after("mic-8861") + UNIT_DAY;
	case AT_ANCHOR_EXPIRED: return unit_cert_not_after("capf-a-old") + UNIT_DAY;
	case AT_BEFORE_LSC_A: return unit_cert_not_before("lsc-a") - UNIT_DAY;
	}
	fail();
	return 0;
}

static void apply_policy(pc_config_t *cfg, policy_variant_t variant)
{
	*cfg = *fx.cfg;
	switch (variant) {
	case POL_BASE: break;
	case POL_MIC_DENY: cfg->policy.mic_allowed = false; break;
	case POL_MIC_UNTIL_PAST: cfg->policy.mic_until = fx.now - UNIT_DAY; break;
	case POL_MIC_UNTIL_FUTURE: cfg->policy.mic_until = fx.now + 5 * UNIT_DAY; break;
	case POL_LEGACY: cfg->policy.legacy = true; break;
	}
}

static void test_decide_table(void **state)
{
	TALLOC_CTX *ctx = *state;
	size_t i;

	for (i = 0; i < UNIT_COUNT(decide_cases); i++) {
		decide_case_t const *c = &decide_cases[i];
		pc_config_t cfg;
		pc_cert_t cert;
		pc_decision_t d;
		time_t deadline = 0, decided_at = at_time(c->decided_at);
		bool verified;
		char *what = talloc_asprintf(ctx, "case %zu (%s%s%s)", i, c->leaf, c->sent ? " + " : "",
					     c->sent ? c->sent : "");

		apply_policy(&cfg, c->policy);
		verified = unit_record_sent(&cfg, c->leaf, c->sent, at_time(c->verified_at), &cert);
		if (verified != c->verified) {
			fail_msg("%s: the chain %s (OpenSSL error %d at depth %d), the table says it %s", what,
				 verified ? "verified" : "was refused", cert.verify_error, cert.error_depth,
				 c->verified ? "verifies" : "is refused");
		}
		memset(&d, 0x5a, sizeof(d));
		if (verified) {
			pc_decide(&cfg, &cert, NULL, NULL, decided_at, &d);
		} else {
			pc_diagnose(&cfg, &cert, cert.verify_error, NULL, decided_at, &d);
		}

		if (d.reason != c->reason) {
			fail_msg("%s: %s (%s), expected %s", what, pc_reason_name(d.reason), d.detail, pc_reason_name(c->reason));
		}
		if (d.kind != c->kind) fail_msg("%s: kind %s, expected %s", what, pc_kind_name(d.kind), pc_kind_name(c->kind));
		if (c->anchor) {
			if (!d.anchor || strcmp(d.anchor->name, c->anchor) != 0) {
				fail_msg("%s: anchor %s, expected %s", what, d.anchor ? d.anchor->name : "(none)", c->anchor);
			}
		} else if (d.anchor) {
			fail_msg("%s: anchor %s, expected none", what, d.anchor->name);
		}
		switch (c->deadline) {
		case DL_NONE: deadline = 0; break;
		case DL_UNTIL: deadline = fx.until; break;
		case DL_LEGACY_UNTIL: deadline = fx.legacy_until; break;
		case DL_MIC_UNTIL: deadline = cfg.policy.mic_until; break;
		}
		if (d.deadline != deadline) {
			fail_msg("%s: deadline %lld, expected %lld", what, (long long)d.deadline, (long long)deadline);
		}
		if (c->detail) assert_contains(d.detail, c->detail);
		assert_false(d.mac_mismatch);
		check_invariants(&d, &cert, what);

		/* A refused chain's record never gets an accept from the decision either. */
		if (!verified) {
			pc_decide(&cfg, &cert, NULL, NULL, decided_at, &d);
			if (pc_decision_accepts(&d)) fail_msg("%s: pc_decide accepted a refused chain's record", what);
			check_invariants(&d, &cert, what);
		}
	}
}

/* What an accepted phone is known as: the device name, MAC, model, PID and SN. */
static void test_decide_device(UNUSED void **state)
{
	pc_decision_t d;

	assert_true(unit_judge(fx.cfg, "lsc-a", NULL, fx.now, &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);
	assert_true(d.have_device);
	assert_string_equal(d.device.name, "SEPB000B4BA0AEE");
	assert_string_equal(d.device.mac, "B000B4BA0AEE");
	assert_string_equal(d.device.model, "CP-8861");
	assert_string_equal(d.device.pid, "CP-8861");
	assert_string_equal(d.device.sn, "FCH18198CNQ");
	assert_string_equal(d.detail, "");
	assert_int_equal(d.deadline, 0);

	assert_true(unit_judge(fx.cfg, "mic-8861", NULL, fx.now, &d));
	assert_int_equal(d.reason, PC_REASON_MIC_ACCEPTED);
	assert_string_equal(d.device.name, "SEP2C3124C9F8E1");
	assert_string_equal(d.device.sn, "FCH2133E8B9");

	assert_true(unit_judge(fx.cfg, "lsc-a-ec", NULL, fx.now, &d));
	assert_string_equal(d.device.name, "SEP001E7AC3D1AB");
	assert_string_equal(d.device.model, "");
	assert_string_equal(d.device.pid, "");

	/* A refusal for the certificate's shape says nothing about a device or an anchor. */
	assert_true(unit_judge(fx.cfg, "host-two-cn", NULL, fx.now, &d));
	assert_false(d.have_device);
	assert_null(d.anchor);
}

/*
 *	MAC binding: the MAC of the certificate against Calling-Station-Id, in every notation.
 */
typedef struct {
	char const		*leaf;
	pc_mac_binding_t	mode;
	char const		*csid;
	pc_reason_t		reason;
	bool			mismatch;
	char const		*detail;
} mac_case_t;

static mac_case_t const mac_cases[] = {
	{ "lsc-a", PC_MAC_BINDING_ENFORCE, "B0-00-B4-BA-0A-EE", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a", PC_MAC_BINDING_ENFORCE, "b0-00-b4-ba-0a-ee", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a", PC_MAC_BINDING_ENFORCE, "b0:00:b4:ba:0a:ee", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a", PC_MAC_BINDING_ENFORCE, "b000.b4ba.0aee", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a", PC_MAC_BINDING_ENFORCE, "B000B4BA0AEE", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a-ec", PC_MAC_BINDING_ENFORCE, "00-1e-7a-c3-d1-ab", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "mic-8861", PC_MAC_BINDING_ENFORCE, "2c31.24c9.f8e1", PC_REASON_MIC_ACCEPTED, false, NULL },
	{ "lsc-a-old", PC_MAC_BINDING_ENFORCE, "00:A1:B2:C3:D4:E5", PC_REASON_LSC_RETIRING_ACCEPTED, false, NULL },

	/* enforce: another MAC, none, or not a MAC. */
	{ "lsc-a", PC_MAC_BINDING_ENFORCE, "B0-00-B4-BA-0A-EF", PC_REASON_MAC_MISMATCH, false,
	  "certificate MAC B0:00:B4:BA:0A:EE, Calling-Station-Id B0:00:B4:BA:0A:EF" },
	{ "mic-8861", PC_MAC_BINDING_ENFORCE, "00-11-22-33-44-55", PC_REASON_MAC_MISMATCH, false, "2C:31:24:C9:F8:E1" },
	{ "lsc-a", PC_MAC_BINDING_ENFORCE, NULL, PC_REASON_MAC_MISSING, false, NULL },
	{ "lsc-a", PC_MAC_BINDING_ENFORCE, "", PC_REASON_MAC_MISSING, false, NULL },
	{ "lsc-a", PC_MAC_BINDING_ENFORCE, "B0-00-B4-BA:0A:EE", PC_REASON_MAC_MISSING, false, "B0-00-B4-BA:0A:EE" },
	{ "lsc-a", PC_MAC_BINDING_ENFORCE, "SEPB000B4BA0AEE", PC_REASON_MAC_MISSING, false, NULL },

	/* log: admitted, the mismatch flagged and described. */
	{ "lsc-a", PC_MAC_BINDING_LOG, "b0:00:b4:ba:0a:ee", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a", PC_MAC_BINDING_LOG, "00-11-22-33-44-55", PC_REASON_LSC_ACCEPTED, true,
	  "Calling-Station-Id 00:11:22:33:44:55 (logged only)" },
	{ "mic-8861", PC_MAC_BINDING_LOG, "001122334455", PC_REASON_MIC_ACCEPTED, true, "(logged only)" },
	{ "lsc-a", PC_MAC_BINDING_LOG, NULL, PC_REASON_LSC_ACCEPTED, true, "no usable Calling-Station-Id" },

	/* off: not compared at all. */
	{ "lsc-a", PC_MAC_BINDING_OFF, "00-11-22-33-44-55", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a", PC_MAC_BINDING_OFF, NULL, PC_REASON_LSC_ACCEPTED, false, NULL },

	/* MAC binding never rescues or replaces an earlier refusal. */
	{ "sudi-switch", PC_MAC_BINDING_ENFORCE, "B0-00-B4-BA-0A-EF", PC_REASON_NOT_A_PHONE, false, NULL },
	{ "host-leaf-ca", PC_MAC_BINDING_LOG, "00-11-22-33-44-B1", PC_REASON_LEAF_IS_CA, false, NULL },
	{ "mic-8861", PC_MAC_BINDING_LOG, "2c31.24c9.f8e2", PC_REASON_MIC_ACCEPTED, true, NULL },
};

static void test_decide_mac_binding(void **state)
{
	TALLOC_CTX *ctx = *state;
	size_t i;

	for (i = 0; i < UNIT_COUNT(mac_cases); i++) {
		mac_case_t const *c = &mac_cases[i];
		pc_config_t cfg = *fx.cfg;
		pc_cert_t cert;
		pc_decision_t d;
		char *what = talloc_asprintf(ctx, "case %zu (%s, %s, '%s')", i, c->leaf, pc_mac_binding_name(c->mode),
					     c->csid ? c->csid : "(null)");

		cfg.policy.mac_binding = c->mode;
		if (!unit_record(&cfg, c->leaf, fx.now, &cert)) fail_msg("%s: chain refused", what);
		pc_decide(&cfg, &cert, NULL, c->csid, fx.now, &d);
		if (d.reason != c->reason) {
			fail_msg("%s: %s (%s), expected %s", what, pc_reason_name(d.reason), d.detail, pc_reason_name(c->reason));
		}
		if (d.mac_mismatch != c->mismatch) fail_msg("%s: mac_mismatch %d", what, d.mac_mismatch);
		if (c->detail) assert_contains(d.detail, c->detail);
		check_invariants(&d, &cert, what);
	}
}

/* No record reached the decision (a TLS 1.3 resumption, or one that did not decode). */
static void test_decide_no_record(UNUSED void **state)
{
	pc_cert_t cert;
	pc_decision_t d;

	memset(&d, 0x5a, sizeof(d));
	pc_decide(fx.cfg, NULL, NULL, "B0-00-B4-BA-0A-EE", fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_NO_CERT_FACTS);
	assert_false(pc_decision_accepts(&d));
	assert_null(d.anchor);
	assert_false(d.have_device);
	assert_int_equal(d.kind, PC_KIND_UNKNOWN);
	assert_int_equal(d.deadline, 0);
	check_invariants(&d, NULL, "NULL record");

	/* Strings alone never stand in for the record. */
	{
		pc_cert_facts_t facts;

		unit_facts(fx.ctx, "lsc-a", "capf-a", &facts);
		pc_decide(fx.cfg, NULL, &facts, "B0-00-B4-BA-0A-EE", fx.now, &d);
		assert_int_equal(d.reason, PC_REASON_NO_CERT_FACTS);
	}

	/* No configuration: nothing to decide against. */
	assert_true(unit_record(fx.cfg, "lsc-a", fx.now, &cert));
	pc_decide(NULL, &cert, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_NO_CERT_FACTS);

	/* An all-zero record (what a failed decode leaves) is no verified chain. */
	memset(&cert, 0, sizeof(cert));
	pc_decide(fx.cfg, &cert, NULL, NULL, fx.now, &d);
	assert_false(pc_decision_accepts(&d));
	check_invariants(&d, &cert, "zero record");
}

/*
 * A record verified under an anchor that a reload has since removed: the fingerprint finds
 * nothing in the new configuration.
 */
static void test_decide_anchor_removed(UNUSED void **state)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	pc_config_t *after = unit_config(ctx, "[anchor capf-b]\nrole = lsc\nfile = @PKI@/capf-b.crt\n");
	pc_cert_t cert;
	pc_decision_t d;

	assert_true(unit_record(fx.cfg, "lsc-a", fx.now, &cert));
	pc_decide(after, &cert, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_CAPF_NOT_UPLOADED);
	assert_int_equal(d.kind, PC_KIND_LSC);
	assert_null(d.anchor);
	assert_contains(d.detail, "CAPF-a6d4c572, which is no longer uploaded");
	check_invariants(&d, &cert, "lsc-a after capf-a's removal");

	assert_true(unit_record(fx.cfg, "mic-8861", fx.now, &cert));
	pc_decide(after, &cert, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_ISSUER_UNKNOWN);
	assert_int_equal(d.kind, PC_KIND_UNKNOWN);
	assert_null(d.anchor);
	assert_contains(d.detail, "Test Cisco Manufacturing CA SHA2");

	/* The enterprise CA is an LSC anchor without a CAPF- name: nothing says it was a CAPF. */
	assert_true(unit_record(fx.cfg, "lsc-ent", fx.now, &cert));
	pc_decide(after, &cert, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_ISSUER_UNKNOWN);
	talloc_free(ctx);
}

/* A reload that disables the anchor, or changes its role, applies to a record made before it. */
static void test_decide_anchor_changed(UNUSED void **state)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	pc_config_t *disabled = unit_config(ctx, "[anchor capf-a]\nrole = lsc\nstate = disabled\nfile = @PKI@/capf-a.crt\n"
					    "[anchor mfg-int]\nrole = mic\nstate = disabled\nfile = @PKI@/mfg-int.crt\n");
	pc_config_t *as_mic = unit_config(ctx, "[anchor capf-a]\nrole = mic\nfile = @PKI@/capf-a.crt\n");
	pc_cert_t cert;
	pc_decision_t d;

	assert_true(unit_record(fx.cfg, "lsc-a", fx.now, &cert));
	pc_decide(disabled, &cert, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_CAPF_DISABLED);
	assert_string_equal(d.anchor->name, "capf-a");
	pc_decide(as_mic, &cert, NULL, "B0-00-B4-BA-0A-EE", fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MIC_ACCEPTED);
	assert_int_equal(d.kind, PC_KIND_MIC);
	check_invariants(&d, &cert, "capf-a as a mic anchor");

	assert_true(unit_record(fx.cfg, "mic-8861", fx.now, &cert));
	pc_decide(disabled, &cert, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_CAPF_DISABLED);
	assert_int_equal(d.kind, PC_KIND_MIC);
	talloc_free(ctx);
}

/*
 * Only a chain whose issuing CA is itself an uploaded anchor, and the leaf the only certificate
 * the phone contributed, is admitted.
 */
static void test_decide_chain_not_anchored(UNUSED void **state)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	pc_config_t *root = unit_config(ctx,
		"[anchor mfg-root]\nrole = mic\nfile = @PKI@/mfg-root.crt\n"
		"[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n");
	static struct {
		char const	*leaf;
		char const	*issuer;	//!< Named in the detail.
	} const real[] = {
		/* Only the root uploaded: the phone's intermediate completes the chain. */
		{ "mic-8861-fullchain", "Test Cisco Manufacturing CA SHA2" },
		{ "host-via-unuploaded", "Unuploaded Intermediate" },
	};
	pc_cert_t cert, edited;
	pc_decision_t d;
	size_t i;

	for (i = 0; i < UNIT_COUNT(real); i++) {
		if (!unit_record(root, real[i].leaf, fx.now, &cert)) fail_msg("%s: chain refused", real[i].leaf);
		assert_int_equal(cert.untrusted, 2);
		pc_decide(root, &cert, NULL, NULL, fx.now, &d);
		if (d.reason != PC_REASON_CHAIN_NOT_ANCHORED) {
			fail_msg("%s: %s (%s)", real[i].leaf, pc_reason_name(d.reason), d.detail);
		}
		assert_contains(d.detail, real[i].issuer);
		assert_contains(d.detail, "2 of the 3");
		assert_null(d.anchor);
		check_invariants(&d, &cert, real[i].leaf);
	}

	/* A verified record is edited to say each thing that must refuse it. */
	assert_true(unit_record(fx.cfg, "lsc-a", fx.now, &cert));
	pc_decide(fx.cfg, &cert, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);
	for (i = 0; i < 6; i++) {
		pc_reason_t want = PC_REASON_CHAIN_NOT_ANCHORED;

		edited = cert;
		switch (i) {
		case 0: edited.untrusted = 2; edited.chain_length = 3; break;
		case 1: edited.untrusted = 0; break;
		case 2: edited.chain_length = 1; break;
		case 3: edited.flags &= ~(uint32_t)PC_CHAIN_ISSUER_TRUSTED; break;
		case 4: edited.flags = (edited.flags & ~(uint32_t)PC_CHAIN_ISSUER_TRUSTED) | PC_CHAIN_SIGNER_FOUND; break;
		case 5: edited.verify_error = X509_V_ERR_CERT_HAS_EXPIRED; want = PC_REASON_TLS_FAILED; break;
		}
		pc_decide(fx.cfg, &edited, NULL, NULL, fx.now, &d);
		if (d.reason != want) fail_msg("edit %zu: %s (%s), expected %s", i, pc_reason_name(d.reason), d.detail,
					       pc_reason_name(want));
	}
	/* A fingerprint that is no anchor's, with the rest of a verified record. */
	edited = cert;
	memset(edited.issuer_fp, '0', PC_FINGERPRINT_HEX - 1);
	pc_decide(fx.cfg, &edited, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_CAPF_NOT_UPLOADED);
	edited.issuer_fp[0] = '\0';
	pc_decide(fx.cfg, &edited, NULL, NULL, fx.now, &d);
	assert_false(pc_decision_accepts(&d));
	talloc_free(ctx);
}

/* The authority key identifier must name the key of the anchor that verified the leaf. */
static void test_decide_aki_names_anchor(UNUSED void **state)
{
	pc_cert_t cert, edited;
	pc_decision_t d;
	unsigned int i;

	assert_true(unit_record(fx.cfg, "lsc-a", fx.now, &cert));
	assert_true(cert.flags & PC_CERT_AKI_KEYID);
	assert_int_equal(cert.aki_len, 20);
	pc_decide(fx.cfg, &cert, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);

	/* Any byte, any nibble of it, changed: another key. */
	for (i = 0; i < 2 * cert.aki_len; i++) {
		edited = cert;
		edited.aki[i / 2] ^= (unsigned char)(i % 2 ? 0x01 : 0x10);
		pc_decide(fx.cfg, &edited, NULL, NULL, fx.now, &d);
		if (d.reason != PC_REASON_MALFORMED_CERT) fail_msg("AKI nibble %u changed: %s", i, pc_reason_name(d.reason));
		assert_contains(d.detail, "authority key identifier names another key");
	}
	/* A prefix of the key id, and one byte more. */
	edited = cert;
	edited.aki_len = 19;
	pc_decide(fx.cfg, &edited, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);
	edited = cert;
	edited.aki[20] = 0;
	edited.aki_len = 21;
	pc_decide(fx.cfg, &edited, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);
	/* The key id of the other CAPF of the same name (the rollover pair). */
	{
		pc_cert_t old;

		assert_true(unit_record(fx.cfg, "lsc-a-old", fx.now, &old));
		edited = cert;
		memcpy(edited.aki, old.aki, old.aki_len);
		edited.aki_len = old.aki_len;
		pc_decide(fx.cfg, &edited, NULL, NULL, fx.now, &d);
		assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);
	}
	/* No key id: an LSC must have one, an old factory MIC may not. */
	edited = cert;
	edited.flags &= ~(uint32_t)PC_CERT_AKI_KEYID;
	edited.aki_len = 0;
	pc_decide(fx.cfg, &edited, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);
	assert_contains(d.detail, "no authority key identifier");
	assert_true(unit_record(fx.cfg, "mic-8861", fx.now, &cert));
	pc_decide(fx.cfg, &cert, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MIC_ACCEPTED);
	cert.flags &= ~(uint32_t)(PC_CERT_AKI | PC_CERT_AKI_KEYID);
	cert.aki_len = 0;
	pc_decide(fx.cfg, &cert, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MIC_ACCEPTED);
	cert.flags |= PC_CERT_AKI_KEYID;
	cert.aki_len = 1;
	pc_decide(fx.cfg, &cert, NULL, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);
}

/*
 *	FreeRADIUS's strings are only cross-checked: agreeing they change nothing, disagreeing
 *	they refuse.
 */
static void test_decide_cross_check(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t facts;
	pc_cert_t cert;
	pc_decision_t d;

	/* What FreeRADIUS would send for these certificates: accepted as without strings. */
	assert_true(unit_record(fx.cfg, "lsc-a", fx.now, &cert));
	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	pc_decide(fx.cfg, &cert, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);
	check_invariants(&d, &cert, "agreeing strings");
	assert_true(unit_record(fx.cfg, "mic-8861-fullchain", fx.now, &cert));
	unit_facts(ctx, "mic-8861-fullchain", "mfg-int", &facts);
	pc_decide(fx.cfg, &cert, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MIC_ACCEPTED);
	/* Strings that are absent are not checked. */
	memset(&facts, 0, sizeof(facts));
	pc_decide(fx.cfg, &cert, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MIC_ACCEPTED);

	/* Each of them disagreeing. */
	assert_true(unit_record(fx.cfg, "lsc-a", fx.now, &cert));
	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	facts.serial = "01";
	pc_decide(fx.cfg, &cert, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);
	assert_contains(d.detail, "TLS-Client-Cert-Serial '01'");

	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	{
		char *serial = talloc_strdup(ctx, facts.serial);

		serial[strlen(serial) - 1] = serial[strlen(serial) - 1] == 'f' ? 'e' : 'f';
		facts.serial = serial;
	}
	pc_decide(fx.cfg, &cert, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);

	/* The depth-1 subject of another CA: the one the phone sent, say. */
	unit_facts(ctx, "lsc-a", "capf-b", &facts);
	facts.serial = NULL;
	pc_decide(fx.cfg, &cert, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);
	assert_contains(d.detail, "TLS-Cert-Subject");

	/* rogue-a has capf-a's subject but is self-signed: its issuer is its own subject. */
	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	facts.issuer_issuer = "/O=Cisco/CN=Test Cisco Root CA M2";
	pc_decide(fx.cfg, &cert, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);
	assert_contains(d.detail, "TLS-Cert-Issuer");

	/* The MIC's depth-1 issuer is the manufacturing root, not mfg-int itself. */
	assert_true(unit_record(fx.cfg, "mic-8861", fx.now, &cert));
	unit_facts(ctx, "mic-8861", "mfg-int", &facts);
	assert_string_equal(facts.issuer_issuer, "/O=Cisco/CN=Test Cisco Root CA M2");
	facts.issuer_issuer = "/O=Cisco/CN=Test Cisco Manufacturing CA SHA2";
	pc_decide(fx.cfg, &cert, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);

	/* Strings never turn a refusal into anything else. */
	assert_true(unit_record(fx.cfg, "host-two-cn", fx.now, &cert));
	unit_facts(ctx, "host-two-cn", "capf-a", &facts);
	pc_decide(fx.cfg, &cert, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);
	assert_contains(d.detail, "several CNs");
}

/* The same input gives the same answer: no state leaks from one decision into the next. */
static void test_decide_is_pure(UNUSED void **state)
{
	pc_cert_t good, bad, old;
	pc_decision_t d1, d2, d3, d4, d5;

	assert_true(unit_record(fx.cfg, "lsc-a", fx.now, &good));
	assert_true(unit_record(fx.cfg, "host-nul-cn", fx.now, &bad));
	assert_true(unit_record(fx.cfg, "lsc-a-old", fx.now, &old));
	memset(&d1, 0x11, sizeof(d1));
	memset(&d3, 0x33, sizeof(d3));
	pc_decide(fx.cfg, &good, NULL, "B0-00-B4-BA-0A-EE", fx.now, &d1);
	pc_decide(fx.cfg, &bad, NULL, NULL, fx.now, &d2);
	pc_decide(fx.cfg, &old, NULL, NULL, fx.until, &d4);
	pc_decide(fx.cfg, &good, NULL, "B0-00-B4-BA-0A-EE", fx.now, &d3);
	assert_int_equal(d1.reason, PC_REASON_LSC_ACCEPTED);
	assert_int_equal(d2.reason, PC_REASON_MALFORMED_CERT);
	assert_int_equal(d4.reason, PC_REASON_CAPF_WINDOW_CLOSED);
	assert_memory_equal(&d1, &d3, sizeof(d1));
	pc_decide(fx.cfg, &old, NULL, NULL, fx.until, &d5);
	assert_memory_equal(&d4, &d5, sizeof(d4));

	/* The record is not written to. */
	{
		pc_cert_t copy = good;

		pc_decide(fx.cfg, &good, NULL, NULL, fx.now, &d1);
		assert_memory_equal(&copy, &good, sizeof(copy));
	}
}

/* Every leaf of the PKI, through the module's path: the invariants hold whatever the reason. */
static void test_decide_every_leaf(void **state)
{
	static char const *const leaves[] = {
		"lsc-a", "lsc-a-ec", "lsc-a-old", "lsc-b", "lsc-c", "lsc-ent", "lsc-rogue", "lsc-rogue-ski", "lsc-expired",
		"mic-8861", "mic-8861-fullchain", "mic-expired", "mic-legacy", "sudi-switch", "host-nul-cn", "host-two-cn",
		"host-long-cn", "host-nonascii", "host-lower-sep", "host-short-mac", "host-leaf-ca", "host-no-ski-aki",
		"host-big-serial", "host-rsa1024", "host-future", "host-deep", "host-via-unuploaded", "host-wrong-eku",
		"server",
	};
	static time_t const offsets[] = { 0, 30 * UNIT_DAY, 400 * UNIT_DAY, 4000 * UNIT_DAY };
	TALLOC_CTX *ctx = *state;
	unsigned int accepts = 0;
	size_t i, t;

	for (t = 0; t < UNIT_COUNT(offsets); t++) {
		for (i = 0; i < UNIT_COUNT(leaves); i++) {
			pc_cert_t cert;
			pc_decision_t d;
			time_t at = fx.now + offsets[t];
			char *what = talloc_asprintf(ctx, "%s at now + %lld days", leaves[i], (long long)(offsets[t] / UNIT_DAY));

			if (unit_record(fx.cfg, leaves[i], at, &cert)) {
				pc_decide(fx.cfg, &cert, NULL, NULL, at, &d);
			} else {
				pc_diagnose(fx.cfg, &cert, cert.verify_error, NULL, at, &d);
				if (pc_decision_accepts(&d)) fail_msg("%s: a diagnosis accepted", what);
			}
			check_invariants(&d, &cert, what);
			accepts += pc_decision_accepts(&d);
		}
	}
	/* lsc-a, lsc-a-ec, lsc-ent, mic-8861 and its full chain at every time but the last (LSCs
	 * last 2 years, MICs 10); lsc-a-old until its window closes after 30 days; host-future
	 * from 30 days on, when it becomes valid. */
	assert_int_equal(accepts, 6 + 6 + 6 + 0);
}

static void test_kind_names(UNUSED void **state)
{
	assert_string_equal(pc_kind_name(PC_KIND_LSC), "LSC");
	assert_string_equal(pc_kind_name(PC_KIND_MIC), "MIC");
	assert_string_equal(pc_kind_name(PC_KIND_UNKNOWN), "unknown");
	assert_string_equal(pc_kind_name((pc_kind_t)42), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_decide_table, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test(test_decide_device),
		cmocka_unit_test_setup_teardown(test_decide_mac_binding, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test(test_decide_no_record),
		cmocka_unit_test(test_decide_anchor_removed),
		cmocka_unit_test(test_decide_anchor_changed),
		cmocka_unit_test(test_decide_chain_not_anchored),
		cmocka_unit_test(test_decide_aki_names_anchor),
		cmocka_unit_test_setup_teardown(test_decide_cross_check, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test(test_decide_is_pure),
		cmocka_unit_test_setup_teardown(test_decide_every_leaf, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test(test_kind_names),
	};

	return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
