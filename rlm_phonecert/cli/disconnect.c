/**
 * @file disconnect.c
 * @brief "phonecert disconnect": end the sessions of the phones admitted under an anchor.
 *
 * A phone admitted under an anchor that is then disabled, or whose rollover window closes,
 * keeps its switch port until it re-authenticates, which can be hours.  The ledger knows
 * where each phone was last admitted (switch, port, Calling-Station-Id): this sends each
 * switch an RFC 5176 Disconnect-Request, or Cisco's re-authenticate CoA-Request, per phone,
 * signed with the switch's secret from FreeRADIUS's clients configuration.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <phonecert/trust.h>

#include "cli.h"
#include "clients_conf.h"
#include "coa_send.h"
#include "ledger_db.h"
#include "radius_packet.h"

#define DEFAULT_CLIENTS	"/etc/freeradius/3.0/clients.conf"
#define DEFAULT_PORT	3799
#define DEFAULT_TIMEOUT	3.0
#define DEFAULT_RETRIES	2

static char const *const disconnect_usage =
	"usage: phonecert disconnect --db DB --anchor NAME [--config FILE] [--clients FILE]\n"
	"                            [--action disconnect|reauth] [--port N] [--timeout SEC]\n"
	"                            [--retries N] [--dry-run] [--json]\n"
	"\n"
	"End the sessions of the phones the rollover ledger DB says were last admitted under the\n"
	"anchor NAME (once its window has closed or it was disabled), so that they authenticate\n"
	"again at once instead of keeping their port for hours.  Each phone's switch (NAS-IP-Address)\n"
	"gets an RFC 5176 Disconnect-Request, or with --action reauth a Cisco CoA-Request\n"
	"\"subscriber:command=reauthenticate\", naming the session by Calling-Station-Id (with\n"
	"NAS-IP-Address and NAS-Port-Id when known), signed with the switch's secret from FreeRADIUS's\n"
	"clients configuration.\n"
	"\n"
	"Options:\n"
	"  --db DB            the ledger: an SQLite file or a postgresql:// URL\n"
	"  --anchor NAME      the anchor ([anchor NAME] in the module's configuration)\n"
	"  --config FILE      the module's configuration: match phones by the anchor's fingerprint\n"
	"                     (not its name) and refuse a NAME the file does not have\n"
	"  --clients FILE     FreeRADIUS's clients (default " DEFAULT_CLIENTS ")\n"
	"  --action ACTION    disconnect (Disconnect-Request, the default) or reauth (CoA-Request)\n"
	"  --port N           the switches' dynamic authorization port (default 3799)\n"
	"  --timeout SEC      wait this long for an answer before retransmitting (default 3)\n"
	"  --retries N        retransmissions after the first request (default 2)\n"
	"  --dry-run          list what would be sent; send nothing\n"
	"  --json             print a JSON object\n"
	"  --help             this text\n"
	"\n"
	"Exit status: 0 if every switch acknowledged every request (with --dry-run: every phone has\n"
	"a switch with a secret); 1 if any request was refused (NAK), went unanswered, or could not\n"
	"be sent (no secret for its switch, no session identity); 2 on a usage or input error.\n";

/** What became of one phone, in the order the report counts them. */
typedef enum {
	RESULT_ACK = 0,
	RESULT_NAK,
	RESULT_TIMEOUT,
	RESULT_NO_SECRET,	//!< Its switch has no client entry.
	RESULT_NO_SWITCH,	//!< The ledger has no usable NAS-IP-Address.
	RESULT_NO_SESSION,	//!< The ledger has no Calling-Station-Id to name the session by.
	RESULT_ERROR,		//!< The request could not be built or sent.
	RESULT_DRY_RUN,		//!< Would be sent.
	RESULT_COUNT
} result_t;

static char const *const result_names[RESULT_COUNT] = {
	[RESULT_ACK] = "ack",
	[RESULT_NAK] = "nak",
	[RESULT_TIMEOUT] = "timeout",
	[RESULT_NO_SECRET] = "no-secret",
	[RESULT_NO_SWITCH] = "no-switch",
	[RESULT_NO_SESSION] = "no-session",
	[RESULT_ERROR] = "error",
	[RESULT_DRY_RUN] = "would-send",
};

