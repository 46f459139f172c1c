/**
 * @file test_decide.c
 * @brief The admission decision, on facts built from the real test PKI with pc_facts_from_x509().
 */
#include "unit.h"

#include <phonecert/decide.h>

/*
 *	One configuration for the whole file: an active CAPF, the same cluster's previous CAPF
 *	retiring, a disabled CAPF, the manufacturing CA, and the SHA-1 manufacturing chain
 *	retiring.  mac_binding = off here; the MAC tests set it on a copy of the policy.
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

/** Invariants every decision keeps, whatever its reason. */
static void check_invariants(pc_decision_t const *d, char const *what)
{
	if (pc_decision_accepts(d) != pc_reason_is_accept(d->reason)) fail_msg("%s: accepts() disagrees", what);
	if (memchr(d->detail, '\0', sizeof(d->detail)) == NULL) fail_msg("%s: detail not terminated", what);
	if (pc_decision_accepts(d)) {
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
	POL_MIC_UNTIL_FUTURE	//!< mic_until = now + 5 days
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

typedef struct {
	char const		*leaf;
	char const		*issuer;	//!< Depth-1 certificate (TLS-Cert-*), or NULL.
	policy_variant_t	policy;
	at_t			at;
	pc_reason_t		reason;
	pc_kind_t		kind;
	char const		*anchor;	//!< Anchor name expected in the decision, or NULL.
	deadline_t		deadline;
	char const		*detail;	//!< Substring of the detail, or NULL.
} decide_case_t;

static decide_case_t const decide_cases[] = {
	/* LSCs of the active CAPF, in both name forms and key types. */
	{ "lsc-a", "capf-a", POL_BASE, AT_NOW, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC, "capf-a", DL_NONE, NULL },
	{ "lsc-a-ec", "capf-a", POL_BASE, AT_NOW, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC, "capf-a", DL_NONE, NULL },
	/* The MIC policy does not touch LSCs. */
	{ "lsc-a", "capf-a", POL_MIC_DENY, AT_NOW, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC, "capf-a", DL_NONE, NULL },
	{ "lsc-a", "capf-a", POL_MIC_UNTIL_PAST, AT_NOW, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC, "capf-a", DL_NONE, NULL },

	/* The retiring CAPF: admitted with the deadline until trust_until, refused from then on. */
	{ "lsc-a-old", "capf-a-old", POL_BASE, AT_NOW, PC_REASON_LSC_RETIRING_ACCEPTED, PC_KIND_LSC, "capf-a-old",
	  DL_UNTIL, NULL },
	{ "lsc-a-old", "capf-a-old", POL_BASE, AT_UNTIL_MINUS_1, PC_REASON_LSC_RETIRING_ACCEPTED, PC_KIND_LSC,
	  "capf-a-old", DL_UNTIL, NULL },
	{ "lsc-a-old", "capf-a-old", POL_BASE, AT_UNTIL, PC_REASON_CAPF_WINDOW_CLOSED, PC_KIND_LSC, "capf-a-old",
	  DL_UNTIL, "capf-a-old" },
	{ "lsc-a-old", "capf-a-old", POL_BASE, AT_UNTIL_PLUS_DAY, PC_REASON_CAPF_WINDOW_CLOSED, PC_KIND_LSC,
	  "capf-a-old", DL_UNTIL, "trusted until" },

	/* Disabled, not uploaded, forged. */
	{ "lsc-b", "capf-b", POL_BASE, AT_NOW, PC_REASON_CAPF_DISABLED, PC_KIND_LSC, "capf-b", DL_NONE, "capf-b" },
	{ "lsc-c", "capf-c", POL_BASE, AT_NOW, PC_REASON_CAPF_NOT_UPLOADED, PC_KIND_UNKNOWN, NULL, DL_NONE,
	  "CAPF-0badc0de" },
	{ "lsc-ent", "ent-ca", POL_BASE, AT_NOW, PC_REASON_ISSUER_UNKNOWN, PC_KIND_UNKNOWN, NULL, DL_NONE,
	  "Example Enterprise Issuing CA" },
	{ "lsc-rogue", "rogue-a", POL_BASE, AT_NOW, PC_REASON_CAPF_KEY_MISMATCH, PC_KIND_UNKNOWN, NULL, DL_NONE,
	  "CAPF-a6d4c572" },
	{ "host-deep", "deep-int2", POL_BASE, AT_NOW, PC_REASON_CHAIN_NOT_ANCHORED, PC_KIND_UNKNOWN, NULL, DL_NONE,
	  "Deep Intermediate 2 (under Deep Intermediate 1)" },
	{ "host-via-unuploaded", "unuploaded-int", POL_BASE, AT_NOW, PC_REASON_CHAIN_NOT_ANCHORED, PC_KIND_UNKNOWN,
	  NULL, DL_NONE, "Unuploaded Intermediate" },
	{ "lsc-a-old", "capf-a-old", POL_BASE, AT_ANCHOR_EXPIRED, PC_REASON_ANCHOR_EXPIRED, PC_KIND_LSC, "capf-a-old",
	  DL_NONE, "capf-a-old" },
	/* No TLS-Cert-* (issuer) attributes: nothing to match the anchor with. */
	{ "lsc-a", NULL, POL_BASE, AT_NOW, PC_REASON_NO_CERT_FACTS, PC_KIND_UNKNOWN, NULL, DL_NONE, NULL },

	/* MICs and the MIC policy. */
	{ "mic-8861", "mfg-int", POL_BASE, AT_NOW, PC_REASON_MIC_ACCEPTED, PC_KIND_MIC, "mfg-int", DL_NONE, NULL },
	{ "mic-8861", "mfg-int", POL_MIC_DENY, AT_NOW, PC_REASON_MIC_DENIED, PC_KIND_MIC, "mfg-int", DL_NONE, NULL },
	{ "mic-8861", "mfg-int", POL_MIC_UNTIL_PAST, AT_NOW, PC_REASON_MIC_CUTOFF_PASSED, PC_KIND_MIC, "mfg-int",
	  DL_NONE, "MICs admitted until" },
	{ "mic-8861", "mfg-int", POL_MIC_UNTIL_FUTURE, AT_NOW, PC_REASON_MIC_ACCEPTED, PC_KIND_MIC, "mfg-int",
	  DL_MIC_UNTIL, NULL },
	{ "mic-8861", "mfg-int", POL_BASE, AT_MIC_EXPIRED, PC_REASON_MIC_EXPIRED, PC_KIND_MIC, "mfg-int", DL_NONE,
	  "expired" },
	{ "mic-expired", "mfg-int", POL_BASE, AT_NOW, PC_REASON_MIC_EXPIRED, PC_KIND_MIC, "mfg-int", DL_NONE, NULL },
	/* A MIC under a retiring manufacturing CA: admitted as a MIC, with the window's end. */
	{ "mic-legacy", "legacy-int", POL_BASE, AT_NOW, PC_REASON_MIC_ACCEPTED, PC_KIND_MIC, "legacy-int",
	  DL_LEGACY_UNTIL, NULL },
	/* A genuine Cisco certificate that is not a phone's. */
	{ "sudi-switch", "mfg-int", POL_BASE, AT_NOW, PC_REASON_NOT_A_PHONE, PC_KIND_MIC, "mfg-int", DL_NONE,
	  "C9300-48P" },

	/* Dates. */
	{ "lsc-expired", "capf-a", POL_BASE, AT_NOW, PC_REASON_CERT_EXPIRED, PC_KIND_LSC, "capf-a", DL_NONE, NULL },
	{ "host-future", "capf-a", POL_BASE, AT_NOW, PC_REASON_CERT_NOT_YET_VALID, PC_KIND_UNKNOWN, NULL, DL_NONE,
	  "valid from" },
	{ "lsc-a", "capf-a", POL_BASE, AT_BEFORE_LSC_A, PC_REASON_CERT_NOT_YET_VALID, PC_KIND_UNKNOWN, NULL, DL_NONE,
	  NULL },

	/* Hostile or odd leaves under the active CAPF. */
	{ "host-nul-cn", "capf-a", POL_BASE, AT_NOW, PC_REASON_MALFORMED_CERT, PC_KIND_UNKNOWN, NULL, DL_NONE, NULL },
	{ "host-two-cn", "capf-a", POL_BASE, AT_NOW, PC_REASON_MALFORMED_CERT, PC_KIND_UNKNOWN, NULL, DL_NONE,
	  "2 CNs" },
	{ "host-long-cn", "capf-a", POL_BASE, AT_NOW, PC_REASON_MALFORMED_CERT, PC_KIND_UNKNOWN, NULL, DL_NONE, NULL },
	{ "host-nonascii", "capf-a", POL_BASE, AT_NOW, PC_REASON_MALFORMED_CERT, PC_KIND_UNKNOWN, NULL, DL_NONE, NULL },
	{ "host-lower-sep", "capf-a", POL_BASE, AT_NOW, PC_REASON_NOT_A_PHONE, PC_KIND_LSC, "capf-a", DL_NONE,
	  "sep0011223344aa" },
	{ "host-short-mac", "capf-a", POL_BASE, AT_NOW, PC_REASON_NOT_A_PHONE, PC_KIND_LSC, "capf-a", DL_NONE, NULL },
	{ "host-leaf-ca", "capf-a", POL_BASE, AT_NOW, PC_REASON_LEAF_IS_CA, PC_KIND_UNKNOWN, NULL, DL_NONE, "CA:TRUE" },
	{ "host-wrong-eku", "capf-a", POL_BASE, AT_NOW, PC_REASON_BAD_KEY_PURPOSE, PC_KIND_UNKNOWN, NULL, DL_NONE,
	  "E-mail Protection" },
	/* RFC 5280 limits that CAPF and Cisco's CAs keep: a key identifier for the issuer, 20-byte serials. */
	{ "host-no-ski-aki", "capf-a", POL_BASE, AT_NOW, PC_REASON_MALFORMED_CERT, PC_KIND_LSC, "capf-a", DL_NONE,
	  "no authority key identifier" },
	{ "host-big-serial", "capf-a", POL_BASE, AT_NOW, PC_REASON_MALFORMED_CERT, PC_KIND_UNKNOWN, NULL, DL_NONE,
	  "serial number of 24 bytes" },
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
	}
}

static void test_decide_table(void **state)
{
	TALLOC_CTX *ctx = *state;
	size_t i;

	for (i = 0; i < UNIT_COUNT(decide_cases); i++) {
		decide_case_t const *c = &decide_cases[i];
		pc_config_t cfg;
		pc_cert_facts_t facts;
		pc_decision_t d;
		time_t deadline = 0;
		char *what = talloc_asprintf(ctx, "case %zu (%s under %s)", i, c->leaf, c->issuer ? c->issuer : "-");

		apply_policy(&cfg, c->policy);
		unit_facts(ctx, c->leaf, c->issuer, &facts);
		memset(&d, 0x5a, sizeof(d));
		pc_decide(&cfg, &facts, NULL, at_time(c->at), &d);

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
		check_invariants(&d, what);
	}
}

/* What an accepted phone is known as: the device name, MAC, model, PID and SN. */
static void test_decide_device(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t facts;
	pc_decision_t d;

	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	pc_decide(fx.cfg, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);
	assert_true(d.have_device);
	assert_string_equal(d.device.name, "SEPB000B4BA0AEE");
	assert_string_equal(d.device.mac, "B000B4BA0AEE");
	assert_string_equal(d.device.model, "CP-8861");
	assert_string_equal(d.device.pid, "CP-8861");
	assert_string_equal(d.device.sn, "FCH18198CNQ");
	assert_string_equal(d.detail, "");

	unit_facts(ctx, "mic-8861", "mfg-int", &facts);
	pc_decide(fx.cfg, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MIC_ACCEPTED);
	assert_string_equal(d.device.name, "SEP2C3124C9F8E1");
	assert_string_equal(d.device.sn, "FCH2133E8B9");

	unit_facts(ctx, "lsc-a-ec", "capf-a", &facts);
	pc_decide(fx.cfg, &facts, NULL, fx.now, &d);
	assert_string_equal(d.device.name, "SEP001E7AC3D1AB");
	assert_string_equal(d.device.model, "");
	assert_string_equal(d.device.pid, "");

	/* A refusal before the anchor says nothing about a device. */
	unit_facts(ctx, "host-two-cn", "capf-a", &facts);
	pc_decide(fx.cfg, &facts, NULL, fx.now, &d);
	assert_false(d.have_device);
	assert_null(d.anchor);
}

/*
 *	MAC binding: the MAC of the certificate against Calling-Station-Id, in every notation.
 */
typedef struct {
	char const		*leaf;
	char const		*issuer;
	pc_mac_binding_t	mode;
	char const		*csid;
	pc_reason_t		reason;
	bool			mismatch;
	char const		*detail;
} mac_case_t;

static mac_case_t const mac_cases[] = {
	{ "lsc-a", "capf-a", PC_MAC_BINDING_ENFORCE, "B0-00-B4-BA-0A-EE", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a", "capf-a", PC_MAC_BINDING_ENFORCE, "b0-00-b4-ba-0a-ee", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a", "capf-a", PC_MAC_BINDING_ENFORCE, "b0:00:b4:ba:0a:ee", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a", "capf-a", PC_MAC_BINDING_ENFORCE, "b000.b4ba.0aee", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a", "capf-a", PC_MAC_BINDING_ENFORCE, "B000B4BA0AEE", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a-ec", "capf-a", PC_MAC_BINDING_ENFORCE, "00-1e-7a-c3-d1-ab", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "mic-8861", "mfg-int", PC_MAC_BINDING_ENFORCE, "2c31.24c9.f8e1", PC_REASON_MIC_ACCEPTED, false, NULL },
	{ "lsc-a-old", "capf-a-old", PC_MAC_BINDING_ENFORCE, "00:A1:B2:C3:D4:E5", PC_REASON_LSC_RETIRING_ACCEPTED,
	  false, NULL },

	/* enforce: another MAC, none, or not a MAC. */
	{ "lsc-a", "capf-a", PC_MAC_BINDING_ENFORCE, "B0-00-B4-BA-0A-EF", PC_REASON_MAC_MISMATCH, false,
	  "certificate MAC B0:00:B4:BA:0A:EE, Calling-Station-Id B0:00:B4:BA:0A:EF" },
	{ "mic-8861", "mfg-int", PC_MAC_BINDING_ENFORCE, "00-11-22-33-44-55", PC_REASON_MAC_MISMATCH, false,
	  "2C:31:24:C9:F8:E1" },
	{ "lsc-a", "capf-a", PC_MAC_BINDING_ENFORCE, NULL, PC_REASON_MAC_MISSING, false, NULL },
	{ "lsc-a", "capf-a", PC_MAC_BINDING_ENFORCE, "", PC_REASON_MAC_MISSING, false, NULL },
	{ "lsc-a", "capf-a", PC_MAC_BINDING_ENFORCE, "B0-00-B4-BA:0A:EE", PC_REASON_MAC_MISSING, false,
	  "B0-00-B4-BA:0A:EE" },
	{ "lsc-a", "capf-a", PC_MAC_BINDING_ENFORCE, "SEPB000B4BA0AEE", PC_REASON_MAC_MISSING, false, NULL },

	/* log: admitted, the mismatch flagged and described. */
	{ "lsc-a", "capf-a", PC_MAC_BINDING_LOG, "b0:00:b4:ba:0a:ee", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a", "capf-a", PC_MAC_BINDING_LOG, "00-11-22-33-44-55", PC_REASON_LSC_ACCEPTED, true,
	  "Calling-Station-Id 00:11:22:33:44:55 (logged only)" },
	{ "mic-8861", "mfg-int", PC_MAC_BINDING_LOG, "001122334455", PC_REASON_MIC_ACCEPTED, true, "(logged only)" },
	{ "lsc-a", "capf-a", PC_MAC_BINDING_LOG, NULL, PC_REASON_LSC_ACCEPTED, true, "no usable Calling-Station-Id" },

	/* off: not compared at all. */
	{ "lsc-a", "capf-a", PC_MAC_BINDING_OFF, "00-11-22-33-44-55", PC_REASON_LSC_ACCEPTED, false, NULL },
	{ "lsc-a", "capf-a", PC_MAC_BINDING_OFF, NULL, PC_REASON_LSC_ACCEPTED, false, NULL },

	/* MAC binding never rescues or replaces an earlier refusal. */
	{ "lsc-b", "capf-b", PC_MAC_BINDING_ENFORCE, "B0-00-B4-BA-0A-EF", PC_REASON_CAPF_DISABLED, false, NULL },
	{ "lsc-c", "capf-c", PC_MAC_BINDING_LOG, "00-11-22-33-44-C0", PC_REASON_CAPF_NOT_UPLOADED, false, NULL },
};

static void test_decide_mac_binding(void **state)
{
	TALLOC_CTX *ctx = *state;
	size_t i;

	for (i = 0; i < UNIT_COUNT(mac_cases); i++) {
		mac_case_t const *c = &mac_cases[i];
		pc_config_t cfg = *fx.cfg;
		pc_cert_facts_t facts;
		pc_decision_t d;
		char *what = talloc_asprintf(ctx, "case %zu (%s, %s, '%s')", i, c->leaf, pc_mac_binding_name(c->mode),
					     c->csid ? c->csid : "(null)");

		cfg.policy.mac_binding = c->mode;
		unit_facts(ctx, c->leaf, c->issuer, &facts);
		pc_decide(&cfg, &facts, c->csid, fx.now, &d);
		if (d.reason != c->reason) {
			fail_msg("%s: %s (%s), expected %s", what, pc_reason_name(d.reason), d.detail, pc_reason_name(c->reason));
		}
		if (d.mac_mismatch != c->mismatch) fail_msg("%s: mac_mismatch %d", what, d.mac_mismatch);
		if (c->detail) assert_contains(d.detail, c->detail);
		check_invariants(&d, what);
	}
}

/*
 *	Facts that FreeRADIUS could hand over but no honest certificate produces.
 */
static void test_decide_no_facts(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t facts;
	pc_decision_t d;

	memset(&d, 0x5a, sizeof(d));
	pc_decide(fx.cfg, NULL, "B0-00-B4-BA-0A-EE", fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_NO_CERT_FACTS);
	assert_false(pc_decision_accepts(&d));
	assert_null(d.anchor);
	assert_false(d.have_device);
	check_invariants(&d, "NULL facts");

	/* A TLS 1.3 resumption: the attributes are simply absent. */
	memset(&facts, 0, sizeof(facts));
	pc_decide(fx.cfg, &facts, "B0-00-B4-BA-0A-EE", fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_NO_CERT_FACTS);

	/* Only the issuer's attributes: still nothing about the client certificate. */
	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	facts.subject = facts.issuer = facts.serial = NULL;
	pc_decide(fx.cfg, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_NO_CERT_FACTS);

	/* Some attributes but not the subject or issuer: FreeRADIUS dropped a name it could not
	 * store, which only a hostile certificate makes it do. */
	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	facts.subject = NULL;
	pc_decide(fx.cfg, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);
	assert_contains(d.detail, "subject");

	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	facts.issuer = NULL;
	pc_decide(fx.cfg, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);
	assert_contains(d.detail, "issuer");

	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	pc_decide(NULL, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_NO_CERT_FACTS);
}

typedef enum { F_SUBJECT, F_CN, F_NOT_AFTER, F_NOT_BEFORE, F_ISSUER_NOT_AFTER, F_KU, F_EKU, F_BC } field_t;

static void test_decide_malformed_facts(void **state)
{
	static struct {
		field_t		field;
		char const	*value;		//!< "" for a 1023-byte subject, built below.
		pc_reason_t	reason;
	} const cases[] = {
		{ F_SUBJECT,	"CN=SEPB000B4BA0AEE",			PC_REASON_MALFORMED_CERT },
		{ F_SUBJECT,	"",					PC_REASON_MALFORMED_CERT },	/* truncated */
		{ F_SUBJECT,	"/CN=CP-8861-SEPB000B4BA0AEE/CN=CP-8861-SEPB000B4BA0AEE", PC_REASON_MALFORMED_CERT },
		{ F_SUBJECT,	"/O=x/CN=CP-8861-SEPB000B4BA0AEE\\x00", PC_REASON_MALFORMED_CERT },
		{ F_SUBJECT,	"/serialNumber=PID:CP-8861\\x0A SN:X/CN=CP-8861-SEPB000B4BA0AEE", PC_REASON_MALFORMED_CERT },
		/* The CN attribute and the subject's CN must be the same bytes. */
		{ F_CN,		"CP-8861-SEPB000B4BA0AEF",		PC_REASON_MALFORMED_CERT },
		{ F_CN,		"CP-8861-SEPB000B4BA0AE",		PC_REASON_MALFORMED_CERT },
		{ F_NOT_AFTER,	"garbage",				PC_REASON_MALFORMED_CERT },
		{ F_NOT_AFTER,	"2028-01-01",				PC_REASON_MALFORMED_CERT },
		{ F_NOT_BEFORE,	"20260230000000Z",			PC_REASON_MALFORMED_CERT },
		{ F_ISSUER_NOT_AFTER, "31",				PC_REASON_MALFORMED_CERT },
		{ F_KU,		"Key Encipherment",			PC_REASON_BAD_KEY_PURPOSE },
		{ F_EKU,	"TLS Web Server Authentication",	PC_REASON_BAD_KEY_PURPOSE },
		{ F_BC,		"CA:TRUE, pathlen:0",			PC_REASON_LEAF_IS_CA },
		/* Acceptable variants. */
		{ F_EKU,	"Any Extended Key Usage",		PC_REASON_LSC_ACCEPTED },
		{ F_BC,		"CA:FALSE",				PC_REASON_LSC_ACCEPTED },
		{ F_CN,		NULL,					PC_REASON_LSC_ACCEPTED },
		{ F_KU,		NULL,					PC_REASON_LSC_ACCEPTED },
		{ F_NOT_BEFORE,	NULL,					PC_REASON_LSC_ACCEPTED },
	};
	TALLOC_CTX *ctx = *state;
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_cert_facts_t facts;
		pc_decision_t d;
		char const *value = cases[i].value;

		unit_facts(ctx, "lsc-a", "capf-a", &facts);
		if (value && !*value) {
			char *big = talloc_array(ctx, char, PC_ONELINE_MAX + 1);

			memset(big, 'A', PC_ONELINE_MAX);
			big[PC_ONELINE_MAX] = '\0';
			memcpy(big, "/CN=CP-8861-SEPB000B4BA0AEE/O=", 30);
			value = big;
		}
		switch (cases[i].field) {
		case F_SUBJECT: facts.subject = value; break;
		case F_CN: facts.common_name = value; break;
		case F_NOT_AFTER: facts.not_after = value; break;
		case F_NOT_BEFORE: facts.not_before = value; break;
		case F_ISSUER_NOT_AFTER: facts.issuer_not_after = value; break;
		case F_KU: facts.key_usage = value; break;
		case F_EKU: facts.ext_key_usage = value; break;
		case F_BC: facts.basic_constraints = value; break;
		}
		pc_decide(fx.cfg, &facts, NULL, fx.now, &d);
		if (d.reason != cases[i].reason) {
			fail_msg("case %zu ('%.40s'): %s (%s), expected %s", i, value ? value : "(null)",
				 pc_reason_name(d.reason), d.detail, pc_reason_name(cases[i].reason));
		}
		check_invariants(&d, "malformed facts");
	}
}

/* A CN longer than ub-common-name in a subject FreeRADIUS did not truncate. */
static void test_decide_overlong_cn(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t facts;
	pc_decision_t d;
	char cn[PC_CN_MAX + 2];

	memset(cn, 'A', sizeof(cn));
	memcpy(cn + PC_CN_MAX + 1 - 15, "SEPB000B4BA0AEE", 15);
	cn[PC_CN_MAX + 1] = '\0';
	unit_facts(ctx, "lsc-a", "capf-a", &facts);
	facts.subject = talloc_asprintf(ctx, "/O=x/CN=%s", cn);
	facts.common_name = talloc_strdup(ctx, cn);
	pc_decide(fx.cfg, &facts, NULL, fx.now, &d);
	assert_int_equal(d.reason, PC_REASON_MALFORMED_CERT);
	assert_contains(d.detail, "CN of 65 bytes");
}

/*
 *	Subjects whose X509_NAME_oneline() form hides or invents a CN (OpenSSL 3 escapes '/' and
 *	'+' in values as "\/" and "\+", leaves '\' alone, and joins a multi-valued RDN with '+').
 *	lsc-a gets each subject in place of its own; the facts are what FreeRADIUS would send.
 */
typedef struct {
	char const	*key;
	char const	*value;
	int		set;		//!< 0: a new RDN; -1: added to the previous RDN (multi-valued).
} name_entry_t;

static void facts_with_subject(TALLOC_CTX *ctx, name_entry_t const *entries, pc_cert_facts_t *out)
{
	X509 *leaf = unit_cert("lsc-a"), *issuer = unit_cert("capf-a");
	X509_NAME *name = X509_NAME_new();
	pc_error_t err = { .msg = "" };

	assert_non_null(name);
	for (; entries->key; entries++) {
		assert_int_equal(X509_NAME_add_entry_by_txt(name, entries->key, V_ASN1_UTF8STRING,
							    (unsigned char const *)entries->value, -1, -1, entries->set), 1);
	}
	assert_int_equal(X509_set_subject_name(leaf, name), 1);
	assert_int_equal(pc_facts_from_x509(ctx, leaf, issuer, out, &err), 0);
	X509_NAME_free(name);
	X509_free(leaf);
	X509_free(issuer);
}

static void test_decide_hostile_subjects(void **state)
{
	static name_entry_t const slash_in_o[] = {	/* no CN at all: O hides one */
		{ "O", "evil/CN=CP-8861-SEPB000B4BA0AEE", 0 }, { NULL, NULL, 0 } };
	static name_entry_t const backslash_o[] = {	/* a real CN, printed as the one above */
		{ "O", "evil\\", 0 }, { "CN", "CP-8861-SEPB000B4BA0AEE", 0 }, { NULL, NULL, 0 } };
	static name_entry_t const plus_cn[] = {		/* a second CN in a multi-valued RDN */
		{ "CN", "CP-8861-SEPB000B4BA0AEE", 0 }, { "O", "x", 0 }, { "CN", "SEP001122334455", -1 },
		{ NULL, NULL, 0 } };
	static name_entry_t const plus_in_o[] = {	/* '+' inside a value, escaped */
		{ "O", "a+CN=SEP001122334455", 0 }, { "CN", "CP-8861-SEPB000B4BA0AEE", 0 }, { NULL, NULL, 0 } };
	static name_entry_t const plus_only[] = {	/* the one CN inside a multi-valued RDN */
		{ "O", "x", 0 }, { "CN", "CP-8861-SEPB000B4BA0AEE", -1 }, { NULL, NULL, 0 } };
	static name_entry_t const slash_in_ou[] = {	/* '/' in a value, not before "KEY=": plain */
		{ "OU", "AT/T Inc.", 0 }, { "CN", "CP-8861-SEPB000B4BA0AEE", 0 }, { NULL, NULL, 0 } };
	static struct {
		char const		*what;
		name_entry_t const	*subject;
		char const		*oneline;	//!< What FreeRADIUS hands over.
		pc_reason_t		reason;
		char const		*detail;
	} const cases[] = {
		{ "O hiding a CN", slash_in_o, "/O=evil\\/CN=CP-8861-SEPB000B4BA0AEE", PC_REASON_MALFORMED_CERT, "ambiguous" },
		{ "O ending with a backslash", backslash_o, "/O=evil\\/CN=CP-8861-SEPB000B4BA0AEE",
		  PC_REASON_MALFORMED_CERT, "ambiguous" },
		{ "second CN after '+'", plus_cn, "/CN=CP-8861-SEPB000B4BA0AEE/O=x+CN=SEP001122334455",
		  PC_REASON_MALFORMED_CERT, "2 CNs" },
		{ "'+' in O", plus_in_o, "/O=a\\+CN=SEP001122334455/CN=CP-8861-SEPB000B4BA0AEE",
		  PC_REASON_MALFORMED_CERT, "ambiguous" },
		{ "CN in a multi-valued RDN", plus_only, "/O=x+CN=CP-8861-SEPB000B4BA0AEE", PC_REASON_LSC_ACCEPTED, "" },
		{ "'/' in OU", slash_in_ou, "/OU=AT\\/T Inc./CN=CP-8861-SEPB000B4BA0AEE", PC_REASON_LSC_ACCEPTED, "" },
	};
	TALLOC_CTX *ctx = *state;
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_cert_facts_t facts;
		pc_decision_t d;

		facts_with_subject(ctx, cases[i].subject, &facts);
		if (strcmp(facts.subject, cases[i].oneline) != 0) {
			fail_msg("%s: OpenSSL prints '%s', expected '%s'", cases[i].what, facts.subject, cases[i].oneline);
		}
		pc_decide(fx.cfg, &facts, NULL, fx.now, &d);
		if (d.reason != cases[i].reason) {
			fail_msg("%s: %s (%s), expected %s", cases[i].what, pc_reason_name(d.reason), d.detail,
				 pc_reason_name(cases[i].reason));
		}
		assert_contains(d.detail, cases[i].detail);
		check_invariants(&d, cases[i].what);

		/* FreeRADIUS sends no Common-Name when the certificate has no CN (or garbage). */
		facts.common_name = NULL;
		pc_decide(fx.cfg, &facts, NULL, fx.now, &d);
		if (d.reason != cases[i].reason) {
			fail_msg("%s without Common-Name: %s, expected %s", cases[i].what, pc_reason_name(d.reason),
				 pc_reason_name(cases[i].reason));
		}
	}
}

