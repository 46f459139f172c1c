/**
 * @file check.c
 * @brief "phonecert check": the module's decision on a certificate, without radiusd.
 *
 * The same path as an EAP-TLS authentication: the module's verification hook and this
 * command both call pc_verify_chain(), which has OpenSSL verify the chain against exactly the
 * anchors trusted at that time (with the "ssl_client" purpose and the security level of
 * Debian's OpenSSL), then the core decides: pc_decide() on the record of a verified chain,
 * pc_diagnose() on the record of a refused one.  Nothing here classifies or applies policy
 * on its own.
 */
#include <getopt.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <phonecert/decide.h>
#include <phonecert/facts.h>
#include <phonecert/verify.h>
#include <phonecert/reply.h>
#include <phonecert/timeval.h>

#include "cli.h"

/** Debian 12's OpenSSL default, and what the legacy profile lowers it to. */
#define SECLEVEL_DEFAULT 2
#define SECLEVEL_LEGACY 0

static char const *const check_usage =
	"usage: phonecert check --config FILE [--calling-station-id MAC] [--at TIME] [--json] CERT...\n"
	"\n"
	"Decide on each CERT file as the rlm_phonecert module would: verify the chain with OpenSSL\n"
	"against the anchors of the module's configuration FILE (partial chains allowed, security\n"
	"level 2, or 0 with legacy = yes), then run the module's decision on the certificate, or\n"
	"its diagnosis of the failed handshake.  The first certificate in a CERT file is the\n"
	"phone's; any others are intermediates it would send along.\n"
	"\n"
	"Options:\n"
	"  --config FILE               the module's configuration (raddb/phonecert/phonecert.conf)\n"
	"  --calling-station-id MAC    the switch's Calling-Station-Id (00-11-22-33-44-55,\n"
	"                              00:11:22:33:44:55, 0011.2233.4455 or 001122334455)\n"
	"  --at TIME                   decide at TIME (2027-06-30, 2027-06-30T18:00:00Z) instead of now\n"
	"  --json                      print a JSON array, one object per CERT\n"
	"  --help                      this text\n"
	"\n"
	"Prints the decision (ACCEPT or REJECT), the reason's name and number, kind, anchor, device,\n"
	"MAC, deadline, detail, advice and the reply attributes the switch would get.\n"
	"\n"
	"Exit status: 0 if every CERT is accepted, 1 if one is refused, 2 on a usage, configuration\n"
	"or input error (\"phonecert: FILE: reason\" on stderr).\n";

typedef struct {
	pc_config_t const	*cfg;
	char const		*calling_station_id;
	time_t			at;
	bool			json;
	pc_cli_json_t		js;
} check_opts_t;

/** What OpenSSL said about the chain, and what the verifier recorded. */
typedef struct {
	bool		ok;
	int		error;		//!< X509_V_ERR_*, 0 if ok.
	int		depth;		//!< Depth of the failing certificate.
	STACK_OF(X509)	*chain;		//!< Verified chain (owned), or NULL.
	pc_cert_t	cert;		//!< The record the module's hook would hand the decision.
} verify_result_t;

/**
 * Verify as the module's hook does (pc_verify_chain with the anchors trusted at --at), with
 * what libssl sets for a server verifying a client: the sent certificates as untrusted, the
 * "ssl_client" purpose and the security level.
 * @return 0 with result filled (verified or not); -1 if verification could not run.
 */
