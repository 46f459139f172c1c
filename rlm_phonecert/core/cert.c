/**
 * @file cert.c
 * @brief A client certificate's facts read from its DER, and their bounded text encoding.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <phonecert/cert.h>
#include <phonecert/error.h>
#include <phonecert/hex.h>
#include <phonecert/ossl_compat.h>

/** Printable ASCII (space to tilde): the only bytes a name we act on may hold. */
static bool printable(unsigned char const *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] > 0x7e) return false;
	}
	return true;
}

/**
 * A name entry's value as UTF-8 (so a BMPString "SEP..." reads as what it says), checked to
 * be printable ASCII of 1..max bytes.  @return the length, -1 bad bytes, -2 too long.
 */
static int entry_text(X509_NAME_ENTRY const *entry, char *out, size_t max)
{
	unsigned char *utf8 = NULL;
	int len;

	len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
	if (len <= 0 || !printable(utf8, (size_t)len)) {
		OPENSSL_free(utf8);
		return -1;
	}
	if ((size_t)len > max) {
		OPENSSL_free(utf8);
		return -2;
	}
	memcpy(out, utf8, (size_t)len);
	out[len] = '\0';
	OPENSSL_free(utf8);
	return len;
}

static void read_cn(X509_NAME const *name, pc_cert_t *out)
{
	int idx, count = 0, len;

	out->cn_status = PC_CN_NONE;
	out->cn[0] = '\0';
	for (idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1); idx >= 0;
	     idx = X509_NAME_get_index_by_NID(name, NID_commonName, idx)) {
		if (++count > 1) {
			out->cn_status = PC_CN_SEVERAL;
			out->cn[0] = '\0';
			return;
		}
		len = entry_text(X509_NAME_get_entry(name, idx), out->cn, PC_CN_MAX);
		out->cn_status = len > 0 ? PC_CN_OK : len == -2 ? PC_CN_TOO_LONG : PC_CN_BAD_BYTES;
		if (len <= 0) out->cn[0] = '\0';
	}
}

static void read_serial_number(X509_NAME const *name, pc_cert_t *out)
{
	int idx = X509_NAME_get_index_by_NID(name, NID_serialNumber, -1);

	out->serial_number[0] = '\0';
	if (idx < 0) return;
	if (entry_text(X509_NAME_get_entry(name, idx), out->serial_number, sizeof(out->serial_number) - 1) <= 0) {
		out->serial_number[0] = '\0';
		out->flags |= PC_CERT_SN_BAD;
	}
}

/** The issuer's CN for messages: printable ASCII, anything else replaced by '?'. */
static void read_issuer_cn(X509_NAME const *name, pc_cert_t *out)
{
	int idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	ASN1_STRING const *value;
	int i, len;

	out->issuer_cn[0] = '\0';
	if (idx < 0) return;
	value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
	len = ASN1_STRING_length(value);
	if (len > PC_CN_MAX) len = PC_CN_MAX;
	for (i = 0; i < len; i++) {
		unsigned char c = ASN1_STRING_get0_data(value)[i];

		out->issuer_cn[i] = (c >= 0x20 && c <= 0x7e) ? (char)c : '?';
	}
	out->issuer_cn[len > 0 ? len : 0] = '\0';
}

static bool asn1_time_read(ASN1_TIME const *t, int64_t *out)
{
	struct tm tm;

	if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return false;
	*out = (int64_t)timegm(&tm);
	return true;
}

static void read_serial(X509 *leaf, pc_cert_t *out)
{
	ASN1_INTEGER const *sn = X509_get0_serialNumber(leaf);
	int len = sn ? ASN1_STRING_length(sn) : 0;

	out->serial_len = 0;
	if (!sn || len <= 0 || len > (int)sizeof(out->serial) || ASN1_STRING_type(sn) == V_ASN1_NEG_INTEGER) {
		out->flags |= PC_CERT_SERIAL_LONG;
		return;
	}
	memcpy(out->serial, ASN1_STRING_get0_data(sn), (size_t)len);
	out->serial_len = (unsigned int)len;
	/* RFC 5280 4.1.2.2: a positive integer.  Zero is not. */
	while (len > 0 && out->serial[len - 1] == 0) len--;
	if (len == 0) out->flags |= PC_CERT_SERIAL_LONG;
}