/*
 * An LSC must name its CAPF's key: an authority key identifier without a key id we can read
 * matched by subject and serial alone, as if it were absent (found by fuzz_facts).  A MIC may
 * still lack one.
 */
static void test_decide_unreadable_aki(void **state)
{
	static struct {
		char const	*leaf, *issuer;
		char const	*aki;
		pc_reason_t	reason;
	} const cases[] = {
		{ "lsc-a", "capf-a", "F0:22:0", PC_REASON_MALFORMED_CERT },		/* odd number of digits */
		{ "lsc-a", "capf-a", "keyid:", PC_REASON_MALFORMED_CERT },
		{ "lsc-a", "capf-a", "DirName:/C=IN/O=Example Corp/CN=CAPF-a6d4c572\nserial:01", PC_REASON_MALFORMED_CERT },
		{ "lsc-a", "capf-a", "", PC_REASON_MALFORMED_CERT },
		{ "lsc-a", "capf-a", "ZZ:ZZ", PC_REASON_MALFORMED_CERT },
		{ "mic-8861", "mfg-int", "DirName:/O=Cisco/CN=Test Cisco Root CA M2\nserial:01", PC_REASON_MIC_ACCEPTED },
		{ "mic-8861", "mfg-int", NULL, PC_REASON_MIC_ACCEPTED },
	};
	TALLOC_CTX *ctx = *state;
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_cert_facts_t facts;
		pc_decision_t d;

		unit_facts(ctx, cases[i].leaf, cases[i].issuer, &facts);
		facts.authority_key_id = cases[i].aki;
		pc_decide(fx.cfg, &facts, NULL, fx.now, &d);
		if (d.reason != cases[i].reason) {
			fail_msg("%s with AKI '%s': %s (%s), expected %s", cases[i].leaf, cases[i].aki ? cases[i].aki : "(none)",
				 pc_reason_name(d.reason), d.detail, pc_reason_name(cases[i].reason));
		}
		if (d.reason == PC_REASON_MALFORMED_CERT) assert_contains(d.detail, "authority key identifier");
		check_invariants(&d, cases[i].leaf);
	}
}

/* The same input gives the same answer: no state leaks from one decision into the next. */
static void test_decide_is_pure(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_cert_facts_t good, bad;
	pc_decision_t d1, d2, d3;

	unit_facts(ctx, "lsc-a", "capf-a", &good);
	unit_facts(ctx, "host-nul-cn", "capf-a", &bad);
	pc_decide(fx.cfg, &good, NULL, fx.now, &d1);
	pc_decide(fx.cfg, &bad, NULL, fx.now, &d2);
	pc_decide(fx.cfg, &good, NULL, fx.now, &d3);
	assert_int_equal(d1.reason, PC_REASON_LSC_ACCEPTED);
	assert_int_equal(d2.reason, PC_REASON_MALFORMED_CERT);
	assert_memory_equal(&d1, &d3, sizeof(d1));
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
		cmocka_unit_test_setup_teardown(test_decide_device, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_decide_mac_binding, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_decide_no_facts, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_decide_malformed_facts, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_decide_overlong_cn, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_decide_hostile_subjects, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_decide_unreadable_aki, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_decide_is_pure, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test(test_kind_names),
	};

	return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
