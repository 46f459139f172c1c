/**
 * @file fuzz_support.c
 * @brief The fuzz targets' shared trust store, in-memory files, and the checks of records and
 *	  decisions.
 */
#define _GNU_SOURCE		/* memfd_create */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <phonecert/reply.h>
#include <phonecert/verify.h>

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

bool fuzz_cert_equal(pc_cert_t const *a, pc_cert_t const *b)
{
	return a->verify_error == b->verify_error && a->error_depth == b->error_depth &&
	       a->chain_length == b->chain_length && a->untrusted == b->untrusted &&
	       strcmp(a->issuer_fp, b->issuer_fp) == 0 && a->flags == b->flags && a->cn_status == b->cn_status &&
	       strcmp(a->cn, b->cn) == 0 && strcmp(a->serial_number, b->serial_number) == 0 &&
	       a->serial_len == b->serial_len && memcmp(a->serial, b->serial, a->serial_len) == 0 &&
	       a->not_before == b->not_before && a->not_after == b->not_after &&
	       a->aki_len == b->aki_len && memcmp(a->aki, b->aki, a->aki_len) == 0 &&
	       strcmp(a->issuer_cn, b->issuer_cn) == 0;
}

void fuzz_check_accept_record(pc_config_t const *cfg, pc_cert_t const *cert, pc_decision_t const *d, time_t now)
{
	pc_device_t device;

	if (!pc_decision_accepts(d)) return;
	/* Verified by OpenSSL, directly under an uploaded anchor, the phone sending only its leaf. */
	FUZZ_CHECK(cert->verify_error == 0);
	FUZZ_CHECK(cert->untrusted == 1 && cert->chain_length >= 2);
	FUZZ_CHECK(cert->flags & PC_CHAIN_ISSUER_TRUSTED);
	FUZZ_CHECK(d->anchor == pc_trust_find_fingerprint(cfg->trust, cert->issuer_fp));
	FUZZ_CHECK(pc_anchor_trusted_at(d->anchor, now));
	FUZZ_CHECK(d->anchor->not_after >= now);
	FUZZ_CHECK(d->kind == (d->anchor->role == PC_ROLE_LSC ? PC_KIND_LSC : PC_KIND_MIC));
	/* A sound leaf: one clean CN naming the device, nothing flagged, valid now. */
	FUZZ_CHECK(cert->cn_status == PC_CN_OK);
	FUZZ_CHECK(pc_device_from_cn(cert->cn, strlen(cert->cn), &device));
	FUZZ_CHECK(strcmp(device.name, d->device.name) == 0 && strcmp(device.model, d->device.model) == 0);
	FUZZ_CHECK(!(cert->flags & (PC_CERT_CA | PC_CERT_EXT_INVALID | PC_CERT_SERIAL_LONG | PC_CERT_BAD_TIME |
				    PC_CERT_SN_BAD | PC_CERT_AKI_LONG)));
	FUZZ_CHECK(cert->serial_len >= 1 && cert->serial_len <= 20);
	FUZZ_CHECK(cert->not_before <= (int64_t)now && cert->not_after >= (int64_t)now);
	if (cert->flags & PC_CERT_EKU) FUZZ_CHECK(cert->flags & PC_CERT_EKU_CLIENT);
	if (cert->flags & PC_CERT_KU) FUZZ_CHECK(cert->flags & PC_CERT_KU_SIGN);
	/* An LSC names its CAPF's key. */
	if (d->kind == PC_KIND_LSC) FUZZ_CHECK(cert->flags & PC_CERT_AKI_KEYID);
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

/** What pc_cert_from_x509 read, against the certificate itself. */
static void check_record_of(X509 *leaf, pc_cert_t const *rec)
{
	ASN1_STRING const *cn;
	ASN1_OCTET_STRING const *keyid;
	int cns = name_cns(X509_get_subject_name(leaf), &cn);

	/* The leaf's reading never touches the chain fields (all zero here). */
	FUZZ_CHECK((rec->flags & 0xf000) == 0 && rec->issuer_fp[0] == '\0' && rec->verify_error == 0);
	FUZZ_CHECK(memchr(rec->cn, '\0', sizeof(rec->cn)) && memchr(rec->serial_number, '\0', sizeof(rec->serial_number)));
	FUZZ_CHECK(memchr(rec->issuer_cn, '\0', sizeof(rec->issuer_cn)));
	switch (rec->cn_status) {
	case PC_CN_NONE:
		FUZZ_CHECK(cns == 0 && rec->cn[0] == '\0');
		break;
	case PC_CN_SEVERAL:
		FUZZ_CHECK(cns >= 2 && rec->cn[0] == '\0');
		break;
	case PC_CN_OK: {
		unsigned char *utf8 = NULL;
		int len;

		/* The one CN, as UTF-8: printable ASCII, 1..64 bytes, exactly what the record holds. */
		FUZZ_CHECK(cns == 1);
		len = ASN1_STRING_to_UTF8(&utf8, cn);
		FUZZ_CHECK(len >= 1 && len <= PC_CN_MAX && (size_t)len == strlen(rec->cn));
		FUZZ_CHECK(memcmp(utf8, rec->cn, (size_t)len) == 0);
		OPENSSL_free(utf8);
		for (len = 0; rec->cn[len]; len++) FUZZ_CHECK(rec->cn[len] >= 0x20 && rec->cn[len] <= 0x7e);
		break;
	}
	case PC_CN_BAD_BYTES:
	case PC_CN_TOO_LONG:
		FUZZ_CHECK(cns == 1 && rec->cn[0] == '\0');
		break;
	default:
		FUZZ_CHECK(!"a cn_status outside the enum");
	}
	/* The serial: its bytes, or flagged. */
	if (rec->flags & PC_CERT_SERIAL_LONG) {
		FUZZ_CHECK(rec->serial_len == 0);
	} else {
		ASN1_INTEGER const *sn = X509_get0_serialNumber(leaf);

		FUZZ_CHECK(rec->serial_len >= 1 && rec->serial_len <= sizeof(rec->serial));
		FUZZ_CHECK((int)rec->serial_len == ASN1_STRING_length(sn));
		FUZZ_CHECK(memcmp(rec->serial, ASN1_STRING_get0_data(sn), rec->serial_len) == 0);
		FUZZ_CHECK(ASN1_STRING_type(sn) != V_ASN1_NEG_INTEGER);
	}
	/* The authority key identifier: its bytes, or flagged. */
	keyid = X509_get0_authority_key_id(leaf);
	if (rec->flags & PC_CERT_AKI_KEYID) {
		FUZZ_CHECK((rec->flags & PC_CERT_AKI) && !(rec->flags & PC_CERT_AKI_LONG));
		FUZZ_CHECK(keyid && (int)rec->aki_len == ASN1_STRING_length(keyid) && rec->aki_len >= 1);
		FUZZ_CHECK(memcmp(rec->aki, ASN1_STRING_get0_data(keyid), rec->aki_len) == 0);
	} else {
		FUZZ_CHECK(rec->aki_len == 0);
	}
	if (rec->flags & PC_CERT_KU_SIGN) FUZZ_CHECK(rec->flags & PC_CERT_KU);
	if (rec->flags & PC_CERT_EKU_CLIENT) FUZZ_CHECK(rec->flags & PC_CERT_EKU);
	/* basicConstraints CA:TRUE always makes it a CA. */
	if (X509_get_extension_flags(leaf) & EXFLAG_CA) FUZZ_CHECK(rec->flags & PC_CERT_CA);
	ERR_clear_error();
}

/** The encoding of rec: bounded, [0-9a-z;-], and back to the same record. */
static void check_encoding(pc_cert_t const *rec)
{
	char text[PC_CERT_RECORD_MAX];
	pc_cert_t back;
	size_t len = pc_cert_encode(rec, text, sizeof(text)), i;

	FUZZ_CHECK(len > 0 && len == strlen(text) && len <= PC_CERT_RECORD_MAX - 1);
	for (i = 0; i < len; i++) {
		FUZZ_CHECK(isdigit((unsigned char)text[i]) || islower((unsigned char)text[i]) || text[i] == ';' ||
			   text[i] == '-');
	}
	FUZZ_CHECK(pc_cert_decode(text, len, &back));
	FUZZ_CHECK(fuzz_cert_equal(rec, &back));
}

void fuzz_decide_certificate(X509 *leaf)
{
	/* The verify errors pc_diagnose tells apart, and one it does not know. */
	static int const openssl_errors[] = { 2, 7, 9, 10, 18, 19, 20, 21, 22, 24, 25, 26, 32, 66, 67, 68, 79, 4242 };
	TALLOC_CTX *ctx = talloc_new(NULL);
	pc_config_t const *cfg = fuzz_config(FUZZ_POLICY_NO_MAC);
	pc_cert_t rec;
	unsigned int a, e;

	FUZZ_CHECK(ctx != NULL);
	memset(&rec, 0, sizeof(rec));
	pc_cert_from_x509(leaf, &rec);
	FUZZ_CHECK(ERR_peek_error() == 0);
	check_record_of(leaf, &rec);
	check_encoding(&rec);

	for (a = 0; a < pc_trust_count(cfg->trust); a++) {
		pc_anchor_t const *anchor = pc_trust_anchor(cfg->trust, a);
		pc_cert_facts_t facts;
		pc_decision_t d, with;
		pc_error_t err;
		pc_cert_t verified = rec;

		/* As if OpenSSL had verified it, directly under this anchor. */
		verified.chain_length = 2;
		verified.untrusted = 1;
		memcpy(verified.issuer_fp, anchor->fingerprint, sizeof(verified.issuer_fp));
		verified.flags |= PC_CHAIN_ISSUER_TRUSTED;
		check_encoding(&verified);
		pc_decide(cfg, &verified, NULL, NULL, FUZZ_NOW, &d);
		fuzz_check_decision(cfg, &d);
		fuzz_check_accept_record(cfg, &verified, &d, FUZZ_NOW);
		if (pc_decision_accepts(&d)) {
			ASN1_STRING const *cn;
			ASN1_OCTET_STRING const *keyid = X509_get0_authority_key_id(leaf);
			pc_device_t device;

			/* The ground truth: exactly one CN in the certificate, and it names the device
			 * accepted; the kind is the anchor's role; an LSC names that anchor's key. */
			FUZZ_CHECK(d.anchor == anchor);
			FUZZ_CHECK(d.kind == (anchor->role == PC_ROLE_LSC ? PC_KIND_LSC : PC_KIND_MIC));
			FUZZ_CHECK(name_cns(X509_get_subject_name(leaf), &cn) == 1);
			FUZZ_CHECK(pc_device_from_cn((char const *)ASN1_STRING_get0_data(cn), (size_t)ASN1_STRING_length(cn),
						     &device));
			FUZZ_CHECK(strcmp(device.name, d.device.name) == 0 && strcmp(device.model, d.device.model) == 0);
			if (keyid && anchor->key_id) {
				char hex[2 * 32 + 1];
				int i;

				FUZZ_CHECK(ASN1_STRING_length(keyid) <= 32);
				for (i = 0; i < ASN1_STRING_length(keyid); i++) {
					snprintf(hex + 2 * i, 3, "%02x", ASN1_STRING_get0_data(keyid)[i]);
				}
				hex[2 * i] = '\0';
				FUZZ_CHECK(strcmp(hex, anchor->key_id) == 0);
			}
			if (d.kind == PC_KIND_LSC) FUZZ_CHECK(keyid != NULL);
		}

		/* FreeRADIUS's strings for this certificate under this anchor agree with the record:
		 * the decision is the same with them. */
		FUZZ_CHECK(pc_facts_from_x509(ctx, leaf, anchor->cert, &facts, &err) == 0);
		FUZZ_CHECK(ERR_peek_error() == 0);
		pc_decide(cfg, &verified, &facts, NULL, FUZZ_NOW, &with);
		FUZZ_CHECK(memcmp(&d, &with, sizeof(d)) == 0);

		/* Refused by OpenSSL instead, signed by this anchor or only naming it: never admitted. */
		for (e = 0; e < sizeof(openssl_errors) / sizeof(openssl_errors[0]); e++) {
			pc_cert_t refused = rec;

			refused.verify_error = openssl_errors[e];
			refused.error_depth = (int)(e % 3);
			refused.chain_length = 1 + e % 3;
			refused.untrusted = 1 + (e % 4 == 0);
			if (e % 2) {
				memcpy(refused.issuer_fp, anchor->fingerprint, sizeof(refused.issuer_fp));
				refused.flags |= PC_CHAIN_SIGNER_FOUND;
			} else {
				refused.flags |= (e % 4) ? PC_CHAIN_ISSUER_NAMED : PC_CHAIN_SENT_NAMES_ANCHOR;
			}
			check_encoding(&refused);
			pc_diagnose(cfg, &refused, refused.verify_error, NULL, FUZZ_NOW, &d);
			FUZZ_CHECK(!pc_decision_accepts(&d));
			fuzz_check_decision(cfg, &d);
			pc_decide(cfg, &refused, NULL, NULL, FUZZ_NOW, &d);
			FUZZ_CHECK(!pc_decision_accepts(&d));
		}
	}
	talloc_free(ctx);
}
