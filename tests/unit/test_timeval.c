/**
 * @file test_timeval.c
 * @brief Strict time parsing: admin-written times, ASN.1 certificate times, formatting.
 *
 * Expected values were computed independently (date -u -d ... +%s).
 */
#include "unit.h"

#include <phonecert/timeval.h>

typedef struct {
	char const	*text;
	time_t		expect;
} time_ok_t;

static time_ok_t const admin_ok[] = {
	{ "2027-06-30",				1814313600 },	/* date alone: midnight UTC */
	{ "2027-06-30T18:00:00Z",		1814378400 },
	{ "2027-06-30 18:00:00Z",		1814378400 },	/* space instead of 'T' */
	{ "2027-06-30T18:00Z",			1814378400 },	/* seconds optional */
	{ "2027-06-30T18:00:00+02:00",		1814371200 },	/* 16:00Z */
	{ "2027-06-30T18:00+02:00",		1814371200 },
	{ "2027-06-30T18:00:00-05:30",		1814398200 },	/* 23:30Z */
	{ "2027-06-30T18:00:00+14:00",		1814328000 },	/* 04:00Z, the largest offset in use */
	{ "2027-06-30T18:00:00+00:00",		1814378400 },
	{ "2027-06-30T18:00:00-00:00",		1814378400 },
	{ "2024-02-29",				1709164800 },	/* leap year */
	{ "2000-02-29T12:34:56Z",		951827696 },	/* divisible by 400: leap */
	{ "1970-01-01",				0 },
	{ "1999-12-31T23:59:59Z",		946684799 },
	{ "9999-12-31T23:59:59Z",		253402300799 },
	{ "1970-01-01T01:00+01:00",		0 },		/* offsets up to the very edges */
	{ "9999-12-31T22:59:59-01:00",		253402300799 },
};

static char const *const admin_bad[] = {
	"",
	"garbage",
	"2027",
	"2027-06",
	"2027-06-",
	"27-06-30",
	"2027-6-30",
	"2027-06-3",
	"2027/06/30",
	"20270630",
	" 2027-06-30",
	"2027-06-30 ",			/* trailing text, however small */
	"2027-06-30x",
	"2027-06-30\n",
	"2027-06-30T",
	"2027-02-30",			/* Feb 30 */
	"2027-02-29",			/* not a leap year */
	"2100-02-29",			/* divisible by 100: not leap */
	"2027-04-31",
	"2027-13-01",			/* month 13 */
	"2027-00-10",
	"2027-06-00",
	"2027-06-32",
	"1969-12-31",			/* before the epoch */
	"2027-06-30T18:00:00",		/* no zone: ambiguous */
	"2027-06-30T18:00",
	"2027-06-30 18:00:00",
	"2027-06-30T18:00:00Zjunk",	/* trailing text */
	"2027-06-30T18:00:00Z ",
	"2027-06-30T18:00:00+02:00x",
	"2027-06-30T18:00:00z",
	"2027-06-30t18:00:00Z",
	"2027-06-30T24:00:00Z",
	"2027-06-30T18:60:00Z",
	"2027-06-30T18:00:61Z",
	"2027-06-30T18:00:60Z",		/* no leap seconds: time_t cannot hold them */
	"2016-12-31T23:59:60Z",		/* not even on a real leap second */
	"1970-01-01T00:00+00:01",	/* the offset makes it 1969 (found by fuzz_time) */
	"1970-01-01T00:59:59+01:00",
	"9999-12-31T23:59-00:01",	/* ... or the year 10000, which prints as 6 digits */
	"2027-06-30T18Z",
	"2027-06-30T1800Z",
	"2027-06-30T18:0Z",
	"2027-06-30T18:00:0Z",
	"2027-06-30T18:00:00.5Z",
	"2027-06-30T18:00:00+2:00",
	"2027-06-30T18:00:00+0200",
	"2027-06-30T18:00:00+02",
	"2027-06-30T18:00:00+15:00",
	"2027-06-30T18:00:00+02:60",
	"2027-06-30T18:00:00UTC",
	"2027-06-30T-1:00:00Z",
	"+027-06-30",
};

