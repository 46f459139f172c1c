/**
 * @file test_reason.c
 * @brief The reason table: stable numbers, unique names, advice, and the lookups agree.
 */
#include "unit.h"

#include <ctype.h>

#include <phonecert/reason.h>

/*
 *	The numbers are an interface (logs, unlang, dictionary VALUEs): this copy pins them.
 *	Changing a number or a name in reason.h must fail here.
 */
static struct {
	pc_reason_t	reason;
	int		number;
	char const	*name;
	bool		accept;
} const pinned[] = {
	{ PC_REASON_LSC_ACCEPTED,		0,	"lsc-accepted",			true },
	{ PC_REASON_LSC_RETIRING_ACCEPTED,	1,	"lsc-retiring-accepted",	true },
	{ PC_REASON_MIC_ACCEPTED,		2,	"mic-accepted",			true },
	{ PC_REASON_CAPF_DISABLED,		10,	"capf-disabled",		false },
	{ PC_REASON_CAPF_WINDOW_CLOSED,		11,	"capf-window-closed",		false },
	{ PC_REASON_CAPF_NOT_UPLOADED,		12,	"capf-not-uploaded",		false },
	{ PC_REASON_CAPF_KEY_MISMATCH,		13,	"capf-key-mismatch",		false },
	{ PC_REASON_SIGNATURE_INVALID,		14,	"signature-invalid",		false },
	{ PC_REASON_ISSUER_UNKNOWN,		15,	"issuer-unknown",		false },
	{ PC_REASON_CHAIN_NOT_ANCHORED,		16,	"chain-not-anchored",		false },
	{ PC_REASON_ANCHOR_AMBIGUOUS,		17,	"anchor-ambiguous",		false },
	{ PC_REASON_ANCHOR_EXPIRED,		18,	"anchor-expired",		false },
	{ PC_REASON_MIC_DENIED,			20,	"mic-denied",			false },
	{ PC_REASON_MIC_CUTOFF_PASSED,		21,	"mic-cutoff-passed",		false },
	{ PC_REASON_MIC_EXPIRED,		22,	"mic-expired",			false },
	{ PC_REASON_NOT_A_PHONE,		23,	"not-a-phone",			false },
	{ PC_REASON_MAC_MISMATCH,		30,	"mac-mismatch",			false },
	{ PC_REASON_MAC_MISSING,		31,	"mac-missing",			false },
	{ PC_REASON_CERT_EXPIRED,		40,	"cert-expired",			false },
	{ PC_REASON_CERT_NOT_YET_VALID,		41,	"cert-not-yet-valid",		false },
	{ PC_REASON_WEAK_SIGNATURE,		42,	"weak-signature",		false },
	{ PC_REASON_WEAK_KEY,			43,	"weak-key",			false },
	{ PC_REASON_OLD_TLS,			44,	"old-tls",			false },
	{ PC_REASON_LEAF_IS_CA,			45,	"leaf-is-ca",			false },
	{ PC_REASON_BAD_KEY_PURPOSE,		46,	"bad-key-purpose",		false },
	{ PC_REASON_MALFORMED_CERT,		47,	"malformed-certificate",	false },
	{ PC_REASON_NO_CERT_FACTS,		48,	"no-cert-facts",		false },
	{ PC_REASON_NO_CLIENT_CERT,		49,	"no-client-cert",		false },
	{ PC_REASON_CHAIN_TOO_DEEP,		50,	"chain-too-deep",		false },
	{ PC_REASON_SELF_SIGNED,		51,	"self-signed",			false },
	{ PC_REASON_INVALID_CA,			52,	"invalid-ca",			false },
	{ PC_REASON_NO_DECISION,		53,	"no-decision",			false },
	{ PC_REASON_DEVICE_DENIED,		60,	"device-denied",		false },
	{ PC_REASON_CERT_REVOKED,		61,	"cert-revoked",			false },
	{ PC_REASON_CRL_STALE,			62,	"crl-stale",			false },
	{ PC_REASON_TLS_FAILED,			90,	"tls-failed",			false },
	{ PC_REASON_INTERNAL_ERROR,		99,	"internal-error",		false },
};

/* The table macro itself, expanded here: the library must expose exactly these rows. */
#define ROW_COUNT(id, number, accept, text, advice) + 1
static unsigned int const table_rows = 0 PC_REASON_TABLE(ROW_COUNT);
#undef ROW_COUNT

static void test_reason_count_matches_table(UNUSED void **state)
{
	assert_int_equal(pc_reason_count(), table_rows);
	assert_int_equal(pc_reason_count(), UNIT_COUNT(pinned));
}

