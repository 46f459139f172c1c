/**
 * @file status.c
 * @brief "phonecert status": is the configuration on disk the one radiusd has in force?
 *
 * FreeRADIUS ignores `radmin -e "hup phonecert"` within 2 s of the previous reload without
 * a word, so "I reloaded" does not mean "the rollover window is closed".  The module records
 * the digest of what it loaded in ca_path after each successful start and reload; this
 * compares it with the digest of the file on disk, computed by the same core call.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <string.h>

#include <phonecert/loaded.h>
#include <phonecert/timeval.h>

#include "cli.h"

/** Hex digits of the digest shown in the one-line verdict (the fields show all of it). */
#define DIGEST_SHORT 16

static char const *const status_usage =
	"usage: phonecert status --config FILE [--ca-path DIR] [--json]\n"
	"\n"
	"Say whether the module's configuration FILE, with the anchor certificates it names, is\n"
	"the configuration radiusd has in force.  After each successful start and reload the module\n"
	"records what it loaded in DIR/.phonecert-loaded; this compares that record with FILE.\n"
	"FreeRADIUS ignores a reload within 2 seconds of the previous one without saying so: run\n"
	"this after radmin -e \"hup phonecert\" to see whether the reload took.\n"
	"\n"
	"Options:\n"
	"  --config FILE    the module's configuration (raddb/phonecert/phonecert.conf)\n"
	"  --ca-path DIR    the module's ca_path (default: the directory ca.d beside FILE)\n"
	"  --json           print a JSON object (disk_digest is FILE's digest)\n"
	"  --help           this text\n"
	"\n"
	"Exit status: 0 if FILE is in force; 1 if it is not (not reloaded yet, radiusd gone, or\n"
	"no record); 2 on a usage error, a configuration that does not load or a corrupt record.\n";

typedef enum {
	STATUS_IN_FORCE = 0,
	STATUS_NOT_LOADED,	//!< radiusd runs with another configuration.
	STATUS_STALE,		//!< The radiusd that wrote the record is gone.
	STATUS_NO_RECORD	//!< radiusd never loaded phonecert with this ca_path.
} status_state_t;

static char const *const state_names[] = {
	[STATUS_IN_FORCE] = "in-force",
	[STATUS_NOT_LOADED] = "not-loaded",
	[STATUS_STALE] = "stale",
	[STATUS_NO_RECORD] = "no-record",
};

typedef struct {
	char const	*config;
	char const	*ca_path;
	char const	*record;		//!< ca_path/.phonecert-loaded
	char		digest[PC_CONFIG_DIGEST_SIZE];	//!< FILE's, as it is on disk now.
	pc_loaded_t	loaded;			//!< Valid unless state is STATUS_NO_RECORD.
	bool		matches;		//!< loaded.digest is FILE's digest.
	bool		alive;			//!< loaded.pid is a running process.
	status_state_t	state;
	char		*message;		//!< The verdict, one line.
} status_t;

/** ca.d in FILE's directory, where the shipped module configuration puts ca_path. */
static char *default_ca_path(TALLOC_CTX *ctx, char const *config)
{
	char const *slash = strrchr(config, '/');

	if (!slash) return talloc_strdup(ctx, "ca.d");
	return talloc_asprintf(ctx, "%.*s/ca.d", (int)(slash - config), config);
}

