/**
 * @file decide.c
 * @brief The admission decision, and the diagnosis of handshakes that failed before it.
 *
 * Fail closed: the decision starts as a refusal and only becomes an accept after every
 * check passed.  Malformed input is a refusal of its own, never "no match".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509_vfy.h>

#include <phonecert/crl.h>
#include <phonecert/decide.h>
#include <phonecert/deny.h>
#include <phonecert/timeval.h>

char const *pc_kind_name(pc_kind_t kind)
{
	switch (kind) {
	case PC_KIND_LSC: return "LSC";
	case PC_KIND_MIC: return "MIC";
	case PC_KIND_UNKNOWN: break;
	}
	return "unknown";
}

bool pc_decision_accepts(pc_decision_t const *decision)
{
	return pc_reason_is_accept(decision->reason);
}

static pc_decision_t *refuse(pc_decision_t *out, pc_reason_t reason, char const *fmt, ...) PC_PRINTF(3, 4);
static pc_decision_t *refuse(pc_decision_t *out, pc_reason_t reason, char const *fmt, ...)
{
	va_list ap;

	out->reason = reason;
	va_start(ap, fmt);
	vsnprintf(out->detail, sizeof(out->detail), fmt, ap);
	va_end(ap);
	return out;
}

/** Read the device name and PID/SN, if the CN is a phone's. */
static void read_device(pc_cert_t const *cert, pc_decision_t *out)
{
	if (cert->cn_status != PC_CN_OK || !pc_device_from_cn(cert->cn, strlen(cert->cn), &out->device)) return;
	out->have_device = true;
	if (cert->serial_number[0]) {
		(void)pc_device_parse_serial_number(cert->serial_number, strlen(cert->serial_number), &out->device);
	}
}

/** The leaf's own properties: names, extensions, serial, dates.  No trust store needed. */
static bool check_leaf(pc_cert_t const *cert, time_t now, pc_decision_t *out)
{
	char when[PC_TIME_STRLEN];

	switch (cert->cn_status) {
	case PC_CN_OK:
	case PC_CN_NONE:	/* not a phone: said after the issuer is known */
		break;
	case PC_CN_SEVERAL:
		refuse(out, PC_REASON_MALFORMED_CERT, "several CNs in the subject");
		return false;
	case PC_CN_TOO_LONG:
		refuse(out, PC_REASON_MALFORMED_CERT, "CN longer than %d bytes", PC_CN_MAX);
		return false;
	case PC_CN_BAD_BYTES:
	default:
		refuse(out, PC_REASON_MALFORMED_CERT, "NUL, control or non-ASCII byte in the subject's CN");
		return false;
	}
	if (cert->flags & PC_CERT_SN_BAD) {
		refuse(out, PC_REASON_MALFORMED_CERT, "NUL, control, non-ASCII byte or overlong subject serialNumber");
		return false;
	}
	if (cert->flags & PC_CERT_EXT_INVALID) {
		refuse(out, PC_REASON_MALFORMED_CERT, "invalid or duplicate extensions");
		return false;
	}
	/* RFC 5280: serials are positive and at most 20 octets; CAPF and Cisco's CAs keep to it. */
	if ((cert->flags & PC_CERT_SERIAL_LONG) || cert->serial_len == 0) {
		refuse(out, PC_REASON_MALFORMED_CERT, "serial number negative, empty or longer than 20 bytes");
		return false;
	}
	if (cert->flags & PC_CERT_AKI_LONG) {
		refuse(out, PC_REASON_MALFORMED_CERT, "authority key identifier longer than 32 bytes");
		return false;
	}
	if (cert->flags & PC_CERT_BAD_TIME) {
		refuse(out, PC_REASON_MALFORMED_CERT, "unreadable validity dates");
		return false;
	}
	if (cert->flags & PC_CERT_CA) {
		refuse(out, PC_REASON_LEAF_IS_CA, "the presented certificate is a CA (basicConstraints CA:TRUE or keyCertSign)");
		return false;
	}
	if ((cert->flags & PC_CERT_EKU) && !(cert->flags & PC_CERT_EKU_CLIENT)) {
		refuse(out, PC_REASON_BAD_KEY_PURPOSE, "extended key usage without clientAuth");
		return false;
	}
	if ((cert->flags & PC_CERT_KU) && !(cert->flags & PC_CERT_KU_SIGN)) {
		refuse(out, PC_REASON_BAD_KEY_PURPOSE, "key usage without digitalSignature");
		return false;
	}
	if (cert->not_before > (int64_t)now) {
		refuse(out, PC_REASON_CERT_NOT_YET_VALID, "valid from %s",
		       pc_time_format((time_t)cert->not_before, when, sizeof(when)));
		return false;
	}
	return true;
}

