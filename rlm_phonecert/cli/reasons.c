/**
 * @file reasons.c
 * @brief "phonecert reasons": the reason table, straight from the core.
 */
#include <getopt.h>
#include <stdio.h>

#include <phonecert/reason.h>

#include "cli.h"

static char const *const reasons_usage =
	"usage: phonecert reasons [--json]\n"
	"\n"
	"List every reason the module can give for a decision: its stable number (logged as\n"
	"Phonecert-Reason, never reused), short name, whether it admits, and the advice for the admin.\n"
	"\n"
	"Options:\n"
	"  --json    print a JSON array\n"
	"  --help    this text\n";

int pc_cli_reasons(int argc, char **argv)
{
	static struct option const options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	pc_cli_json_t js;
	bool json = false;
	unsigned int i;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;

		case 'h':
			fputs(reasons_usage, stdout);
			return PC_CLI_EXIT_OK;

		default:
			return pc_cli_bad_option("reasons", argc, argv, opt);
		}
	}
	if (optind < argc) return pc_cli_usage_error("reasons", "unexpected argument '%s'", argv[optind]);

	if (json) {
		pc_cli_json_init(&js, stdout);
		pc_cli_json_open(&js, NULL, '[');
	}
	for (i = 0; i < pc_reason_count(); i++) {
		pc_reason_t reason = pc_reason_at(i);

		if (json) {
			pc_cli_json_open(&js, NULL, '{');
			pc_cli_json_int(&js, "number", (int)reason);
			pc_cli_json_str(&js, "name", pc_reason_name(reason));
			pc_cli_json_bool(&js, "accept", pc_reason_is_accept(reason));
			pc_cli_json_str(&js, "advice", pc_reason_advice(reason));
			pc_cli_json_close(&js, '}');
			continue;
		}
		printf("%s%3d  %-22s %s\n", i ? "\n" : "", (int)reason, pc_reason_name(reason),
		       pc_reason_is_accept(reason) ? "accept" : "reject");
		pc_cli_text_field_wrapped(stdout, "", pc_reason_advice(reason));
	}
	if (json) {
		pc_cli_json_close(&js, ']');
		pc_cli_json_finish(&js);
	}
	return PC_CLI_EXIT_OK;
}
