/**
 * @file test_reply.c
 * @brief What an accept tells the switch, per reply profile; nothing on a refusal.
 */
#include "unit.h"

#include <phonecert/decide.h>
#include <phonecert/reply.h>

#define VOICE_LSC	1
#define VOICE_MIC	2

typedef struct {
	char const		*what;
	pc_reply_profile_t	profile;
	int			voice;		//!< VOICE_LSC | VOICE_MIC
	char const		*lsc_vlan;
	char const		*mic_vlan;
	pc_reason_t		reason;
	pc_kind_t		kind;
	char const		*expect;	//!< "Attr=value;Attr=value", "" for nothing.
} reply_case_t;

#define TRIPLET(v) "Tunnel-Type=VLAN;Tunnel-Medium-Type=IEEE-802;Tunnel-Private-Group-Id=" v

static reply_case_t const reply_cases[] = {
	/* cisco (also Dell N-series, Meraki MS). */
	{ "cisco LSC", PC_REPLY_CISCO, VOICE_LSC | VOICE_MIC, NULL, NULL, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC,
	  "Cisco-AVPair=device-traffic-class=voice" },
	{ "cisco retiring LSC", PC_REPLY_CISCO, VOICE_LSC, NULL, NULL, PC_REASON_LSC_RETIRING_ACCEPTED, PC_KIND_LSC,
	  "Cisco-AVPair=device-traffic-class=voice" },
	{ "cisco MIC", PC_REPLY_CISCO, VOICE_LSC | VOICE_MIC, NULL, NULL, PC_REASON_MIC_ACCEPTED, PC_KIND_MIC,
	  "Cisco-AVPair=device-traffic-class=voice" },
	{ "cisco LSC with VLAN", PC_REPLY_CISCO, VOICE_LSC | VOICE_MIC, "110", "390", PC_REASON_LSC_ACCEPTED,
	  PC_KIND_LSC, "Cisco-AVPair=device-traffic-class=voice;" TRIPLET("110") },
	/* voice_domain = lsc: the MIC phone is a data device on the onboarding VLAN. */
	{ "cisco MIC onboarding", PC_REPLY_CISCO, VOICE_LSC, "110", "390", PC_REASON_MIC_ACCEPTED, PC_KIND_MIC,
	  TRIPLET("390") },
	{ "cisco MIC no voice no VLAN", PC_REPLY_CISCO, VOICE_LSC, "110", NULL, PC_REASON_MIC_ACCEPTED, PC_KIND_MIC, "" },
	{ "cisco voice none", PC_REPLY_CISCO, 0, NULL, NULL, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC, "" },

	/* aruba-cx. */
	{ "aruba LSC", PC_REPLY_ARUBA_CX, VOICE_LSC | VOICE_MIC, NULL, NULL, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC,
	  "Aruba-Device-Traffic-Class=1" },
	{ "aruba LSC VLAN", PC_REPLY_ARUBA_CX, VOICE_LSC, "voice", NULL, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC,
	  "Aruba-Device-Traffic-Class=1;" TRIPLET("voice") },

	/* juniper: the voice VLAN itself is the attribute. */
	{ "juniper LSC", PC_REPLY_JUNIPER, VOICE_LSC | VOICE_MIC, "110", "390", PC_REASON_LSC_ACCEPTED, PC_KIND_LSC,
	  "Juniper-VoIP-Vlan=110" },
	{ "juniper MIC", PC_REPLY_JUNIPER, VOICE_LSC | VOICE_MIC, "110", "390", PC_REASON_MIC_ACCEPTED, PC_KIND_MIC,
	  "Juniper-VoIP-Vlan=390" },
	{ "juniper without VLAN", PC_REPLY_JUNIPER, VOICE_LSC | VOICE_MIC, NULL, NULL, PC_REASON_LSC_ACCEPTED,
	  PC_KIND_LSC, "" },
	{ "juniper MIC as data", PC_REPLY_JUNIPER, VOICE_LSC, "110", "390", PC_REASON_MIC_ACCEPTED, PC_KIND_MIC,
	  TRIPLET("390") },

	/* none: only the VLAN. */
	{ "none", PC_REPLY_NONE, VOICE_LSC | VOICE_MIC, NULL, NULL, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC, "" },
	{ "none VLAN", PC_REPLY_NONE, VOICE_LSC | VOICE_MIC, "110", NULL, PC_REASON_LSC_ACCEPTED, PC_KIND_LSC,
	  TRIPLET("110") },

	/* Nothing at all on a refusal, whatever the policy would send. */
	{ "reject mismatch", PC_REPLY_CISCO, VOICE_LSC | VOICE_MIC, "110", "390", PC_REASON_MAC_MISMATCH, PC_KIND_LSC, "" },
	{ "reject window", PC_REPLY_NONE, VOICE_LSC, "110", "390", PC_REASON_CAPF_WINDOW_CLOSED, PC_KIND_LSC, "" },
	{ "reject mic", PC_REPLY_JUNIPER, VOICE_LSC | VOICE_MIC, "110", "390", PC_REASON_MIC_DENIED, PC_KIND_MIC, "" },
	{ "reject internal", PC_REPLY_ARUBA_CX, VOICE_LSC, "110", NULL, PC_REASON_INTERNAL_ERROR, PC_KIND_UNKNOWN, "" },
	/* An accept reason without a kind is not an accept the switch hears about. */
	{ "accept without kind", PC_REPLY_CISCO, VOICE_LSC | VOICE_MIC, "110", "390", PC_REASON_LSC_ACCEPTED,
	  PC_KIND_UNKNOWN, "" },
};

