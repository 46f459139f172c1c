/**
 * @file phones.c
 * @brief "phonecert phones": from the ledger, what each phone presented, when, where, and the
 *	  decision; with --device also its history (first sighting, every change of anchor or kind).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <phonecert/device.h>
#include <phonecert/hex.h>
#include <phonecert/reason.h>
#include <phonecert/timeval.h>

#include "cli.h"
#include "ledger_db.h"

static char const *const phones_usage =
	"usage: phonecert phones --db DB [--device NAME | --mac MAC | --anchor NAME | --reason R] [--json]\n"
	"\n"
	"List the phones of the rollover ledger DB (an SQLite file, or a postgresql:// URL): the\n"
	"certificate each presented last (kind, anchor, serial), when (first and last seen, how often),\n"
	"where (switch, port, Calling-Station-Id, RADIUS server) and the decision.\n"
	"\n"
	"Options (one filter at most; without one, every device):\n"
	"  --db DB          the ledger\n"
	"  --device NAME    one device (SEP001122334455, or csid:<Calling-Station-Id>), with its history\n"
	"  --mac MAC        the device with this MAC (00:11:22:33:44:55, 00-11-22-33-44-55,\n"
	"                   0011.2233.4455 or 001122334455), from its certificate or Calling-Station-Id\n"
	"  --anchor NAME    the devices whose anchor has this name in the ledger (or this SHA-256\n"
	"                   fingerprint, 64 hex digits)\n"
	"  --reason R       the devices whose latest decision has reason R (see phonecert reasons)\n"
	"  --json           print a JSON object {\"phones\": [...]} instead of text\n"
	"  --help           this text\n"
	"\n"
	"Exit status: 0 devices listed, 1 no device matched, 2 usage or ledger error.\n";

#define DEVICE_COLUMNS \
	"device, mac, model, kind, anchor, anchor_fp, anchor_state, reason, reason_code, accepted, cert_serial," \
	" cert_not_after, nas_ip, nas_id, nas_port_id, calling_station_id, server, first_seen, last_seen, count"
#define DEVICE_NCOLS 20

/** The JSON member names of DEVICE_COLUMNS, in order. */
static char const *const device_names[DEVICE_NCOLS] = {
	"device", "mac", "model", "kind", "anchor", "anchor_fp", "anchor_state", "reason", "reason_code",
	"accepted", "cert_serial", "cert_not_after", "nas_ip", "nas_id", "nas_port_id", "calling_station_id",
	"server", "first_seen", "last_seen", "count"
};

enum { C_DEVICE, C_MAC, C_MODEL, C_KIND, C_ANCHOR, C_ANCHOR_FP, C_STATE, C_REASON, C_CODE, C_ACCEPTED,
       C_SERIAL, C_NOT_AFTER, C_NAS_IP, C_NAS_ID, C_PORT, C_CSID, C_SERVER, C_FIRST, C_LAST, C_COUNT };

typedef struct {
	bool		json;
	bool		block;		//!< One block per device (--device) rather than a table row.
	pc_cli_json_t	js;
	unsigned long	count;
} list_t;

static bool is_time_column(unsigned int c)
{
	return c == C_NOT_AFTER || c == C_FIRST || c == C_LAST;
}

static bool is_number_column(unsigned int c)
{
	return c == C_CODE || c == C_COUNT;
}

static char const *when(char const *seconds, char *buf)
{
	long long t = strtoll(seconds, NULL, 10);

	return t ? pc_time_format((time_t)t, buf, PC_TIME_STRLEN) : "-";
}

