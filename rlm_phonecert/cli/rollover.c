/**
 * @file rollover.c
 * @brief "phonecert rollover": is it safe to close a CAPF rollover window, and who is left.
 *
 * The report itself is read by rollover_read.c and drawn as HTML by rollover_html.c; this
 * file parses the options and prints the text and JSON forms.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <phonecert/timeval.h>

#include "cli.h"
#include "rollover.h"

static char const *const rollover_usage =
	"usage: phonecert rollover --db DB [--config FILE] [--days N] [--at TIME] [--limit N]\n"
	"                          [--json | --html FILE]\n"
	"\n"
	"Read the rollover ledger DB (an SQLite file, or a postgresql:// URL) and report, per anchor,\n"
	"the phones seen in the last N days.  For a retiring anchor: the phones still on it (name,\n"
	"MAC, model, switch, port, last seen, server), the phones that moved to another anchor and\n"
	"when, the days left to its trust_until, and a verdict: safe to close, or how many phones\n"
	"would be refused.  Also the MIC-only phones that never got an LSC, and the refusals by\n"
	"reason.  Ledger rows are matched to the configuration's anchors by fingerprint, never by name.\n"
	"\n"
	"Options:\n"
	"  --db DB          the ledger: an SQLite file, or postgresql://USER@HOST/DB (password from\n"
	"                   ~/.pgpass or PGPASSWORD rather than in the URL)\n"
	"  --config FILE    the module's configuration: its anchors, states and trust_until\n"
	"                   (without it: the anchors named in the ledger, with the states recorded there)\n"
	"  --days N         the window: phones seen in the last N days (default 30, 1..3650)\n"
	"  --at TIME        evaluate at TIME (2027-06-30, 2027-06-30T18:00:00Z) instead of now; devices\n"
	"                   seen after TIME still count (the ledger keeps only the latest sighting)\n"
	"  --limit N        list at most N phones per table (default 1000, 0: all); counts are exact\n"
	"  --json           print a JSON object instead of text\n"
	"  --html FILE      write one self-contained HTML page (tables and a migration chart) to FILE\n"
	"  --help           this text\n"
	"\n"
	"Exit status: 0 no retiring anchor has phones in the window (safe to close each one),\n"
	"1 a retiring anchor still has phones (they would be refused, or are refused now),\n"
	"2 usage, configuration or ledger error.\n";

#define DEFAULT_DAYS 30
#define DEFAULT_LIMIT 1000

static char const *when(time_t t, char *buf)
{
	return t ? pc_time_format(t, buf, PC_TIME_STRLEN) : "-";
}

static char *switch_name(TALLOC_CTX *ctx, pc_rollover_phone_t const *p)
{
	if (p->nas_ip[0] && p->nas_id[0]) return talloc_asprintf(ctx, "%s/%s", p->nas_ip, p->nas_id);
	return talloc_strdup(ctx, p->nas_ip[0] ? p->nas_ip : p->nas_id);
}

static void text_phones(TALLOC_CTX *ctx, pc_rollover_phone_t const *list, unsigned int listed, long long count)
{
	char buf[PC_TIME_STRLEN];
	unsigned int i;

	if (!listed) return;
	printf("    %-22s %-17s %-12s %-28s %-16s %-20s %s\n", "DEVICE", "MAC", "MODEL", "SWITCH", "PORT",
	       "LAST SEEN", "SERVER");
	for (i = 0; i < listed; i++) {
		fputs("    ", stdout);
		pc_cli_text_cell(stdout, list[i].device, 22);
		pc_cli_text_cell(stdout, list[i].mac, 17);
		pc_cli_text_cell(stdout, list[i].model, 12);
		pc_cli_text_cell(stdout, switch_name(ctx, &list[i]), 28);
		pc_cli_text_cell(stdout, list[i].nas_port_id, 16);
		pc_cli_text_cell(stdout, when(list[i].last_seen, buf), 20);
		pc_cli_text_put(stdout, list[i].server, strlen(list[i].server));
		putchar('\n');
	}
	if (count > listed) printf("    ... and %lld more (--limit)\n", count - listed);
}

static void text_anchor(TALLOC_CTX *ctx, pc_rollover_t const *r, pc_rollover_anchor_t const *a)
{
	char buf[PC_TIME_STRLEN];
	unsigned int i;

	putchar('\n');
	pc_cli_text_put(stdout, a->name, strlen(a->name));
	printf(": %s, %s%s\n", a->role[0] ? a->role : "?", a->state[0] ? a->state : "?",
	       a->configured ? "" : " (not in the configuration)");
	pc_cli_text_field(stdout, "fingerprint", a->fingerprint);
	if (a->trust_until) {
		pc_cli_text_fieldf(stdout, "trust until", "%s (%lld days left)", when(a->trust_until, buf),
				   pc_cli_days_left(a->trust_until, r->at));
	}
	pc_cli_text_fieldf(stdout, "phones", "%lld in the window (%lld admitted), %lld in the ledger", a->phones,
			   a->accepted, a->ever);
	pc_cli_text_field(stdout, "last presented", when(a->last_presented, buf));
	if (a->verdict == PC_VERDICT_NONE) return;
	pc_cli_text_field(stdout, "verdict", a->verdict_text);
	pc_cli_text_fieldf(stdout, "moved", "%lld phone%s moved to another anchor", a->moved_count,
			   a->moved_count == 1 ? "" : "s");
	if (a->on_listed) {
		printf("  still on it (%lld):\n", a->phones);
		text_phones(ctx, a->on, a->on_listed, a->phones);
	}
	if (a->moved_listed) {
		printf("  moved from it (%lld):\n    %-22s %-17s %-20s %-20s %s\n", a->moved_count, "DEVICE", "MAC",
		       "TO", "AT", "SERVER");
		for (i = 0; i < a->moved_listed; i++) {
			fputs("    ", stdout);
			pc_cli_text_cell(stdout, a->moved[i].device, 22);
			pc_cli_text_cell(stdout, a->moved[i].mac, 17);
			pc_cli_text_cell(stdout, a->moved[i].to_anchor, 20);
			pc_cli_text_cell(stdout, when(a->moved[i].at, buf), 20);
			pc_cli_text_put(stdout, a->moved[i].server, strlen(a->moved[i].server));
			putchar('\n');
		}
		if (a->moved_count > a->moved_listed) printf("    ... and %lld more (--limit)\n",
							     a->moved_count - a->moved_listed);
	}
}

static void print_text(TALLOC_CTX *ctx, pc_rollover_t const *r)
{
	char buf[PC_TIME_STRLEN], since[PC_TIME_STRLEN];
	unsigned int i;

	printf("rollover at %s: %lld phones seen in the last %u days (since %s), %lld without an anchor\n",
	       when(r->at, buf), r->phones, r->days, when(r->since, since), r->no_anchor);
	for (i = 0; i < r->anchor_count; i++) text_anchor(ctx, r, &r->anchors[i]);

	printf("\nMIC-only phones that never got an LSC (%lld):\n", r->mic_only_count);
	text_phones(ctx, r->mic_only, r->mic_only_listed, r->mic_only_count);

	printf("\nrefused at their latest decision, by reason:\n");
	if (!r->refusal_count) printf("  none\n");
	for (i = 0; i < r->refusal_count; i++) {
		printf("  %6lld  ", r->refusals[i].count);
		pc_cli_text_put(stdout, r->refusals[i].reason, strlen(r->refusals[i].reason));
		printf(" (%lld)\n", r->refusals[i].code);
	}
	if (r->note_count) {
		printf("\nnotes:\n");
		for (i = 0; i < r->note_count; i++) pc_cli_text_field_wrapped(stdout, "note", r->notes[i]);
	}
	if (r->blocking) {
		printf("\n%u retiring anchor%s still %s phones\n", r->blocking, r->blocking == 1 ? "" : "s",
		       r->blocking == 1 ? "has" : "have");
	}
}

static void json_phones(pc_cli_json_t *js, char const *key, pc_rollover_phone_t const *list, unsigned int listed)
{
	unsigned int i;

	pc_cli_json_open(js, key, '[');
	for (i = 0; i < listed; i++) {
		pc_rollover_phone_t const *p = &list[i];

		pc_cli_json_open(js, NULL, '{');
		pc_cli_json_str(js, "device", p->device);
		pc_cli_json_str(js, "mac", p->mac);
		pc_cli_json_str(js, "model", p->model);
		pc_cli_json_str(js, "kind", p->kind);
		pc_cli_json_str(js, "anchor", p->anchor);
		pc_cli_json_str(js, "nas_ip", p->nas_ip);
		pc_cli_json_str(js, "nas_id", p->nas_id);
		pc_cli_json_str(js, "nas_port_id", p->nas_port_id);
		pc_cli_json_time(js, "last_seen", p->last_seen);
		pc_cli_json_str(js, "server", p->server);
		pc_cli_json_bool(js, "accepted", p->accepted);
		pc_cli_json_str(js, "reason", p->reason);
		pc_cli_json_close(js, '}');
	}
	pc_cli_json_close(js, ']');
}

static char const *verdict_name(pc_verdict_t v)
{
	switch (v) {
	case PC_VERDICT_SAFE:		return "safe";
	case PC_VERDICT_BLOCKED:	return "blocked";
	case PC_VERDICT_CLOSED:		return "closed";
	case PC_VERDICT_CLOSED_REFUSED:	return "closed-refused";
	default:			return NULL;
	}
}

static void json_anchor(pc_cli_json_t *js, pc_rollover_t const *r, pc_rollover_anchor_t const *a)
{
	char day[PC_TIME_STRLEN];
	unsigned int i;

	pc_cli_json_open(js, NULL, '{');
	pc_cli_json_str(js, "name", a->name);
	pc_cli_json_str(js, "fingerprint", a->fingerprint);
	pc_cli_json_str(js, "role", a->role);
	pc_cli_json_str(js, "state", a->state);
	pc_cli_json_bool(js, "configured", a->configured);
	pc_cli_json_time(js, "trust_until", a->trust_until);
	if (a->trust_until) {
		pc_cli_json_int(js, "days_left", pc_cli_days_left(a->trust_until, r->at));
	} else {
		pc_cli_json_null(js, "days_left");
	}
	pc_cli_json_open(js, "ledger_names", '[');
	for (i = 0; i < a->ledger_name_count; i++) pc_cli_json_str(js, NULL, a->ledger_names[i]);
	pc_cli_json_close(js, ']');
	pc_cli_json_int(js, "phones", a->phones);
	pc_cli_json_int(js, "accepted", a->accepted);
	pc_cli_json_int(js, "in_ledger", a->ever);
	pc_cli_json_time(js, "last_presented", a->last_presented);
	pc_cli_json_str(js, "verdict", verdict_name(a->verdict));
	pc_cli_json_str(js, "verdict_text", a->verdict_text);
	if (a->verdict != PC_VERDICT_NONE) {
		json_phones(js, "still_on", a->on, a->on_listed);
		pc_cli_json_int(js, "moved_count", a->moved_count);
		pc_cli_json_open(js, "moved", '[');
		for (i = 0; i < a->moved_listed; i++) {
			pc_cli_json_open(js, NULL, '{');
			pc_cli_json_str(js, "device", a->moved[i].device);
			pc_cli_json_str(js, "mac", a->moved[i].mac);
			pc_cli_json_str(js, "model", a->moved[i].model);
			pc_cli_json_str(js, "to_anchor", a->moved[i].to_anchor);
			pc_cli_json_time(js, "at", a->moved[i].at);
			pc_cli_json_str(js, "server", a->moved[i].server);
			pc_cli_json_close(js, '}');
		}
		pc_cli_json_close(js, ']');
		pc_cli_json_open(js, "migration", '[');
		for (i = 0; a->chart_old && i <= r->days; i++) {
			pc_cli_json_open(js, NULL, '{');
			pc_cli_json_strn(js, "day", pc_time_format(pc_rollover_day(r, i), day, sizeof(day)), 10);
			pc_cli_json_int(js, "old", a->chart_old[i]);
			pc_cli_json_int(js, "new", a->chart_new[i]);
			pc_cli_json_close(js, '}');
		}
		pc_cli_json_close(js, ']');
	}
	pc_cli_json_close(js, '}');
}

static void print_json(pc_rollover_t const *r)
{
	pc_cli_json_t js;
	unsigned int i;

	pc_cli_json_init(&js, stdout);
	pc_cli_json_open(&js, NULL, '{');
	pc_cli_json_time(&js, "at", r->at);
	pc_cli_json_int(&js, "days", r->days);
	pc_cli_json_time(&js, "since", r->since);
	pc_cli_json_int(&js, "phones", r->phones);
	pc_cli_json_int(&js, "no_anchor", r->no_anchor);
	pc_cli_json_int(&js, "blocking", r->blocking);
	pc_cli_json_open(&js, "anchors", '[');
	for (i = 0; i < r->anchor_count; i++) json_anchor(&js, r, &r->anchors[i]);
	pc_cli_json_close(&js, ']');
	pc_cli_json_int(&js, "mic_only_count", r->mic_only_count);
	json_phones(&js, "mic_only", r->mic_only, r->mic_only_listed);
	pc_cli_json_open(&js, "refusals", '[');
	for (i = 0; i < r->refusal_count; i++) {
		pc_cli_json_open(&js, NULL, '{');
		pc_cli_json_str(&js, "reason", r->refusals[i].reason);
		pc_cli_json_int(&js, "code", r->refusals[i].code);
		pc_cli_json_int(&js, "count", r->refusals[i].count);
		pc_cli_json_close(&js, '}');
	}
	pc_cli_json_close(&js, ']');
	pc_cli_json_open(&js, "notes", '[');
	for (i = 0; i < r->note_count; i++) pc_cli_json_str(&js, NULL, r->notes[i]);
	pc_cli_json_close(&js, ']');
	pc_cli_json_close(&js, '}');
	pc_cli_json_finish(&js);
}

/** A whole number in [min, max], or false. */
static bool number_option(char const *text, unsigned long min, unsigned long max, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (!text[0] || text[0] == '-' || text[0] == '+') return false;
	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end || v < min || v > max) return false;
	*out = (unsigned int)v;
	return true;
}

