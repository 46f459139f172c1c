/**
 * @file certload.c
 * @brief Every certificate in a file: PEM, DER, PKCS#7 (PEM or DER), or PEM blocks in a log.
 *
 * Admins bring certificates in whatever wrapping they found them: a .pem exported from CUCM,
 * a .der from a packet capture, a .p7b bundle, or a CAPF trace log ("Troubleshoot" writes the
 * phone's certificate into it, with log text around and sometimes a log prefix on each line).
 *
 * Everything here is read as hostile: DER must be consumed exactly (no trailing bytes), PEM
 * blocks are decoded by our own scanner (so a prefix or indentation is tolerated but a
 * damaged block is an error, never silently skipped), and sizes are bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "cli.h"

/** A CAPF trace log can be large; anything beyond this is not worth reading. */
#define CERT_FILE_MAX (64 * 1024 * 1024)
/** Certificates taken from one file. */
#define CERTS_MAX 4096
/** One certificate (PEM body or DER), far above any real phone or CA certificate. */
#define CERT_DER_MAX (1024 * 1024)

typedef struct {
	pc_cli_certs_t	*set;
	unsigned int	allocated;
	unsigned int	others_skipped;	//!< CSRs, CRLs, public keys: not certificates.
	char		other_label[64];
} loader_t;

static int certs_free(pc_cli_certs_t *set)
{
	unsigned int i;

	for (i = 0; i < set->count; i++) X509_free(set->certs[i].cert);
	return 0;
}

/** Add a certificate; takes ownership of cert (frees it on failure). */
static int certs_add(loader_t *ld, X509 *cert, char const *origin, pc_error_t *err)
{
	pc_cli_certs_t *set = ld->set;

	if (set->count >= CERTS_MAX) {
		X509_free(cert);
		pc_error_set(err, "%s: more than %d certificates", set->path, CERTS_MAX);
		return -1;
	}
	if (set->count == ld->allocated) {
		unsigned int n = ld->allocated ? ld->allocated * 2 : 4;
		pc_cli_cert_t *certs = talloc_realloc(set, set->certs, pc_cli_cert_t, n);

		if (!certs) {
			X509_free(cert);
			pc_error_set(err, "%s: out of memory", set->path);
			return -1;
		}
		set->certs = certs;
		ld->allocated = n;
	}
	set->certs[set->count].cert = cert;
	set->certs[set->count].origin = talloc_strdup(set, origin);
	set->count++;
	return 0;
}

