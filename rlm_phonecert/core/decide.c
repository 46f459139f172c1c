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

#include <phonecert/decide.h>
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

/** The CN of a oneline name, for messages ("CAPF-a6d4c572"); the whole name if it has none. */
static void name_cn(char const *oneline, char *buf, size_t buflen)
{
	pc_subject_t subj;

	if (oneline && pc_subject_parse(oneline, &subj) && subj.cn) {
		size_t len = subj.cn_len < buflen - 1 ? subj.cn_len : buflen - 1;

		memcpy(buf, subj.cn, len);
		buf[len] = '\0';
		return;
	}
	snprintf(buf, buflen, "%s", oneline ? oneline : "(unknown)");
}

/** Whether an extension's printed text lists a purpose. */
static bool lists(char const *text, char const *purpose)
{
	return strstr(text, purpose) != NULL;
}

/** Read the device name and PID/SN from the subject, if the CN is a phone's. */
static void read_device(pc_subject_t const *subj, pc_decision_t *out)
{
	if (!subj->cn || !pc_device_from_cn(subj->cn, subj->cn_len, &out->device)) return;
	out->have_device = true;
	if (subj->serial_number) {
		(void)pc_device_parse_serial_number(subj->serial_number, subj->serial_number_len, &out->device);
	}
}

/** Names, leaf constraints and dates: the checks that need no trust store. */
static bool check_certificate(pc_cert_facts_t const *facts, pc_subject_t *subj, time_t now,
			      time_t *not_after, pc_decision_t *out)
{
	time_t not_before;

	if (!pc_subject_parse(facts->subject, subj)) {
		refuse(out, PC_REASON_MALFORMED_CERT, "unreadable subject");
		return false;
	}
	if (subj->truncated) {
		refuse(out, PC_REASON_MALFORMED_CERT, "overlong subject (%zu bytes or more)", (size_t)PC_ONELINE_MAX);
		return false;
	}
	if (subj->ambiguous) {
		refuse(out, PC_REASON_MALFORMED_CERT, "ambiguous subject: a \\/ or \\+ before \"KEY=\" is either "
		       "escaped inside a value or a backslash ending one");
		return false;
	}
	if (subj->cn_count > 1) {
		refuse(out, PC_REASON_MALFORMED_CERT, "%u CNs in the subject (or a CN containing \"/CN=\")",
		       subj->cn_count);
		return false;
	}
	if (subj->escaped) {
		refuse(out, PC_REASON_MALFORMED_CERT, "NUL, control or non-ASCII byte in the subject's CN or serialNumber");
		return false;
	}
	if (subj->cn && subj->cn_len > PC_CN_MAX) {
		refuse(out, PC_REASON_MALFORMED_CERT, "CN of %zu bytes (more than %d)", subj->cn_len, PC_CN_MAX);
		return false;
	}
	if (facts->common_name &&
	    (!subj->cn || strlen(facts->common_name) != subj->cn_len ||
	     memcmp(facts->common_name, subj->cn, subj->cn_len) != 0)) {
		refuse(out, PC_REASON_MALFORMED_CERT, "the CN and the subject disagree (embedded NUL?)");
		return false;
	}

	/* RFC 5280: serials are at most 20 octets, and every non-self-signed certificate names
	 * its issuer's key; CAPF and Cisco's CAs do both.  Anything else is not a phone's. */
	if (facts->serial && strlen(facts->serial) > 40) {
		refuse(out, PC_REASON_MALFORMED_CERT, "serial number of %zu bytes (more than 20)", strlen(facts->serial) / 2);
		return false;
	}
	if (facts->basic_constraints && lists(facts->basic_constraints, "CA:TRUE")) {
		refuse(out, PC_REASON_LEAF_IS_CA, "basicConstraints %s", facts->basic_constraints);
		return false;
	}
	if (facts->ext_key_usage && !lists(facts->ext_key_usage, "TLS Web Client Authentication") &&
	    !lists(facts->ext_key_usage, "Any Extended Key Usage")) {
		refuse(out, PC_REASON_BAD_KEY_PURPOSE, "extended key usage is '%s' (no clientAuth)", facts->ext_key_usage);
		return false;
	}
	if (facts->key_usage && !lists(facts->key_usage, "Digital Signature")) {
		refuse(out, PC_REASON_BAD_KEY_PURPOSE, "key usage is '%s' (no digitalSignature)", facts->key_usage);
		return false;
	}

	*not_after = 0;
	if (facts->not_after && !pc_time_parse_asn1(facts->not_after, not_after)) {
		refuse(out, PC_REASON_MALFORMED_CERT, "unreadable expiry '%s'", facts->not_after);
		return false;
	}
	if (facts->not_before) {
		if (!pc_time_parse_asn1(facts->not_before, &not_before)) {
			refuse(out, PC_REASON_MALFORMED_CERT, "unreadable start of validity '%s'", facts->not_before);
			return false;
		}
		if (not_before > now) {
			char when[PC_TIME_STRLEN];

			refuse(out, PC_REASON_CERT_NOT_YET_VALID, "valid from %s",
			       pc_time_format(not_before, when, sizeof(when)));
			return false;
		}
	}
	return true;
}

