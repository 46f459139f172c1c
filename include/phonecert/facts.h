/**
 * @file phonecert/facts.h
 * @brief The flat view of a client certificate that every decision is made from.
 *
 * Filled either from the TLS-Client-Cert-* / TLS-Cert-* strings FreeRADIUS creates during
 * the handshake (the module), or from an X509 chain (the CLI, tests, fuzzers), producing
 * exactly the strings FreeRADIUS 3.2 would: X509_NAME_oneline() subjects, lower-case hex
 * serials, raw ASN.1 times.  Classification and policy are pure functions of this struct.
 */
#ifndef PHONECERT_FACTS_H
#define PHONECERT_FACTS_H

#include <stdbool.h>
#include <time.h>
#include <talloc.h>
#include <openssl/x509.h>

#include <phonecert/error.h>

/**
 * FreeRADIUS 3.2 writes subjects into a 1024-byte buffer.  OpenSSL drops the components that
 * do not fit (whole, with all that follow), so a subject may lose components however short it
 * is; see subject.c for what that means to the decision.
 */
#define PC_ONELINE_MAX 1023

typedef struct {
	/* The client certificate (depth 0).  Borrowed strings, NULL when absent. */
	char const	*subject;		//!< TLS-Client-Cert-Subject (oneline).
	char const	*issuer;		//!< TLS-Client-Cert-Issuer (oneline).
	char const	*common_name;		//!< TLS-Client-Cert-Common-Name.
	char const	*serial;		//!< TLS-Client-Cert-Serial (lower-case hex).
	char const	*authority_key_id;	//!< TLS-Client-Cert-X509v3-Authority-Key-Identifier (as printed).
	char const	*basic_constraints;	//!< TLS-Client-Cert-X509v3-Basic-Constraints.
	char const	*ext_key_usage;		//!< TLS-Client-Cert-X509v3-Extended-Key-Usage.
	char const	*key_usage;		//!< TLS-Client-Cert-X509v3-Key-Usage (our dictionary).
	char const	*not_before;		//!< TLS-Client-Cert-Valid-Since (ASN.1 time).
	char const	*not_after;		//!< TLS-Client-Cert-Expiration (ASN.1 time).

	/* The certificate that signed it (depth 1): the anchor, or an intermediate. */
	char const	*issuer_subject;	//!< TLS-Cert-Subject.
	char const	*issuer_issuer;		//!< TLS-Cert-Issuer.
	char const	*issuer_serial;		//!< TLS-Cert-Serial.
	char const	*issuer_not_after;	//!< TLS-Cert-Expiration.
} pc_cert_facts_t;

/** A fact and the FreeRADIUS attribute that carries it. */
typedef struct {
	char const	*attribute;	//!< Dictionary name, e.g. "TLS-Client-Cert-Subject".
	size_t		offset;		//!< offsetof(pc_cert_facts_t, ...).
} pc_fact_field_t;

#define PC_FACT_COUNT 14

/** Every fact, with its attribute: the one table the module and the benchmark read. */
extern pc_fact_field_t const pc_fact_fields[PC_FACT_COUNT];

/** Give fact number @p field the value, unless it already has one (the first value wins). */
void pc_facts_set(pc_cert_facts_t *facts, unsigned int field, char const *value);

/**
 * Fill facts from a certificate and (optionally) its issuer, exactly as FreeRADIUS would.
 * The strings are allocated under ctx and live as long as it.
 */
int pc_facts_from_x509(TALLOC_CTX *ctx, X509 *leaf, X509 *issuer, pc_cert_facts_t *out,
		       pc_error_t *err) PC_MUST_CHECK;

/** The subject in FreeRADIUS's form (X509_NAME_oneline), allocated under ctx. */
char *pc_x509_oneline(TALLOC_CTX *ctx, X509_NAME const *name);

/** The serial as FreeRADIUS prints it (lower-case hex of the content bytes), under ctx. */
char *pc_x509_serial_hex(TALLOC_CTX *ctx, X509 const *cert);

/** What the subject (oneline form) says, read defensively. */
typedef struct {
	char const	*cn;		//!< First CN value (points into the subject), or NULL.
	size_t		cn_len;
	unsigned int	cn_count;	//!< Number of CN attributes seen.
	char const	*serial_number;	//!< serialNumber value, or NULL.
	size_t		serial_number_len;
	bool		escaped;	//!< A \xHH escape (NUL, control or non-ASCII byte) in CN or serialNumber.
	bool		ambiguous;	//!< A "\/KEY=" or "\+KEY=": an escaped character or the end of a value.
	bool		truncated;	//!< The subject fills FreeRADIUS's buffer.  Components dropped from a
					//!< shorter subject leave no trace: nothing can flag those.
} pc_subject_t;

/**
 * Read a "/K=V/K=V+K=V" subject, counting every "/KEY=" and "+KEY=" as a component (an escaped
 * one too, flagging it ambiguous).  Pointers point into oneline.
 * @return false if it does not start with a "/K=" component.
 */
bool pc_subject_parse(char const *oneline, pc_subject_t *out);

#endif