static void read_extensions(X509 *leaf, pc_cert_t *out)
{
	uint32_t ex = X509_get_extension_flags(leaf);	/* also makes OpenSSL parse them */
	ASN1_OCTET_STRING const *keyid;

	if (ex & EXFLAG_INVALID) out->flags |= PC_CERT_EXT_INVALID;
	/* CA:TRUE counts even beside a key usage without keyCertSign, which X509_check_ca() ignores. */
	if ((ex & EXFLAG_CA) || X509_check_ca(leaf) != 0) out->flags |= PC_CERT_CA;
	if (ex & EXFLAG_KUSAGE) {
		out->flags |= PC_CERT_KU;
		if (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) out->flags |= PC_CERT_KU_SIGN;
	}
	if (ex & EXFLAG_XKUSAGE) {
		out->flags |= PC_CERT_EKU;
		if (X509_get_extended_key_usage(leaf) & (XKU_SSL_CLIENT | XKU_ANYEKU)) out->flags |= PC_CERT_EKU_CLIENT;
	}
	if (X509_get_ext_by_NID(leaf, NID_authority_key_identifier, -1) >= 0) {
		out->flags |= PC_CERT_AKI;
		keyid = X509_get0_authority_key_id(leaf);
		if (keyid && ASN1_STRING_length(keyid) > 0) {
			if (ASN1_STRING_length(keyid) > (int)sizeof(out->aki)) {
				out->flags |= PC_CERT_AKI_LONG;
			} else {
				out->flags |= PC_CERT_AKI_KEYID;
				out->aki_len = (unsigned int)ASN1_STRING_length(keyid);
				memcpy(out->aki, ASN1_STRING_get0_data(keyid), out->aki_len);
			}
		}
	}
}

static void read_fingerprint(X509 *leaf, pc_cert_t *out)
{
	(void)pc_x509_fingerprint(leaf, out->fingerprint);	/* "" on failure: the decision refuses */
}

void pc_cert_from_x509(X509 *leaf, pc_cert_t *out)
{
	out->flags &= ~(uint32_t)0x0fff;	/* the PC_CERT_* bits; chain bits are the verifier's */
	out->aki_len = 0;
	read_cn(X509_get_subject_name(leaf), out);
	read_serial_number(X509_get_subject_name(leaf), out);
	read_issuer_cn(X509_get_issuer_name(leaf), out);
	read_serial(leaf, out);
	if (!asn1_time_read(X509_get0_notBefore(leaf), &out->not_before) ||
	    !asn1_time_read(X509_get0_notAfter(leaf), &out->not_after)) {
		out->flags |= PC_CERT_BAD_TIME;
	}
	read_extensions(leaf, out);
	read_fingerprint(leaf, out);
	ERR_clear_error();
}

/*
 *	The encoding: "pc2" then 15 fields, each after a ';', in this order:
 *	verify_error; error_depth; chain_length; untrusted; issuer_fp; flags (hex); cn_status;
 *	cn (hex); serial_number (hex); serial (hex); not_before; not_after; aki (hex);
 *	issuer_cn (hex); fingerprint.  Numbers are decimal, times may be negative.
 *
 *	"pc1" (without the fingerprint) is refused, not read: a record cached by an older module
 *	would slip past the deny-list's fingerprint entries.  Its session is refused once
 *	(no-cert-facts) and the phone's next full handshake makes a pc2 record.
 */
#define RECORD_TAG "pc2"
#define RECORD_FIELDS 15

static char *hex_put(char *p, char const *end, unsigned char const *data, size_t len)
{
	static char const digits[] = "0123456789abcdef";
	size_t i;

	if (!p || (size_t)(end - p) < len * 2 + 1) return NULL;
	for (i = 0; i < len; i++) {
		*p++ = digits[data[i] >> 4];
		*p++ = digits[data[i] & 0x0f];
	}
	return p;
}

static char *text_put(char *p, char const *end, char const *fmt, ...) PC_PRINTF(3, 4);
static char *text_put(char *p, char const *end, char const *fmt, ...)
{
	va_list ap;
	int n;

	if (!p) return NULL;
	va_start(ap, fmt);
	n = vsnprintf(p, (size_t)(end - p), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= end - p) return NULL;
	return p + n;
}

/** A NUL-terminated string of printable ASCII inside its array of size bytes. */
static bool field_text(char const *s, size_t size)
{
	size_t len = strnlen(s, size);

	return len < size && printable((unsigned char const *)s, len);
}

/** "" or exactly PC_FINGERPRINT_HEX - 1 lower-case hex digits, NUL-terminated in size bytes. */
static bool hex_fingerprint(char const *s, size_t size)
{
	size_t len = strnlen(s, size), i;

	if (len == size || (len != 0 && len != PC_FINGERPRINT_HEX - 1)) return false;
	for (i = 0; i < len; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
	}
	return true;
}