/**
 * Whether the leaf's authority key identifier names the anchor's key (its lower-case hex SKI).
 * Compared digit by digit: formatting the bytes with snprintf was half of a decision's cost.
 */
static bool aki_names(pc_cert_t const *cert, pc_anchor_t const *anchor)
{
	static char const digits[] = "0123456789abcdef";
	char const *key_id = anchor->key_id;
	unsigned int i;

	if (!key_id || cert->aki_len == 0 || cert->aki_len > sizeof(cert->aki) ||
	    strlen(key_id) != 2 * (size_t)cert->aki_len) {
		return false;
	}
	for (i = 0; i < cert->aki_len; i++) {
		if (key_id[2 * i] != digits[cert->aki[i] >> 4] || key_id[2 * i + 1] != digits[cert->aki[i] & 0x0f]) {
			return false;
		}
	}
	return true;
}

/**
 * Refuse because of the state of an uploaded anchor that signed the leaf but is not trusted
 * now (disabled, or retiring past its window).  @return false if its state does not refuse.
 */
static bool refuse_by_state(pc_anchor_t const *a, time_t now, pc_decision_t *out)
{
	char when[PC_TIME_STRLEN];

	switch (a->state) {
	case PC_STATE_DISABLED:
		refuse(out, PC_REASON_CAPF_DISABLED, "anchor %s is disabled", a->name);
		return true;
	case PC_STATE_RETIRING:
		if (now >= a->trust_until) {
			out->deadline = a->trust_until;
			refuse(out, PC_REASON_CAPF_WINDOW_CLOSED, "anchor %s was trusted until %s", a->name,
			       pc_time_format(a->trust_until, when, sizeof(when)));
			return true;
		}
		break;
	case PC_STATE_ACTIVE:
		break;
	}
	return false;
}

