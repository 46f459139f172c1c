/**
 * @file certinfo.c
 * @brief Readable views of certificate fields, for display only (decisions use the core's facts).
 */
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <phonecert/facts.h>
#include <phonecert/ossl_compat.h>

#include "cli.h"

char *pc_cli_name_rfc2253(TALLOC_CTX *ctx, X509_NAME const *name)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *text = NULL;
	long len;

	if (!bio) return NULL;
	/* XN_FLAG_RFC2253 escapes control and non-ASCII bytes (\XX), so the text is inert. */
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0) {
		len = BIO_get_mem_data(bio, &data);
		text = (len > 0) ? talloc_strndup(ctx, data, (size_t)len) : talloc_strdup(ctx, "");
	}
	BIO_free(bio);
	ERR_clear_error();
	return text;
}

char *pc_cli_hex_colon(TALLOC_CTX *ctx, unsigned char const *data, size_t len)
{
	static char const digits[] = "0123456789ABCDEF";
	char *hex, *p;
	size_t i;

	hex = talloc_array(ctx, char, len ? len * 3 : 1);
	if (!hex) return NULL;
	for (i = 0, p = hex; i < len; i++) {
		if (i > 0) *p++ = ':';
		*p++ = digits[data[i] >> 4];
		*p++ = digits[data[i] & 0x0f];
	}
	*p = '\0';
	return hex;
}

char *pc_cli_fingerprint(TALLOC_CTX *ctx, X509 const *cert)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (X509_digest(cert, EVP_sha256(), md, &mdlen) != 1) {
		ERR_clear_error();
		return NULL;
	}
	return pc_cli_hex_colon(ctx, md, mdlen);
}

char *pc_cli_hex_to_colon(TALLOC_CTX *ctx, char const *hex)
{
	size_t len = hex ? strlen(hex) : 0, i;
	char *out, *p;

	if (!hex || (len % 2) != 0) return NULL;
	out = talloc_array(ctx, char, len ? len / 2 * 3 : 1);
	if (!out) return NULL;
	for (i = 0, p = out; i < len; i += 2) {
		if (i > 0) *p++ = ':';
		*p++ = (char)((hex[i] >= 'a' && hex[i] <= 'f') ? hex[i] - 'a' + 'A' : hex[i]);
		*p++ = (char)((hex[i + 1] >= 'a' && hex[i + 1] <= 'f') ? hex[i + 1] - 'a' + 'A' : hex[i + 1]);
	}
	*p = '\0';
	return out;
}

void pc_cli_key_describe(X509 *cert, pc_cli_key_t *out)
{
	EVP_PKEY *key = X509_get0_pubkey(cert);
	size_t glen = 0;

	memset(out, 0, sizeof(*out));
	out->type = "unknown";
	if (!key) {
		ERR_clear_error();
		return;
	}
	out->bits = EVP_PKEY_get_bits(key);
	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_RSA:
		out->type = "RSA";
		break;

	case EVP_PKEY_EC:
		out->type = "EC";
		if (EVP_PKEY_get_group_name(key, out->curve, sizeof(out->curve), &glen) != 1) out->curve[0] = '\0';
		break;

	default:
		out->type = OBJ_nid2sn(EVP_PKEY_get_base_id(key));
		if (!out->type) out->type = "unknown";
		break;
	}
	ERR_clear_error();
}

bool pc_cli_signature_is_weak(int sig_nid)
{
	int md_nid = NID_undef, pk_nid = NID_undef;

	if (!OBJ_find_sigid_algs(sig_nid, &md_nid, &pk_nid)) return false;
	return md_nid == NID_sha1 || md_nid == NID_md5 || md_nid == NID_md4 || md_nid == NID_md2 ||
	       md_nid == NID_mdc2 || md_nid == NID_ripemd160;
}

char *pc_cli_oneline_cn(TALLOC_CTX *ctx, char const *oneline)
{
	pc_subject_t subj;

	if (!oneline) return NULL;
	if (pc_subject_parse(oneline, &subj) && subj.cn) return talloc_strndup(ctx, subj.cn, subj.cn_len);
	return talloc_strdup(ctx, oneline);
}
