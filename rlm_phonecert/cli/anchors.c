/**
 * @file anchors.c
 * @brief "phonecert anchors": the uploaded anchors, and what an admin should act on.
 *
 * A rollover is only safe if somebody watches it: an anchor about to expire, a retiring
 * CAPF whose window has closed (its phones are refused now; the file should go), two
 * CAPF certificates with one name (which one is the old one?), SHA-1-era CAs without the
 * legacy profile, and an eap ca_path that trusts more than the uploaded set.
 */
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/objects.h>

#include <phonecert/cadir.h>
#include <phonecert/timeval.h>

#include "cli.h"

/** Warn this long before an anchor expires. */
#define EXPIRY_WARNING_DAYS 90

static char const *const anchors_usage =
	"usage: phonecert anchors --config FILE [--eap-ca-path DIR] [--at TIME] [--json]\n"
	"\n"
	"List every anchor of the module's configuration FILE (name, role, state, subject, serial,\n"
	"SHA-256 fingerprint, validity, trust_until) and warn about:\n"
	"  - an anchor that expires within 90 days, or has expired;\n"
	"  - a retiring anchor whose rollover window has closed (remove it);\n"
	"  - two anchors with the same subject (a CAPF rollover: which is older, which is active);\n"
	"  - SHA-1-signed anchors while legacy = no;\n"
	"  - with --eap-ca-path, files in the eap module's ca_path that are not uploaded anchors.\n"
	"\n"
	"Options:\n"
	"  --config FILE        the module's configuration (raddb/phonecert/phonecert.conf)\n"
	"  --eap-ca-path DIR    the eap module's tls ca_path, audited against the anchors\n"
	"  --at TIME            evaluate at TIME (2027-06-30, 2027-06-30T18:00:00Z) instead of now\n"
	"  --json               print a JSON object {\"anchors\": [...], \"warnings\": [...]}\n"
	"  --help               this text\n"
	"\n"
	"Exit status: 0 without warnings, 1 with warnings, 2 on a usage or configuration error.\n";

#define WARNINGS_MAX 256

typedef struct {
	char const	*anchor;	//!< Anchor name, or NULL for the ca_path.
	char const	*type;		//!< "expired", "expiring", "window-closed", "same-subject", "sha1", "ca-path".
	char		*message;
} warning_t;

typedef struct {
	TALLOC_CTX		*ctx;
	pc_config_t const	*cfg;
	time_t			at;
	warning_t		warnings[WARNINGS_MAX];
	unsigned int		count;
} audit_t;

static void audit_warn(audit_t *audit, char const *anchor, char const *type, char const *fmt, ...) PC_PRINTF(4, 5);
static void audit_warn(audit_t *audit, char const *anchor, char const *type, char const *fmt, ...)
{
	va_list ap;
	warning_t *w;

	if (audit->count >= WARNINGS_MAX) return;
	w = &audit->warnings[audit->count++];
	w->anchor = anchor;
	w->type = type;
	va_start(ap, fmt);
	w->message = talloc_vasprintf(audit->ctx, fmt, ap);
	va_end(ap);
	if (!w->message) w->message = "(out of memory)";
}

static void check_expiry(audit_t *audit, pc_anchor_t const *a)
{
	long long left = pc_cli_days_left(a->not_after, audit->at);
	char when[PC_TIME_STRLEN];
	char const *renew = (a->role == PC_ROLE_LSC)
		? "regenerate the CAPF certificate (or renew the issuing CA), upload the new one and re-enrol the phones"
		: "upload the manufacturing CA's renewed certificate, and install LSCs on the phones";

	if (a->state == PC_STATE_DISABLED) return;	/* refused anyway */
	if (a->not_after < audit->at) {
		audit_warn(audit, a->name, "expired", "%s expired %s: every certificate it issued is refused "
		     "(anchor-expired); %s, then remove it", a->name, pc_time_format(a->not_after, when, sizeof(when)), renew);
	} else if (left < EXPIRY_WARNING_DAYS) {
		audit_warn(audit, a->name, "expiring", "%s expires %s (in %lld days): %s before then",
		     a->name, pc_time_format(a->not_after, when, sizeof(when)), left, renew);
	}
}

