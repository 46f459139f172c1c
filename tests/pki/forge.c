/*
 * forge.c - build a PKCS#10 request whose subject the openssl CLI refuses
 *           to produce (used by tests/pki/gen.sh only).
 *
 * usage: forge KEY.pem OUT.csr FIELD=HEX [FIELD=HEX ...]
 *
 * Every FIELD=HEX argument appends one RDN (in argument order, first
 * argument = first RDN in the DER encoding).  FIELD is anything
 * OBJ_txt2nid() understands ("CN", "commonName", "2.5.4.3", ...).  HEX is
 * the raw value bytes in hex ("53:45:50" or "534550"); the value is stored
 * verbatim as a UTF8String.  Because the bytes are passed with an explicit
 * length and a non-MBSTRING type, X509_NAME_add_entry_by_NID() neither stops
 * at an embedded NUL byte nor applies the ub-common-name (64) size limit
 * that `openssl req -subj` enforces.
 *
 * The request is self-signed with KEY (SHA-256); gen.sh then signs it with
 * the ordinary `openssl x509 -req`, which copies the subject unchanged.
 *
 * Build: cc -Wall -Wextra -Werror forge.c -lcrypto
 */
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <phonecert/ossl_compat.h>

static int add_rdn(X509_NAME *name, const char *arg)
{
	const char	*eq = strchr(arg, '=');
	char		field[128];
	unsigned char	*val;
	long		len;
	int		nid, ok;

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(field)) {
		fprintf(stderr, "forge: bad RDN argument \"%s\" (want FIELD=HEX)\n", arg);
		return 0;
	}
	memcpy(field, arg, (size_t)(eq - arg));
	field[eq - arg] = '\0';

	nid = OBJ_txt2nid(field);
	if (nid == NID_undef) {
		fprintf(stderr, "forge: unknown attribute type \"%s\"\n", field);
		return 0;
	}

	val = OPENSSL_hexstr2buf(eq + 1, &len);
	if (!val || len <= 0 || len > 1000000) {
		fprintf(stderr, "forge: bad hex value for %s\n", field);
		OPENSSL_free(val);
		return 0;
	}

	/* loc -1, set 0: append as a new single-valued RDN */
	ok = X509_NAME_add_entry_by_NID(name, nid, V_ASN1_UTF8STRING, val, (int)len, -1, 0);
	OPENSSL_free(val);
	if (!ok) fprintf(stderr, "forge: cannot add %s\n", field);
	return ok;
}

int main(int argc, char **argv)
{
	BIO		*in = NULL, *out = NULL;
	EVP_PKEY	*pkey = NULL;
	X509_REQ	*req = NULL;
	X509_NAME	*name = NULL;
	int		i, rc = 1;

	if (argc < 4) {
		fprintf(stderr, "usage: forge KEY.pem OUT.csr FIELD=HEX [FIELD=HEX ...]\n");
		return 2;
	}

	in = BIO_new_file(argv[1], "r");
	if (!in || !(pkey = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL))) {
		fprintf(stderr, "forge: cannot read private key %s\n", argv[1]);
		goto done;
	}

	name = X509_NAME_new();
	if (!name) goto done;
	for (i = 3; i < argc; i++) {
		if (!add_rdn(name, argv[i])) goto done;
	}

	req = X509_REQ_new();
	if (!req ||
	    !X509_REQ_set_version(req, X509_REQ_VERSION_1) ||
	    !X509_REQ_set_subject_name(req, name) ||
	    !X509_REQ_set_pubkey(req, pkey) ||
	    X509_REQ_sign(req, pkey, EVP_sha256()) <= 0) {
		fprintf(stderr, "forge: cannot build/sign the request\n");
		goto done;
	}

	out = BIO_new_file(argv[2], "w");
	if (!out || !PEM_write_bio_X509_REQ(out, req)) {
		fprintf(stderr, "forge: cannot write %s\n", argv[2]);
		goto done;
	}
	rc = 0;

done:
	if (rc) ERR_print_errors_fp(stderr);
	BIO_free(out);
	BIO_free(in);
	X509_REQ_free(req);
	X509_NAME_free(name);
	EVP_PKEY_free(pkey);
	return rc;
}