static void test_reason_numbers_names_pinned(UNUSED void **state)
{
	size_t i;

	for (i = 0; i < UNIT_COUNT(pinned); i++) {
		assert_int_equal((int)pinned[i].reason, pinned[i].number);
		assert_string_equal(pc_reason_name(pinned[i].reason), pinned[i].name);
		assert_int_equal(pc_reason_is_accept(pinned[i].reason), pinned[i].accept);
		/* The library's table lists them in the same order. */
		assert_int_equal(pc_reason_at((unsigned int)i), pinned[i].reason);
	}
}

static void test_reason_numbers_and_names_unique(UNUSED void **state)
{
	unsigned int i, j, n = pc_reason_count();

	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			if (pc_reason_at(i) == pc_reason_at(j)) {
				fail_msg("reason number %d used twice", (int)pc_reason_at(i));
			}
			if (strcmp(pc_reason_name(pc_reason_at(i)), pc_reason_name(pc_reason_at(j))) == 0) {
				fail_msg("reason name %s used twice", pc_reason_name(pc_reason_at(i)));
			}
		}
	}
}

/* Names become dictionary VALUE names and log tokens: lower case, digits and '-' only. */
static void test_reason_names_are_tokens(UNUSED void **state)
{
	unsigned int i;

	for (i = 0; i < pc_reason_count(); i++) {
		char const *name = pc_reason_name(pc_reason_at(i)), *p;

		assert_true(strlen(name) > 0);
		assert_true(strcmp(name, "unknown") != 0);
		assert_true(name[0] != '-' && name[strlen(name) - 1] != '-');
		for (p = name; *p; p++) {
			if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-') {
				fail_msg("reason name '%s' has character '%c'", name, *p);
			}
		}
	}
}

static void test_reason_advice_non_empty(UNUSED void **state)
{
	unsigned int i;

	for (i = 0; i < pc_reason_count(); i++) {
		pc_reason_t reason = pc_reason_at(i);
		char const *advice = pc_reason_advice(reason);

		assert_non_null(advice);
		if (strlen(advice) < 20) fail_msg("advice of %s is too short: '%s'", pc_reason_name(reason), advice);
		assert_true(strcmp(advice, "Unknown reason code.") != 0);
		/* One line: it goes into a log line and a dictionary comment. */
		assert_null(strchr(advice, '\n'));
		assert_int_equal(advice[strlen(advice) - 1], '.');
	}
}

static void test_reason_from_name_round_trip(UNUSED void **state)
{
	unsigned int i;

	for (i = 0; i < pc_reason_count(); i++) {
		pc_reason_t reason = pc_reason_at(i), back = (pc_reason_t)-1;

		assert_true(pc_reason_from_name(pc_reason_name(reason), &back));
		assert_int_equal(back, reason);
	}
}

static void test_reason_from_name_refuses_unknown(UNUSED void **state)
{
	static char const *const bad[] = {
		"", "unknown", "LSC-ACCEPTED", "lsc-accepted ", " lsc-accepted", "lsc_accepted", "lsc",
		"lsc-accepted-", "0", "47",
	};
	size_t i;

	for (i = 0; i < UNIT_COUNT(bad); i++) {
		pc_reason_t out = PC_REASON_MALFORMED_CERT;

		if (pc_reason_from_name(bad[i], &out)) fail_msg("'%s' was accepted as a reason name", bad[i]);
		assert_int_equal(out, PC_REASON_MALFORMED_CERT);	/* untouched */
	}
}

/* Only the three admissions are accepts; a number outside the table is a refusal. */
static void test_reason_unknown_number(UNUSED void **state)
{
	static int const outside[] = { 3, 9, 19, 24, 54, 89, 98, 100, -1, 1000 };
	size_t i;
	unsigned int accepts = 0, j;

	for (i = 0; i < UNIT_COUNT(outside); i++) {
		pc_reason_t reason = (pc_reason_t)outside[i];

		assert_string_equal(pc_reason_name(reason), "unknown");
		assert_false(pc_reason_is_accept(reason));
		assert_non_null(pc_reason_advice(reason));
	}
	for (j = 0; j < pc_reason_count(); j++) {
		if (pc_reason_is_accept(pc_reason_at(j))) accepts++;
	}
	assert_int_equal(accepts, 3);
	assert_int_equal(pc_reason_at(pc_reason_count()), PC_REASON_INTERNAL_ERROR);
	assert_int_equal(pc_reason_at(~0U), PC_REASON_INTERNAL_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reason_count_matches_table),
		cmocka_unit_test(test_reason_numbers_names_pinned),
		cmocka_unit_test(test_reason_numbers_and_names_unique),
		cmocka_unit_test(test_reason_names_are_tokens),
		cmocka_unit_test(test_reason_advice_non_empty),
		cmocka_unit_test(test_reason_from_name_round_trip),
		cmocka_unit_test(test_reason_from_name_refuses_unknown),
		cmocka_unit_test(test_reason_unknown_number),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