static void check_window(audit_t *audit, pc_anchor_t const *a)
{
	char when[PC_TIME_STRLEN];

	if (a->state != PC_STATE_RETIRING || audit->at < a->trust_until) return;
	audit_warn(audit, a->name, "window-closed", "%s: the rollover window closed %s: its phones are refused now "
	     "(capf-window-closed); remove it from the configuration", a->name,
	     pc_time_format(a->trust_until, when, sizeof(when)));
}

static void check_pair(audit_t *audit, pc_anchor_t const *x, pc_anchor_t const *y)
{
	pc_anchor_t const *older = x->not_before <= y->not_before ? x : y;
	pc_anchor_t const *newer = older == x ? y : x;
	char a[PC_TIME_STRLEN], b[PC_TIME_STRLEN];
	char const *hint = "";

	if (older->state == PC_STATE_ACTIVE && newer->state == PC_STATE_ACTIVE) {
		hint = "; both are active: set the older one to state = retiring with a trust_until";
	} else if (older->state == PC_STATE_ACTIVE && newer->state != PC_STATE_ACTIVE) {
		hint = "; the older one is active and the newer one is not: the wrong way round?";
	}
	audit_warn(audit, newer->name, "same-subject", "%s and %s share the subject %s: a rollover in progress; "
	     "%s is older (notBefore %s, %s), %s is newer (notBefore %s, %s)%s",
	     older->name, newer->name, older->common_name[0] ? older->common_name : older->subject,
	     older->name, pc_time_format(older->not_before, a, sizeof(a)), pc_state_name(older->state),
	     newer->name, pc_time_format(newer->not_before, b, sizeof(b)), pc_state_name(newer->state), hint);
}

static void check_signature(audit_t *audit, pc_anchor_t const *a)
{
	char const *alg = OBJ_nid2ln(a->sig_nid);

	if (audit->cfg->policy.legacy || !pc_cli_signature_is_weak(a->sig_nid)) return;
	audit_warn(audit, a->name, "sha1", "%s is signed with %s: a SHA-1-era CA; the certificates it issues are "
	     "refused at security level 2 (weak-signature) unless legacy = yes", a->name, alg ? alg : "SHA-1");
}

static void audit_run(audit_t *audit, char const *ca_path)
{
	pc_trust_t const *trust = audit->cfg->trust;
	unsigned int i, j, n = pc_trust_count(trust);

	for (i = 0; i < n; i++) {
		pc_anchor_t const *a = pc_trust_anchor(trust, i);

		check_expiry(audit, a);
		check_window(audit, a);
		check_signature(audit, a);
		for (j = i + 1; j < n; j++) {
			pc_anchor_t const *b = pc_trust_anchor(trust, j);

			if (strcmp(a->subject, b->subject) == 0) check_pair(audit, a, b);
		}
	}
	if (ca_path) {
		pc_error_t err;

		err.msg[0] = '\0';
		if (pc_cadir_audit(trust, ca_path, audit->at, &err) < 0) {
			audit_warn(audit, NULL, "ca-path", "eap ca_path %s",
			     err.msg[0] ? err.msg : "could not be audited (out of memory?)");
		}
	}
	ERR_clear_error();
}