static int device_row(void *uctx, unsigned int ncols, char const *const *v)
{
	list_t *l = uctx;
	char buf[PC_TIME_STRLEN];
	unsigned int c;

	if (ncols != DEVICE_NCOLS) return 1;
	l->count++;
	if (l->json) {
		pc_cli_json_open(&l->js, NULL, '{');
		for (c = 0; c < DEVICE_NCOLS; c++) {
			if (c == C_ACCEPTED) {
				pc_cli_json_bool(&l->js, device_names[c], strcmp(v[c], "1") == 0);
			} else if (is_time_column(c)) {
				pc_cli_json_time(&l->js, device_names[c], (time_t)strtoll(v[c], NULL, 10));
			} else if (is_number_column(c)) {
				pc_cli_json_int(&l->js, device_names[c], strtoll(v[c], NULL, 10));
			} else {
				pc_cli_json_str(&l->js, device_names[c], v[c]);
			}
		}
		/* With --device the caller adds the history, then closes the object. */
		if (!l->block) pc_cli_json_close(&l->js, '}');
		return 0;
	}
	if (l->block) {
		pc_cli_text_put(stdout, v[C_DEVICE], strlen(v[C_DEVICE]));
		printf(": %s\n", strcmp(v[C_ACCEPTED], "1") == 0 ? "admitted" : "refused");
		pc_cli_text_fieldf(stdout, "decision", "%s (%s)", v[C_REASON], v[C_CODE]);
		pc_cli_text_field(stdout, "kind", v[C_KIND]);
		pc_cli_text_field(stdout, "anchor", v[C_ANCHOR]);
		pc_cli_text_field(stdout, "anchor SHA-256", v[C_ANCHOR_FP]);
		pc_cli_text_field(stdout, "anchor state", v[C_STATE]);
		pc_cli_text_field(stdout, "MAC", v[C_MAC]);
		pc_cli_text_field(stdout, "model", v[C_MODEL]);
		pc_cli_text_field(stdout, "cert serial", v[C_SERIAL]);
		pc_cli_text_field(stdout, "cert not after", when(v[C_NOT_AFTER], buf));
		pc_cli_text_field(stdout, "switch", v[C_NAS_IP]);
		pc_cli_text_field(stdout, "NAS-Identifier", v[C_NAS_ID]);
		pc_cli_text_field(stdout, "port", v[C_PORT]);
		pc_cli_text_field(stdout, "calling station", v[C_CSID]);
		pc_cli_text_field(stdout, "server", v[C_SERVER]);
		pc_cli_text_field(stdout, "first seen", when(v[C_FIRST], buf));
		pc_cli_text_field(stdout, "last seen", when(v[C_LAST], buf));
		pc_cli_text_field(stdout, "count", v[C_COUNT]);
		return 0;
	}
	pc_cli_text_cell(stdout, v[C_DEVICE], 22);
	pc_cli_text_cell(stdout, v[C_MAC], 17);
	pc_cli_text_cell(stdout, v[C_MODEL], 10);
	pc_cli_text_cell(stdout, v[C_KIND], 4);
	pc_cli_text_cell(stdout, v[C_ANCHOR], 16);
	pc_cli_text_cell(stdout, v[C_NAS_IP], 15);
	pc_cli_text_cell(stdout, v[C_PORT], 14);
	pc_cli_text_cell(stdout, when(v[C_LAST], buf), 20);
	pc_cli_text_cell(stdout, strcmp(v[C_ACCEPTED], "1") == 0 ? "admitted" : "refused", 8);
	pc_cli_text_put(stdout, v[C_REASON], strlen(v[C_REASON]));
	putchar('\n');
	return 0;
}

static int history_row(void *uctx, unsigned int ncols, char const *const *v)
{
	list_t *l = uctx;
	char buf[PC_TIME_STRLEN];

	if (ncols != 7) return 1;
	if (l->json) {
		pc_cli_json_open(&l->js, NULL, '{');
		pc_cli_json_time(&l->js, "at", (time_t)strtoll(v[0], NULL, 10));
		pc_cli_json_str(&l->js, "server", v[1]);
		pc_cli_json_str(&l->js, "old_kind", v[2]);
		pc_cli_json_str(&l->js, "new_kind", v[3]);
		pc_cli_json_str(&l->js, "old_anchor", v[4]);
		pc_cli_json_str(&l->js, "new_anchor", v[5]);
		pc_cli_json_str(&l->js, "reason", v[6]);
		pc_cli_json_close(&l->js, '}');
		return 0;
	}
	printf("    %s  ", when(v[0], buf));
	if (!v[2][0] && !v[4][0]) {
		fputs("first seen: ", stdout);
	} else {
		pc_cli_text_cell(stdout, v[2], 0);
		pc_cli_text_put(stdout, v[4], strlen(v[4]));
		fputs(" -> ", stdout);
	}
	pc_cli_text_cell(stdout, v[3], 0);
	pc_cli_text_cell(stdout, v[5], 0);
	fputs("(", stdout);
	pc_cli_text_put(stdout, v[6], strlen(v[6]));
	fputs(", ", stdout);
	pc_cli_text_put(stdout, v[1], strlen(v[1]));
	fputs(")\n", stdout);
	return 0;
}

