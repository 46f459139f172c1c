/*
 * rtcert.c - issue one certificate whose encoding the openssl CLI will not write
 *            (used by tests/pki/redteam.sh only).
 *
 * usage: rtcert -ca CA.crt -cakey CA.key -pub KEY.pem -out OUT.crt [options]
 *
 *   -rdn SPEC        append an RDN to the subject (repeatable, first = first RDN).
 *                    SPEC is ATTR:TYPE:HEX[+ATTR:TYPE:HEX...]; '+' puts several
 *                    attributes in one (multi-valued) RDN.  ATTR is anything
 *                    OBJ_txt2nid() knows (CN, O, serialNumber...); TYPE is utf8,
 *                    printable, ia5, t61, bmp, universal, visible or numeric; HEX
 *                    the raw value bytes, stored verbatim with that string type.
 *   -irdn SPEC       the same for the issuer name (default: the CA's subject).
 *   -serial HEX      the serial's magnitude, big-endian (default: 16 random bytes);
 *   -negative        makes it negative.
 *   -version N       0 (v1), 1 (v2) or 2 (v3, default).
 *   -nb T:TEXT       notBefore, T = U (UTCTime) or G (GeneralizedTime), TEXT verbatim
 *   -na T:TEXT       notAfter (default: now - 1 h .. now + 730 days).
 *   -ext NAME=VALUE  an extension as in an openssl config section (repeatable, in
 *                    order), e.g. -ext keyUsage=critical,digitalSignature
 *   -rawext OID:C:HEX an extension with a raw DER value; C = 1 makes it critical.
 *   -leaf            the phone profile: critical KU digitalSignature, EKU clientAuth
 *                    and serverAuth, SKI hash, AKI keyid (added after -ext ones).
 *
 * Signs with CA.key (SHA-256) and writes PEM.  Never touches a private key but
 * the CA's (read) and never writes one.
 *
 * Build: cc -Wall -Wextra -Werror rtcert.c -lcrypto
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define MAX_ITEMS 64

__attribute__((noreturn)) static void die(char const *what)
{
	fprintf(stderr, "rtcert: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static int string_type(char const *t)
{
	static struct { char const *name; int type; } const types[] = {
		{ "utf8", V_ASN1_UTF8STRING }, { "printable", V_ASN1_PRINTABLESTRING },
		{ "ia5", V_ASN1_IA5STRING }, { "t61", V_ASN1_T61STRING }, { "bmp", V_ASN1_BMPSTRING },
		{ "universal", V_ASN1_UNIVERSALSTRING }, { "visible", V_ASN1_VISIBLESTRING },
		{ "numeric", V_ASN1_NUMERICSTRING },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(types[i].name, t) == 0) return types[i].type;
	}
	die("unknown string type");
	return 0;
}

/* ATTR:TYPE:HEX[+ATTR:TYPE:HEX...] appended to name as one RDN. */
static void add_rdn(X509_NAME *name, char const *spec)
{
	char *copy = strdup(spec), *item, *save = NULL;
	int first = 1;

	if (!copy) die("out of memory");
	for (item = strtok_r(copy, "+", &save); item; item = strtok_r(NULL, "+", &save)) {
		char *c1 = strchr(item, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		unsigned char *val;
		long len = 0;
		int nid;
		X509_NAME_ENTRY *ne;
		ASN1_STRING *s;

		if (!c1 || !c2) die("bad -rdn/-irdn item (want ATTR:TYPE:HEX)");
		*c1 = *c2 = '\0';
		nid = OBJ_txt2nid(item);
		if (nid == NID_undef) die("unknown attribute type");
		val = OPENSSL_hexstr2buf(c2 + 1, &len);
		if (!val || len <= 0) die("bad hex value");
		/* Build the entry by hand: no character set checks, no size limits. */
		ne = X509_NAME_ENTRY_new();
		if (!ne || !X509_NAME_ENTRY_set_object(ne, OBJ_nid2obj(nid))) die("cannot make entry");
		s = X509_NAME_ENTRY_get_data(ne);
		if (!ASN1_STRING_set(s, val, (int)len)) die("cannot set value");
		s->type = string_type(c1 + 1);
		if (!X509_NAME_add_entry(name, ne, -1, first ? 0 : -1)) die("cannot add entry");
		X509_NAME_ENTRY_free(ne);
		OPENSSL_free(val);
		first = 0;
	}
	free(copy);
}

static ASN1_TIME *raw_time(char const *spec)
{
	ASN1_TIME *t;

	if (strlen(spec) < 3 || spec[1] != ':' || (spec[0] != 'U' && spec[0] != 'G')) die("bad time (want U:TEXT or G:TEXT)");
	t = ASN1_STRING_type_new(spec[0] == 'U' ? V_ASN1_UTCTIME : V_ASN1_GENERALIZEDTIME);
	if (!t || !ASN1_STRING_set(t, spec + 2, (int)strlen(spec + 2))) die("cannot make time");
	return t;
}

static X509 *read_cert(char const *path)
{
	FILE *f = fopen(path, "r");
	X509 *x;

	if (!f) die("cannot open a certificate");
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!x) die("cannot read a certificate");
	return x;
}