typedef struct {
	char const		*device, *mac, *csid, *nas_ip, *nas_id, *nas_port_id;
	long long		last_seen;
	result_t		result;
	pc_radius_answer_t	answer;		//!< RESULT_ACK, RESULT_NAK.
	unsigned int		sent;
	char const		*why;		//!< RESULT_ERROR.
} phone_t;

typedef struct {
	char const			*nas_ip;
	pc_clients_entry_t const	*client;	//!< NULL: no secret.
	phone_t				**phones;
	unsigned int			count;
	unsigned int			ignored;	//!< Datagrams refused.
	char const			*last_refusal;
	char const			*error;		//!< The exchange could not run at all.
} switch_t;

typedef struct {
	TALLOC_CTX	*ctx;
	char const	*db, *anchor, *config, *clients_path;
	char const	*fingerprint;	//!< With --config.
	bool		reauth, dry_run, json;
	unsigned int	port, timeout_ms, retries;

	phone_t		*phones;
	unsigned int	count;
	switch_t	*switches;
	unsigned int	nswitches;
	unsigned int	totals[RESULT_COUNT];
} run_t;

static int collect_row(void *uctx, unsigned int ncols, char const *const *values)
{
	run_t	*run = uctx;
	phone_t	*grown, *p;

	if (ncols != 7) return -1;
	grown = talloc_realloc(run->ctx, run->phones, phone_t, run->count + 1);
	if (!grown) return -1;
	run->phones = grown;
	p = &grown[run->count++];
	memset(p, 0, sizeof(*p));
	p->device = talloc_strdup(run->ctx, values[0]);
	p->mac = talloc_strdup(run->ctx, values[1]);
	p->csid = talloc_strdup(run->ctx, values[2]);
	p->nas_ip = talloc_strdup(run->ctx, values[3]);
	p->nas_id = talloc_strdup(run->ctx, values[4]);
	p->nas_port_id = talloc_strdup(run->ctx, values[5]);
	p->last_seen = strtoll(values[6], NULL, 10);
	return 0;
}

/** The phones whose latest decision admitted them under the anchor, by switch and port. */
static int load_phones(run_t *run)
{
	static char const by_name[] =
		"SELECT device, mac, calling_station_id, nas_ip, nas_id, nas_port_id, last_seen "
		"FROM phonecert_device WHERE accepted = 1 AND anchor = $1 "
		"ORDER BY nas_ip, nas_port_id, device";
	static char const by_fingerprint[] =
		"SELECT device, mac, calling_station_id, nas_ip, nas_id, nas_port_id, last_seen "
		"FROM phonecert_device WHERE accepted = 1 AND anchor_fp = $1 "
		"ORDER BY nas_ip, nas_port_id, device";
	pc_ledger_db_t	*db;
	pc_error_t	err;
	char const	*param = run->fingerprint ? run->fingerprint : run->anchor;
	int		rc;

	err.msg[0] = '\0';
	db = pc_ledger_db_open(run->ctx, run->db, &err);
	if (!db) {
		pc_cli_error("%s", err.msg);
		return -1;
	}
	rc = pc_ledger_db_query(db, run->fingerprint ? by_fingerprint : by_name, 1, &param, collect_row, run, &err);
	if (rc != 0) {
		pc_cli_error("%s", rc < 0 ? err.msg : "out of memory reading the ledger");
		talloc_free(db);
		return -1;
	}
	talloc_free(db);
	return 0;
}

/** Group the phones (already sorted by nas_ip) by switch and find each switch's client. */
static int group_switches(run_t *run, pc_clients_t const *clients)
{
	unsigned int i;

	for (i = 0; i < run->count; i++) {
		phone_t *p = &run->phones[i];
		switch_t *sw;

		if (!run->nswitches || strcmp(run->switches[run->nswitches - 1].nas_ip, p->nas_ip) != 0) {
			switch_t *grown = talloc_realloc(run->ctx, run->switches, switch_t, run->nswitches + 1);

			if (!grown) return -1;
			run->switches = grown;
			sw = &grown[run->nswitches++];
			memset(sw, 0, sizeof(*sw));
			sw->nas_ip = p->nas_ip;
			sw->client = p->nas_ip[0] ? pc_clients_find(clients, p->nas_ip) : NULL;
		}
		sw = &run->switches[run->nswitches - 1];
		sw->phones = talloc_realloc(run->ctx, sw->phones, phone_t *, sw->count + 1);
		if (!sw->phones) return -1;
		sw->phones[sw->count++] = p;
	}
	return 0;
}