/** Whether pid runs; EPERM means it does, as another user's process (radiusd as freerad). */
static bool pid_alive(long pid)
{
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

static char *verdict(TALLOC_CTX *ctx, status_t const *st)
{
	pc_loaded_t const *rec = &st->loaded;
	char when[PC_TIME_STRLEN];

	pc_time_format(rec->loaded_at, when, sizeof(when));
	switch (st->state) {
	case STATUS_IN_FORCE:
		return talloc_asprintf(ctx, "in force: generation %lu loaded %s by radiusd pid %ld (digest %.*s)",
				       rec->generation, when, rec->pid, DIGEST_SHORT, rec->digest);

	case STATUS_NOT_LOADED:
		return talloc_asprintf(ctx, "NOT loaded yet: %s differs from what radiusd loaded at %s (generation "
				       "%lu); reload with radmin -e \"hup phonecert\", wait 3 seconds after the "
				       "previous reload, then run phonecert status again", st->config, when,
				       rec->generation);

	case STATUS_STALE:
		return talloc_asprintf(ctx, "NOT loaded: the record is stale: radiusd pid %ld, which loaded %s "
				       "(generation %lu) at %s, is not running; start radiusd, then run phonecert "
				       "status again", rec->pid, st->matches ? "this configuration" : "another "
				       "configuration", rec->generation, when);

	case STATUS_NO_RECORD:
		break;
	}
	return talloc_asprintf(ctx, "NOT loaded: radiusd has not loaded phonecert with ca_path %s (no %s); "
			       "check the module's ca_path (--ca-path), then start radiusd or reload it with "
			       "radmin -e \"hup phonecert\"", st->ca_path, st->record);
}

/** Read the record and decide; prints the error itself.  @return 0, or -1 (exit 2). */
static int status_run(TALLOC_CTX *ctx, status_t *st)
{
	pc_error_t err;
	int rcode;

	err.msg[0] = '\0';
	rcode = pc_loaded_read(st->record, &st->loaded, &err);
	if (rcode < 0) {
		pc_cli_error("%s", err.msg[0] ? err.msg : "cannot read the loaded-state record");
		return -1;
	}
	if (rcode == PC_LOADED_NONE) {
		st->state = STATUS_NO_RECORD;
	} else {
		st->matches = strcmp(st->loaded.digest, st->digest) == 0;
		st->alive = pid_alive(st->loaded.pid);
		if (!st->alive) {
			st->state = STATUS_STALE;
		} else {
			st->state = st->matches ? STATUS_IN_FORCE : STATUS_NOT_LOADED;
		}
	}
	st->message = verdict(ctx, st);
	if (!st->message) {
		pc_cli_error("out of memory");
		return -1;
	}
	return 0;
}

static void print_text(status_t const *st)
{
	pc_loaded_t const *rec = &st->loaded;
	char when[PC_TIME_STRLEN];

	pc_cli_text_put(stdout, st->message, strlen(st->message));
	fputc('\n', stdout);
	pc_cli_text_field(stdout, "config", st->config);
	pc_cli_text_field(stdout, "digest", st->digest);
	pc_cli_text_field(stdout, "record", st->record);
	if (st->state == STATUS_NO_RECORD) return;
	pc_cli_text_field(stdout, "loaded config", rec->config);
	pc_cli_text_fieldf(stdout, "loaded digest", "%s (%s)", rec->digest, st->matches ? "matches" : "differs");
	pc_cli_text_fieldf(stdout, "generation", "%lu", rec->generation);
	pc_cli_text_field(stdout, "loaded at", pc_time_format(rec->loaded_at, when, sizeof(when)));
	pc_cli_text_fieldf(stdout, "radiusd pid", "%ld (%s)", rec->pid, st->alive ? "running" : "not running");
}

static void print_json(status_t const *st)
{
	pc_loaded_t const *rec = &st->loaded;
	pc_cli_json_t js;

	pc_cli_json_init(&js, stdout);
	pc_cli_json_open(&js, NULL, '{');
	pc_cli_json_str(&js, "config", st->config);
	pc_cli_json_str(&js, "ca_path", st->ca_path);
	pc_cli_json_str(&js, "record", st->record);
	pc_cli_json_str(&js, "disk_digest", st->digest);
	pc_cli_json_str(&js, "state", state_names[st->state]);
	pc_cli_json_bool(&js, "in_force", st->state == STATUS_IN_FORCE);
	if (st->state == STATUS_NO_RECORD) {
		pc_cli_json_null(&js, "loaded");
	} else {
		pc_cli_json_open(&js, "loaded", '{');
		pc_cli_json_int(&js, "generation", (long long)rec->generation);
		pc_cli_json_str(&js, "digest", rec->digest);
		pc_cli_json_bool(&js, "digest_matches", st->matches);
		pc_cli_json_time(&js, "loaded_at", rec->loaded_at);
		pc_cli_json_int(&js, "pid", rec->pid);
		pc_cli_json_bool(&js, "pid_alive", st->alive);
		pc_cli_json_str(&js, "config", rec->config);
		pc_cli_json_close(&js, '}');
	}
	pc_cli_json_str(&js, "message", st->message);
	pc_cli_json_close(&js, '}');
	pc_cli_json_finish(&js);
}

int pc_cli_status(int argc, char **argv)
{
	static struct option const options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "ca-path", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	TALLOC_CTX *ctx;
	status_t *st;
	pc_config_t *cfg;
	pc_error_t err;
	char const *config = NULL, *ca_path = NULL;
	bool json = false;
	int opt, status = PC_CLI_EXIT_ERROR;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;

		case 'p':
			ca_path = optarg;
			break;

		case 'j':
			json = true;
			break;

		case 'h':
			fputs(status_usage, stdout);
			return PC_CLI_EXIT_OK;

		default:
			return pc_cli_bad_option("status", argc, argv, opt);
		}
	}
	if (!config) return pc_cli_usage_error("status", "--config FILE is required");
	if (optind < argc) return pc_cli_usage_error("status", "unexpected argument '%s'", argv[optind]);
	if (ca_path && !*ca_path) return pc_cli_usage_error("status", "--ca-path is empty");

	ctx = talloc_new(NULL);
	st = ctx ? talloc_zero(ctx, status_t) : NULL;
	if (!st) goto oom;
	st->config = config;
	st->ca_path = ca_path ? ca_path : default_ca_path(st, config);
	st->record = st->ca_path ? pc_loaded_path(st, st->ca_path) : NULL;
	if (!st->record) goto oom;

	/* The module's own loader: a file it would refuse is refused here, with FILE:LINE. */
	cfg = pc_cli_config_load(ctx, config);
	if (!cfg) goto done;
	err.msg[0] = '\0';
	if (pc_config_digest(cfg, st->digest, &err) < 0) {
		pc_cli_error("%s", err.msg);
		goto done;
	}
	if (status_run(st, st) < 0) goto done;

	if (json) {
		print_json(st);
	} else {
		print_text(st);
	}
	status = st->state == STATUS_IN_FORCE ? PC_CLI_EXIT_OK : PC_CLI_EXIT_REFUSED;
	goto done;

oom:
	pc_cli_error("out of memory");
done:
	talloc_free(ctx);
	return status;
}
