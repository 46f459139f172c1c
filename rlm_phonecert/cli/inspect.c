/**
 * @file inspect.c
 * @brief "phonecert inspect": what a certificate says about itself, and a guess at its kind.
 *
 * The kind printed here is a guess from the certificate alone (names only): whether a
 * certificate is an LSC or a MIC is decided by the anchor that issued it, which only
 * "phonecert check" (the core's pc_decide) knows.  The device name, MAC, model and PID/SN
 * are read with the core's own parsers, so they are what the module would see.
 */
#include <getopt.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <phonecert/device.h>
#include <phonecert/facts.h>
#include <phonecert/timeval.h>

#include "cli.h"

#define NOTES_MAX 16

/** One certificate, as printed. */
typedef struct {
	char const	*kind;		//!< "LSC", "MIC", "CA" or "other": a guess.
	char const	*basis;		//!< Why that guess.
	bool		have_device;
	pc_device_t	device;		//!< Name, MAC, model (if have_device).
	pc_device_t	ids;		//!< PID and SN from serialNumber (may be set without a device).
	char		*subject, *subject_oneline, *issuer, *issuer_oneline;
	char		*serial;
	time_t		not_before, not_after;
	bool		have_validity;
	bool		ca;
	pc_cli_key_t	key;
	char const	*signature;
	char		*fingerprint, *ski, *aki;
	char const	*notes[NOTES_MAX];
	unsigned int	nnotes;
} cert_view_t;

static char const *const inspect_usage =
	"usage: phonecert inspect [--json] [--at TIME] FILE...\n"
	"\n"
	"Describe every certificate in each FILE: PEM, DER, PKCS#7 bundles (PEM or DER), and\n"
	"text with PEM blocks embedded (CAPF trace logs).  FILE \"-\" reads standard input.\n"
	"\n"
	"For each certificate: a guess at its kind (LSC, MIC, CA or other, from the certificate\n"
	"alone; 'phonecert check' decides against the uploaded anchors), device name, MAC, model,\n"
	"PID/SN, subject and issuer (RFC 2253 and FreeRADIUS's oneline form), serial, validity\n"
	"with days left, key, signature algorithm, SHA-256 fingerprint and key identifiers.\n"
	"\n"
	"Options:\n"
	"  --json       print a JSON array, one object per certificate\n"
	"  --at TIME    count days left from TIME (2027-06-30, 2027-06-30T18:00:00Z) instead of now\n"
	"  --help       this text\n"
	"\n"
	"Exit status: 0 if every file was read, 2 on a usage error or an unreadable file\n"
	"(\"phonecert: FILE: reason\" on stderr).\n";

static void note(cert_view_t *view, char const *text)
{
	if (view->nnotes < NOTES_MAX) view->notes[view->nnotes++] = text;
}

static bool asn1_time(ASN1_TIME const *t, time_t *out)
{
	struct tm tm;

	if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return false;
	*out = timegm(&tm);
	return true;
}

static char *octets_colon(TALLOC_CTX *ctx, ASN1_OCTET_STRING const *os)
{
	if (!os || os->length <= 0) return NULL;
	return pc_cli_hex_colon(ctx, os->data, (size_t)os->length);
}

/** The serial as FreeRADIUS prints it; raw hex when FreeRADIUS would not print it at all. */
static char *serial_text(TALLOC_CTX *ctx, X509 *cert, cert_view_t *view)
{
	ASN1_INTEGER const *sn = X509_get0_serialNumber(cert);
	char *hex = pc_x509_serial_hex(ctx, cert);

	if (sn && sn->type == V_ASN1_NEG_INTEGER) note(view, "negative serial number");
	if (sn && sn->length > 20) note(view, "serial number longer than 20 octets (RFC 5280 allows 20)");
	if (hex || !sn || sn->length <= 0) return hex;
	note(view, "serial number too long for FreeRADIUS (32 octets or more): it sends none");
	return pc_cli_hex_colon(ctx, sn->data, (size_t)sn->length);
}

/** Whether FreeRADIUS's 1024-byte oneline lost components that did not fit (OpenSSL drops them). */
static bool oneline_shortened(X509 *cert, char const *fr_oneline)
{
	char *full = X509_NAME_oneline(X509_get_subject_name(cert), NULL, 0);
	bool shortened = !full || !fr_oneline || strcmp(full, fr_oneline) != 0;

	OPENSSL_free(full);
	ERR_clear_error();
	return shortened;
}