static int chain_verify(check_opts_t const *opts, pc_cli_certs_t const *set, verify_result_t *result)
{
	X509_STORE *store = NULL;
	X509_STORE_CTX *vctx = NULL;
	STACK_OF(X509) *untrusted = NULL;
	pc_trustset_t *trusted;
	X509_VERIFY_PARAM *param;
	unsigned int i;
	int rcode = -1;

	memset(result, 0, sizeof(*result));
	trusted = pc_trustset_new(opts->cfg->trust, opts->at);
	store = X509_STORE_new();
	vctx = X509_STORE_CTX_new();
	untrusted = sk_X509_new_null();
	if (!trusted || !store || !vctx || !untrusted) goto done;
	for (i = 0; i < set->count; i++) {
		if (!sk_X509_push(untrusted, set->certs[i].cert)) goto done;
	}
	if (X509_STORE_CTX_init(vctx, store, set->certs[0].cert, untrusted) != 1) goto done;
	if (X509_STORE_CTX_set_default(vctx, "ssl_client") != 1) goto done;
	param = X509_STORE_CTX_get0_param(vctx);
	X509_VERIFY_PARAM_set_auth_level(param, opts->cfg->policy.legacy ? SECLEVEL_LEGACY : SECLEVEL_DEFAULT);
	X509_VERIFY_PARAM_set_time(param, opts->at);

	result->ok = pc_verify_chain(trusted, vctx, opts->at, &result->cert) == 1;
	result->error = result->cert.verify_error;
	result->depth = result->cert.error_depth;
	if (result->ok) {
		result->chain = X509_STORE_CTX_get1_chain(vctx);
		if (!result->chain) goto done;
	}
	rcode = 0;

done:
	sk_X509_free(untrusted);	/* the certificates stay the set's */
	X509_STORE_CTX_free(vctx);
	X509_STORE_free(store);
	pc_trustset_free(trusted);
	ERR_clear_error();
	return rcode;
}

/** The decision on the record of a verified chain, or the diagnosis of a refused one. */
static void decision_make(check_opts_t const *opts, verify_result_t const *result, pc_decision_t *decision)
{
	if (result->ok) {
		pc_decide(opts->cfg, &result->cert, NULL, opts->calling_station_id, opts->at, decision);
	} else {
		pc_diagnose(opts->cfg, &result->cert, result->error, NULL, opts->at, decision);
	}
}

static char const *verify_text(TALLOC_CTX *ctx, verify_result_t const *result)
{
	if (result->ok) {
		char *text = talloc_strdup(ctx, "ok:");
		int i;

		for (i = 0; text && i < sk_X509_num(result->chain); i++) {
			char *oneline = pc_x509_oneline(ctx, X509_get_subject_name(sk_X509_value(result->chain, i)));
			char *cn = pc_cli_oneline_cn(ctx, oneline);

			text = talloc_asprintf_append(text, "%s %s", i ? " <-" : "", cn ? cn : "?");
		}
		return text;
	}
	return talloc_asprintf(ctx, "failed: OpenSSL error %d at depth %d (%s)", result->error, result->depth,
			       X509_verify_cert_error_string(result->error));
}

static void print_text(TALLOC_CTX *ctx, check_opts_t const *opts, char const *path, pc_decision_t const *d,
		       verify_result_t const *result, pc_reply_item_t const *items, unsigned int nitems)
{
	bool accept = pc_decision_accepts(d);
	char when[PC_TIME_STRLEN], mac[18];
	unsigned int i;

	pc_cli_text_put(stdout, path, strlen(path));
	printf(": %s %s (%d)\n", accept ? "ACCEPT" : "REJECT", pc_reason_name(d->reason), (int)d->reason);
	pc_cli_text_field(stdout, "decision", accept ? "ACCEPT" : "REJECT");
	pc_cli_text_fieldf(stdout, "reason", "%s (%d)", pc_reason_name(d->reason), (int)d->reason);
	pc_cli_text_field(stdout, "kind", pc_kind_name(d->kind));
	if (d->anchor) {
		pc_cli_text_fieldf(stdout, "anchor", "%s (%s, %s)", d->anchor->name,
				   pc_role_name(d->anchor->role), pc_state_name(d->anchor->state));
	} else {
		pc_cli_text_field(stdout, "anchor", NULL);
	}
	if (d->have_device) {
		pc_mac_format(d->device.mac, mac);
		pc_cli_text_field(stdout, "device", d->device.name);
		pc_cli_text_field(stdout, "MAC", mac);
		if (d->device.model[0]) pc_cli_text_field(stdout, "model", d->device.model);
		if (d->device.pid[0]) pc_cli_text_fieldf(stdout, "PID / SN", "%s / %s", d->device.pid, d->device.sn);
	} else {
		pc_cli_text_field(stdout, "device", NULL);
		pc_cli_text_field(stdout, "MAC", NULL);
	}
	if (d->deadline) {
		pc_cli_text_fieldf(stdout, "deadline", "%s (%lld days left)", pc_time_format(d->deadline, when, sizeof(when)),
				   pc_cli_days_left(d->deadline, opts->at));
	} else {
		pc_cli_text_field(stdout, "deadline", NULL);
	}
	if (d->mac_mismatch) pc_cli_text_field(stdout, "MAC binding", "mismatch logged (mac_binding = log)");
	pc_cli_text_field_wrapped(stdout, "detail", d->detail);
	pc_cli_text_field_wrapped(stdout, "advice",
				  pc_reason_advice_role(d->reason, d->anchor && d->anchor->role == PC_ROLE_MIC));
	pc_cli_text_field(stdout, "verify", verify_text(ctx, result));
	pc_cli_text_field(stdout, "checked at", pc_time_format(opts->at, when, sizeof(when)));
	if (nitems == 0) pc_cli_text_field(stdout, "reply", accept ? "(no attributes)" : NULL);
	for (i = 0; i < nitems; i++) pc_cli_text_fieldf(stdout, "reply", "%s = \"%s\"", items[i].attribute, items[i].value);
}