/** Find the anchor, refusing with the right reason when there is none. */
static bool check_anchor(pc_config_t const *cfg, pc_cert_facts_t const *facts, time_t now, pc_decision_t *out)
{
	char issuer_cn[128], aki[130];
	time_t anchor_end;

	name_cn(facts->issuer_subject ? facts->issuer_subject : facts->issuer, issuer_cn, sizeof(issuer_cn));

	switch (pc_trust_find_issuer(cfg->trust, facts, &out->anchor)) {
	case PC_MATCH_FOUND:
		break;

	case PC_MATCH_NO_FACTS:
		refuse(out, PC_REASON_NO_CERT_FACTS, "no issuer certificate attributes (TLS-Cert-*)");
		return false;

	case PC_MATCH_KEY_MISMATCH:
		refuse(out, PC_REASON_CAPF_KEY_MISMATCH, "issuer %s has the subject and serial of an uploaded anchor "
		       "but another key", issuer_cn);
		return false;

	case PC_MATCH_AMBIGUOUS:
		refuse(out, PC_REASON_ANCHOR_AMBIGUOUS, "issuer %s matches several uploaded anchors", issuer_cn);
		return false;

	case PC_MATCH_NONE:
	default:
		/* The issuing certificate is not an anchor: an intermediate sent by the device, or an
		 * anchor removed from the config that OpenSSL still has cached. */
		if (facts->issuer_issuer && strcmp(facts->issuer_issuer, facts->issuer_subject) != 0) {
			char top_cn[128];

			name_cn(facts->issuer_issuer, top_cn, sizeof(top_cn));
			refuse(out, PC_REASON_CHAIN_NOT_ANCHORED, "issued by intermediate %s (under %s), which is not "
			       "uploaded", issuer_cn, top_cn);
			return false;
		}
		if (strncmp(issuer_cn, "CAPF-", 5) == 0) {
			refuse(out, PC_REASON_CAPF_NOT_UPLOADED, "LSC issued by %s, which is not uploaded", issuer_cn);
			return false;
		}
		refuse(out, PC_REASON_ISSUER_UNKNOWN, "issued by %s, which is not uploaded", issuer_cn);
		return false;
	}

	out->kind = (out->anchor->role == PC_ROLE_LSC) ? PC_KIND_LSC : PC_KIND_MIC;

	/* CAPF always names its key in the LSC; an LSC that does not (no extension, or one with
	 * no key identifier we can read) is hostile, since pc_trust_find_issuer could only match
	 * it by subject and serial.  Old factory MICs may lack the extension: OpenSSL verified
	 * the signature, and subject plus serial then identify the anchor. */
	if (out->kind == PC_KIND_LSC &&
	    (!facts->authority_key_id || !pc_keyid_normalise(facts->authority_key_id, aki, sizeof(aki)))) {
		refuse(out, PC_REASON_MALFORMED_CERT, "LSC with no %sauthority key identifier: cannot tell which CA "
		       "key signed it", facts->authority_key_id ? "readable " : "");
		return false;
	}
	anchor_end = out->anchor->not_after;
	if (facts->issuer_not_after && !pc_time_parse_asn1(facts->issuer_not_after, &anchor_end)) {
		refuse(out, PC_REASON_MALFORMED_CERT, "unreadable issuer expiry '%s'", facts->issuer_not_after);
		return false;
	}
	if (anchor_end < now) {
		char when[PC_TIME_STRLEN];

		refuse(out, PC_REASON_ANCHOR_EXPIRED, "anchor %s expired %s", out->anchor->name,
		       pc_time_format(anchor_end, when, sizeof(when)));
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

void pc_decide(pc_config_t const *cfg, pc_cert_facts_t const *facts, char const *calling_station_id,
	       time_t now, pc_decision_t *out)
{
	pc_subject_t subj;
	time_t not_after;
	bool retiring;

	memset(out, 0, sizeof(*out));
	out->reason = PC_REASON_INTERNAL_ERROR;

	if (!cfg || !facts || (!facts->subject && !facts->issuer && !facts->serial)) {
		refuse(out, PC_REASON_NO_CERT_FACTS, "no client certificate attributes (TLS-Client-Cert-*)");
		return;
	}
	if (!facts->subject || !facts->issuer) {
		/* FreeRADIUS drops a name it cannot store: an overlong or unprintable subject. */
		refuse(out, PC_REASON_MALFORMED_CERT, "the certificate's %s did not reach the decision (missing, or too "
		       "long for FreeRADIUS)", facts->subject ? "issuer" : "subject");
		return;
	}
	if (!check_certificate(facts, &subj, now, &not_after, out)) return;
	if (!check_anchor(cfg, facts, now, out)) return;

	read_device(&subj, out);
	if (!out->have_device) {
		char cn[PC_CN_MAX + 1];

		name_cn(facts->subject, cn, sizeof(cn));
		refuse(out, PC_REASON_NOT_A_PHONE, "CN '%s' is not a phone device name (SEP<MAC> or CP-<model>-SEP<MAC>)", cn);
		return;
	}
	if (not_after && not_after < now) {
		char when[PC_TIME_STRLEN];

		refuse(out, out->kind == PC_KIND_MIC ? PC_REASON_MIC_EXPIRED : PC_REASON_CERT_EXPIRED,
		       "expired %s", pc_time_format(not_after, when, sizeof(when)));
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

void pc_diagnose(pc_config_t const *cfg, pc_cert_facts_t const *facts, int openssl_error,
		 char const *tls_message, pc_decision_t *out)
{
	char const *subject, *issuer;
	char issuer_cn[128];
	pc_anchor_t const *named;
	pc_subject_t subj;
	bool at_leaf;

	memset(out, 0, sizeof(*out));
	out->reason = PC_REASON_TLS_FAILED;

	/* FreeRADIUS keeps the leaf's facts when the leaf failed, the issuer's when a CA did. */
	at_leaf = facts && facts->subject;
	subject = at_leaf ? facts->subject : (facts ? facts->issuer_subject : NULL);
	issuer = at_leaf ? facts->issuer : (facts ? facts->issuer_issuer : NULL);
	if (at_leaf && pc_subject_parse(subject, &subj) && !subj.escaped && !subj.ambiguous && subj.cn_count == 1) {
		read_device(&subj, out);
	}
	name_cn(issuer, issuer_cn, sizeof(issuer_cn));
	named = (cfg && issuer) ? pc_trust_find_by_subject(cfg->trust, issuer) : NULL;
	if (named) {
		out->anchor = named;
		out->kind = (named->role == PC_ROLE_LSC) ? PC_KIND_LSC : PC_KIND_MIC;
	}

	switch (openssl_error) {
	case 0:
		if (!diagnose_tls_message(tls_message, out)) {
			refuse(out, PC_REASON_TLS_FAILED, "%s", tls_message ? tls_message : "no details");
		}
		return;

	case 2:		/* unable to get issuer certificate */
	case 20:	/* unable to get local issuer certificate */
		if (named) {
			refuse(out, PC_REASON_CAPF_KEY_MISMATCH, "issued by a CA named %s, but not by the uploaded %s "
			       "(anchor %s): another key", issuer_cn, issuer_cn, named->name);
		} else if (!at_leaf) {
			refuse(out, PC_REASON_ISSUER_UNKNOWN, "the chain ends at %s, which is not uploaded", issuer_cn);
		} else if (strncmp(issuer_cn, "CAPF-", 5) == 0) {
			out->kind = PC_KIND_LSC;
			refuse(out, PC_REASON_CAPF_NOT_UPLOADED, "LSC issued by %s, which is not uploaded", issuer_cn);
		} else {
			refuse(out, PC_REASON_ISSUER_UNKNOWN, "issued by %s, which is not uploaded", issuer_cn);
		}
		return;

	case 7:		/* certificate signature failure */
		refuse(out, PC_REASON_SIGNATURE_INVALID, "claims issuer %s%s%s but the signature does not verify",
		       issuer_cn, named ? ", uploaded as anchor " : "", named ? named->name : "");
		return;

	case 10:	/* certificate has expired */
		if (!at_leaf) {
			refuse(out, PC_REASON_ANCHOR_EXPIRED, "CA %s has expired", issuer_cn);
		} else if (named && named->role == PC_ROLE_MIC) {
			refuse(out, PC_REASON_MIC_EXPIRED, "MIC issued by %s has expired", issuer_cn);
		} else {
			refuse(out, PC_REASON_CERT_EXPIRED, "certificate issued by %s has expired", issuer_cn);
		}
		return;

	case 9:
		refuse(out, PC_REASON_CERT_NOT_YET_VALID, "certificate issued by %s is not valid yet", issuer_cn);
		return;

	case 66:
	case 67:
		refuse(out, PC_REASON_WEAK_KEY, "key too small in the chain of %s", issuer_cn);
		return;

	case 68:
		refuse(out, PC_REASON_WEAK_SIGNATURE, "SHA-1 or weaker signature in the chain of %s", issuer_cn);
		return;

	case 18:
		refuse(out, PC_REASON_SELF_SIGNED, "self-signed certificate");
		return;

	case 19:
		refuse(out, PC_REASON_ISSUER_UNKNOWN, "self-signed CA %s in the chain is not uploaded", issuer_cn);
		return;

	case 22:
	case 25:
		refuse(out, PC_REASON_CHAIN_TOO_DEEP, "chain too long under %s", issuer_cn);
		return;

	case 24:
	case 79:
		refuse(out, PC_REASON_INVALID_CA, "%s may not sign certificates here", issuer_cn);
		return;

	case 26:
		refuse(out, PC_REASON_BAD_KEY_PURPOSE, "certificate not allowed for TLS client authentication");
		return;

	default:
		refuse(out, PC_REASON_TLS_FAILED, "OpenSSL verify error %d", openssl_error);
		return;
	}
}
