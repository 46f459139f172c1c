/**
 * @file phonecert/decide.h
 * @brief The admission decision for one authentication, and the diagnosis of failed handshakes.
 */
#ifndef PHONECERT_DECIDE_H
#define PHONECERT_DECIDE_H

#include <stdbool.h>
#include <time.h>

#include <phonecert/cert.h>
#include <phonecert/config.h>
#include <phonecert/device.h>
#include <phonecert/facts.h>
#include <phonecert/reason.h>

typedef enum {
	PC_KIND_UNKNOWN = 0,
	PC_KIND_LSC = 1,
	PC_KIND_MIC = 2
} pc_kind_t;

typedef struct {
	pc_reason_t		reason;		//!< Starts as a refusal; an accept reason only when every check passed.
	pc_kind_t		kind;
	pc_anchor_t const	*anchor;	//!< Owned by the config's trust store, or NULL.
	bool			have_device;
	pc_device_t		device;
	time_t			deadline;	//!< Retiring window end or MIC cut-off that applies; 0 if none.
	bool			mac_mismatch;	//!< Seen with mac_binding = log (admitted anyway).
	bool			crl_stale;	//!< The anchor's CRL is past its nextUpdate and
						//!< crl_stale = log (admitted anyway; detail says so).
	char			detail[256];	//!< The specifics: issuer name, MACs compared...
} pc_decision_t;

/** Whether the decision admits the phone. */
bool pc_decision_accepts(pc_decision_t const *decision);

/**
 * Decide on a certificate that passed the TLS handshake.
 *
 * @param cfg			Policy and trust store.
 * @param cert			What the verification hook read from the certificate's DER and the
 *				chain OpenSSL verified; NULL when no record reached the decision.
 * @param strings		FreeRADIUS's TLS-* attribute strings, or NULL: never decisive, only
 *				cross-checked (a string that disagrees with the certificate refuses).
 * @param calling_station_id	The switch's Calling-Station-Id, or NULL.
 * @param now			Time of the decision (the CLI's --at).
 * @param out			Always filled; fails closed.
 */
void pc_decide(pc_config_t const *cfg, pc_cert_t const *cert, pc_cert_facts_t const *strings,
	       char const *calling_station_id, time_t now, pc_decision_t *out);

/**
 * Explain a handshake that failed before the decision could run.
 *
 * @param cert		The hook's record of the refused chain, or NULL (failed before any
 *			certificate was verified: no certificate, old TLS...).
 * @param openssl_error	The X509_V_ERR_* code FreeRADIUS logged ("OpenSSL says error N"), or 0;
 *			the record's own error is preferred.
 * @param tls_message	Other TLS failure text (alerts, "unsupported protocol"...), or NULL.
 */
void pc_diagnose(pc_config_t const *cfg, pc_cert_t const *cert, int openssl_error,
		 char const *tls_message, time_t now, pc_decision_t *out);

/** Find "OpenSSL says error N" in a FreeRADIUS failure message.  @return N, or 0. */
int pc_failure_openssl_error(char const *message);

char const *pc_kind_name(pc_kind_t kind);

#endif