/** What the hook saw of the chain: its direct issuer must be an anchor of the store. */
static bool check_chain(pc_config_t const *cfg, pc_cert_t const *cert, time_t now, pc_decision_t *out)
{
	char when[PC_TIME_STRLEN];

	if (cert->verify_error != 0) {
		refuse(out, PC_REASON_TLS_FAILED, "the chain did not verify (OpenSSL error %d)", cert->verify_error);
		return false;
	}
	if (cert->chain_length >= 2 && cert->untrusted != 1 && (cert->flags & PC_CHAIN_SIGNER_FOUND)) {
		/* The phone sent its issuer, and that is an uploaded anchor OpenSSL could not use:
		 * one that is not trusted now.  Say which, and why. */
		pc_anchor_t const *sent = pc_trust_find_fingerprint(cfg->trust, cert->issuer_fp);

		if (sent && refuse_by_state(sent, now, out)) {
			out->anchor = sent;
			out->kind = (sent->role == PC_ROLE_LSC) ? PC_KIND_LSC : PC_KIND_MIC;
			return false;
		}
	}
	if (cert->chain_length < 2 || cert->untrusted != 1 || !(cert->flags & PC_CHAIN_ISSUER_TRUSTED)) {
		refuse(out, PC_REASON_CHAIN_NOT_ANCHORED, "issued by %s, a CA certificate the phone sent (%u of the %u "
		       "certificates of the chain came from the phone), not directly by an uploaded CA",
		       cert->issuer_cn[0] ? cert->issuer_cn : "(no CN)", cert->untrusted, cert->chain_length);
		return false;
	}

	out->anchor = pc_trust_find_fingerprint(cfg->trust, cert->issuer_fp);
	if (!out->anchor) {
		/* Verified against an anchor that a reload has since removed. */
		if (strncmp(cert->issuer_cn, "CAPF-", 5) == 0) {
			out->kind = PC_KIND_LSC;
			refuse(out, PC_REASON_CAPF_NOT_UPLOADED, "LSC issued by %s, which is no longer uploaded", cert->issuer_cn);
		} else {
			refuse(out, PC_REASON_ISSUER_UNKNOWN, "issued by %s, which is no longer uploaded", cert->issuer_cn);
		}
		return false;
	}
	out->kind = (out->anchor->role == PC_ROLE_LSC) ? PC_KIND_LSC : PC_KIND_MIC;

	/* OpenSSL verified the signature with the anchor's key.  CAPF always names that key in
	 * the LSC; a key identifier that names another key is a contradiction, hostile.  Old
	 * factory MICs may have no authority key identifier at all. */
	if (out->kind == PC_KIND_LSC && !(cert->flags & PC_CERT_AKI_KEYID)) {
		refuse(out, PC_REASON_MALFORMED_CERT, "LSC with no authority key identifier (keyIdentifier)");
		return false;
	}
	if ((cert->flags & PC_CERT_AKI_KEYID) && out->anchor->key_id && !aki_names(cert, out->anchor)) {
		refuse(out, PC_REASON_MALFORMED_CERT, "authority key identifier names another key than anchor %s's, "
		       "whose key signed it", out->anchor->name);
		return false;
	}
	if (out->anchor->not_after < now) {
		refuse(out, PC_REASON_ANCHOR_EXPIRED, "anchor %s expired %s", out->anchor->name,
		       pc_time_format(out->anchor->not_after, when, sizeof(when)));
		return false;
	}
	return true;
}

/**
 * Defence in depth: FreeRADIUS's strings, where present, must say what the certificate says.
 * They cannot add trust; a disagreement means one of the two was fooled, so refuse.
 */
static bool check_strings(pc_cert_t const *cert, pc_cert_facts_t const *strings, pc_decision_t *out)
{
	char serial[41];

	if (!strings) return true;
	pc_cert_serial_hex(cert, serial);
	if (strings->serial && strcmp(strings->serial, serial) != 0) {
		refuse(out, PC_REASON_MALFORMED_CERT, "TLS-Client-Cert-Serial '%s' is not the certificate's serial %s",
		       strings->serial, serial);
		return false;
	}
	if (strings->issuer_subject && strcmp(strings->issuer_subject, out->anchor->subject) != 0) {
		refuse(out, PC_REASON_MALFORMED_CERT, "TLS-Cert-Subject is not the subject of anchor %s, whose key "
		       "signed the certificate", out->anchor->name);
		return false;
	}
	if (strings->issuer_issuer && strcmp(strings->issuer_issuer, out->anchor->issuer) != 0) {
		refuse(out, PC_REASON_MALFORMED_CERT, "TLS-Cert-Issuer is not the issuer of anchor %s, whose key "
		       "signed the certificate", out->anchor->name);
		return false;
	}
	return true;
}

/** The anchor's state and the MIC policy. */
static bool check_policy(pc_config_t const *cfg, time_t now, bool *retiring, pc_decision_t *out)
{
	pc_anchor_t const *anchor = out->anchor;
	char when[PC_TIME_STRLEN];

	*retiring = false;
	switch (anchor->state) {
	case PC_STATE_ACTIVE:
		break;

	case PC_STATE_RETIRING:
		out->deadline = anchor->trust_until;
		if (now >= anchor->trust_until) {
			refuse(out, PC_REASON_CAPF_WINDOW_CLOSED, "anchor %s was trusted until %s", anchor->name,
			       pc_time_format(anchor->trust_until, when, sizeof(when)));
			return false;
		}
		*retiring = true;
		break;

	case PC_STATE_DISABLED:
	default:
		refuse(out, PC_REASON_CAPF_DISABLED, "anchor %s is disabled", anchor->name);
		return false;
	}

	if (out->kind == PC_KIND_MIC) {
		if (!cfg->policy.mic_allowed) {
			refuse(out, PC_REASON_MIC_DENIED, "mic = deny");
			return false;
		}
		if (cfg->policy.mic_until) {
			if (now >= cfg->policy.mic_until) {
				refuse(out, PC_REASON_MIC_CUTOFF_PASSED, "MICs admitted until %s",
				       pc_time_format(cfg->policy.mic_until, when, sizeof(when)));
				return false;
			}
			if (!out->deadline || cfg->policy.mic_until < out->deadline) out->deadline = cfg->policy.mic_until;
		}
	}
	return true;
}