/** What the subject's CN and serialNumber say, read by the core's parsers. */
static void read_identity(X509 *cert, cert_view_t *view)
{
	pc_subject_t subj;

	if (X509_NAME_entry_count(X509_get_subject_name(cert)) > 0 && oneline_shortened(cert, view->subject_oneline)) {
		note(view, "subject too long for FreeRADIUS's 1024-byte buffer: the oneline form it sees (shown) "
		     "lacks the components that did not fit");
	}
	if (!view->subject_oneline || !pc_subject_parse(view->subject_oneline, &subj)) {
		note(view, "no readable subject (as FreeRADIUS sees it)");
		return;
	}
	if (subj.truncated) note(view, "subject fills the 1023 bytes FreeRADIUS keeps: components may be missing");
	if (subj.ambiguous) {
		note(view, "ambiguous subject: a \\/ or \\+ before \"KEY=\" may be escaped or end a value");
	}
	if (subj.cn_count == 0) note(view, "no CN in the subject");
	if (subj.cn_count > 1) note(view, "several CNs in the subject (or a CN containing \"/CN=\"): ambiguous");
	if (subj.escaped) note(view, "NUL, control or non-ASCII byte in the CN or serialNumber");
	if (subj.cn && subj.cn_len > PC_CN_MAX) note(view, "CN longer than 64 bytes (the X.520 limit)");

	if (subj.serial_number) {
		(void)pc_device_parse_serial_number(subj.serial_number, subj.serial_number_len, &view->ids);
	}
	/* An ambiguous or escaped name is nobody's: do not show a device the module would not see. */
	if (subj.cn && subj.cn_count == 1 && !subj.escaped && !subj.ambiguous && !subj.truncated) {
		view->have_device = pc_device_from_cn(subj.cn, subj.cn_len, &view->device);
	}
}

/** The guess: CA:TRUE, else a phone name under a CAPF-named or manufacturing-named issuer. */
static void guess_kind(TALLOC_CTX *ctx, cert_view_t *view)
{
	char const *issuer = view->issuer_oneline ? view->issuer_oneline : "";
	char *issuer_cn = pc_cli_oneline_cn(ctx, issuer);

	if (view->ca) {
		view->kind = "CA";
		view->basis = "basicConstraints CA:TRUE";
	} else if (view->have_device && issuer_cn && strncmp(issuer_cn, "CAPF-", 5) == 0) {
		view->kind = "LSC";
		view->basis = "phone device name, issuer CN starts with \"CAPF-\"";
	} else if (view->have_device && (strstr(issuer, "Manufacturing") || strstr(issuer, "CAP-RTP") ||
					 strstr(issuer, "SUDI"))) {
		view->kind = "MIC";
		view->basis = "phone device name, issuer named like a Cisco manufacturing CA";
	} else if (view->have_device) {
		view->kind = "other";
		view->basis = "phone device name, but the issuer is named neither CAPF-... nor like a Cisco "
			      "manufacturing CA (an LSC from CAPF's online/offline CA mode?)";
	} else {
		view->kind = "other";
		view->basis = "no phone device name (SEP<MAC> or CP-<model>-SEP<MAC>) in the CN";
	}
}

static int view_fill(TALLOC_CTX *ctx, X509 *cert, cert_view_t *view)
{
	ASN1_TIME const *nb = X509_get0_notBefore(cert), *na = X509_get0_notAfter(cert);
	int sig_nid;

	memset(view, 0, sizeof(*view));
	view->subject = pc_cli_name_rfc2253(ctx, X509_get_subject_name(cert));
	view->subject_oneline = pc_x509_oneline(ctx, X509_get_subject_name(cert));
	view->issuer = pc_cli_name_rfc2253(ctx, X509_get_issuer_name(cert));
	view->issuer_oneline = pc_x509_oneline(ctx, X509_get_issuer_name(cert));
	view->fingerprint = pc_cli_fingerprint(ctx, cert);
	if (!view->subject || !view->issuer || !view->fingerprint) return -1;

	view->serial = serial_text(ctx, cert, view);
	view->have_validity = asn1_time(nb, &view->not_before) && asn1_time(na, &view->not_after);
	if (!view->have_validity) note(view, "unreadable validity dates");
	view->ca = (X509_get_extension_flags(cert) & EXFLAG_CA) != 0;
	if ((X509_get_extension_flags(cert) & EXFLAG_INVALID) != 0) note(view, "invalid or duplicate extensions");
	pc_cli_key_describe(cert, &view->key);
	sig_nid = X509_get_signature_nid(cert);
	view->signature = OBJ_nid2ln(sig_nid);
	if (!view->signature) view->signature = "unknown";
	view->ski = octets_colon(ctx, X509_get0_subject_key_id(cert));
	view->aki = octets_colon(ctx, X509_get0_authority_key_id(cert));

	read_identity(cert, view);
	guess_kind(ctx, view);
	ERR_clear_error();
	return 0;
}