/** Read the whole file (or stdin), refusing directories and absurd sizes. */
static unsigned char *file_read(TALLOC_CTX *ctx, char const *path, size_t *len, pc_error_t *err)
{
	unsigned char *buf = NULL;
	size_t used = 0, size = 0;
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			pc_error_set(err, "%s: cannot open: %s", path, strerror(errno));
			return NULL;
		}
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		pc_error_set(err, "%s: is a directory, not a certificate file", path);
		goto fail;
	}

	for (;;) {
		ssize_t n;

		if (used == size) {
			unsigned char *bigger;

			if (size > CERT_FILE_MAX) {
				pc_error_set(err, "%s: larger than %d bytes: not a certificate file", path, CERT_FILE_MAX);
				goto fail;
			}
			size = size ? size * 2 : 65536;
			if (size > CERT_FILE_MAX) size = CERT_FILE_MAX + 1;
			bigger = talloc_realloc(ctx, buf, unsigned char, size + 1);
			if (!bigger) {
				pc_error_set(err, "%s: out of memory", path);
				goto fail;
			}
			buf = bigger;
		}
		n = read(fd, buf + used, size - used);
		if (n < 0) {
			if (errno == EINTR) continue;
			pc_error_set(err, "%s: cannot read: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0) break;
		used += (size_t)n;
	}
	if (used > CERT_FILE_MAX) {
		pc_error_set(err, "%s: larger than %d bytes: not a certificate file", path, CERT_FILE_MAX);
		goto fail;
	}
	if (fd != STDIN_FILENO) close(fd);
	if (used == 0) {
		talloc_free(buf);
		pc_error_set(err, "%s: file is empty", path);
		return NULL;
	}
	buf[used] = '\0';	/* allocated size + 1: a terminator for the text scanners */
	*len = used;
	return buf;

fail:
	if (fd != STDIN_FILENO) close(fd);
	talloc_free(buf);
	return NULL;
}

/** The first queued OpenSSL reason (for messages), then an empty queue. */
static char const *openssl_reason(void)
{
	unsigned long code = ERR_peek_last_error();
	char const *why = code ? ERR_reason_error_string(code) : NULL;

	ERR_clear_error();
	return why ? why : "malformed ASN.1";
}

/** Take the certificates out of a PKCS#7 SignedData; p7 stays the caller's. */
static int pkcs7_certs(loader_t *ld, PKCS7 *p7, char const *where, pc_error_t *err)
{
	STACK_OF(X509) *certs = NULL;
	char origin[128];
	int i, n;

	if (PKCS7_type_is_signed(p7)) {
		certs = p7->d.sign ? p7->d.sign->cert : NULL;
	} else if (PKCS7_type_is_signedAndEnveloped(p7)) {
		certs = p7->d.signed_and_enveloped ? p7->d.signed_and_enveloped->cert : NULL;
	}
	n = certs ? sk_X509_num(certs) : 0;
	if (n <= 0) {
		pc_error_set(err, "%s: PKCS#7 bundle (%s) holds no certificate", ld->set->path, where);
		return -1;
	}
	for (i = 0; i < n; i++) {
		X509 *cert = X509_dup(sk_X509_value(certs, i));

		if (!cert) {
			pc_error_set(err, "%s: %s: cannot copy certificate %d: %s", ld->set->path, where, i + 1,
				     openssl_reason());
			return -1;
		}
		snprintf(origin, sizeof(origin), "%s, PKCS#7 certificate %d", where, i + 1);
		if (certs_add(ld, cert, origin, err) < 0) return -1;
	}
	return 0;
}

/** Length of a DER TLV (header + content) at buf, or 0 if the header is unreadable. */
static size_t der_tlv_length(unsigned char const *buf, size_t len)
{
	size_t content = 0, i, nbytes;

	if (len < 2) return 0;
	if ((buf[1] & 0x80) == 0) return 2 + buf[1];
	nbytes = buf[1] & 0x7f;
	if (nbytes == 0 || nbytes > sizeof(size_t) - 1 || len < 2 + nbytes) return 0;
	for (i = 0; i < nbytes; i++) content = (content << 8) | buf[2 + i];
	return 2 + nbytes + content;
}

typedef enum { DER_CERT, DER_PKCS7 } der_want_t;

/**
 * Decode one DER object that must fill [buf, buf + len) exactly.
 * @return 0 on success, -1 if it is not such an object (err says why).
 */
static int der_decode(loader_t *ld, unsigned char const *buf, size_t len, der_want_t want, bool aux,
		      char const *where, char const *errpfx, pc_error_t *err)
{
	char const *path = ld->set->path;
	unsigned char const *p = buf;
	size_t whole;

	if (len == 0 || buf[0] != 0x30) {
		pc_error_set(err, "%s: %snot DER (no ASN.1 SEQUENCE)", path, errpfx);
		return -1;
	}
	whole = der_tlv_length(buf, len);
	if (whole > len) {
		pc_error_set(err, "%s: %struncated DER (%zu of %zu bytes)", path, errpfx, len, whole);
		return -1;
	}
	if (len > CERT_DER_MAX) {
		pc_error_set(err, "%s: %sDER object larger than %d bytes", path, errpfx, CERT_DER_MAX);
		return -1;
	}

	if (want == DER_PKCS7) {
		PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
		int rcode;

		if (!p7) {
			pc_error_set(err, "%s: %snot a valid PKCS#7 bundle: %s", path, errpfx, openssl_reason());
			return -1;
		}
		if ((size_t)(p - buf) != len) {
			PKCS7_free(p7);
			pc_error_set(err, "%s: %s%zu bytes of trailing data after the PKCS#7 bundle", path, errpfx,
				     len - (size_t)(p - buf));
			return -1;
		}
		rcode = pkcs7_certs(ld, p7, where, err);
		PKCS7_free(p7);
		return rcode;
	} else {
		X509 *cert = aux ? d2i_X509_AUX(NULL, &p, (long)len) : d2i_X509(NULL, &p, (long)len);

		if (!cert) {
			pc_error_set(err, "%s: %snot a valid certificate: %s", path, errpfx, openssl_reason());
			return -1;
		}
		if ((size_t)(p - buf) != len) {
			X509_free(cert);
			pc_error_set(err, "%s: %s%zu bytes of trailing data after the certificate", path, errpfx,
				     len - (size_t)(p - buf));
			return -1;
		}
		return certs_add(ld, cert, where, err);
	}
}

/** A whole binary file: one DER certificate, or a DER PKCS#7 bundle. */
static int der_file(loader_t *ld, unsigned char const *buf, size_t len, pc_error_t *err)
{
	pc_error_t cert_err;
	unsigned char const *p = buf;
	EVP_PKEY *key;

	if (buf[0] != 0x30) {
		pc_error_set(err, "%s: not a certificate (neither PEM, DER nor PKCS#7)", ld->set->path);
		return -1;
	}
	if (der_decode(ld, buf, len, DER_CERT, false, "DER", "", &cert_err) == 0) return 0;
	if (der_decode(ld, buf, len, DER_PKCS7, false, "DER", "", err) == 0) return 0;

	/* Say "a private key" rather than "malformed certificate" when that is what it is. */
	key = d2i_AutoPrivateKey(NULL, &p, (long)len);
	if (key) {
		EVP_PKEY_free(key);
		ERR_clear_error();
		pc_error_set(err, "%s: holds a private key (DER), not a certificate", ld->set->path);
		return -1;
	}
	ERR_clear_error();
	*err = cert_err;
	return -1;
}

static bool label_is(unsigned char const *label, size_t len, char const *name)
{
	return strlen(name) == len && memcmp(label, name, len) == 0;
}

/** No byte that text never holds (DER always has some: tags 0x02, 0x06...). */
static bool looks_like_text(unsigned char const *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] < 0x20 && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\f') return false;
		if (buf[i] == 0x7f) return false;
	}
	return true;
}

