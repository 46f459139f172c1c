/**
 * @file ossl_compat.h
 * @brief OpenSSL 3 names the core, the CLI and the tests use, for OpenSSL 1.1.1.
 *
 * The code is written against OpenSSL 3 (Debian 12, 13); Debian 11 ships OpenSSL 1.1.1. This
 * is the only place that tells them apart: on 1.1.1 it supplies the few OpenSSL 3 functions
 * used, with the same meaning, from 1.1.1's own ones.  On OpenSSL 3 it adds nothing.
 */
#ifndef PHONECERT_OSSL_COMPAT_H
#define PHONECERT_OSSL_COMPAT_H

#include <openssl/opensslv.h>

#if OPENSSL_VERSION_NUMBER < 0x30000000L
#include <string.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

/* Named in OpenSSL 3; the value is the version's encoding (v1 is 0). */
#ifndef X509_REQ_VERSION_1
#define X509_REQ_VERSION_1	0
#endif

/* Renamed in OpenSSL 3; same meaning. */
#define EVP_PKEY_get_base_id	EVP_PKEY_base_id
#define EVP_PKEY_get_bits	EVP_PKEY_bits

/**
 * An EC key's curve by its short name ("prime256v1"), as OpenSSL 3 gives it.
 * @return 1 with the name in buf (NUL-terminated, *len its length), 0 not an EC key with a
 *	named curve, or buf too small.
 */
static inline int pc_ossl_pkey_group_name(EVP_PKEY const *key, char *buf, size_t buflen, size_t *len)
{
	EC_KEY const *ec = EVP_PKEY_get0_EC_KEY((EVP_PKEY *)key);
	EC_GROUP const *group = ec ? EC_KEY_get0_group(ec) : NULL;
	char const *name = group ? OBJ_nid2sn(EC_GROUP_get_curve_name(group)) : NULL;
	size_t n = name ? strlen(name) : 0;

	if (!name || EC_GROUP_get_curve_name(group) == NID_undef || n >= buflen) return 0;
	memcpy(buf, name, n + 1);
	if (len) *len = n;
	return 1;
}
#define EVP_PKEY_get_group_name	pc_ossl_pkey_group_name

/** A new key pair on a named curve ("P-256"), as OpenSSL 3's EVP_EC_gen(). */
static inline EVP_PKEY *pc_ossl_ec_gen(char const *curve)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL);
	EVP_PKEY *key = NULL;
	int nid = EC_curve_nist2nid(curve);

	if (nid == NID_undef) nid = OBJ_sn2nid(curve);
	if (!ctx || nid == NID_undef || EVP_PKEY_keygen_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, nid) != 1 ||
	    EVP_PKEY_CTX_set_ec_param_enc(ctx, OPENSSL_EC_NAMED_CURVE) != 1 || EVP_PKEY_keygen(ctx, &key) != 1) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	return key;
}
#define EVP_EC_gen		pc_ossl_ec_gen

/* OpenSSL 3 takes the name as const; 1.1.1 does not write it either. */
static inline int pc_ossl_name_index_by_nid(X509_NAME const *name, int nid, int lastpos)
{
	return X509_NAME_get_index_by_NID((X509_NAME *)name, nid, lastpos);
}
#define X509_NAME_get_index_by_NID	pc_ossl_name_index_by_nid
#endif

#endif