static void test_time_parse_accepts_documented_forms(UNUSED void **state)
{
	size_t i;

	for (i = 0; i < UNIT_COUNT(admin_ok); i++) {
		time_t got = -12345;

		if (!pc_time_parse(admin_ok[i].text, &got)) fail_msg("'%s' was refused", admin_ok[i].text);
		if (got != admin_ok[i].expect) {
			fail_msg("'%s' parsed as %lld, expected %lld", admin_ok[i].text, (long long)got,
				 (long long)admin_ok[i].expect);
		}
	}
}

static void test_time_parse_refuses_garbage(UNUSED void **state)
{
	size_t i;

	for (i = 0; i < UNIT_COUNT(admin_bad); i++) {
		time_t got = -12345;

		if (pc_time_parse(admin_bad[i], &got)) fail_msg("'%s' was accepted (as %lld)", admin_bad[i], (long long)got);
		assert_int_equal(got, -12345);		/* out untouched on refusal */
	}
}

static void test_time_parse_null(UNUSED void **state)
{
	time_t got = 7;

	assert_false(pc_time_parse(NULL, &got));
	assert_false(pc_time_parse_asn1(NULL, &got));
	assert_int_equal(got, 7);
}

static time_ok_t const asn1_ok[] = {
	{ "270630180000Z",	1814378400 },		/* UTCTime */
	{ "20270630180000Z",	1814378400 },		/* GeneralizedTime */
	{ "991231235959Z",	946684799 },		/* YY >= 50: 19YY */
	{ "491231235959Z",	2524607999 },		/* YY < 50: 20YY */
	{ "700101000000Z",	0 },
	{ "20500101000000Z",	2524608000 },		/* 2050 onwards needs GeneralizedTime */
	{ "240229000000Z",	1709164800 },
	{ "99991231235959Z",	253402300799 },
	/* RFC 5280: UTCTime YY >= 50 is 19YY, so 1950-1969 are valid certificate times. */
	{ "500101000000Z",	-631152000 },
	{ "690101000000Z",	-31536000 },
	{ "691231235959Z",	-1 },
	{ "500615123045Z",	-616850955 },
	{ "19500101000000Z",	-631152000 },		/* GeneralizedTime, as OpenSSL reads it too */
};

static char const *const asn1_bad[] = {
	"",
	"garbage",
	"270630180000",			/* no Z */
	"20270630180000",
	"270630180000z",
	"2706301800Z",			/* no seconds */
	"27063018000Z",
	"2706301800000Z",		/* 14 characters: neither form */
	"270230120000Z",		/* Feb 30 */
	"230229000000Z",		/* not a leap year */
	"271301000000Z",		/* month 13 */
	"270001000000Z",
	"270600000000Z",
	"270630240000Z",
	"270630186000Z",
	"270630180061Z",
	"270630180000+0100",		/* offsets are not DER */
	"20270630180000.5Z",		/* fractions are not DER */
	"27063018000aZ",
	" 70630180000Z",
	"2706301800 0Z",
	"-70630180000Z",
	"270630180000Zx",
	"270630180060Z",		/* second 60: OpenSSL refuses leap seconds in certificates */
	"20270630180060Z",
	"19491231235959Z",		/* before any UTCTime: no honest certificate has it */
};

static void test_time_parse_asn1(UNUSED void **state)
{
	size_t i;

	for (i = 0; i < UNIT_COUNT(asn1_ok); i++) {
		time_t got = -12345;

		if (!pc_time_parse_asn1(asn1_ok[i].text, &got)) fail_msg("'%s' was refused", asn1_ok[i].text);
		if (got != asn1_ok[i].expect) {
			fail_msg("'%s' parsed as %lld, expected %lld", asn1_ok[i].text, (long long)got,
				 (long long)asn1_ok[i].expect);
		}
	}
	for (i = 0; i < UNIT_COUNT(asn1_bad); i++) {
		time_t got = -12345;

		if (pc_time_parse_asn1(asn1_bad[i], &got)) fail_msg("'%s' was accepted", asn1_bad[i]);
	}
}

/* The admin form must not be taken for an ASN.1 time or the other way round. */
static void test_time_forms_do_not_mix(UNUSED void **state)
{
	time_t got;

	assert_false(pc_time_parse("20270630180000Z", &got));
	assert_false(pc_time_parse("270630180000Z", &got));
	assert_false(pc_time_parse_asn1("2027-06-30T18:00:00Z", &got));
	assert_false(pc_time_parse_asn1("2027-06-30", &got));
}

