/**
 * @file phonecert/lifecycle.h
 * @brief When trust runs out: anchors (and the roots above them) that expire, the end of the
 *	  Cisco Root CA 2048 chain, and CAPF certificates that lack what a CA needs.
 *
 * Trust ends silently: an anchor that expires refuses every phone under it at once, and a
 * CAPF certificate made before CUCM 14SU2 may lack the extensions of a CA.  These checks run
 * at every start and reload of the module (log lines) and in `phonecert anchors` (text,
 * JSON, and a Nagios-style status with --check), from one function, so both say the same.
 *
 * What is not checked here: whether the phones' own certificates expire (the decision
 * refuses them), CRLs, and roots that are neither uploaded nor compiled in below.
 */
#ifndef PHONECERT_LIFECYCLE_H
#define PHONECERT_LIFECYCLE_H

#include <stdbool.h>
#include <time.h>
#include <talloc.h>
#include <openssl/x509.h>

#include <phonecert/config.h>
#include <phonecert/trust.h>

/** Default [policy] expiry_warning: findings become warnings this long before the end. */
#define PC_LIFECYCLE_WARNING_DAYS	90
/** Default [policy] expiry_critical: ... and critical this long before (or once it has passed). */
#define PC_LIFECYCLE_CRITICAL_DAYS	14

/** Severities; the numbers are the Nagios plugin exit codes (`phonecert anchors --check`). */
typedef enum {
	PC_LIFECYCLE_OK = 0,		//!< A note: nothing to do yet (e.g. the 2029 root end, years away).
	PC_LIFECYCLE_WARNING = 1,	//!< Act within the warning horizon.
	PC_LIFECYCLE_CRITICAL = 2	//!< Phones are (or within days will be) refused.
} pc_lifecycle_severity_t;

/** What a CA certificate lacks to sign LSCs as CUCM 14SU2 and later require (bit flags). */
#define PC_CAPF_MISSING_CA		0x01	//!< No basicConstraints CA:TRUE: OpenSSL refuses it as issuer.
#define PC_CAPF_MISSING_PATHLEN0	0x02	//!< No pathLenConstraint 0 (absent, or larger).
#define PC_CAPF_MISSING_KEYCERTSIGN	0x04	//!< keyCertSign absent (no keyUsage, or one without it).
#define PC_CAPF_KU_FORBIDS_SIGNING	0x08	//!< A keyUsage without keyCertSign: OpenSSL refuses it as issuer.

typedef struct {
	pc_lifecycle_severity_t	severity;
	char const		*type;		//!< Stable short name: "expired", "expiring", "root-expiring",
						//!< "cisco-root-2048", "capf-extensions".
	pc_anchor_t const	*anchor;	//!< The anchor concerned (lives as long as the trust store).
	time_t			when;		//!< The end date concerned, or 0 (CAPF extensions).
	char const		*message;	//!< One sentence with the advice; owned by the ctx given.
} pc_lifecycle_finding_t;

/**
 * The lifecycle findings of a configuration's anchors at time now, most severe first (then in
 * anchor order).  Disabled anchors are skipped (refused anyway), and so is the expiry of a
 * retiring anchor whose window closes first.  Horizons come from cfg->policy.
 *
 * @param[out] out	array of *count findings, allocated under ctx (NULL when there are none).
 * @return 0, or -1 when out of memory.
 */
int pc_lifecycle_check(TALLOC_CTX *ctx, pc_config_t const *cfg, time_t now,
		       pc_lifecycle_finding_t **out, unsigned int *count) PC_MUST_CHECK;

/** The worst severity of the findings (PC_LIFECYCLE_OK for none). */
pc_lifecycle_severity_t pc_lifecycle_worst(pc_lifecycle_finding_t const *findings, unsigned int count);

/** "OK", "WARNING", "CRITICAL". */
char const *pc_lifecycle_severity_name(pc_lifecycle_severity_t severity);

/** PC_CAPF_MISSING_* flags of a certificate meant to sign LSCs (0: it has all CUCM 14SU2 asks for). */
unsigned int pc_lifecycle_capf_missing(X509 *cert);

/** Whether those flags mean OpenSSL refuses the certificate as an issuer (CRITICAL). */
bool pc_lifecycle_capf_unusable(unsigned int missing);

/**
 * "CA:TRUE, pathlen:0 and keyCertSign" (what the flags say is missing) into buf; returns buf.
 */
char *pc_lifecycle_capf_missing_text(unsigned int missing, char *buf, size_t buflen);

/** The advice for a CAPF certificate that lacks any of them (one sentence, static). */
extern char const pc_lifecycle_capf_advice[];

#endif
