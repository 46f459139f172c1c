/**
 * @file bench_certs.c
 * @brief Mass-produces the certificates the benchmarks need: filler anchors and storm phones.
 *
 *   bench_certs anchors OUTDIR COUNT
 *	COUNT self-signed P-256 CA certificates shaped like CAPF certificates
 *	(CN=CAPF-<8 hex>, random 16-byte serial, SKI, CA:TRUE pathlen:0, keyCertSign):
 *	OUTDIR/anchor-NNNN.crt.  Their keys are never written: nothing will ever be
 *	signed by these CAs, they only fill the trust store.
 *
 *   bench_certs phones OUTDIR COUNT CA.crt CA.key
 *	COUNT P-256 phone certificates with the test PKI's leaf profile (CN=SEP<MAC>,
 *	critical KU digitalSignature, EKU clientAuth, SKI, AKI keyid, two years), signed
 *	by the given CA: OUTDIR/phone-NNNN.crt and OUTDIR/phone-NNNN.key (unencrypted
 *	PKCS#8, mode 0600), and OUTDIR/phones.tsv ("NAME<TAB>MAC" per line).  MACs are
 *	02:BE:00:xx:xx:xx, locally administered, so they never collide with a real vendor.
 *
 * The C API rather than the openssl CLI: a thousand certificates take well under a second
 * here, against three process starts per certificate with the CLI.  Like tests/pki/gen.sh,
 * this writes private keys only below OUTDIR, which must not be a tracked path (the bench
 * driver uses $(BUILD)/bench).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <phonecert/ossl_compat.h>

#define BENCH_CERTS_MAX 100000

static void die_openssl(char const *what)
{
	fprintf(stderr, "bench_certs: %s failed\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

/** A random positive serial of 16 bytes, the size CAPF and gen.sh use. */
static void set_random_serial(X509 *cert)
{
	unsigned char bytes[16];
	BIGNUM *bn;

	if (RAND_bytes(bytes, sizeof(bytes)) != 1) die_openssl("RAND_bytes");
	bytes[0] = (unsigned char)((bytes[0] & 0x3f) | 0x10);	/* positive, full length */
	bn = BN_bin2bn(bytes, sizeof(bytes), NULL);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert))) die_openssl("serial");
	BN_free(bn);
}

static void add_ext(X509 *cert, X509 *issuer, int nid, char const *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext || !X509_add_ext(cert, ext, -1)) die_openssl(OBJ_nid2sn(nid));
	X509_EXTENSION_free(ext);
}

/** A certificate for key with subject CN (and O when org is set), valid from an hour ago. */
static X509 *cert_new(EVP_PKEY *key, char const *org, char const *cn, long days)
{
	X509 *cert = X509_new();
	X509_NAME *name;

	if (!cert || !X509_set_version(cert, X509_VERSION_3)) die_openssl("X509_new");
	set_random_serial(cert);
	if (!X509_gmtime_adj(X509_getm_notBefore(cert), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(cert), days * 86400L)) die_openssl("validity");
	name = X509_get_subject_name(cert);
	if (org && !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (unsigned char const *)org, -1, -1, 0)) {
		die_openssl("subject O");
	}
	if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (unsigned char const *)cn, -1, -1, 0)) {
		die_openssl("subject CN");
	}
	if (!X509_set_pubkey(cert, key)) die_openssl("X509_set_pubkey");
	return cert;
}

