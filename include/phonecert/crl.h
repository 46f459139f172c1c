/**
 * @file phonecert/crl.h
 * @brief An anchor's CRL ([anchor NAME] crl = FILE): for CAPF in online/offline CA mode,
 *	  where an enterprise CA signs the LSCs and publishes CRLs.
 *
 * The CRL is bound to its anchor by the anchor's key: it is loaded only if its signature
 * verifies with that key (X509_CRL_verify), and the decision consults the CRL of the anchor
 * found by fingerprint from the verified chain, never one found by issuer name.  Parsing and
 * the signature are OpenSSL's, at load; the load then keeps only the revoked serials'
 * bytes, sorted, so that a lookup is a binary search that allocates nothing.
 *
 * Not supported, and refused at load: delta CRLs and CRLs whose issuer name is not the
 * anchor's subject (indirect CRLs).  A CRL's own distribution points are not fetched: the
 * admin (or a cron job) keeps the file current and reloads.
 */
#ifndef PHONECERT_CRL_H
#define PHONECERT_CRL_H

#include <stdbool.h>
#include <time.h>
#include <talloc.h>
#include <openssl/x509.h>

#include <phonecert/error.h>

typedef struct pc_crl_s pc_crl_t;

/** What the CRL says of a serial. */
typedef enum {
	PC_CRL_GOOD = 0,	//!< Not on the CRL.
	PC_CRL_REVOKED		//!< On the CRL.
} pc_crl_status_t;

/**
 * Read a CRL (PEM, exactly one; or DER) and check that the key of issuer signed it.
 * Refuses, naming the file: unreadable, not a CRL, trailing data, more than one CRL,
 * a signature that does not verify with issuer's key, an issuer name that is not issuer's
 * subject, a delta CRL, unreadable dates.
 *
 * @return 0 with *out under ctx; -1 with err set.
 */
int pc_crl_load(TALLOC_CTX *ctx, char const *path, X509 *issuer, pc_crl_t **out, pc_error_t *err) PC_MUST_CHECK;

/**
 * Look a serial (big-endian magnitude, as pc_cert_t holds it; leading zero bytes do not count)
 * up.  O(log n), no allocation, thread-safe.
 */
pc_crl_status_t pc_crl_lookup(pc_crl_t const *crl, unsigned char const *serial, unsigned int serial_len,
			      time_t *revoked_at);

/** The CRL's nextUpdate, 0 if it has none (then it is never stale). */
time_t pc_crl_next_update(pc_crl_t const *crl);

/** The CRL's thisUpdate. */
time_t pc_crl_this_update(pc_crl_t const *crl);

/** Whether the CRL is past its nextUpdate at now. */
bool pc_crl_stale(pc_crl_t const *crl, time_t now);

/** The file, the number of revoked entries, and the SHA-256 (lower-case hex) of the file's bytes. */
char const *pc_crl_path(pc_crl_t const *crl);
unsigned int pc_crl_count(pc_crl_t const *crl);
char const *pc_crl_digest(pc_crl_t const *crl);

#endif
