/**
 * @file fuzz_deny.c
 * @brief Fuzz target: the deny-list parser (pc_deny_parse, pc_deny_key) and its lookups
 *	  (pc_deny_find).
 *
 * Properties beyond "no sanitizer report": a refusal is one line naming the file and a line
 * of it; an accepted list holds only canonical keys, each found again by pc_deny_find through
 * the probe its kind uses (unless expired), and re-parsing the list written back from those
 * keys gives the same keys (canonical forms are fixed points).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include <phonecert/deny.h>

#include "fuzz.h"

#define NOW ((time_t)1900000000)

/** Look the entry up through the argument of pc_deny_find its kind is matched on. */
static pc_deny_entry_t const *find_entry(pc_deny_t const *deny, pc_deny_entry_t const *e)
{
	char const *value = strchr(e->key, ' ') + 1, *hex;
	unsigned char serial[20];
	unsigned int n = 0;
	char anchor[65];

	switch (e->kind) {
	case PC_DENY_DEVICE: return pc_deny_find(deny, NOW, value, NULL, NULL, NULL, NULL, NULL, 0);
	case PC_DENY_MAC: return pc_deny_find(deny, NOW, NULL, NULL, value, NULL, NULL, NULL, 0);
	case PC_DENY_FINGERPRINT: return pc_deny_find(deny, NOW, NULL, NULL, NULL, value, NULL, NULL, 0);
	case PC_DENY_SERIAL:
		memcpy(anchor, value, 64);
		anchor[64] = '\0';
		/* The canonical serial: whole bytes of lower-case hex, as a certificate's bytes. */
		for (hex = value + 65; hex[0] && hex[1]; hex += 2) {
			FUZZ_CHECK(n < sizeof(serial));
			FUZZ_CHECK(sscanf(hex, "%2hhx", &serial[n]) == 1);
			n++;
		}
		FUZZ_CHECK(*hex == '\0' && n > 0);
		return pc_deny_find(deny, NOW, NULL, NULL, NULL, NULL, anchor, serial, n);
	}
	FUZZ_CHECK(!"unknown kind");
	return NULL;
}

int LLVMFuzzerInitialize(UNUSED_ARG int *argc, UNUSED_ARG char ***argv)
{
	return 0;
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	pc_deny_t *deny = NULL, *again = NULL;
	pc_error_t err = { .msg = "" };
	char *text;
	unsigned int i;

	if (pc_deny_parse(ctx, "deny.conf", (char const *)data, size, &deny, &err) < 0) {
		FUZZ_CHECK(deny == NULL);
		FUZZ_CHECK(strncmp(err.msg, "deny.conf", 9) == 0);
		FUZZ_CHECK(strchr(err.msg, '\n') == NULL);
		FUZZ_CHECK(ERR_peek_error() == 0);
		talloc_free(ctx);
		return 0;
	}
	FUZZ_CHECK(ERR_peek_error() == 0);
	text = talloc_strdup(ctx, "");
	for (i = 0; i < pc_deny_count(deny); i++) {
		pc_deny_entry_t const *e = pc_deny_entry(deny, i), *found = find_entry(deny, e);

		FUZZ_CHECK(strlen(e->note) <= PC_DENY_NOTE_MAX);
		FUZZ_CHECK(found == (pc_deny_entry_active(e, NOW) ? e : NULL));
		text = talloc_asprintf_append_buffer(text, "%s\n", e->key);
		FUZZ_CHECK(text != NULL);
	}
	FUZZ_CHECK(pc_deny_parse(ctx, "again", text, strlen(text), &again, &err) == 0);
	FUZZ_CHECK(pc_deny_count(again) == pc_deny_count(deny));
	for (i = 0; i < pc_deny_count(deny); i++) {
		FUZZ_CHECK(strcmp(pc_deny_entry(again, i)->key, pc_deny_entry(deny, i)->key) == 0);
	}
	talloc_free(ctx);
	return 0;
}
