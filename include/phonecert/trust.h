/**
 * @file phonecert/trust.h
 * @brief The uploaded anchors: CAPF certificates (LSC issuers) and manufacturing CAs (MIC issuers).
 *
 * An anchor is identified by its certificate (SHA-256 fingerprint of the DER, which covers
 * its key), never by its name.  A regenerated CAPF with the subject of the
 * old one is a second, distinct anchor.
 */
#ifndef PHONECERT_TRUST_H
#define PHONECERT_TRUST_H

#include <stdbool.h>
#include <time.h>
#include <talloc.h>
#include <openssl/x509.h>

#include <phonecert/error.h>
#include <phonecert/facts.h>

typedef enum {
	PC_ROLE_LSC = 1,	//!< Signs LSCs: a CAPF, or the enterprise CA of CAPF's online/offline CA mode.
	PC_ROLE_MIC = 2		//!< Signs MICs: a Cisco manufacturing CA.
} pc_role_t;

typedef enum {
	PC_STATE_ACTIVE = 0,
	PC_STATE_RETIRING = 1,	//!< Trusted until trust_until, then refused.
	PC_STATE_DISABLED = 2
} pc_state_t;

typedef struct {
	char const	*name;		//!< Admin's label from the config ("capf-hq-2021").
	char const	*file;		//!< Path it was loaded from.
	pc_role_t	role;
	pc_state_t	state;
	time_t		trust_until;	//!< Retiring only: end of the rollover window.
	X509		*cert;		//!< Owned by the anchor (freed with it).

	char const	*subject;	//!< FreeRADIUS oneline form.
	char const	*issuer;	//!< Its issuer, oneline form (cross-checked with TLS-Cert-Issuer).
	char const	*common_name;	//!< CN, or "" (for display only).
	char const	*serial;	//!< Lower-case hex, as FreeRADIUS prints it.
	char const	*key_id;	//!< Subject key identifier, lower-case hex, or NULL.
	char		fingerprint[65];	//!< SHA-256 of the DER, lower-case hex.
	time_t		not_before;
	time_t		not_after;
	char		key_desc[80];	//!< "RSA-2048", "EC-prime256v1".
	int		sig_nid;	//!< Signature digest NID, for the legacy (SHA-1) warning.
	struct pc_crl_s const *crl;	//!< Its CRL (crl = FILE), verified with its key; NULL if none.
} pc_anchor_t;

typedef struct pc_trust_s pc_trust_t;

/** An empty trust store under ctx. */
pc_trust_t *pc_trust_alloc(TALLOC_CTX *ctx);

/**
 * Load one PEM or DER CA certificate file as an anchor.  Refuses (with err naming the file):
 * a missing or unreadable file, no certificate, more than one certificate, a certificate that
 * is not a CA (basicConstraints CA:TRUE and, if key usage is present, keyCertSign), and a
 * duplicate of an anchor already loaded.
 */
int pc_trust_add_file(pc_trust_t *trust, char const *name, char const *path, pc_role_t role,
		      pc_state_t state, time_t trust_until, pc_error_t *err) PC_MUST_CHECK;

/** Number of anchors, and the i-th (in load order).  Pointers live as long as the store. */
unsigned int pc_trust_count(pc_trust_t const *trust);
pc_anchor_t const *pc_trust_anchor(pc_trust_t const *trust, unsigned int index);

/**
 * The anchor whose certificate has this SHA-256 fingerprint (lower-case hex), or NULL.
 * O(1) in the number of anchors.
 */
pc_anchor_t const *pc_trust_find_fingerprint(pc_trust_t const *trust, char const *fingerprint);

/** Attach a CRL (phonecert/crl.h, owned by the caller's context) to the index-th anchor. */
void pc_trust_set_crl(pc_trust_t *trust, unsigned int index, struct pc_crl_s const *crl);

/** An X509_STORE trusting exactly the anchors (partial chains allowed), for the CLI's check. */
X509_STORE *pc_trust_x509_store(pc_trust_t const *trust);

char const *pc_role_name(pc_role_t role);
char const *pc_state_name(pc_state_t state);

#endif