/** Whether text is an address this command can send to. */
static bool is_address(char const *text)
{
	uint8_t buf[16];

	return inet_pton(AF_INET, text, buf) == 1 || inet_pton(AF_INET6, text, buf) == 1;
}

/** Build and sign one phone's request. */
static int build_request(run_t const *run, phone_t const *p, switch_t const *sw, uint8_t id,
			 pc_radius_request_t *req, pc_error_t *err)
{
	static char const reauth[] = "subscriber:command=reauthenticate";
	uint8_t ip4[4];

	pc_radius_request_init(req, run->reauth ? PC_RADIUS_COA_REQUEST : PC_RADIUS_DISCONNECT_REQUEST, id);
	if (pc_radius_request_add_string(req, PC_RADIUS_CALLING_STATION_ID, p->csid, err) < 0) return -1;
	/* NAS-IP-Address is IPv4 only (an IPv6 switch is identified by its address alone). */
	if (inet_pton(AF_INET, sw->nas_ip, ip4) == 1 &&
	    pc_radius_request_add(req, PC_RADIUS_NAS_IP_ADDRESS, ip4, sizeof(ip4), err) < 0) return -1;
	if (p->nas_port_id[0] && pc_radius_request_add_string(req, PC_RADIUS_NAS_PORT_ID, p->nas_port_id, err) < 0) {
		return -1;
	}
	if (run->reauth && pc_radius_request_add_vsa(req, PC_RADIUS_VENDOR_CISCO, PC_RADIUS_CISCO_AVPAIR,
						     reauth, sizeof(reauth) - 1, err) < 0) return -1;
	/* RFC 5176 section 3.4: lets the switch refuse a replayed request. */
	if (pc_radius_request_add_uint32(req, PC_RADIUS_EVENT_TIMESTAMP, (uint32_t)time(NULL), err) < 0) return -1;
	return pc_radius_request_sign(req, sw->client->secret, sw->client->secret_len, err);
}

/** Send one switch's requests (in batches of one RADIUS identifier space). */
static void run_switch(run_t *run, switch_t *sw)
{
	pc_coa_exchange_t	*xs;
	phone_t			*batch[PC_COA_MAX_INFLIGHT];
	unsigned int		i, n, done = 0;

	for (i = 0; i < sw->count; i++) {
		phone_t *p = sw->phones[i];

		if (!sw->nas_ip[0] || !is_address(sw->nas_ip)) p->result = RESULT_NO_SWITCH;
		else if (!sw->client) p->result = RESULT_NO_SECRET;
		else if (!p->csid[0]) p->result = RESULT_NO_SESSION;
		else p->result = run->dry_run ? RESULT_DRY_RUN : RESULT_TIMEOUT;
	}
	if (run->dry_run || !sw->client || !is_address(sw->nas_ip)) return;

	xs = talloc_zero_array(run->ctx, pc_coa_exchange_t, PC_COA_MAX_INFLIGHT);
	if (!xs) {
		sw->error = "out of memory";
		return;
	}
	while (done < sw->count) {
		pc_coa_target_t	target = {
			.addr = sw->nas_ip, .port = (uint16_t)run->port,
			.secret = sw->client->secret, .secret_len = sw->client->secret_len,
			.timeout_ms = run->timeout_ms, .retries = run->retries,
		};
		pc_error_t	err, refusal;
		unsigned int	ignored = 0;

		n = 0;
		refusal.msg[0] = '\0';
		for (; done < sw->count && n < PC_COA_MAX_INFLIGHT; done++) {
			phone_t *p = sw->phones[done];

			if (p->result != RESULT_TIMEOUT) continue;
			err.msg[0] = '\0';
			if (build_request(run, p, sw, (uint8_t)n, &xs[n].req, &err) < 0) {
				p->result = RESULT_ERROR;
				p->why = talloc_strdup(run->ctx, err.msg);
				continue;
			}
			batch[n++] = p;
		}
		if (!n) continue;
		if (pc_coa_send(&target, xs, n, &ignored, &refusal, &err) < 0) {
			sw->error = talloc_strdup(run->ctx, err.msg);
			for (i = 0; i < n; i++) batch[i]->result = RESULT_ERROR;
			continue;
		}
		sw->ignored += ignored;
		if (refusal.msg[0]) sw->last_refusal = talloc_strdup(run->ctx, refusal.msg);
		for (i = 0; i < n; i++) {
			batch[i]->sent = xs[i].sent;
			if (xs[i].state != PC_COA_ANSWERED) continue;
			batch[i]->answer = xs[i].answer;
			batch[i]->result = xs[i].answer.ack ? RESULT_ACK : RESULT_NAK;
		}
	}
	talloc_free(xs);
}