/** Whether pc_cert_decode() would accept the record's fields (see RECORD_FIELDS below). */
static bool record_valid(pc_cert_t const *c)
{
	size_t fp = strnlen(c->issuer_fp, sizeof(c->issuer_fp));
	size_t i;

	if (c->verify_error < 0 || c->verify_error > PC_VERIFY_ERROR_MAX) return false;
	if (c->error_depth < -1 || c->error_depth > PC_CHAIN_COUNT_MAX) return false;
	if (c->chain_length > PC_CHAIN_COUNT_MAX || c->untrusted > PC_CHAIN_COUNT_MAX) return false;
	if (fp != 0 && fp != PC_FINGERPRINT_HEX - 1) return false;
	for (i = 0; i < fp; i++) {
		if (!((c->issuer_fp[i] >= '0' && c->issuer_fp[i] <= '9') || (c->issuer_fp[i] >= 'a' && c->issuer_fp[i] <= 'f'))) {
			return false;
		}
	}
	if (c->flags > 0xffff) return false;
	if ((int)c->cn_status < PC_CN_OK || c->cn_status > PC_CN_TOO_LONG) return false;
	if (!field_text(c->cn, sizeof(c->cn)) || (c->cn_status == PC_CN_OK) != (c->cn[0] != '\0')) return false;
	if (!field_text(c->serial_number, sizeof(c->serial_number))) return false;
	if (c->serial_len > sizeof(c->serial) || c->aki_len > sizeof(c->aki)) return false;
	if ((c->aki_len > 0) != ((c->flags & PC_CERT_AKI_KEYID) != 0)) return false;
	if (c->not_before < INT64_MIN / 2 || c->not_before > INT64_MAX / 2) return false;
	if (c->not_after < INT64_MIN / 2 || c->not_after > INT64_MAX / 2) return false;
	if (!hex_fingerprint(c->fingerprint, sizeof(c->fingerprint))) return false;
	return field_text(c->issuer_cn, sizeof(c->issuer_cn));
}

size_t pc_cert_encode(pc_cert_t const *c, char *buf, size_t buflen)
{
	char *p, *end;

	if (!buf || buflen == 0) return 0;	/* before any arithmetic on buf */
	p = buf;
	end = buf + buflen;
	if (!c || !record_valid(c)) {
		buf[0] = '\0';
		return 0;
	}
	p = text_put(p, end, RECORD_TAG ";%d;%d;%u;%u;%s;%" PRIx32 ";%d;", c->verify_error, c->error_depth,
		     c->chain_length, c->untrusted, c->issuer_fp, c->flags, (int)c->cn_status);
	p = hex_put(p, end, (unsigned char const *)c->cn, strlen(c->cn));
	p = text_put(p, end, ";");
	p = hex_put(p, end, (unsigned char const *)c->serial_number, strlen(c->serial_number));
	p = text_put(p, end, ";");
	p = hex_put(p, end, c->serial, c->serial_len);
	p = text_put(p, end, ";%" PRId64 ";%" PRId64 ";", c->not_before, c->not_after);
	p = hex_put(p, end, c->aki, c->aki_len);
	p = text_put(p, end, ";");
	p = hex_put(p, end, (unsigned char const *)c->issuer_cn, strlen(c->issuer_cn));
	p = text_put(p, end, ";%s", c->fingerprint);
	if (!p || p >= end) {
		buf[0] = '\0';
		return 0;
	}
	*p = '\0';
	return (size_t)(p - buf);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	return -1;
}

/** Lower-case hex of at most max bytes into out.  @return the byte count, or -1. */
static int hex_get(char const *text, size_t len, unsigned char *out, size_t max)
{
	size_t i;

	if (len % 2 != 0 || len / 2 > max) return -1;
	for (i = 0; i < len; i += 2) {
		int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);

		if (hi < 0 || lo < 0) return -1;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return (int)(len / 2);
}

/** Hex of printable ASCII into a NUL-terminated string of at most size - 1 bytes. */
static bool hex_get_text(char const *text, size_t len, char *out, size_t size)
{
	int n = hex_get(text, len, (unsigned char *)out, size - 1);

	if (n < 0 || !printable((unsigned char const *)out, (size_t)n)) return false;
	out[n] = '\0';
	return true;
}

/** A decimal integer filling the whole field, within [min, max]. */
static bool number_get(char const *text, size_t len, int64_t min, int64_t max, int64_t *out)
{
	char buf[24], *end;
	long long v;

	if (len == 0 || len >= sizeof(buf)) return false;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (!(buf[0] == '-' || (buf[0] >= '0' && buf[0] <= '9'))) return false;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || *end || v < min || v > max) return false;
	*out = v;
	return true;
}

