/**
 * @file crl.c
 * @brief An anchor's CRL: loaded and verified with OpenSSL against the anchor's key, looked up
 *	  by serial.
 */
#define _GNU_SOURCE	/* memmem */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <phonecert/crl.h>
#include <phonecert/file.h>
#include <phonecert/hex.h>

/** Enterprise CRLs can be large (a 10,000-entry CRL is about 400 KB); refuse the absurd. */
#define CRL_FILE_MAX (64 * 1024 * 1024)

/** Longest serial kept: a certificate's is at most 20 bytes (RFC 5280), longer ones match nothing. */
#define CRL_SERIAL_MAX 20

/** One revoked serial: its magnitude, leading zero bytes dropped, zero-padded. */
typedef struct {
	unsigned char	bytes[CRL_SERIAL_MAX];
	uint8_t		len;
	time_t		revoked_at;	//!< 0: unreadable.
} crl_serial_t;

struct pc_crl_s {
	char const	*path;
	X509_CRL	*crl;		//!< Owned until the load ends (freed by the destructor).
	crl_serial_t	*serials;	//!< Sorted by (len, bytes): a binary search per decision.
	unsigned int	nserials;
	time_t		this_update;
	time_t		next_update;	//!< 0: none.
	unsigned int	count;
	char		digest[65];
};

static int crl_free(pc_crl_t *crl)
{
	X509_CRL_free(crl->crl);
	crl->crl = NULL;
	return 0;
}

/** Order of (len, bytes): shorter magnitudes are smaller numbers. */
static int serial_cmp(unsigned char const *a, unsigned int alen, crl_serial_t const *b)
{
	if (alen != b->len) return alen < b->len ? -1 : 1;
	return memcmp(a, b->bytes, alen);
}

static int serial_sort_cmp(void const *a, void const *b)
{
	crl_serial_t const *x = a;

	return serial_cmp(x->bytes, x->len, b);
}

static bool time_read(ASN1_TIME const *t, time_t *out)
{
	struct tm tm;

	if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return false;
	*out = timegm(&tm);
	return true;
}

/** PEM (exactly one CRL block, nothing but text around it) or DER (nothing after it). */
static X509_CRL *crl_parse(char const *path, char const *data, size_t len, pc_error_t *err)
{
	X509_CRL *crl = NULL, *extra;
	BIO *bio;

	if (len > 5 && memmem(data, len, "-----BEGIN X509 CRL-----", 24)) {
		bio = BIO_new_mem_buf(data, (int)len);
		if (!bio) goto oom;
		crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
		extra = crl ? PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
		if (!crl) {
			pc_error_set_openssl(err, "%s: not a readable PEM CRL", path);
			return NULL;
		}
		if (extra) {
			X509_CRL_free(extra);
			X509_CRL_free(crl);
			pc_error_set(err, "%s: more than one CRL in the file (one per anchor)", path);
			return NULL;
		}
	} else {
		unsigned char const *p = (unsigned char const *)data;

		crl = d2i_X509_CRL(NULL, &p, (long)len);
		if (!crl) {
			pc_error_set_openssl(err, "%s: not a CRL (neither PEM nor DER)", path);
			return NULL;
		}
		if (p != (unsigned char const *)data + len) {
			X509_CRL_free(crl);
			pc_error_set(err, "%s: trailing data after the DER CRL", path);
			return NULL;
		}
	}
	ERR_clear_error();
	return crl;

oom:
	pc_error_set(err, "%s: out of memory", path);
	return NULL;
}

/** The CRL must be a complete, direct CRL of the anchor: refuse what would cover less. */
static bool crl_scope_ok(char const *path, X509_CRL *crl, pc_error_t *err)
{
	ISSUING_DIST_POINT *idp;
	int crit = -1;

	if (X509_CRL_get_ext_by_NID(crl, NID_delta_crl, -1) >= 0) {
		pc_error_set(err, "%s: a delta CRL (not supported: name the CA's full CRL)", path);
		return false;
	}
	idp = X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point, &crit, NULL);
	if (!idp && crit != -1) {
		pc_error_set(err, "%s: unreadable issuing distribution point extension", path);
		return false;
	}
	if (idp) {
		bool partial = idp->indirectCRL || idp->onlysomereasons || idp->onlyCA || idp->onlyattr;

		ISSUING_DIST_POINT_free(idp);
		if (partial) {
			pc_error_set(err, "%s: an indirect or partial CRL (only CA, attribute or some reasons' "
				     "certificates): not supported", path);
			return false;
		}
	}
	return true;
}

/**
 * The revoked serials, sorted.  Negative serials (no certificate has one: cert.c refuses them)
 * are kept by magnitude, which can only refuse more; serials longer than 20 bytes, which no
 * accepted certificate has, are dropped from the table but still counted.
 */
