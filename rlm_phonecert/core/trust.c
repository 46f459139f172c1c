/**
 * @file trust.c
 * @brief The store of uploaded anchors, indexed for constant-time issuer lookup.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <phonecert/lifecycle.h>
#include <phonecert/hex.h>
#include <phonecert/ossl_compat.h>
#include <phonecert/trust.h>
#include <phonecert/timeval.h>

/** Anchor files are small; anything bigger is a mistake (or hostile). */
#define ANCHOR_FILE_MAX (256 * 1024)

struct pc_trust_s {
	pc_anchor_t	**anchors;	//!< Load order.
	unsigned int	count;
	pc_anchor_t	**slots;	//!< Open addressing on the fingerprint, power-of-two size.
	size_t		nslots;
};

pc_trust_t *pc_trust_alloc(TALLOC_CTX *ctx)
{
	return talloc_zero(ctx, pc_trust_t);
}

void pc_trust_set_crl(pc_trust_t *trust, unsigned int index, struct pc_crl_s const *crl)
{
	if (index < trust->count) trust->anchors[index]->crl = crl;
}

unsigned int pc_trust_count(pc_trust_t const *trust)
{
	return trust ? trust->count : 0;
}

pc_anchor_t const *pc_trust_anchor(pc_trust_t const *trust, unsigned int index)
{
	return (trust && index < trust->count) ? trust->anchors[index] : NULL;
}

char const *pc_role_name(pc_role_t role)
{
	switch (role) {
	case PC_ROLE_LSC: return "lsc";
	case PC_ROLE_MIC: return "mic";
	}
	return "invalid";
}

char const *pc_state_name(pc_state_t state)
{
	switch (state) {
	case PC_STATE_ACTIVE: return "active";
	case PC_STATE_RETIRING: return "retiring";
	case PC_STATE_DISABLED: return "disabled";
	}
	return "invalid";
}

