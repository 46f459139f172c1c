/**
 * @file phonecert/cert.h
 * @brief What the decision knows of a client certificate: read from its DER with OpenSSL's
 *	  accessors, together with the chain OpenSSL built and verified for it.
 *
 * This record is the only thing a decision is made from.  It is filled in the TLS handshake
 * itself (pc_verify_chain(), called from the certificate verification hook), never from the
 * TLS-Client-Cert-* strings FreeRADIUS prints, which are lossy: un-escaped, cut, and for the
 * issuer only the depth-1 certificate, which may be one the phone sent.
 *
 * The record travels from the hook to the decision as one short text attribute
 * (pc_cert_encode / pc_cert_decode): on a full handshake in the request, on a TLS 1.2
 * resumption from FreeRADIUS's session cache, which cuts values near 1024 printed
 * characters, so the encoding is bounded by PC_CERT_RECORD_MAX and holds only fixed-size
 * facts, never the DER.  Every string is hex-encoded: FreeRADIUS parses escapes in the
 * values it stores ("\123" becomes "S"), and hex has nothing to parse.
 *
 * What the record does not say: anything about certificates above the issuing CA, and the
 * leaf's subject beyond its CNs and first serialNumber.
 */
#ifndef PHONECERT_CERT_H
#define PHONECERT_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/x509.h>

#include <phonecert/device.h>

/**
 * Longest encoded record, including the NUL.  The longest record pc_cert_encode() can make
 * is 694 characters (every field at its maximum); FreeRADIUS's session cache cuts values
 * near 1024 printed characters, and a cut record would not decode (the resumed session
 * would be refused, not misjudged).
 */
#define PC_CERT_RECORD_MAX 704

/**
 * Largest chain_length, untrusted and error_depth a record holds: pc_verify_chain() saturates
 * them here.  OpenSSL's default depth limit (100) lets a chain reach 102 certificates; a
 * record only needs to say "very long", and must still decode.
 */
#define PC_CHAIN_COUNT_MAX 100

/** Largest verify_error a record holds (X509_V_ERR_* codes are far below it). */
#define PC_VERIFY_ERROR_MAX 100000

/** SHA-256 fingerprint in lower-case hex, with the NUL. */
#define PC_FINGERPRINT_HEX 65

/** How the leaf's common name reads. */
typedef enum {
	PC_CN_OK = 0,		//!< Exactly one CN, 1..PC_CN_MAX printable ASCII bytes.
	PC_CN_NONE,		//!< No CN at all.
	PC_CN_SEVERAL,		//!< More than one CN (in separate or multi-valued RDNs).
	PC_CN_BAD_BYTES,	//!< NUL, control, non-ASCII byte, or not decodable.
	PC_CN_TOO_LONG		//!< Longer than PC_CN_MAX bytes.
} pc_cn_status_t;

/** Flags of the leaf (bit values are part of the encoding: never renumber). */
#define PC_CERT_CA		0x0001	//!< The leaf is a CA (basicConstraints CA:TRUE or keyCertSign).
#define PC_CERT_KU		0x0002	//!< Has a key usage extension...
#define PC_CERT_KU_SIGN		0x0004	//!< ...that allows digitalSignature.
#define PC_CERT_EKU		0x0008	//!< Has an extended key usage extension...
#define PC_CERT_EKU_CLIENT	0x0010	//!< ...that allows clientAuth (or anyExtendedKeyUsage).
#define PC_CERT_AKI		0x0020	//!< Has an authority key identifier extension...
#define PC_CERT_AKI_KEYID	0x0040	//!< ...with a keyIdentifier (in aki/aki_len).
#define PC_CERT_EXT_INVALID	0x0080	//!< OpenSSL found invalid or duplicate extensions.
#define PC_CERT_SERIAL_LONG	0x0100	//!< Serial longer than 20 bytes, negative or zero.
#define PC_CERT_BAD_TIME	0x0200	//!< Unreadable notBefore/notAfter.
#define PC_CERT_SN_BAD		0x0400	//!< A subject serialNumber with bad bytes or too long.
#define PC_CERT_AKI_LONG	0x0800	//!< A keyIdentifier longer than 32 bytes.

