/**
 * @file deny.c
 * @brief phonecert deny add|remove|list: edit the deny-list that phonecert.conf names.
 *
 * Every edit is checked with the module's own parser before it replaces the file, and
 * replaces it atomically (a temporary file in the same directory, fsync'ed, renamed over
 * it, keeping its mode): radiusd reloading at that moment reads the old list or the new
 * one, never half of either.  Comments and other entries are kept as they are.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <phonecert/deny.h>
#include <phonecert/timeval.h>

#include "cli.h"

static char const *const deny_usage =
	"usage: phonecert deny add    --config FILE KIND VALUE [--note TEXT] [--expires TIME]\n"
	"       phonecert deny remove --config FILE KIND VALUE\n"
	"       phonecert deny list   --config FILE [--at TIME]\n"
	"\n"
	"Edit the deny-list named by FILE's [policy] deny = ... (the module refuses a listed\n"
	"phone with reason device-denied, resumed sessions included).  KIND VALUE is one of:\n"
	"  device SEP001E7AC3D1AB          the phone's device name (or CP-<model>-SEP...)\n"
	"  mac 00:1e:7a:c3:d1:ab           its MAC: the certificate's or the switch's Calling-Station-Id\n"
	"  fingerprint AB:CD:...           one certificate, by its SHA-256 (phonecert inspect prints it)\n"
	"  serial ANCHOR SERIAL            one certificate, by its issuing anchor (its name in FILE or\n"
	"                                  its SHA-256; the file records the SHA-256) and serial (hex)\n"
	"\n"
	"Options:\n"
	"  --config FILE    the module's configuration (raddb/phonecert/phonecert.conf)\n"
	"  --note TEXT      why (printed ASCII, logged with every refusal)\n"
	"  --expires TIME   the entry stops refusing from then on (e.g. 2027-06-30T18:00:00Z)\n"
	"  --at TIME        list: say which entries are expired at TIME (default: now)\n"
	"  --help           this text\n"
	"\n"
	"An edit takes effect when radiusd reloads the module (radmin -e \"hup phonecert\");\n"
	"phonecert status --config FILE confirms it.\n"
	"Exit status: 0 done; 2 on a usage error, a duplicate, an entry not found, or a file that\n"
	"does not load.\n";

static char *file_read(TALLOC_CTX *ctx, char const *path, size_t *len)
{
	FILE *fp = fopen(path, "r");
	char *text;

	if (!fp) {
		pc_cli_error("%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	text = talloc_array(ctx, char, PC_DENY_FILE_MAX + 1);
	*len = text ? fread(text, 1, PC_DENY_FILE_MAX, fp) : 0;
	if (!text || ferror(fp)) {
		fclose(fp);
		pc_cli_error("%s: cannot read: %s", path, text ? strerror(errno) : "out of memory");
		return NULL;
	}
	fclose(fp);
	text[*len] = '\0';
	return text;
}

/** Replace path by text: a temporary file beside it, its mode, fsync, rename. */
static int file_replace(TALLOC_CTX *ctx, char const *path, char const *text, size_t len)
{
	char *tmp = talloc_asprintf(ctx, "%s.XXXXXX", path);
	struct stat st;
	int fd;
	bool ok;

	if (!tmp || stat(path, &st) < 0) {
		pc_cli_error("%s: %s", path, tmp ? strerror(errno) : "out of memory");
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		pc_cli_error("%s: cannot create a temporary file beside it: %s", path, strerror(errno));
		return -1;
	}
	ok = fchmod(fd, st.st_mode & 07777) == 0 && write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
	ok = (close(fd) == 0) && ok;
	if (!ok || rename(tmp, path) < 0) {
		pc_cli_error("%s: cannot replace: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/** The kind and its value words from argv; a serial's anchor name becomes its fingerprint. */
static char *entry_key(TALLOC_CTX *ctx, pc_config_t const *cfg, int argc, char **argv, pc_deny_kind_t *kind)
{
	char const *value2 = NULL, *value;
	pc_error_t err = { .msg = "" };
	unsigned int i;
	char *key;

	if (argc < 2 || !pc_deny_kind_from_name(argv[0], kind)) {
		pc_cli_usage_error("deny", "expected KIND VALUE (device, mac, fingerprint or serial)");
		return NULL;
	}
	value = argv[1];
	if (*kind == PC_DENY_SERIAL) {
		if (argc != 3) {
			pc_cli_usage_error("deny", "serial takes ANCHOR SERIAL");
			return NULL;
		}
		for (i = 0; i < pc_trust_count(cfg->trust); i++) {
			pc_anchor_t const *a = pc_trust_anchor(cfg->trust, i);

			if (strcmp(a->name, value) == 0) value = a->fingerprint;
		}
		value2 = argv[2];
	} else if (argc != 2) {
		pc_cli_usage_error("deny", "unexpected '%s'", argv[2]);
		return NULL;
	}
	key = pc_deny_key(ctx, *kind, value, value2, &err);
	if (!key) pc_cli_error("%s", err.msg);
	return key;
}

static pc_deny_entry_t const *entry_find(pc_deny_t const *deny, char const *key)
{
	unsigned int i;

	for (i = 0; i < pc_deny_count(deny); i++) {
		if (strcmp(pc_deny_entry(deny, i)->key, key) == 0) return pc_deny_entry(deny, i);
	}
	return NULL;
}

static void reload_hint(char const *config)
{
	printf("Reload for it to take effect: radmin -e \"hup phonecert\"\n"
	       "Then confirm: phonecert status --config %s (it says \"in force\" once radiusd has loaded it)\n", config);
}

/** Parse the new text with the module's parser, then replace the file. */
static int commit(TALLOC_CTX *ctx, char const *path, char const *text)
{
	pc_deny_t *check;
	pc_error_t err = { .msg = "" };

	if (pc_deny_parse(ctx, path, text, strlen(text), &check, &err) < 0) {
		pc_cli_error("refusing to write %s: %s", path, err.msg);
		return -1;
	}
	return file_replace(ctx, path, text, strlen(text));
}

static int deny_add(TALLOC_CTX *ctx, pc_config_t const *cfg, char const *config, int argc, char **argv,
		    char const *note, char const *expires)
{
	char const *path = pc_deny_path(cfg->deny);
	pc_deny_entry_t const *dup;
	pc_deny_kind_t kind;
	time_t until;
	size_t len, i;
	char *key, *text, *line;

	key = entry_key(ctx, cfg, argc, argv, &kind);
	if (!key) return PC_CLI_EXIT_ERROR;
	dup = entry_find(cfg->deny, key);
	if (dup) {
		pc_cli_error("%s:%d already holds '%s'%s%s: not added twice", path, dup->line, key,
			     dup->note[0] ? ", note: " : "", dup->note);
		return PC_CLI_EXIT_ERROR;
	}
	if (expires && !pc_time_parse(expires, &until)) {
		pc_cli_error("--expires: cannot parse time '%s' (expected e.g. 2027-06-30 or 2027-06-30T18:00:00Z)", expires);
		return PC_CLI_EXIT_ERROR;
	}
	if (note) {
		for (i = 0; note[i]; i++) {
			if ((unsigned char)note[i] < 0x20 || (unsigned char)note[i] > 0x7e) {
				pc_cli_error("--note: only printable ASCII (it goes into log lines)");
				return PC_CLI_EXIT_ERROR;
			}
		}
	}
	text = file_read(ctx, path, &len);
	if (!text) return PC_CLI_EXIT_ERROR;
	/* The key is the canonical entry: "KIND VALUE...". */
	line = talloc_asprintf(ctx, "%s%s%s%s%s%s\n", (len && text[len - 1] != '\n') ? "\n" : "", key,
			       expires ? " expires=" : "", expires ? expires : "", note && *note ? " note=" : "",
			       note && *note ? note : "");
	text = talloc_strdup_append(text, line);
	if (!line || !text || commit(ctx, path, text) < 0) return PC_CLI_EXIT_ERROR;
	printf("added to %s: %s", path, line[0] == '\n' ? line + 1 : line);
	if (expires && until <= time(NULL)) printf("note: it has already expired, so it refuses nothing\n");
	reload_hint(config);
	return PC_CLI_EXIT_OK;
}

static int deny_remove(TALLOC_CTX *ctx, pc_config_t const *cfg, char const *config, int argc, char **argv)
{
	char const *path = pc_deny_path(cfg->deny);
	pc_deny_entry_t const *entry;
	pc_deny_kind_t kind;
	char *key, *text, *out, *p;
	size_t len;
	int line = 0;

	key = entry_key(ctx, cfg, argc, argv, &kind);
	if (!key) return PC_CLI_EXIT_ERROR;
	entry = entry_find(cfg->deny, key);
	if (!entry) {
		pc_cli_error("%s holds no entry '%s'", path, key);
		return PC_CLI_EXIT_ERROR;
	}
	text = file_read(ctx, path, &len);
	if (!text) return PC_CLI_EXIT_ERROR;
	out = talloc_strdup(ctx, "");
	/* Every line but the entry's, byte for byte. */
	for (p = text; out && *p;) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);

		if (++line != entry->line) out = talloc_strndup_append(out, p, n);
		p += n;
	}
	if (!out || commit(ctx, path, out) < 0) return PC_CLI_EXIT_ERROR;
	printf("removed from %s (line %d): %s\n", path, entry->line, key);
	reload_hint(config);
	return PC_CLI_EXIT_OK;
}

static int deny_list(pc_config_t const *cfg, time_t at)
{
	pc_deny_t const *deny = cfg->deny;
	char when[PC_TIME_STRLEN];
	unsigned int i, expired = 0;

	printf("deny-list %s: %u entries\n", pc_deny_path(deny), pc_deny_count(deny));
	for (i = 0; i < pc_deny_count(deny); i++) {
		pc_deny_entry_t const *e = pc_deny_entry(deny, i);
		bool active = pc_deny_entry_active(e, at);

		if (!active) expired++;
		printf("  line %d: %s", e->line, e->key);
		if (e->expires) printf(" expires %s", pc_time_format(e->expires, when, sizeof(when)));
		if (!active) printf(" (EXPIRED: ignored)");
		if (e->note[0]) printf(" note: %s", e->note);
		printf("\n");
	}
	if (expired) printf("%u expired entries refuse nothing: remove them with phonecert deny remove\n", expired);
	return PC_CLI_EXIT_OK;
}

int pc_cli_deny(int argc, char **argv)
{
	static struct option const longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "note", required_argument, NULL, 'n' },
		{ "expires", required_argument, NULL, 'e' },
		{ "at", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char const *config = NULL, *note = NULL, *expires = NULL, *action;
	TALLOC_CTX *ctx;
	pc_config_t *cfg;
	time_t at = time(NULL);
	int opt, rcode;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 'n': note = optarg; break;
		case 'e': expires = optarg; break;
		case 'a':
			if (!pc_cli_time_option(optarg, &at)) return PC_CLI_EXIT_ERROR;
			break;
		case 'h':
			fputs(deny_usage, stdout);
			return PC_CLI_EXIT_OK;
		default:
			return pc_cli_bad_option("deny", argc, argv, opt);
		}
	}
	if (optind >= argc) return pc_cli_usage_error("deny", "expected add, remove or list");
	action = argv[optind++];
	/* Options may also follow the action and its words. */
	{
		int rest = argc - optind, n = 0, i;
		char **words = talloc_array(NULL, char *, rest + 1);

		if (!words) return PC_CLI_EXIT_ERROR;
		for (i = optind; i < argc; i++) {
			char const *a = argv[i];

			if ((strcmp(a, "--config") == 0 || strcmp(a, "--note") == 0 || strcmp(a, "--expires") == 0 ||
			     strcmp(a, "--at") == 0) && i + 1 < argc) {
				char const *v = argv[++i];

				if (a[2] == 'c') config = v;
				else if (a[2] == 'n') note = v;
				else if (a[2] == 'e') expires = v;
				else if (!pc_cli_time_option(v, &at)) {
					talloc_free(words);
					return PC_CLI_EXIT_ERROR;
				}
			} else if (a[0] == '-' && a[1] == '-') {
				talloc_free(words);
				return pc_cli_usage_error("deny", "unknown option or option without a value '%s'", a);
			} else {
				words[n++] = argv[i];
			}
		}
		words[n] = NULL;
		if (!config) {
			talloc_free(words);
			return pc_cli_usage_error("deny", "--config FILE is required");
		}
		ctx = words;
		cfg = pc_cli_config_load(ctx, config);
		if (!cfg) {
			talloc_free(ctx);
			return PC_CLI_EXIT_ERROR;
		}
		if (!cfg->deny) {
			pc_cli_error("%s names no deny-list: add 'deny = deny.conf' to its [policy] section and create "
				     "that file (it may be empty)", config);
			talloc_free(ctx);
			return PC_CLI_EXIT_ERROR;
		}
		if (strcmp(action, "add") == 0) {
			rcode = deny_add(ctx, cfg, config, n, words, note, expires);
		} else if (strcmp(action, "remove") == 0) {
			rcode = (note || expires) ? pc_cli_usage_error("deny", "remove takes no --note or --expires")
						  : deny_remove(ctx, cfg, config, n, words);
		} else if (strcmp(action, "list") == 0) {
			rcode = n ? pc_cli_usage_error("deny", "list takes no arguments") : deny_list(cfg, at);
		} else {
			rcode = pc_cli_usage_error("deny", "unknown action '%s' (expected add, remove or list)", action);
		}
		talloc_free(ctx);
	}
	return rcode;
}
