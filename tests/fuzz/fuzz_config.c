/**
 * @file fuzz_config.c
 * @brief Fuzz target: the module's configuration file through pc_config_parse, loading the
 *	  anchors it names from tests/fuzz/anchors.
 *
 * The input is the file's text, parsed as if it were tests/fuzz/anchors/fuzz.conf, so that
 * relative file names reach the committed anchors, and as if its name were "" (no directory).
 * Inputs holding a '/' are skipped: a path would let the fuzzer read any file of the machine
 * (or block on a FIFO).  Properties: a
 * refusal is one message naming the file; an accepted configuration has at least one anchor,
 * values inside their sets, VLAN names as valid_vlan allows them, and trust_until exactly on
 * retiring anchors; the OpenSSL error queue is empty either way.
 */
#include <ctype.h>
#include <string.h>

#include <openssl/err.h>

#include "fuzz.h"

static char *config_path;

int LLVMFuzzerInitialize(UNUSED_ARG int *argc, UNUSED_ARG char ***argv)
{
	config_path = talloc_asprintf(NULL, "%s/fuzz.conf", fuzz_anchor_dir());
	FUZZ_CHECK(config_path != NULL);
	return 0;
}

static bool is_vlan(char const *vlan)
{
	size_t len = strlen(vlan), i;

	if (len == 0 || len > 32) return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)vlan[i];

		if (!isalnum(c) && c != '-' && c != '_' && c != '.') return false;
	}
	return true;
}

/** Parse the text as the file path; check and return what every outcome must satisfy. */
static int parse(TALLOC_CTX *ctx, char const *path, uint8_t const *data, size_t size, pc_config_t **cfg)
{
	pc_error_t err = { .msg = "" };
	int rcode;

	*cfg = NULL;
	rcode = pc_config_parse(ctx, path, (char const *)data, size, cfg, &err);
	FUZZ_CHECK(ERR_peek_error() == 0);
	if (rcode < 0) {
		FUZZ_CHECK(*cfg == NULL);
		FUZZ_CHECK(strncmp(err.msg, path, strlen(path)) == 0);
		FUZZ_CHECK(strchr(err.msg, '\n') == NULL);
	}
	return rcode;
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx;
	pc_config_t *cfg = NULL;
	unsigned int i;

	if (memchr(data, '/', size)) return 0;
	ctx = talloc_new(NULL);

	/* A name with no directory: relative files are then relative to ".", where none are. */
	if (parse(ctx, "", data, size, &cfg) == 0) FUZZ_CHECK(pc_trust_count(cfg->trust) >= 1);
	talloc_free(cfg);

	if (parse(ctx, config_path, data, size, &cfg) < 0) {
		talloc_free(ctx);
		return 0;
	}
	FUZZ_CHECK(cfg != NULL && talloc_parent(cfg) == ctx);
	FUZZ_CHECK(pc_trust_count(cfg->trust) >= 1);
	FUZZ_CHECK(cfg->policy.mac_binding <= PC_MAC_BINDING_ENFORCE && cfg->policy.reply_profile <= PC_REPLY_NONE);
	if (cfg->policy.lsc_vlan) FUZZ_CHECK(is_vlan(cfg->policy.lsc_vlan));
	if (cfg->policy.mic_vlan) FUZZ_CHECK(is_vlan(cfg->policy.mic_vlan));
	for (i = 0; i < pc_trust_count(cfg->trust); i++) {
		pc_anchor_t const *anchor = pc_trust_anchor(cfg->trust, i);

		FUZZ_CHECK(anchor->role == PC_ROLE_LSC || anchor->role == PC_ROLE_MIC);
		if (anchor->state != PC_STATE_RETIRING) FUZZ_CHECK(anchor->trust_until == 0);
	}
	talloc_free(ctx);
	return 0;
}