static void write_cert(char const *path, X509 *cert)
{
	FILE *fp = fopen(path, "w");

	if (!fp || !PEM_write_X509(fp, cert) || fclose(fp) != 0) {
		fprintf(stderr, "bench_certs: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void write_key(char const *path, EVP_PKEY *key)
{
	FILE *fp = fopen(path, "w");

	if (!fp || !PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL, NULL) || fclose(fp) != 0) {
		fprintf(stderr, "bench_certs: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void make_anchors(char const *dir, unsigned long count)
{
	unsigned long i;

	for (i = 0; i < count; i++) {
		EVP_PKEY *key = EVP_EC_gen("P-256");
		unsigned char tag[4];
		char cn[32], path[4096];
		X509 *cert;

		if (!key) die_openssl("EVP_EC_gen");
		if (RAND_bytes(tag, sizeof(tag)) != 1) die_openssl("RAND_bytes");
		snprintf(cn, sizeof(cn), "CAPF-%02x%02x%02x%02x", tag[0], tag[1], tag[2], tag[3]);
		cert = cert_new(key, "Bench Cluster", cn, 1825);
		X509_set_issuer_name(cert, X509_get_subject_name(cert));
		add_ext(cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
		add_ext(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign");
		add_ext(cert, cert, NID_subject_key_identifier, "hash");
		if (!X509_sign(cert, key, EVP_sha256())) die_openssl("X509_sign");

		snprintf(path, sizeof(path), "%s/anchor-%04lu.crt", dir, i);
		write_cert(path, cert);
		X509_free(cert);
		EVP_PKEY_free(key);
	}
}

static void *read_pem(char const *path, bool is_key)
{
	FILE *fp = fopen(path, "r");
	void *obj;

	if (!fp) {
		fprintf(stderr, "bench_certs: cannot read %s: %s\n", path, strerror(errno));
		exit(1);
	}
	obj = is_key ? (void *)PEM_read_PrivateKey(fp, NULL, NULL, NULL) : (void *)PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	if (!obj) die_openssl(path);
	return obj;
}

static void make_phones(char const *dir, unsigned long count, char const *ca_path, char const *ca_key_path)
{
	X509 *ca = read_pem(ca_path, false);
	EVP_PKEY *ca_key = read_pem(ca_key_path, true);
	char path[4096];
	FILE *list;
	unsigned long i;

	snprintf(path, sizeof(path), "%s/phones.tsv", dir);
	list = fopen(path, "w");
	if (!list) {
		fprintf(stderr, "bench_certs: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	for (i = 0; i < count; i++) {
		EVP_PKEY *key = EVP_EC_gen("P-256");
		char mac[13], cn[32], name[32];
		X509 *cert;

		if (!key) die_openssl("EVP_EC_gen");
		snprintf(mac, sizeof(mac), "02BE00%06lX", i & 0xffffffUL);
		snprintf(cn, sizeof(cn), "SEP%s", mac);
		snprintf(name, sizeof(name), "phone-%04lu", i);

		cert = cert_new(key, "Example Corp", cn, 730);
		X509_set_issuer_name(cert, X509_get_subject_name(ca));
		add_ext(cert, ca, NID_key_usage, "critical,digitalSignature");
		add_ext(cert, ca, NID_ext_key_usage, "clientAuth");
		add_ext(cert, ca, NID_subject_key_identifier, "hash");
		add_ext(cert, ca, NID_authority_key_identifier, "keyid");
		if (!X509_sign(cert, ca_key, EVP_sha256())) die_openssl("X509_sign");

		snprintf(path, sizeof(path), "%s/%s.crt", dir, name);
		write_cert(path, cert);
		snprintf(path, sizeof(path), "%s/%s.key", dir, name);
		write_key(path, key);
		fprintf(list, "%s\t%.2s:%.2s:%.2s:%.2s:%.2s:%.2s\n", name, mac, mac + 2, mac + 4, mac + 6, mac + 8, mac + 10);
		X509_free(cert);
		EVP_PKEY_free(key);
	}
	if (fclose(list) != 0) {
		fprintf(stderr, "bench_certs: cannot write phones.tsv: %s\n", strerror(errno));
		exit(1);
	}
	X509_free(ca);
	EVP_PKEY_free(ca_key);
}

static unsigned long parse_count(char const *text)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(text, &end, 10);
	if (errno || end == text || *end || n == 0 || n > BENCH_CERTS_MAX) {
		fprintf(stderr, "bench_certs: COUNT must be 1..%d, not '%s'\n", BENCH_CERTS_MAX, text);
		exit(2);
	}
	return n;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "anchors") == 0) {
		make_anchors(argv[2], parse_count(argv[3]));
		return 0;
	}
	if (argc == 6 && strcmp(argv[1], "phones") == 0) {
		umask(077);	/* the phones' private keys */
		make_phones(argv[2], parse_count(argv[3]), argv[4], argv[5]);
		return 0;
	}
	fprintf(stderr, "usage: bench_certs anchors OUTDIR COUNT\n"
		"       bench_certs phones OUTDIR COUNT CA.crt CA.key\n");
	return 2;
}
