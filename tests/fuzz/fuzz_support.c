/**
 * @file fuzz_support.c
 * @brief The fuzz targets' shared trust store, in-memory files and decision checks.
 */
#define _GNU_SOURCE		/* memfd_create */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/err.h>

#include <phonecert/reply.h>

#include "fuzz.h"

#ifndef PC_FUZZ_ANCHORS
#  define PC_FUZZ_ANCHORS "tests/fuzz/anchors"
#endif

void fuzz_fail(char const *file, int line, char const *what)
{
	fprintf(stderr, "%s:%d: property broken: %s\n", file, line, what);
	abort();
}

char const *fuzz_anchor_dir(void)
{
	char const *dir = getenv("PHONECERT_FUZZ_ANCHORS");

	return (dir && *dir) ? dir : PC_FUZZ_ANCHORS;
}

pc_config_t const *fuzz_config(unsigned int variant)
{
	static pc_config_t variants[FUZZ_POLICIES];
	static bool loaded;

	if (!loaded) {
		pc_config_t *cfg;
		pc_error_t err;
		char *path = talloc_asprintf(NULL, "%s/fuzz.conf", fuzz_anchor_dir());
		unsigned int i;

		if (!path || pc_config_load(NULL, path, &cfg, &err) < 0) {
			fprintf(stderr, "fuzz: cannot load the fuzz trust store: %s (set PHONECERT_FUZZ_ANCHORS to "
				"the tests/fuzz/anchors directory)\n", path ? err.msg : "out of memory");
			abort();
		}
		talloc_free(path);

		/* One trust store, eight policies: every branch of check_policy and pc_reply_plan. */
		for (i = 0; i < FUZZ_POLICIES; i++) variants[i] = *cfg;
		variants[1].policy.mac_binding = PC_MAC_BINDING_LOG;
		variants[FUZZ_POLICY_NO_MAC].policy.mac_binding = PC_MAC_BINDING_OFF;
		variants[FUZZ_POLICY_NO_MAC].policy.reply_profile = PC_REPLY_ARUBA_CX;
		variants[3].policy.mic_allowed = false;
		variants[3].policy.reply_profile = PC_REPLY_JUNIPER;
		variants[4].policy.mic_until = 0;
		variants[4].policy.reply_profile = PC_REPLY_NONE;
		variants[4].policy.mic_voice = false;
		variants[5].policy.reply_profile = PC_REPLY_JUNIPER;
		variants[5].policy.lsc_vlan = NULL;
		variants[5].policy.mac_binding = PC_MAC_BINDING_OFF;
		variants[6].policy.legacy = true;
		variants[6].policy.lsc_voice = false;
		variants[6].policy.mic_vlan = NULL;
		variants[7].policy.mic_until = FUZZ_NOW;
		variants[7].policy.mac_binding = PC_MAC_BINDING_LOG;
		loaded = true;
	}
	return &variants[variant % FUZZ_POLICIES];
}

char *fuzz_string(TALLOC_CTX *ctx, uint8_t const *data, size_t size)
{
	char *s = talloc_array(ctx, char, size + 1);

	FUZZ_CHECK(s != NULL);
	if (size > 0) memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

char const *fuzz_file(uint8_t const *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	size_t done = 0;

	if (fd < 0) {
		fd = memfd_create("phonecert-fuzz-input", MFD_CLOEXEC);
		FUZZ_CHECK(fd >= 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	FUZZ_CHECK(ftruncate(fd, 0) == 0);
	while (done < size) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);

		FUZZ_CHECK(n > 0);
		done += (size_t)n;
	}
	return path;
}

static bool is_upper_hex(char const *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)s[i]) || islower((unsigned char)s[i])) return false;
	}
	return s[len] == '\0';
}

void fuzz_check_decision(pc_config_t const *cfg, pc_decision_t const *d)
{
	pc_reply_item_t items[PC_REPLY_MAX];
	unsigned int n, i;

	FUZZ_CHECK(memchr(d->detail, '\0', sizeof(d->detail)) != NULL);
	FUZZ_CHECK(strcmp(pc_reason_name(d->reason), "unknown") != 0);
	if (d->have_device) {
		FUZZ_CHECK(memcmp(d->device.name, "SEP", 3) == 0 && is_upper_hex(d->device.name + 3, 12));
		FUZZ_CHECK(memcmp(d->device.name + 3, d->device.mac, 13) == 0);
		FUZZ_CHECK(memchr(d->device.model, '\0', sizeof(d->device.model)) != NULL);
		FUZZ_CHECK(memchr(d->device.pid, '\0', sizeof(d->device.pid)) != NULL);
		FUZZ_CHECK(memchr(d->device.sn, '\0', sizeof(d->device.sn)) != NULL);
	}

	n = pc_reply_plan(&cfg->policy, d, items);
	FUZZ_CHECK(n <= PC_REPLY_MAX);
	for (i = 0; i < n; i++) FUZZ_CHECK(memchr(items[i].value, '\0', sizeof(items[i].value)) != NULL);

	if (!pc_decision_accepts(d)) {
		FUZZ_CHECK(n == 0);
		return;
	}

	/* An accept names its anchor and its phone, and agrees with the anchor's role and state. */
	FUZZ_CHECK(d->anchor != NULL);
	FUZZ_CHECK(d->have_device);
	FUZZ_CHECK(d->anchor->state != PC_STATE_DISABLED);
	switch (d->reason) {
	case PC_REASON_LSC_ACCEPTED:
		FUZZ_CHECK(d->kind == PC_KIND_LSC && d->anchor->role == PC_ROLE_LSC);
		FUZZ_CHECK(d->anchor->state == PC_STATE_ACTIVE);
		break;

	case PC_REASON_LSC_RETIRING_ACCEPTED:
		FUZZ_CHECK(d->kind == PC_KIND_LSC && d->anchor->role == PC_ROLE_LSC);
		FUZZ_CHECK(d->anchor->state == PC_STATE_RETIRING && d->deadline == d->anchor->trust_until);
		break;

	case PC_REASON_MIC_ACCEPTED:
		FUZZ_CHECK(d->kind == PC_KIND_MIC && d->anchor->role == PC_ROLE_MIC);
		FUZZ_CHECK(cfg->policy.mic_allowed);
		break;

	default:
		FUZZ_CHECK(!"an accept reason that the table does not have");
	}
	if (cfg->policy.mac_binding != PC_MAC_BINDING_LOG) FUZZ_CHECK(!d->mac_mismatch);
}

