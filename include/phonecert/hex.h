/**
 * @file phonecert/hex.h
 * @brief Lower-case hex, and the SHA-256 digests the project names things by: a certificate's
 *	  fingerprint (anchors, deny-list entries, the certificate record) and a file's content
 *	  (the deny-list and CRLs in the configuration's digest).
 */
#ifndef PHONECERT_HEX_H
#define PHONECERT_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <openssl/x509.h>

/** Lower-case hex of a SHA-256, with the NUL. */
#define PC_SHA256_HEX 65

/** len bytes as 2 * len lower-case hex digits and a NUL into out. */
void pc_hex_encode(void const *data, size_t len, char *out);

/** The SHA-256 of data in lower-case hex.  @return false (out = "") if OpenSSL fails. */
bool pc_sha256_hex(void const *data, size_t len, char out[PC_SHA256_HEX]);

/** A certificate's SHA-256 fingerprint (of its DER) in lower-case hex.  @return false (out = ""). */
bool pc_x509_fingerprint(X509 *cert, char out[PC_SHA256_HEX]);

/**
 * A fingerprint as people write it: 64 hex digits in any case, with or without ':' between
 * them ("AB:CD:..." as phonecert anchors prints it), into the lower-case form of out.
 * @return false for anything else.
 */
bool pc_fingerprint_parse(char const *text, char out[PC_SHA256_HEX]);

#endif