/** The certificate's MAC against the switch's Calling-Station-Id. */
static bool check_mac(pc_config_t const *cfg, char const *calling_station_id, pc_decision_t *out)
{
	char mac[13], have[18], want[18];

	if (cfg->policy.mac_binding == PC_MAC_BINDING_OFF) return true;

	pc_mac_format(out->device.mac, have);
	if (!calling_station_id || !pc_mac_normalise(calling_station_id, mac)) {
		if (cfg->policy.mac_binding == PC_MAC_BINDING_ENFORCE) {
			refuse(out, PC_REASON_MAC_MISSING, "Calling-Station-Id '%s' is not a MAC address",
			       calling_station_id ? calling_station_id : "");
			return false;
		}
		out->mac_mismatch = true;
		snprintf(out->detail, sizeof(out->detail), "no usable Calling-Station-Id to compare with %s", have);
		return true;
	}
	if (strcmp(mac, out->device.mac) == 0) return true;

	pc_mac_format(mac, want);
	if (cfg->policy.mac_binding == PC_MAC_BINDING_ENFORCE) {
		refuse(out, PC_REASON_MAC_MISMATCH, "certificate MAC %s, Calling-Station-Id %s", have, want);
		return false;
	}
	out->mac_mismatch = true;
	snprintf(out->detail, sizeof(out->detail), "certificate MAC %s, Calling-Station-Id %s (logged only)", have, want);
	return true;
}

/**
 * The deny-list: by the certificate's fingerprint, its anchor and serial, its device name,
 * its MAC or the switch's Calling-Station-Id.  Hash probes, whatever the list's size.
 */
static bool check_deny(pc_config_t const *cfg, pc_cert_t const *cert, char const *calling_station_id,
		       time_t now, pc_decision_t *out)
{
	pc_deny_entry_t const *entry;
	char csid[13];
	bool have_csid;

	if (!cfg->deny || pc_deny_count(cfg->deny) == 0) return true;
	if (!cert->fingerprint[0]) {
		/* Without the fingerprint a fingerprint entry cannot be checked: refuse, not skip. */
		refuse(out, PC_REASON_INTERNAL_ERROR, "the certificate record has no fingerprint to check the deny-list with");
		return false;
	}
	have_csid = calling_station_id && pc_mac_normalise(calling_station_id, csid);
	entry = pc_deny_find(cfg->deny, now, out->have_device ? out->device.name : NULL,
			     out->have_device ? out->device.mac : NULL, have_csid ? csid : NULL,
			     cert->fingerprint, out->anchor ? out->anchor->fingerprint : NULL, cert->serial,
			     cert->serial_len);
	if (!entry) return true;
	refuse(out, PC_REASON_DEVICE_DENIED, "deny-list %s:%d (%s)%s%s", pc_deny_path(cfg->deny), entry->line,
	       entry->key, entry->note[0] ? ": " : "", entry->note);
	return false;
}

/**
 * The CRL of the anchor that signed the certificate (found by fingerprint from the verified
 * chain).  A revocation counts even in a stale CRL; staleness is the policy's call.
 */