/** The CN attributes of name: how many, and the first one's value (if first is not NULL). */
static int name_cns(X509_NAME const *name, ASN1_STRING const **first)
{
	int count = 0, i;

	if (first) *first = NULL;
	for (i = 0; i < X509_NAME_entry_count(name); i++) {
		X509_NAME_ENTRY const *entry = X509_NAME_get_entry(name, i);

		if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry)) != NID_commonName) continue;
		if (count++ == 0 && first) *first = X509_NAME_ENTRY_get_data(entry);
	}
	return count;
}

/**
 * The CN attributes among the components FreeRADIUS kept of the subject (subject.c: OpenSSL
 * drops those that do not fit its buffer, and all after them): the subject's attributes,
 * less the last ones until what is left prints as fr_subject.
 */
static int kept_cns(X509 *cert, char const *fr_subject)
{
	X509_NAME *name = X509_NAME_dup(X509_get_subject_name(cert));
	int count;

	FUZZ_CHECK(name != NULL);
	while (X509_NAME_entry_count(name) > 0) {
		char *line = X509_NAME_oneline(name, NULL, 0);
		bool same = line && strcmp(line, fr_subject) == 0;

		OPENSSL_free(line);
		if (same) break;
		X509_NAME_ENTRY_free(X509_NAME_delete_entry(name, X509_NAME_entry_count(name) - 1));
	}
	count = name_cns(name, NULL);
	X509_NAME_free(name);
	ERR_clear_error();
	return count;
}

void fuzz_decide_certificate(X509 *leaf, X509 *issuer)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	pc_config_t const *cfg = fuzz_config(FUZZ_POLICY_NO_MAC);
	pc_cert_facts_t facts;
	pc_decision_t d;
	pc_error_t err;
	ASN1_STRING const *cn;
	pc_device_t device;
	size_t i;
	/* The verify errors pc_diagnose tells apart, and one it does not know. */
	static int const openssl_errors[] = { 0, 2, 7, 9, 10, 18, 19, 20, 22, 24, 25, 26, 66, 67, 68, 79, 4242 };

	FUZZ_CHECK(ctx != NULL);
	if (!issuer) {
		char *issuer_name = pc_x509_oneline(ctx, X509_get_issuer_name(leaf));
		pc_anchor_t const *anchor = pc_trust_find_by_subject(cfg->trust, issuer_name);

		if (anchor) issuer = anchor->cert;
	}
	FUZZ_CHECK(pc_facts_from_x509(ctx, leaf, issuer, &facts, &err) == 0);
	FUZZ_CHECK(ERR_peek_error() == 0);

	pc_decide(cfg, &facts, NULL, FUZZ_NOW, &d);
	fuzz_check_decision(cfg, &d);
	if (pc_decision_accepts(&d)) {
		/* The ground truth: the certificate's first CN is the device accepted, and there is
		 * no other CN where FreeRADIUS could show it. */
		FUZZ_CHECK(name_cns(X509_get_subject_name(leaf), &cn) >= 1);
		FUZZ_CHECK(kept_cns(leaf, facts.subject) == 1);
		FUZZ_CHECK(pc_device_from_cn((char const *)ASN1_STRING_get0_data(cn), (size_t)ASN1_STRING_length(cn),
					     &device));
		FUZZ_CHECK(strcmp(device.name, d.device.name) == 0 && strcmp(device.model, d.device.model) == 0);
	}

	/* The same facts explained as a failed handshake, for the errors the diagnosis knows. */
	for (i = 0; i < sizeof(openssl_errors) / sizeof(openssl_errors[0]); i++) {
		pc_diagnose(cfg, &facts, openssl_errors[i], NULL, &d);
		FUZZ_CHECK(!pc_decision_accepts(&d));
		fuzz_check_decision(cfg, &d);
	}
	talloc_free(ctx);
}