static void key_text(pc_cli_key_t const *key, char *buf, size_t buflen)
{
	if (key->curve[0]) {
		snprintf(buf, buflen, "%s %d (%s)", key->type, key->bits, key->curve);
	} else {
		snprintf(buf, buflen, "%s %d", key->type, key->bits);
	}
}

static void view_print_text(cert_view_t const *view, char const *path, unsigned int index, unsigned int count,
			    char const *origin, time_t now)
{
	char a[PC_TIME_STRLEN], b[PC_TIME_STRLEN], key[128], mac[18];
	unsigned int i;

	pc_cli_text_put(stdout, path, strlen(path));
	printf(": certificate %u of %u (%s)\n", index, count, origin);
	pc_cli_text_fieldf(stdout, "kind (guess)", "%s: %s", view->kind, view->basis);
	if (view->have_device) {
		pc_mac_format(view->device.mac, mac);
		pc_cli_text_field(stdout, "device", view->device.name);
		pc_cli_text_field(stdout, "MAC", mac);
		pc_cli_text_field(stdout, "model", view->device.model);
	} else {
		pc_cli_text_field(stdout, "device", "none (not a phone device name)");
	}
	if (view->ids.pid[0]) pc_cli_text_fieldf(stdout, "PID / SN", "%s / %s", view->ids.pid, view->ids.sn);
	pc_cli_text_field(stdout, "subject", view->subject);
	pc_cli_text_field(stdout, "subject (oneline)", view->subject_oneline);
	pc_cli_text_field(stdout, "issuer", view->issuer);
	pc_cli_text_field(stdout, "issuer (oneline)", view->issuer_oneline);
	pc_cli_text_field(stdout, "serial", view->serial);
	if (view->have_validity) {
		long long left = pc_cli_days_left(view->not_after, now);

		pc_cli_text_field(stdout, "not before", pc_time_format(view->not_before, a, sizeof(a)));
		if (view->not_before > now) {
			pc_cli_text_fieldf(stdout, "not after", "%s (not valid yet; %lld days left)",
					   pc_time_format(view->not_after, b, sizeof(b)), left);
		} else if (left < 0 || view->not_after < now) {
			pc_cli_text_fieldf(stdout, "not after", "%s (expired: %lld days left)",
					   pc_time_format(view->not_after, b, sizeof(b)), left);
		} else {
			pc_cli_text_fieldf(stdout, "not after", "%s (%lld days left)",
					   pc_time_format(view->not_after, b, sizeof(b)), left);
		}
	}
	pc_cli_text_field(stdout, "CA", view->ca ? "yes (basicConstraints CA:TRUE)" : "no");
	key_text(&view->key, key, sizeof(key));
	pc_cli_text_field(stdout, "key", key);
	pc_cli_text_field(stdout, "signature", view->signature);
	pc_cli_text_field(stdout, "SHA-256", view->fingerprint);
	pc_cli_text_field(stdout, "subject key id", view->ski);
	pc_cli_text_field(stdout, "authority key id", view->aki);
	for (i = 0; i < view->nnotes; i++) pc_cli_text_field(stdout, "note", view->notes[i]);
}

static char const *validity_state(cert_view_t const *view, time_t now)
{
	if (!view->have_validity) return "unknown";
	if (view->not_before > now) return "not-yet-valid";
	if (view->not_after < now) return "expired";
	return "valid";
}

