/**
 * @file options.c
 * @brief Option values and error lines that every subcommand handles the same way.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <getopt.h>

#include <openssl/err.h>

#include <phonecert/timeval.h>

#include "cli.h"

void pc_cli_error(char const *fmt, ...)
{
	va_list ap;

	ERR_clear_error();
	fputs("phonecert: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int pc_cli_usage_error(char const *cmd, char const *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "phonecert %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'phonecert %s --help')\n", cmd);
	return PC_CLI_EXIT_ERROR;
}

int pc_cli_bad_option(char const *cmd, int argc, char **argv, int opt)
{
	char const *arg = (optind > 0 && optind - 1 < argc) ? argv[optind - 1] : "?";

	if (opt == ':') return pc_cli_usage_error(cmd, "option '%s' needs a value", arg);
	if (optopt && optopt != '?') return pc_cli_usage_error(cmd, "unknown option '-%c'", optopt);
	return pc_cli_usage_error(cmd, "unknown option '%s'", arg);
}

bool pc_cli_time_option(char const *text, time_t *out)
{
	if (pc_time_parse(text, out)) return true;
	pc_cli_error("--at: cannot parse time '%s' (expected e.g. 2027-06-30, 2027-06-30T18:00:00Z "
		     "or 2027-06-30T18:00:00+02:00)", text);
	return false;
}

pc_config_t *pc_cli_config_load(TALLOC_CTX *ctx, char const *path)
{
	pc_config_t *cfg = NULL;
	pc_error_t err;

	err.msg[0] = '\0';
	if (pc_config_load(ctx, path, &cfg, &err) < 0 || !cfg) {
		pc_cli_error("%s", err.msg[0] ? err.msg : "cannot load the configuration");
		return NULL;
	}
	ERR_clear_error();
	return cfg;
}