int pc_cli_phones(int argc, char **argv)
{
	static struct option const options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "device", required_argument, NULL, 'D' },
		{ "mac", required_argument, NULL, 'm' },
		{ "anchor", required_argument, NULL, 'a' },
		{ "reason", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char const *db_name = NULL, *filter = NULL, *value = NULL;
	char mac[13], fp[PC_SHA256_HEX];
	char const *params[2];
	unsigned int nparams = 0, filters = 0;
	char const *where = "";
	int by = 0;	/* the filter's option letter */
	list_t l = { 0 };
	pc_error_t err = { "" };
	TALLOC_CTX *ctx;
	pc_ledger_db_t *db;
	pc_reason_t reason;
	char *sql;
	int opt, rc;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			db_name = optarg;
			break;

		case 'D':
		case 'm':
		case 'a':
		case 'r':
			filter = argv[optind - 1];
			value = optarg;
			filters++;
			by = opt;
			l.block = opt == 'D';
			break;

		case 'j':
			l.json = true;
			break;

		case 'h':
			fputs(phones_usage, stdout);
			return PC_CLI_EXIT_OK;

		default:
			return pc_cli_bad_option("phones", argc, argv, opt);
		}
	}
	if (!db_name) return pc_cli_usage_error("phones", "--db DB is required (an SQLite file or a postgresql:// URL)");
	if (optind < argc) return pc_cli_usage_error("phones", "unexpected argument '%s'", argv[optind]);
	if (filters > 1) return pc_cli_usage_error("phones", "give one of --device, --mac, --anchor, --reason");

	if (value && !value[0]) return pc_cli_usage_error("phones", "%s needs a value", filter);
	params[0] = value;
	nparams = value ? 1 : 0;
	switch (by) {
	case 'D':
		where = " WHERE device = $1";
		break;

	case 'm':
		/* The certificate's MAC (the module writes it as 00:1E:7A:..) or the switch's
		 * Calling-Station-Id, in whatever spelling either was stored. */
		if (!pc_mac_normalise(value, mac)) {
			return pc_cli_usage_error("phones", "--mac '%s': expected 12 hex digits "
						  "(00:11:22:33:44:55, 0011.2233.4455...)", value);
		}
		where = " WHERE upper(replace(mac, ':', '')) = $1 OR upper(replace(replace(replace("
			"calling_station_id, ':', ''), '-', ''), '.', '')) = $1";
		params[0] = mac;
		break;

	case 'a':
		/* A fingerprint in any case, with or without colons, compares as the ledger stores it;
		 * anything else compares as given (never as a prefix, never as the empty anchor). */
		where = " WHERE anchor = $1 OR anchor_fp = $2";
		params[1] = pc_fingerprint_parse(value, fp) ? fp : value;
		nparams = 2;
		break;

	case 'r':
		if (!pc_reason_from_name(value, &reason)) {
			return pc_cli_usage_error("phones", "--reason '%s': not a reason name (see phonecert reasons)",
						  value);
		}
		where = " WHERE reason = $1";
		break;
	}

	ctx = talloc_new(NULL);
	if (!ctx) return PC_CLI_EXIT_ERROR;
	db = pc_ledger_db_open(ctx, db_name, &err);
	if (!db) {
		pc_cli_error("%s", err.msg);
		talloc_free(ctx);
		return PC_CLI_EXIT_ERROR;
	}
	sql = talloc_asprintf(ctx, "SELECT " DEVICE_COLUMNS " FROM phonecert_device%s ORDER BY device", where);
	if (!sql) {
		talloc_free(ctx);
		return PC_CLI_EXIT_ERROR;
	}

	if (l.json) {
		pc_cli_json_init(&l.js, stdout);
		pc_cli_json_open(&l.js, NULL, '{');
		pc_cli_json_open(&l.js, "phones", '[');
	} else if (!l.block) {
		printf("%-22s %-17s %-10s %-4s %-16s %-15s %-14s %-20s %-8s %s\n", "DEVICE", "MAC", "MODEL", "KIND",
		       "ANCHOR", "SWITCH", "PORT", "LAST SEEN", "DECISION", "REASON");
	}
	rc = pc_ledger_db_query(db, sql, nparams, params, device_row, &l, &err);
	if (rc == 0 && l.block && l.count == 1) {
		static char const history_sql[] =
			"SELECT at, server, old_kind, new_kind, old_anchor, new_anchor, reason FROM phonecert_history"
			" WHERE device = $1 ORDER BY at, id";

		if (l.json) {
			pc_cli_json_open(&l.js, "history", '[');
		} else {
			printf("  history:\n");
		}
		rc = pc_ledger_db_query(db, history_sql, 1, params, history_row, &l, &err);
		if (l.json) {
			pc_cli_json_close(&l.js, ']');
			pc_cli_json_close(&l.js, '}');
		}
	}
	if (rc != 0) {
		pc_cli_error("%s", err.msg[0] ? err.msg : "the ledger has rows this phonecert cannot read");
		talloc_free(ctx);
		return PC_CLI_EXIT_ERROR;
	}
	if (l.json) {
		pc_cli_json_close(&l.js, ']');
		pc_cli_json_close(&l.js, '}');
		pc_cli_json_finish(&l.js);
	} else if (!l.count) {
		printf("no device in the ledger matched\n");
	}
	talloc_free(ctx);
	return l.count ? PC_CLI_EXIT_OK : PC_CLI_EXIT_REFUSED;
}
