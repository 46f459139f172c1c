/**
 * @file timeval.c
 * @brief Strict time parsing for configuration values and certificate attributes.
 */
#include <stdio.h>
#include <string.h>

#include <phonecert/timeval.h>

/** Read exactly n decimal digits. */
static bool read_digits(char const **p, unsigned int n, int *out)
{
	int value = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)(*p)[i];

		if (c < '0' || c > '9') return false;
		value = value * 10 + (c - '0');
	}
	*p += n;
	*out = value;
	return true;
}

static bool is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/** Admin-written times start at the epoch (an earlier deadline is a typo) and end with 9999. */
#define ADMIN_YEAR_MIN 1970
#define ADMIN_TIME_MAX ((time_t)253402300799)	/* 9999-12-31T23:59:59Z */
/** UTCTime reaches back to 1950 (RFC 5280: YY >= 50 is 19YY); certificates may start then. */
#define ASN1_YEAR_MIN 1950

/**
 * Build a UTC time from fields, refusing anything out of range (no normalisation).  Second 60
 * is refused too: time_t has no leap seconds, and OpenSSL refuses it in certificates.
 */
static bool make_utc(int year_min, int year, int month, int day, int hour, int minute, int second, time_t *out)
{
	static int const days_in_month[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	struct tm tm;
	int max_day;

	if (year < year_min || year > 9999 || month < 1 || month > 12) return false;
	max_day = days_in_month[month - 1] + ((month == 2 && is_leap(year)) ? 1 : 0);
	if (day < 1 || day > max_day) return false;
	if (hour > 23 || minute > 59 || second > 59) return false;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = second;
	*out = timegm(&tm);
	return true;
}

bool pc_time_parse(char const *text, time_t *out)
{
	char const *p = text;
	int year, month, day, hour = 0, minute = 0, second = 0, off_h = 0, off_m = 0, sign = 1;
	time_t when;

	if (!text) return false;
	if (!read_digits(&p, 4, &year) || *p++ != '-' || !read_digits(&p, 2, &month) ||
	    *p++ != '-' || !read_digits(&p, 2, &day)) return false;

	if (*p == '\0') goto done;		/* date alone: midnight UTC */

	if (*p != 'T' && *p != ' ') return false;
	p++;
	if (!read_digits(&p, 2, &hour) || *p++ != ':' || !read_digits(&p, 2, &minute)) return false;
	if (*p == ':') {
		p++;
		if (!read_digits(&p, 2, &second)) return false;
	}

	switch (*p) {
	case 'Z':
		p++;
		break;

	case '+':
	case '-':
		sign = (*p == '-') ? -1 : 1;
		p++;
		if (!read_digits(&p, 2, &off_h) || *p++ != ':' || !read_digits(&p, 2, &off_m)) return false;
		if (off_h > 14 || off_m > 59) return false;
		break;

	default:
		return false;	/* a time without a zone is ambiguous: refuse it */
	}
	if (*p != '\0') return false;

done:
	if (!make_utc(ADMIN_YEAR_MIN, year, month, day, hour, minute, second, &when)) return false;

	/* The offset may carry the instant out of the range (1970-01-01T00:00+00:01 is 1969):
	 * refuse it there too, so that whatever is accepted prints as a time we accept again. */
	when -= sign * (off_h * 3600 + off_m * 60);
	if (when < 0 || when > ADMIN_TIME_MAX) return false;
	*out = when;
	return true;
}

bool pc_time_parse_asn1(char const *text, time_t *out)
{
	char const *p = text;
	size_t len;
	int year, month, day, hour, minute, second;

	if (!text) return false;
	len = strlen(text);
	if (len == 13) {		/* UTCTime: YY >= 50 means 19YY (RFC 5280) */
		if (!read_digits(&p, 2, &year)) return false;
		year += (year >= 50) ? 1900 : 2000;
	} else if (len == 15) {
		if (!read_digits(&p, 4, &year)) return false;
	} else {
		return false;
	}
	if (!read_digits(&p, 2, &month) || !read_digits(&p, 2, &day) || !read_digits(&p, 2, &hour) ||
	    !read_digits(&p, 2, &minute) || !read_digits(&p, 2, &second)) return false;
	if (p[0] != 'Z' || p[1] != '\0') return false;

	return make_utc(ASN1_YEAR_MIN, year, month, day, hour, minute, second, out);
}

char *pc_time_format(time_t when, char *buf, size_t buflen)
{
	struct tm tm;

	if (!gmtime_r(&when, &tm) || strftime(buf, buflen, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		snprintf(buf, buflen, "@%lld", (long long)when);
	}
	return buf;
}
