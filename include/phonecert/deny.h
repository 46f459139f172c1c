/**
 * @file phonecert/deny.h
 * @brief The deny-list: single phones and certificates shut out without touching their CA.
 *
 * CAPF-issued LSCs carry no CRL distribution point and CAPF publishes no CRL, so a lost or
 * stolen phone can only be refused by the admission decision itself.  The deny-list is a
 * file named by phonecert.conf ([policy] deny = FILE), read with the rest of the
 * configuration at start and reload, and consulted on every decision (resumed sessions too).
 *
 * Format: one entry per line; empty lines and lines whose first non-blank character is '#'
 * are comments.  An entry is
 *
 *	KIND VALUE [expires=TIME] [note=TEXT]
 *
 *	device SEP001E7AC3D1AB			the device name (also the CP-<model>-SEP... form's)
 *	mac 00:1e:7a:c3:d1:ab			the MAC (any usual notation): the certificate's, or
 *						the switch's Calling-Station-Id
 *	fingerprint AB:CD:...			SHA-256 of the certificate's DER (64 hex digits,
 *						colons allowed, any case)
 *	serial <anchor fingerprint> <serial>	the certificate with that serial (hex) signed by
 *						the anchor with that SHA-256 fingerprint: a CA is
 *						named by its certificate, never by its name
 *
 * expires=TIME (as in phonecert.conf: 2027-06-30, 2027-06-30T18:00:00Z, ...+02:00) makes the
 * entry stop refusing from that instant on, by the clock, without a reload.  note=TEXT runs to
 * the end of the line (printable ASCII, at most PC_DENY_NOTE_MAX bytes) and is logged with
 * every refusal.  A duplicate entry (same kind and value) is an error, as is anything else
 * the parser does not know: "FILE:LINE: reason".
 *
 * Lookups are probes of a hash table built at load, keyed by the kind and the value's bytes:
 * the cost of a decision does not depend on the number of entries, and it allocates nothing.
 */
#ifndef PHONECERT_DENY_H
#define PHONECERT_DENY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <talloc.h>

#include <phonecert/error.h>

/** Longest note, in bytes. */
#define PC_DENY_NOTE_MAX 160

/** Largest deny file. */
#define PC_DENY_FILE_MAX (16 * 1024 * 1024)

typedef enum {
	PC_DENY_DEVICE = 1,
	PC_DENY_MAC,
	PC_DENY_FINGERPRINT,
	PC_DENY_SERIAL
} pc_deny_kind_t;

/** One entry, its value in canonical form. */
typedef struct {
	pc_deny_kind_t	kind;
	char const	*key;		//!< "device SEP...", "mac 001E...", "fingerprint ab..",
					//!< "serial <anchor fp> <serial hex>": also the hash key.
	char const	*note;		//!< "" if none.
	time_t		expires;	//!< 0: never.
	int		line;		//!< Where it is in the file.
} pc_deny_entry_t;

typedef struct pc_deny_s pc_deny_t;

/**
 * Parse a deny file's text (path names it in errors).
 * @return 0 with *out under ctx, or -1 with err = "PATH:LINE: reason".
 */
int pc_deny_parse(TALLOC_CTX *ctx, char const *path, char const *text, size_t len, pc_deny_t **out,
		  pc_error_t *err) PC_MUST_CHECK;

/** Read and parse a deny file. */
int pc_deny_load(TALLOC_CTX *ctx, char const *path, pc_deny_t **out, pc_error_t *err) PC_MUST_CHECK;

/** The file's path, and the SHA-256 (lower-case hex) of its bytes as read. */
char const *pc_deny_path(pc_deny_t const *deny);
char const *pc_deny_digest(pc_deny_t const *deny);

/** Number of entries, and the i-th in file order (lives as long as deny). */
unsigned int pc_deny_count(pc_deny_t const *deny);
pc_deny_entry_t const *pc_deny_entry(pc_deny_t const *deny, unsigned int index);

/** Whether the entry is in force at now (not expired). */
bool pc_deny_entry_active(pc_deny_entry_t const *entry, time_t now);

/**
 * Canonical form of an entry's value: kind and the words after it ("SEP001e7ac3d1ab",
 * "00-1E-7A-...", "AB:CD..", "<fp> 0x0A").  @return the key under ctx ("mac 001E7AC3D1AB"),
 * or NULL with err saying what is wrong with the value (no file or line in it).
 */
char *pc_deny_key(TALLOC_CTX *ctx, pc_deny_kind_t kind, char const *value, char const *value2, pc_error_t *err);

/** The kind named by word ("device", "mac", "fingerprint", "serial"). */
bool pc_deny_kind_from_name(char const *word, pc_deny_kind_t *out);

/**
 * The entry in force at now that refuses a certificate with these facts, or NULL.  Any of
 * the arguments may be NULL (not known).  O(1): at most five hash probes, no allocation.
 *
 * @param device_name	"SEP" + 12 upper-case hex.
 * @param cert_mac	12 upper-case hex digits, from the certificate.
 * @param csid_mac	12 upper-case hex digits, the switch's Calling-Station-Id.
 * @param fingerprint	The certificate's SHA-256, lower-case hex.
 * @param anchor_fp	The signing anchor's SHA-256, lower-case hex...
 * @param serial	...and the certificate's serial (big-endian magnitude, as pc_cert_t holds
 *			it; leading zero bytes do not count), serial_len bytes.
 */
pc_deny_entry_t const *pc_deny_find(pc_deny_t const *deny, time_t now, char const *device_name,
				    char const *cert_mac, char const *csid_mac, char const *fingerprint,
				    char const *anchor_fp, unsigned char const *serial, unsigned int serial_len);

#endif