static EVP_PKEY *read_key(char const *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k;

	if (!f) die("cannot open a key");
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!k) die("cannot read a key");
	return k;
}

static void add_conf_ext(X509 *x, X509 *ca, char const *spec)
{
	char *copy = strdup(spec), *eq;
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	if (!copy || !(eq = strchr(copy, '='))) die("bad -ext (want NAME=VALUE)");
	*eq = '\0';
	X509V3_set_ctx(&ctx, ca, x, NULL, NULL, 0);
	ext = X509V3_EXT_nconf(NULL, &ctx, copy, eq + 1);
	if (!ext || !X509_add_ext(x, ext, -1)) die("cannot add an extension");
	X509_EXTENSION_free(ext);
	free(copy);
}

static void add_raw_ext(X509 *x, char const *spec)
{
	char *copy = strdup(spec), *c1, *c2;
	unsigned char *val;
	long len = 0;
	ASN1_OBJECT *obj;
	ASN1_OCTET_STRING *os;
	X509_EXTENSION *ext;

	c1 = copy ? strchr(copy, ':') : NULL;
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c2) die("bad -rawext (want OID:C:HEX)");
	*c1 = *c2 = '\0';
	obj = OBJ_txt2obj(copy, 1);
	val = OPENSSL_hexstr2buf(c2 + 1, &len);
	os = ASN1_OCTET_STRING_new();
	if (!obj || !val || !os || !ASN1_OCTET_STRING_set(os, val, (int)len)) die("bad -rawext value");
	ext = X509_EXTENSION_create_by_OBJ(NULL, obj, c1[1] == '1', os);
	if (!ext || !X509_add_ext(x, ext, -1)) die("cannot add a raw extension");
	X509_EXTENSION_free(ext);
	ASN1_OBJECT_free(obj);
	ASN1_OCTET_STRING_free(os);
	OPENSSL_free(val);
	free(copy);
}

