/**
 * @file verify.c
 * @brief Verifies a client chain against exactly the anchors trusted now (see verify.h).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include <phonecert/verify.h>

typedef struct {
	X509		*cert;		//!< One reference, ours.
	char		fingerprint[PC_FINGERPRINT_HEX];
	pc_state_t	state;
	time_t		trust_until;
} trust_entry_t;

struct pc_trustset_s {
	int		refs;		//!< Atomic.
	unsigned int	count;
	trust_entry_t	*entries;
	STACK_OF(X509)	*trusted;	//!< The certificates trusted at built_at (references of entries).
	time_t		built_at;
	time_t		valid_until;	//!< When trusted stops being right by the clock; 0 never.
};

bool pc_anchor_trusted_at(pc_anchor_t const *anchor, time_t now)
{
	switch (anchor->state) {
	case PC_STATE_ACTIVE:
		return true;
	case PC_STATE_RETIRING:
		return now < anchor->trust_until;
	case PC_STATE_DISABLED:
		break;
	}
	return false;
}

static bool entry_trusted_at(trust_entry_t const *e, time_t now)
{
	return e->state == PC_STATE_ACTIVE || (e->state == PC_STATE_RETIRING && now < e->trust_until);
}

/** The entries trusted at now, as a stack that borrows their certificates. */
static STACK_OF(X509) *stack_at(pc_trustset_t const *set, time_t now)
{
	STACK_OF(X509) *sk = sk_X509_new_reserve(NULL, (int)set->count);
	unsigned int i;

	if (!sk) return NULL;
	for (i = 0; i < set->count; i++) {
		if (entry_trusted_at(&set->entries[i], now) && !sk_X509_push(sk, set->entries[i].cert)) {
			sk_X509_free(sk);
			return NULL;
		}
	}
	return sk;
}

pc_trustset_t *pc_trustset_new(pc_trust_t const *trust, time_t now)
{
	pc_trustset_t *set = calloc(1, sizeof(*set));
	unsigned int i, n = pc_trust_count(trust);

	if (!set) return NULL;
	set->refs = 1;
	set->built_at = now;
	set->entries = calloc(n ? n : 1, sizeof(*set->entries));
	if (!set->entries) goto oom;
	for (i = 0; i < n; i++) {
		pc_anchor_t const *a = pc_trust_anchor(trust, i);
		trust_entry_t *e = &set->entries[i];

		if (!X509_up_ref(a->cert)) goto oom;
		e->cert = a->cert;
		set->count++;
		memcpy(e->fingerprint, a->fingerprint, sizeof(e->fingerprint));
		e->state = a->state;
		e->trust_until = a->trust_until;
		if (e->state == PC_STATE_RETIRING && e->trust_until > now &&
		    (set->valid_until == 0 || e->trust_until < set->valid_until)) {
			set->valid_until = e->trust_until;
		}
	}
	set->trusted = stack_at(set, now);
	if (!set->trusted) goto oom;
	return set;

oom:
	pc_trustset_free(set);
	ERR_clear_error();
	return NULL;
}

void pc_trustset_up_ref(pc_trustset_t *set)
{
	if (set) __atomic_add_fetch(&set->refs, 1, __ATOMIC_RELAXED);
}

void pc_trustset_free(pc_trustset_t *set)
{
	unsigned int i;

	if (!set || __atomic_sub_fetch(&set->refs, 1, __ATOMIC_ACQ_REL) > 0) return;
	sk_X509_free(set->trusted);
	for (i = 0; i < set->count; i++) X509_free(set->entries[i].cert);
	free(set->entries);
	free(set);
}

time_t pc_trustset_next_change(pc_trustset_t const *set)
{
	return set ? set->valid_until : 0;
}

/** The entry holding exactly this certificate object (the chain holds our references). */
static trust_entry_t const *entry_of(pc_trustset_t const *set, X509 const *cert)
{
	unsigned int i;

	for (i = 0; i < set->count; i++) {
		if (set->entries[i].cert == cert) return &set->entries[i];
	}
	return NULL;
}

/** The entry whose certificate is the same as cert (another object with the same DER). */
static trust_entry_t const *entry_same(pc_trustset_t const *set, X509 const *cert)
{
	unsigned int i;

	for (i = 0; i < set->count; i++) {
		if (X509_cmp(set->entries[i].cert, cert) == 0) return &set->entries[i];
	}
	return NULL;
}

/** Whether a name is the subject of an anchor (of any state). */
static bool names_anchor(pc_trustset_t const *set, X509_NAME const *name)
{
	unsigned int i;

	for (i = 0; i < set->count; i++) {
		if (X509_NAME_cmp(X509_get_subject_name(set->entries[i].cert), name) == 0) return true;
	}
	return false;
}

/**
 * For the diagnosis of a refused chain: which anchor's key signed the leaf (trusted now or
 * not), whether the leaf only borrows an anchor's name, and whether a CA the phone sent
 * poses as, or hangs under, an uploaded anchor.
 */