/** The plan as "Attr=value;Attr=value". */
static char *plan_text(TALLOC_CTX *ctx, pc_reply_item_t const *items, unsigned int n)
{
	char *text = talloc_strdup(ctx, "");
	unsigned int i;

	for (i = 0; i < n; i++) {
		assert_non_null(items[i].attribute);
		text = talloc_asprintf_append(text, "%s%s=%s", i ? ";" : "", items[i].attribute, items[i].value);
	}
	return text;
}

static void test_reply_table(void **state)
{
	TALLOC_CTX *ctx = *state;
	size_t i;

	for (i = 0; i < UNIT_COUNT(reply_cases); i++) {
		reply_case_t const *c = &reply_cases[i];
		pc_policy_t policy;
		pc_decision_t d;
		pc_reply_item_t items[PC_REPLY_MAX + 1];
		unsigned int n, j;

		memset(&policy, 0, sizeof(policy));
		policy.reply_profile = c->profile;
		policy.lsc_voice = (c->voice & VOICE_LSC) != 0;
		policy.mic_voice = (c->voice & VOICE_MIC) != 0;
		policy.lsc_vlan = c->lsc_vlan;
		policy.mic_vlan = c->mic_vlan;
		memset(&d, 0, sizeof(d));
		d.reason = c->reason;
		d.kind = c->kind;
		for (j = 0; j < UNIT_COUNT(items); j++) {
			items[j].attribute = "untouched";
			strcpy(items[j].value, "untouched");
		}

		n = pc_reply_plan(&policy, &d, items);
		assert_true(n <= PC_REPLY_MAX);
		if (strcmp(plan_text(ctx, items, n), c->expect) != 0) {
			fail_msg("%s: \"%s\", expected \"%s\"", c->what, plan_text(ctx, items, n), c->expect);
		}
		/* Nothing written past what was returned. */
		for (j = n; j < UNIT_COUNT(items); j++) assert_string_equal(items[j].attribute, "untouched");
	}
}

/* From the configuration file to the attributes, on a real certificate. */
static void test_reply_end_to_end(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_config_t *cfg = unit_config(ctx,
		"[policy]\n"
		"mac_binding = enforce\n"
		"voice_domain = lsc\n"
		"mic_vlan = 390\n"
		"[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n"
		"[anchor mfg-int]\nrole = mic\nfile = @PKI@/mfg-int.crt\n");
	pc_decision_t d;
	pc_reply_item_t items[PC_REPLY_MAX];
	unsigned int n;

	assert_true(unit_judge(cfg, "lsc-a", "b0-00-b4-ba-0a-ee", unit_pki_now(), &d));
	assert_int_equal(d.reason, PC_REASON_LSC_ACCEPTED);
	n = pc_reply_plan(&cfg->policy, &d, items);
	assert_string_equal(plan_text(ctx, items, n), "Cisco-AVPair=device-traffic-class=voice");

	assert_true(unit_judge(cfg, "mic-8861", "2C-31-24-C9-F8-E1", unit_pki_now(), &d));
	assert_int_equal(d.reason, PC_REASON_MIC_ACCEPTED);
	n = pc_reply_plan(&cfg->policy, &d, items);
	assert_string_equal(plan_text(ctx, items, n), TRIPLET("390"));

	/* The same phone refused (another switch port's MAC): nothing. */
	assert_true(unit_judge(cfg, "mic-8861", "2C-31-24-C9-F8-E2", unit_pki_now(), &d));
	assert_int_equal(d.reason, PC_REASON_MAC_MISMATCH);
	assert_int_equal(pc_reply_plan(&cfg->policy, &d, items), 0);

	/* A refused chain's diagnosis: nothing either. */
	assert_false(unit_judge(cfg, "lsc-c", "00-11-22-33-44-C0", unit_pki_now(), &d));
	assert_int_equal(d.reason, PC_REASON_CAPF_NOT_UPLOADED);
	assert_int_equal(pc_reply_plan(&cfg->policy, &d, items), 0);

	/* What the module builds once per load: the same plans, by kind alone. */
	n = pc_reply_plan_kind(&cfg->policy, PC_KIND_LSC, items);
	assert_string_equal(plan_text(ctx, items, n), "Cisco-AVPair=device-traffic-class=voice");
	n = pc_reply_plan_kind(&cfg->policy, PC_KIND_MIC, items);
	assert_string_equal(plan_text(ctx, items, n), TRIPLET("390"));
	assert_int_equal(pc_reply_plan_kind(&cfg->policy, PC_KIND_UNKNOWN, items), 0);
}

/* The longest VLAN name the configuration accepts fits a reply value whole. */
static void test_reply_long_vlan(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_config_t *cfg = unit_config(ctx,
		"[policy]\nreply_profile = juniper\nlsc_vlan = voice-vlan-name-of-32-characters\n"
		"[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n");
	pc_decision_t d;
	pc_reply_item_t items[PC_REPLY_MAX];

	memset(&d, 0, sizeof(d));
	d.reason = PC_REASON_LSC_ACCEPTED;
	d.kind = PC_KIND_LSC;
	assert_int_equal(strlen(cfg->policy.lsc_vlan), 32);
	assert_int_equal(pc_reply_plan(&cfg->policy, &d, items), 1);
	assert_string_equal(items[0].attribute, "Juniper-VoIP-Vlan");
	assert_string_equal(items[0].value, "voice-vlan-name-of-32-characters");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reply_table, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_reply_end_to_end, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_reply_long_vlan, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