static bool is_base64(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/' || c == '=';
}

/** The first needle in [from, end), or NULL (memmem is a GNU extension). */
static unsigned char const *find_bytes(unsigned char const *from, unsigned char const *end,
				       void const *needle, size_t nlen)
{
	unsigned char const *p = from;

	while (p < end && (size_t)(end - p) >= nlen) {
		p = memchr(p, *(unsigned char const *)needle, (size_t)(end - p) - nlen + 1);
		if (!p) return NULL;
		if (memcmp(p, needle, nlen) == 0) return p;
		p++;
	}
	return NULL;
}

static unsigned char const *find(unsigned char const *from, unsigned char const *end, char const *needle)
{
	return find_bytes(from, end, needle, strlen(needle));
}

/** Line numbers for messages, counted forward only (a log may hold thousands of blocks). */
typedef struct {
	unsigned char const	*pos;
	unsigned int		line;
} line_counter_t;

static unsigned int line_number(line_counter_t *lc, unsigned char const *at)
{
	for (; lc->pos < at; lc->pos++) {
		if (*lc->pos == '\n') lc->line++;
	}
	return lc->line;
}

/**
 * The base64 of one PEM body, line by line: whitespace is trimmed, a log prefix identical to
 * the one before the BEGIN line is removed, and otherwise the last space-separated word is
 * taken (log lines whose prefix varies, e.g. by timestamp).  What remains must be base64.
 */