static bool check_crl(pc_config_t const *cfg, pc_cert_t const *cert, time_t now, pc_decision_t *out)
{
	pc_crl_t const *crl = out->anchor ? out->anchor->crl : NULL;
	char when[PC_TIME_STRLEN], serial[41];
	time_t revoked_at;

	if (!crl) return true;
	if (pc_crl_lookup(crl, cert->serial, cert->serial_len, &revoked_at) == PC_CRL_REVOKED) {
		pc_cert_serial_hex(cert, serial);
		refuse(out, PC_REASON_CERT_REVOKED, "serial %s revoked %s by the CRL of anchor %s (%s)", serial,
		       revoked_at ? pc_time_format(revoked_at, when, sizeof(when)) : "(date unknown)",
		       out->anchor->name, pc_crl_path(crl));
		return false;
	}
	if (!pc_crl_stale(crl, now)) return true;
	pc_time_format(pc_crl_next_update(crl), when, sizeof(when));
	switch (cfg->policy.crl_stale) {
	case PC_CRL_STALE_IGNORE:
		return true;
	case PC_CRL_STALE_LOG:
		out->crl_stale = true;
		snprintf(out->detail, sizeof(out->detail), "CRL of anchor %s (%s) is past its nextUpdate %s (logged only)",
			 out->anchor->name, pc_crl_path(crl), when);
		return true;
	case PC_CRL_STALE_REFUSE:
	default:
		refuse(out, PC_REASON_CRL_STALE, "CRL of anchor %s (%s) is past its nextUpdate %s", out->anchor->name,
		       pc_crl_path(crl), when);
		return false;
	}
}

void pc_decide(pc_config_t const *cfg, pc_cert_t const *cert, pc_cert_facts_t const *strings,
	       char const *calling_station_id, time_t now, pc_decision_t *out)
{
	bool retiring;

	memset(out, 0, sizeof(*out));
	out->reason = PC_REASON_INTERNAL_ERROR;

	if (!cfg || !cert) {
		refuse(out, PC_REASON_NO_CERT_FACTS, "no certificate record from the verification hook reached the decision");
		return;
	}
	if (!check_leaf(cert, now, out)) return;
	if (!check_chain(cfg, cert, now, out)) return;
	if (!check_strings(cert, strings, out)) return;

	read_device(cert, out);
	/* The admin's word on this very phone or certificate comes before everything else about it. */
	if (!check_deny(cfg, cert, calling_station_id, now, out)) return;
	if (!check_crl(cfg, cert, now, out)) return;
	if (!out->have_device) {
		refuse(out, PC_REASON_NOT_A_PHONE, "CN '%s' is not a phone device name (SEP<MAC> or CP-<model>-SEP<MAC>)",
		       cert->cn_status == PC_CN_OK ? cert->cn : "");
		return;
	}
	/* Expired at its notAfter second already, as OpenSSL counts it. */
	if (cert->not_after <= (int64_t)now) {
		char when[PC_TIME_STRLEN];

		refuse(out, out->kind == PC_KIND_MIC ? PC_REASON_MIC_EXPIRED : PC_REASON_CERT_EXPIRED,
		       "expired %s", pc_time_format((time_t)cert->not_after, when, sizeof(when)));
		return;
	}
	if (!check_policy(cfg, now, &retiring, out)) return;
	if (!check_mac(cfg, calling_station_id, out)) return;

	/* Every check passed.  A MIC under a retiring manufacturing CA stays a MIC (deadline set). */
	if (out->kind == PC_KIND_LSC) {
		out->reason = retiring ? PC_REASON_LSC_RETIRING_ACCEPTED : PC_REASON_LSC_ACCEPTED;
	} else {
		out->reason = PC_REASON_MIC_ACCEPTED;
	}
}

int pc_failure_openssl_error(char const *message)
{
	char const *p;
	char *end;
	long code;

	if (!message) return 0;
	p = strstr(message, "OpenSSL says error ");
	if (!p) return 0;
	code = strtol(p + 19, &end, 10);
	if (end == p + 19 || code <= 0 || code > 10000) return 0;
	return (int)code;
}

