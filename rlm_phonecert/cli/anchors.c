/**
 * @file anchors.c
 * @brief "phonecert anchors": the uploaded anchors, and what an admin should act on.
 *
 * A rollover is only safe if somebody watches it: an anchor (or the root above it) about to
 * expire, the end of the Cisco Root CA 2048 chain, a CAPF certificate without the CA
 * extensions CUCM 14SU2 requires (the core's lifecycle checks, also logged by the module), a
 * retiring CAPF whose window has closed (its phones are refused now; the file should go), two
 * CAPF certificates with one name (which one is the old one?), SHA-1-era CAs without the
 * legacy profile, and an eap ca_path that trusts more than the uploaded set.  --check turns
 * this into a monitoring plugin's answer (Nagios exit codes and a one-line status).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/objects.h>

#include <phonecert/cadir.h>
#include <phonecert/lifecycle.h>
#include <phonecert/timeval.h>

#include "cli.h"
#include "ledger_db.h"

/** Exit status of --check for a usage error or an input it cannot read (Nagios UNKNOWN). */
#define CHECK_EXIT_UNKNOWN 3

static char const *const anchors_usage =
	"usage: phonecert anchors --config FILE [--eap-ca-path DIR] [--at TIME] [--db DB] [--json | --check]\n"
	"\n"
	"List every anchor of the module's configuration FILE (name, role, state, subject, serial,\n"
	"SHA-256 fingerprint, validity, trust_until) and warn about:\n"
	"  - an anchor, or an uploaded or known root above it, that expires within expiry_warning\n"
	"    ([policy], 90 days by default; critical within expiry_critical, 14 days), or has expired;\n"
	"  - an anchor that depends on Cisco Root CA 2048, which ends on 2029-05-14 (a note until\n"
	"    then is within expiry_warning);\n"
	"  - a CAPF certificate without CA:TRUE, pathlen:0 or keyCertSign (CUCM 14SU2 and later);\n"
	"  - a retiring anchor whose rollover window has closed (remove it);\n"
	"  - two anchors with the same subject (a CAPF rollover: which is older, which is active);\n"
	"  - SHA-1-signed anchors while legacy = no;\n"
	"  - with --eap-ca-path, files in the eap module's ca_path that are not uploaded anchors.\n"
	"\n"
	"Options:\n"
	"  --config FILE        the module's configuration (raddb/phonecert/phonecert.conf)\n"
	"  --eap-ca-path DIR    the eap module's tls ca_path, audited against the anchors\n"
	"  --at TIME            evaluate at TIME (2027-06-30, 2027-06-30T18:00:00Z) instead of now\n"
	"  --db DB              the rollover ledger (SQLite file or PostgreSQL URI): how many phones\n"
	"                       were last admitted through each anchor a finding concerns\n"
	"  --json               print a JSON object {\"status\", \"anchors\", \"warnings\", \"notes\"}\n"
	"  --check              monitoring plugin output: one status line (\"PHONECERT WARNING - ...\"),\n"
	"                       then one line per finding\n"
	"  --help               this text\n"
	"\n"
	"Exit status: 0 without warnings, 1 with warnings, 2 on a usage or configuration error.\n"
	"With --check (Nagios plugin codes): 0 OK, 1 WARNING, 2 CRITICAL (also a configuration the\n"
	"module would refuse to load), 3 UNKNOWN (usage error, unreadable FILE, DB or DIR).\n";

#define WARNINGS_MAX 256

typedef struct {
	char const		*anchor;	//!< Anchor name, or NULL for the ca_path.
	char const		*fingerprint;	//!< Its SHA-256 fingerprint (for --db), or NULL.
	char const		*type;		//!< A lifecycle type (phonecert/lifecycle.h), "window-closed",
						//!< "same-subject", "sha1", "ca-path".
	pc_lifecycle_severity_t	severity;	//!< PC_LIFECYCLE_OK: a note, not a warning.
	char			*message;
	long long		phones;		//!< --db: phones last admitted through the anchor; -1 unknown.
	time_t			last_seen;	//!< ... and the latest of them (0: none).
} warning_t;