static unsigned char *pem_body(TALLOC_CTX *ctx, unsigned char const *body, unsigned char const *body_end,
			       unsigned char const *prefix, size_t prefix_len, size_t *out_len,
			       unsigned char const **bad_line)
{
	unsigned char *b64 = talloc_array(ctx, unsigned char, (size_t)(body_end - body) + 1);
	unsigned char const *line = body;
	size_t n = 0;

	if (!b64) return NULL;
	while (line < body_end) {
		unsigned char const *eol = memchr(line, '\n', (size_t)(body_end - line));
		unsigned char const *s = line, *e = eol ? eol : body_end, *word;

		if (prefix_len && (size_t)(e - s) >= prefix_len && memcmp(s, prefix, prefix_len) == 0) s += prefix_len;
		while (s < e && (*s == ' ' || *s == '\t' || *s == '\r')) s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
		for (word = e; word > s && word[-1] != ' ' && word[-1] != '\t' && word[-1] != '|'; word--);
		for (; word < e; word++) {
			if (!is_base64(*word)) {
				*bad_line = line;
				talloc_free(b64);
				return NULL;
			}
			b64[n++] = *word;
		}
		line = eol ? eol + 1 : body_end;
	}
	*out_len = n;
	return b64;
}

static unsigned char *base64_decode(TALLOC_CTX *ctx, unsigned char const *b64, size_t len, size_t *out_len)
{
	EVP_ENCODE_CTX *ectx;
	unsigned char *der;
	int n = 0, fin = 0;

	if (len == 0 || len > (size_t)CERT_DER_MAX * 4 / 3 + 4) return NULL;
	der = talloc_array(ctx, unsigned char, len / 4 * 3 + 3);
	ectx = EVP_ENCODE_CTX_new();
	if (!der || !ectx) {
		EVP_ENCODE_CTX_free(ectx);
		talloc_free(der);
		return NULL;
	}
	EVP_DecodeInit(ectx);
	if (EVP_DecodeUpdate(ectx, der, &n, b64, (int)len) < 0 || EVP_DecodeFinal(ectx, der + n, &fin) != 1) {
		EVP_ENCODE_CTX_free(ectx);
		talloc_free(der);
		ERR_clear_error();
		return NULL;
	}
	EVP_ENCODE_CTX_free(ectx);
	*out_len = (size_t)(n + fin);
	return der;
}

