/**
 * @file fuzz_trust.c
 * @brief Fuzz target: an uploaded anchor file through pc_trust_add_file (PEM or DER, one CA
 *	  certificate, nothing else), then pc_trust_find_fingerprint, pc_trustset_new (the
 *	  verifier's trust set) and pc_trust_x509_store.
 *
 * The input is the anchor file's content (read through an in-memory file), loaded into a
 * store that already holds capf-active from tests/fuzz/anchors, in the state the last byte
 * chooses.  Properties: a refusal names the file and leaves the store as it was; an anchor
 * that is loaded has well-formed identity strings, is found by its fingerprint (and capf-active
 * still by its own), cannot be loaded twice, and is trusted at FUZZ_NOW exactly when active;
 * the trust set built from the store changes at the retiring anchor's deadline only if that is
 * still ahead; the OpenSSL error queue is empty after every call.
 */
#include <ctype.h>
#include <string.h>

#include <openssl/err.h>

#include <phonecert/trust.h>
#include <phonecert/verify.h>

#include "fuzz.h"

static char *fixed_anchor;

int LLVMFuzzerInitialize(UNUSED_ARG int *argc, UNUSED_ARG char ***argv)
{
	fixed_anchor = talloc_asprintf(NULL, "%s/capf-active.pem", fuzz_anchor_dir());
	FUZZ_CHECK(fixed_anchor != NULL);
	return 0;
}

static bool is_lower_hex(char const *s)
{
	for (; *s; s++) {
		if (!isxdigit((unsigned char)*s) || isupper((unsigned char)*s)) return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	pc_trust_t *trust = pc_trust_alloc(ctx);
	char const *path = fuzz_file(data, size);
	pc_error_t err = { .msg = "" };
	pc_anchor_t const *anchor, *fixed;
	pc_trustset_t *set;
	X509_STORE *store;
	pc_state_t state = (size > 0) ? (pc_state_t)(data[size - 1] % 3) : PC_STATE_ACTIVE;

	FUZZ_CHECK(trust != NULL);
	FUZZ_CHECK(pc_trust_add_file(trust, "capf-active", fixed_anchor, PC_ROLE_LSC, PC_STATE_ACTIVE, 0, &err) == 0);

	if (pc_trust_add_file(trust, "fuzzed", path, PC_ROLE_MIC, state,
			      state == PC_STATE_RETIRING ? FUZZ_NOW : 0, &err) < 0) {
		FUZZ_CHECK(ERR_peek_error() == 0);
		FUZZ_CHECK(strncmp(err.msg, path, strlen(path)) == 0);
		FUZZ_CHECK(pc_trust_count(trust) == 1);
		talloc_free(ctx);
		return 0;
	}
	FUZZ_CHECK(ERR_peek_error() == 0);
	FUZZ_CHECK(pc_trust_count(trust) == 2);
	anchor = pc_trust_anchor(trust, 1);
	FUZZ_CHECK(anchor && anchor->cert && anchor->subject && anchor->serial && anchor->common_name);
	FUZZ_CHECK(strcmp(anchor->name, "fuzzed") == 0 && anchor->role == PC_ROLE_MIC && anchor->state == state);
	FUZZ_CHECK(anchor->serial[0] && strlen(anchor->serial) <= 62 && is_lower_hex(anchor->serial));
	FUZZ_CHECK(strlen(anchor->fingerprint) == 64 && is_lower_hex(anchor->fingerprint));
	if (anchor->key_id) FUZZ_CHECK(anchor->key_id[0] && is_lower_hex(anchor->key_id));
	FUZZ_CHECK(strlen(anchor->subject) <= PC_ONELINE_MAX);

	/* Found by its certificate; the other anchor still by its own. */
	FUZZ_CHECK(pc_trust_find_fingerprint(trust, anchor->fingerprint) == anchor);
	fixed = pc_trust_anchor(trust, 0);
	FUZZ_CHECK(pc_trust_find_fingerprint(trust, fixed->fingerprint) == fixed);
	FUZZ_CHECK(fixed != anchor && strcmp(fixed->fingerprint, anchor->fingerprint) != 0);

	/* Its state at FUZZ_NOW (a retiring anchor's window ends exactly then), and the trust set. */
	FUZZ_CHECK(pc_anchor_trusted_at(anchor, FUZZ_NOW) == (state == PC_STATE_ACTIVE));
	FUZZ_CHECK(pc_anchor_trusted_at(anchor, FUZZ_NOW - 1) == (state != PC_STATE_DISABLED));
	set = pc_trustset_new(trust, FUZZ_NOW - 1);
	FUZZ_CHECK(set != NULL);
	FUZZ_CHECK(pc_trustset_next_change(set) == (state == PC_STATE_RETIRING ? FUZZ_NOW : 0));
	pc_trustset_free(set);
	set = pc_trustset_new(trust, FUZZ_NOW);
	FUZZ_CHECK(set != NULL && pc_trustset_next_change(set) == 0);
	pc_trustset_free(set);
	FUZZ_CHECK(ERR_peek_error() == 0);

	/* The same file again is a duplicate. */
	FUZZ_CHECK(pc_trust_add_file(trust, "again", path, PC_ROLE_LSC, PC_STATE_ACTIVE, 0, &err) < 0);
	FUZZ_CHECK(strstr(err.msg, "duplicate") != NULL);
	FUZZ_CHECK(pc_trust_count(trust) == 2);

	store = pc_trust_x509_store(trust);
	X509_STORE_free(store);
	FUZZ_CHECK(ERR_peek_error() == 0);
	talloc_free(ctx);
	return 0;
}
