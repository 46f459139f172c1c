/**
 * @file mkcrl.c
 * @brief Test-PKI helper: writes a CRL with chosen dates, signer and size.
 *
 * `openssl ca -gencrl` needs a CA database, cannot date a CRL in the past before OpenSSL 3.0,
 * and cannot sign with a key that is not the CA certificate's: the cases the tests need
 * (a stale CRL, a CRL signed by another key, a 10,000-entry CRL) are written here.
 *
 *	mkcrl ISSUER.crt SIGNING.key OUT FORMAT THIS_OFFSET NEXT_OFFSET COUNT [SERIAL...]
 *
 * The CRL's issuer name is ISSUER.crt's subject, signed (SHA-256) by SIGNING.key.  FORMAT is
 * pem or der.  THIS/NEXT_OFFSET are seconds from now (NEXT_OFFSET "none": no nextUpdate).
 * COUNT filler serials (0x7f000001 upwards) are revoked besides the SERIALs (hex).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

static int fail(char const *what)
{
	fprintf(stderr, "mkcrl: %s\n", what);
	ERR_print_errors_fp(stderr);
	return 1;
}

static int revoke(X509_CRL *crl, BIGNUM *bn, time_t when)
{
	X509_REVOKED *rev = X509_REVOKED_new();
	ASN1_INTEGER *serial = BN_to_ASN1_INTEGER(bn, NULL);
	ASN1_TIME *date = ASN1_TIME_set(NULL, when);
	int ok = rev && serial && date && X509_REVOKED_set_serialNumber(rev, serial) == 1 &&
		 X509_REVOKED_set_revocationDate(rev, date) == 1 && X509_CRL_add0_revoked(crl, rev) == 1;

	ASN1_INTEGER_free(serial);
	ASN1_TIME_free(date);
	if (!ok) X509_REVOKED_free(rev);
	return ok;
}

int main(int argc, char **argv)
{
	X509 *issuer;
	EVP_PKEY *key;
	X509_CRL *crl;
	ASN1_TIME *t;
	BIGNUM *bn = NULL;
	FILE *fp;
	time_t now = time(NULL);
	long count, i;
	int k, ok;

	if (argc < 8) {
		fprintf(stderr, "usage: mkcrl ISSUER.crt SIGNING.key OUT pem|der THIS_OFFSET NEXT_OFFSET|none COUNT [SERIAL...]\n");
		return 2;
	}
	fp = fopen(argv[1], "r");
	issuer = fp ? PEM_read_X509(fp, NULL, NULL, NULL) : NULL;
	if (fp) fclose(fp);
	fp = fopen(argv[2], "r");
	key = fp ? PEM_read_PrivateKey(fp, NULL, NULL, NULL) : NULL;
	if (fp) fclose(fp);
	if (!issuer || !key) return fail("cannot read the issuer certificate or the key");

	crl = X509_CRL_new();
	if (!crl || X509_CRL_set_version(crl, 1) != 1 ||
	    X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer)) != 1) return fail("cannot start the CRL");
	t = ASN1_TIME_set(NULL, now + atol(argv[5]));
	if (!t || X509_CRL_set1_lastUpdate(crl, t) != 1) return fail("thisUpdate");
	ASN1_TIME_free(t);
	if (strcmp(argv[6], "none") != 0) {
		t = ASN1_TIME_set(NULL, now + atol(argv[6]));
		if (!t || X509_CRL_set1_nextUpdate(crl, t) != 1) return fail("nextUpdate");
		ASN1_TIME_free(t);
	}
	count = atol(argv[7]);
	for (i = 0; i < count; i++) {
		bn = BN_new();
		if (!bn || BN_set_word(bn, 0x7f000001UL + (unsigned long)i) != 1 || !revoke(crl, bn, now - 3600)) {
			return fail("filler serial");
		}
		BN_free(bn);
	}
	for (k = 8; k < argc; k++) {
		bn = NULL;
		if (!BN_hex2bn(&bn, argv[k]) || !revoke(crl, bn, now - 3600)) return fail("serial");
		BN_free(bn);
	}
	if (X509_CRL_sort(crl) != 1 || X509_CRL_sign(crl, key, EVP_sha256()) <= 0) return fail("cannot sign");

	fp = fopen(argv[3], "wb");
	if (!fp) return fail("cannot write the output");
	ok = strcmp(argv[4], "der") == 0 ? i2d_X509_CRL_fp(fp, crl) : PEM_write_X509_CRL(fp, crl);
	if (fclose(fp) != 0 || ok != 1) return fail("cannot write the output");
	X509_CRL_free(crl);
	X509_free(issuer);
	EVP_PKEY_free(key);
	return 0;
}