/** TLS failures that are not certificate verification errors. */
static bool diagnose_tls_message(char const *msg, pc_decision_t *out)
{
	static struct {
		char const	*needle;
		pc_reason_t	reason;
	} const patterns[] = {
		{ "unsupported protocol", PC_REASON_OLD_TLS },
		{ "wrong version number", PC_REASON_OLD_TLS },
		{ "no protocols available", PC_REASON_OLD_TLS },
		{ "version too low", PC_REASON_OLD_TLS },
		{ "protocol version", PC_REASON_OLD_TLS },
		{ "no shared cipher", PC_REASON_OLD_TLS },
		{ "md too weak", PC_REASON_WEAK_SIGNATURE },
		{ "key too small", PC_REASON_WEAK_KEY },
		{ "peer did not return a certificate", PC_REASON_NO_CLIENT_CERT },
		{ "did not return a certificate", PC_REASON_NO_CLIENT_CERT },
		{ "unknown CA", PC_REASON_ISSUER_UNKNOWN },
	};
	size_t i;

	if (!msg) return false;
	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		if (strstr(msg, patterns[i].needle)) {
			refuse(out, patterns[i].reason, "%s", msg);
			return true;
		}
	}
	return false;
}

void pc_diagnose(pc_config_t const *cfg, pc_cert_t const *cert, int openssl_error,
		 char const *tls_message, time_t now, pc_decision_t *out)
{
	char const *issuer_cn = (cert && cert->issuer_cn[0]) ? cert->issuer_cn : "(unknown)";
	pc_anchor_t const *signer = NULL;
	bool at_leaf;

	memset(out, 0, sizeof(*out));
	out->reason = PC_REASON_TLS_FAILED;

	if (cert && cert->verify_error) openssl_error = cert->verify_error;
	at_leaf = cert && cert->error_depth == 0;
	if (cert) read_device(cert, out);
	if (cert && cfg && (cert->flags & PC_CHAIN_SIGNER_FOUND)) {
		signer = pc_trust_find_fingerprint(cfg->trust, cert->issuer_fp);
		if (signer) {
			out->anchor = signer;
			out->kind = (signer->role == PC_ROLE_LSC) ? PC_KIND_LSC : PC_KIND_MIC;
		}
	}

	if (!openssl_error) {
		if (!diagnose_tls_message(tls_message, out)) {
			refuse(out, PC_REASON_TLS_FAILED, "%s", tls_message ? tls_message : "no details");
		}
		return;
	}

	/* Without the hook's record (it was lost, or did not decode) only the error number
	 * FreeRADIUS logged is left: say what it means, naming nothing. */
	if (cert) {
		/* The certificate's own shape first, in the decision's order: a hostile name, a CA,
		 * a wrong key purpose, or not a phone's says more than what went wrong with its chain. */
		if (!check_leaf(cert, now, out)) return;
		if (!out->have_device) {
			refuse(out, PC_REASON_NOT_A_PHONE, "CN '%s' is not a phone device name (SEP<MAC> or "
			       "CP-<model>-SEP<MAC>)", cert->cn_status == PC_CN_OK ? cert->cn : "");
			return;
		}

		/* Signed by an uploaded anchor that is not trusted now. */
		if (signer && refuse_by_state(signer, now, out)) return;

		/* Signed by the key of an anchor trusted now, and still refused at the leaf: the
		 * leaf's authority key identifier names another key, so OpenSSL looked elsewhere. */
		if (signer && at_leaf && cert->untrusted < 2 &&
		    (openssl_error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
		     openssl_error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
		     openssl_error == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE ||
		     openssl_error == X509_V_ERR_CERT_SIGNATURE_FAILURE)) {
			refuse(out, PC_REASON_MALFORMED_CERT, "signed by the key of anchor %s, but its authority key "
			       "identifier names another key", signer->name);
			return;
		}

		/* Signed by a CA the phone sent, posing as or hanging under an uploaded one. */
		if (cert->untrusted >= 2 && (cert->flags & PC_CHAIN_SENT_NAMES_ANCHOR) &&
		    openssl_error != X509_V_ERR_PATH_LENGTH_EXCEEDED && openssl_error != X509_V_ERR_CERT_CHAIN_TOO_LONG) {
			refuse(out, PC_REASON_CHAIN_NOT_ANCHORED, "issued by %s, a CA certificate the phone sent, not "
			       "by an uploaded CA (OpenSSL error %d at depth %d)", issuer_cn, openssl_error,
			       cert->error_depth);
			return;
		}
	}

	switch (openssl_error) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		if (at_leaf && (cert->flags & PC_CHAIN_ISSUER_NAMED)) {
			refuse(out, PC_REASON_CAPF_KEY_MISMATCH, "issued by a CA named %s, but no uploaded CA of that name "
			       "has the key that signed it", issuer_cn);
		} else if (!at_leaf || cert->untrusted >= 2) {	/* also without a record */
			refuse(out, PC_REASON_ISSUER_UNKNOWN, "the chain ends at a CA that is not uploaded (under %s)", issuer_cn);
		} else if (strncmp(issuer_cn, "CAPF-", 5) == 0) {
			out->kind = PC_KIND_LSC;
			refuse(out, PC_REASON_CAPF_NOT_UPLOADED, "LSC issued by %s, which is not uploaded", issuer_cn);
		} else {
			refuse(out, PC_REASON_ISSUER_UNKNOWN, "issued by %s, which is not uploaded", issuer_cn);
		}
		return;

	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		refuse(out, PC_REASON_SIGNATURE_INVALID, "claims issuer %s but the signature does not verify with the "
		       "key of the uploaded CA of that name", issuer_cn);
		return;

	case X509_V_ERR_CERT_HAS_EXPIRED:
		if (cert && !at_leaf) {
			refuse(out, PC_REASON_ANCHOR_EXPIRED, "the CA above %s has expired", out->device.name);
		} else if (out->kind == PC_KIND_MIC) {
			refuse(out, PC_REASON_MIC_EXPIRED, "MIC issued by %s has expired", issuer_cn);
		} else {
			refuse(out, PC_REASON_CERT_EXPIRED, "certificate issued by %s has expired", issuer_cn);
		}
		return;

	case X509_V_ERR_CERT_NOT_YET_VALID:
		refuse(out, PC_REASON_CERT_NOT_YET_VALID, "certificate issued by %s is not valid yet", issuer_cn);
		return;

	case X509_V_ERR_EE_KEY_TOO_SMALL:
	case X509_V_ERR_CA_KEY_TOO_SMALL:
		refuse(out, PC_REASON_WEAK_KEY, "key too small in the chain of %s", issuer_cn);
		return;

	case X509_V_ERR_CA_MD_TOO_WEAK:
		refuse(out, PC_REASON_WEAK_SIGNATURE, "SHA-1 or weaker signature in the chain of %s", issuer_cn);
		return;

	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		refuse(out, PC_REASON_SELF_SIGNED, "self-signed certificate");
		return;

	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		refuse(out, PC_REASON_ISSUER_UNKNOWN, "self-signed CA %s in the chain is not uploaded", issuer_cn);
		return;

	case X509_V_ERR_CERT_CHAIN_TOO_LONG:
	case X509_V_ERR_PATH_LENGTH_EXCEEDED:
		refuse(out, PC_REASON_CHAIN_TOO_DEEP, "chain too long under %s", issuer_cn);
		return;

	case X509_V_ERR_INVALID_CA:
	case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
		refuse(out, PC_REASON_INVALID_CA, "%s may not sign certificates here", issuer_cn);
		return;

	case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
	case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
	case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
		refuse(out, PC_REASON_MALFORMED_CERT, "%s (OpenSSL error %d at depth %d)",
		       X509_verify_cert_error_string(openssl_error), openssl_error, cert ? cert->error_depth : 0);
		return;

	case X509_V_ERR_INVALID_PURPOSE:
		refuse(out, PC_REASON_BAD_KEY_PURPOSE, "certificate not allowed for TLS client authentication");
		return;

	default:
		refuse(out, PC_REASON_TLS_FAILED, "OpenSSL verify error %d at depth %d", openssl_error,
		       cert ? cert->error_depth : -1);
		return;
	}
}