/** Flags of the chain analysis (pc_verify_chain). */
#define PC_CHAIN_ISSUER_TRUSTED	0x1000	//!< issuer_fp is the anchor OpenSSL used as chain[1].
#define PC_CHAIN_SIGNER_FOUND	0x2000	//!< Failed chain: issuer_fp is an uploaded anchor (of any
					//!< state) whose key verifies the leaf's signature.
#define PC_CHAIN_ISSUER_NAMED	0x4000	//!< Failed chain: the leaf's issuer name is an anchor's
					//!< subject, but no anchor's key verifies the leaf.
#define PC_CHAIN_SENT_NAMES_ANCHOR 0x8000 //!< A CA the phone sent is named like an anchor, or
					//!< names an anchor as its issuer.

typedef struct {
	/* The chain OpenSSL built (X509_verify_cert with exactly the trusted anchors). */
	int		verify_error;	//!< X509_V_OK (0) when the chain verified.
	int		error_depth;	//!< -1 .. PC_CHAIN_COUNT_MAX.
	unsigned int	chain_length;	//!< Certificates in the chain OpenSSL built (saturates at
					//!< PC_CHAIN_COUNT_MAX).
	unsigned int	untrusted;	//!< Of them, how many the phone sent (the leaf counts; saturates).
	char		issuer_fp[PC_FINGERPRINT_HEX];	//!< See PC_CHAIN_*; "" if none.

	/* The leaf, from its DER. */
	uint32_t	flags;		//!< PC_CERT_* and PC_CHAIN_*.
	pc_cn_status_t	cn_status;
	char		cn[PC_CN_MAX + 1];	//!< The CN when cn_status is PC_CN_OK, else "".
	char		serial_number[65];	//!< The subject's first serialNumber ("PID:... SN:..."; X.520
						//!< allows 64 bytes), or "".
	unsigned char	serial[20];
	unsigned int	serial_len;
	int64_t		not_before;
	int64_t		not_after;
	unsigned char	aki[32];	//!< The authority keyIdentifier (PC_CERT_AKI_KEYID).
	unsigned int	aki_len;
	char		issuer_cn[PC_CN_MAX + 1];	//!< The leaf's issuer CN, printable ASCII only,
							//!< for messages; never used to decide.
	char		fingerprint[PC_FINGERPRINT_HEX];	//!< SHA-256 of the leaf's DER, lower-case
							//!< hex (for the deny-list), or "" if unknown.
} pc_cert_t;

/**
 * Read the leaf's facts from its DER (flags PC_CERT_*, names, serial, validity, AKI,
 * SHA-256 fingerprint).
 * Leaves the chain fields as they are.  Never fails: what cannot be read is flagged.
 */
void pc_cert_from_x509(X509 *leaf, pc_cert_t *out);

/**
 * Encode as one line of at most PC_CERT_RECORD_MAX - 1 characters from [0-9a-z;-].
 * A record pc_cert_decode() would refuse (a count, time or error out of its range, a string
 * that is not NUL-terminated printable ASCII, a length past its array, an AKI length that
 * disagrees with PC_CERT_AKI_KEYID) is not encoded: what encodes always decodes to itself.
 * @return the length, or 0 if buf is too small or the record is not one to encode.
 */
size_t pc_cert_encode(pc_cert_t const *cert, char *buf, size_t buflen);

/**
 * Decode a record made by pc_cert_encode, strictly: the version, every field, its range and
 * the hex are checked.  @return false (out zeroed) on anything else.
 */
bool pc_cert_decode(char const *text, size_t len, pc_cert_t *out);

/** The serial in lower-case hex, as FreeRADIUS prints TLS-Client-Cert-Serial (41 bytes). */
void pc_cert_serial_hex(pc_cert_t const *cert, char out[41]);

#endif