typedef struct {
	TALLOC_CTX		*ctx;
	pc_config_t const	*cfg;
	time_t			at;
	warning_t		warnings[WARNINGS_MAX];
	unsigned int		count;
	bool			with_db;
} audit_t;

static warning_t *audit_add(audit_t *audit, pc_anchor_t const *anchor, char const *type,
			    pc_lifecycle_severity_t severity)
{
	warning_t *w;

	if (audit->count >= WARNINGS_MAX) return NULL;
	w = &audit->warnings[audit->count++];
	w->anchor = anchor ? anchor->name : NULL;
	w->fingerprint = anchor ? anchor->fingerprint : NULL;
	w->type = type;
	w->severity = severity;
	w->phones = -1;
	return w;
}

/** A warning of the audit's own checks (not lifecycle ones): WARNING severity. */
static void audit_warn(audit_t *audit, pc_anchor_t const *anchor, char const *type, char const *fmt, ...) PC_PRINTF(4, 5);
static void audit_warn(audit_t *audit, pc_anchor_t const *anchor, char const *type, char const *fmt, ...)
{
	va_list ap;
	warning_t *w = audit_add(audit, anchor, type, PC_LIFECYCLE_WARNING);

	if (!w) return;
	va_start(ap, fmt);
	w->message = talloc_vasprintf(audit->ctx, fmt, ap);
	va_end(ap);
	if (!w->message) w->message = "(out of memory)";
}

/** The core's lifecycle findings (the module logs the same at start and reload). */
static void check_lifecycle(audit_t *audit)
{
	pc_lifecycle_finding_t *findings;
	unsigned int i, count;

	if (pc_lifecycle_check(audit->ctx, audit->cfg, audit->at, &findings, &count) < 0) {
		warning_t *w = audit_add(audit, NULL, "lifecycle", PC_LIFECYCLE_CRITICAL);

		if (w) w->message = "the lifecycle checks could not run (out of memory)";
		return;
	}
	for (i = 0; i < count; i++) {
		warning_t *w = audit_add(audit, findings[i].anchor, findings[i].type, findings[i].severity);

		if (w) w->message = talloc_strdup(audit->ctx, findings[i].message);
		if (w && !w->message) w->message = "(out of memory)";
	}
}