/** "503 Session-Context-Not-Found", or "" without an Error-Cause. */
static char const *error_cause_text(TALLOC_CTX *ctx, pc_radius_answer_t const *answer)
{
	char const *name;

	if (!answer->has_error_cause) return "";
	name = pc_radius_error_cause_name(answer->error_cause);
	return talloc_asprintf(ctx, "%u %s", answer->error_cause, name ? name : "(unknown)");
}

static void put(char const *text)
{
	pc_cli_text_put(stdout, text, strlen(text));
}

static void print_text(run_t const *run)
{
	unsigned int i, j;

	printf("anchor %s", run->anchor);
	if (run->fingerprint) printf(" (SHA-256 %s)", run->fingerprint);
	printf(": %u phone%s admitted on %u switch%s; %s%s\n", run->count, run->count == 1 ? "" : "s",
	       run->nswitches, run->nswitches == 1 ? "" : "es",
	       run->reauth ? "CoA-Request reauthenticate" : "Disconnect-Request",
	       run->dry_run ? " (dry run: nothing sent)" : "");
	for (i = 0; i < run->nswitches; i++) {
		switch_t const *sw = &run->switches[i];

		printf("\nswitch ");
		put(sw->nas_ip[0] ? sw->nas_ip : "(none)");
		if (sw->client) {
			printf(" (client ");
			put(sw->client->name);
			printf(", ");
			put(sw->client->file);
			printf(":%u)", sw->client->line);
		} else if (sw->nas_ip[0] && is_address(sw->nas_ip)) {
			printf(" (no client in ");
			put(run->clients_path);
			printf(": no secret, nothing sent)");
		} else {
			printf(" (not an address the ledger can send to)");
		}
		putchar('\n');
		if (sw->error) {
			printf("  error: ");
			put(sw->error);
			putchar('\n');
		}
		if (sw->ignored) {
			printf("  ignored %u datagram%s (last: ", sw->ignored, sw->ignored == 1 ? "" : "s");
			put(sw->last_refusal ? sw->last_refusal : "?");
			printf(")\n");
		}
		for (j = 0; j < sw->count; j++) {
			phone_t const *p = sw->phones[j];

			printf("  %-18s ", result_names[p->result]);
			put(p->device);
			printf("  Calling-Station-Id ");
			put(p->csid[0] ? p->csid : "-");
			printf("  NAS-Port-Id ");
			put(p->nas_port_id[0] ? p->nas_port_id : "-");
			if (p->result == RESULT_NAK || p->result == RESULT_ACK) {
				char const *cause = error_cause_text(run->ctx, &p->answer);

				printf("  %s", pc_radius_code_name(p->answer.code));
				if (cause[0]) printf(" Error-Cause %s", cause);
			}
			if (p->result == RESULT_TIMEOUT) printf("  no answer after %u tries", p->sent);
			if (p->result == RESULT_ERROR && p->why) {
				printf("  ");
				put(p->why);
			}
			putchar('\n');
		}
	}
	printf("\n%u acknowledged, %u refused (NAK), %u timed out, %u without a secret, %u not sendable\n",
	       run->totals[RESULT_ACK], run->totals[RESULT_NAK], run->totals[RESULT_TIMEOUT],
	       run->totals[RESULT_NO_SECRET],
	       run->totals[RESULT_NO_SWITCH] + run->totals[RESULT_NO_SESSION] + run->totals[RESULT_ERROR]);
	if (run->dry_run) printf("%u would be sent\n", run->totals[RESULT_DRY_RUN]);
}

