/**
 * @file fuzz_certload.c
 * @brief Fuzz target: the phonecert CLI's certificate loader, pc_cli_certs_load (PEM, DER,
 *	  PKCS#7, PEM blocks inside logs), and the module's record path (pc_cert_from_x509,
 *	  the record's encoding, pc_decide, pc_diagnose) on every certificate it loads.
 *
 * The input is the file's content (read through an in-memory file).  Properties: a success
 * holds at least one certificate, a failure says why and names the file, the OpenSSL error
 * queue is empty either way (cli.h promises it), and every certificate loaded keeps the
 * properties of fuzz_decide_certificate.
 */
#include <string.h>

#include <openssl/err.h>

#include "cli.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(UNUSED_ARG int *argc, UNUSED_ARG char ***argv)
{
	(void)fuzz_config(0);
	return 0;
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	char const *path = fuzz_file(data, size);
	pc_cli_certs_t *set = NULL;
	pc_error_t err = { .msg = "" };
	unsigned int i;
	int rcode;

	rcode = pc_cli_certs_load(ctx, path, &set, &err);
	FUZZ_CHECK(ERR_peek_error() == 0);
	if (rcode < 0) {
		FUZZ_CHECK(set == NULL);
		FUZZ_CHECK(strncmp(err.msg, path, strlen(path)) == 0 && err.msg[strlen(path)] == ':');
		talloc_free(ctx);
		return 0;
	}
	FUZZ_CHECK(rcode == 0 && set != NULL && set->count >= 1 && talloc_parent(set) == ctx);
	for (i = 0; i < set->count; i++) {
		FUZZ_CHECK(set->certs[i].cert != NULL && set->certs[i].origin != NULL);
		fuzz_decide_certificate(set->certs[i].cert);
	}
	talloc_free(ctx);
	return 0;
}