static bool serials_build(pc_crl_t *crl, STACK_OF(X509_REVOKED) *revoked, pc_error_t *err)
{
	unsigned int i, n = 0;

	crl->serials = talloc_zero_array(crl, crl_serial_t, crl->count ? crl->count : 1);
	if (!crl->serials) {
		pc_error_set(err, "%s: out of memory", crl->path);
		return false;
	}
	for (i = 0; i < crl->count; i++) {
		X509_REVOKED const *r = sk_X509_REVOKED_value(revoked, (int)i);
		ASN1_INTEGER const *ai = r ? X509_REVOKED_get0_serialNumber(r) : NULL;
		unsigned char const *data;
		int len;

		if (!ai || (len = ASN1_STRING_length(ai)) < 0 || (len > 0 && !ASN1_STRING_get0_data(ai))) {
			pc_error_set(err, "%s: unreadable revoked entry %u", crl->path, i + 1);
			return false;
		}
		data = ASN1_STRING_get0_data(ai);
		while (len > 0 && data[0] == 0) {
			data++;
			len--;
		}
		if (len == 0 || len > CRL_SERIAL_MAX) continue;
		memcpy(crl->serials[n].bytes, data, (size_t)len);
		crl->serials[n].len = (uint8_t)len;
		if (!time_read(X509_REVOKED_get0_revocationDate(r), &crl->serials[n].revoked_at)) {
			crl->serials[n].revoked_at = 0;
		}
		n++;
	}
	crl->nserials = n;
	qsort(crl->serials, n, sizeof(crl->serials[0]), serial_sort_cmp);
	return true;
}

int pc_crl_load(TALLOC_CTX *ctx, char const *path, X509 *issuer, pc_crl_t **out, pc_error_t *err)
{
	STACK_OF(X509_REVOKED) *revoked;
	EVP_PKEY *key;
	pc_crl_t *crl;
	char *data;
	size_t len = 0;

	*out = NULL;
	crl = talloc_zero(ctx, pc_crl_t);
	if (!crl || !(crl->path = talloc_strdup(crl, path))) {
		talloc_free(crl);
		pc_error_set(err, "%s: out of memory", path);
		return -1;
	}
	talloc_set_destructor(crl, crl_free);

	if (pc_file_read(crl, path, CRL_FILE_MAX, &data, &len, err) < 0) goto fail;
	if (len == 0) {
		pc_error_set(err, "%s: empty file", path);
		goto fail;
	}
	if (!pc_sha256_hex(data, len, crl->digest)) {
		pc_error_set_openssl(err, "%s: cannot compute its digest", path);
		goto fail;
	}
	crl->crl = crl_parse(path, data, len, err);
	talloc_free(data);
	if (!crl->crl) goto fail;

	/* Bound to the anchor by its key: the signature, not the issuer name, says whose CRL it is. */
	key = X509_get0_pubkey(issuer);
	if (!key || X509_CRL_verify(crl->crl, key) != 1) {
		pc_error_set_openssl(err, "%s: not signed by the key of the anchor's certificate", path);
		goto fail;
	}
	if (X509_NAME_cmp(X509_CRL_get_issuer(crl->crl), X509_get_subject_name(issuer)) != 0) {
		pc_error_set(err, "%s: signed by the anchor's key but issued under another name (indirect CRL): "
			     "not supported", path);
		goto fail;
	}
	if (!crl_scope_ok(path, crl->crl, err)) goto fail;
	if (!time_read(X509_CRL_get0_lastUpdate(crl->crl), &crl->this_update)) {
		pc_error_set(err, "%s: unreadable thisUpdate", path);
		goto fail;
	}
	if (X509_CRL_get0_nextUpdate(crl->crl) && !time_read(X509_CRL_get0_nextUpdate(crl->crl), &crl->next_update)) {
		pc_error_set(err, "%s: unreadable nextUpdate", path);
		goto fail;
	}
	revoked = X509_CRL_get_REVOKED(crl->crl);
	crl->count = revoked ? (unsigned int)sk_X509_REVOKED_num(revoked) : 0;
	if (!serials_build(crl, revoked, err)) goto fail;

	/* OpenSSL parsed and verified it; the decisions need only the sorted serials. */
	X509_CRL_free(crl->crl);
	crl->crl = NULL;
	ERR_clear_error();
	*out = crl;
	return 0;

fail:
	ERR_clear_error();
	talloc_free(crl);
	return -1;
}

pc_crl_status_t pc_crl_lookup(pc_crl_t const *crl, unsigned char const *serial, unsigned int serial_len,
			      time_t *revoked_at)
{
	unsigned int lo = 0, hi = crl->nserials;

	if (revoked_at) *revoked_at = 0;
	while (serial_len > 0 && serial[0] == 0) {
		serial++;
		serial_len--;
	}
	if (serial_len == 0 || serial_len > CRL_SERIAL_MAX) return PC_CRL_GOOD;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		int cmp = serial_cmp(serial, serial_len, &crl->serials[mid]);

		if (cmp == 0) {
			if (revoked_at) *revoked_at = crl->serials[mid].revoked_at;
			return PC_CRL_REVOKED;
		}
		if (cmp < 0) {
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}
	return PC_CRL_GOOD;
}

time_t pc_crl_next_update(pc_crl_t const *crl)
{
	return crl->next_update;
}

time_t pc_crl_this_update(pc_crl_t const *crl)
{
	return crl->this_update;
}

bool pc_crl_stale(pc_crl_t const *crl, time_t now)
{
	return crl->next_update != 0 && now >= crl->next_update;
}

char const *pc_crl_path(pc_crl_t const *crl)
{
	return crl->path;
}

unsigned int pc_crl_count(pc_crl_t const *crl)
{
	return crl->count;
}

char const *pc_crl_digest(pc_crl_t const *crl)
{
	return crl->digest;
}
