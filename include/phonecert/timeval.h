/**
 * @file phonecert/timeval.h
 * @brief Strict parsing and printing of the times that appear in configs and certificates.
 */
#ifndef PHONECERT_TIMEVAL_H
#define PHONECERT_TIMEVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <phonecert/error.h>

/** Buffer size for pc_time_format(). */
#define PC_TIME_STRLEN 32

/**
 * Parse an admin-written time: "YYYY-MM-DD" (midnight UTC), "YYYY-MM-DDTHH:MM[:SS]" followed by
 * "Z" or "+HH:MM"/"-HH:MM" (a space may replace the 'T'), from 1970 to 9999 in UTC.  Anything
 * else, including trailing text and out-of-range fields (month 13, Feb 30, second 60), is
 * refused: what is accepted prints (pc_time_format) as a time that is accepted again.
 */
bool pc_time_parse(char const *text, time_t *out) PC_MUST_CHECK;

/**
 * Parse an ASN.1 time as FreeRADIUS copies it into TLS-Client-Cert-Expiration: the DER forms
 * of RFC 5280, UTCTime "YYMMDDHHMMSSZ" (YY >= 50 is 19YY, else 20YY) or GeneralizedTime
 * "YYYYMMDDHHMMSSZ" (1950 to 9999), read as OpenSSL reads them (second 60 is refused).
 */
bool pc_time_parse_asn1(char const *text, time_t *out) PC_MUST_CHECK;

/** Format as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least PC_TIME_STRLEN bytes); returns buf. */
char *pc_time_format(time_t when, char *buf, size_t buflen);

#endif