static void print_text(audit_t const *audit, char const *path)
{
	pc_trust_t const *trust = audit->cfg->trust;
	char a[PC_TIME_STRLEN], b[PC_TIME_STRLEN];
	unsigned int i, n = pc_trust_count(trust);

	printf("anchors of ");
	pc_cli_text_put(stdout, path, strlen(path));
	printf(" at %s (legacy = %s)\n\n", pc_time_format(audit->at, a, sizeof(a)),
	       audit->cfg->policy.legacy ? "yes" : "no");
	printf("%-20s %-4s %-9s %-21s %6s  %s\n", "NAME", "ROLE", "STATE", "NOT AFTER", "DAYS", "TRUST UNTIL");
	for (i = 0; i < n; i++) {
		pc_anchor_t const *anchor = pc_trust_anchor(trust, i);

		printf("%-20s %-4s %-9s %-21s %6lld  %s\n", anchor->name, pc_role_name(anchor->role),
		       pc_state_name(anchor->state), pc_time_format(anchor->not_after, a, sizeof(a)),
		       pc_cli_days_left(anchor->not_after, audit->at),
		       anchor->state == PC_STATE_RETIRING ? pc_time_format(anchor->trust_until, b, sizeof(b)) : "-");
	}

	for (i = 0; i < n; i++) {
		pc_anchor_t const *anchor = pc_trust_anchor(trust, i);
		TALLOC_CTX *tmp = talloc_new(NULL);
		char const *sig = OBJ_nid2ln(anchor->sig_nid);

		printf("\n%s: %s, %s\n", anchor->name, pc_role_name(anchor->role), pc_state_name(anchor->state));
		pc_cli_text_field(stdout, "subject", pc_cli_name_rfc2253(tmp, X509_get_subject_name(anchor->cert)));
		pc_cli_text_field(stdout, "subject (oneline)", anchor->subject);
		pc_cli_text_field(stdout, "serial", anchor->serial);
		pc_cli_text_field(stdout, "SHA-256", pc_cli_hex_to_colon(tmp, anchor->fingerprint));
		pc_cli_text_field(stdout, "subject key id", pc_cli_hex_to_colon(tmp, anchor->key_id));
		pc_cli_text_field(stdout, "not before", pc_time_format(anchor->not_before, a, sizeof(a)));
		pc_cli_text_fieldf(stdout, "not after", "%s (%lld days left)", pc_time_format(anchor->not_after, a, sizeof(a)),
				   pc_cli_days_left(anchor->not_after, audit->at));
		if (anchor->state == PC_STATE_RETIRING) {
			pc_cli_text_fieldf(stdout, "trust until", "%s (%lld days left)",
					   pc_time_format(anchor->trust_until, b, sizeof(b)),
					   pc_cli_days_left(anchor->trust_until, audit->at));
		}
		pc_cli_text_field(stdout, "key", anchor->key_desc);
		pc_cli_text_field(stdout, "signature", sig ? sig : "unknown");
		pc_cli_text_field(stdout, "file", anchor->file);
		talloc_free(tmp);
	}

	if (audit->count == 0) {
		printf("\nno warnings\n");
		return;
	}
	printf("\n%u warning%s:\n", audit->count, audit->count == 1 ? "" : "s");
	for (i = 0; i < audit->count; i++) pc_cli_text_field_wrapped(stdout, "warning", audit->warnings[i].message);
}