static void check_window(audit_t *audit, pc_anchor_t const *a)
{
	char when[PC_TIME_STRLEN];

	if (a->state != PC_STATE_RETIRING || audit->at < a->trust_until) return;
	audit_warn(audit, a, "window-closed", "%s: the rollover window closed %s: its phones are refused now "
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
	audit_warn(audit, newer, "same-subject", "%s and %s share the subject %s: a rollover in progress; "
	     "%s is older (notBefore %s, %s), %s is newer (notBefore %s, %s)%s",
	     older->name, newer->name, older->common_name[0] ? older->common_name : older->subject,
	     older->name, pc_time_format(older->not_before, a, sizeof(a)), pc_state_name(older->state),
	     newer->name, pc_time_format(newer->not_before, b, sizeof(b)), pc_state_name(newer->state), hint);
}

static void check_signature(audit_t *audit, pc_anchor_t const *a)
{
	char const *alg = OBJ_nid2ln(a->sig_nid);

	if (audit->cfg->policy.legacy || !pc_cli_signature_is_weak(a->sig_nid)) return;
	audit_warn(audit, a, "sha1", "%s is signed with %s: a SHA-1-era CA; the certificates it issues are "
	     "refused at security level 2 (weak-signature) unless legacy = yes", a->name, alg ? alg : "SHA-1");
}

static void audit_run(audit_t *audit, char const *ca_path)
{
	pc_trust_t const *trust = audit->cfg->trust;
	unsigned int i, j, n = pc_trust_count(trust);

	check_lifecycle(audit);
	for (i = 0; i < n; i++) {
		pc_anchor_t const *a = pc_trust_anchor(trust, i);

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

/** Findings that are warnings (WARNING or CRITICAL), as opposed to notes. */
static unsigned int audit_count(audit_t const *audit, pc_lifecycle_severity_t severity)
{
	unsigned int i, n = 0;

	for (i = 0; i < audit->count; i++) {
		if (audit->warnings[i].severity == severity) n++;
	}
	return n;
}

static pc_lifecycle_severity_t audit_worst(audit_t const *audit)
{
	pc_lifecycle_severity_t worst = PC_LIFECYCLE_OK;
	unsigned int i;

	for (i = 0; i < audit->count; i++) {
		if (audit->warnings[i].severity > worst) worst = audit->warnings[i].severity;
	}
	return worst;
}

typedef struct {
	long long	phones;
	time_t		last_seen;
} ledger_count_t;

static int ledger_row(void *uctx, unsigned int ncols, char const *const *values)
{
	ledger_count_t *lc = uctx;

	if (ncols != 2) return -1;
	lc->phones = strtoll(values[0], NULL, 10);
	lc->last_seen = (time_t)strtoll(values[1], NULL, 10);
	return 0;
}

/**
 * For each finding about an anchor, the phones whose latest decision admitted them through
 * it (phonecert_device.anchor_fp): those are the phones that depend on it.
 */
static int ledger_counts(audit_t *audit, char const *db_name, pc_error_t *err)
{
	static char const sql[] = "SELECT COUNT(*), COALESCE(MAX(last_seen), 0) FROM phonecert_device "
				  "WHERE anchor_fp = $1 AND accepted = 1";
	pc_ledger_db_t *db = pc_ledger_db_open(audit->ctx, db_name, err);
	unsigned int i;

	if (!db) return -1;
	for (i = 0; i < audit->count; i++) {
		warning_t *w = &audit->warnings[i];
		ledger_count_t lc = { 0, 0 };
		char const *params[1];

		if (!w->fingerprint) continue;
		params[0] = w->fingerprint;
		if (pc_ledger_db_query(db, sql, 1, params, ledger_row, &lc, err) != 0) {
			talloc_free(db);
			return -1;
		}
		w->phones = lc.phones;
		w->last_seen = lc.last_seen;
	}
	talloc_free(db);
	audit->with_db = true;
	return 0;
}

/** The message, and with --db the phones that depend on the anchor. */
static void print_finding(audit_t const *audit, char const *label, warning_t const *w)
{
	char when[PC_TIME_STRLEN];
	char *text;

	if (!audit->with_db || w->phones < 0) {
		pc_cli_text_field_wrapped(stdout, label, w->message);
		return;
	}
	text = talloc_asprintf(NULL, "%s [ledger: %lld phone%s admitted through %s%s%s]", w->message, w->phones,
			       w->phones == 1 ? "" : "s", w->anchor, w->phones ? ", last seen " : "",
			       w->phones ? pc_time_format(w->last_seen, when, sizeof(when)) : "");
	pc_cli_text_field_wrapped(stdout, label, text ? text : w->message);
	talloc_free(text);
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

	n = audit->count - audit_count(audit, PC_LIFECYCLE_OK);
	if (n == 0) {
		printf("\nno warnings\n");
	} else {
		printf("\n%u warning%s:\n", n, n == 1 ? "" : "s");
		for (i = 0; i < audit->count; i++) {
			if (audit->warnings[i].severity != PC_LIFECYCLE_OK) print_finding(audit, "warning", &audit->warnings[i]);
		}
	}
	if (n == audit->count) return;
	printf("\nnotes:\n");
	for (i = 0; i < audit->count; i++) {
		if (audit->warnings[i].severity == PC_LIFECYCLE_OK) print_finding(audit, "note", &audit->warnings[i]);
	}
}

/**
 * A monitoring plugin's answer: "PHONECERT STATE - summary | perfdata", then one line per
 * finding, most severe first (the core already sorted its own; the audit's follow).
 */
static void print_check(audit_t const *audit)
{
	pc_lifecycle_severity_t worst = audit_worst(audit);
	unsigned int crit = audit_count(audit, PC_LIFECYCLE_CRITICAL), warn = audit_count(audit, PC_LIFECYCLE_WARNING);
	unsigned int notes = audit_count(audit, PC_LIFECYCLE_OK), i, listed = 0;
	int sev;
	char when[PC_TIME_STRLEN];

	printf("PHONECERT %s - ", pc_lifecycle_severity_name(worst));
	if (crit + warn == 0) {
		printf("%u anchor%s, no warnings", pc_trust_count(audit->cfg->trust), pc_trust_count(audit->cfg->trust) == 1 ? "" : "s");
	} else {
		if (crit) printf("%u critical%s", crit, warn ? ", " : "");
		if (warn) printf("%u warning%s", warn, warn == 1 ? "" : "s");
		printf(":");
		for (sev = PC_LIFECYCLE_CRITICAL; sev >= PC_LIFECYCLE_WARNING; sev--) {
			for (i = 0; i < audit->count; i++) {
				warning_t const *w = &audit->warnings[i];

				if ((int)w->severity != sev) continue;
				printf("%s %s %s", listed++ ? "," : "", w->anchor ? w->anchor : "ca_path", w->type);
			}
		}
	}
	printf(" | critical=%u warnings=%u notes=%u\n", crit, warn, notes);
	for (sev = PC_LIFECYCLE_CRITICAL; sev >= PC_LIFECYCLE_OK; sev--) {
		for (i = 0; i < audit->count; i++) {
			warning_t const *w = &audit->warnings[i];

			if ((int)w->severity != sev) continue;
			printf("%s: ", w->severity == PC_LIFECYCLE_OK ? "NOTE" : pc_lifecycle_severity_name(w->severity));
			pc_cli_text_put(stdout, w->message, strlen(w->message));
			if (audit->with_db && w->phones >= 0) {
				printf(" [ledger: %lld phone%s admitted through %s%s%s]", w->phones, w->phones == 1 ? "" : "s",
				       w->anchor, w->phones ? ", last seen " : "",
				       w->phones ? pc_time_format(w->last_seen, when, sizeof(when)) : "");
			}
			printf("\n");
		}
	}
}

static void print_json_findings(pc_cli_json_t *js, audit_t const *audit, char const *key, bool notes)
{
	unsigned int i;

	pc_cli_json_open(js, key, '[');
	for (i = 0; i < audit->count; i++) {
		warning_t const *w = &audit->warnings[i];

		if ((w->severity == PC_LIFECYCLE_OK) != notes) continue;
		pc_cli_json_open(js, NULL, '{');
		pc_cli_json_str(js, "anchor", w->anchor);
		pc_cli_json_str(js, "type", w->type);
		pc_cli_json_str(js, "severity", pc_lifecycle_severity_name(w->severity));
		pc_cli_json_str(js, "message", w->message);
		if (audit->with_db && w->phones >= 0) {
			pc_cli_json_int(js, "ledger_phones", w->phones);
			pc_cli_json_time(js, "ledger_last_seen", w->last_seen);
		}
		pc_cli_json_close(js, '}');
	}
	pc_cli_json_close(js, ']');
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
	pc_cli_json_str(&js, "status", pc_lifecycle_severity_name(audit_worst(audit)));
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
	print_json_findings(&js, audit, "warnings", false);
	print_json_findings(&js, audit, "notes", true);
	pc_cli_json_close(&js, '}');
	pc_cli_json_finish(&js);
}

/** An error's exit status: with --check, UNKNOWN and a status line on stdout (the reason is on stderr). */
static int error_exit(bool check, int status)
{
	if (!check) return status;
	printf("PHONECERT UNKNOWN - usage or input error (see stderr)\n");
	return CHECK_EXIT_UNKNOWN;
}

static int anchors_run(int argc, char **argv, bool check)
{
	static struct option const options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "eap-ca-path", required_argument, NULL, 'p' },
		{ "at", required_argument, NULL, 'a' },
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "check", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char const *config = NULL, *ca_path = NULL, *db = NULL;
	audit_t *audit;
	bool json = false;
	time_t at = time(NULL);
	struct stat st;
	pc_error_t err;
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
			if (!pc_cli_time_option(optarg, &at)) return error_exit(check, PC_CLI_EXIT_ERROR);
			break;

		case 'd':
			db = optarg;
			break;

		case 'j':
			json = true;
			break;

		case 'k':
			break;	/* seen before parsing: errors are reported the plugin's way */

		case 'h':
			fputs(anchors_usage, stdout);
			return PC_CLI_EXIT_OK;

		default:
			return error_exit(check, pc_cli_bad_option("anchors", argc, argv, opt));
		}
	}
	if (!config) return error_exit(check, pc_cli_usage_error("anchors", "--config FILE is required"));
	if (optind < argc) return error_exit(check, pc_cli_usage_error("anchors", "unexpected argument '%s'", argv[optind]));
	if (json && check) return error_exit(check, pc_cli_usage_error("anchors", "--json and --check exclude each other"));

	/* A ca_path that cannot be read is an error, not a finding of the audit. */
	if (ca_path && (stat(ca_path, &st) < 0 || !S_ISDIR(st.st_mode))) {
		pc_cli_error("%s: not a directory (--eap-ca-path)", ca_path);
		return error_exit(check, PC_CLI_EXIT_ERROR);
	}

	audit = talloc_zero(NULL, audit_t);
	if (!audit) return error_exit(check, PC_CLI_EXIT_ERROR);
	audit->ctx = audit;
	audit->at = at;
	if (check) {
		pc_config_t *cfg = NULL;

		/*
		 *	A file that cannot be read is the monitoring's problem (UNKNOWN); one that
		 *	radiusd would refuse to load stops its start or reload: CRITICAL.
		 */
		if (access(config, R_OK) < 0) {
			pc_cli_error("%s: cannot read: %s", config, strerror(errno));
			talloc_free(audit);
			return error_exit(check, PC_CLI_EXIT_ERROR);
		}
		err.msg[0] = '\0';
		if (pc_config_load(audit, config, &cfg, &err) < 0 || !cfg) {
			printf("PHONECERT CRITICAL - configuration refused (radiusd would not start or reload): ");
			pc_cli_text_put(stdout, err.msg, strlen(err.msg));
			printf("\n");
			ERR_clear_error();
			talloc_free(audit);
			return PC_LIFECYCLE_CRITICAL;
		}
		audit->cfg = cfg;
	} else {
		audit->cfg = pc_cli_config_load(audit, config);
	}
	if (!audit->cfg) {
		talloc_free(audit);
		return PC_CLI_EXIT_ERROR;
	}
	audit_run(audit, ca_path);
	err.msg[0] = '\0';
	if (db && ledger_counts(audit, db, &err) < 0) {
		pc_cli_error("%s", err.msg[0] ? err.msg : "cannot read the ledger");
		talloc_free(audit);
		return error_exit(check, PC_CLI_EXIT_ERROR);
	}
	if (check) {
		print_check(audit);
		status = (int)audit_worst(audit);
	} else if (json) {
		print_json(audit, config);
		status = audit->count > audit_count(audit, PC_LIFECYCLE_OK) ? PC_CLI_EXIT_REFUSED : PC_CLI_EXIT_OK;
	} else {
		print_text(audit, config);
		status = audit->count > audit_count(audit, PC_LIFECYCLE_OK) ? PC_CLI_EXIT_REFUSED : PC_CLI_EXIT_OK;
	}
	talloc_free(audit);
	return status;
}

int pc_cli_anchors(int argc, char **argv)
{
	bool check = false;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--check") == 0) check = true;
	}
	return anchors_run(argc, argv, check);
}