static uint64_t hash_string(char const *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static void slot_insert(pc_anchor_t **slots, size_t nslots, pc_anchor_t *anchor)
{
	size_t i = (size_t)hash_string(anchor->fingerprint) & (nslots - 1);

	while (slots[i]) i = (i + 1) & (nslots - 1);
	slots[i] = anchor;
}

static int index_add(pc_trust_t *trust, pc_anchor_t *anchor)
{
	pc_anchor_t **anchors;

	if ((trust->count + 1) * 2 > trust->nslots) {
		size_t nslots = trust->nslots ? trust->nslots * 2 : 16;
		pc_anchor_t **slots = talloc_zero_array(trust, pc_anchor_t *, nslots);
		unsigned int i;

		if (!slots) return -1;
		for (i = 0; i < trust->count; i++) slot_insert(slots, nslots, trust->anchors[i]);
		talloc_free(trust->slots);
		trust->slots = slots;
		trust->nslots = nslots;
	}

	anchors = talloc_realloc(trust, trust->anchors, pc_anchor_t *, trust->count + 1);
	if (!anchors) return -1;
	trust->anchors = anchors;
	trust->anchors[trust->count++] = anchor;
	slot_insert(trust->slots, trust->nslots, anchor);
	return 0;
}

static int anchor_free(pc_anchor_t *anchor)
{
	X509_free(anchor->cert);
	return 0;
}

/**
 * Read the file whole, refusing absurd sizes and anything but a regular file: a FIFO or a
 * device such as /dev/stdin would block radiusd's start or reload, or feed it endless data.
 * O_NONBLOCK makes the open itself return on a FIFO without a writer, so fstat can refuse it.
 */
static unsigned char *file_slurp(TALLOC_CTX *ctx, char const *path, size_t *len, pc_error_t *err)
{
	unsigned char *buf;
	struct stat st;
	ssize_t got;
	size_t n = 0;
	int fd;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		pc_error_set(err, "%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		pc_error_set(err, "%s: cannot read: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		pc_error_set(err, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	buf = talloc_array(ctx, unsigned char, ANCHOR_FILE_MAX + 1);
	if (!buf) {
		close(fd);
		pc_error_set(err, "%s: out of memory", path);
		return NULL;
	}
	while (n < ANCHOR_FILE_MAX + 1) {
		got = read(fd, buf + n, ANCHOR_FILE_MAX + 1 - n);
		if (got < 0 && errno == EINTR) continue;
		if (got < 0) {
			pc_error_set(err, "%s: cannot read: %s", path, strerror(errno));
			close(fd);
			talloc_free(buf);
			return NULL;
		}
		if (got == 0) break;
		n += (size_t)got;
	}
	close(fd);
	if (n > ANCHOR_FILE_MAX) {
		talloc_free(buf);
		pc_error_set(err, "%s: file is larger than %d bytes: not a CA certificate", path, ANCHOR_FILE_MAX);
		return NULL;
	}
	*len = n;
	return buf;
}

static bool contains(unsigned char const *buf, size_t len, char const *needle)
{
	size_t nlen = strlen(needle), i;

	for (i = 0; i + nlen <= len; i++) {
		if (memcmp(buf + i, needle, nlen) == 0) return true;
	}
	return false;
}

/** Exactly one certificate, PEM or DER, with nothing else that matters in the file. */
static X509 *parse_single_cert(unsigned char const *buf, size_t len, char const *path, pc_error_t *err)
{
	BIO *bio;
	X509 *cert, *extra;
	unsigned char const *p = buf;

	if (len == 0) {
		pc_error_set(err, "%s: file is empty", path);
		return NULL;
	}
	if (contains(buf, len, "PRIVATE KEY-----")) {
		pc_error_set(err, "%s: file contains a private key: upload only the CA certificate", path);
		return NULL;
	}

	if (contains(buf, len, "-----BEGIN")) {
		bio = BIO_new_mem_buf(buf, (int)len);
		if (!bio) goto oom;
		cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		if (!cert) {
			BIO_free(bio);
			pc_error_set_openssl(err, "%s: no readable PEM certificate", path);
			return NULL;
		}
		extra = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		BIO_free(bio);
		ERR_clear_error();
		if (extra) {
			X509_free(extra);
			X509_free(cert);
			pc_error_set(err, "%s: more than one certificate: put each CA in its own file and anchor", path);
			return NULL;
		}
		return cert;
	}

	cert = d2i_X509(NULL, &p, (long)len);
	if (!cert) {
		pc_error_set_openssl(err, "%s: neither a PEM nor a DER certificate", path);
		return NULL;
	}
	if ((size_t)(p - buf) != len) {		/* trailing garbage after the DER */
		X509_free(cert);
		pc_error_set(err, "%s: %zu bytes of trailing data after the DER certificate", path,
			     len - (size_t)(p - buf));
		return NULL;
	}
	return cert;

oom:
	pc_error_set(err, "%s: out of memory", path);
	return NULL;
}

static bool asn1_to_time(ASN1_TIME const *t, time_t *out)
{
	struct tm tm;

	if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return false;
	*out = timegm(&tm);
	return true;
}

static void describe_key(X509 *cert, char *buf, size_t buflen)
{
	EVP_PKEY *key = X509_get0_pubkey(cert);
	char group[64];
	size_t glen = 0;

	if (!key) {
		snprintf(buf, buflen, "unknown");
		return;
	}
	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_RSA:
		snprintf(buf, buflen, "RSA-%d", EVP_PKEY_get_bits(key));
		break;

	case EVP_PKEY_EC:
		if (EVP_PKEY_get_group_name(key, group, sizeof(group), &glen) == 1) {
			snprintf(buf, buflen, "EC-%s", group);
		} else {
			snprintf(buf, buflen, "EC-%d", EVP_PKEY_get_bits(key));
		}
		break;

	default:
		snprintf(buf, buflen, "%s-%d", OBJ_nid2sn(EVP_PKEY_get_base_id(key)), EVP_PKEY_get_bits(key));
		break;
	}
	ERR_clear_error();
}

static char *key_id_hex(TALLOC_CTX *ctx, X509 *cert)
{
	ASN1_OCTET_STRING const *ski = X509_get0_subject_key_id(cert);
	char *hex;
	int i;

	if (!ski || ski->length <= 0 || ski->length > 64) return NULL;
	hex = talloc_array(ctx, char, (size_t)ski->length * 2 + 1);
	if (!hex) return NULL;
	for (i = 0; i < ski->length; i++) snprintf(hex + i * 2, 3, "%02x", ski->data[i]);
	return hex;
}

static bool same_identity(pc_anchor_t const *a, pc_anchor_t const *b)
{
	if (strcmp(a->fingerprint, b->fingerprint) == 0) return true;
	if (strcmp(a->subject, b->subject) != 0 || strcmp(a->serial, b->serial) != 0) return false;
	if (!a->key_id || !b->key_id) return true;	/* nothing would tell them apart */
	return strcmp(a->key_id, b->key_id) == 0;
}

int pc_trust_add_file(pc_trust_t *trust, char const *name, char const *path, pc_role_t role,
		      pc_state_t state, time_t trust_until, pc_error_t *err)
{
	TALLOC_CTX *tmp = talloc_new(trust);
	pc_anchor_t *anchor;
	unsigned char *buf;
	unsigned int i;
	size_t len = 0;
	uint32_t exflags;
	char cn[256];

	if (!tmp) goto oom;
	buf = file_slurp(tmp, path, &len, err);
	if (!buf) goto fail;

	anchor = talloc_zero(tmp, pc_anchor_t);
	if (!anchor) goto oom;
	anchor->cert = parse_single_cert(buf, len, path, err);
	if (!anchor->cert) goto fail;
	talloc_set_destructor(anchor, anchor_free);

	/* A CA must say so: basicConstraints CA:TRUE, and keyCertSign if key usage is present. */
	exflags = X509_get_extension_flags(anchor->cert);
	if ((exflags & EXFLAG_INVALID) != 0) {
		pc_error_set(err, "%s: certificate has invalid or duplicate extensions", path);
		goto fail;
	}
	if ((exflags & EXFLAG_CA) == 0 || X509_check_ca(anchor->cert) != 1) {
		pc_error_set(err, "%s: not a CA certificate (no basicConstraints CA:TRUE): upload the CAPF or "
			     "manufacturing CA certificate, not a phone's%s%s", path,
			     role == PC_ROLE_LSC ? ".  If it is a CAPF certificate: " : "",
			     role == PC_ROLE_LSC ? pc_lifecycle_capf_advice : "");
		goto fail;
	}
	if ((exflags & EXFLAG_KUSAGE) != 0 && (X509_get_key_usage(anchor->cert) & KU_KEY_CERT_SIGN) == 0) {
		pc_error_set(err, "%s: CA certificate's key usage does not allow certificate signing (no keyCertSign)%s%s",
			     path, role == PC_ROLE_LSC ? ".  If it is a CAPF certificate: " : "",
			     role == PC_ROLE_LSC ? pc_lifecycle_capf_advice : "");
		goto fail;
	}

	anchor->name = talloc_strdup(anchor, name);
	anchor->file = talloc_strdup(anchor, path);
	anchor->role = role;
	anchor->state = state;
	anchor->trust_until = trust_until;
	anchor->subject = pc_x509_oneline(anchor, X509_get_subject_name(anchor->cert));
	anchor->issuer = pc_x509_oneline(anchor, X509_get_issuer_name(anchor->cert));
	anchor->serial = pc_x509_serial_hex(anchor, anchor->cert);
	anchor->key_id = key_id_hex(anchor, anchor->cert);
	if (!anchor->name || !anchor->file || !anchor->subject || !anchor->issuer) goto oom;
	if (!anchor->serial) {
		pc_error_set(err, "%s: serial number is missing or longer than 31 bytes", path);
		goto fail;
	}
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(anchor->cert), NID_commonName, cn, sizeof(cn)) <= 0) {
		cn[0] = '\0';
	}
	anchor->common_name = talloc_strdup(anchor, cn);

	if (!pc_x509_fingerprint(anchor->cert, anchor->fingerprint)) goto oom;

	if (!asn1_to_time(X509_get0_notBefore(anchor->cert), &anchor->not_before) ||
	    !asn1_to_time(X509_get0_notAfter(anchor->cert), &anchor->not_after)) {
		pc_error_set(err, "%s: unreadable validity dates", path);
		goto fail;
	}
	describe_key(anchor->cert, anchor->key_desc, sizeof(anchor->key_desc));
	anchor->sig_nid = X509_get_signature_nid(anchor->cert);

	for (i = 0; i < trust->count; i++) {
		if (same_identity(trust->anchors[i], anchor)) {
			if (strcmp(trust->anchors[i]->fingerprint, anchor->fingerprint) == 0) {
				pc_error_set(err, "%s: duplicate of anchor '%s' (%s): the same CA certificate is uploaded "
					     "twice", path, trust->anchors[i]->name, trust->anchors[i]->file);
			} else {
				pc_error_set(err, "%s: has the subject, serial and key identifier of anchor '%s' (%s) but "
					     "is another certificate: nothing in a phone's certificate could tell the two "
					     "apart; upload only the genuine one", path, trust->anchors[i]->name,
					     trust->anchors[i]->file);
			}
			goto fail;
		}
	}

	talloc_steal(trust, anchor);
	if (index_add(trust, anchor) < 0) {
		talloc_free(anchor);
		goto oom;
	}
	talloc_free(tmp);
	ERR_clear_error();
	return 0;

oom:
	pc_error_set(err, "%s: out of memory", path);
fail:
	talloc_free(tmp);
	ERR_clear_error();
	return -1;
}

pc_anchor_t const *pc_trust_find_fingerprint(pc_trust_t const *trust, char const *fingerprint)
{
	size_t i;

	if (!trust || trust->nslots == 0 || !fingerprint || !*fingerprint) return NULL;
	for (i = (size_t)hash_string(fingerprint) & (trust->nslots - 1);
	     trust->slots[i];
	     i = (i + 1) & (trust->nslots - 1)) {
		if (strcmp(trust->slots[i]->fingerprint, fingerprint) == 0) return trust->slots[i];
	}
	return NULL;
}

X509_STORE *pc_trust_x509_store(pc_trust_t const *trust)
{
	X509_STORE *store = X509_STORE_new();
	unsigned int i;

	if (!store) return NULL;
	for (i = 0; i < pc_trust_count(trust); i++) {
		if (X509_STORE_add_cert(store, trust->anchors[i]->cert) != 1) {
			X509_STORE_free(store);
			ERR_clear_error();
			return NULL;
		}
	}
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	return store;
}