static void print_json(audit_t const *audit, char const *path)
{
	pc_trust_t const *trust = audit->cfg->trust;
	unsigned int i, n = pc_trust_count(trust);
	pc_cli_json_t js;

	pc_cli_json_init(&js, stdout);
	pc_cli_json_open(&js, NULL, '{');
	pc_cli_json_str(&js, "config", path);
	pc_cli_json_time(&js, "at", audit->at);
	pc_cli_json_bool(&js, "legacy", audit->cfg->policy.legacy);
	pc_cli_json_open(&js, "anchors", '[');
	for (i = 0; i < n; i++) {
		pc_anchor_t const *anchor = pc_trust_anchor(trust, i);
		TALLOC_CTX *tmp = talloc_new(NULL);

		pc_cli_json_open(&js, NULL, '{');
		pc_cli_json_str(&js, "name", anchor->name);
		pc_cli_json_str(&js, "role", pc_role_name(anchor->role));
		pc_cli_json_str(&js, "state", pc_state_name(anchor->state));
		pc_cli_json_str(&js, "subject", pc_cli_name_rfc2253(tmp, X509_get_subject_name(anchor->cert)));
		pc_cli_json_str(&js, "subject_oneline", anchor->subject);
		pc_cli_json_str(&js, "serial", anchor->serial);
		pc_cli_json_str(&js, "sha256_fingerprint", pc_cli_hex_to_colon(tmp, anchor->fingerprint));
		pc_cli_json_str(&js, "subject_key_id", pc_cli_hex_to_colon(tmp, anchor->key_id));
		pc_cli_json_time(&js, "not_before", anchor->not_before);
		pc_cli_json_time(&js, "not_after", anchor->not_after);
		pc_cli_json_int(&js, "days_left", pc_cli_days_left(anchor->not_after, audit->at));
		pc_cli_json_time(&js, "trust_until", anchor->state == PC_STATE_RETIRING ? anchor->trust_until : 0);
		pc_cli_json_str(&js, "key", anchor->key_desc);
		pc_cli_json_str(&js, "signature_algorithm", OBJ_nid2ln(anchor->sig_nid));
		pc_cli_json_str(&js, "file", anchor->file);
		pc_cli_json_close(&js, '}');
		talloc_free(tmp);
	}
	pc_cli_json_close(&js, ']');
	pc_cli_json_open(&js, "warnings", '[');
	for (i = 0; i < audit->count; i++) {
		pc_cli_json_open(&js, NULL, '{');
		pc_cli_json_str(&js, "anchor", audit->warnings[i].anchor);
		pc_cli_json_str(&js, "type", audit->warnings[i].type);
		pc_cli_json_str(&js, "message", audit->warnings[i].message);
		pc_cli_json_close(&js, '}');
	}
	pc_cli_json_close(&js, ']');
	pc_cli_json_close(&js, '}');
	pc_cli_json_finish(&js);
}

int pc_cli_anchors(int argc, char **argv)
{
	static struct option const options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "eap-ca-path", required_argument, NULL, 'p' },
		{ "at", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char const *config = NULL, *ca_path = NULL;
	audit_t *audit;
	bool json = false;
	time_t at = time(NULL);
	struct stat st;
	int opt, status;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;

		case 'p':
			ca_path = optarg;
			break;

		case 'a':
			if (!pc_cli_time_option(optarg, &at)) return PC_CLI_EXIT_ERROR;
			break;

		case 'j':
			json = true;
			break;

		case 'h':
			fputs(anchors_usage, stdout);
			return PC_CLI_EXIT_OK;

		default:
			return pc_cli_bad_option("anchors", argc, argv, opt);
		}
	}
	if (!config) return pc_cli_usage_error("anchors", "--config FILE is required");
	if (optind < argc) return pc_cli_usage_error("anchors", "unexpected argument '%s'", argv[optind]);

	/* A ca_path that cannot be read is an error, not a finding of the audit. */
	if (ca_path && (stat(ca_path, &st) < 0 || !S_ISDIR(st.st_mode))) {
		pc_cli_error("%s: not a directory (--eap-ca-path)", ca_path);
		return PC_CLI_EXIT_ERROR;
	}

	audit = talloc_zero(NULL, audit_t);
	if (!audit) return PC_CLI_EXIT_ERROR;
	audit->ctx = audit;
	audit->at = at;
	audit->cfg = pc_cli_config_load(audit, config);
	if (!audit->cfg) {
		talloc_free(audit);
		return PC_CLI_EXIT_ERROR;
	}
	audit_run(audit, ca_path);
	if (json) {
		print_json(audit, config);
	} else {
		print_text(audit, config);
	}
	status = audit->count ? PC_CLI_EXIT_REFUSED : PC_CLI_EXIT_OK;
	talloc_free(audit);
	return status;
}