static void print_json(TALLOC_CTX *ctx, check_opts_t *opts, char const *path, pc_decision_t const *d,
		       verify_result_t const *result, pc_reply_item_t const *items, unsigned int nitems)
{
	pc_cli_json_t *js = &opts->js;
	char mac[18];
	unsigned int i;
	int j;

	pc_cli_json_open(js, NULL, '{');
	pc_cli_json_str(js, "file", path);
	pc_cli_json_str(js, "decision", pc_decision_accepts(d) ? "ACCEPT" : "REJECT");
	pc_cli_json_str(js, "reason", pc_reason_name(d->reason));
	pc_cli_json_int(js, "reason_number", (int)d->reason);
	pc_cli_json_str(js, "kind", pc_kind_name(d->kind));
	if (d->anchor) {
		pc_cli_json_open(js, "anchor", '{');
		pc_cli_json_str(js, "name", d->anchor->name);
		pc_cli_json_str(js, "role", pc_role_name(d->anchor->role));
		pc_cli_json_str(js, "state", pc_state_name(d->anchor->state));
		pc_cli_json_str(js, "matched_by", result->ok ? "issuer" : "signature");
		pc_cli_json_close(js, '}');
	} else {
		pc_cli_json_null(js, "anchor");
	}
	if (d->have_device) {
		pc_mac_format(d->device.mac, mac);
		pc_cli_json_str(js, "device", d->device.name);
		pc_cli_json_str(js, "mac", mac);
		pc_cli_json_str(js, "model", d->device.model[0] ? d->device.model : NULL);
		pc_cli_json_str(js, "pid", d->device.pid[0] ? d->device.pid : NULL);
		pc_cli_json_str(js, "sn", d->device.sn[0] ? d->device.sn : NULL);
	} else {
		pc_cli_json_null(js, "device");
		pc_cli_json_null(js, "mac");
		pc_cli_json_null(js, "model");
		pc_cli_json_null(js, "pid");
		pc_cli_json_null(js, "sn");
	}
	pc_cli_json_time(js, "deadline", d->deadline);
	pc_cli_json_bool(js, "mac_mismatch_logged", d->mac_mismatch);
	pc_cli_json_str(js, "detail", d->detail);
	pc_cli_json_str(js, "advice", pc_reason_advice_role(d->reason, d->anchor && d->anchor->role == PC_ROLE_MIC));

	pc_cli_json_open(js, "verify", '{');
	pc_cli_json_bool(js, "ok", result->ok);
	pc_cli_json_int(js, "error", result->error);
	pc_cli_json_str(js, "error_text", X509_verify_cert_error_string(result->error));
	if (result->ok) {
		pc_cli_json_null(js, "depth");
	} else {
		pc_cli_json_int(js, "depth", result->depth);
	}
	pc_cli_json_open(js, "chain", '[');
	for (j = 0; result->ok && j < sk_X509_num(result->chain); j++) {
		pc_cli_json_str(js, NULL, pc_x509_oneline(ctx, X509_get_subject_name(sk_X509_value(result->chain, j))));
	}
	pc_cli_json_close(js, ']');
	pc_cli_json_int(js, "security_level", opts->cfg->policy.legacy ? SECLEVEL_LEGACY : SECLEVEL_DEFAULT);
	pc_cli_json_close(js, '}');

	pc_cli_json_open(js, "reply", '[');
	for (i = 0; i < nitems; i++) {
		pc_cli_json_open(js, NULL, '{');
		pc_cli_json_str(js, "attribute", items[i].attribute);
		pc_cli_json_str(js, "value", items[i].value);
		pc_cli_json_close(js, '}');
	}
	pc_cli_json_close(js, ']');
	pc_cli_json_time(js, "at", opts->at);
	pc_cli_json_str(js, "calling_station_id", opts->calling_station_id);
	pc_cli_json_close(js, '}');
}

