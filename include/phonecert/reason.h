/**
 * @file phonecert/reason.h
 * @brief The one table of decision reasons: stable numbers, short names and advice.
 *
 * Every log line, CLI output and dictionary VALUE of Phonecert-Reason comes from
 * PC_REASON_TABLE.  The numbers are an interface (admins grep logs and write unlang
 * against them): they must never be changed or reused.  Add new reasons at the end
 * of their group.  The advice uses the words of Cisco's CUCM phone-certificate Q&A.
 */
#ifndef PHONECERT_REASON_H
#define PHONECERT_REASON_H

#include <stdbool.h>

/*
 *	X(enum suffix, stable number, accept?, short name, advice)
 */
#define PC_REASON_TABLE(X) \
	X(LSC_ACCEPTED, 0, true, "lsc-accepted", \
	  "LSC issued by an active uploaded CAPF: admitted.") \
	X(LSC_RETIRING_ACCEPTED, 1, true, "lsc-retiring-accepted", \
	  "LSC issued by a retiring CAPF, still inside its rollover window: admitted, but re-enrol the phone's LSC from the new CAPF (Certificate Operation Install/Upgrade) before the deadline.") \
	X(MIC_ACCEPTED, 2, true, "mic-accepted", \
	  "MIC issued by an uploaded manufacturing CA: admitted. A MIC proves a genuine Cisco phone, not one of ours: install an LSC through CAPF.") \
	X(CAPF_DISABLED, 10, false, "capf-disabled", \
	  "LSC issued by a CAPF that the admin disabled: re-enrol the phone's LSC from an active CAPF (Certificate Operation Install/Upgrade), or enable that CAPF again.") \
	X(CAPF_WINDOW_CLOSED, 11, false, "capf-window-closed", \
	  "LSC issued by a retired CAPF whose rollover window has closed: the phone was not re-enrolled in time. Install an LSC from the new CAPF (register the phone with a non-secure profile if it cannot reach CAPF), then remove the old CAPF certificate.") \
	X(CAPF_NOT_UPLOADED, 12, false, "capf-not-uploaded", \
	  "LSC issued by a CAPF that is not uploaded: the phone may come from another cluster. Upload that cluster's CAPF certificate (if that is acceptable), or register the phone with a non-secure profile, delete its LSC and install one from this cluster's CAPF.") \
	X(CAPF_KEY_MISMATCH, 13, false, "capf-key-mismatch", \
	  "The issuer has the name of an uploaded CA but another key: the CAPF was regenerated and the new CAPF certificate is not uploaded yet (upload it), or the certificate is forged.") \
	X(SIGNATURE_INVALID, 14, false, "signature-invalid", \
	  "The certificate names an uploaded CA as issuer but its signature does not verify with that CA's key: forged, or signed by a rogue CA copying the name. Do not upload anything to make this pass; investigate the device.") \
	X(ISSUER_UNKNOWN, 15, false, "issuer-unknown", \
	  "The certificate's chain does not end at an uploaded CAPF or manufacturing CA. Upload the issuing CA if it is one of yours.") \
	X(CHAIN_NOT_ANCHORED, 16, false, "chain-not-anchored", \
	  "The certificate was not signed directly by an uploaded CA but by a CA certificate the phone sent itself (an intermediate that is not uploaded, or one forged to look like an uploaded CA): upload the issuing CA itself if it is genuinely yours (e.g. the manufacturing intermediate, not only its root); otherwise investigate the device.") \
	X(ANCHOR_AMBIGUOUS, 17, false, "anchor-ambiguous", \
	  "Two uploaded CAs share the issuer's subject and serial and the certificate has no authority key identifier to tell them apart: remove one of them.") \
	X(ANCHOR_EXPIRED, 18, false, "anchor-expired", \
	  "The issuing CA certificate has expired: regenerate the CAPF (and re-enrol the phones) or upload the CA's renewed certificate.") \
	X(MIC_DENIED, 20, false, "mic-denied", \
	  "MIC presented and the policy does not admit MICs (mic = deny): install an LSC on the phone through CAPF.") \
	X(MIC_CUTOFF_PASSED, 21, false, "mic-cutoff-passed", \
	  "MIC presented after the MIC cut-off date (mic_until): the migration to LSCs is over; install an LSC on the phone through CAPF.") \
	X(MIC_EXPIRED, 22, false, "mic-expired", \
	  "The phone's MIC has expired. A MIC cannot be renewed (the manufacturing CA cannot re-issue it): install an LSC on the phone through CAPF.") \
	X(NOT_A_PHONE, 23, false, "not-a-phone", \
	  "The certificate is not a phone's (no SEP<MAC> device name): manufacturing CAs also sign switches, routers and access points. Only phones are admitted here.") \
	X(MAC_MISMATCH, 30, false, "mac-mismatch", \
	  "The MAC in the certificate differs from the switch's Calling-Station-Id: the certificate may have been copied to another device.") \
	X(MAC_MISSING, 31, false, "mac-missing", \
	  "mac_binding = enforce but the request has no usable Calling-Station-Id: check the switch's RADIUS attribute settings (e.g. radius-server attribute 31 mac format ietf).") \
	X(CERT_EXPIRED, 40, false, "cert-expired", \
	  "The phone's LSC has expired: install a new LSC through CAPF (Certificate Operation Install/Upgrade).") \
	X(CERT_NOT_YET_VALID, 41, false, "cert-not-yet-valid", \
	  "The certificate is not valid yet: check the clocks of CUCM/CAPF and of this server (NTP).") \
	X(WEAK_SIGNATURE, 42, false, "weak-signature", \
	  "The chain uses a SHA-1 (or weaker) signature, refused at the default security level: old 7900-series MICs chain to SHA-1 CAs. Install an LSC with SHA-256, or enable the documented legacy profile for those phones.") \
	X(WEAK_KEY, 43, false, "weak-key", \
	  "The certificate's key is too small (e.g. RSA-1024): re-issue the LSC with a 2048-bit (or EC) key in the CAPF settings, or enable the legacy profile.") \
	X(OLD_TLS, 44, false, "old-tls", \
	  "The phone and this server have no TLS version in common. Usually the phone speaks only an old version (TLS 1.0/1.1) that this server refuses: upgrade the phone firmware, or enable the legacy profile. A phone set to TLS 1.3 only needs the TLS 1.3 profile of the eap module (tls_max_version = \"1.3\" with cache { enable = no }; README, \"TLS 1.3\").") \
	X(LEAF_IS_CA, 45, false, "leaf-is-ca", \
	  "The presented certificate is itself a CA (basicConstraints CA:TRUE): a phone certificate never is.") \
	X(BAD_KEY_PURPOSE, 46, false, "bad-key-purpose", \
	  "The certificate's extended key usage or key usage does not allow TLS client authentication.") \
	X(MALFORMED_CERT, 47, false, "malformed-certificate", \
	  "The certificate is malformed or ambiguous (embedded NUL, several CNs, overlong or non-ASCII name, unreadable dates): treated as hostile.") \
	X(NO_CERT_FACTS, 48, false, "no-cert-facts", \
	  "No client certificate facts reached the decision (e.g. a TLS 1.3 resumed session): refusing rather than accepting without them. Keep tls_max_version = \"1.2\" in the eap module as shipped, or use the TLS 1.3 profile (cache { enable = no }: no resumption; README, \"TLS 1.3\").") \
	X(NO_CLIENT_CERT, 49, false, "no-client-cert", \
	  "The phone sent no certificate: check the phone's 802.1X settings (EAP-TLS) and that it has a MIC or LSC.") \
	X(CHAIN_TOO_DEEP, 50, false, "chain-too-deep", \
	  "The certificate chain is longer than a phone chain can be: refused.") \
	X(SELF_SIGNED, 51, false, "self-signed", \
	  "The phone presented a self-signed certificate, which nobody uploaded: install an LSC through CAPF.") \
	X(INVALID_CA, 52, false, "invalid-ca", \
	  "A CA in the chain is not allowed to sign certificates (not CA:TRUE or path length exceeded).") \
	X(NO_DECISION, 53, false, "no-decision", \
	  "An EAP-TLS session reached the end of authentication without a phonecert decision: the eap tls section's virtual_server (check-eap-tls) must run phonecert, and no outer policy may set control:Virtual-Server to a server that does not.") \
	X(DEVICE_DENIED, 60, false, "device-denied", \
	  "The device or its certificate is on the deny-list (lost, stolen or withdrawn phone; the entry's note says why): remove its entry with phonecert deny remove, and reload, only once the phone is back in trusted hands.") \
	X(CERT_REVOKED, 61, false, "cert-revoked", \
	  "The certificate's serial is on the CRL of the CA that signed it: the CA revoked it. Enrol a new LSC for the phone (CAPF Certificate Operation Install/Upgrade) if it should be admitted again.") \
	X(CRL_STALE, 62, false, "crl-stale", \
	  "The CRL of the CA that signed the certificate is past its nextUpdate (crl_stale = refuse): revocations since may be missing. Fetch the CA's current CRL into the file the anchor names and reload.") \
	X(TLS_FAILED, 90, false, "tls-failed", \
	  "The TLS handshake failed for a reason other than the certificate: see the TLS messages logged with it.") \
	X(INTERNAL_ERROR, 99, false, "internal-error", \
	  "The module could not reach a decision (out of memory or a bug): refused.")

typedef enum {
#define PC_REASON_ENUM(name, number, accept, text, advice) PC_REASON_##name = number,
	PC_REASON_TABLE(PC_REASON_ENUM)
#undef PC_REASON_ENUM
} pc_reason_t;

/** Short stable name ("capf-window-closed"); "unknown" for a number not in the table. */
char const *pc_reason_name(pc_reason_t reason);

/** Advice for the admin, one sentence or two; static storage. */
char const *pc_reason_advice(pc_reason_t reason);

/**
 * The advice worded for the role of the anchor involved: the table's words speak of CAPFs;
 * for a manufacturing CA (mic_anchor) the reasons about an anchor's state, key or expiry
 * have their own words.  Static storage.
 */
char const *pc_reason_advice_role(pc_reason_t reason, bool mic_anchor);

/** Whether the reason is an admission. */
bool pc_reason_is_accept(pc_reason_t reason);

/** Look a reason up by its short name. @return false if unknown. */
bool pc_reason_from_name(char const *name, pc_reason_t *out);

/** Number of reasons in the table, and the i-th one (for tests and the dictionary generator). */
unsigned int pc_reason_count(void);
pc_reason_t pc_reason_at(unsigned int index);

#endif
