/**
 * @file main.c
 * @brief The phonecert command: subcommand dispatch, --help and --version.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "cli.h"

typedef struct {
	char const	*name;
	int		(*run)(int argc, char **argv);
	char const	*summary;
} command_t;

static command_t const commands[] = {
	{ "inspect", pc_cli_inspect, "describe certificates (PEM, DER, PKCS#7, CAPF trace logs); guess LSC/MIC" },
	{ "check", pc_cli_check, "decide on a phone certificate exactly as the module would" },
	{ "anchors", pc_cli_anchors, "list the uploaded anchors; warn about expiry, rollovers, ca_path (--check: monitoring)" },
	{ "reasons", pc_cli_reasons, "list the decision reasons, their numbers and advice" },
	{ "deny", pc_cli_deny, "add, remove or list deny-list entries (lost or stolen phones)" },
	{ "status", pc_cli_status, "confirm a reload: is the configuration on disk the one radiusd has in force?" },
	{ "rollover", pc_cli_rollover, "from the ledger: who is still on a retiring CAPF; is it safe to close?" },
	{ "phones", pc_cli_phones, "from the ledger: what each phone presented, when, where, the decision" },
	{ "disconnect", pc_cli_disconnect, "end the sessions of phones admitted under an anchor (RFC 5176 Disconnect/CoA)" },
};

#define COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *fp)
{
	size_t i;

	fputs("usage: phonecert COMMAND [OPTION]... [ARG]...\n"
	      "       phonecert --help | --version\n"
	      "\n"
	      "Explain and check Cisco IP phone certificates for 802.1X: LSCs issued by a CUCM\n"
	      "cluster's CAPF, MICs issued by a Cisco manufacturing CA.  The same code as the\n"
	      "rlm_phonecert FreeRADIUS module makes every decision.\n"
	      "\n"
	      "Commands:\n", fp);
	for (i = 0; i < COMMANDS; i++) fprintf(fp, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "'phonecert COMMAND --help' describes a command's options.\n"
	      "Exit status: 0 accepted / no warnings / in force / safe to close, 1 refused / warnings /\n"
	      "not in force / a retiring CAPF still has phones, "
	      "2 usage or input error.\n", fp);
}

int main(int argc, char **argv)
{
	char const *name;
	size_t i;
	int status;

	if (argc < 2) {
		usage(stderr);
		return PC_CLI_EXIT_ERROR;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		usage(stdout);
		return PC_CLI_EXIT_OK;
	}
	if (strcmp(name, "--version") == 0) {
		printf("phonecert %s (rlm_phonecert)\n%s\n", PHONECERT_VERSION, OpenSSL_version(OPENSSL_VERSION));
		return PC_CLI_EXIT_OK;
	}
	if (strcmp(name, "help") == 0 && argc == 3) {
		static char help[] = "--help";
		char *help_argv[] = { argv[2], help, NULL };

		for (i = 0; i < COMMANDS; i++) {
			if (strcmp(argv[2], commands[i].name) == 0) return commands[i].run(2, help_argv);
		}
	}

	for (i = 0; i < COMMANDS; i++) {
		if (strcmp(name, commands[i].name) != 0) continue;
		status = commands[i].run(argc - 1, argv + 1);
		ERR_clear_error();
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "phonecert: cannot write the output\n");
			return PC_CLI_EXIT_ERROR;
		}
		return status;
	}
	fprintf(stderr, "phonecert: unknown command '%s' (see 'phonecert --help')\n", name);
	return PC_CLI_EXIT_ERROR;
}