bool pc_cert_decode(char const *text, size_t len, pc_cert_t *out)
{
	char const *field[RECORD_FIELDS + 1], *p, *end;
	size_t flen[RECORD_FIELDS + 1];
	unsigned int n = 0, i;
	int64_t v;
	int bytes;

	memset(out, 0, sizeof(*out));
	if (!text || len >= PC_CERT_RECORD_MAX || memchr(text, '\0', len)) return false;

	/* Split on ';': exactly the tag and RECORD_FIELDS fields. */
	for (p = text, end = text + len; n <= RECORD_FIELDS; n++) {
		char const *semi = memchr(p, ';', (size_t)(end - p));

		field[n] = p;
		flen[n] = (size_t)((semi ? semi : end) - p);
		if (!semi) {
			n++;
			break;
		}
		p = semi + 1;
	}
	/* The last field must run to the end: a ';' after it starts a field too many. */
	if (n != RECORD_FIELDS + 1 || field[RECORD_FIELDS] + flen[RECORD_FIELDS] != end) goto bad;
	if (flen[0] != strlen(RECORD_TAG) || memcmp(field[0], RECORD_TAG, flen[0]) != 0) goto bad;

	if (!number_get(field[1], flen[1], 0, PC_VERIFY_ERROR_MAX, &v)) goto bad;
	out->verify_error = (int)v;
	if (!number_get(field[2], flen[2], -1, PC_CHAIN_COUNT_MAX, &v)) goto bad;
	out->error_depth = (int)v;
	if (!number_get(field[3], flen[3], 0, PC_CHAIN_COUNT_MAX, &v)) goto bad;
	out->chain_length = (unsigned int)v;
	if (!number_get(field[4], flen[4], 0, PC_CHAIN_COUNT_MAX, &v)) goto bad;
	out->untrusted = (unsigned int)v;
	if (flen[5] != 0 && flen[5] != PC_FINGERPRINT_HEX - 1) goto bad;
	for (i = 0; i < flen[5]; i++) {
		if (hex_digit(field[5][i]) < 0) goto bad;
	}
	memcpy(out->issuer_fp, field[5], flen[5]);
	out->issuer_fp[flen[5]] = '\0';
	{
		char buf[9], *e;
		unsigned long flags;

		if (flen[6] == 0 || flen[6] >= sizeof(buf)) goto bad;
		memcpy(buf, field[6], flen[6]);
		buf[flen[6]] = '\0';
		for (i = 0; i < flen[6]; i++) {
			if (hex_digit(buf[i]) < 0) goto bad;
		}
		flags = strtoul(buf, &e, 16);
		if (*e || flags > 0xffff) goto bad;
		out->flags = (uint32_t)flags;
	}
	if (!number_get(field[7], flen[7], PC_CN_OK, PC_CN_TOO_LONG, &v)) goto bad;
	out->cn_status = (pc_cn_status_t)v;
	if (!hex_get_text(field[8], flen[8], out->cn, sizeof(out->cn))) goto bad;
	if ((out->cn_status == PC_CN_OK) != (out->cn[0] != '\0')) goto bad;
	if (!hex_get_text(field[9], flen[9], out->serial_number, sizeof(out->serial_number))) goto bad;
	bytes = hex_get(field[10], flen[10], out->serial, sizeof(out->serial));
	if (bytes < 0) goto bad;
	out->serial_len = (unsigned int)bytes;
	if (!number_get(field[11], flen[11], INT64_MIN / 2, INT64_MAX / 2, &out->not_before)) goto bad;
	if (!number_get(field[12], flen[12], INT64_MIN / 2, INT64_MAX / 2, &out->not_after)) goto bad;
	bytes = hex_get(field[13], flen[13], out->aki, sizeof(out->aki));
	if (bytes < 0) goto bad;
	out->aki_len = (unsigned int)bytes;
	if ((out->aki_len > 0) != ((out->flags & PC_CERT_AKI_KEYID) != 0)) goto bad;
	if (!hex_get_text(field[14], flen[14], out->issuer_cn, sizeof(out->issuer_cn))) goto bad;
	if (flen[15] != 0 && flen[15] != PC_FINGERPRINT_HEX - 1) goto bad;
	for (i = 0; i < flen[15]; i++) {
		if (hex_digit(field[15][i]) < 0) goto bad;
	}
	memcpy(out->fingerprint, field[15], flen[15]);
	out->fingerprint[flen[15]] = '\0';
	return true;

bad:
	memset(out, 0, sizeof(*out));
	return false;
}

void pc_cert_serial_hex(pc_cert_t const *cert, char out[41])
{
	char *end = hex_put(out, out + 41, cert->serial, cert->serial_len);

	if (end) {
		*end = '\0';
	} else {
		out[0] = '\0';
	}
}