static void view_print_json(pc_cli_json_t *js, cert_view_t const *view, char const *path, unsigned int index,
			    char const *origin, time_t now)
{
	char mac[18];
	unsigned int i;

	pc_cli_json_open(js, NULL, '{');
	pc_cli_json_str(js, "file", path);
	pc_cli_json_int(js, "index", index);
	pc_cli_json_str(js, "origin", origin);
	pc_cli_json_str(js, "kind_guess", view->kind);
	pc_cli_json_str(js, "kind_guess_basis", view->basis);
	if (view->have_device) {
		pc_mac_format(view->device.mac, mac);
		pc_cli_json_str(js, "device", view->device.name);
		pc_cli_json_str(js, "mac", mac);
		pc_cli_json_str(js, "model", view->device.model[0] ? view->device.model : NULL);
	} else {
		pc_cli_json_null(js, "device");
		pc_cli_json_null(js, "mac");
		pc_cli_json_null(js, "model");
	}
	pc_cli_json_str(js, "pid", view->ids.pid[0] ? view->ids.pid : NULL);
	pc_cli_json_str(js, "sn", view->ids.sn[0] ? view->ids.sn : NULL);
	pc_cli_json_str(js, "subject", view->subject);
	pc_cli_json_str(js, "subject_oneline", view->subject_oneline);
	pc_cli_json_str(js, "issuer", view->issuer);
	pc_cli_json_str(js, "issuer_oneline", view->issuer_oneline);
	pc_cli_json_str(js, "serial", view->serial);
	pc_cli_json_time(js, "not_before", view->have_validity ? view->not_before : 0);
	pc_cli_json_time(js, "not_after", view->have_validity ? view->not_after : 0);
	if (view->have_validity) {
		pc_cli_json_int(js, "days_left", pc_cli_days_left(view->not_after, now));
	} else {
		pc_cli_json_null(js, "days_left");
	}
	pc_cli_json_str(js, "validity", validity_state(view, now));
	pc_cli_json_bool(js, "ca", view->ca);
	pc_cli_json_str(js, "key_type", view->key.type);
	pc_cli_json_int(js, "key_bits", view->key.bits);
	pc_cli_json_str(js, "key_curve", view->key.curve[0] ? view->key.curve : NULL);
	pc_cli_json_str(js, "signature_algorithm", view->signature);
	pc_cli_json_str(js, "sha256_fingerprint", view->fingerprint);
	pc_cli_json_str(js, "subject_key_id", view->ski);
	pc_cli_json_str(js, "authority_key_id", view->aki);
	pc_cli_json_open(js, "notes", '[');
	for (i = 0; i < view->nnotes; i++) pc_cli_json_str(js, NULL, view->notes[i]);
	pc_cli_json_close(js, ']');
	pc_cli_json_close(js, '}');
}

/** One FILE argument.  @return 0, or -1 if it could not be read (already reported). */
static int inspect_file(char const *path, bool json, pc_cli_json_t *js, time_t now, bool *printed)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	pc_cli_certs_t *set = NULL;
	pc_error_t err;
	unsigned int i;
	int rcode = -1;

	err.msg[0] = '\0';
	if (!ctx) {
		pc_cli_error("%s: out of memory", path);
		return -1;
	}
	if (pc_cli_certs_load(ctx, path, &set, &err) < 0) {
		pc_cli_error("%s", err.msg);
		if (json) {
			pc_cli_json_open(js, NULL, '{');
			pc_cli_json_str(js, "file", path);
			pc_cli_json_str(js, "error", err.msg);
			pc_cli_json_close(js, '}');
		}
		goto done;
	}
	if (set->keys_skipped) {
		fprintf(stderr, "phonecert: %s: warning: skipped %u private key block(s): keep keys out of "
			"certificate files\n", set->path, set->keys_skipped);
	}

	for (i = 0; i < set->count; i++) {
		cert_view_t view;
		TALLOC_CTX *tmp = talloc_new(ctx);

		if (!tmp || view_fill(tmp, set->certs[i].cert, &view) < 0) {
			pc_cli_error("%s: certificate %u: cannot describe it", set->path, i + 1);
			goto done;
		}
		if (json) {
			view_print_json(js, &view, set->path, i + 1, set->certs[i].origin, now);
		} else {
			if (*printed) putchar('\n');
			view_print_text(&view, set->path, i + 1, set->count, set->certs[i].origin, now);
		}
		*printed = true;
		talloc_free(tmp);
	}
	rcode = 0;

done:
	talloc_free(ctx);
	ERR_clear_error();
	return rcode;
}

int pc_cli_inspect(int argc, char **argv)
{
	static struct option const options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "at", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	pc_cli_json_t js;
	bool json = false, printed = false;
	time_t now = time(NULL);
	int opt, i, status = PC_CLI_EXIT_OK;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;

		case 'a':
			if (!pc_cli_time_option(optarg, &now)) return PC_CLI_EXIT_ERROR;
			break;

		case 'h':
			fputs(inspect_usage, stdout);
			return PC_CLI_EXIT_OK;

		default:
			return pc_cli_bad_option("inspect", argc, argv, opt);
		}
	}
	if (optind >= argc) return pc_cli_usage_error("inspect", "no FILE given");

	pc_cli_json_init(&js, stdout);
	if (json) pc_cli_json_open(&js, NULL, '[');
	for (i = optind; i < argc; i++) {
		if (inspect_file(argv[i], json, &js, now, &printed) < 0) status = PC_CLI_EXIT_ERROR;
	}
	if (json) {
		pc_cli_json_close(&js, ']');
		pc_cli_json_finish(&js);
	} else if (printed) {
		printf("\nkind is a guess from the certificate alone: 'phonecert check --config FILE' decides as the "
		       "module does.\n");
	}
	return status;
}
