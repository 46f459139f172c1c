/**
 * @file phonecert/verify.h
 * @brief Chain verification against exactly the anchors trusted now, and what it found.
 *
 * The module's TLS hook and the CLI's `check` both verify a client chain here, so they reach
 * the same facts.  OpenSSL builds and verifies the chain (signatures, validity, path length,
 * the TLS client purpose) with X509_verify_cert(), but its trusted certificates are replaced
 * by the trust set: the uploaded anchors that are trusted at that moment (active, or retiring
 * inside their window), nothing from a CA directory or a cache.  A disabled anchor, one whose
 * window has closed and one removed by a reload cannot complete a chain, whatever OpenSSL
 * has cached from ca_path.
 *
 * The trust set is built at (re)load from a configuration's trust store and is immutable;
 * it holds references to the anchors' certificates, so it may outlive the configuration (the
 * TLS hook runs on worker threads while a reload frees the old configuration).  Reference
 * counting is atomic; everything else about it is read-only.  No talloc: it is allocated and
 * freed by whichever thread holds the last reference.
 */
#ifndef PHONECERT_VERIFY_H
#define PHONECERT_VERIFY_H

#include <stdbool.h>
#include <time.h>
#include <openssl/x509_vfy.h>

#include <phonecert/cert.h>
#include <phonecert/trust.h>

typedef struct pc_trustset_s pc_trustset_t;

/**
 * The trust set of a store at time now (for the fast path: later calls at a time past the
 * first retiring anchor's deadline build their own list).  @return NULL when out of memory.
 */
pc_trustset_t *pc_trustset_new(pc_trust_t const *trust, time_t now);

/** Take another reference; drop one (the last one frees).  NULL is allowed in both. */
void pc_trustset_up_ref(pc_trustset_t *set);
void pc_trustset_free(pc_trustset_t *set);

/** The first time at which an anchor of the set stops being trusted by the clock, or 0. */
time_t pc_trustset_next_change(pc_trustset_t const *set);

/** Whether an anchor is trusted at now: active, or retiring before trust_until. */
bool pc_anchor_trusted_at(pc_anchor_t const *anchor, time_t now);

/**
 * Verify the chain of xctx (initialised with the leaf and the certificates the peer sent;
 * its verify callback and parameters are left alone) against the anchors of set trusted at
 * now, and describe the outcome in out: the leaf's facts (pc_cert_from_x509), the chain
 * OpenSSL built, and on success the anchor it used as chain[1].  On failure it also says,
 * for the diagnosis, which uploaded anchor of any state (if any) signed the leaf, by
 * checking the leaf's signature with the key of each anchor named as its issuer: this costs a
 * signature check, on refused handshakes only.
 *
 * @return X509_verify_cert()'s result (1 verified, otherwise not).
 */
int pc_verify_chain(pc_trustset_t const *set, X509_STORE_CTX *xctx, time_t now, pc_cert_t *out);

#endif