/** One CERT argument.  @return the exit status it calls for. */
static int check_file(check_opts_t *opts, char const *path)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	pc_cli_certs_t *set = NULL;
	verify_result_t result;
	pc_decision_t decision;
	pc_reply_item_t items[PC_REPLY_MAX];
	unsigned int nitems;
	pc_error_t err;
	int status = PC_CLI_EXIT_ERROR;

	memset(&result, 0, sizeof(result));
	err.msg[0] = '\0';
	if (!ctx) {
		pc_cli_error("%s: out of memory", path);
		return PC_CLI_EXIT_ERROR;
	}
	if (pc_cli_certs_load(ctx, path, &set, &err) < 0) {
		pc_cli_error("%s", err.msg);
		goto input_error;
	}
	if (chain_verify(opts, set, &result) < 0) {
		snprintf(err.msg, sizeof(err.msg), "%s: cannot run the chain verification (out of memory?)", set->path);
		pc_cli_error("%s", err.msg);
		goto input_error;
	}
	decision_make(opts, &result, &decision);
	nitems = pc_reply_plan(&opts->cfg->policy, &decision, items);

	if (opts->json) {
		print_json(ctx, opts, set->path, &decision, &result, items, nitems);
	} else {
		print_text(ctx, opts, set->path, &decision, &result, items, nitems);
	}
	status = pc_decision_accepts(&decision) ? PC_CLI_EXIT_OK : PC_CLI_EXIT_REFUSED;
	goto done;

input_error:
	if (opts->json) {
		pc_cli_json_open(&opts->js, NULL, '{');
		pc_cli_json_str(&opts->js, "file", path);
		pc_cli_json_str(&opts->js, "error", err.msg);
		pc_cli_json_close(&opts->js, '}');
	}
done:
	if (result.chain) sk_X509_pop_free(result.chain, X509_free);
	talloc_free(ctx);
	ERR_clear_error();
	return status;
}

int pc_cli_check(int argc, char **argv)
{
	static struct option const options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "calling-station-id", required_argument, NULL, 'm' },
		{ "at", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	TALLOC_CTX *ctx;
	check_opts_t opts;
	char const *config = NULL;
	bool printed = false;
	int opt, i, status = PC_CLI_EXIT_OK;

	memset(&opts, 0, sizeof(opts));
	opts.at = time(NULL);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;

		case 'm':
			opts.calling_station_id = optarg;
			break;

		case 'a':
			if (!pc_cli_time_option(optarg, &opts.at)) return PC_CLI_EXIT_ERROR;
			break;

		case 'j':
			opts.json = true;
			break;

		case 'h':
			fputs(check_usage, stdout);
			return PC_CLI_EXIT_OK;

		default:
			return pc_cli_bad_option("check", argc, argv, opt);
		}
	}
	if (!config) return pc_cli_usage_error("check", "--config FILE is required");
	if (optind >= argc) return pc_cli_usage_error("check", "no CERT file given");

	ctx = talloc_new(NULL);
	if (!ctx) return PC_CLI_EXIT_ERROR;
	opts.cfg = pc_cli_config_load(ctx, config);
	if (!opts.cfg) {
		talloc_free(ctx);
		return PC_CLI_EXIT_ERROR;
	}

	pc_cli_json_init(&opts.js, stdout);
	if (opts.json) pc_cli_json_open(&opts.js, NULL, '[');
	for (i = optind; i < argc; i++) {
		int one;

		if (!opts.json && printed) putchar('\n');
		one = check_file(&opts, argv[i]);
		printed = printed || one != PC_CLI_EXIT_ERROR;
		if (one > status) status = one;
	}
	if (opts.json) {
		pc_cli_json_close(&opts.js, ']');
		pc_cli_json_finish(&opts.js);
	}
	talloc_free(ctx);
	return status;
}
