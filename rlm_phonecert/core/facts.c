/**
 * @file facts.c
 * @brief Certificate facts from an X509, in the exact string forms FreeRADIUS 3.2 produces.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <phonecert/facts.h>

char *pc_x509_oneline(TALLOC_CTX *ctx, X509_NAME const *name)
{
	char buf[PC_ONELINE_MAX + 1];

	/* The same call and buffer as FreeRADIUS, so strings compare equal: OpenSSL leaves out
	 * the components that do not fit (whole) and all after them. */
	if (!X509_NAME_oneline(name, buf, sizeof(buf))) return NULL;
	buf[sizeof(buf) - 1] = '\0';
	return talloc_strdup(ctx, buf);
}

char *pc_x509_serial_hex(TALLOC_CTX *ctx, X509 const *cert)
{
	ASN1_INTEGER const *sn = X509_get0_serialNumber(cert);
	char *hex, *p;
	int i;

	if (!sn || sn->length <= 0 || sn->length >= 32) return NULL;	/* FreeRADIUS skips longer ones */
	hex = talloc_array(ctx, char, (size_t)sn->length * 2 + 1);
	if (!hex) return NULL;
	for (i = 0, p = hex; i < sn->length; i++, p += 2) {
		static char const digits[] = "0123456789abcdef";

		p[0] = digits[sn->data[i] >> 4];
		p[1] = digits[sn->data[i] & 0x0f];
	}
	*p = '\0';
	return hex;
}

/** Raw ASN.1 time text, as FreeRADIUS copies it. */
static char *asn1_time_text(TALLOC_CTX *ctx, ASN1_TIME const *t)
{
	if (!t || t->length <= 0 || t->length >= 64) return NULL;
	return talloc_strndup(ctx, (char const *)t->data, (size_t)t->length);
}

/** An extension's value printed by OpenSSL, as FreeRADIUS does (X509V3_EXT_print). */
static char *extension_text(TALLOC_CTX *ctx, X509 *cert, int nid)
{
	X509_EXTENSION *ext;
	BIO *bio;
	char buf[1024];
	int idx, len;
	char *text = NULL;

	idx = X509_get_ext_by_NID(cert, nid, -1);
	if (idx < 0) return NULL;
	ext = X509_get_ext(cert, idx);
	bio = BIO_new(BIO_s_mem());
	if (!bio) return NULL;
	if (X509V3_EXT_print(bio, ext, 0, 0) == 1) {
		len = BIO_read(bio, buf, sizeof(buf) - 1);
		if (len > 0) {
			buf[len] = '\0';
			text = talloc_strdup(ctx, buf);
		}
	}
	BIO_free(bio);
	return text;
}

pc_fact_field_t const pc_fact_fields[PC_FACT_COUNT] = {
	{ "TLS-Client-Cert-Subject",			offsetof(pc_cert_facts_t, subject) },
	{ "TLS-Client-Cert-Issuer",			offsetof(pc_cert_facts_t, issuer) },
	{ "TLS-Client-Cert-Common-Name",		offsetof(pc_cert_facts_t, common_name) },
	{ "TLS-Client-Cert-Serial",			offsetof(pc_cert_facts_t, serial) },
	{ "TLS-Client-Cert-X509v3-Authority-Key-Identifier", offsetof(pc_cert_facts_t, authority_key_id) },
	{ "TLS-Client-Cert-X509v3-Basic-Constraints",	offsetof(pc_cert_facts_t, basic_constraints) },
	{ "TLS-Client-Cert-X509v3-Extended-Key-Usage",	offsetof(pc_cert_facts_t, ext_key_usage) },
	{ "TLS-Client-Cert-X509v3-Key-Usage",		offsetof(pc_cert_facts_t, key_usage) },
	{ "TLS-Client-Cert-Valid-Since",		offsetof(pc_cert_facts_t, not_before) },
	{ "TLS-Client-Cert-Expiration",			offsetof(pc_cert_facts_t, not_after) },
	{ "TLS-Cert-Subject",				offsetof(pc_cert_facts_t, issuer_subject) },
	{ "TLS-Cert-Issuer",				offsetof(pc_cert_facts_t, issuer_issuer) },
	{ "TLS-Cert-Serial",				offsetof(pc_cert_facts_t, issuer_serial) },
	{ "TLS-Cert-Expiration",			offsetof(pc_cert_facts_t, issuer_not_after) },
};

void pc_facts_set(pc_cert_facts_t *facts, unsigned int field, char const *value)
{
	char const **slot;

	if (field >= PC_FACT_COUNT) return;
	slot = (char const **)((char *)facts + pc_fact_fields[field].offset);
	if (!*slot) *slot = value;
}

int pc_facts_from_x509(TALLOC_CTX *ctx, X509 *leaf, X509 *issuer, pc_cert_facts_t *out, pc_error_t *err)
{
	char cn[1024];
	int cn_len;

	memset(out, 0, sizeof(*out));
	if (!leaf) {
		pc_error_set(err, "no certificate");
		return -1;
	}

	out->subject = pc_x509_oneline(ctx, X509_get_subject_name(leaf));
	out->issuer = pc_x509_oneline(ctx, X509_get_issuer_name(leaf));
	out->serial = pc_x509_serial_hex(ctx, leaf);
	out->not_before = asn1_time_text(ctx, X509_get0_notBefore(leaf));
	out->not_after = asn1_time_text(ctx, X509_get0_notAfter(leaf));

	/* Same call and buffer as FreeRADIUS: an embedded NUL ends the string here. */
	cn_len = X509_NAME_get_text_by_NID(X509_get_subject_name(leaf), NID_commonName, cn, sizeof(cn));
	if (cn_len > 0 && cn[0]) out->common_name = talloc_strdup(ctx, cn);

	out->authority_key_id = extension_text(ctx, leaf, NID_authority_key_identifier);
	out->basic_constraints = extension_text(ctx, leaf, NID_basic_constraints);
	out->ext_key_usage = extension_text(ctx, leaf, NID_ext_key_usage);
	out->key_usage = extension_text(ctx, leaf, NID_key_usage);

	if (issuer) {
		out->issuer_subject = pc_x509_oneline(ctx, X509_get_subject_name(issuer));
		out->issuer_issuer = pc_x509_oneline(ctx, X509_get_issuer_name(issuer));
		out->issuer_serial = pc_x509_serial_hex(ctx, issuer);
		out->issuer_not_after = asn1_time_text(ctx, X509_get0_notAfter(issuer));
	}
	ERR_clear_error();
	return 0;
}