static int html_write(pc_rollover_t const *r, char const *path)
{
	FILE *fp = fopen(path, "w");

	if (!fp) {
		pc_cli_error("%s: cannot write the HTML report: %s", path, strerror(errno));
		return -1;
	}
	pc_rollover_html(fp, r);
	if (ferror(fp) | fclose(fp)) {
		pc_cli_error("%s: cannot write the HTML report", path);
		return -1;
	}
	return 0;
}

int pc_cli_rollover(int argc, char **argv)
{
	static struct option const options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "days", required_argument, NULL, 'n' },
		{ "at", required_argument, NULL, 'a' },
		{ "limit", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "html", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char const *db_name = NULL, *config = NULL, *html = NULL;
	unsigned int days = DEFAULT_DAYS, limit = DEFAULT_LIMIT;
	bool json = false;
	time_t at = time(NULL);
	TALLOC_CTX *ctx;
	pc_config_t *cfg = NULL;
	pc_ledger_db_t *db;
	pc_rollover_t *r;
	pc_error_t err = { "" };
	int opt, status;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			db_name = optarg;
			break;

		case 'c':
			config = optarg;
			break;

		case 'n':
			if (!number_option(optarg, 1, PC_ROLLOVER_DAYS_MAX, &days)) {
				return pc_cli_usage_error("rollover", "--days '%s': expected a whole number of days "
							  "from 1 to %d", optarg, PC_ROLLOVER_DAYS_MAX);
			}
			break;

		case 'l':
			if (!number_option(optarg, 0, 1000000, &limit)) {
				return pc_cli_usage_error("rollover", "--limit '%s': expected a whole number from 0 "
							  "to 1000000", optarg);
			}
			break;

		case 'a':
			if (!pc_cli_time_option(optarg, &at)) return PC_CLI_EXIT_ERROR;
			break;

		case 'j':
			json = true;
			break;

		case 'H':
			html = optarg;
			break;

		case 'h':
			fputs(rollover_usage, stdout);
			return PC_CLI_EXIT_OK;

		default:
			return pc_cli_bad_option("rollover", argc, argv, opt);
		}
	}
	if (!db_name) return pc_cli_usage_error("rollover", "--db DB is required (an SQLite file or a postgresql:// URL)");
	if (optind < argc) return pc_cli_usage_error("rollover", "unexpected argument '%s'", argv[optind]);
	if (json && html) return pc_cli_usage_error("rollover", "--json and --html exclude each other");
	if (html && !html[0]) return pc_cli_usage_error("rollover", "--html needs a file name");
	if (limit == 0) limit = UINT_MAX;

	ctx = talloc_new(NULL);
	if (!ctx) return PC_CLI_EXIT_ERROR;
	if (config) {
		cfg = pc_cli_config_load(ctx, config);
		if (!cfg) {
			talloc_free(ctx);
			return PC_CLI_EXIT_ERROR;
		}
	}
	db = pc_ledger_db_open(ctx, db_name, &err);
	r = db ? pc_rollover_read(ctx, db, cfg, at, days, limit, &err) : NULL;
	if (!r) {
		pc_cli_error("%s", err.msg);
		talloc_free(ctx);
		return PC_CLI_EXIT_ERROR;
	}
	status = r->blocking ? PC_CLI_EXIT_REFUSED : PC_CLI_EXIT_OK;
	if (html) {
		if (html_write(r, html) < 0) status = PC_CLI_EXIT_ERROR;
	} else if (json) {
		print_json(r);
	} else {
		print_text(ctx, r);
	}
	talloc_free(ctx);
	return status;
}
