/**
 * @file fuzz_time.c
 * @brief Fuzz target: pc_time_parse (admin-written times: mic_until, trust_until, --at) and
 *	  pc_time_parse_asn1 (TLS-Client-Cert-Expiration and the other certificate times).
 *
 * The input is the time text.  Properties:
 * - an accepted admin time survives pc_time_format and a second parse unchanged;
 * - an ASN.1 time is read exactly as OpenSSL reads it (ASN1_TIME_to_tm): whatever we accept,
 *   OpenSSL accepts as the same instant, and every DER time (digits then 'Z') that OpenSSL
 *   accepts from 1950 on, we accept too.
 */
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>

#include <phonecert/timeval.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(UNUSED_ARG int *argc, UNUSED_ARG char ***argv)
{
	return 0;
}

/** The DER forms RFC 5280 allows: YYMMDDHHMMSSZ (UTCTime) and YYYYMMDDHHMMSSZ (GeneralizedTime). */
static bool is_der_time(char const *text, int *year_digits)
{
	size_t len = strlen(text), i;

	if (len != 13 && len != 15) return false;
	for (i = 0; i + 1 < len; i++) {
		if (text[i] < '0' || text[i] > '9') return false;
	}
	*year_digits = (len == 13) ? 2 : 4;
	return text[len - 1] == 'Z';
}

/** What OpenSSL makes of the text as a certificate time: the instant, or false. */
static bool openssl_time(char const *text, int year_digits, time_t *out)
{
	ASN1_TIME *t = ASN1_STRING_type_new(year_digits == 2 ? V_ASN1_UTCTIME : V_ASN1_GENERALIZEDTIME);
	struct tm tm;
	bool ok;

	FUZZ_CHECK(t != NULL);
	ok = ASN1_STRING_set(t, text, (int)strlen(text)) == 1 && ASN1_TIME_check(t) == 1 &&
	     ASN1_TIME_to_tm(t, &tm) == 1;
	if (ok) *out = timegm(&tm);
	ASN1_TIME_free(t);
	ERR_clear_error();
	return ok;
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	char *text = fuzz_string(ctx, data, size);
	char buf[PC_TIME_STRLEN];
	time_t ours = 0, again = 0, theirs = 0;
	int year_digits = 0;
	bool ours_ok, theirs_ok;

	if (pc_time_parse(text, &ours)) {
		pc_time_format(ours, buf, sizeof(buf));
		FUZZ_CHECK(pc_time_parse(buf, &again));
		FUZZ_CHECK(again == ours);
	}

	ours_ok = pc_time_parse_asn1(text, &ours);
	if (!is_der_time(text, &year_digits)) {
		FUZZ_CHECK(!ours_ok);
		talloc_free(ctx);
		return 0;
	}
	theirs_ok = openssl_time(text, year_digits, &theirs);
	if (ours_ok) {
		FUZZ_CHECK(theirs_ok);
		FUZZ_CHECK(ours == theirs);
	} else if (theirs_ok) {
		/* Only GeneralizedTime before 1950 (which RFC 5280 forbids anyway) may be refused. */
		FUZZ_CHECK(year_digits == 4 && memcmp(text, "1950", 4) < 0);
	}
	talloc_free(ctx);
	return 0;
}