/** Every "-----BEGIN X-----" ... "-----END X-----" block anywhere in the text. */
static int pem_scan(loader_t *ld, unsigned char const *buf, size_t len, pc_error_t *err)
{
	unsigned char const *end = buf + len, *p = buf;
	char const *path = ld->set->path;
	line_counter_t lines = { buf, 1 };

	while ((p = find(p, end, "-----BEGIN ")) != NULL) {
		unsigned char const *label = p + 11, *label_end, *body, *body_end, *line_start, *bad = NULL;
		unsigned char *b64, *der;
		size_t label_len, b64_len = 0, der_len = 0;
		char end_marker[96], where[96], errpfx[96];
		bool pkcs7;
		unsigned int line = line_number(&lines, p);
		TALLOC_CTX *tmp;
		int rcode;

		label_end = find(label, end, "-----");
		if (!label_end || memchr(label, '\n', (size_t)(label_end - label))) {
			pc_error_set(err, "%s: line %u: malformed PEM BEGIN line", path, line);
			return -1;
		}
		label_len = (size_t)(label_end - label);
		if (label_len == 0 || label_len > 48) {
			pc_error_set(err, "%s: line %u: malformed PEM BEGIN line", path, line);
			return -1;
		}
		snprintf(end_marker, sizeof(end_marker), "-----END %.*s-----", (int)label_len, (char const *)label);
		body = label_end + 5;
		body_end = find(body, end, end_marker);
		if (!body_end) {
			pc_error_set(err, "%s: line %u: truncated PEM block (no \"%s\" line)", path, line, end_marker);
			return -1;
		}

		/* Labels: RFC 7468, plus the older spellings still found in the field. */
		if (find_bytes(label, label + label_len, "PRIVATE KEY", 11)) {
			ld->set->keys_skipped++;
			p = body_end + strlen(end_marker);
			continue;
		}
		pkcs7 = label_is(label, label_len, "PKCS7") || label_is(label, label_len, "PKCS #7 SIGNED DATA") ||
			label_is(label, label_len, "CMS");
		if (!pkcs7 && !label_is(label, label_len, "CERTIFICATE") &&
		    !label_is(label, label_len, "X509 CERTIFICATE") && !label_is(label, label_len, "TRUSTED CERTIFICATE")) {
			ld->others_skipped++;
			snprintf(ld->other_label, sizeof(ld->other_label), "%.*s", (int)label_len, (char const *)label);
			p = body_end + strlen(end_marker);
			continue;
		}

		/* Whatever precedes BEGIN on its line is a log prefix that body lines may repeat. */
		for (line_start = p; line_start > buf && line_start[-1] != '\n'; line_start--);

		tmp = talloc_new(NULL);
		if (!tmp) {
			pc_error_set(err, "%s: out of memory", path);
			return -1;
		}
		b64 = pem_body(tmp, body, body_end, line_start, (size_t)(p - line_start), &b64_len, &bad);
		if (!b64) {
			if (bad) {
				pc_error_set(err, "%s: line %u: not base64, inside the PEM block at line %u", path,
					     line_number(&lines, bad), line);
			} else {
				pc_error_set(err, "%s: out of memory", path);
			}
			talloc_free(tmp);
			return -1;
		}
		der = base64_decode(tmp, b64, b64_len, &der_len);
		if (!der) {
			pc_error_set(err, "%s: PEM block at line %u: invalid or empty base64", path, line);
			talloc_free(tmp);
			return -1;
		}
		snprintf(where, sizeof(where), "PEM block at line %u", line);
		snprintf(errpfx, sizeof(errpfx), "PEM block at line %u: ", line);
		rcode = der_decode(ld, der, der_len, pkcs7 ? DER_PKCS7 : DER_CERT,
				   label_is(label, label_len, "TRUSTED CERTIFICATE"), where, errpfx, err);
		talloc_free(tmp);
		if (rcode < 0) return -1;
		p = body_end + strlen(end_marker);
	}

	if (ld->set->count > 0) return 0;
	if (ld->set->keys_skipped > 0) {
		pc_error_set(err, "%s: holds a private key, not a certificate", path);
	} else if (ld->others_skipped > 0) {
		pc_error_set(err, "%s: holds no certificate (only PEM blocks such as \"%s\")", path, ld->other_label);
	} else {
		pc_error_set(err, "%s: no certificate found", path);
	}
	return -1;
}

int pc_cli_certs_load(TALLOC_CTX *ctx, char const *path, pc_cli_certs_t **out, pc_error_t *err)
{
	TALLOC_CTX *tmp = talloc_new(NULL);
	loader_t ld;
	unsigned char *buf;
	size_t len = 0;
	bool pem;
	int rcode = -1;

	*out = NULL;
	memset(&ld, 0, sizeof(ld));
	if (!tmp) goto oom;
	ld.set = talloc_zero(tmp, pc_cli_certs_t);
	if (!ld.set) goto oom;
	talloc_set_destructor(ld.set, certs_free);
	ld.set->path = talloc_strdup(ld.set, strcmp(path, "-") == 0 ? "(stdin)" : path);
	if (!ld.set->path) goto oom;

	buf = file_read(tmp, path, &len, err);
	if (!buf) goto done;

	/*
	 *	A DER file starts with a SEQUENCE (0x30, which is also the digit '0' that many logs
	 *	start with): try DER first when it fits, PEM blocks otherwise.
	 */
	pem = find(buf, buf + len, "-----BEGIN ") != NULL;
	if (pem && !(buf[0] == 0x30 && der_tlv_length(buf, len) == len)) {
		rcode = pem_scan(&ld, buf, len, err);
	} else if (!pem && looks_like_text(buf, len)) {
		pc_error_set(err, "%s: no certificate found (no \"-----BEGIN CERTIFICATE-----\" block, not DER)",
			     ld.set->path);
	} else {
		rcode = der_file(&ld, buf, len, err);
	}
	if (rcode == 0) *out = talloc_steal(ctx, ld.set);
	goto done;

oom:
	pc_error_set(err, "%s: out of memory", path);
done:
	talloc_free(tmp);
	ERR_clear_error();
	return rcode;
}