int main(int argc, char **argv)
{
	char const *ca_path = NULL, *cakey_path = NULL, *pub_path = NULL, *out_path = NULL;
	char const *serial_hex = NULL, *nb = NULL, *na = NULL;
	char const *rdn[MAX_ITEMS], *irdn[MAX_ITEMS], *ext[MAX_ITEMS], *rawext[MAX_ITEMS];
	int nrdn = 0, nirdn = 0, next = 0, nraw = 0, i, version = 2, negative = 0, leaf = 0;
	X509 *ca, *x;
	EVP_PKEY *cakey, *pub;
	X509_NAME *subject, *issuer;
	ASN1_INTEGER *serial;
	unsigned char sbuf[16];
	unsigned char *sval = NULL;
	long slen = 0;
	FILE *out;

	for (i = 1; i < argc; i++) {
		char const *a = argv[i];
		char const *v = (i + 1 < argc) ? argv[i + 1] : NULL;

#define ARG(flag) (strcmp(a, flag) == 0 && v && ++i)
		if (ARG("-ca")) ca_path = v;
		else if (ARG("-cakey")) cakey_path = v;
		else if (ARG("-pub")) pub_path = v;
		else if (ARG("-out")) out_path = v;
		else if (ARG("-serial")) serial_hex = v;
		else if (ARG("-nb")) nb = v;
		else if (ARG("-na")) na = v;
		else if (ARG("-version")) version = atoi(v);
		else if (nrdn < MAX_ITEMS && ARG("-rdn")) rdn[nrdn++] = v;
		else if (nirdn < MAX_ITEMS && ARG("-irdn")) irdn[nirdn++] = v;
		else if (next < MAX_ITEMS && ARG("-ext")) ext[next++] = v;
		else if (nraw < MAX_ITEMS && ARG("-rawext")) rawext[nraw++] = v;
		else if (strcmp(a, "-negative") == 0) negative = 1;
		else if (strcmp(a, "-leaf") == 0) leaf = 1;
		else die("bad arguments (see the comment at the top of rtcert.c)");
#undef ARG
	}
	if (!ca_path || !cakey_path || !pub_path || !out_path || nrdn == 0) die("need -ca, -cakey, -pub, -out and -rdn");

	ca = read_cert(ca_path);
	cakey = read_key(cakey_path);
	pub = read_key(pub_path);	/* the leaf's key file; only its public half is used */

	x = X509_new();
	subject = X509_NAME_new();
	if (!x || !subject) die("out of memory");
	for (i = 0; i < nrdn; i++) add_rdn(subject, rdn[i]);
	if (nirdn) {
		issuer = X509_NAME_new();
		if (!issuer) die("out of memory");
		for (i = 0; i < nirdn; i++) add_rdn(issuer, irdn[i]);
	} else {
		issuer = X509_NAME_dup(X509_get_subject_name(ca));
	}
	if (!X509_set_version(x, version) || !X509_set_subject_name(x, subject) || !X509_set_issuer_name(x, issuer) ||
	    !X509_set_pubkey(x, pub)) die("cannot fill the certificate");

	if (serial_hex) {
		sval = OPENSSL_hexstr2buf(serial_hex, &slen);
		if (!sval) die("bad -serial");
	} else {
		if (RAND_bytes(sbuf, sizeof(sbuf)) != 1) die("no randomness");
		sbuf[0] = (unsigned char)((sbuf[0] & 0x3f) | 0x10);
	}
	serial = ASN1_STRING_type_new(negative ? V_ASN1_NEG_INTEGER : V_ASN1_INTEGER);
	if (!serial || !ASN1_STRING_set(serial, sval ? sval : sbuf, sval ? (int)slen : (int)sizeof(sbuf)) ||
	    !X509_set_serialNumber(x, serial)) die("cannot set the serial");

	if (nb) {
		if (!X509_set1_notBefore(x, raw_time(nb))) die("cannot set notBefore");
	} else if (!X509_gmtime_adj(X509_getm_notBefore(x), -3600)) die("cannot set notBefore");
	if (na) {
		if (!X509_set1_notAfter(x, raw_time(na))) die("cannot set notAfter");
	} else if (!X509_gmtime_adj(X509_getm_notAfter(x), 730L * 86400)) die("cannot set notAfter");

	for (i = 0; i < next; i++) add_conf_ext(x, ca, ext[i]);
	for (i = 0; i < nraw; i++) add_raw_ext(x, rawext[i]);
	if (leaf) {
		add_conf_ext(x, ca, "keyUsage=critical,digitalSignature");
		add_conf_ext(x, ca, "extendedKeyUsage=clientAuth,serverAuth");
		add_conf_ext(x, ca, "subjectKeyIdentifier=hash");
		add_conf_ext(x, ca, "authorityKeyIdentifier=keyid:always");
	}

	if (X509_sign(x, cakey, EVP_sha256()) <= 0) die("cannot sign");
	out = fopen(out_path, "w");
	if (!out || !PEM_write_X509(out, x) || fclose(out) != 0) die("cannot write the certificate");
	return 0;
}