static void print_json(run_t const *run)
{
	pc_cli_json_t	js;
	unsigned int	i, j, r;

	pc_cli_json_init(&js, stdout);
	pc_cli_json_open(&js, NULL, '{');
	pc_cli_json_str(&js, "anchor", run->anchor);
	pc_cli_json_str(&js, "anchor_fingerprint", run->fingerprint);
	pc_cli_json_str(&js, "action", run->reauth ? "reauth" : "disconnect");
	pc_cli_json_bool(&js, "dry_run", run->dry_run);
	pc_cli_json_int(&js, "port", run->port);
	pc_cli_json_str(&js, "clients", run->clients_path);
	pc_cli_json_open(&js, "switches", '[');
	for (i = 0; i < run->nswitches; i++) {
		switch_t const *sw = &run->switches[i];

		pc_cli_json_open(&js, NULL, '{');
		pc_cli_json_str(&js, "nas_ip", sw->nas_ip);
		pc_cli_json_str(&js, "client", sw->client ? sw->client->name : NULL);
		pc_cli_json_str(&js, "error", sw->error);
		pc_cli_json_int(&js, "ignored", sw->ignored);
		pc_cli_json_open(&js, "phones", '[');
		for (j = 0; j < sw->count; j++) {
			phone_t const *p = sw->phones[j];
			bool answered = p->result == RESULT_ACK || p->result == RESULT_NAK;

			pc_cli_json_open(&js, NULL, '{');
			pc_cli_json_str(&js, "device", p->device);
			pc_cli_json_str(&js, "mac", p->mac);
			pc_cli_json_str(&js, "calling_station_id", p->csid);
			pc_cli_json_str(&js, "nas_id", p->nas_id);
			pc_cli_json_str(&js, "nas_port_id", p->nas_port_id);
			pc_cli_json_time(&js, "last_seen", (time_t)p->last_seen);
			pc_cli_json_str(&js, "result", result_names[p->result]);
			pc_cli_json_str(&js, "answer", answered ? pc_radius_code_name(p->answer.code) : NULL);
			if (answered && p->answer.has_error_cause) {
				pc_cli_json_int(&js, "error_cause", p->answer.error_cause);
				pc_cli_json_str(&js, "error_cause_name", pc_radius_error_cause_name(p->answer.error_cause));
			} else {
				pc_cli_json_null(&js, "error_cause");
				pc_cli_json_null(&js, "error_cause_name");
			}
			pc_cli_json_bool(&js, "message_authenticator", answered && p->answer.has_msg_auth);
			pc_cli_json_int(&js, "sent", p->sent);
			pc_cli_json_str(&js, "error", p->why);
			pc_cli_json_close(&js, '}');
		}
		pc_cli_json_close(&js, ']');
		pc_cli_json_close(&js, '}');
	}
	pc_cli_json_close(&js, ']');
	pc_cli_json_open(&js, "summary", '{');
	pc_cli_json_int(&js, "phones", run->count);
	for (r = 0; r < RESULT_COUNT; r++) pc_cli_json_int(&js, result_names[r], run->totals[r]);
	pc_cli_json_close(&js, '}');
	pc_cli_json_close(&js, '}');
	pc_cli_json_finish(&js);
}

/** Parse an unsigned number in [min, max] for option name. */
static bool parse_uint(char const *name, char const *text, unsigned long min, unsigned long max, unsigned int *out)
{
	char		*end;
	unsigned long	v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || v < min || v > max) {
		pc_cli_usage_error("disconnect", "%s '%s': expected a whole number from %lu to %lu", name, text, min, max);
		return false;
	}
	*out = (unsigned int)v;
	return true;
}

