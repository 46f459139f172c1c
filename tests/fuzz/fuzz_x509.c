/**
 * @file fuzz_x509.c
 * @brief Fuzz target: a DER certificate through the module's path: d2i_X509, pc_cert_from_x509,
 *	  pc_cert_encode / pc_cert_decode, then pc_decide and pc_diagnose on the record; and
 *	  pc_x509_oneline / pc_facts_from_x509, the strings the decision cross-checks.
 *
 * The input is one DER certificate.  Properties (fuzz_decide_certificate):
 * - the record says what the certificate says: its one CN (as UTF-8, printable ASCII, at most
 *   64 bytes) or why not (none, several, bad bytes, too long), its serial and key identifier
 *   bytes or a flag;
 * - the record encodes within PC_CERT_RECORD_MAX - 1 characters of [0-9a-z;-] and decodes to
 *   the same record;
 * - with its chain fields saying "verified, directly under anchor A" (each anchor of the fuzz
 *   store in turn), an accept is true of the certificate: exactly one CN, naming the device
 *   accepted; the kind is A's role; an LSC names A's key.  FreeRADIUS's strings for the same
 *   certificate and anchor do not change the decision;
 * - with them saying "refused" (each verify error the diagnosis knows), nothing is admitted.
 * And pc_x509_oneline is what FreeRADIUS's 1024-byte buffer holds: at most PC_ONELINE_MAX
 * bytes, a prefix of the whole X509_NAME_oneline (whole components only).
 */
#include <string.h>

#include <openssl/err.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(UNUSED_ARG int *argc, UNUSED_ARG char ***argv)
{
	(void)fuzz_config(0);
	return 0;
}

static void check_name(TALLOC_CTX *ctx, X509_NAME const *name)
{
	char *ours = pc_x509_oneline(ctx, name);
	char *full = X509_NAME_oneline(name, NULL, 0);

	ERR_clear_error();
	if (!ours || !full) {
		OPENSSL_free(full);
		return;
	}
	FUZZ_CHECK(strlen(ours) <= PC_ONELINE_MAX);
	FUZZ_CHECK(strncmp(full, ours, strlen(ours)) == 0);
	FUZZ_CHECK(full[strlen(ours)] == '\0' || full[strlen(ours)] == '/' || full[strlen(ours)] == '+');
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

	fuzz_decide_certificate(cert);

	check_name(ctx, X509_get_subject_name(cert));
	check_name(ctx, X509_get_issuer_name(cert));
	serial = pc_x509_serial_hex(ctx, cert);
	if (serial) FUZZ_CHECK(strlen(serial) == 2 * (size_t)ASN1_STRING_length(X509_get0_serialNumber(cert)));

	FUZZ_CHECK(ERR_peek_error() == 0);
	X509_free(cert);
	talloc_free(ctx);
	return 0;
}