/* ASN.1 times straight from a certificate agree with OpenSSL's own reading of them. */
static void test_time_parse_asn1_matches_openssl(void **state)
{
	static char const *const names[] = { "capf-a", "lsc-a", "mic-8861", "mic-expired", "lsc-expired", "host-future" };
	TALLOC_CTX *ctx = *state;
	size_t i;

	for (i = 0; i < UNIT_COUNT(names); i++) {
		X509 *cert = unit_cert(names[i]);
		ASN1_TIME const *times[2] = { X509_get0_notBefore(cert), X509_get0_notAfter(cert) };
		size_t j;

		for (j = 0; j < 2; j++) {
			char *text = talloc_strndup(ctx, (char const *)times[j]->data, (size_t)times[j]->length);
			time_t got = 0;

			assert_non_null(text);
			if (!pc_time_parse_asn1(text, &got)) fail_msg("%s: '%s' refused", names[i], text);
			assert_int_equal(got, unit_asn1_time(times[j]));
		}
		X509_free(cert);
	}
}

/*
 * Every UTCTime year and the edges of each field, against OpenSSL's own reading: what we accept,
 * OpenSSL accepts as the same instant, and what OpenSSL accepts in DER form, we accept.  (A
 * regression test: 1950-1969 were once refused as "before the epoch", second 60 accepted.)
 */
static void test_time_parse_asn1_agrees_with_openssl(UNUSED void **state)
{
	static char const *const tails[] = { "0101000000Z", "1231235959Z", "0229120000Z", "0630180060Z",
					     "0630240000Z", "0631000000Z", "1301000000Z" };
	int yy;
	size_t i;

	for (yy = 0; yy < 100; yy++) {
		for (i = 0; i < UNIT_COUNT(tails); i++) {
			char text[16];
			ASN1_TIME *t = ASN1_STRING_type_new(V_ASN1_UTCTIME);
			struct tm tm;
			time_t ours = 0;
			bool theirs_ok, ours_ok;

			snprintf(text, sizeof(text), "%02d%s", yy, tails[i]);
			assert_non_null(t);
			assert_int_equal(ASN1_STRING_set(t, text, -1), 1);
			theirs_ok = ASN1_TIME_check(t) == 1 && ASN1_TIME_to_tm(t, &tm) == 1;
			ours_ok = pc_time_parse_asn1(text, &ours);
			if (ours_ok != theirs_ok) {
				fail_msg("'%s': OpenSSL %s it, pc_time_parse_asn1 %s it", text, theirs_ok ? "accepts" : "refuses",
					 ours_ok ? "accepts" : "refuses");
			}
			if (ours_ok) assert_int_equal(ours, timegm(&tm));
			ASN1_TIME_free(t);
			ERR_clear_error();
		}
	}
}

static void test_time_format(UNUSED void **state)
{
	static struct {
		time_t		when;
		char const	*text;
	} const cases[] = {
		{ 0,		"1970-01-01T00:00:00Z" },
		{ 1814378400,	"2027-06-30T18:00:00Z" },
		{ 951827696,	"2000-02-29T12:34:56Z" },
		{ 946684799,	"1999-12-31T23:59:59Z" },
	};
	char buf[PC_TIME_STRLEN];
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		time_t back = -1;

		assert_ptr_equal(pc_time_format(cases[i].when, buf, sizeof(buf)), buf);
		assert_string_equal(buf, cases[i].text);
		/* What we print, an admin can paste back into the config. */
		assert_true(pc_time_parse(buf, &back));
		assert_int_equal(back, cases[i].when);
	}
}

/* A buffer too small for the date never overflows and still says something. */
static void test_time_format_small_buffer(UNUSED void **state)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	pc_time_format(1814378400, buf, sizeof(buf));
	assert_true(memchr(buf, '\0', sizeof(buf)) != NULL);
	assert_true(strlen(buf) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_parse_accepts_documented_forms),
		cmocka_unit_test(test_time_parse_refuses_garbage),
		cmocka_unit_test(test_time_parse_null),
		cmocka_unit_test(test_time_parse_asn1),
		cmocka_unit_test(test_time_forms_do_not_mix),
		cmocka_unit_test(test_time_parse_asn1_agrees_with_openssl),
		cmocka_unit_test_setup_teardown(test_time_parse_asn1_matches_openssl, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_time_format_small_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