static void analyse_failure(pc_trustset_t const *set, X509 *leaf, STACK_OF(X509) *chain, pc_cert_t *out)
{
	X509_NAME const *issuer = X509_get_issuer_name(leaf);
	bool named = false;
	unsigned int i;
	int c, sent;

	for (i = 0; i < set->count; i++) {
		trust_entry_t const *e = &set->entries[i];
		EVP_PKEY *key;

		if (X509_NAME_cmp(X509_get_subject_name(e->cert), issuer) != 0) continue;
		named = true;
		key = X509_get0_pubkey(e->cert);
		if (key && X509_verify(leaf, key) == 1) {
			memcpy(out->issuer_fp, e->fingerprint, sizeof(out->issuer_fp));
			out->flags |= PC_CHAIN_SIGNER_FOUND;
			break;
		}
	}
	if (named && !(out->flags & PC_CHAIN_SIGNER_FOUND)) out->flags |= PC_CHAIN_ISSUER_NAMED;

	/* chain[1 .. untrusted-1] are CAs the phone sent that OpenSSL chained. */
	sent = chain ? sk_X509_num(chain) : 0;
	if ((int)out->untrusted < sent) sent = (int)out->untrusted;
	for (c = 1; c < sent; c++) {
		X509 *ca = sk_X509_value(chain, c);

		if (names_anchor(set, X509_get_subject_name(ca)) || names_anchor(set, X509_get_issuer_name(ca))) {
			out->flags |= PC_CHAIN_SENT_NAMES_ANCHOR;
			break;
		}
	}
	ERR_clear_error();
}

/** A count of certificates as the record holds it (0 .. PC_CHAIN_COUNT_MAX). */
static unsigned int count_saturate(int n)
{
	if (n < 0) return 0;
	return n > PC_CHAIN_COUNT_MAX ? PC_CHAIN_COUNT_MAX : (unsigned int)n;
}

int pc_verify_chain(pc_trustset_t const *set, X509_STORE_CTX *xctx, time_t now, pc_cert_t *out)
{
	STACK_OF(X509) *own = NULL, *trusted, *chain;
	X509 *leaf = X509_STORE_CTX_get0_cert(xctx);
	int ok;

	memset(out, 0, sizeof(*out));
	out->verify_error = X509_V_ERR_UNSPECIFIED;
	if (!set || !leaf) {
		X509_STORE_CTX_set_error(xctx, X509_V_ERR_UNSPECIFIED);
		return 0;
	}

	/* Past a retiring anchor's deadline (until the next reload), build today's list. */
	trusted = set->trusted;
	if (now < set->built_at || (set->valid_until && now >= set->valid_until)) {
		own = stack_at(set, now);
		if (!own) {
			X509_STORE_CTX_set_error(xctx, X509_V_ERR_OUT_OF_MEM);
			return 0;
		}
		trusted = own;
	}
	X509_STORE_CTX_set0_trusted_stack(xctx, trusted);
	/* An anchor is trusted as itself: a manufacturing intermediate needs no uploaded root. */
	X509_STORE_CTX_set_flags(xctx, X509_V_FLAG_PARTIAL_CHAIN);

	ok = X509_verify_cert(xctx);

	pc_cert_from_x509(leaf, out);
	chain = X509_STORE_CTX_get0_chain(xctx);
	out->chain_length = count_saturate(chain ? sk_X509_num(chain) : 0);
	out->untrusted = count_saturate(X509_STORE_CTX_get_num_untrusted(xctx));
	if (ok == 1) {
		out->verify_error = X509_V_OK;
		out->error_depth = 0;
		if (out->chain_length >= 2 && out->untrusted == 1) {
			trust_entry_t const *e = entry_of(set, sk_X509_value(chain, 1));

			if (e) {
				memcpy(out->issuer_fp, e->fingerprint, sizeof(out->issuer_fp));
				out->flags |= PC_CHAIN_ISSUER_TRUSTED;
			}
		} else if (out->chain_length >= 2) {
			/* Refused later (the phone sent the issuer); for the diagnosis, say whether
			 * what it sent is an uploaded anchor that is not trusted now. */
			trust_entry_t const *e = entry_same(set, sk_X509_value(chain, 1));

			if (e) {
				memcpy(out->issuer_fp, e->fingerprint, sizeof(out->issuer_fp));
				out->flags |= PC_CHAIN_SIGNER_FOUND;
			}
		}
	} else {
		out->verify_error = X509_STORE_CTX_get_error(xctx);
		if (out->verify_error == X509_V_OK) out->verify_error = X509_V_ERR_UNSPECIFIED;
		out->error_depth = X509_STORE_CTX_get_error_depth(xctx);
		if (out->error_depth < -1) out->error_depth = -1;
		if (out->error_depth > PC_CHAIN_COUNT_MAX) out->error_depth = PC_CHAIN_COUNT_MAX;
		analyse_failure(set, leaf, chain, out);
	}
	sk_X509_free(own);
	ERR_clear_error();
	return ok;
}