/** With --config: the anchor's fingerprint, or NULL after printing why. */
static char const *anchor_fingerprint(run_t *run)
{
	pc_config_t const	*cfg = pc_cli_config_load(run->ctx, run->config);
	unsigned int		i, count;
	char			*known = NULL;

	if (!cfg) return NULL;
	count = pc_trust_count(cfg->trust);
	for (i = 0; i < count; i++) {
		pc_anchor_t const *a = pc_trust_anchor(cfg->trust, i);

		if (strcmp(a->name, run->anchor) == 0) return talloc_strdup(run->ctx, a->fingerprint);
		known = talloc_asprintf(run->ctx, "%s%s%s", known ? known : "", known ? ", " : "", a->name);
	}
	pc_cli_error("%s: no anchor named '%s' (anchors: %s)", run->config, run->anchor, known ? known : "none");
	return NULL;
}

int pc_cli_disconnect(int argc, char **argv)
{
	static struct option const options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "anchor", required_argument, NULL, 'a' },
		{ "config", required_argument, NULL, 'c' },
		{ "clients", required_argument, NULL, 'C' },
		{ "action", required_argument, NULL, 'A' },
		{ "port", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, 'r' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	run_t		run;
	pc_clients_t	*clients = NULL;
	pc_error_t	err;
	double		timeout = DEFAULT_TIMEOUT;
	char		*end;
	unsigned int	i, j;
	int		opt, status;

	memset(&run, 0, sizeof(run));
	run.clients_path = DEFAULT_CLIENTS;
	run.port = DEFAULT_PORT;
	run.retries = DEFAULT_RETRIES;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'd': run.db = optarg; break;
		case 'a': run.anchor = optarg; break;
		case 'c': run.config = optarg; break;
		case 'C': run.clients_path = optarg; break;
		case 'n': run.dry_run = true; break;
		case 'j': run.json = true; break;

		case 'A':
			if (strcmp(optarg, "disconnect") == 0) run.reauth = false;
			else if (strcmp(optarg, "reauth") == 0) run.reauth = true;
			else return pc_cli_usage_error("disconnect", "--action '%s': expected disconnect or reauth", optarg);
			break;

		case 'p':
			if (!parse_uint("--port", optarg, 1, 65535, &run.port)) return PC_CLI_EXIT_ERROR;
			break;

		case 'r':
			if (!parse_uint("--retries", optarg, 0, 10, &run.retries)) return PC_CLI_EXIT_ERROR;
			break;

		case 't':
			errno = 0;
			timeout = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(timeout >= 0.1 && timeout <= 300)) {
				return pc_cli_usage_error("disconnect", "--timeout '%s': expected seconds from 0.1 to 300",
							  optarg);
			}
			break;

		case 'h':
			fputs(disconnect_usage, stdout);
			return PC_CLI_EXIT_OK;

		default:
			return pc_cli_bad_option("disconnect", argc, argv, opt);
		}
	}
	if (optind < argc) return pc_cli_usage_error("disconnect", "unexpected argument '%s'", argv[optind]);
	if (!run.db) return pc_cli_usage_error("disconnect", "--db DB is required");
	if (!run.anchor || !run.anchor[0]) return pc_cli_usage_error("disconnect", "--anchor NAME is required");
	run.timeout_ms = (unsigned int)(timeout * 1000.0 + 0.5);

	run.ctx = talloc_new(NULL);
	if (!run.ctx) return PC_CLI_EXIT_ERROR;
	status = PC_CLI_EXIT_ERROR;

	if (run.config && !(run.fingerprint = anchor_fingerprint(&run))) goto done;
	err.msg[0] = '\0';
	if (pc_clients_load(run.ctx, run.clients_path, &clients, &err) < 0) {
		pc_cli_error("%s", err.msg);
		goto done;
	}
	if (load_phones(&run) < 0) goto done;
	if (group_switches(&run, clients) < 0) {
		pc_cli_error("out of memory");
		goto done;
	}

	for (i = 0; i < run.nswitches; i++) {
		run_switch(&run, &run.switches[i]);
		for (j = 0; j < run.switches[i].count; j++) run.totals[run.switches[i].phones[j]->result]++;
	}
	if (run.json) print_json(&run);
	else print_text(&run);

	status = run.totals[run.dry_run ? RESULT_DRY_RUN : RESULT_ACK] == run.count ? PC_CLI_EXIT_OK : PC_CLI_EXIT_REFUSED;
done:
	talloc_free(run.ctx);
	return status;
}
