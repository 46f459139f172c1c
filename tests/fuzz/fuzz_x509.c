/**
 * @file fuzz_x509.c
 * @brief Fuzz target: a DER certificate through d2i_X509, pc_x509_oneline,
 *	  pc_x509_serial_hex and pc_facts_from_x509, then pc_decide and pc_diagnose on those facts.
 *
 * The input is one DER certificate.  Properties:
 * - pc_x509_oneline is what FreeRADIUS's 1024-byte buffer holds: at most PC_ONELINE_MAX
 *   bytes, and a prefix of the whole X509_NAME_oneline (whole components only);
 * - pc_subject_parse counts the CN attributes the certificate really has, unless it says the
 *   oneline form is ambiguous;
 * - an accepted certificate's first CN is the device accepted, and FreeRADIUS's view of its
 *   subject holds no other CN (fuzz_decide_certificate).
 */
#include <string.h>

#include <openssl/err.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(UNUSED_ARG int *argc, UNUSED_ARG char ***argv)
{
	(void)fuzz_config(0);
	return 0;
}

static int count_cns(X509_NAME const *name)
{
	int count = 0, i;

	for (i = 0; i < X509_NAME_entry_count(name); i++) {
		if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(name, i))) == NID_commonName) count++;
	}
	return count;
}

static void check_name(TALLOC_CTX *ctx, X509_NAME const *name)
{
	char *ours = pc_x509_oneline(ctx, name);
	char *full = X509_NAME_oneline(name, NULL, 0);
	pc_subject_t subj;

	ERR_clear_error();
	if (!ours || !full) {
		OPENSSL_free(full);
		return;
	}
	FUZZ_CHECK(strlen(ours) <= PC_ONELINE_MAX);
	FUZZ_CHECK(strncmp(full, ours, strlen(ours)) == 0);
	FUZZ_CHECK(full[strlen(ours)] == '\0' || full[strlen(ours)] == '/' || full[strlen(ours)] == '+');

	if (pc_subject_parse(full, &subj) && !subj.ambiguous) {
		FUZZ_CHECK(subj.cn_count == (unsigned int)count_cns(name));
	}
	OPENSSL_free(full);
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx;
	unsigned char const *p = data;
	X509 *cert = d2i_X509(NULL, &p, (long)size);
	char *serial;

	ERR_clear_error();
	if (!cert) return 0;
	ctx = talloc_new(NULL);

	check_name(ctx, X509_get_subject_name(cert));
	check_name(ctx, X509_get_issuer_name(cert));
	serial = pc_x509_serial_hex(ctx, cert);
	if (serial) FUZZ_CHECK(strlen(serial) == 2 * (size_t)ASN1_STRING_length(X509_get0_serialNumber(cert)));

	/* As a phone's certificate under the anchor it names, and as its own issuer. */
	fuzz_decide_certificate(cert, NULL);
	fuzz_decide_certificate(cert, cert);

	FUZZ_CHECK(ERR_peek_error() == 0);
	X509_free(cert);
	talloc_free(ctx);
	return 0;
}
